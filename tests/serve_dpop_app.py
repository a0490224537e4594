"""A DPoP resource server (flask_pyjwt's own tokens, bound at login), served over HTTP on
127.0.0.1 as a second app process.

    python -m tests.serve_dpop_app REDIS_URL

Prints ``PORT <n>`` once the server listens on its free port, then serves until it is
terminated. Proof replays go to the Redis at ``REDIS_URL``, which the test process shares.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping

from flask import Flask
from werkzeug.serving import make_server

from flask_pyjwt import AuthManager, current_token, dpop_proof, require_token

SECRET = "a-dpop-test-secret-that-is-long-enough-for-hs256-xxxxxxxx"


def create_dpop_app(config: Mapping[str, object] | None = None) -> Flask:
    """Login binds the tokens to the proof's key; ``/resource`` takes them."""
    app = Flask("dpop_server")
    app.config["JWT_ISSUER"] = "https://dpop.test"
    app.config["JWT_AUTHTYPE"] = "HS256"
    app.config["JWT_SECRET"] = SECRET
    for key, value in (config or {}).items():
        app.config[key] = value
    manager = AuthManager(app)

    @app.post("/login")
    def login() -> dict[str, str]:
        proof = dpop_proof()
        jkt = None if proof is None else proof.jkt
        return {"auth_token": manager.auth_token("alice", dpop_jkt=jkt).signed}

    @app.route("/resource", methods=["GET", "POST"])
    @require_token()
    def resource() -> dict[str, str]:
        return {"sub": current_token.sub}

    return app


def main(redis_url: str) -> None:
    app = create_dpop_app({"JWT_REVOCATION_REDIS_URL": redis_url})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(f"PORT {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1])
