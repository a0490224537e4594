"""Issue 21's typing: user objects in (the manager's user class), either kind on one route,
expired tokens. Lines with a ``type: ignore`` must fail to type-check (an unused ignore
fails the run; test_ignores_are_precise.py checks pyright line by line)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import Flask
from typing_extensions import assert_type

from flask_pyjwt import (
    AuthenticationFailed,
    AuthManager,
    AuthToken,
    RefreshToken,
    Token,
    current_token,
    require_token,
    verify_request,
)
from flask_pyjwt.typing import JSONInput, UserLoader

app = Flask(__name__)


@dataclass(frozen=True)
class User:
    id: int
    email: str


@dataclass(frozen=True)
class Team:
    name: str


auth_manager: AuthManager[User] = AuthManager(app)


@auth_manager.identity_loader
def identity(user: User) -> str:
    return str(user.id)


@auth_manager.claims_loader
def claims(user: User) -> Mapping[str, JSONInput]:
    return {"email": user.email}


@auth_manager.user_loader
def load_user(token: Token) -> User | None:
    return User(int(auth_manager.identity(token)), "x@example.com")


def users_in(user: User, team: Team) -> None:
    assert_type(auth_manager.auth_token(user), AuthToken)
    assert_type(auth_manager.auth_token("7"), AuthToken)  # a str is still the subject
    assert_type(auth_manager.refresh_token(user), RefreshToken)
    assert_type(load_user, UserLoader[User])
    assert_type(load_user.current, User)
    auth_manager.auth_token(team)  # type: ignore[arg-type]
    auth_manager.refresh_token(7)  # type: ignore[arg-type]
    plain = AuthManager(app)  # no user class: strings only
    plain.auth_token(user)  # type: ignore[arg-type]


def wrong_loaders() -> None:
    def team_identity(team: Team) -> str:
        return team.name

    def number_identity(user: User) -> int:
        return user.id

    auth_manager.identity_loader(team_identity)  # type: ignore[arg-type]
    auth_manager.identity_loader(number_identity)  # type: ignore[arg-type]


@app.post("/logout")
@require_token(token_type=("auth", "refresh"))
def logout() -> str:
    assert_type(current_token.get(("auth", "refresh")), Token)
    return "bye"


def either_kind(raw: str) -> None:
    assert_type(verify_request(("auth", "refresh")), Token)
    assert_type(verify_request(("auth", "refresh"), optional=True), Token | None)
    assert_type(verify_request("refresh"), RefreshToken)
    assert_type(auth_manager.convert_token(raw, ("auth", "refresh")), Token)
    require_token(token_type=("auth", "access"))  # type: ignore[arg-type]
    verify_request(("auth", "bearer"))  # type: ignore[arg-type]


def expired(raw: str, error: AuthenticationFailed) -> None:
    assert_type(auth_manager.convert_token(raw, allow_expired=True), Token)
    assert_type(auth_manager.convert_token(raw, "auth", allow_expired=True), AuthToken)
    assert_type(auth_manager.convert_token(raw, "refresh", allow_expired=True), RefreshToken)
    assert_type(error.expired_token, Token | None)
    token = auth_manager.convert_token(raw, allow_expired=True)
    assert_type(token.is_expired(), bool)
    assert_type(current_token.identity, str)
