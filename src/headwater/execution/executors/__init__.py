"""Executors: where the steps of a run execute.

The run driver (:mod:`headwater.execution.run.driver`) emits the run's events and decides, by
the dependency rules, which steps may run; an executor runs them:

- :mod:`~headwater.execution.executors.in_process` — one after another in this process (the
  default of ``materialize`` and ``execute_in_process``);
- :mod:`~headwater.execution.executors.multiprocess` — a warm pool of worker processes that
  load the job once and then take steps by key; their events come back to this process, the
  run's single writer.

What an executor is given and must do is :class:`~headwater.execution.executors.base.Executor`.
"""
