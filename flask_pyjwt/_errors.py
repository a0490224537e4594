"""Every exception the library raises, under one root.

::

    FlaskPyJWTError
    ├── ConfigError                      set-up problems, raised at init_app
    │   ├── MissingConfigError
    │   └── InvalidConfigError
    ├── MissingSignerError               issuing a token in verify-only mode
    ├── ContextError                     used in the wrong place (also a RuntimeError)
    │   ├── NotInitializedError          the app has no AuthManager (forgot init_app?)
    │   ├── AlreadyInitializedError      init_app twice on one app
    │   └── NoCurrentTokenError          current_token outside a protected request
    ├── InvalidTokenError                a token was rejected (pure, no HTTP)
    │   ├── MalformedTokenError
    │   │   └── TokenTooLargeError
    │   ├── DisallowedAlgorithmError
    │   ├── UnknownKeyError
    │   ├── InvalidSignatureError
    │   ├── ExpiredTokenError
    │   ├── ImmatureTokenError
    │   ├── InvalidClaimError
    │   │   └── ClaimsShapeError         custom claims that do not fit their claims_as shape
    │   └── WrongTokenTypeError
    └── HTTPAuthError                    what a protected view answers (Werkzeug HTTPException)
        ├── AuthenticationFailed         401, also a werkzeug Unauthorized
        └── PermissionDenied             403, also a werkzeug Forbidden

Messages never contain a secret, a key or bytes from the request.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import ClassVar, Literal

from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Forbidden, HTTPException, Unauthorized


class FlaskPyJWTError(Exception):
    """Root of every exception raised by flask_pyjwt."""


class ConfigError(FlaskPyJWTError):
    """The app's configuration cannot be used.

    Attributes:
        key: the configuration key at fault (``JWT_...``).
        message: what is wrong and what is accepted.
    """

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


class MissingConfigError(ConfigError):
    """A required configuration key is not set in ``app.config``, the environment or ``.env``."""

    def __init__(self, key: str, message: str | None = None) -> None:
        super().__init__(
            key,
            message or f"is required; set app.config[{key!r}] or the environment variable {key}",
        )

    @property
    def config_value(self) -> str:
        """The missing key (the name Flask_PyJWT 1.x used)."""
        return self.key


class InvalidConfigError(ConfigError):
    """A configuration value has the wrong type or an unacceptable value."""

    @property
    def config_value(self) -> str:
        """The key at fault (the name Flask_PyJWT 1.x used)."""
        return self.key


class MissingSignerError(FlaskPyJWTError):
    """A token was to be issued by an app that can only verify (no private key or secret)."""


class ContextError(FlaskPyJWTError, RuntimeError):
    """The library was used where it cannot work (no app context, wrong app, ...)."""


class NotInitializedError(ContextError):
    """The app has no AuthManager state: ``init_app`` was not called for it."""


class AlreadyInitializedError(ContextError):
    """``init_app`` was called a second time for the same app."""


class NoCurrentTokenError(ContextError):
    """``current_token`` was read where no token was verified."""


InvalidTokenCode = Literal[
    "token_malformed",
    "token_too_large",
    "algorithm_not_allowed",
    "unknown_key",
    "signature_invalid",
    "token_expired",
    "token_not_yet_valid",
    "claim_invalid",
    "token_type_invalid",
]


class InvalidTokenError(FlaskPyJWTError):
    """A token was rejected. Subclasses say why; :attr:`code` is stable for machines.

    Attributes:
        code: a stable machine-readable reason, sent to clients in the JSON error body.
        message: a human sentence safe to show to the client (never request bytes).
    """

    code: ClassVar[InvalidTokenCode] = "token_malformed"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MalformedTokenError(InvalidTokenError):
    """Not a strictly well-formed compact JWS (segments, base64url, JSON objects)."""

    code: ClassVar[InvalidTokenCode] = "token_malformed"


class TokenTooLargeError(MalformedTokenError):
    """The token is longer than ``JWT_MAXTOKENLENGTH``; it was not decoded."""

    code: ClassVar[InvalidTokenCode] = "token_too_large"


class DisallowedAlgorithmError(InvalidTokenError):
    """The header names an algorithm the configuration does not allow (``none`` included)."""

    code: ClassVar[InvalidTokenCode] = "algorithm_not_allowed"


class UnknownKeyError(InvalidTokenError):
    """No configured key matches the token's ``kid``."""

    code: ClassVar[InvalidTokenCode] = "unknown_key"


class InvalidSignatureError(InvalidTokenError):
    """The signature does not verify with the configured key."""

    code: ClassVar[InvalidTokenCode] = "signature_invalid"


class ExpiredTokenError(InvalidTokenError):
    """The token's ``exp`` has passed."""

    code: ClassVar[InvalidTokenCode] = "token_expired"


