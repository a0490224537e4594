"""Configuration: ``JWT_*`` keys read once into a frozen :class:`Settings`. No Flask here.

Each key is looked up in ``app.config`` first, then in the process environment, then in
the optional ``.env`` file (read at ``init_app``, never at import, never written into
``os.environ``). Every missing or malformed value is reported with the key, the type
received and what is accepted; secret values are never echoed.
"""

from __future__ import annotations

import difflib
import inspect
import os
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Final

from .algorithms import AuthType, parse_auth_type
from .errors import InvalidConfigError, MissingConfigError
from .jws import DEFAULT_MAX_TOKEN_LENGTH
from .keys import KeyMaterial, KeyMaterialError, hmac_secret, is_key_material
from .signing import KeySigner, KeyVerifier, Signer, Verifier
from .transport import TRANSPORT_CONFIG_KEYS, TransportSettings, load_transport_settings

DEFAULT_AUTH_MAX_AGE: Final = 3600
"""Default ``JWT_AUTHMAXAGE``: one hour."""

DEFAULT_REFRESH_MAX_AGE: Final = 604800
"""Default ``JWT_REFRESHMAXAGE``: one week."""

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
    *TRANSPORT_CONFIG_KEYS,
)
"""Every configuration key the library reads."""


class WeakSecretWarning(UserWarning):
    """An HMAC secret is shorter than RFC 7518 3.2 requires for its algorithm."""


class IgnoredConfigWarning(UserWarning):
    """A ``JWT_*`` setting that flask_pyjwt does not use.

    Either a key it does not know (a typo such as ``JWT_AUTHMAX_AGE``, or another
    extension's name such as Flask-JWT-Extended's ``JWT_SECRET_KEY``), with the key it
    probably means; or a key the configured algorithm ignores (``JWT_PUBLICKEY`` with an
    ``HS*`` algorithm).
    """


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


def _squashed(key: str) -> str:
    return key.upper().replace("_", "")


