"""flask_pyjwt: JSON Web Token auth for Flask, type-strict and safe by default.

Issue auth and refresh tokens with :class:`AuthManager`, protect views with
:func:`require_token`, and read the verified token through :data:`current_token`.
"""

from importlib import metadata as _metadata

from ._backends.redis_store import RedisClient, RedisRevocationStore, RedisScript
from ._core.algorithms import AuthType
from ._core.claim_requirements import ClaimRequirement, Exact, FromRoute
from ._core.errors import (
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
from ._core.jwks import JWKSet, PublicJWK
from ._core.key_signers import KeySetVerifier, KeySigner, KeyVerifier
from ._core.keys import KeyMaterial, PrivateKey, PublicKey
from ._core.locations import Location
from ._core.policy import Settings
from ._core.revocation import (
    MemoryRevocationStore,
    RevocationQuery,
    RevocationState,
    RevocationStore,
)
from ._core.signing import CacheableVerifier, JWSHeader, Signer, Verifier
from ._core.strict_json import (
    FrozenJSONObject,
    JSONArray,
    JSONInput,
    JSONObject,
    JSONScalar,
    JSONValue,
)
from ._core.tokens import (
    AuthToken,
    RefreshToken,
    SessionId,
    Token,
    TokenType,
    TokenTypeName,
)
from ._core.transport import SameSite, TransportSettings
from ._core.typed_claims import ClaimsDataclass, dump_claims, load_claims
from ._flask.current import CurrentToken, current_token
from ._flask.decorator import require_token, verify_request
from ._flask.http_errors import (
    AuthenticationFailed,
    CustomErrorCode,
    ErrorCode,
    HTTPAuthError,
    PermissionDenied,
    TemporarilyUnavailable,
)
from ._flask.manager import AuthManager
from ._flask.users import UserLoader
from ._settings.catalogue import CONFIG_KEYS

try:
    __version__: str = _metadata.version("flask_pyjwt")
    """The installed distribution's version (pyproject.toml is the one place it is set)."""
except _metadata.PackageNotFoundError:  # pragma: no cover - imported from an uninstalled tree
    __version__ = "0+unknown"

__all__ = [
    "CONFIG_KEYS",
    "AlreadyInitializedError",
    "AuthManager",
    "AuthToken",
    "AuthType",
    "AuthenticationFailed",
    "CacheableVerifier",
    "ClaimRequirement",
    "ClaimsDataclass",
    "ClaimsShapeError",
    "ConfigError",
    "ContextError",
    "CurrentToken",
    "CustomErrorCode",
    "DecoratorOrderError",
    "DisallowedAlgorithmError",
    "ErrorCode",
    "Exact",
    "ExpiredTokenError",
    "FlaskPyJWTError",
    "FlaskPyJWTWarning",
    "FromRoute",
    "FrozenJSONObject",
    "HTTPAuthError",
    "IgnoredConfigWarning",
    "ImmatureTokenError",
    "InvalidClaimError",
    "InvalidConfigError",
    "InvalidKeyError",
    "InvalidSignatureError",
    "InvalidTokenError",
    "JSONArray",
    "JSONInput",
    "JSONObject",
    "JSONScalar",
    "JSONValue",
    "JWKSet",
    "JWSHeader",
    "KeyMaterial",
    "KeySetUnavailableError",
    "KeySetVerifier",
    "KeySigner",
    "KeyVerifier",
    "LegacyTokenRevocationError",
    "Location",
    "MalformedTokenError",
    "MemoryRevocationStore",
    "MissingConfigError",
    "MissingSignerError",
    "MisspeltOptionWarning",
    "NoCurrentTokenError",
    "NotInitializedError",
    "PermissionDenied",
    "PrivateKey",
    "PublicJWK",
    "PublicKey",
    "RedisClient",
    "RedisRevocationStore",
    "RedisScript",
    "RefreshToken",
    "RefreshTokenReusedError",
    "RevocationQuery",
    "RevocationState",
    "RevocationStore",
    "RevocationStoreError",
    "SameSite",
    "SessionId",
    "Settings",
    "Signer",
    "TemporarilyUnavailable",
    "Token",
    "TokenRevokedError",
    "TokenTooLargeError",
    "TokenType",
    "TokenTypeName",
    "TransportSettings",
    "UnavailableError",
    "UnknownKeyError",
    "UserLoader",
    "Verifier",
    "WeakSecretWarning",
    "WrongTokenTypeError",
    "current_token",
    "dump_claims",
    "load_claims",
    "require_token",
    "verify_request",
]
