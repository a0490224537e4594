"""The value readers of the configuration keys read by :mod:`.settings`: each returns a
checked value or raises the key's :class:`~flask_pyjwt.errors.InvalidConfigError`. (The
transport keys have their own readers in :mod:`.transport`, until one set serves both.)
No Flask here.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import timedelta
from typing import Final, cast
from urllib.parse import urlsplit

from flask_pyjwt._core.algorithms import AuthType, parse_auth_type
from flask_pyjwt._core.errors import InvalidConfigError, MissingConfigError
from flask_pyjwt._core.policy import (
    whole_seconds,
)

from .sources import ConfigLookup


def describe(value: object) -> str:
    return type(value).__name__


def read_string(lookup: ConfigLookup, key: str, *, required: bool) -> str | None:
    value = lookup(key)
    if value is None or value == "":
        if required:
            raise MissingConfigError(key)
        return None
    if not isinstance(value, str):
        raise InvalidConfigError(key, f"got {describe(value)} {value!r}; expected a non-empty str")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            # A lone surrogate ("\ud800"): no token, URL or Redis key can carry it.
            raise InvalidConfigError(
                key,
                f"holds a lone UTF-16 surrogate at index {error.start}, which UTF-8 "
                "cannot encode; expected a str of Unicode characters",
            ) from None
    return value


# ASCII digits only: str.isdigit() is also true for fullwidth digits (which int() reads:
# "\uff13\uff16\uff10\uff10" is 3600) and for superscripts (which int() refuses), and \d
# matches every Unicode decimal digit.
_ASCII_DIGITS: Final = re.compile("[0-9]+")


def read_whole_number(
    lookup: ConfigLookup,
    key: str,
    default: int,
    *,
    minimum: int,
    unit: str = "seconds",
    duration: bool = False,
) -> int:
    value = lookup(key)
    if value is None:
        return default
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _ASCII_DIGITS.fullmatch(value.strip()):
        number = int(value.strip())
    elif duration and isinstance(value, timedelta):
        number = whole_seconds(value)
    if number is None or number < minimum:
        accepted = f"a whole number >= {minimum} ({unit})"
        if duration:
            accepted += f" or a datetime.timedelta of whole seconds, at least {minimum}"
        raise InvalidConfigError(key, f"got {describe(value)} {value!r}; expected {accepted}")
    return number


def read_flag(lookup: ConfigLookup, key: str) -> bool:
    value = lookup(key)
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"1", "true", "yes", "0", "false", "no"}:
        return value.lower() in {"1", "true", "yes"}
    raise InvalidConfigError(key, f"got {describe(value)} {value!r}; expected True or False")


def read_algorithms(lookup: ConfigLookup, *, required: bool) -> tuple[AuthType, ...]:
    """``JWT_AUTHTYPE``: one algorithm, or (for a JWK Set) a list or a comma-separated string."""
    value = lookup("JWT_AUTHTYPE")
    if value is None:
        if required:
            raise MissingConfigError("JWT_AUTHTYPE")
        return ()
    items: list[object]
    if isinstance(value, str) and "," in value:
        items = [part.strip() for part in value.split(",")]
    elif isinstance(value, (list, tuple)):
        items = list(cast("list[object] | tuple[object, ...]", value))
        if not items:
            raise InvalidConfigError(
                "JWT_AUTHTYPE", "is an empty list; give one algorithm, or several for a JWK Set"
            )
    else:
        items = [value]
    try:
        algorithms = tuple(parse_auth_type(item) for item in items)
    except ValueError as error:
        raise InvalidConfigError("JWT_AUTHTYPE", str(error)) from None
    if len(set(algorithms)) != len(algorithms):
        raise InvalidConfigError("JWT_AUTHTYPE", "names an algorithm twice")
    if len(algorithms) > 1 and any(algorithm.is_symmetric for algorithm in algorithms):
        raise InvalidConfigError(
            "JWT_AUTHTYPE",
            "lists an HS* algorithm with others; several algorithms are for the keys of a "
            "JWK Set, which never holds a shared secret",
        )
    return algorithms


def read_audience(lookup: ConfigLookup) -> str | tuple[str, ...] | None:
    value = lookup("JWT_AUDIENCE")
    if value is None or value == "":
        return None
    received = f"got {describe(value)} {value!r}"
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        items = list(cast("list[object] | tuple[object, ...]", value))
        if items and all(isinstance(item, str) and item for item in items):
            return tuple(cast("list[str]", items))
    raise InvalidConfigError(
        "JWT_AUDIENCE",
        f"{received}; expected a non-empty str or a non-empty list of non-empty str",
    )


def _is_loopback(host: str) -> bool:
    """Whether ``host`` (a URL's host name, lower-case, without brackets) is a loopback
    address: ``localhost`` or an IP address in 127.0.0.0/8 or ``::1``. Decided on the
    parsed address, never on the spelling: ``127.attacker.example`` is a DNS name that
    anyone can point anywhere."""
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:  # a name to resolve (or an address form ipaddress does not read)
        return False
    # An IPv4-mapped IPv6 address (::ffff:127.0.0.1) reaches its IPv4 address: judged by
    # that on every Python (3.13's ipaddress does so itself, 3.10-3.12's does not).
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    return (mapped or address).is_loopback


def read_jwks_url(lookup: ConfigLookup) -> str | None:
    url = read_string(lookup, "JWT_JWKS_URL", required=False)
    if url is None:
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        host = None
        parts = urlsplit("")
    if host is None or parts.scheme not in ("https", "http") or parts.fragment:
        raise InvalidConfigError(
            "JWT_JWKS_URL", f"got {url!r}; expected an https:// URL of a JWK Set document"
        )
    if parts.username is not None or parts.password is not None:
        raise InvalidConfigError(
            "JWT_JWKS_URL", "holds credentials (user:password@); a JWK Set is public"
        )
    if parts.scheme == "http" and not _is_loopback(host):
        raise InvalidConfigError(
            "JWT_JWKS_URL",
            f"got {url!r}; use https://: keys fetched over plain http could be replaced by "
            "anyone on the way (http:// is accepted for loopback addresses only)",
        )
    return url


def read_jwks_route(lookup: ConfigLookup) -> str | None:
    route = read_string(lookup, "JWT_JWKS_ROUTE", required=False)
    if route is not None and (
        not route.startswith("/") or any(char.isspace() or char in "<>" for char in route)
    ):
        raise InvalidConfigError(
            "JWT_JWKS_ROUTE",
            f"got {route!r}; expected a URL path starting with / and without variables, "
            'like "/.well-known/jwks.json"',
        )
    return route


_REDIS_SCHEMES: Final = ("redis://", "rediss://", "unix://")


def read_redis_url(lookup: ConfigLookup) -> str | None:
    value = lookup("JWT_REVOCATION_REDIS_URL")
    if value is None or value == "":
        return None
    # Never echo the value: a Redis URL may carry a password.
    if not isinstance(value, str):
        raise InvalidConfigError(
            "JWT_REVOCATION_REDIS_URL", f"got {describe(value)}; expected a str URL"
        )
    if not value.startswith(_REDIS_SCHEMES):
        raise InvalidConfigError(
            "JWT_REVOCATION_REDIS_URL",
            "expected a URL starting with redis://, rediss:// or unix:// "
            "(like redis://127.0.0.1:6379/0)",
        )
    return value
