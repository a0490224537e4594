"""Configuration: ``JWT_*`` keys read once into a frozen :class:`Settings`. No Flask here.

Each key is looked up in ``app.config`` first, then in the process environment, then in
the optional ``.env`` file (read at ``init_app``, never at import, never written into
``os.environ``). Every missing or malformed value is reported with the key, the type
received and what is accepted; secret values are never echoed.
"""

from __future__ import annotations

import ipaddress
import os
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Final, cast
from urllib.parse import quote, urlsplit

from .algorithms import AuthType, parse_auth_type
from .errors import (
    IgnoredConfigWarning,
    InvalidConfigError,
    MissingConfigError,
)
from .hints import closest_name, warn_at_caller
from .jwk import JWK, bind, has_private_members, jwk_object, key_set_members, parse_jwk
from .jws import DEFAULT_MAX_TOKEN_LENGTH
from .keys import KeyMaterial, KeyMaterialError, hmac_secret, is_key_material
from .signing import (
    KeySetVerifier,
    KeySigner,
    KeyVerifier,
    Signer,
    Verifier,
    configured_signer,
)
from .strict_json import FrozenJSONObject
from .transport import TRANSPORT_CONFIG_KEYS, TransportSettings, load_transport_settings
from .verify_cache import DEFAULT_VERIFY_CACHE_SIZE

DEFAULT_AUTH_MAX_AGE: Final = 3600
"""Default ``JWT_AUTHMAXAGE``: one hour."""

DEFAULT_REFRESH_MAX_AGE: Final = 604800
"""Default ``JWT_REFRESHMAXAGE``: one week."""

DEFAULT_REVOCATION_PREFIX: Final = "flask_pyjwt:"
"""The start of every default Redis key prefix (and the whole default of a
``RedisRevocationStore`` made by hand); ``JWT_REVOCATION_PREFIX`` adds the issuer."""

FOREIGN_TOKEN_HORIZON: Final = 86400
"""Default ``JWT_REVOCATION_HORIZON`` floor, one day, for an app that accepts tokens it
does not issue (verify-only, or an identity provider's), whose lifetimes its own
``JWT_AUTHMAXAGE``/``JWT_REFRESHMAXAGE`` do not bound."""


def default_revocation_prefix(issuer: str) -> str:
    """Default ``JWT_REVOCATION_PREFIX``: ``flask_pyjwt:<issuer>:``, the issuer
    percent-encoded (no ``:`` of its own), so apps with different issuers on one Redis
    never share revocations."""
    return f"{DEFAULT_REVOCATION_PREFIX}{quote(issuer, safe='')}:"


CONFIG_KEYS: Final = (
    "JWT_ISSUER",
    "JWT_AUTHTYPE",
    "JWT_SECRET",
    "JWT_PUBLICKEY",
    "JWT_AUTHMAXAGE",
    "JWT_REFRESHMAXAGE",
    "JWT_AUDIENCE",
    "JWT_LEEWAY",
    "JWT_MAXTOKENLENGTH",
    "JWT_KEYID",
    "JWT_REQUIRESTRONGSECRET",
    "JWT_ACCEPT_LEGACY_TOKENS",
    "JWT_REVOCATION_REDIS_URL",
    "JWT_REVOCATION_PREFIX",
    "JWT_REVOCATION_FAIL_OPEN",
    "JWT_REVOCATION_HORIZON",
    "JWT_JWKS_ROUTE",
    "JWT_JWKS_URL",
    "JWT_JWKS_MIN_REFRESH",
    "JWT_JWKS_MAX_CACHE",
    "JWT_JWKS_TIMEOUT",
    "JWT_REQUIRE_AT_JWT",
    "JWT_VERIFY_CACHE_SIZE",
    *TRANSPORT_CONFIG_KEYS,
)
"""Every configuration key the library reads."""

DEFAULT_JWKS_MIN_REFRESH: Final = 60
"""Default ``JWT_JWKS_MIN_REFRESH``: at most one refetch a minute for an unknown ``kid``."""

DEFAULT_JWKS_MAX_CACHE: Final = 3600
"""Default ``JWT_JWKS_MAX_CACHE``: an identity provider's keys are refreshed hourly at least."""

DEFAULT_JWKS_TIMEOUT: Final = 5
"""Default ``JWT_JWKS_TIMEOUT``: seconds a JWKS fetch may wait on the network."""

_MAX_JWKS_TIMEOUT: Final = 60


