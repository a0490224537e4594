"""The value readers of every configuration key, one set for :mod:`.settings` and
:mod:`.transport`: each takes the lookup and the key, returns a checked value (or the
default when the key is unset) or raises the key's
:class:`~flask_pyjwt.errors.InvalidConfigError`. None of them sees ``""``: the sources
map it to unset (:func:`~.sources.is_unset`).

One message format: ``got <type> <value repr>; expected <what is accepted>``, after
which a hint may follow. ``JWT_REVOCATION_REDIS_URL`` is the one key whose value is never
quoted (it may carry a password). No Flask here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Set
from datetime import timedelta
from typing import Final, cast, get_args
from urllib.parse import urlsplit

from flask_pyjwt._core.algorithms import AuthType, parse_auth_type
from flask_pyjwt._core.errors import InvalidConfigError, MissingConfigError
from flask_pyjwt._core.locations import LOCATIONS, Location, is_http_token, parse_location
from flask_pyjwt._core.policy import whole_seconds
from flask_pyjwt._core.transport import DEFAULT_CSRF_METHODS, SameSite
from flask_pyjwt._core.uri import is_loopback_host

from .sources import ConfigLookup


def describe(value: object) -> str:
    """A value's type name, for messages that must not quote the value (a key)."""
    return type(value).__name__


def got(value: object) -> str:
    """The start of every reader's message: ``got <type> <repr>``."""
    return f"got {type(value).__name__} {value!r}"


def _invalid(key: str, value: object, expected: str) -> InvalidConfigError:
    return InvalidConfigError(key, f"{got(value)}; expected {expected}")


def read_text(
    lookup: ConfigLookup, key: str, default: str | None = None, *, required: bool = False
) -> str | None:
    """A str (``default`` when unset); never one with a lone UTF-16 surrogate, which no
    token, URL, header or Redis key can carry."""
    value = lookup(key)
    if value is None:
        if required:
            raise MissingConfigError(key)
        return default
    if not isinstance(value, str):
        raise _invalid(key, value, "a non-empty str")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            raise InvalidConfigError(
                key,
                f"holds a lone UTF-16 surrogate at index {error.start}, which UTF-8 "
                "cannot encode; expected a str of Unicode characters",
            ) from None
    return value


def read_text_or(lookup: ConfigLookup, key: str, default: str) -> str:
    """A str, ``default`` when unset."""
    value = read_text(lookup, key, default)
    assert value is not None
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
    maximum: int | None = None,
    why: str = "",
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
        raise _invalid(key, value, accepted)
    if maximum is not None and number > maximum:
        raise InvalidConfigError(
            key,
            f"got {number}; expected a whole number from {minimum} to {maximum} ({unit}): {why}",
        )
    return number


_TRUE: Final = frozenset({"1", "true", "yes"})
_FALSE: Final = frozenset({"0", "false", "no"})


def read_flag(lookup: ConfigLookup, key: str, default: bool = False) -> bool:
    """True or False, or (from the environment) one of 1/true/yes, 0/false/no."""
    value = lookup(key)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
        return value.lower() in _TRUE
    raise _invalid(key, value, "True or False")


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
    if value is None or isinstance(value, str):
        return read_text(lookup, "JWT_AUDIENCE")
    received = got(value)
    if isinstance(value, (list, tuple)):
        items = list(cast("list[object] | tuple[object, ...]", value))
        if items and all(isinstance(item, str) and item for item in items):
            return tuple(cast("list[str]", items))
    raise InvalidConfigError(
        "JWT_AUDIENCE", f"{received}; expected a non-empty str or a non-empty list of non-empty str"
    )


def read_jwks_url(lookup: ConfigLookup) -> str | None:
    url = read_text(lookup, "JWT_JWKS_URL")
    if url is None:
        return None
    return check_key_url("JWT_JWKS_URL", url)


