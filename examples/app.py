"""A small API protected by flask_pyjwt, on an embedded default configuration.

Serve it for a real HTTP client::

    flask --app examples/app.py run

Endpoints: ``POST /login`` (form ``username``/``password``), ``GET /me`` (auth token),
``POST /refresh`` (refresh token: rotated, a new pair comes back), ``POST /logout``
(refresh token: ends its session), ``POST /logout-everywhere`` (auth token: revokes
every token of the user), ``GET /users/<username>`` (only that user, or an admin),
``GET /admin`` (scope ``admin``), ``GET /reports`` (scope ``reports:read``).
Scopes are OAuth-style space-separated strings; ``admin`` is also a claim, for overrides.

Revocations live in the process unless ``JWT_REVOCATION_REDIS_URL`` is set (in the
environment or the ``config`` given to :func:`create_app`): then every process serving
the app shares them.
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


def _issue_pair(username: str) -> dict[str, str]:
    """A new session for ``username``: a refresh token, and an auth token of its session."""
    user = USERS[username]
    refresh = auth_manager.refresh_token(username)
    auth = auth_manager.auth_token(username, user.scopes, session=refresh, admin=user.admin)
    return {"auth_token": auth.signed, "refresh_token": refresh.signed}


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
        return _issue_pair(username), 200

    @app.get("/me")
    @require_token()
    def me() -> dict[str, object]:
        return {"sub": current_token.sub, "scope": current_token.scope, "exp": current_token.exp}

    @app.post("/refresh")
    @require_token("refresh")
    def refresh() -> dict[str, str]:
        # Rotation: the presented refresh token is retired; presenting it again (a
        # stolen copy, say) revokes the whole session: 401 refresh_token_reused.
        user = USERS[current_token.sub]
        auth, new_refresh = auth_manager.rotate(
            current_token.signed, user.scopes, claims={"admin": user.admin}
        )
        return {"auth_token": auth.signed, "refresh_token": new_refresh.signed}

    @app.post("/logout")
    @require_token("refresh")
    def logout() -> dict[str, str]:
        # Ends the session: this refresh token, every one rotated from the same login,
        # and the auth tokens issued for it.
        auth_manager.revoke(current_token.get())
        return {"message": "logged out"}

    @app.post("/logout-everywhere")
    @require_token()
    def logout_everywhere() -> dict[str, str]:
        # Every token of this user issued until now, on every device.
        auth_manager.revoke_subject(current_token.sub)
        return {"message": f"every session of {current_token.sub} has ended"}

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