def _unknown_key_message(key: str, known: tuple[str, ...]) -> str:
    """What to tell about a ``JWT_*`` key that is not in ``known`` (never its value)."""
    equivalent = FLASK_JWT_EXTENDED_KEYS.get(key.upper())
    if equivalent is not None:
        hint = f"did you mean {equivalent}?" if equivalent in known else equivalent
        return f"{key}: is a Flask-JWT-Extended setting, which flask_pyjwt does not read; {hint}"
    by_squashed = {_squashed(name): name for name in known}
    close = by_squashed.get(_squashed(key))
    if close is None:
        matches = difflib.get_close_matches(_squashed(key), by_squashed, n=1, cutoff=0.8)
        close = by_squashed[matches[0]] if matches else None
    if close is not None:
        return f"{key}: is not a flask_pyjwt setting and is ignored; did you mean {close}?"
    return (
        f"{key}: is not a flask_pyjwt setting and is ignored "
        "(flask_pyjwt.CONFIG_KEYS lists the settings)"
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


# Frames of this package are skipped when a warning looks for the line to point at. Not
# resolved: a frame's file name is its module's __file__, symbolic links and all.
_PACKAGE_DIRECTORY: Final = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def warn_at_caller(message: str, category: type[Warning]) -> None:
    """``warnings.warn`` pointing at the first frame outside the flask_pyjwt package.

    A fixed ``stacklevel`` points into the library whenever the call path differs
    (``AuthManager(app)`` reaches ``init_app`` one frame deeper than
    ``manager.init_app(app)``); walking out of the package points at the user's line.
    """
    level = 1  # this function's own frame
    frame = inspect.currentframe()
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIRECTORY):
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level)


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
        leeway: ``JWT_LEEWAY``, seconds of tolerated clock skew.
        max_token_length: ``JWT_MAXTOKENLENGTH``, longest token accepted, in characters.
        key_id: ``JWT_KEYID``, the ``kid`` put on issued tokens.
        require_strong_secret: ``JWT_REQUIRESTRONGSECRET``: a short HMAC secret is an
            error instead of a warning.
        accept_legacy_tokens: ``JWT_ACCEPT_LEGACY_TOKENS``: also accept tokens in the
            Flask_PyJWT 1.x format (``typ`` ``JWT`` or none, no ``jti``) during an upgrade.
        transport: where tokens travel (``JWT_TOKEN_LOCATION``), and the cookie and CSRF
            settings.
    """

    issuer: str
    algorithm: AuthType | None
    auth_max_age: int = DEFAULT_AUTH_MAX_AGE
    refresh_max_age: int = DEFAULT_REFRESH_MAX_AGE
    audience: str | None = None
    leeway: int = 0
    max_token_length: int = DEFAULT_MAX_TOKEN_LENGTH
    key_id: str | None = None
    require_strong_secret: bool = False
    accept_legacy_tokens: bool = False
    transport: TransportSettings = field(default_factory=TransportSettings)


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


def _algorithm(lookup: ConfigLookup, *, required: bool) -> AuthType | None:
    value = lookup("JWT_AUTHTYPE")
    if value is None:
        if required:
            raise MissingConfigError("JWT_AUTHTYPE")
        return None
    try:
        return parse_auth_type(value)
    except ValueError as error:
        raise InvalidConfigError("JWT_AUTHTYPE", str(error)) from None


def load_settings(lookup: ConfigLookup, *, algorithm_required: bool = True) -> Settings:
    """Read and validate every non-key setting.

    Raises:
        MissingConfigError: ``JWT_ISSUER`` (or ``JWT_AUTHTYPE``) is not set.
        InvalidConfigError: a value has the wrong type or range.
    """
    issuer = _string(lookup, "JWT_ISSUER", required=True)
    assert issuer is not None
    return Settings(
        issuer=issuer,
        algorithm=_algorithm(lookup, required=algorithm_required),
        auth_max_age=_whole_number(
            lookup, "JWT_AUTHMAXAGE", DEFAULT_AUTH_MAX_AGE, minimum=1, duration=True
        ),
        refresh_max_age=_whole_number(
            lookup, "JWT_REFRESHMAXAGE", DEFAULT_REFRESH_MAX_AGE, minimum=1, duration=True
        ),
        audience=_string(lookup, "JWT_AUDIENCE", required=False),
        leeway=_whole_number(lookup, "JWT_LEEWAY", 0, minimum=0),
        max_token_length=_whole_number(
            lookup, "JWT_MAXTOKENLENGTH", DEFAULT_MAX_TOKEN_LENGTH, minimum=64, unit="characters"
        ),
        key_id=_string(lookup, "JWT_KEYID", required=False),
        require_strong_secret=_flag(lookup, "JWT_REQUIRESTRONGSECRET"),
        accept_legacy_tokens=_flag(lookup, "JWT_ACCEPT_LEGACY_TOKENS"),
        transport=load_transport_settings(lookup),
    )


def _key_error(key: str, error: KeyMaterialError | ValueError) -> InvalidConfigError:
    return InvalidConfigError(key, str(error))


def _check_secret_strength(settings: Settings, algorithm: AuthType, secret: bytes) -> None:
    needed = algorithm.min_secret_bytes
    if len(secret) >= needed:
        return
    message = (
        f"the {algorithm.value} secret is {len(secret)} bytes; RFC 7518 3.2 requires at "
        f"least {needed} (generate one with: python -c 'import secrets; "
        f"print(secrets.token_urlsafe({needed}))')"
    )
    if settings.require_strong_secret:
        raise InvalidConfigError("JWT_SECRET", message)
    warn_at_caller(f"JWT_SECRET: {message}", WeakSecretWarning)


_SIGNING_KEY_PLACES: Final = (
    "app.config['JWT_SECRET'], the JWT_SECRET environment variable or a JWT_SECRET line "
    "in the .env file (AuthManager(dotenv_path=...))"
)


def signing_key_configured(lookup: ConfigLookup) -> bool:
    """Whether ``JWT_SECRET`` is set (to anything) anywhere ``lookup`` looks."""
    return lookup("JWT_SECRET") not in (None, "", b"")


def _key_material(lookup: ConfigLookup, key: str) -> KeyMaterial | None:
    value = lookup(key)
    if value is None or value in ("", b""):
        return None
    if not is_key_material(value):
        raise InvalidConfigError(
            key, f"got {_describe(value)}; expected PEM text (str or bytes) or a cryptography key"
        )
    return value


def load_keys(lookup: ConfigLookup, settings: Settings) -> tuple[Signer | None, Verifier]:
    """Parse ``JWT_SECRET`` / ``JWT_PUBLICKEY`` once into a signer and a verifier.

    HMAC: ``JWT_SECRET`` signs and verifies. Key pairs: ``JWT_SECRET`` is the private key
    (its public half verifies unless ``JWT_PUBLICKEY`` is also given, and then the two must
    match); with only ``JWT_PUBLICKEY`` the app is verify-only (no signer).

    Raises:
        MissingConfigError: no usable key is configured.
        InvalidConfigError: a key does not fit ``JWT_AUTHTYPE`` or the keys disagree.
    """
    algorithm = settings.algorithm
    if algorithm is None:
        raise MissingConfigError("JWT_AUTHTYPE")
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
        try:
            raw = hmac_secret(algorithm, secret)
        except KeyMaterialError as error:
            raise _key_error("JWT_SECRET", error) from None
        _check_secret_strength(settings, algorithm, raw)
        signer = KeySigner(algorithm, raw, key_id=key_id)
        return signer, signer.verifier()
    public = _key_material(lookup, "JWT_PUBLICKEY")
    if secret is None and public is None:
        raise MissingConfigError(
            "JWT_SECRET",
            f"is required for {algorithm.value}: the PEM private key that signs tokens. Make "
            f"a key pair with: flask jwt keygen --alg {algorithm.value}, and put the private "
            f"key's contents in {_SIGNING_KEY_PLACES}. A verify-only service sets JWT_PUBLICKEY "
            "(the public key) instead",
        )
    signer_or_none: KeySigner | None = None
    if secret is not None:
        try:
            signer_or_none = KeySigner(algorithm, secret, key_id=key_id)
        except ValueError as error:
            raise _key_error("JWT_SECRET", error) from None
    if public is None:
        assert signer_or_none is not None
        return signer_or_none, signer_or_none.verifier()
    try:
        verifier = KeyVerifier(algorithm, public, key_id=key_id)
    except ValueError as error:
        raise _key_error("JWT_PUBLICKEY", error) from None
    if signer_or_none is not None and not signer_or_none.matches(verifier):
        raise InvalidConfigError(
            "JWT_PUBLICKEY", "is not the public half of JWT_SECRET; give the matching pair"
        )
    return signer_or_none, verifier
