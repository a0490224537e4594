"""Every exception the library raises, under one root.

::

    FlaskPyJWTError
    ├── ConfigError                      set-up problems, raised at init_app
    │   ├── MissingConfigError
    │   └── InvalidConfigError
    ├── InvalidKeyError                  key material that does not fit its algorithm
    │                                    (also a ValueError)
    ├── MissingSignerError               issuing a token in verify-only mode
    ├── LegacyTokenRevocationError       revoking a 1.x auth token alone (also a ValueError)
    ├── ContextError                     used in the wrong place (also a RuntimeError)
    │   ├── NotInitializedError          the app has no AuthManager (forgot init_app?)
    │   ├── AlreadyInitializedError      init_app twice on one app
    │   ├── NoCurrentTokenError          current_token outside a protected request
    │   └── DecoratorOrderError          @require_token above @app.route: would serve unprotected
    ├── UnavailableError                 a service a check needs did not answer (503);
    │   │                                abstract: raise a subclass
    │   ├── RevocationUnavailableError   revocation_unavailable: the revocation store
    │   └── KeysUnavailableError         keys_unavailable: an identity provider's keys (JWKS)
    ├── InvalidTokenError                a token was rejected (401); abstract: raise a subclass
    │   ├── TokenMalformedError          token_malformed
    │   │   └── TokenTooLargeError       token_too_large
    │   ├── AlgorithmNotAllowedError     algorithm_not_allowed
    │   ├── UnknownKeyError              unknown_key
    │   ├── SignatureInvalidError        signature_invalid
    │   ├── TokenExpiredError            token_expired
    │   ├── TokenNotYetValidError        token_not_yet_valid
    │   ├── ClaimInvalidError            claim_invalid
    │   │   └── ClaimsShapeError         (claim_invalid) custom claims that do not fit claims_as
    │   ├── TokenTypeInvalidError        token_type_invalid
    │   ├── InvalidDpopProofError        invalid_dpop_proof: a DPoP proof refused (RFC 9449)
    │   │   └── UseDpopNonceError        use_dpop_nonce: the proof lacks the server's nonce
    │   └── TokenRevokedError            token_revoked: the token, its session or its subject
    │       └── RefreshTokenReusedError  refresh_token_reused: a rotated refresh token again
    └── HTTPAuthError                    what a protected view answers (in _flask.http_errors,
        ├── AuthenticationFailed         401   outside the pure core: a Werkzeug
        ├── PermissionDenied             403   HTTPException)
        └── TemporarilyUnavailable       503

Each class that has a ``code`` of its own is named after it: ``PascalCase(code) +
"Error"`` (CONTRIBUTING.md, "Naming errors"; ``tests/test_error_names.py``).

and every warning under one base::

    FlaskPyJWTWarning (a UserWarning)
    ├── WeakSecretWarning                an HMAC secret shorter than RFC 7518 requires
    ├── IgnoredConfigWarning             a JWT_* setting flask_pyjwt does not use
    └── MisspeltOptionWarning            a require_token claim named like one of its options

Messages never contain a secret, a key or bytes from the request. This module is part
of the pure core: it imports neither Flask nor Werkzeug.
"""

from __future__ import annotations

from typing import ClassVar, Literal


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
            message
            or (
                f"is required; set app.config[{key!r}], the {key} environment variable or a "
                f"{key} line in the .env file (AuthManager(dotenv_path=...))"
            ),
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


class InvalidKeyError(FlaskPyJWTError, ValueError):
    """Key material that cannot be used for its algorithm: not a key, the wrong kind or
    size of key, or (with ``require_strong_secret``) an HMAC secret that is too short.

    Raised by :class:`~flask_pyjwt.KeySigner` and :class:`~flask_pyjwt.KeyVerifier`; the
    configuration reports the same problem as an :class:`InvalidConfigError` naming the
    key (``JWT_SECRET: is not a PEM private key, which RS256 needs``). A
    :class:`ValueError` too, as ``KeySigner`` documented before it existed.

    The message is a full sentence naming what was expected; it never quotes the key.

    Attributes:
        detail: what is wrong, without a subject (``is not a PEM private key, which
            RS256 needs``), for callers that name the key themselves.
    """

    def __init__(self, detail: str, *, subject: str = "The key") -> None:
        sentence = f"{subject} {detail}"
        super().__init__(sentence if sentence.endswith(".") else f"{sentence}.")
        self.detail = detail

    def about(self, subject: str) -> InvalidKeyError:
        """The same problem, said of ``subject`` (``"KeySigner's RS256 key"``)."""
        return type(self)(self.detail, subject=subject)


