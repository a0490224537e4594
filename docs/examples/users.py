"""The current user: a loader registered on the manager, typed as the app's own class."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from flask_pyjwt import AuthManager, Token, require_token

app = Flask(__name__)
app.config["JWT_ISSUER"] = "users-example"
app.config["JWT_AUTHTYPE"] = "HS256"
app.config["JWT_SECRET"] = "a-32-byte-or-longer-secret-for-hs256!"
auth_manager = AuthManager(app)


@dataclass(frozen=True)
class User:
    id: str
    email: str
    display_name: str


USERS = {"alice": User("alice", "alice@example.com", "Alice")}


# [start loader]
@auth_manager.user_loader
def load_user(token: Token) -> User | None:
    return USERS.get(token.sub)  # your database lookup; None answers 401 user_not_found


current_user = load_user.current  # typed User: no cast, no Any


@app.route("/profile")
@require_token()
def profile() -> dict[str, str]:
    return {"email": current_user.email, "name": current_user.display_name}


# [end loader]


# [start optional-user]
@app.route("/greeting")
@require_token(optional=True)
def greeting() -> dict[str, str]:
    user = load_user.get_or_none()  # User | None: None when no token was sent
    return {"greeting": f"Hello, {user.display_name if user else 'guest'}!"}


# [end optional-user]
