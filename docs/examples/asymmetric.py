"""Key pairs: an issuer with the private key, a verify-only API with the public key,
and key rotation with ``kid``."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask

from flask_pyjwt import AuthManager, KeySetVerifier, KeyVerifier, current_token, require_token


def new_key_pair() -> tuple[bytes, bytes]:
    """A fresh P-256 key pair as PEM (use ``flask jwt keygen --alg ES256`` for files)."""
    private = ec.generate_private_key(ec.SECP256R1())
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private_pem, public_pem


# [start issuer]
def create_issuer(private_pem: bytes, *, key_id: str | None = None) -> Flask:
    """The login service: holds the private key and issues tokens."""
    app = Flask("issuer")
    app.config["JWT_ISSUER"] = "https://login.example.com"
    app.config["JWT_AUTHTYPE"] = "ES256"
    app.config["JWT_SECRET"] = private_pem  # PEM private key: signs (and verifies)
    if key_id is not None:
        app.config["JWT_KEY_ID"] = key_id  # put in the header of every token as "kid"
    auth_manager = AuthManager(app)

    @app.route("/login", methods=["POST"])
    def login() -> dict[str, str]:
        return {"auth_token": auth_manager.auth_token("alice", "orders:read").signed}

    return app


# [end issuer]


# [start verify-only]
def create_api(public_pem: bytes) -> Flask:
    """Another service: only the public key, so it can verify but never issue."""
    app = Flask("api")
    app.config["JWT_ISSUER"] = "https://login.example.com"
    app.config["JWT_AUTHTYPE"] = "ES256"
    app.config["JWT_PUBLICKEY"] = public_pem  # no JWT_SECRET: verify-only
    AuthManager(app)

    @app.route("/orders")
    @require_token(scope="orders:read")
    def orders() -> dict[str, str]:
        return {"orders_of": current_token.sub}

    return app


# [end verify-only]


# [start rotation]
def create_rotating_issuer(
    old_public_pem: bytes, new_private_pem: bytes, new_public_pem: bytes
) -> Flask:
    """During a key rotation: sign with the new key, still accept the old key's tokens."""
    app = Flask("rotating_issuer")
    app.config["JWT_ISSUER"] = "https://login.example.com"
    app.config["JWT_AUTHTYPE"] = "ES256"
    app.config["JWT_SECRET"] = new_private_pem
    app.config["JWT_KEY_ID"] = "2026-01"  # new tokens carry kid "2026-01"
    verifier = KeySetVerifier(
        [
            KeyVerifier("ES256", old_public_pem, key_id="2025-01"),
            KeyVerifier("ES256", new_public_pem, key_id="2026-01"),
        ]
    )
    auth_manager = AuthManager(app, verifier=verifier)

    @app.route("/login", methods=["POST"])
    def login() -> dict[str, str]:
        return {"auth_token": auth_manager.auth_token("alice", "orders:read").signed}

    @app.route("/orders")
    @require_token(scope="orders:read")
    def orders() -> dict[str, str]:
        return {"orders_of": current_token.sub, "kid": str(current_token.header["kid"])}

    return app


# [end rotation]