FLASK_JWT_EXTENDED_KEYS: Final[Mapping[str, str]] = {
    "JWT_SECRET_KEY": "JWT_SECRET",
    "JWT_PRIVATE_KEY": "JWT_SECRET",
    "JWT_PUBLIC_KEY": "JWT_PUBLICKEY",
    "JWT_ALGORITHM": "JWT_AUTHTYPE",
    "JWT_DECODE_ALGORITHMS": "JWT_AUTHTYPE",
    "JWT_ACCESS_TOKEN_EXPIRES": "JWT_AUTHMAXAGE",
    "JWT_REFRESH_TOKEN_EXPIRES": "JWT_REFRESHMAXAGE",
    "JWT_ENCODE_ISSUER": "JWT_ISSUER",
    "JWT_DECODE_ISSUER": "JWT_ISSUER",
    "JWT_ENCODE_AUDIENCE": "JWT_AUDIENCE",
    "JWT_DECODE_AUDIENCE": "JWT_AUDIENCE",
    "JWT_DECODE_LEEWAY": "JWT_LEEWAY",
    "JWT_ACCESS_COOKIE_NAME": "JWT_AUTH_COOKIE",
    "JWT_REFRESH_COOKIE_NAME": "JWT_REFRESH_COOKIE",
    "JWT_ACCESS_COOKIE_PATH": "JWT_AUTH_COOKIE_PATH",
    "JWT_ACCESS_CSRF_COOKIE_NAME": "JWT_AUTH_CSRF_COOKIE",
    "JWT_REFRESH_CSRF_COOKIE_NAME": "JWT_REFRESH_CSRF_COOKIE",
    "JWT_COOKIE_CSRF_PROTECT": "JWT_CSRF_PROTECT",
    "JWT_ACCESS_CSRF_HEADER_NAME": "JWT_CSRF_HEADER",
    "JWT_REFRESH_CSRF_HEADER_NAME": "JWT_CSRF_HEADER",
    "JWT_QUERY_STRING_NAME": "JWT_QUERY_PARAM",
    "JWT_JSON_KEY": "JWT_AUTH_JSON_KEY",
    "JWT_CSRF_IN_COOKIES": "here, always on: set_token_cookies writes the CSRF cookies",
    "JWT_SESSION_COOKIE": "here, always off: token cookies last as long as their token",
}
"""Flask-JWT-Extended settings, each with the flask_pyjwt key (or way) that does its job.

Only consulted for keys not in :data:`CONFIG_KEYS`: once flask_pyjwt reads a key of the
same name, it is no longer unknown."""

_KEY_PREFIX: Final = "JWT_"


def _unknown_key_message(key: str, known: tuple[str, ...]) -> str:
    """What to tell about a ``JWT_*`` key that is not in ``known`` (never its value)."""
    equivalent = FLASK_JWT_EXTENDED_KEYS.get(key.upper())
    if equivalent is not None:
        hint = f"did you mean {equivalent}?" if equivalent in known else equivalent
        return f"{key}: is a Flask-JWT-Extended setting, which flask_pyjwt does not read; {hint}"
    close = closest_name(key, known)
    if close is not None:
        return f"{key}: is not a flask_pyjwt setting and is ignored; did you mean {close}?"
    return (
        f"{key}: is not a flask_pyjwt setting and is ignored "
        "(the Configuration page of the docs lists the settings)"
    )


def warn_unknown_keys(app_config_keys: Iterable[object]) -> None:
    """Warn (:class:`IgnoredConfigWarning`) about each ``JWT_*`` key not in CONFIG_KEYS.

    Keys are compared case-sensitively (Flask's config is), but a lower-case ``jwt_...``
    key is reported too. The known keys are read from :data:`CONFIG_KEYS` on every call,
    so a key added there is known everywhere.
    """
    known = CONFIG_KEYS
    for key in sorted(key for key in app_config_keys if isinstance(key, str)):
        if key.upper().startswith(_KEY_PREFIX) and key not in known:
            warn_at_caller(_unknown_key_message(key, known), IgnoredConfigWarning)


