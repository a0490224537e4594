"""Misuse that must not type-check. Each line carries a ``type: ignore`` comment with its
mypy code; if a line ever starts to type-check, the ignore is unused and both checkers fail
the run (and tests/type_check/test_ignores_are_precise.py checks pyright line by line)."""

from __future__ import annotations

import datetime

from flask import Flask

from flask_pyjwt import (
    AuthManager,
    AuthToken,
    Exact,
    FromRoute,
    RefreshToken,
    Token,
    current_token,
    require_token,
)
from flask_pyjwt._core.policy import Settings

app = Flask(__name__)


@app.get("/users/<username>/items/<int:item>")
@require_token(sub="username")
def route_view(username: str, item: int) -> str:
    return f"{username}/{item}"


@app.get("/async/<username>")
@require_token()
async def async_view(username: str) -> str:
    return username


def unknown_literals(manager: AuthManager, raw: str) -> None:
    require_token("access")  # type: ignore[arg-type]
    require_token(token_type="bearer")  # type: ignore[arg-type]
    require_token(location="cookie")  # type: ignore[arg-type]
    require_token("auth", "body")  # type: ignore[arg-type]
    manager.convert_token(raw, "access")  # type: ignore[call-overload]


def keyword_only_options() -> None:
    # token_type and location stay positional (Flask_PyJWT 1.x passes them so); every
    # other option is keyword-only.
    require_token("refresh", "cookies", "refresh_token")  # type: ignore[call-arg]
    require_token("auth", "header", None)  # type: ignore[call-arg]
    require_token(claims={"region": object()})  # type: ignore[dict-item]
    require_token(claims={1: "eu"})  # type: ignore[dict-item]
    require_token(claims=[("region", "eu")])  # type: ignore[arg-type]


def frozen_values(auth: AuthToken, refresh: RefreshToken, settings: Settings) -> None:
    auth.sub = "mallory"  # type: ignore[misc]
    auth.exp = 2**40  # type: ignore[misc]
    auth.scope = {"admin": True}  # type: ignore[misc]
    refresh.rid = "other"  # type: ignore[misc]
    settings.issuer = "elsewhere"  # type: ignore[misc]
    current_token.sub = "mallory"  # type: ignore[misc]


def read_only_claims(auth: AuthToken) -> None:
    auth.claims["admin"] = True  # type: ignore[index]
    del auth.claims["sub"]  # type: ignore[attr-defined]
    auth.claims.update({"admin": True})  # type: ignore[attr-defined]
    auth.claims.pop("sub")  # type: ignore[attr-defined]
    auth.header["alg"] = "none"  # type: ignore[index]
    current_token.claims["admin"] = True  # type: ignore[index]


def decorated_views_keep_their_signature() -> None:
    route_view(3, "alice")  # type: ignore[arg-type]
    route_view("alice")  # type: ignore[call-arg]
    route_view("alice", 3, extra=True)  # type: ignore[call-arg]
    async_view(username=3)  # type: ignore[arg-type, unused-coroutine]
    result: int = route_view("alice", 3)  # type: ignore[assignment]
    del result


def non_json_claims(manager: AuthManager) -> None:
    manager.auth_token("alice", when=datetime.datetime.now())  # type: ignore[arg-type]
    manager.auth_token("alice", roles={"admin", "ops"})  # type: ignore[arg-type]
    manager.auth_token("alice", {"admin": object()})  # type: ignore[dict-item]
    # Not seen by the types: bytes is a Sequence[int], so b"..." fits JSONInput's
    # Sequence[JSONInput]; issuing raises TypeError at runtime (see docs/typing.rst).
    manager.refresh_token("alice", device=b"bytes")
    manager.auth_token(42)  # type: ignore[arg-type]
    require_token(custom=object())  # type: ignore[arg-type]
    require_token(scope={"read", "write"})  # type: ignore[arg-type]
    require_token(override={"admin": datetime.date.today()})  # type: ignore[dict-item]
    Exact(object())  # type: ignore[arg-type]
    FromRoute(3)  # type: ignore[arg-type]


def wrong_kinds(manager: AuthManager, raw: str, token: Token) -> None:
    auth: AuthToken = manager.convert_token(raw)  # type: ignore[assignment]
    refresh: RefreshToken = manager.convert_token(raw, "auth")  # type: ignore[assignment]
    del auth, refresh
    _ = token.scope  # type: ignore[union-attr]  # a RefreshToken has no scope: narrow first
    _ = manager.auth_token("alice").rid  # type: ignore[attr-defined]
    AuthManager(app, signer="a-secret")  # type: ignore[arg-type]
