"""What one ``headwater`` invocation shares: the instance, resolved once, and ``--home``.

The root group puts a :class:`CliState` on click's context object; every command that reads
or writes runs asks it for the instance with :func:`current_instance`. The instance is opened
on first use (``headwater --help`` and ``compat scan`` never open a database) and disposed of
when the invocation ends.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from headwater.instance.instance import Instance


class CliState:
    """The state of one invocation, kept as ``click.Context.obj`` of the root group.

    Args:
        home: the instance directory given with ``--home``; ``None`` means ``$HEADWATER_HOME``
            (default ``./.headwater``), as :meth:`Instance.get` resolves it.
    """

    def __init__(self, home: Path | None = None) -> None:
        self.home = home
        self._instance: Instance | None = None

    def instance(self) -> Instance:
        """The invocation's instance, opened on the first call (the same object afterwards).

        Raises:
            InvalidConfigError: ``headwater.yaml`` of the instance is malformed.
            StorageError: the database cannot be opened.
        """
        if self._instance is None:
            from headwater.instance.instance import Instance

            self._instance = Instance.get() if self.home is None else Instance.from_path(self.home)
        return self._instance

    @property
    def is_open(self) -> bool:
        """Whether the instance was opened and not yet disposed of."""
        return self._instance is not None

    def close(self) -> None:
        """Dispose of the instance if it was opened (called when the invocation ends)."""
        if self._instance is not None:
            instance, self._instance = self._instance, None
            instance.dispose()


def init_state(ctx: click.Context, home: Path | None) -> CliState:
    """Create the invocation's :class:`CliState` on ``ctx`` (the root context) and arrange for
    its instance to be disposed of when ``ctx`` closes."""
    state = CliState(home)
    ctx.obj = state
    ctx.call_on_close(state.close)
    return state


def current_state() -> CliState:
    """The :class:`CliState` of the running invocation (a fresh one when a command is invoked
    without the root group, as tests of a single command may do)."""
    ctx = click.get_current_context()
    state = ctx.find_object(CliState)
    if state is None:
        state = init_state(ctx.find_root(), None)
    return state


def current_instance() -> Instance:
    """The instance of the running invocation: ``--home``, else ``$HEADWATER_HOME``.

    Opened once per invocation and disposed of when it ends; do not dispose of it yourself.

    Example:
        >>> @click.command()
        ... def count_runs() -> None:
        ...     click.echo(len(current_instance().get_runs()))
    """
    return current_state().instance()


home_option = click.option(
    "--home",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="The instance directory (default: $HEADWATER_HOME, else ./.headwater).",
)
