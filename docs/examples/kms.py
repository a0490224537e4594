"""A custom signer backed by a key-management service (KMS), and a custom verifier.

The "KMS" here is an in-process stand-in with the shape of a real one (AWS KMS,
Google Cloud KMS, an HSM): it holds the private key, signs a digest on request and
returns an ECDSA signature in DER, and hands out only the public key.
"""

from __future__ import annotations

import hashlib

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
from flask import Flask

from flask_pyjwt import AuthManager, KeyVerifier, current_token, require_token
from flask_pyjwt.errors import SignatureInvalidError, UnknownKeyError
from flask_pyjwt.typing import JWSHeader


class FakeKMS:
    """Stands in for a KMS client: the private key never leaves it."""

    def __init__(self) -> None:
        self._keys = {"jwt-signing-2026": ec.generate_private_key(ec.SECP256R1())}
        self.calls = 0

    def sign_digest(self, key_name: str, digest: bytes) -> bytes:
        """ECDSA-sign a SHA-256 digest; returns a DER signature, like real KMSs do."""
        self.calls += 1
        prehashed = ec.ECDSA(utils.Prehashed(hashes.SHA256()))
        return self._keys[key_name].sign(digest, prehashed)

    def public_key_pem(self, key_name: str) -> bytes:
        return (
            self._keys[key_name]
            .public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )


# [start signer]
class KMSSigner:
    """A :class:`flask_pyjwt.Signer`: no subclassing, just these three members."""

    def __init__(self, kms: FakeKMS, key_name: str) -> None:
        self._kms = kms
        self._key_name = key_name

    @property
    def algorithm(self) -> str:
        return "ES256"

    @property
    def key_id(self) -> str | None:
        return self._key_name  # becomes the token's "kid" header

    def sign(self, signing_input: bytes) -> bytes:
        digest = hashlib.sha256(signing_input).digest()
        der = self._kms.sign_digest(self._key_name, digest)
        # JWS wants ECDSA signatures as R || S, 32 bytes each for P-256 (RFC 7518 3.4).
        r, s = utils.decode_dss_signature(der)
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")


# [end signer]


# [start verifier]
class PinnedKidVerifier:
    """A :class:`flask_pyjwt.Verifier` that accepts one kid and delegates the maths."""

    def __init__(self, kid: str, public_pem: bytes) -> None:
        self._kid = kid
        self._key = KeyVerifier("ES256", public_pem, key_id=kid)

    @property
    def algorithms(self) -> frozenset[str]:
        return frozenset({"ES256"})

    def verify(self, header: JWSHeader, signing_input: bytes, signature: bytes) -> None:
        if header.kid != self._kid:
            raise UnknownKeyError("No configured key matches the token's key id.")
        self._key.verify(header, signing_input, signature)  # raises SignatureInvalidError


# [end verifier]


# [start app]
def create_app(kms: FakeKMS) -> Flask:
    app = Flask(__name__)
    app.config["JWT_ISSUER"] = "kms-example"
    # With both a custom signer and verifier, JWT_AUTHTYPE and JWT_SECRET are not needed.
    auth_manager = AuthManager(
        app,
        signer=KMSSigner(kms, "jwt-signing-2026"),
        verifier=PinnedKidVerifier("jwt-signing-2026", kms.public_key_pem("jwt-signing-2026")),
    )

    @app.route("/login", methods=["POST"])
    def login() -> dict[str, str]:
        return {"auth_token": auth_manager.auth_token("alice").signed}

    @app.route("/me")
    @require_token()
    def me() -> dict[str, str]:
        return {"sub": current_token.sub, "alg": current_token.alg}

    return app


# [end app]

__all__ = ["FakeKMS", "SignatureInvalidError", "KMSSigner", "PinnedKidVerifier", "create_app"]
