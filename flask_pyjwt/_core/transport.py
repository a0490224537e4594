"""Where tokens travel: the request locations, the cookies and the CSRF settings.

The ``JWT_*`` keys of this concern are read here into a frozen
:class:`TransportSettings` (a field of :class:`~flask_pyjwt._core.config.Settings`). Every value is
checked at ``init_app``: a cookie name a browser would not send back, a ``SameSite=None``
cookie without ``Secure`` (which browsers drop), a ``__Host-`` cookie with a ``Domain``
or a path (which browsers refuse) are configuration errors, not cookies that silently
never arrive. No Flask here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Set
from dataclasses import dataclass
from typing import Final, Literal, TypeAlias, cast, get_args

from .errors import InvalidConfigError

Location: TypeAlias = Literal["header", "cookies", "query", "json"]
"""Where a request may carry its token: the ``Authorization: Bearer`` header, a cookie, a
query string parameter, or a member of a JSON body."""

LOCATIONS: Final = cast("tuple[Location, ...]", get_args(Location))
"""Every location, in the order the docs list them."""

_BY_NAME: Final[Mapping[str, Location]] = {name: name for name in LOCATIONS}


def parse_location(value: object) -> Location | None:
    """The :data:`Location` spelled ``value`` exactly, or ``None``."""
    return _BY_NAME.get(value) if isinstance(value, str) else None


SameSite: TypeAlias = Literal["Strict", "Lax", "None"]
"""The ``SameSite`` attribute of the token cookies."""

_SAME_SITE: Final[Mapping[str, SameSite]] = {
    value.lower(): value for value in cast("tuple[SameSite, ...]", get_args(SameSite))
}

DEFAULT_CSRF_METHODS: Final = frozenset({"POST", "PUT", "PATCH", "DELETE"})
"""The methods on which a token read from a cookie needs its CSRF header."""

# RFC 9110 5.6.2 token: a header name, a method, or (RFC 6265 4.1.1) a cookie name.
_TOKEN: Final = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
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

TRANSPORT_CONFIG_KEYS: Final = (
    "JWT_TOKEN_LOCATION",
    "JWT_AUTH_COOKIE",
    "JWT_REFRESH_COOKIE",
    "JWT_AUTH_CSRF_COOKIE",
    "JWT_REFRESH_CSRF_COOKIE",
    "JWT_COOKIE_SECURE",
    "JWT_COOKIE_SAMESITE",
    "JWT_COOKIE_DOMAIN",
    "JWT_AUTH_COOKIE_PATH",
    "JWT_REFRESH_COOKIE_PATH",
    "JWT_CSRF_PROTECT",
    "JWT_CSRF_METHODS",
    "JWT_CSRF_HEADER",
    "JWT_QUERY_PARAM",
    "JWT_AUTH_JSON_KEY",
    "JWT_REFRESH_JSON_KEY",
)
"""The configuration keys read here (part of :data:`~flask_pyjwt._core.config.CONFIG_KEYS`)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TransportSettings:
    """Where an app's tokens travel, and how its cookies are written: checked values of
    the ``JWT_*`` keys named below (see the configuration reference for each).

    Attributes:
        locations: ``JWT_TOKEN_LOCATION``: where a route that names no ``location``
            reads its token, in the order tried.
        auth_cookie: ``JWT_AUTH_COOKIE``: the auth token's cookie.
        refresh_cookie: ``JWT_REFRESH_COOKIE``: the refresh token's cookie.
        auth_csrf_cookie: ``JWT_AUTH_CSRF_COOKIE``: the readable cookie holding the
            auth token's CSRF value.
        refresh_csrf_cookie: ``JWT_REFRESH_CSRF_COOKIE``: the same for the refresh token.
        cookie_secure: ``JWT_COOKIE_SECURE``: the cookies carry ``Secure``.
        cookie_samesite: ``JWT_COOKIE_SAMESITE``: their ``SameSite`` attribute.
        cookie_domain: ``JWT_COOKIE_DOMAIN``: their ``Domain`` (``None``: host-only).
        auth_cookie_path: ``JWT_AUTH_COOKIE_PATH``: the auth token cookie's ``Path``.
        refresh_cookie_path: ``JWT_REFRESH_COOKIE_PATH``: the refresh token cookie's
            ``Path`` (the CSRF cookies always have ``Path=/``).
        csrf_protect: ``JWT_CSRF_PROTECT``: a token read from a cookie needs its CSRF
            header on :attr:`csrf_methods`.
        csrf_methods: ``JWT_CSRF_METHODS``: the request methods that need it.
        csrf_header: ``JWT_CSRF_HEADER``: the request header that carries it.
        query_param: ``JWT_QUERY_PARAM``: the query string parameter of the token.
        auth_json_key: ``JWT_AUTH_JSON_KEY``: the JSON body member of an auth token.
        refresh_json_key: ``JWT_REFRESH_JSON_KEY``: that of a refresh token.
    """

    locations: tuple[Location, ...] = ("header",)
    auth_cookie: str = "auth_token"
    refresh_cookie: str = "refresh_token"
    auth_csrf_cookie: str = "csrf_auth_token"
    refresh_csrf_cookie: str = "csrf_refresh_token"
    cookie_secure: bool = True
    cookie_samesite: SameSite = "Lax"
    cookie_domain: str | None = None
    auth_cookie_path: str = "/"
    refresh_cookie_path: str = "/"
    csrf_protect: bool = True
    csrf_methods: frozenset[str] = DEFAULT_CSRF_METHODS
    csrf_header: str = "X-CSRF-Token"
    query_param: str = "jwt"
    auth_json_key: str = "auth_token"
    refresh_json_key: str = "refresh_token"