DEFAULT_TRANSPORT: Final = TransportSettings()
"""Where tokens travel when nothing is configured (a frozen value: safe to share)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """The parsed, validated configuration of one app. Holds no secret.

    Attributes:
        issuer: ``JWT_ISSUER``, the ``iss`` of issued tokens and the only one accepted.
        algorithm: ``JWT_AUTHTYPE`` (``None`` when a custom signer and verifier are used
            and no algorithm is configured).
        auth_max_age: ``JWT_AUTHMAXAGE``, seconds an auth token is valid (a
            :class:`~datetime.timedelta` in the configuration is read as its seconds).
        refresh_max_age: ``JWT_REFRESHMAXAGE``, seconds a refresh token is valid.
        audience: ``JWT_AUDIENCE``, required in tokens when set.
        leeway: ``JWT_LEEWAY``, seconds of tolerated clock skew (a
            :class:`~datetime.timedelta` in the configuration is read as its seconds).
        max_token_length: ``JWT_MAXTOKENLENGTH``, longest token accepted, in characters.
        key_id: ``JWT_KEYID``, the ``kid`` put on issued tokens.
        require_strong_secret: ``JWT_REQUIRESTRONGSECRET``: a short HMAC secret is an
            error instead of a warning.
        accept_legacy_tokens: ``JWT_ACCEPT_LEGACY_TOKENS``: also accept tokens in the
            Flask_PyJWT 1.x format (``typ`` ``JWT`` or none, no ``jti``) during an upgrade.
        revocation_redis_url: ``JWT_REVOCATION_REDIS_URL``: keep revocations in this Redis
            (when no store is given to the manager). Not in ``repr``: it may hold a
            password.
        revocation_prefix: ``JWT_REVOCATION_PREFIX``, the Redis key prefix (by default
            ``flask_pyjwt:<issuer>:``).
        revocation_horizon: ``JWT_REVOCATION_HORIZON``, seconds a session or subject
            revocation is kept (leeway added); ``None``: the app's longest token lifetime,
            at least a day for tokens it does not issue (verify-only, identity provider).
        revocation_fail_open: ``JWT_REVOCATION_FAIL_OPEN``: accept tokens when the
            revocation store does not answer (logging a warning each time) instead of
            answering 503.
        algorithms: every algorithm of ``JWT_AUTHTYPE``, the first being
            :attr:`algorithm` (several only for a verify-only app whose keys come as a
            JWK Set).
        jwks_route: ``JWT_JWKS_ROUTE``, the path that serves :meth:`AuthManager.jwks`.
        jwks_url: ``JWT_JWKS_URL``, the identity provider's JWK Set: tokens are its
            access tokens, verified with the keys fetched from there.
        jwks_min_refresh: ``JWT_JWKS_MIN_REFRESH``, the shortest time between two
            fetches of ``JWT_JWKS_URL`` for an unknown ``kid``, and the shortest time its
            keys are cached.
        jwks_max_cache: ``JWT_JWKS_MAX_CACHE``, the longest time its keys are cached.
        jwks_timeout: ``JWT_JWKS_TIMEOUT``, seconds one fetch may wait on the network.
        require_at_jwt: ``JWT_REQUIRE_AT_JWT``: identity provider tokens must be typed
            ``at+jwt`` (RFC 9068); ``JWT`` or no ``typ`` is refused.
        transport: where tokens travel (``JWT_TOKEN_LOCATION``), and the cookie and CSRF
            settings.
        verify_cache_size: ``JWT_VERIFY_CACHE_SIZE``, the most verified tokens kept for
            reuse (``0``: none).
    """

    issuer: str
    algorithm: AuthType | None
    auth_max_age: int = DEFAULT_AUTH_MAX_AGE
    refresh_max_age: int = DEFAULT_REFRESH_MAX_AGE
    audience: str | tuple[str, ...] | None = None
    leeway: int = 0
    max_token_length: int = DEFAULT_MAX_TOKEN_LENGTH
    key_id: str | None = None
    require_strong_secret: bool = False
    accept_legacy_tokens: bool = False
    algorithms: tuple[AuthType, ...] = ()
    jwks_route: str | None = None
    jwks_url: str | None = None
    jwks_min_refresh: int = DEFAULT_JWKS_MIN_REFRESH
    jwks_max_cache: int = DEFAULT_JWKS_MAX_CACHE
    jwks_timeout: int = DEFAULT_JWKS_TIMEOUT
    require_at_jwt: bool = False
    revocation_redis_url: str | None = field(default=None, repr=False)
    revocation_prefix: str = DEFAULT_REVOCATION_PREFIX
    revocation_fail_open: bool = False
    revocation_horizon: int | None = None
    transport: TransportSettings = DEFAULT_TRANSPORT
    verify_cache_size: int = DEFAULT_VERIFY_CACHE_SIZE

    @property
    def longest_max_age(self) -> int:
        """The longest configured token lifetime in seconds (revocations are kept that long)."""
        return max(self.auth_max_age, self.refresh_max_age)


def revocation_horizon(settings: Settings, *, issues: bool) -> int:
    """Seconds a session or subject revocation is kept (before leeway): the longest a
    token the app accepts can live. Never shorter than the longest configured lifetime:
    ``JWT_REVOCATION_HORIZON`` when set and longer; otherwise that lifetime for an app
    that ``issues`` the tokens it accepts (it issues none longer), and
    at least a day (``FOREIGN_TOKEN_HORIZON``) for one that accepts tokens issued elsewhere
    (verify-only, or an identity provider's), whose lifetimes it does not choose."""
    longest = settings.longest_max_age  # a horizon never shortens it
    if settings.revocation_horizon is not None:
        return max(settings.revocation_horizon, longest)
    if issues and settings.jwks_url is None:
        return longest  # the codec refuses to issue longer-lived tokens
    return max(longest, FOREIGN_TOKEN_HORIZON)


ConfigLookup = Callable[[str], object]
"""Returns a key's configured value, or ``None`` when it is not set anywhere."""


def layered_lookup(
    app_config: Mapping[str, object],
    *,
    environ: Mapping[str, str] | None = None,
    dotenv_path: str | os.PathLike[str] | None = None,
) -> ConfigLookup:
    """Look keys up in ``app_config``, then ``environ``, then the ``.env`` file.

    Raises:
        InvalidConfigError: the ``.env`` file was named but cannot be read.
    """
    env = os.environ if environ is None else environ
    dotenv: Mapping[str, str | None] = {}
    if dotenv_path is not None:
        path = Path(dotenv_path)
        if not path.is_file():
            raise InvalidConfigError("dotenv_path", f"{str(path)!r} is not a readable file")
        from dotenv import dotenv_values  # imported here: only apps that use .env pay for it

        dotenv = dotenv_values(path)

    def lookup(key: str) -> object:
        value = app_config.get(key)
        if value is not None:
            return value
        from_env = env.get(key)
        if from_env is not None:
            return from_env
        return dotenv.get(key)

    return lookup


def _describe(value: object) -> str:
    return type(value).__name__


def _string(lookup: ConfigLookup, key: str, *, required: bool) -> str | None:
    value = lookup(key)
    if value is None or value == "":
        if required:
            raise MissingConfigError(key)
        return None
    if not isinstance(value, str):
        raise InvalidConfigError(key, f"got {_describe(value)} {value!r}; expected a non-empty str")
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


_ONE_SECOND: Final = timedelta(seconds=1)


def whole_seconds(duration: timedelta) -> int | None:
    """``duration`` in seconds, or ``None`` if it is not a whole number of seconds."""
    seconds, remainder = divmod(duration, _ONE_SECOND)
    return None if remainder else seconds


def _whole_number(
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
        raise InvalidConfigError(key, f"got {_describe(value)} {value!r}; expected {accepted}")
    return number


def _flag(lookup: ConfigLookup, key: str) -> bool:
    value = lookup(key)
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"1", "true", "yes", "0", "false", "no"}:
        return value.lower() in {"1", "true", "yes"}
    raise InvalidConfigError(key, f"got {_describe(value)} {value!r}; expected True or False")


def _algorithms(lookup: ConfigLookup, *, required: bool) -> tuple[AuthType, ...]:
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


def _audience(lookup: ConfigLookup) -> str | tuple[str, ...] | None:
    value = lookup("JWT_AUDIENCE")
    if value is None or value == "":
        return None
    received = f"got {_describe(value)} {value!r}"
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
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name to resolve (or an address form ipaddress does not read)
        return False


def _jwks_url(lookup: ConfigLookup) -> str | None:
    url = _string(lookup, "JWT_JWKS_URL", required=False)
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


def _jwks_route(lookup: ConfigLookup) -> str | None:
    route = _string(lookup, "JWT_JWKS_ROUTE", required=False)
    if route is not None and (
        not route.startswith("/") or any(char.isspace() or char in "<>" for char in route)
    ):
        raise InvalidConfigError(
            "JWT_JWKS_ROUTE",
            f"got {route!r}; expected a URL path starting with / and without variables, "
            'like "/.well-known/jwks.json"',
        )
    return route


def load_settings(lookup: ConfigLookup, *, algorithm_required: bool = True) -> Settings:
    """Read and validate every non-key setting.

    Raises:
        MissingConfigError: ``JWT_ISSUER`` (or ``JWT_AUTHTYPE``) is not set, or
            ``JWT_AUDIENCE`` with ``JWT_JWKS_URL``.
        InvalidConfigError: a value has the wrong type or range.
    """
    issuer = _string(lookup, "JWT_ISSUER", required=True)
    assert issuer is not None
    algorithms = _algorithms(lookup, required=algorithm_required)
    jwks_url = _jwks_url(lookup)
    audience = _audience(lookup)
    if jwks_url is not None and audience is None:
        raise MissingConfigError(
            "JWT_AUDIENCE",
            "is required with JWT_JWKS_URL: an identity provider's access tokens are for "
            "several APIs, and RFC 9068 4 makes checking aud mandatory. Set it to this API's "
            "identifier as the provider puts it in aud (Auth0: the API identifier; Keycloak: "
            "the client id an audience mapper adds)",
        )
    min_refresh = _whole_number(lookup, "JWT_JWKS_MIN_REFRESH", DEFAULT_JWKS_MIN_REFRESH, minimum=1)
    max_cache = _whole_number(lookup, "JWT_JWKS_MAX_CACHE", DEFAULT_JWKS_MAX_CACHE, minimum=1)
    if max_cache < min_refresh:
        raise InvalidConfigError(
            "JWT_JWKS_MAX_CACHE",
            f"is {max_cache} seconds, shorter than JWT_JWKS_MIN_REFRESH ({min_refresh}); "
            "expected at least that",
        )
    timeout = _whole_number(lookup, "JWT_JWKS_TIMEOUT", DEFAULT_JWKS_TIMEOUT, minimum=1)
    if timeout > _MAX_JWKS_TIMEOUT:
        raise InvalidConfigError(
            "JWT_JWKS_TIMEOUT",
            f"got {timeout}; expected a whole number from 1 to {_MAX_JWKS_TIMEOUT} (seconds): "
            "a request waits on the fetch",
        )
    return Settings(
        issuer=issuer,
        algorithm=algorithms[0] if algorithms else None,
        algorithms=algorithms,
        auth_max_age=_whole_number(
            lookup, "JWT_AUTHMAXAGE", DEFAULT_AUTH_MAX_AGE, minimum=1, duration=True
        ),
        refresh_max_age=_whole_number(
            lookup, "JWT_REFRESHMAXAGE", DEFAULT_REFRESH_MAX_AGE, minimum=1, duration=True
        ),
        audience=audience,
        leeway=_whole_number(lookup, "JWT_LEEWAY", 0, minimum=0, duration=True),
        max_token_length=_whole_number(
            lookup, "JWT_MAXTOKENLENGTH", DEFAULT_MAX_TOKEN_LENGTH, minimum=64, unit="characters"
        ),
        key_id=_string(lookup, "JWT_KEYID", required=False),
        require_strong_secret=_flag(lookup, "JWT_REQUIRESTRONGSECRET"),
        accept_legacy_tokens=_flag(lookup, "JWT_ACCEPT_LEGACY_TOKENS"),
        revocation_redis_url=_redis_url(lookup),
        revocation_prefix=_string(lookup, "JWT_REVOCATION_PREFIX", required=False)
        or default_revocation_prefix(issuer),
        revocation_fail_open=_flag(lookup, "JWT_REVOCATION_FAIL_OPEN"),
        revocation_horizon=_whole_number(
            lookup, "JWT_REVOCATION_HORIZON", 0, minimum=1, duration=True
        )
        or None,
        jwks_route=_jwks_route(lookup),
        jwks_url=jwks_url,
        jwks_min_refresh=min_refresh,
        jwks_max_cache=max_cache,
        jwks_timeout=timeout,
        require_at_jwt=_flag(lookup, "JWT_REQUIRE_AT_JWT"),
        transport=load_transport_settings(lookup),
        verify_cache_size=_whole_number(
            lookup, "JWT_VERIFY_CACHE_SIZE", DEFAULT_VERIFY_CACHE_SIZE, minimum=0, unit="tokens"
        ),
    )


_REDIS_SCHEMES: Final = ("redis://", "rediss://", "unix://")


def _redis_url(lookup: ConfigLookup) -> str | None:
    value = lookup("JWT_REVOCATION_REDIS_URL")
    if value is None or value == "":
        return None
    # Never echo the value: a Redis URL may carry a password.
    if not isinstance(value, str):
        raise InvalidConfigError(
            "JWT_REVOCATION_REDIS_URL", f"got {_describe(value)}; expected a str URL"
        )
    if not value.startswith(_REDIS_SCHEMES):
        raise InvalidConfigError(
            "JWT_REVOCATION_REDIS_URL",
            "expected a URL starting with redis://, rediss:// or unix:// "
            "(like redis://127.0.0.1:6379/0)",
        )
    return value


def _key_error(key: str, error: KeyMaterialError | ValueError) -> InvalidConfigError:
    detail = error.detail if isinstance(error, KeyMaterialError) else str(error)
    return InvalidConfigError(key, detail)


_SIGNING_KEY_PLACES: Final = (
    "app.config['JWT_SECRET'], the JWT_SECRET environment variable or a JWT_SECRET line "
    "in the .env file (AuthManager(dotenv_path=...))"
)


def signing_key_configured(lookup: ConfigLookup) -> bool:
    """Whether ``JWT_SECRET`` is set (to anything) anywhere ``lookup`` looks."""
    return lookup("JWT_SECRET") not in (None, "", b"")


def _key_material(lookup: ConfigLookup, key: str) -> KeyMaterial | Mapping[str, object] | None:
    value = lookup(key)
    if value is None or value in ("", b""):
        return None
    if isinstance(value, Mapping):
        return cast("Mapping[str, object]", value)
    if not is_key_material(value):
        raise InvalidConfigError(
            key,
            f"got {_describe(value)}; expected PEM text (str or bytes), a JWK (JSON text or a "
            "mapping) or a cryptography key",
        )
    return value


def _jwk_document(key: str, material: object) -> FrozenJSONObject | None:
    try:
        return jwk_object(material)
    except KeyMaterialError as error:
        raise _key_error(key, error) from None


@dataclass(frozen=True, slots=True)
class JWKKey:
    """A configured JWK and the ``kid`` it answers to (``None``: derived from the key)."""

    jwk: JWK
    kid: str | None


def _signing_jwk(document: FrozenJSONObject, algorithm: AuthType, key_id: str | None) -> JWKKey:
    """``JWT_SECRET`` given as a JWK: its key, bound to ``algorithm``, and its ``kid``."""
    try:
        if key_set_members(document) is not None:
            raise KeyMaterialError(
                "is a JWK Set; JWT_SECRET is the one key that signs: give that JWK alone "
                "(the keys that verify go in JWT_PUBLICKEY)"
            )
        jwk = parse_jwk(document)
        if not jwk.is_private:
            raise KeyMaterialError(
                f"is a public {jwk.kty} JWK; signing with {algorithm.value} needs the private "
                "key (its 'd' member); a verify-only service sets JWT_PUBLICKEY instead"
            )
        bind(jwk, (algorithm,), "sign")
    except KeyMaterialError as error:
        raise _key_error("JWT_SECRET", error) from None
    if key_id is not None and jwk.kid is not None and key_id != jwk.kid:
        raise InvalidConfigError(
            "JWT_KEYID",
            f"is {key_id!r}, but the JWK in JWT_SECRET has kid {jwk.kid!r}; set one of them",
        )
    return JWKKey(jwk=jwk, kid=key_id or jwk.kid)


def _verification_jwks(
    document: FrozenJSONObject, algorithms: tuple[AuthType, ...], key_id: str | None
) -> list[KeyVerifier]:
    """``JWT_PUBLICKEY`` given as a JWK or a JWK Set: one verifier per key."""
    members = key_set_members_or_error(document)
    single = members is None
    objects = (document,) if members is None else members
    if not objects:
        raise InvalidConfigError("JWT_PUBLICKEY", "is a JWK Set without keys")
    verifiers: list[KeyVerifier] = []
    for index, obj in enumerate(objects):
        where = "is a JWK that" if single else f"holds a JWK (keys[{index}]) that"
        if has_private_members(obj):
            raise InvalidConfigError(
                "JWT_PUBLICKEY",
                f"{where} carries private or secret key material; it must hold public keys "
                "only (a JWK Set is published: drop 'd', 'p', 'q', 'dp', 'dq', 'qi', 'k')",
            )
        try:
            jwk = parse_jwk(obj)
            algorithm = bind(jwk, algorithms, "verify")
        except KeyMaterialError as error:
            prefix = "" if single else f"keys[{index}] "
            raise InvalidConfigError("JWT_PUBLICKEY", f"{prefix}{error.detail}") from None
        assert jwk.public is not None
        kid = jwk.kid or (key_id if single else None)
        if single and key_id is not None and jwk.kid is not None and key_id != jwk.kid:
            raise InvalidConfigError(
                "JWT_KEYID",
                f"is {key_id!r}, but the JWK in JWT_PUBLICKEY has kid {jwk.kid!r}; set one of them",
            )
        verifiers.append(KeyVerifier(algorithm, jwk.public, key_id=kid))
    seen: set[str] = set()
    for verifier in verifiers:
        if verifier.key_id in seen:
            raise InvalidConfigError(
                "JWT_PUBLICKEY", f"holds two keys with kid {verifier.key_id!r}; kids must be unique"
            )
        seen.add(verifier.key_id)
    return verifiers


def key_set_members_or_error(document: FrozenJSONObject) -> tuple[FrozenJSONObject, ...] | None:
    """:func:`key_set_members`, its error as ``JWT_PUBLICKEY``'s."""
    try:
        return key_set_members(document)
    except KeyMaterialError as error:
        raise _key_error("JWT_PUBLICKEY", error) from None


def _check_several_algorithms(settings: Settings, secret: object, public: object) -> None:
    if len(settings.algorithms) < 2 or settings.jwks_url is not None:
        return
    if secret is None and public is not None and jwk_object_quiet(public) is not None:
        return
    raise InvalidConfigError(
        "JWT_AUTHTYPE",
        f"lists {len(settings.algorithms)} algorithms, which only a verify-only app whose keys "
        "come as a JWK Set (JWT_JWKS_URL, or a JWK Set in JWT_PUBLICKEY without JWT_SECRET) "
        "accepts, each key bound to one by its alg; an app that issues tokens signs with one",
    )


def jwk_object_quiet(material: object) -> FrozenJSONObject | None:
    """:func:`jwk_object`, or ``None`` where it would raise."""
    try:
        return jwk_object(material)
    except KeyMaterialError:
        return None


def _remote_key_set(
    lookup: ConfigLookup, settings: Settings, url: str, clock: Callable[[], float] | None
) -> Verifier:
    for key in ("JWT_SECRET", "JWT_PUBLICKEY"):
        if lookup(key) not in (None, "", b""):
            raise InvalidConfigError(
                key,
                "is set with JWT_JWKS_URL, which makes this app verify the identity "
                "provider's tokens with the keys it publishes (and issue none); remove "
                f"{key}, or JWT_JWKS_URL",
            )
    if any(algorithm.is_symmetric for algorithm in settings.algorithms):
        raise InvalidConfigError(
            "JWT_AUTHTYPE",
            "is an HS* algorithm, but JWT_JWKS_URL publishes public keys; set the algorithm "
            "the identity provider signs with (RS256 for most)",
        )
    if settings.key_id is not None:
        warn_at_caller(
            "JWT_KEYID: is ignored with JWT_JWKS_URL: the identity provider's tokens name "
            "their keys themselves",
            IgnoredConfigWarning,
        )
    from .jwks_source import RemoteKeySet  # the HTTP client, only for apps that use it

    return RemoteKeySet(
        url,
        settings.algorithms,
        timeout=settings.jwks_timeout,
        min_refresh=settings.jwks_min_refresh,
        max_cache=settings.jwks_max_cache,
        clock=time.monotonic if clock is None else clock,
    )


def load_keys(
    lookup: ConfigLookup, settings: Settings, *, clock: Callable[[], float] | None = None
) -> tuple[Signer | None, Verifier]:
    """Parse ``JWT_SECRET`` / ``JWT_PUBLICKEY`` once into a signer and a verifier.

    HMAC: ``JWT_SECRET`` signs and verifies. Key pairs: ``JWT_SECRET`` is the private key
    (its public half verifies unless ``JWT_PUBLICKEY`` is also given, and then the two must
    match); with only ``JWT_PUBLICKEY`` the app is verify-only (no signer). Either may be
    a JWK (JSON text or a mapping); ``JWT_PUBLICKEY`` may be a JWK Set, which must then
    hold the signing key's public half. With ``JWT_JWKS_URL`` the keys are an identity
    provider's, fetched when first needed.

    Args:
        lookup: where ``JWT_*`` values are read.
        settings: the parsed settings.
        clock: the manager's clock (``AuthManager(clock=...)``), which then times the
            identity provider's key cache too; ``None``: :func:`time.monotonic`.

    Raises:
        MissingConfigError: no usable key is configured.
        InvalidConfigError: a key does not fit ``JWT_AUTHTYPE`` or the keys disagree.
    """
    algorithm = settings.algorithm
    if algorithm is None:
        raise MissingConfigError("JWT_AUTHTYPE")
    if settings.jwks_url is not None:
        return None, _remote_key_set(lookup, settings, settings.jwks_url, clock)
    secret = _key_material(lookup, "JWT_SECRET")
    key_id = settings.key_id
    if algorithm.is_symmetric:
        if lookup("JWT_PUBLICKEY") not in (None, "", b""):
            warn_at_caller(
                f"JWT_PUBLICKEY: is ignored with {algorithm.value}, which signs and verifies "
                "with JWT_SECRET alone; remove it, or set JWT_AUTHTYPE to the algorithm of "
                "its key pair",
                IgnoredConfigWarning,
            )
        if secret is None:
            raise MissingConfigError(
                "JWT_SECRET",
                f"is required for {algorithm.value}: the HMAC secret. Set {_SIGNING_KEY_PLACES}; "
                f"make a random secret with: flask jwt keygen --alg {algorithm.value}",
            )
        document = _jwk_document("JWT_SECRET", secret)
        if document is not None:
            configured = _signing_jwk(document, algorithm, key_id)
            assert configured.jwk.secret is not None
            raw = configured.jwk.secret
            key_id = configured.kid
        else:
            try:
                raw = hmac_secret(algorithm, secret)
            except KeyMaterialError as error:
                raise _key_error("JWT_SECRET", error) from None
        try:
            signer = configured_signer(
                algorithm, raw, key_id=key_id, require_strong_secret=settings.require_strong_secret
            )
        except ValueError as error:
            raise _key_error("JWT_SECRET", error) from None
        return signer, signer.verifier()
    public = _key_material(lookup, "JWT_PUBLICKEY")
    _check_several_algorithms(settings, secret, public)
    if secret is None and public is None:
        raise MissingConfigError(
            "JWT_SECRET",
            f"is required for {algorithm.value}: the PEM private key that signs tokens. Make "
            f"a key pair with: flask jwt keygen --alg {algorithm.value}, and put the private "
            f"key's contents in {_SIGNING_KEY_PLACES}. A verify-only service sets JWT_PUBLICKEY "
            "(the public key) instead",
        )
    signing_key: KeyMaterial | None = None
    if secret is not None:
        document = _jwk_document("JWT_SECRET", secret)
        if document is not None:
            configured = _signing_jwk(document, algorithm, key_id)
            assert configured.jwk.private is not None
            signing_key, key_id = configured.jwk.private, configured.kid
        elif isinstance(secret, Mapping):  # pragma: no cover - a mapping is always a document
            raise InvalidConfigError("JWT_SECRET", "is a mapping but not a JWK")
        else:
            signing_key = secret
    public_document = None if public is None else _jwk_document("JWT_PUBLICKEY", public)
    if public_document is not None:
        verifiers = _verification_jwks(public_document, settings.algorithms, key_id)
        key_set = KeySetVerifier(verifiers)
        if signing_key is None:
            return None, key_set
        return _signer_in_key_set(algorithm, signing_key, key_id, key_set), key_set
    signer_or_none: KeySigner | None = None
    if signing_key is not None:
        try:
            signer_or_none = KeySigner(algorithm, signing_key, key_id=key_id)
        except ValueError as error:
            raise _key_error("JWT_SECRET", error) from None
    if public is None:
        assert signer_or_none is not None
        return signer_or_none, signer_or_none.verifier()
    assert not isinstance(public, Mapping)
    try:
        verifier = KeyVerifier(algorithm, public, key_id=key_id)
    except ValueError as error:
        raise _key_error("JWT_PUBLICKEY", error) from None
    if signer_or_none is None:
        return None, verifier
    if not signer_or_none.matches(verifier):
        raise InvalidConfigError(
            "JWT_PUBLICKEY", "is not the public half of JWT_SECRET; give the matching pair"
        )
    return signer_or_none, signer_or_none.verifier()


def _signer_in_key_set(
    algorithm: AuthType, signing_key: KeyMaterial, key_id: str | None, key_set: KeySetVerifier
) -> KeySigner:
    """The signer for ``signing_key``, whose public half must be in ``key_set``.

    Without a configured ``kid`` (``JWT_KEYID`` or the JWK's own), the signer takes the
    ``kid`` its public key has in the set, so tokens name the key the set verifies with.
    """
    try:
        signer = KeySigner(algorithm, signing_key, key_id=key_id)
    except ValueError as error:
        raise _key_error("JWT_SECRET", error) from None
    listed = key_set.get(signer.key_id)
    if listed is None and key_id is None:
        for kid in sorted(key_set.key_ids):
            candidate = key_set.get(kid)
            if candidate is not None and signer.matches(candidate):
                return KeySigner(algorithm, signing_key, key_id=kid)
    if listed is None:
        raise InvalidConfigError(
            "JWT_PUBLICKEY",
            f"has no key with kid {signer.key_id!r}, the kid of JWT_SECRET; add JWT_SECRET's "
            "public key to the JWK Set (the tokens it signs could not be verified otherwise)",
        )
    if not signer.matches(listed):
        raise InvalidConfigError(
            "JWT_PUBLICKEY",
            f"holds another key than JWT_SECRET's under kid {signer.key_id!r}; give the "
            "matching public key, or another kid",
        )
    return signer