def check_key_url(key: str, url: str, what: str = "a JWK Set document") -> str:
    """``url`` if it is where keys may be fetched from: ``https://``, or ``http://`` on a
    loopback address; else :class:`InvalidConfigError` naming ``key``."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        host = None
        parts = urlsplit("")
    if host is None or parts.scheme not in ("https", "http") or parts.fragment:
        raise _invalid(key, url, f"an https:// URL of {what}")
    if parts.username is not None or parts.password is not None:
        raise InvalidConfigError(key, "holds credentials (user:password@); a JWK Set is public")
    if parts.scheme == "http" and not is_loopback_host(host):
        raise _invalid(
            key,
            url,
            "an https:// URL: keys fetched over plain http could be replaced by anyone on "
            "the way (http:// is accepted for loopback addresses only)",
        )
    return url


def read_jwks_route(lookup: ConfigLookup) -> str | None:
    route = read_text(lookup, "JWT_JWKS_ROUTE")
    if route is not None and (
        not route.startswith("/") or any(char.isspace() or char in "<>" for char in route)
    ):
        raise _invalid(
            "JWT_JWKS_ROUTE",
            route,
            'a URL path starting with / and without variables, like "/.well-known/jwks.json"',
        )
    return route


_REDIS_SCHEMES: Final = ("redis://", "rediss://", "unix://")


def read_redis_url(lookup: ConfigLookup) -> str | None:
    value = lookup("JWT_REVOCATION_REDIS_URL")
    if value is None:
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


# --- where tokens travel (:mod:`.transport`) ---------------------------------------------

_SAME_SITE: Final[Mapping[str, SameSite]] = {
    value.lower(): value for value in cast("tuple[SameSite, ...]", get_args(SameSite))
}
# RFC 6265 4.1.1 path-value: any CHAR but controls and ";", and a path starts with "/".
_PATH: Final = re.compile(r"/[\x21-\x3a\x3c-\x7e]*")
# A host name: labels of letters, digits and inner hyphens, joined by dots.
_DOMAIN: Final = re.compile(
    r"\.?[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)
# Flask-JWT-Extended's spellings of the locations, to point at ours.
_OTHER_SPELLINGS: Final[Mapping[str, Location]] = {
    "headers": "header",
    "cookie": "cookies",
    "query_string": "query",
    "body": "json",
}


def read_http_token(lookup: ConfigLookup, key: str, default: str, what: str) -> str:
    """A cookie or header name: an RFC 9110 token."""
    value = read_text_or(lookup, key, default)
    if not is_http_token(value):
        raise _invalid(
            key,
            value,
            f"a {what}: letters, digits and !#$%&'*+-.^_`|~ only (no spaces, quotes, commas, "
            "semicolons or '=')",
        )
    return value


def _read_words(lookup: ConfigLookup, key: str) -> tuple[str, ...] | None:
    """A list of names: a list, tuple or set of str, or one str separated by commas or
    spaces (as an environment variable holds it)."""
    value = lookup(key)
    if value is None:
        return None
    if isinstance(value, str):
        return tuple(word for word in re.split(r"[\s,]+", value) if word)
    if isinstance(value, (list, tuple, Set)):
        items = tuple(cast("list[object] | tuple[object, ...] | Set[object]", value))
        for item in items:
            if not isinstance(item, str):
                raise InvalidConfigError(key, f"holds {got(item)}; expected a list of str")
        return cast("tuple[str, ...]", items)
    raise _invalid(key, value, "a list of str, or a str of comma-separated names")


def _quoted(names: tuple[str, ...]) -> str:
    return ", ".join(repr(name) for name in names)


def read_locations(lookup: ConfigLookup) -> tuple[Location, ...]:
    key = "JWT_TOKEN_LOCATION"
    words = _read_words(lookup, key)
    if words is None:
        return ("header",)
    if not words:
        raise InvalidConfigError(key, "is empty; name at least one of " + _quoted(LOCATIONS))
    locations: list[Location] = []
    for word in words:
        location = parse_location(word)
        if location is None:
            lowered = word.lower()
            other = lowered if lowered in LOCATIONS else _OTHER_SPELLINGS.get(lowered)
            hint = f"; did you mean {other!r}?" if other is not None else ""
            raise InvalidConfigError(
                key, f"holds {word!r}, which is not a location: use {_quoted(LOCATIONS)}{hint}"
            )
        if location in locations:
            raise InvalidConfigError(key, f"names {location!r} twice; name each location once")
        locations.append(location)
    return tuple(locations)


def read_methods(lookup: ConfigLookup) -> frozenset[str]:
    key = "JWT_CSRF_METHODS"
    words = _read_words(lookup, key)
    if words is None:
        return DEFAULT_CSRF_METHODS
    if not words:
        raise InvalidConfigError(
            key,
            "is empty, which would never check the CSRF header; to turn the check off, set "
            "JWT_CSRF_PROTECT = False (see the CSRF section of the docs first)",
        )
    for word in words:
        if not is_http_token(word):
            raise InvalidConfigError(key, f"holds {word!r}, which is not an HTTP method name")
    return frozenset(word.upper() for word in words)


def read_same_site(lookup: ConfigLookup) -> SameSite:
    key = "JWT_COOKIE_SAMESITE"
    value = lookup(key)
    if value is None:
        return "Lax"
    same_site = _SAME_SITE.get(value.lower()) if isinstance(value, str) else None
    if same_site is None:
        raise _invalid(key, value, "'Strict', 'Lax' or 'None' (a str)")
    return same_site


def read_path(lookup: ConfigLookup, key: str) -> str:
    value = read_text_or(lookup, key, "/")
    if not _PATH.fullmatch(value):
        raise _invalid(key, value, "a URL path starting with '/', without spaces or ';'")
    return value


def read_domain(lookup: ConfigLookup) -> str | None:
    key = "JWT_COOKIE_DOMAIN"
    value = lookup(key)
    if value is None:
        return None
    if not isinstance(value, str) or not _DOMAIN.fullmatch(value):
        raise _invalid(
            key,
            value,
            "a host name such as 'example.com' (no scheme, port or path), or leave it unset "
            "for host-only cookies",
        )
    return value