def is_http_token(text: str) -> bool:
    """Whether ``text`` is an RFC 9110 token: a valid header, method or cookie name."""
    return _TOKEN.fullmatch(text) is not None


def _described(value: object) -> str:
    return f"{type(value).__name__} {value!r}"


def _text(lookup: Callable[[str], object], key: str, default: str) -> str:
    value = lookup(key)
    if value is None:
        return default
    if not isinstance(value, str) or not value:
        raise InvalidConfigError(key, f"got {_described(value)}; expected a non-empty str")
    return value


def _token(lookup: Callable[[str], object], key: str, default: str, what: str) -> str:
    value = _text(lookup, key, default)
    if not _TOKEN.fullmatch(value):
        raise InvalidConfigError(
            key,
            f"got {value!r}; expected a {what}: letters, digits and !#$%&'*+-.^_`|~ only "
            "(no spaces, quotes, commas, semicolons or '=')",
        )
    return value


def _flag(lookup: Callable[[str], object], key: str, default: bool) -> bool:
    value = lookup(key)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"1", "true", "yes", "0", "false", "no"}:
        return value.lower() in {"1", "true", "yes"}
    raise InvalidConfigError(key, f"got {_described(value)}; expected True or False")


def _words(lookup: Callable[[str], object], key: str) -> tuple[str, ...] | None:
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
                raise InvalidConfigError(key, f"holds {_described(item)}; expected a list of str")
        return cast("tuple[str, ...]", items)
    raise InvalidConfigError(
        key, f"got {_described(value)}; expected a list of str, or a str of comma-separated names"
    )


def _locations(lookup: Callable[[str], object]) -> tuple[Location, ...]:
    key = "JWT_TOKEN_LOCATION"
    words = _words(lookup, key)
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


def _quoted(names: tuple[str, ...]) -> str:
    return ", ".join(repr(name) for name in names)


def _methods(lookup: Callable[[str], object]) -> frozenset[str]:
    key = "JWT_CSRF_METHODS"
    words = _words(lookup, key)
    if words is None:
        return DEFAULT_CSRF_METHODS
    if not words:
        raise InvalidConfigError(
            key,
            "is empty, which would never check the CSRF header; to turn the check off, set "
            "JWT_CSRF_PROTECT = False (see the CSRF section of the docs first)",
        )
    for word in words:
        if not _TOKEN.fullmatch(word):
            raise InvalidConfigError(key, f"holds {word!r}, which is not an HTTP method name")
    return frozenset(word.upper() for word in words)


def _same_site(lookup: Callable[[str], object]) -> SameSite:
    key = "JWT_COOKIE_SAMESITE"
    value = lookup(key)
    if value is None:
        return "Lax"
    same_site = _SAME_SITE.get(value.lower()) if isinstance(value, str) else None
    if same_site is None:
        raise InvalidConfigError(
            key, f"got {_described(value)}; expected 'Strict', 'Lax' or 'None' (a str)"
        )
    return same_site


def _path(lookup: Callable[[str], object], key: str) -> str:
    value = _text(lookup, key, "/")
    if not _PATH.fullmatch(value):
        raise InvalidConfigError(
            key, f"got {value!r}; expected a URL path starting with '/', without spaces or ';'"
        )
    return value


