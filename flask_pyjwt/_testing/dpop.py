"""A DPoP client key for tests (RFC 9449): the proofs and headers of a client that holds it.

Written with :mod:`cryptography` and the library's own base64url and thumbprint code:
nothing a test-only library provides. The proofs it signs are what an RFC 9449 client
sends; the test suite checks them with an independent implementation (joserfc).
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Final, Literal, TypeAlias
from urllib.parse import urlsplit, urlunsplit

from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from flask import Flask

from flask_pyjwt._core.algorithms import AuthType
from flask_pyjwt._core.b64 import b64url_encode
from flask_pyjwt._core.dpop import access_token_hash
from flask_pyjwt._core.jwks import public_jwk, thumbprint
from flask_pyjwt._core.key_signers import KeySigner
from flask_pyjwt._core.strict_json import JSONInput

from .kit import issue_auth_token

DPoPAlgorithm: TypeAlias = Literal["ES256", "ES384", "ES512", "EdDSA", "RS256", "PS256"]
"""The algorithms a :class:`DPoPKey` signs its proofs with."""

_ALGORITHMS: Final[tuple[DPoPAlgorithm, ...]] = (
    "ES256",
    "ES384",
    "ES512",
    "EdDSA",
    "RS256",
    "PS256",
)
_CURVES: Final[dict[str, ec.EllipticCurve]] = {
    "ES256": ec.SECP256R1(),
    "ES384": ec.SECP384R1(),
    "ES512": ec.SECP521R1(),
}
_NOT_KEY_MEMBERS: Final = frozenset({"kid", "use", "alg"})

_PrivateKey: TypeAlias = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey


def _generate(algorithm: DPoPAlgorithm) -> _PrivateKey:
    if algorithm in _CURVES:
        return ec.generate_private_key(_CURVES[algorithm])
    if algorithm == "EdDSA":
        return ed25519.Ed25519PrivateKey.generate()
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _segment(part: Mapping[str, object]) -> str:
    return b64url_encode(json.dumps(part, separators=(",", ":")).encode("utf-8"))


def _target_uri(url: str) -> str:
    """``url`` without its query and fragment (RFC 9449 4.2's ``htu``)."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        raise ValueError(
            f"a DPoP proof is made for an absolute URL, got {url!r}: with Flask's test "
            "client, 'http://localhost/orders' for client.get('/orders')"
        )
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


