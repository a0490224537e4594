"""An independent DPoP client for the tests (RFC 9449 4.2): proofs built with joserfc,
never with flask_pyjwt's code.

:class:`DPoPKey` holds one of the committed test keys as a joserfc key; :meth:`proof`
signs a proof for a method and URI (optionally with ``ath`` for an access token, a
server nonce, or any claim or header changed or removed to test a refusal).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, cast

from joserfc import jws
from joserfc.errors import SecurityWarning
from joserfc.jwk import ECKey, OKPKey, RSAKey

from tests.support import KEYS_DIR

_DROP: Final = object()
"""A claim or header value meaning: leave that member out."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def ath_of(token: str) -> str:
    """RFC 9449 4.2: base64url(SHA-256(ASCII access token))."""
    return b64url(hashlib.sha256(token.encode("ascii")).digest())


def jkt_of(public_jwk: Mapping[str, object]) -> str:
    """RFC 7638 thumbprint, written from the RFC (not joserfc's, not the library's)."""
    required = {
        "EC": ("crv", "kty", "x", "y"),
        "RSA": ("e", "kty", "n"),
        "OKP": ("crv", "kty", "x"),
    }
    kty = public_jwk["kty"]
    assert isinstance(kty, str)
    members = {name: public_jwk[name] for name in required[kty]}
    canonical = json.dumps(members, sort_keys=True, separators=(",", ":")).encode()
    return b64url(hashlib.sha256(canonical).digest())


def _load(name: str) -> ECKey | RSAKey | OKPKey:
    pem = (KEYS_DIR / f"{name}.pem").read_bytes()
    if name.startswith("ec-"):
        return cast("ECKey", ECKey.import_key(pem))  # pyright: ignore[reportUnknownMemberType]
    if name.startswith("rsa-"):
        return cast("RSAKey", RSAKey.import_key(pem))  # pyright: ignore[reportUnknownMemberType]
    return cast("OKPKey", OKPKey.import_key(pem))  # pyright: ignore[reportUnknownMemberType]


@dataclass
class DPoPKey:
    """A client's DPoP key pair (a committed test key) and the proofs it signs."""

    name: str = "ec-P-256-3"
    alg: str = "ES256"
    key: ECKey | RSAKey | OKPKey = field(init=False)

    def __post_init__(self) -> None:
        self.key = _load(self.name)

    @property
    def public_jwk(self) -> dict[str, object]:
        return dict(self.key.as_dict(private=False))

    @property
    def jkt(self) -> str:
        return jkt_of(self.public_jwk)

    def proof(
        self,
        method: str,
        uri: str,
        *,
        token: str | None = None,
        nonce: str | None = None,
        iat: float,
        claims: Mapping[str, object] | None = None,
        header: Mapping[str, object] | None = None,
    ) -> str:
        """A signed DPoP proof for ``method`` and ``uri`` made at ``iat``."""
        body: dict[str, object] = {
            "jti": secrets.token_urlsafe(16), "htm": method, "htu": uri, "iat": int(iat),
        }  # fmt: skip
        if token is not None:
            body["ath"] = ath_of(token)
        if nonce is not None:
            body["nonce"] = nonce
        for name, value in (claims or {}).items():
            if value is _DROP:
                body.pop(name, None)
            else:
                body[name] = value
        protected: dict[str, object] = {"typ": "dpop+jwt", "alg": self.alg, "jwk": self.public_jwk}
        for name, value in (header or {}).items():
            if value is _DROP:
                protected.pop(name, None)
            else:
                protected[name] = value
        payload = json.dumps(body, separators=(",", ":")).encode()
        with warnings.catch_warnings():
            # joserfc flags "EdDSA" as deprecated by RFC 9864, which RFC 9449 clients still send
            warnings.simplefilter("ignore", SecurityWarning)
            return jws.serialize_compact(protected, payload, self.key, algorithms=[self.alg])


DROP: Final = _DROP


def sign_es256_raw(name: str, header: Mapping[str, object], claims: Mapping[str, object]) -> str:
    """A compact JWS over exactly ``header`` and ``claims``, signed ES256 with the
    committed key ``name`` by cryptography alone (for headers joserfc will not write)."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    private = serialization.load_pem_private_key((KEYS_DIR / f"{name}.pem").read_bytes(), None)
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    signing_input = ".".join(
        b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims)
    )
    r, s = decode_dss_signature(private.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
    return f"{signing_input}.{b64url(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"
