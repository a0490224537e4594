"""flask_pyjwt: JSON Web Token auth for Flask, type-strict and safe by default.

Issue auth and refresh tokens with :class:`AuthManager`, protect views with
:func:`require_token`, and read the verified token through :data:`current_token`.
"""

from ._algorithms import AuthType
from ._config import CONFIG_KEYS, Settings, WeakSecretWarning
from ._current import CurrentToken, current_token
from ._decorator import ClaimRequirement, Exact, FromRoute, Location, require_token
from ._errors import (
    AlreadyInitializedError,
    AuthenticationFailed,
    ClaimsShapeError,
    ConfigError,
    ContextError,
    DisallowedAlgorithmError,
    ErrorCode,
    ExpiredTokenError,
    FlaskPyJWTError,
    HTTPAuthError,
    ImmatureTokenError,
    InvalidClaimError,
    InvalidConfigError,
    InvalidSignatureError,
    InvalidTokenError,
    MalformedTokenError,
    MissingConfigError,
    MissingSignerError,
    NoCurrentTokenError,
    NotInitializedError,
    PermissionDenied,
    TokenTooLargeError,
    UnknownKeyError,
    WrongTokenTypeError,
)
from ._json import FrozenJSONObject, JSONArray, JSONInput, JSONObject, JSONScalar, JSONValue
from ._keys import KeyMaterial, PrivateKey, PublicKey
from ._manager import AuthManager
from ._signing import JWSHeader, KeySetVerifier, KeySigner, KeyVerifier, Signer, Verifier
from ._tokens import AuthToken, RefreshToken, Token, TokenType, TokenTypeName
from ._typed_claims import ClaimsDataclass, dump_claims, load_claims

__all__ = [
    "CONFIG_KEYS",
    "AlreadyInitializedError",
    "AuthManager",
    "AuthToken",
    "AuthType",
    "AuthenticationFailed",
    "ClaimRequirement",
    "ClaimsDataclass",
    "ClaimsShapeError",
    "ConfigError",
    "ContextError",
    "CurrentToken",
    "DisallowedAlgorithmError",
    "ErrorCode",
    "Exact",
    "ExpiredTokenError",
    "FlaskPyJWTError",
    "FromRoute",
    "FrozenJSONObject",
    "HTTPAuthError",
    "ImmatureTokenError",
    "InvalidClaimError",
    "InvalidConfigError",
    "InvalidSignatureError",
    "InvalidTokenError",
    "JSONArray",
    "JSONInput",
    "JSONObject",
    "JSONScalar",
    "JSONValue",
    "JWSHeader",
    "KeyMaterial",
    "KeySetVerifier",
    "KeySigner",
    "KeyVerifier",
    "Location",
    "MalformedTokenError",
    "MissingConfigError",
    "MissingSignerError",
    "NoCurrentTokenError",
    "NotInitializedError",
    "PermissionDenied",
    "PrivateKey",
    "PublicKey",
    "RefreshToken",
    "Settings",
    "Signer",
    "Token",
    "TokenTooLargeError",
    "TokenType",
    "TokenTypeName",
    "UnknownKeyError",
    "Verifier",
    "WeakSecretWarning",
    "WrongTokenTypeError",
    "current_token",
    "dump_claims",
    "load_claims",
    "require_token",
]