class DPoPKey:
    """A DPoP client's key pair for tests, and the proofs it signs (RFC 9449 4.2).

    Its private key is generated when it is made and never leaves it. Bind a token to
    it with ``auth_manager.auth_token("alice", dpop_jkt=key.jkt)``, then send each
    request with :meth:`headers` (or the proof alone, from :meth:`proof`). Every proof
    has a new random ``jti``: a proof is good for one request, as the app remembers
    its ``jti`` to refuse a replay.

    Args:
        algorithm: what it signs with: ``"ES256"`` (the default, fast to generate),
            ``"ES384"``, ``"ES512"``, ``"EdDSA"`` (Ed25519), ``"RS256"`` or ``"PS256"``
            (RSA-2048; generating a key takes a moment).
        clock: the time its proofs' ``iat`` is stamped with: give it the app's
            :class:`TokenClock`, so that moving one moves both.

    Attributes:
        algorithm: as given.
        jkt: the RFC 7638 thumbprint of its public key: what
            ``auth_token(..., dpop_jkt=...)`` binds a token to, and what the app's
            ``dpop_proof().jkt`` says of its proofs.
    """

    __slots__ = ("_clock", "_jwk", "_signer", "algorithm", "jkt")

    def __init__(
        self, algorithm: DPoPAlgorithm = "ES256", *, clock: Callable[[], float] = time.time
    ) -> None:
        if algorithm not in _ALGORITHMS:
            choices = ", ".join(_ALGORITHMS)
            raise ValueError(f"algorithm must be one of {choices}, got {algorithm!r}")
        private = _generate(algorithm)
        public = private.public_key()
        self.algorithm: DPoPAlgorithm = algorithm
        self.jkt: str = thumbprint(public)
        self._clock = clock
        self._signer = KeySigner(algorithm, private)
        full = public_jwk(public, AuthType(algorithm), self.jkt)
        self._jwk: dict[str, str] = {
            name: value
            for name, value in full.items()
            if name not in _NOT_KEY_MEMBERS and isinstance(value, str)
        }

    @property
    def public_jwk(self) -> dict[str, str]:
        """Its public key as the proofs' ``jwk`` header carries it: the members RFC 7638
        names (``kty``, ``crv``, ``x``, ``y`` for an EC key), never a private one."""
        return dict(self._jwk)

    def proof(
        self,
        method: str,
        url: str,
        *,
        access_token: str | None = None,
        nonce: str | None = None,
        iat: float | None = None,
        jti: str | None = None,
    ) -> str:
        """A signed DPoP proof (the ``DPoP`` header) for one request.

        Args:
            method: the request's method (``htm``), as the app receives it (``"GET"``).
            url: the request's absolute URL (``htu``; its query and fragment are left
                out): ``"http://localhost/orders"`` for Flask's test client's
                ``client.get("/orders")``.
            access_token: the token sent with it, whose hash the proof carries (``ath``);
                ``None`` for a request without one (a login that binds new tokens).
            nonce: the server's ``DPoP-Nonce``, with ``JWT_DPOP_NONCE``.
            iat: when it is made, in seconds since the epoch (default: its clock's now).
            jti: its unique id (default: a new random one); give one twice to test
                that the app refuses a replay.

        Returns:
            The compact JWS: header ``typ`` ``dpop+jwt``, ``alg``, ``jwk``; claims
            ``jti``, ``htm``, ``htu``, ``iat``, and ``ath`` and ``nonce`` when given.

        Raises:
            ValueError: ``url`` is not absolute.
        """
        claims: dict[str, object] = {
            "jti": secrets.token_urlsafe(16) if jti is None else jti,
            "htm": method,
            "htu": _target_uri(url),
            "iat": int(self._clock() if iat is None else iat),
        }
        if access_token is not None:
            claims["ath"] = access_token_hash(access_token)
        if nonce is not None:
            claims["nonce"] = nonce
        header = {"typ": "dpop+jwt", "alg": self.algorithm, "jwk": self._jwk}
        signing_input = f"{_segment(header)}.{_segment(claims)}"
        signature = self._signer.sign(signing_input.encode("ascii"))
        return f"{signing_input}.{b64url_encode(signature)}"

    def headers(
        self, method: str, url: str, token: str, *, nonce: str | None = None
    ) -> dict[str, str]:
        """The headers of one request that presents the DPoP-bound ``token``:
        ``{"Authorization": "DPoP <token>", "DPoP": <a new proof>}``.

        Args:
            method, url, nonce: as :meth:`proof` takes them.
            token: the access (or refresh) token, bound to :attr:`jkt`.

        Raises:
            ValueError: ``url`` is not absolute.
        """
        proof = self.proof(method, url, access_token=token, nonce=nonce)
        return {"Authorization": f"DPoP {token}", "DPoP": proof}

    def __repr__(self) -> str:
        return f"DPoPKey(algorithm={self.algorithm!r}, jkt={self.jkt!r})"


def dpop_auth_header(
    app: Flask,
    key: DPoPKey,
    subject: str,
    method: str,
    url: str,
    *,
    scope: JSONInput = None,
    claims: Mapping[str, JSONInput] | None = None,
    fresh: bool | int | timedelta = False,
    nonce: str | None = None,
) -> dict[str, str]:
    """The headers of one request with an auth token issued by ``app``'s own
    :class:`~flask_pyjwt.AuthManager` and bound to ``key``: :func:`auth_header` for
    DPoP, to pass as ``client.get(..., headers=...)``. The proof is for that one
    request (``method`` and ``url``); for another, call it again or use
    ``key.headers(method, url, token)`` with the same token.

    Args:
        app: an app with an AuthManager that can issue tokens.
        key: the client's key; the token carries its :attr:`~DPoPKey.jkt`.
        subject: the token's ``sub``.
        method, url, nonce: as :meth:`DPoPKey.proof` takes them.
        scope, claims, fresh: as :func:`auth_header` takes them.

    Raises:
        NotInitializedError: ``app`` has no AuthManager.
        MissingSignerError: the app only verifies.
        ValueError: ``url`` is not absolute; or what ``auth_token`` refuses (as
            ``TypeError``).
    """
    token = issue_auth_token(
        app, subject, scope=scope, claims=claims, fresh=fresh, dpop_jkt=key.jkt
    )
    return key.headers(method, url, token, nonce=nonce)
