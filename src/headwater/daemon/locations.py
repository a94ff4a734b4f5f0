"""The code locations a daemon serves, as its loops see them.

``headwater daemon run -w workspace.yaml`` (or ``-m``/``-f``) starts a
:class:`~headwater.orchestration.workspace_manager.WorkspaceManager`, which owns one code server
per location; the loops that evaluate user code (schedules, sensors, automation) only read it
through the small :class:`CodeLocations` protocol: which locations are loaded now, and a client
for each. A daemon started without a code location passes ``None`` and runs only the loops that
need none (run queue, run monitoring).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from headwater.orchestration.code_server_client import CodeServerClient
    from headwater.orchestration.workspace_manager import LocationState

__all__ = ["CodeLocations", "loaded_locations"]


class CodeLocations(Protocol):
    """What a loop needs of the daemon's code locations (a ``WorkspaceManager`` is one).

    Example:
        >>> # manager = WorkspaceManager(load_workspace("workspace.yaml")); manager.start()
        >>> # for name in loaded_locations(manager): manager.client(name).snapshot()
    """

    def states(self) -> dict[str, LocationState]:
        """Every location's current state, by name."""
        ...

    def client(self, name: str) -> CodeServerClient:
        """The client of location ``name``'s code server."""
        ...


def loaded_locations(locations: CodeLocations | None) -> list[str]:
    """The names of the locations whose server is up and loaded its definitions, in order.

    Args:
        locations: the daemon's code locations, or ``None`` (then: none).

    Returns:
        Location names; a location starting, restarting or failing to load is left out (its
        schedules and sensors wait until it is loaded again).
    """
    if locations is None:
        return []
    from headwater.orchestration.workspace_manager import LocationStatus

    return [n for n, s in locations.states().items() if s.status == LocationStatus.LOADED]
