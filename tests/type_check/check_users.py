"""The typed current user: ``current_user.email`` type-checks with no cast and no Any."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from typing_extensions import assert_type

from flask_pyjwt import AuthManager, AuthToken, Token, require_token
from flask_pyjwt.typing import UserLoader

app = Flask(__name__)
auth_manager = AuthManager(app)


@dataclass(frozen=True)
class User:
    id: str
    email: str
    admin: bool = False

    def display_name(self) -> str:
        return self.email.partition("@")[0]


USERS: dict[str, User] = {}


@auth_manager.user_loader
def load_user(token: Token) -> User | None:
    return USERS.get(token.sub)


current_user = load_user.current


@app.get("/me")
@require_token()
def me() -> dict[str, str | bool]:
    assert_type(current_user, User)
    assert_type(current_user.email, str)
    assert_type(current_user.admin, bool)
    assert_type(current_user.display_name(), str)
    return {"email": current_user.email, "admin": current_user.admin}


@app.get("/maybe")
@require_token(optional=True)
async def maybe() -> dict[str, str | None]:
    user = load_user.get_or_none()
    assert_type(user, User | None)
    return {"email": None if user is None else user.email}


def loader_types(token: Token) -> None:
    assert_type(load_user, UserLoader[User])
    assert_type(load_user.get(), User)
    assert_type(load_user.get_or_none(), User | None)
    assert_type(load_user(token), User | None)  # still the function it wraps
    assert_type(load_user.current, User)


def a_loader_that_always_finds_one(manager: AuthManager) -> None:
    @manager.user_loader
    def by_subject(token: Token) -> str:
        return token.sub

    assert_type(by_subject.current, str)
    assert_type(by_subject.current.upper(), str)


def misuse(manager: AuthManager, token: AuthToken) -> None:
    _ = current_user.name  # type: ignore[attr-defined]
    _ = current_user.email + 1  # type: ignore[operator]
    email: int = current_user.email  # type: ignore[assignment]
    _ = load_user.get_or_none().email  # type: ignore[union-attr]
    load_user("alice")  # type: ignore[arg-type]
    del email

    def wrong_argument(name: str) -> User | None:
        return USERS.get(name)

    def no_argument() -> User | None:
        return None

    def needs_an_auth_token(token: AuthToken) -> User | None:
        return USERS.get(token.sub)

    manager.user_loader(wrong_argument)  # type: ignore[arg-type]
    manager.user_loader(no_argument)  # type: ignore[arg-type]
    manager.user_loader(needs_an_auth_token)  # type: ignore[arg-type]
    del token
