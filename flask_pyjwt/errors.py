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
    AlgorithmNotAllowedError,
    AlreadyInitializedError,
    ClaimInvalidError,
    ClaimsShapeError,
    ConfigError,
    ContextError,
    DecoratorOrderError,
    FlaskPyJWTError,
    FlaskPyJWTWarning,
    IgnoredConfigWarning,
    InvalidConfigError,
    InvalidKeyError,
    InvalidTokenError,
    KeysUnavailableError,
    LegacyTokenRevocationError,
    MissingConfigError,
    MissingSignerError,
    MisspeltOptionWarning,
    NoCurrentTokenError,
    NotInitializedError,
    RefreshTokenReusedError,
    RevocationUnavailableError,
    SignatureInvalidError,
    TokenExpiredError,
    TokenMalformedError,
    TokenNotYetValidError,
    TokenRevokedError,
    TokenTooLargeError,
    TokenTypeInvalidError,
    UnavailableError,
    UnknownKeyError,
    WeakSecretWarning,
)
from flask_pyjwt._flask.http_errors import (
    AuthenticationFailed,
    CustomErrorCode,
    HTTPAuthError,
    PermissionDenied,
    TemporarilyUnavailable,
)

__all__ = [
    "AlgorithmNotAllowedError",
    "AlreadyInitializedError",
    "AuthenticationFailed",
    "ClaimInvalidError",
    "ClaimsShapeError",
    "ConfigError",
    "ContextError",
    "CustomErrorCode",
    "DecoratorOrderError",
    "FlaskPyJWTError",
    "FlaskPyJWTWarning",
    "HTTPAuthError",
    "IgnoredConfigWarning",
    "InvalidConfigError",
    "InvalidKeyError",
    "InvalidTokenError",
    "KeysUnavailableError",
    "LegacyTokenRevocationError",
    "MissingConfigError",
    "MissingSignerError",
    "MisspeltOptionWarning",
    "NoCurrentTokenError",
    "NotInitializedError",
    "PermissionDenied",
    "RefreshTokenReusedError",
    "RevocationUnavailableError",
    "SignatureInvalidError",
    "TemporarilyUnavailable",
    "TokenExpiredError",
    "TokenMalformedError",
    "TokenNotYetValidError",
    "TokenRevokedError",
    "TokenTooLargeError",
    "TokenTypeInvalidError",
    "UnavailableError",
    "UnknownKeyError",
    "WeakSecretWarning",
]
