"""Error responses: the default JSON body and headers, and an app's own handlers."""

from __future__ import annotations

import time

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException

from flask_pyjwt import (
    AuthenticationFailed,
    AuthManager,
    PermissionDenied,
    current_token,
    require_token,
)
from flask_pyjwt.errors import CustomErrorCode


def create_app(*, custom_handlers: bool) -> Flask:
    app = Flask(__name__)
    app.config["JWT_ISSUER"] = "errors-example"
    app.config["JWT_AUTHTYPE"] = "HS256"
    app.config["JWT_SECRET"] = "a-32-byte-or-longer-secret-for-hs256!"
    AuthManager(app)

    @app.route("/admin")
    @require_token(scope={"admin": True})
    def admin() -> dict[str, str]:
        return {"area": "admin"}

    # [start custom-code]
    @app.route("/workspace")
    @require_token()
    def workspace() -> dict[str, str]:
        if current_token.claims.get("suspended") is True:
            raise PermissionDenied(
                error_code=CustomErrorCode("tenant_suspended"),
                message="This workspace is suspended; contact billing.",
            )
        return {"workspace": current_token.sub}

    # [end custom-code]

    if custom_handlers:
        register_handlers(app)
    return app


# [start handlers]
def register_handlers(app: Flask) -> None:
    @app.errorhandler(AuthenticationFailed)
    def unauthorized(error: AuthenticationFailed) -> tuple[Response, int]:
        # error.error_code is the stable reason ("token_expired", ...); keep the
        # RFC 6750 challenge header so clients know how to authenticate.
        response = jsonify(problem=error.error_code, detail=error.message)
        response.headers["WWW-Authenticate"] = error.www_authenticate_value()
        return response, 401

    @app.errorhandler(PermissionDenied)
    def forbidden(error: PermissionDenied) -> tuple[Response, int]:
        response = jsonify(problem=error.error_code, detail="Ask an admin for access.")
        response.headers["WWW-Authenticate"] = error.www_authenticate_value()
        return response, 403


# [end handlers]


# [start by-status]
def register_status_handler(app: Flask) -> None:
    # A handler for the status code catches these errors too (they are Werkzeug
    # HTTPExceptions), along with every other 401 the app raises.
    @app.errorhandler(401)
    def any_unauthorized(error: HTTPException) -> tuple[dict[str, str], int]:
        return {"message": "Please log in."}, 401


# [end by-status]


def issue(
    app: Flask, *, scope: dict[str, bool] | None, age: int = 0, suspended: bool = False
) -> str:
    """A token for ``app``'s configuration, issued ``age`` seconds ago."""
    issuer = Flask("errors_issuer")
    for key in ("JWT_ISSUER", "JWT_AUTHTYPE", "JWT_SECRET"):
        issuer.config[key] = app.config[key]
    manager = AuthManager(issuer, clock=lambda: time.time() - age)
    with issuer.app_context():
        return manager.auth_token("alice", scope, suspended=suspended).signed
