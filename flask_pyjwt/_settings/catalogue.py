"""Every ``JWT_*`` key flask_pyjwt reads, Flask-JWT-Extended's keys mapped to ours, and
the warning for a key in ``app.config`` that nothing reads. No Flask here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from flask_pyjwt._core.errors import IgnoredConfigWarning
from flask_pyjwt._core.hints import closest_name, warn_at_caller

from .dpop import DPOP_CONFIG_KEYS
from .sources import KEY_ALIASES, RENAMED_KEYS
from .transport import TRANSPORT_CONFIG_KEYS

__all__ = [
    "CONFIG_KEYS",
    "FLASK_JWT_EXTENDED_KEYS",
    "KEY_ALIASES",
    "RENAMED_KEYS",
    "warn_unknown_keys",
]

CONFIG_KEYS: Final = (
    "JWT_ISSUER",
    "JWT_AUTHTYPE",
    "JWT_SECRET",
    "JWT_PUBLICKEY",
    "JWT_AUTHMAXAGE",
    "JWT_REFRESHMAXAGE",
    "JWT_AUDIENCE",
    "JWT_LEEWAY",
    "JWT_MAX_TOKEN_LENGTH",
    "JWT_KEY_ID",
    "JWT_REQUIRE_STRONG_SECRET",
    "JWT_ACCEPT_LEGACY_TOKENS",
    "JWT_REVOCATION_REDIS_URL",
    "JWT_REVOCATION_PREFIX",
    "JWT_REVOCATION_FAIL_OPEN",
    "JWT_REVOCATION_HORIZON",
    "JWT_ROTATION_GRACE",
    "JWT_JWKS_ROUTE",
    "JWT_JWKS_URL",
    "JWT_JWKS_MIN_REFRESH",
    "JWT_JWKS_MAX_CACHE",
    "JWT_JWKS_TIMEOUT",
    "JWT_REQUIRE_AT_JWT",
    "JWT_VERIFY_CACHE_SIZE",
    "JWT_IDENTITY_CLAIM",
    *TRANSPORT_CONFIG_KEYS,
    *DPOP_CONFIG_KEYS,
)
"""Every configuration key the library reads (the 1.x keys in their 1.x spelling; their
snake-case aliases are in :data:`KEY_ALIASES`)."""

FLASK_JWT_EXTENDED_KEYS: Final[Mapping[str, str]] = {
    "JWT_SECRET_KEY": "JWT_SECRET",
    "JWT_PRIVATE_KEY": "JWT_SECRET",
    "JWT_ALGORITHM": "JWT_AUTH_TYPE",
    "JWT_DECODE_ALGORITHMS": "JWT_AUTH_TYPE",
    "JWT_ACCESS_TOKEN_EXPIRES": "JWT_AUTH_MAX_AGE",
    "JWT_REFRESH_TOKEN_EXPIRES": "JWT_REFRESH_MAX_AGE",
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
    "JWT_HEADER_TYPE": "JWT_HEADER_SCHEME",
    "JWT_ACCESS_CSRF_FIELD_NAME": "JWT_CSRF_FORM_FIELD",
    "JWT_REFRESH_CSRF_FIELD_NAME": "JWT_CSRF_FORM_FIELD",
    "JWT_CSRF_CHECK_FORM": "here, always on: a form post may carry JWT_CSRF_FORM_FIELD",
    "JWT_ACCESS_CSRF_COOKIE_PATH": "here, always '/': the CSRF cookies are read by every page",
    "JWT_REFRESH_CSRF_COOKIE_PATH": "here, always '/': the CSRF cookies are read by every page",
    "JWT_ENCODE_NBF": "here, never: a token is valid from its iat",
    "JWT_ERROR_MESSAGE_KEY": "here, the JSON error body's 'message' member (fixed)",
    "JWT_QUERY_STRING_VALUE_PREFIX": "here, none: the query parameter holds the bare token",
    "JWT_VERIFY_SUB": "here, always on: sub must be a non-empty string",
    "JWT_CSRF_IN_COOKIES": "here, always on: set_token_cookies writes the CSRF cookies",
    "JWT_SESSION_COOKIE": "here, always off: token cookies last as long as their token",
}
"""Flask-JWT-Extended settings, each with the flask_pyjwt key (or way) that does its job.

Only consulted for keys flask_pyjwt does not read: once it reads a key of the same name
(as ``JWT_PUBLIC_KEY``, the alias of ``JWT_PUBLICKEY``), it is no longer unknown."""

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
    """Warn (:class:`IgnoredConfigWarning`) about each ``JWT_*`` key flask_pyjwt does not
    read: not in :data:`CONFIG_KEYS` nor an alias (:data:`KEY_ALIASES`). A development
    spelling (:data:`RENAMED_KEYS`) is not warned about: reading the sources refuses it.

    Keys are compared case-sensitively (Flask's config is), but a lower-case ``jwt_...``
    key is reported too. The known keys are read from :data:`CONFIG_KEYS` on every call,
    so a key added there is known everywhere.
    """
    known = (*CONFIG_KEYS, *KEY_ALIASES.values())
    for key in sorted(key for key in app_config_keys if isinstance(key, str)):
        if key.upper().startswith(_KEY_PREFIX) and key not in known and key not in RENAMED_KEYS:
            warn_at_caller(_unknown_key_message(key, known), IgnoredConfigWarning)
