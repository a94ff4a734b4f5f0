"""Keeping secrets out of what the API returns.

Run config and event data may hold credentials (a resource's password given as a value rather
than as ``EnvVar``); any value under a key that names a secret is replaced by ``"***"``. An
``EnvVar`` reference (``{"env": "NAME"}``) is kept: it names the variable, not its value.
"""

import re
from typing import Any

#: Keys whose values are never returned.
SECRET_KEY = re.compile(
    r"(passw(or)?d|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|"
    r"pwd|dsn|connection[_-]?string)",
    re.IGNORECASE,
)

MASK = "***"


def redact(value: Any) -> Any:
    """``value`` (JSON-like) with every value under a secret-sounding key masked.

    Example:
        >>> redact({"resources": {"db": {"config": {"user": "a", "password": "hunter2"}}}})
        {'resources': {'db': {'config': {'user': 'a', 'password': '***'}}}}
        >>> redact({"password": {"env": "DB_PASSWORD"}})
        {'password': {'env': 'DB_PASSWORD'}}
    """
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if isinstance(key, str) and SECRET_KEY.search(key) and not _is_env_ref(item):
                out[key] = MASK if item is not None else None
            else:
                out[key] = redact(item)
        return out
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    return value


def _is_env_ref(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"env"} and isinstance(value["env"], str)