class ImmatureTokenError(InvalidTokenError):
    """The token's ``nbf`` or ``iat`` lies in the future."""

    code: ClassVar[InvalidTokenCode] = "token_not_yet_valid"


class InvalidClaimError(InvalidTokenError):
    """A registered claim is missing, of the wrong JSON type, or has the wrong value.

    Attributes:
        claim: the name of the claim at fault.
    """

    code: ClassVar[InvalidTokenCode] = "claim_invalid"

    def __init__(self, claim: str, message: str) -> None:
        super().__init__(message)
        self.claim = claim


class ClaimsShapeError(InvalidClaimError):
    """A verified token's custom claims do not fit the declared claims shape.

    Raised by :func:`~flask_pyjwt.load_claims`; a view protected with
    ``require_token(claims_as=...)`` answers it with 401 ``claim_invalid``.

    Attributes:
        claim: the path of the claim at fault (``roles[1]``, ``address.city``).
        shape: the name of the dataclass the claims were checked against.
    """

    def __init__(self, claim: str, message: str, *, shape: str) -> None:
        super().__init__(claim, message)
        self.shape = shape


class WrongTokenTypeError(InvalidTokenError):
    """A refresh token where an auth token is required, or the other way round."""

    code: ClassVar[InvalidTokenCode] = "token_type_invalid"


ForbiddenCode = Literal["insufficient_scope", "claim_mismatch"]
BearerError = Literal["invalid_token", "insufficient_scope"]
ErrorCode = Literal[InvalidTokenCode, ForbiddenCode, "token_missing"]


def _quoted(text: str) -> str:
    # RFC 6750 3: error_description is %x20-21 / %x23-5B / %x5D-7E.
    safe = "".join(ch for ch in text if 0x20 <= ord(ch) <= 0x7E and ch not in '"\\')
    return f'"{safe}"'


class HTTPAuthError(FlaskPyJWTError, HTTPException):
    """An HTTP error raised by :func:`~flask_pyjwt.require_token`.

    Rendered as a JSON body ``{"error": ..., "code": ..., "message": ...}`` and an RFC 6750
    ``WWW-Authenticate: Bearer`` header. It is a Werkzeug ``HTTPException`` so an app's own
    ``@app.errorhandler(401)`` / ``(403)`` handlers take precedence.

    Attributes:
        error_code: the stable machine-readable reason.
        bearer_error: the RFC 6750 ``error`` parameter, or ``None`` when no token was sent.
        cause: the token error behind a 401, if any.
    """

    bearer_error: BearerError | None

    def __init__(
        self,
        *,
        error_code: ErrorCode,
        message: str,
        cause: InvalidTokenError | None = None,
    ) -> None:
        HTTPException.__init__(self, description=message)
        self.error_code: ErrorCode = error_code
        self.message = message
        self.cause = cause

    def body(self) -> dict[str, str | int]:
        """The JSON document sent to the client."""
        return {
            "status": self.code or 500,
            "error": self.bearer_error or "unauthorized",
            "code": self.error_code,
            "message": self.message,
        }

    def www_authenticate_value(self) -> str:
        """The ``WWW-Authenticate`` challenge (RFC 6750 section 3)."""
        if self.bearer_error is None:
            return "Bearer"
        return (
            f"Bearer error={_quoted(self.bearer_error)}, error_description={_quoted(self.message)}"
        )

    def get_body(
        self,
        environ: Mapping[str, object] | None = None,
        scope: Mapping[str, object] | None = None,
    ) -> str:
        """The JSON body (see :meth:`body`)."""
        return json.dumps(self.body())

    def get_headers(
        self,
        environ: Mapping[str, object] | None = None,
        scope: Mapping[str, object] | None = None,
    ) -> list[tuple[str, str]]:
        """JSON content type, the ``WWW-Authenticate`` challenge, and ``no-store``."""
        return [
            ("Content-Type", "application/json"),
            ("WWW-Authenticate", self.www_authenticate_value()),
            ("Cache-Control", "no-store"),
        ]


class AuthenticationFailed(HTTPAuthError, Unauthorized):
    """401: no token, or a token that is malformed, expired, forged, or of the wrong kind."""

    def __init__(
        self,
        *,
        error_code: ErrorCode,
        message: str,
        cause: InvalidTokenError | None = None,
    ) -> None:
        super().__init__(error_code=error_code, message=message, cause=cause)
        self.bearer_error: BearerError | None = (
            None if error_code == "token_missing" else "invalid_token"
        )
        self.www_authenticate: list[WWWAuthenticate] = []

    @classmethod
    def from_token_error(cls, error: InvalidTokenError) -> AuthenticationFailed:
        """The 401 for a rejected token."""
        return cls(error_code=error.code, message=error.message, cause=error)


class PermissionDenied(HTTPAuthError, Forbidden):
    """403: a valid token that lacks a required scope, claim or route match."""

    bearer_error: BearerError | None = "insufficient_scope"
