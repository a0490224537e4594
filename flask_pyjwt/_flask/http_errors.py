r"""The HTTP half of the exception tree: what a protected view answers.

:class:`HTTPAuthError` and its two subclasses are both :class:`~flask_pyjwt.errors.FlaskPyJWTError`
(the root of :mod:`flask_pyjwt._core.errors`) and Werkzeug ``HTTPException``\ s, so an
app's own ``@app.errorhandler(401)`` / ``(403)`` still applies.

:func:`register_error_handlers` (called by ``init_app``) makes a pure token error or an
unavailable service escaping any view the same answer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, MutableMapping
from typing import Final, Literal

from flask import Flask, current_app, has_app_context
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Forbidden, HTTPException, ServiceUnavailable, Unauthorized

from flask_pyjwt._core.errors import (
    FlaskPyJWTError,
    InvalidTokenCode,
    InvalidTokenError,
    TokenExpiredError,
    UnavailableCode,
    UnavailableError,
)
from flask_pyjwt._core.tokens import Token

ForbiddenCode = Literal["insufficient_scope", "claim_mismatch", "csrf_failed"]
RequestCode = Literal[
    "token_missing", "json_body_invalid", "fresh_token_required", "user_not_found",
    "dpop_required",
]  # fmt: skip
BearerError = Literal[
    "invalid_token", "insufficient_scope", "invalid_request", "insufficient_user_authentication",
    "invalid_dpop_proof", "use_dpop_nonce",
]  # fmt: skip
ErrorCode = Literal[InvalidTokenCode, ForbiddenCode, UnavailableCode, RequestCode]

# The RFC 6750 3.1 error of a 401 by its code, when it is not "invalid_token". No token
# sent: no error at all (RFC 6750 3.1). A token that is not fresh: RFC 9470 3's step-up
# error, which tells the client to have the user authenticate again.
_BEARER_ERRORS: Final[Mapping[str, BearerError | None]] = {
    "token_missing": None,
    "json_body_invalid": "invalid_request",
    "fresh_token_required": "insufficient_user_authentication",
    # RFC 9449 7.1 / 8: the proof's own errors.
    "invalid_dpop_proof": "invalid_dpop_proof",
    "use_dpop_nonce": "use_dpop_nonce",
}

_CODE_FORMAT: Final = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_CODE_MAX_LENGTH: Final = 64


def _check_format(code: object) -> str:
    # Checked at runtime too: not every caller type-checks.
    if not isinstance(code, str):
        raise TypeError(
            f"error_code must be a str (a built-in code or CustomErrorCode(...)), got "
            f"{type(code).__name__}"
        )
    if len(code) > _CODE_MAX_LENGTH or not _CODE_FORMAT.fullmatch(code):
        raise ValueError(
            "error_code must be lowercase snake_case: a-z and 0-9 in words joined by single "
            f"underscores, starting with a letter, at most {_CODE_MAX_LENGTH} characters "
            f"(like 'account_locked'); got {code[: _CODE_MAX_LENGTH + 1]!r}"
        )
    return code


class CustomErrorCode(str):
    """An app's own error ``code``: ``CustomErrorCode("account_locked")``.

    A string of its own type, so that a misspelt built-in code (``"token_expird"``) stays
    a type error while an app's own codes are spelled out on purpose. Its format is
    checked where it is written: lowercase snake_case (``a-z`` and ``0-9`` in words
    joined by single underscores, starting with a letter), at most 64 characters.

    Raises:
        ValueError: ``code`` is not in that format.
    """

    __slots__ = ()

    def __new__(cls, code: str) -> CustomErrorCode:
        return super().__new__(cls, _check_format(code))


def _checked_code(error_code: ErrorCode | CustomErrorCode) -> ErrorCode | CustomErrorCode:
    _check_format(error_code)  # a plain str from an untyped caller is checked here
    return error_code


# Each app's challenge scheme (JWT_HEADER_SCHEME), written by register_error_handlers:
# read when an error is rendered, so an app's own AuthenticationFailed challenges alike.
_CHALLENGE_KEY: Final = "flask_pyjwt.challenge_scheme"
_DEFAULT_SCHEME: Final = "Bearer"


def _challenge_scheme() -> str:
    if has_app_context():
        extensions: Mapping[str, object] = current_app.extensions
        scheme = extensions.get(_CHALLENGE_KEY)
        if isinstance(scheme, str):
            return scheme
    return _DEFAULT_SCHEME


def _quoted(text: str) -> str:
    # RFC 6750 3: error_description is %x20-21 / %x23-5B / %x5D-7E.
    safe = "".join(ch for ch in text if 0x20 <= ord(ch) <= 0x7E and ch not in '"\\')
    return f'"{safe}"'


class HTTPAuthError(FlaskPyJWTError, HTTPException):
    """An HTTP error raised by :func:`~flask_pyjwt.require_token`.

    Rendered as a JSON body ``{"error": ..., "code": ..., "message": ...}`` and an RFC 6750
    ``WWW-Authenticate: Bearer`` header. It is a Werkzeug ``HTTPException`` so an app's own
    ``@app.errorhandler(401)`` / ``(403)`` handlers take precedence.

    An app may raise :class:`AuthenticationFailed` and :class:`PermissionDenied` itself,
    with a built-in :data:`~flask_pyjwt.typing.ErrorCode` or its own
    :class:`CustomErrorCode`, and gets the same response.

    Attributes:
        error_code: the stable machine-readable reason.
        bearer_error: the RFC 6750 ``error`` parameter, or ``None`` when no token was sent.
        cause: the token error behind a 401, if any.
        challenge_scheme: ``"Bearer"``, or ``"DPoP"`` for a request or route that uses
            DPoP (RFC 9449 7.1).
        dpop_algs: the ``algs`` parameter of a ``DPoP`` challenge.
        dpop_nonce: a server nonce sent in the ``DPoP-Nonce`` header (RFC 9449 8).

    Raises:
        ValueError: ``error_code`` is not lowercase snake_case of at most 64 characters.
        TypeError: ``error_code`` is not a string.
    """

    bearer_error: BearerError | None
    challenge_scheme: Literal["Bearer", "DPoP"] = "Bearer"
    dpop_algs: str | None = None
    dpop_nonce: str | None = None

    def __init__(
        self,
        *,
        error_code: ErrorCode | CustomErrorCode,
        message: str,
        cause: InvalidTokenError | None = None,
    ) -> None:
        HTTPException.__init__(self, description=message)
        self.error_code: ErrorCode | CustomErrorCode = _checked_code(error_code)
        self.message = message
        self.cause = cause

    def body(self) -> dict[str, str | int]:
        """The JSON document sent to the client."""
        return {
            "status": self.code or 500,
            "error": self.bearer_error or ("forbidden" if self.code == 403 else "unauthorized"),
            "code": self.error_code,
            "message": self.message,
        }

    def www_authenticate_value(self) -> str:
        """The ``WWW-Authenticate`` challenge (RFC 6750 3; RFC 9449 7.1 for ``DPoP``), in
        the app's ``JWT_HEADER_SCHEME`` unless it is a DPoP challenge (``Bearer`` for a
        bare-token header too, since a challenge must name a scheme)."""
        scheme = "DPoP" if self.challenge_scheme == "DPoP" else _challenge_scheme()
        params: list[str] = []
        if self.bearer_error is not None:
            params.append(f"error={_quoted(self.bearer_error)}")
            params.append(f"error_description={_quoted(self.message)}")
        if scheme == "DPoP" and self.dpop_algs:
            params.append(f"algs={_quoted(self.dpop_algs)}")
        return f"{scheme} {', '.join(params)}" if params else scheme

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
        """JSON content type, the ``WWW-Authenticate`` challenge, and ``no-store``.

        A 403 that is not about the token's authorizations (``csrf_failed``) has no
        challenge: another token would not help.
        """
        headers = [("Content-Type", "application/json"), ("Cache-Control", "no-store")]
        if self.code == 401 or self.bearer_error is not None:
            headers.insert(1, ("WWW-Authenticate", self.www_authenticate_value()))
        if self.dpop_nonce is not None:
            headers.append(("DPoP-Nonce", self.dpop_nonce))
        return headers


class AuthenticationFailed(HTTPAuthError, Unauthorized):
    """401: no token, or a token that is malformed, expired, forged, or of the wrong kind.

    Attributes:
        expired_token: for an error handler, the refused token when a protected route
            refused it only for having expired: verified (signature, issuer, kind,
            audience) but for its expiry. ``None`` for every other refusal, and above all
            for any token refused before its signature verified: nothing a client made
            up reaches the handler. Revocation is not checked; never send its
            ``signed`` form back.
    """

    def __init__(
        self,
        *,
        error_code: ErrorCode | CustomErrorCode,
        message: str,
        cause: InvalidTokenError | None = None,
    ) -> None:
        super().__init__(error_code=error_code, message=message, cause=cause)
        self.bearer_error: BearerError | None = _BEARER_ERRORS.get(error_code, "invalid_token")
        self.www_authenticate: list[WWWAuthenticate] = []
        self.expired_token: Token | None = None

    @classmethod
    def from_token_error(
        cls, error: InvalidTokenError, *, expired_token: Token | None = None
    ) -> AuthenticationFailed:
        """The 401 for a rejected token (``expired_token``: see the attribute)."""
        failed = cls(error_code=error.code, message=error.message, cause=error)
        if isinstance(error, TokenExpiredError):
            failed.expired_token = expired_token
        return failed


class PermissionDenied(HTTPAuthError, Forbidden):
    """403: a valid token that lacks a required scope, claim or route match; or a token
    read from a cookie without its CSRF header (``csrf_failed``, with no
    ``WWW-Authenticate`` challenge and ``"error": "forbidden"``)."""

    def __init__(
        self,
        *,
        error_code: ErrorCode | CustomErrorCode,
        message: str,
        cause: InvalidTokenError | None = None,
    ) -> None:
        super().__init__(error_code=error_code, message=message, cause=cause)
        self.bearer_error: BearerError | None = (
            None if error_code == "csrf_failed" else "insufficient_scope"
        )


class TemporarilyUnavailable(HTTPAuthError, ServiceUnavailable):
    """503: a service a token check needs (the revocation store, an identity provider's
    key set) did not answer, so the token could be neither accepted nor refused.

    The body is the same JSON document as for 401/403, with ``error``
    ``"temporarily_unavailable"`` (RFC 6749 4.1.2.1's name for it). The answer carries
    ``Retry-After`` and no ``WWW-Authenticate`` challenge: the client's token may be
    fine, and the same request may succeed later.

    Attributes:
        retry_after: seconds after which the client may try again.
    """

    def __init__(
        self,
        *,
        error_code: ErrorCode | CustomErrorCode,
        message: str,
        retry_after: int = 1,
    ) -> None:
        super().__init__(error_code=error_code, message=message)
        self.bearer_error: BearerError | None = None
        self.retry_after = retry_after

    @classmethod
    def from_unavailable(cls, error: UnavailableError) -> TemporarilyUnavailable:
        """The 503 for a service that did not answer."""
        return cls(error_code=error.code, message=error.message, retry_after=error.retry_after)

    def body(self) -> dict[str, str | int]:
        """The JSON document sent to the client."""
        return {
            "status": 503,
            "error": "temporarily_unavailable",
            "code": self.error_code,
            "message": self.message,
        }

    def get_headers(
        self,
        environ: Mapping[str, object] | None = None,
        scope: Mapping[str, object] | None = None,
    ) -> list[tuple[str, str]]:
        """JSON content type, ``Retry-After`` and ``no-store``."""
        return [
            ("Content-Type", "application/json"),
            ("Retry-After", str(self.retry_after)),
            ("Cache-Control", "no-store"),
        ]


def as_http_error(error: InvalidTokenError | UnavailableError) -> HTTPAuthError:
    """The answer a protected view gives for ``error``: 401 for a rejected token (its
    ``code``, with ``WWW-Authenticate``), 503 for a service that did not answer."""
    if isinstance(error, UnavailableError):
        return TemporarilyUnavailable.from_unavailable(error)
    return AuthenticationFailed.from_token_error(error)


def _answer_escaped_error(
    error: InvalidTokenError | UnavailableError,
) -> HTTPException | ResponseReturnValue:
    # Through Flask's own HTTP error handling: an app's @errorhandler(401) / (503), or
    # one for the HTTP error's class, still decides the answer.
    answer = current_app.handle_http_exception(as_http_error(error))
    return answer.get_response() if isinstance(answer, HTTPException) else answer


_ESCAPING: Final = (InvalidTokenError, UnavailableError)


def register_error_handlers(app: Flask, *, challenge_scheme: str = _DEFAULT_SCHEME) -> None:
    """Answer a library error escaping any view of ``app`` as a protected view would.

    ``auth_manager.convert_token(...)`` or ``revoke(...)`` on a bad token in a view of the
    app's own, or a revocation store that is down during ``rotate(...)``, is then the
    JSON 401 / 503, never an HTML 500. An
    app's own handler stays in charge: one registered for ``FlaskPyJWTError`` before
    ``init_app`` (then none is registered here), one for the same class registered
    after (it replaces this one), or one for a subclass (``TokenExpiredError``).

    Also records ``challenge_scheme`` (``JWT_HEADER_SCHEME``) for the challenges of
    ``app``'s 401 and 403 answers; ``""`` (a bare-token header) challenges ``Bearer``.
    """
    extensions: MutableMapping[str, object] = app.extensions
    extensions[_CHALLENGE_KEY] = challenge_scheme or _DEFAULT_SCHEME
    handlers: Mapping[type[Exception], object] = app.error_handler_spec[None][None]
    if FlaskPyJWTError in handlers:
        return
    for error_class in _ESCAPING:
        if error_class not in handlers:
            app.register_error_handler(error_class, _answer_escaped_error)