class MissingSignerError(FlaskPyJWTError):
    """A token was to be issued by an app that can only verify (no private key or secret)."""


class LegacyTokenRevocationError(FlaskPyJWTError, ValueError):
    """An auth token without ``jti`` (a Flask_PyJWT 1.x token, or an identity provider's
    that leaves it out) cannot be revoked on its own; ``revoke_subject`` revokes it with
    the subject's other tokens."""


class ContextError(FlaskPyJWTError, RuntimeError):
    """The library was used where it cannot work (no app context, wrong app, ...)."""


class NotInitializedError(ContextError):
    """The app has no AuthManager state: ``init_app`` was not called for it."""


class AlreadyInitializedError(ContextError):
    """``init_app`` was called a second time for the same app."""


class NoCurrentTokenError(ContextError):
    """``current_token`` was read where no token was verified."""


class DecoratorOrderError(ContextError):
    """``@require_token(...)`` sits above ``@app.route(...)`` (or a blueprint's route), so
    the route registered the view *unprotected*.

    Raised when the decorator is applied to a view already registered on an app an
    :class:`~flask_pyjwt.AuthManager` serves, by ``init_app`` for such a view, and for
    every request of an app that has one (a blueprint registered later), so the view is
    never served unprotected. Swap the two decorator lines.
    """


def _require_code(error: FlaskPyJWTError) -> None:
    # The two bases have no code of their own: an instance of one would reach a client
    # with no reason to give (and an HTTP error handler with nothing to send).
    if not hasattr(type(error), "code"):
        name = type(error).__name__
        raise TypeError(f"{name} is abstract: raise one of its subclasses, which carry a code")


UnavailableCode = Literal["revocation_unavailable", "keys_unavailable"]


class UnavailableError(FlaskPyJWTError):
    """Something a token check needs did not answer (a store, a key set), so the token
    could be neither accepted nor refused. A protected request answers 503 with a
    ``Retry-After`` header; it never accepts the token unchecked.

    Abstract: it has no :attr:`code` of its own, so only its subclasses are raised
    (constructing it directly is a :class:`TypeError`); catch it to catch them all.

    Attributes:
        code: a stable machine-readable reason, sent to clients in the JSON error body.
        message: a human sentence safe to show to the client.
        retry_after: seconds after which trying again may succeed.
    """

    code: ClassVar[UnavailableCode]

    def __init__(self, message: str, *, retry_after: int = 1) -> None:
        _require_code(self)
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class RevocationUnavailableError(UnavailableError):
    """The revocation store could not be reached or did not answer in time.

    A protected request answers 503 ``revocation_unavailable`` rather than accept a
    token whose revocation could not be checked, unless the app chose to fail open.
    """

    code: ClassVar[UnavailableCode] = "revocation_unavailable"


class KeysUnavailableError(UnavailableError):
    """An identity provider's key set (JWKS) could not be fetched and no earlier copy is
    held, so no token of that provider can be verified yet (503 ``keys_unavailable``)."""

    code: ClassVar[UnavailableCode] = "keys_unavailable"


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
    "token_revoked",
    "refresh_token_reused",
    "invalid_dpop_proof",
    "use_dpop_nonce",
]


class InvalidTokenError(FlaskPyJWTError):
    """A token was rejected. Subclasses say why; :attr:`code` is stable for machines.

    Abstract: it has no :attr:`code` of its own, so only its subclasses are raised
    (constructing it directly is a :class:`TypeError`); catch it to catch them all.

    Attributes:
        code: a stable machine-readable reason, sent to clients in the JSON error body.
        message: a human sentence safe to show to the client (never request bytes).
    """

    code: ClassVar[InvalidTokenCode]

    def __init__(self, message: str) -> None:
        _require_code(self)
        super().__init__(message)
        self.message = message


class TokenMalformedError(InvalidTokenError):
    """Not a strictly well-formed compact JWS (segments, base64url, JSON objects)."""

    code: ClassVar[InvalidTokenCode] = "token_malformed"


class TokenTooLargeError(TokenMalformedError):
    """The token is longer than ``JWT_MAX_TOKEN_LENGTH``; it was not decoded."""

    code: ClassVar[InvalidTokenCode] = "token_too_large"


class AlgorithmNotAllowedError(InvalidTokenError):
    """The header names an algorithm the configuration does not allow (``none`` included)."""

    code: ClassVar[InvalidTokenCode] = "algorithm_not_allowed"


