"""Every exception and warning flask_pyjwt raises or emits, in one public module.

Every exception derives from :class:`FlaskPyJWTError` and every warning from
:class:`FlaskPyJWTWarning`, so ``except FlaskPyJWTError`` catches all the library's
errors and ``warnings.filterwarnings("error", category=FlaskPyJWTWarning)`` turns all
its warnings into errors. :doc:`/errors` shows the tree and the HTTP response of each.

The base errors a typical app catches (:class:`FlaskPyJWTError`,
:class:`InvalidTokenError`, :class:`UnavailableError`, :class:`MissingConfigError`,
:class:`InvalidConfigError`, :class:`AuthenticationFailed`, :class:`PermissionDenied`)
are also importable from ``flask_pyjwt``.
"""

from flask_pyjwt._core.errors import (
    AlreadyInitializedError,
    ClaimsShapeError,
    ConfigError,
    ContextError,
    DecoratorOrderError,
    DisallowedAlgorithmError,
    ExpiredTokenError,
    FlaskPyJWTError,
    FlaskPyJWTWarning,
    IgnoredConfigWarning,
    ImmatureTokenError,
    InvalidClaimError,
    InvalidConfigError,
    InvalidKeyError,
    InvalidSignatureError,
    InvalidTokenError,
    KeySetUnavailableError,
    LegacyTokenRevocationError,
    MalformedTokenError,
    MissingConfigError,
    MissingSignerError,
    MisspeltOptionWarning,
    NoCurrentTokenError,
    NotInitializedError,
    RefreshTokenReusedError,
    RevocationStoreError,
    TokenRevokedError,
    TokenTooLargeError,
    UnavailableError,
    UnknownKeyError,
    WeakSecretWarning,
    WrongTokenTypeError,
)
from flask_pyjwt._flask.http_errors import (
    AuthenticationFailed,
    CustomErrorCode,
    HTTPAuthError,
    PermissionDenied,
    TemporarilyUnavailable,
)

__all__ = [
    "AlreadyInitializedError",
    "AuthenticationFailed",
    "ClaimsShapeError",
    "ConfigError",
    "ContextError",
    "CustomErrorCode",
    "DecoratorOrderError",
    "DisallowedAlgorithmError",
    "ExpiredTokenError",
    "FlaskPyJWTError",
    "FlaskPyJWTWarning",
    "HTTPAuthError",
    "IgnoredConfigWarning",
    "ImmatureTokenError",
    "InvalidClaimError",
    "InvalidConfigError",
    "InvalidKeyError",
    "InvalidSignatureError",
    "InvalidTokenError",
    "KeySetUnavailableError",
    "LegacyTokenRevocationError",
    "MalformedTokenError",
    "MissingConfigError",
    "MissingSignerError",
    "MisspeltOptionWarning",
    "NoCurrentTokenError",
    "NotInitializedError",
    "PermissionDenied",
    "RefreshTokenReusedError",
    "RevocationStoreError",
    "TemporarilyUnavailable",
    "TokenRevokedError",
    "TokenTooLargeError",
    "UnavailableError",
    "UnknownKeyError",
    "WeakSecretWarning",
    "WrongTokenTypeError",
]
