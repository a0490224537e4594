"""Where a ``JWT_*`` value is looked up: ``app.config``, then the environment, then a
``.env`` file, the first that has the key winning; under which spellings (the 1.x keys'
snake-case aliases); and the one rule for an empty value: ``None``, ``""`` and ``b""``
are *unset* in every source, so the next source and then the default apply (no reader
ever sees ``""``), with one exception: ``JWT_HEADER_SCHEME = ""`` is the bare-token
header (:data:`EMPTY_IS_A_VALUE`). The only module of flask_pyjwt that reads the
environment or a file for configuration. No Flask here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Final

from flask_pyjwt._core.errors import InvalidConfigError

ConfigLookup = Callable[[str], object]
"""Returns a key's configured value, or ``None`` when it is not set anywhere."""

KEY_ALIASES: Final[Mapping[str, str]] = {
    "JWT_AUTHTYPE": "JWT_AUTH_TYPE",
    "JWT_PUBLICKEY": "JWT_PUBLIC_KEY",
    "JWT_AUTHMAXAGE": "JWT_AUTH_MAX_AGE",
    "JWT_REFRESHMAXAGE": "JWT_REFRESH_MAX_AGE",
}
"""The 1.x keys whose words run together, each with its snake-case alias. Both spellings
are read, from every source; one source holding both with different values is an error."""

RENAMED_KEYS: Final[Mapping[str, str]] = {
    "JWT_MAXTOKENLENGTH": "JWT_MAX_TOKEN_LENGTH",
    "JWT_KEYID": "JWT_KEY_ID",
    "JWT_REQUIRESTRONGSECRET": "JWT_REQUIRE_STRONG_SECRET",
}
"""Spellings of 2.0 development builds (never released), each with its 2.0 name. Refused
at ``init_app``, never ignored: ignoring ``JWT_REQUIRESTRONGSECRET`` would weaken a check."""


EMPTY_IS_A_VALUE: Final = frozenset({"JWT_HEADER_SCHEME"})
"""The one key whose ``""`` is a value, in every source: ``JWT_HEADER_SCHEME = ""`` is
a header that holds the bare token (as Flask-JWT-Extended's ``JWT_HEADER_TYPE = ""``)."""


def is_unset(value: object) -> bool:
    """The one rule for an empty value: ``None``, ``""`` and ``b""`` are unset."""
    return value is None or (isinstance(value, (str, bytes)) and not value)


Source = tuple[str, Mapping[str, object]]
"""A source's name as messages give it, and its values."""


def layered_lookup(
    app_config: Mapping[str, object],
    *,
    environ: Mapping[str, str] | None = None,
    dotenv_path: str | os.PathLike[str] | None = None,
) -> ConfigLookup:
    """Look keys up in ``app_config``, then ``environ``, then the ``.env`` file, each
    under the key's spellings (:data:`KEY_ALIASES`); an unset value (:func:`is_unset`)
    lets the next source apply.

    Raises:
        InvalidConfigError: the ``.env`` file was named but cannot be read; a source sets
            a development spelling (:data:`RENAMED_KEYS`), or both spellings of a key to
            different values.
    """
    env = os.environ if environ is None else environ
    dotenv: Mapping[str, str | None] = {}
    if dotenv_path is not None:
        path = Path(dotenv_path)
        if not path.is_file():
            raise InvalidConfigError("dotenv_path", f"{str(path)!r} is not a readable file")
        from dotenv import dotenv_values  # imported here: only apps that use .env pay for it

        dotenv = dotenv_values(path)
    sources: tuple[Source, ...] = (
        ("app.config", app_config),
        ("the environment", env),
        ("the .env file", dotenv),
    )
    for source in sources:
        _refuse_renamed(source)
        for key in KEY_ALIASES:
            _value_in(source, key)  # raises for two spellings that disagree

    def lookup(key: str) -> object:
        for source in sources:
            value = _value_in(source, key)
            if value is not None:
                return value
        return None

    return lookup


def _refuse_renamed(source: Source) -> None:
    name, values = source
    for old, new in RENAMED_KEYS.items():
        if not is_unset(values.get(old)):
            raise InvalidConfigError(
                old,
                f"was renamed {new} (the old spelling was only in 2.0 development builds); "
                f"set {new} in {name} instead",
            )


def _value_in(source: Source, key: str) -> object:
    """``key``'s value in ``source`` under either spelling, or ``None`` if unset."""
    name, values = source
    value = values.get(key)
    if key in EMPTY_IS_A_VALUE and value == "":
        return value
    alias = KEY_ALIASES.get(key)
    if alias is None:
        return None if is_unset(value) else value
    aliased = values.get(alias)
    if is_unset(aliased):
        return None if is_unset(value) else value
    if is_unset(value):
        return aliased
    if not _equal(value, aliased):
        # Never the values: JWT_PUBLICKEY may be a key, and the message may be logged.
        raise InvalidConfigError(
            key,
            f"is set in {name} together with {alias}, its snake-case spelling, to a "
            "different value; set one of them",
        )
    return value


def _equal(first: object, second: object) -> bool:
    """Whether two spellings hold the same value (an int of seconds equals the same
    ``timedelta``; a mapping compared by ``==``; a key object only to itself)."""
    if isinstance(first, timedelta) and isinstance(second, int):
        return first == timedelta(seconds=second)
    if isinstance(second, timedelta) and isinstance(first, int):
        return second == timedelta(seconds=first)
    try:
        return bool(first == second)
    except Exception:  # a value whose == raises (or answers an array) is not equal
        return False