class UnknownKeyError(InvalidTokenError):
    """No configured key matches the token's ``kid``."""

    code: ClassVar[InvalidTokenCode] = "unknown_key"


class SignatureInvalidError(InvalidTokenError):
    """The signature does not verify with the configured key."""

    code: ClassVar[InvalidTokenCode] = "signature_invalid"


class TokenExpiredError(InvalidTokenError):
    """The token's ``exp`` has passed."""

    code: ClassVar[InvalidTokenCode] = "token_expired"


class TokenNotYetValidError(InvalidTokenError):
    """The token's ``nbf`` or ``iat`` lies in the future."""

    code: ClassVar[InvalidTokenCode] = "token_not_yet_valid"


class ClaimInvalidError(InvalidTokenError):
    """A registered claim is missing, of the wrong JSON type, or has the wrong value.

    Attributes:
        claim: the name of the claim at fault.
    """

    code: ClassVar[InvalidTokenCode] = "claim_invalid"

    def __init__(self, claim: str, message: str) -> None:
        super().__init__(message)
        self.claim = claim


class ClaimsShapeError(ClaimInvalidError):
    """A verified token's custom claims do not fit the declared claims shape.

    Raised by :func:`~flask_pyjwt.claims.load_claims`; a view protected with
    ``require_token(claims_as=...)`` answers it with 401 ``claim_invalid``.

    Attributes:
        claim: the path of the claim at fault (``roles[1]``, ``address.city``); a member
            of a ``Mapping`` claim is ``labels.*``, since its key is the token's text.
        shape: the name of the dataclass the claims were checked against.
    """

    def __init__(self, claim: str, message: str, *, shape: str) -> None:
        super().__init__(claim, message)
        self.shape = shape


class TokenTypeInvalidError(InvalidTokenError):
    """A refresh token where an auth token is required, or the other way round."""

    code: ClassVar[InvalidTokenCode] = "token_type_invalid"


class InvalidDpopProofError(InvalidTokenError):
    """A DPoP proof (RFC 9449 4.3) was missing, malformed, or failed one of its checks:
    its type, algorithm, key, signature, method, URI, time, replay, access token hash,
    or the key the token is bound to. Answered 401 with ``WWW-Authenticate: DPoP
    error="invalid_dpop_proof"``."""

    code: ClassVar[InvalidTokenCode] = "invalid_dpop_proof"


class UseDpopNonceError(InvalidDpopProofError):
    """The DPoP proof carries no nonce, or one this server no longer accepts (RFC 9449
    8): answered 401 ``use_dpop_nonce`` with a fresh ``DPoP-Nonce`` header to retry with."""

    code: ClassVar[InvalidTokenCode] = "use_dpop_nonce"


class TokenRevokedError(InvalidTokenError):
    """The token, its session or its subject was revoked (logout, logout everywhere)."""

    code: ClassVar[InvalidTokenCode] = "token_revoked"


class RefreshTokenReusedError(TokenRevokedError):
    """A refresh token that was already rotated was presented again: its whole session
    (every token of its family) has just been revoked (RFC 9700 4.14.2)."""

    code: ClassVar[InvalidTokenCode] = "refresh_token_reused"


class FlaskPyJWTWarning(UserWarning):
    """Root of every warning flask_pyjwt emits: filter them all with
    ``warnings.filterwarnings("error", category=FlaskPyJWTWarning)`` in a test suite."""


class WeakSecretWarning(FlaskPyJWTWarning):
    """An HMAC secret is shorter than RFC 7518 3.2 requires for its algorithm."""


class IgnoredConfigWarning(FlaskPyJWTWarning):
    """A ``JWT_*`` setting that flask_pyjwt does not use.

    Either a key it does not know (a typo such as ``JWT_AUTHMAX_AGE``, or another
    extension's name such as Flask-JWT-Extended's ``JWT_SECRET_KEY``), with the key it
    probably means; or a key the configured algorithm ignores (``JWT_PUBLICKEY`` with an
    ``HS*`` algorithm).
    """


class MisspeltOptionWarning(FlaskPyJWTWarning):
    """A claim requirement of :func:`~flask_pyjwt.require_token` (or
    :func:`~flask_pyjwt.verify_request`) named like one of its options
    (``scopes=``, ``optinal=``, ``fresh_=``): probably a typo, which would otherwise
    require a claim of that name and refuse every token with 403.

    To require such a claim on purpose, pass it in ``claims={...}``, which never warns.
    """
