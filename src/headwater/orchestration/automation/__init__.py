"""Declarative automation: evaluating assets' ``AutomationCondition`` against an instance.

:mod:`.engine` is the entry point (:func:`~.engine.evaluate_automation_conditions`);
:mod:`.evaluator` evaluates one condition tree over one asset's partitions, reading the
instance through :mod:`.instance_state`; :mod:`.cursor` keeps what stateful operators
remember between ticks; :mod:`.subsets` compresses sets of partition keys for storage.
"""
