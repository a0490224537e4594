"""A small API protected by flask_pyjwt, on an embedded default configuration.

Serve it for a real HTTP client::

    flask --app examples/app.py run

Endpoints: ``POST /login`` (form ``username``/``password``), ``GET /me`` (auth token),
``POST /refresh`` (refresh token), ``GET /users/<username>`` (only that user, or an
admin), ``GET /admin`` (scope ``admin``), ``GET /reports`` (scope ``reports:read``).
Scopes are OAuth-style space-separated strings; ``admin`` is also a claim, for overrides.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from flask import Flask, request

from flask_pyjwt import AuthManager, current_token, require_token

DEMO_CONFIG: Mapping[str, object] = {
    "JWT_ISSUER": "flask-pyjwt-demo",
    "JWT_AUTHTYPE": "HS256",
    # A throw-away demo secret (64 bytes). Real apps read it from the environment.
    "JWT_SECRET": "demo-only-secret-9c1f7d0a4b2e48e6a3d5f0b7c9e1a2d4-do-not-use-in-production",
    "JWT_AUTHMAXAGE": 900,
    "JWT_REFRESHMAXAGE": 86400,
}


class User:
    """A demo account."""

    def __init__(self, password: str, *, scopes: str) -> None:
        self.password = password
        self.scopes = scopes
        self.admin = "admin" in scopes.split()


USERS: Mapping[str, User] = {
    "alice": User("wonderland", scopes="profile reports:read admin"),
    "bob": User("builder", scopes="profile"),
}

auth_manager = AuthManager()


def _issue_auth(username: str) -> str:
    user = USERS[username]
    return auth_manager.auth_token(username, user.scopes, admin=user.admin).signed


def create_app(config: Mapping[str, object] | None = None) -> Flask:
    """Build the demo app (``config`` overrides the embedded defaults)."""
    app = Flask(__name__)
    for key, value in {**DEMO_CONFIG, **(config or {})}.items():
        app.config[key] = value
    auth_manager.init_app(app)

    @app.post("/login")
    def login() -> tuple[dict[str, str], int]:
        username = request.form.get("username", "")
        password = request.form.get("password", "")
        user = USERS.get(username)
        if user is None or not hmac.compare_digest(user.password, password):
            return {"error": "invalid username or password"}, 401
        refresh = auth_manager.refresh_token(username)
        return {"auth_token": _issue_auth(username), "refresh_token": refresh.signed}, 200

    @app.get("/me")
    @require_token()
    def me() -> dict[str, object]:
        return {"sub": current_token.sub, "scope": current_token.scope, "exp": current_token.exp}

    @app.post("/refresh")
    @require_token("refresh")
    def refresh() -> dict[str, str]:
        return {"auth_token": _issue_auth(current_token.sub)}

    @app.get("/users/<username>")
    @require_token(sub="username", override={"admin": True})
    def user_profile(username: str) -> dict[str, str]:
        return {"profile": f"{username}'s profile", "viewer": current_token.sub}

    @app.get("/admin")
    @require_token(scope="admin")
    def admin() -> dict[str, str]:
        return {"message": f"Welcome to the admin area, {current_token.sub}."}

    @app.get("/reports")
    @require_token(scope="reports:read")
    def reports() -> dict[str, list[str]]:
        return {"reports": ["q1.pdf", "q2.pdf"]}

    return app


app = create_app()
