"""The apps ``throughput.py`` serves with gunicorn, and the tokens it sends them.

Runs in a benchmark virtual environment (``self`` or ``fje``), configured by environment
variables so that every gunicorn worker builds the same app:

* ``BENCH_IMPL``: ``self`` (the demo app, ``examples/app.py``'s ``create_app``) or
  ``fje`` (the same routes with Flask-JWT-Extended);
* ``BENCH_ALG``: ``HS256`` or ``RS256``; ``BENCH_KEY_DIR``: where ``keys`` wrote the RSA
  key pair;
* ``BENCH_REDIS_URL`` (optional): revocation in Redis (flask_pyjwt's
  ``JWT_REVOCATION_REDIS_URL``; Flask-JWT-Extended's blocklist loader reading the same
  kind of key), otherwise none (flask_pyjwt's in-process store, Flask-JWT-Extended
  without a blocklist).

Both apps answer ``GET /open`` (no token) and ``GET /me`` (an auth token) with the same
kind of JSON body. Commands (``python wsgi_apps.py ...``):

* ``keys DIR``: write ``private.pem`` / ``public.pem`` (RSA 2048);
* ``tokens FILE COUNT``: write ``COUNT`` + 1 distinct valid tokens for the configured app,
  one per line (the first is the warm one).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SECRET = "throughput-hmac-secret-" + "s" * 41  # 64 bytes
ISSUER = "flask-pyjwt-demo"
SCOPES = "profile reports:read admin"


def _config() -> tuple[str, str, str | None]:
    return os.environ["BENCH_IMPL"], os.environ["BENCH_ALG"], os.environ.get("BENCH_REDIS_URL")


def _keys() -> tuple[bytes, bytes]:
    directory = Path(os.environ["BENCH_KEY_DIR"])
    return (directory / "private.pem").read_bytes(), (directory / "public.pem").read_bytes()


def self_app() -> Any:
    sys.path.insert(0, str(REPO))
    from examples.app import create_app

    _, alg, redis_url = _config()
    config: dict[str, object] = {"JWT_AUTHTYPE": alg}
    if alg == "HS256":
        config["JWT_SECRET"] = SECRET
    else:
        config["JWT_SECRET"], config["JWT_PUBLICKEY"] = _keys()
    if redis_url:
        config["JWT_REVOCATION_REDIS_URL"] = redis_url
    app = create_app(config)

    @app.get("/open")
    def open_route() -> dict[str, object]:
        return {"sub": "anonymous", "scope": SCOPES, "exp": 0}

    return app


def fje_app() -> Any:
    from flask import Flask
    from flask_jwt_extended import JWTManager, get_jwt, jwt_required

    _, alg, redis_url = _config()
    app = Flask("fje_demo")
    app.config["JWT_ALGORITHM"] = alg
    app.config["JWT_ACCESS_TOKEN_EXPIRES"] = 900
    if alg == "HS256":
        app.config["JWT_SECRET_KEY"] = SECRET
    else:
        private, public = _keys()
        app.config["JWT_PRIVATE_KEY"], app.config["JWT_PUBLIC_KEY"] = private, public
    manager = JWTManager(app)
    if redis_url:
        import redis

        client = redis.Redis.from_url(redis_url)

        @manager.token_in_blocklist_loader
        def revoked(header: dict[str, Any], payload: dict[str, Any]) -> bool:
            return bool(client.exists(f"fje:revoked:{payload['jti']}"))

    @app.get("/open")
    def open_route() -> dict[str, object]:
        return {"sub": "anonymous", "scope": SCOPES, "exp": 0}

    @app.get("/me")
    @jwt_required()
    def me() -> dict[str, object]:
        claims = get_jwt()
        return {"sub": claims["sub"], "scope": claims["scope"], "exp": claims["exp"]}

    return app


def make_app() -> Any:
    """The app gunicorn serves (``wsgi_apps:make_app()``)."""
    return self_app() if _config()[0] == "self" else fje_app()


def write_keys(directory: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "private.pem").write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (directory / "public.pem").write_bytes(
        private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


def write_tokens(path: Path, count: int) -> None:
    impl, alg, _ = _config()
    app = make_app()
    with app.app_context():
        if impl == "self":
            manager = app.extensions["pyjwt_authmanager"]
            tokens = [
                manager.auth_token("alice", SCOPES, admin=True).signed for _ in range(count + 1)
            ]
        else:
            import jwt
            from cryptography.hazmat.primitives.serialization import load_pem_private_key
            from flask_jwt_extended import create_access_token

            first = create_access_token("alice", additional_claims={"scope": SCOPES})
            key: Any = SECRET if alg == "HS256" else load_pem_private_key(_keys()[0], None)
            claims = jwt.decode(first, options={"verify_signature": False})
            # Re-signed with a key object: Flask-JWT-Extended re-parses the PEM per token.
            tokens = [first] + [
                jwt.encode({**claims, "jti": f"{claims['jti']}-{index}"}, key, algorithm=alg)
                for index in range(count)
            ]
    assert len(set(tokens)) == len(tokens)
    path.write_text("\n".join(tokens) + "\n")


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "keys":
        write_keys(Path(sys.argv[2]))
    elif command == "tokens":
        write_tokens(Path(sys.argv[2]), int(sys.argv[3]))
    else:
        raise SystemExit(f"unknown command {command!r}")
