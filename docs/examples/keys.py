"""Keys as JWKs, publishing the JWK Set, and a rotation without logging anyone out."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask

from flask_pyjwt import AuthManager, current_token, require_token
from flask_pyjwt.typing import JWKSet


# [start publish]
def create_issuer(private_key_pem: bytes) -> Flask:
    """A login service that publishes its public key for the services behind it."""
    app = Flask("issuer")
    app.config["JWT_ISSUER"] = "https://login.example.com"
    app.config["JWT_AUTHTYPE"] = "ES256"
    app.config["JWT_SECRET"] = private_key_pem  # or a private JWK (JSON text or a dict)
    app.config["JWT_JWKS_ROUTE"] = "/.well-known/jwks.json"  # serves auth_manager.jwks()
    auth_manager = AuthManager(app)

    @app.route("/login", methods=["POST"])
    def login() -> dict[str, str]:
        return {"auth_token": auth_manager.auth_token("alice", "orders:read").signed}

    @app.route("/keys")
    def keys() -> JWKSet:  # the same document, typed: {"keys": [{"kty": ..., "kid": ...}]}
        return auth_manager.jwks()

    return app


# [end publish]


# [start rotation]
def create_service(signing_jwk: Mapping[str, str], *public_jwks: Mapping[str, str]) -> Flask:
    """One deployment of a service during a rotation: it signs with ``signing_jwk`` and
    accepts tokens signed by any key of ``public_jwks`` (each with its "kid")."""
    app = Flask("service")
    app.config["JWT_ISSUER"] = "https://login.example.com"
    app.config["JWT_AUTHTYPE"] = "ES256"
    app.config["JWT_SECRET"] = dict(signing_jwk)  # its kid is the kid of every new token
    app.config["JWT_PUBLICKEY"] = {"keys": [dict(jwk) for jwk in public_jwks]}
    auth_manager = AuthManager(app)

    @app.route("/login", methods=["POST"])
    def login() -> dict[str, str]:
        return {"auth_token": auth_manager.auth_token("alice").signed}

    @app.route("/whoami")
    @require_token()
    def whoami() -> dict[str, str]:
        return {"sub": current_token.sub, "kid": str(current_token.header["kid"])}

    return app


# [end rotation]