def _domain(lookup: Callable[[str], object]) -> str | None:
    key = "JWT_COOKIE_DOMAIN"
    value = lookup(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _DOMAIN.fullmatch(value):
        raise InvalidConfigError(
            key,
            f"got {_described(value)}; expected a host name such as 'example.com' (no "
            "scheme, port or path), or leave it unset for host-only cookies",
        )
    return value


def _check_prefixes(settings: TransportSettings, cookie_keys: Mapping[str, str]) -> None:
    """Browsers refuse a ``__Secure-`` cookie without ``Secure`` and a ``__Host-`` cookie
    without ``Secure``, with a ``Domain``, or with a path other than ``/``."""
    paths = {
        settings.auth_cookie: settings.auth_cookie_path,
        settings.refresh_cookie: settings.refresh_cookie_path,
        settings.auth_csrf_cookie: "/",
        settings.refresh_csrf_cookie: "/",
    }
    for name, key in cookie_keys.items():
        lowered = name.lower()
        if lowered.startswith(("__secure-", "__host-")) and not settings.cookie_secure:
            raise InvalidConfigError(
                key,
                f"{name!r} has a prefix browsers accept only on Secure cookies, but "
                "JWT_COOKIE_SECURE is False; drop the prefix for plain-http development",
            )
        if lowered.startswith("__host-"):
            if settings.cookie_domain is not None:
                raise InvalidConfigError(
                    key,
                    f"{name!r}: browsers refuse a __Host- cookie with a Domain, and "
                    "JWT_COOKIE_DOMAIN is set; unset it or drop the prefix",
                )
            if paths[name] != "/":
                raise InvalidConfigError(
                    key,
                    f"{name!r}: browsers refuse a __Host- cookie whose Path is not '/', and "
                    f"its path is {paths[name]!r}; set the path to '/' or drop the prefix",
                )


def load_transport_settings(lookup: Callable[[str], object]) -> TransportSettings:
    """Read and check every ``JWT_*`` key of :class:`TransportSettings`.

    Raises:
        InvalidConfigError: a value has the wrong type or would not work in a browser.
    """
    cookie_keys: dict[str, str] = {}
    names: dict[str, str] = {}
    for key, default in (
        ("JWT_AUTH_COOKIE", "auth_token"),
        ("JWT_REFRESH_COOKIE", "refresh_token"),
        ("JWT_AUTH_CSRF_COOKIE", "csrf_auth_token"),
        ("JWT_REFRESH_CSRF_COOKIE", "csrf_refresh_token"),
    ):
        name = _token(lookup, key, default, "cookie name")
        if name in cookie_keys:
            raise InvalidConfigError(
                key,
                f"{name!r} is also the name of {cookie_keys[name]}; each cookie needs a "
                "name of its own (one would overwrite the other)",
            )
        cookie_keys[name] = key
        names[key] = name
    secure = _flag(lookup, "JWT_COOKIE_SECURE", True)
    same_site = _same_site(lookup)
    if same_site == "None" and not secure:
        raise InvalidConfigError(
            "JWT_COOKIE_SAMESITE",
            "is 'None' but JWT_COOKIE_SECURE is False: browsers drop SameSite=None cookies "
            "that are not Secure; use 'Lax' for plain-http development",
        )
    settings = TransportSettings(
        locations=_locations(lookup),
        auth_cookie=names["JWT_AUTH_COOKIE"],
        refresh_cookie=names["JWT_REFRESH_COOKIE"],
        auth_csrf_cookie=names["JWT_AUTH_CSRF_COOKIE"],
        refresh_csrf_cookie=names["JWT_REFRESH_CSRF_COOKIE"],
        cookie_secure=secure,
        cookie_samesite=same_site,
        cookie_domain=_domain(lookup),
        auth_cookie_path=_path(lookup, "JWT_AUTH_COOKIE_PATH"),
        refresh_cookie_path=_path(lookup, "JWT_REFRESH_COOKIE_PATH"),
        csrf_protect=_flag(lookup, "JWT_CSRF_PROTECT", True),
        csrf_methods=_methods(lookup),
        csrf_header=_token(lookup, "JWT_CSRF_HEADER", "X-CSRF-Token", "header name"),
        query_param=_text(lookup, "JWT_QUERY_PARAM", "jwt"),
        auth_json_key=_text(lookup, "JWT_AUTH_JSON_KEY", "auth_token"),
        refresh_json_key=_text(lookup, "JWT_REFRESH_JSON_KEY", "refresh_token"),
    )
    _check_prefixes(settings, cookie_keys)
    return settings
