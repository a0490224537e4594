"""Sender-constrained tokens (the docs' "Sender-constrained tokens"): a resource server
that binds the tokens it issues to the client's DPoP key, and a Python client that
signs the proofs with ``cryptography`` alone."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from flask import Flask

from flask_pyjwt import AuthManager, current_token, dpop_proof, require_token

app = Flask(__name__)
app.config["JWT_ISSUER"] = "https://api.example.com"
app.config["JWT_AUTHTYPE"] = "HS256"
app.config["JWT_SECRET"] = "a-32-byte-or-longer-secret-for-hs256!"
# [start config]
app.config["JWT_DPOP"] = "allowed"  # the default: bound tokens with proofs, bearer ones too
app.config["JWT_RESOURCE"] = "https://api.example.com"  # also the audience of its tokens
app.config["JWT_RESOURCE_METADATA_ROUTE"] = "/.well-known/oauth-protected-resource"
# [end config]
auth_manager = AuthManager(app)


# [start server]
@app.post("/login")
def login() -> dict[str, str]:
    # ... check the user's credentials first ...
    proof = dpop_proof()  # the request's verified DPoP proof, or None without one
    jkt = None if proof is None else proof.jkt
    refresh = auth_manager.refresh_token("alice", dpop_jkt=jkt)
    auth = auth_manager.auth_token("alice", "read", session=refresh, dpop_jkt=jkt)
    return {"auth_token": auth.signed, "refresh_token": refresh.signed}


@app.post("/refresh")
@require_token("refresh")  # a bound refresh token needs its proof here too
def refresh() -> dict[str, str]:
    auth, new_refresh = auth_manager.rotate(current_token.signed, "read")  # stays bound
    return {"auth_token": auth.signed, "refresh_token": new_refresh.signed}


@app.get("/orders")
@require_token(scope="read", dpop="required")  # bearer tokens refused here
def orders() -> dict[str, list[str]]:
    return {"orders": ["o-1", "o-2"]}


# [end server]


# [start client]
def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class DPoPClient:
    """One key pair for the client's whole session; a fresh proof for every request."""

    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        numbers = self.key.public_key().public_numbers()
        self.jwk = {"crv": "P-256", "kty": "EC", "x": _b64(numbers.x.to_bytes(32, "big")),
                    "y": _b64(numbers.y.to_bytes(32, "big"))}  # fmt: skip
        self.nonce: str | None = None  # the server's DPoP-Nonce, when it sends one

    def proof(self, method: str, url: str, access_token: str | None = None) -> str:
        """The DPoP header for one request (RFC 9449 4.2); ``url`` without its query."""
        header = {"typ": "dpop+jwt", "alg": "ES256", "jwk": self.jwk}
        claims: dict[str, object] = {
            "jti": secrets.token_urlsafe(16), "htm": method, "htu": url, "iat": int(time.time()),
        }  # fmt: skip
        if access_token is not None:
            claims["ath"] = _b64(hashlib.sha256(access_token.encode("ascii")).digest())
        if self.nonce is not None:
            claims["nonce"] = self.nonce
        signing_input = ".".join(
            _b64(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims)
        )
        der = self.key.sign(signing_input.encode("ascii"), ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)  # JWS wants R || S, not DER
        return f"{signing_input}.{_b64(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"

    def headers(self, method: str, url: str, access_token: str) -> dict[str, str]:
        """``Authorization: DPoP <token>`` and its proof."""
        return {
            "Authorization": f"DPoP {access_token}",
            "DPoP": self.proof(method, url, access_token),
        }


# [end client]
