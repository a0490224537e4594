"""flask_pyjwt: JSON Web Token auth for Flask, type-strict and safe by default.

Issue auth and refresh tokens with :class:`AuthManager`, protect views with
:func:`require_token`, and read the verified token through :data:`current_token`.

This module holds what a typical app imports. The rest of the public API lives in
public submodules: :mod:`flask_pyjwt.errors` (every exception and warning),
:mod:`flask_pyjwt.typing` (names to annotate with), :mod:`flask_pyjwt.redis` (the Redis
store's client protocols) and :mod:`flask_pyjwt.claims` (typed custom claims).
"""

from importlib import metadata as _metadata

from flask_pyjwt._core.claim_requirements import Exact, FromRoute
from flask_pyjwt._core.errors import (
    FlaskPyJWTError,
    InvalidConfigError,
    InvalidTokenError,
    MissingConfigError,
    UnavailableError,
)
from flask_pyjwt._core.identity_provider import IdentityProvider
from flask_pyjwt._core.key_signers import KeySetVerifier, KeySigner, KeyVerifier
from flask_pyjwt._core.revocation import MemoryRevocationStore, RevocationStore
from flask_pyjwt._core.signing import CacheableVerifier, Signer, Verifier
from flask_pyjwt._core.tokens import AuthToken, RefreshToken, Token, TokenType
from flask_pyjwt._flask.current import current_token
from flask_pyjwt._flask.decorator import require_token, verify_request
from flask_pyjwt._flask.dpop import dpop_proof
from flask_pyjwt._flask.http_errors import AuthenticationFailed, PermissionDenied
from flask_pyjwt._flask.manager import AuthManager
from flask_pyjwt.redis import RedisRevocationStore

try:
    __version__: str = _metadata.version("flask_pyjwt")
    """The installed distribution's version (pyproject.toml is the one place it is set)."""
except _metadata.PackageNotFoundError:  # pragma: no cover - imported from an uninstalled tree
    __version__ = "0+unknown"

__all__ = [
    "AuthManager",
    "AuthToken",
    "AuthenticationFailed",
    "CacheableVerifier",
    "Exact",
    "FlaskPyJWTError",
    "FromRoute",
    "IdentityProvider",
    "InvalidConfigError",
    "InvalidTokenError",
    "KeySetVerifier",
    "KeySigner",
    "KeyVerifier",
    "MemoryRevocationStore",
    "MissingConfigError",
    "PermissionDenied",
    "RedisRevocationStore",
    "RefreshToken",
    "RevocationStore",
    "Signer",
    "Token",
    "TokenType",
    "UnavailableError",
    "Verifier",
    "current_token",
    "dpop_proof",
    "require_token",
    "verify_request",
]
