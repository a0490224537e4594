"""Telling a developer about a likely mistake: the name they probably meant, and a
warning that points at their own line rather than into the library.

Used by the configuration (an unknown ``JWT_*`` key), the keys (a weak HMAC secret) and
``require_token`` (a claim named like one of its options): one matcher, one way to warn.
"""

from __future__ import annotations

import difflib
import inspect
import warnings
from collections.abc import Iterable, Mapping
from types import FrameType
from typing import Final, cast


def _squashed(name: str) -> str:
    return name.upper().replace("_", "")


def closest_name(name: str, known: Iterable[str], *, cutoff: float = 0.8) -> str | None:
    """The name in ``known`` that ``name`` most likely misspells, if any.

    Case and underscores are ignored first (``JWT_AUTH_MAXAGE`` is ``JWT_AUTHMAXAGE``,
    ``fresh_`` is ``fresh``); then the closest by :func:`difflib.get_close_matches`
    at least ``cutoff`` alike (``scopes`` for ``scope``, ``optinal`` for ``optional``).
    """
    by_squashed = {_squashed(candidate): candidate for candidate in known}
    close = by_squashed.get(_squashed(name))
    if close is not None:
        return close
    matches = difflib.get_close_matches(_squashed(name), by_squashed, n=1, cutoff=cutoff)
    return by_squashed[matches[0]] if matches else None


# Frames of this package are skipped when a warning looks for the line to point at: told
# by their module's name, so no file path is compared.
_PACKAGE: Final = "flask_pyjwt"


def _in_package(frame: FrameType) -> bool:
    # f_globals is dict[str, Any] in typeshed: read as plain objects at this boundary.
    module_globals = cast("Mapping[str, object]", frame.f_globals)
    name = module_globals.get("__name__")
    return isinstance(name, str) and (name == _PACKAGE or name.startswith(_PACKAGE + "."))


def warn_at_caller(message: str, category: type[Warning]) -> None:
    """``warnings.warn`` pointing at the first frame outside the flask_pyjwt package.

    A fixed ``stacklevel`` points into the library whenever the call path differs
    (``AuthManager(app)`` reaches ``init_app`` one frame deeper than
    ``manager.init_app(app)``); walking out of the package points at the user's line.
    """
    level = 1  # this function's own frame
    frame = inspect.currentframe()
    while frame is not None and _in_package(frame):
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level)
