"""Where tokens travel, cookies, optional and fresh routes, and verify_request: every new
argument form, the exact types returned, and misuse that must not type-check."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

from flask import Flask, Response
from typing_extensions import assert_type

from flask_pyjwt import (
    AuthManager,
    AuthToken,
    Exact,
    FromRoute,
    RefreshToken,
    Token,
    TokenType,
    current_token,
    require_token,
    verify_request,
)
from flask_pyjwt._core.policy import Settings
from flask_pyjwt._core.transport import TransportSettings
from flask_pyjwt.typing import Location, SameSite

app = Flask(__name__)


@app.post("/notes")
@require_token(location=("cookies", "header"), fresh=True)
def add_note() -> dict[str, str]:
    return {"by": current_token.sub}


@app.get("/feed")
@require_token(optional=True)
async def feed() -> list[str]:
    token = current_token.get_or_none()
    return [] if token is None else [token.sub]


def location_forms(where: Location, several: Sequence[Location], names: list[Location]) -> None:
    require_token(location="header")
    require_token(location="cookies")
    require_token(location="query")
    require_token(location="json")
    require_token("auth", "json")  # still positional, as in 1.x
    require_token(location=("cookies", "header"))
    require_token(location=["json", "header", "query"])
    require_token(location=where)
    require_token(location=several)
    require_token(location=names)
    require_token(location=None)  # the app's JWT_TOKEN_LOCATION
    require_token(cookie_name="session")  # alone: the cookie location
    require_token("refresh", ("cookies", "json"), cookie_name="rt")
    require_token(optional=True)
    require_token(fresh=True, scope="admin")
    require_token(optional=True, fresh=True, location="cookies")
    assert_type(require_token(optional=True)(add_note), Callable[[], dict[str, str]])


async def views_keep_their_signatures() -> None:
    assert_type(add_note(), dict[str, str])
    assert_type(await feed(), list[str])


def verify_request_narrows(kind: TokenType, flag: bool) -> None:
    assert_type(verify_request(), AuthToken)
    assert_type(verify_request("auth"), AuthToken)
    assert_type(verify_request(TokenType.AUTH, "cookies"), AuthToken)
    assert_type(verify_request(scope="admin", claims={"level": Exact("staff")}), AuthToken)
    assert_type(verify_request(claims={"tenant": FromRoute("tenant")}, fresh=True), AuthToken)
    assert_type(verify_request("refresh"), RefreshToken)
    assert_type(verify_request(TokenType.REFRESH, ("cookies", "json")), RefreshToken)
    assert_type(verify_request(optional=True), AuthToken | None)
    assert_type(verify_request("refresh", optional=True), RefreshToken | None)
    assert_type(verify_request(optional=False), AuthToken)
    # Values only known at run time: either kind, maybe none.
    assert_type(verify_request(kind), Token | None)
    assert_type(verify_request(optional=flag), Token | None)


def cookies_and_fresh(manager: AuthManager, response: Response) -> None:
    auth = manager.auth_token("alice", fresh=True)
    manager.auth_token("alice", fresh=300)
    manager.auth_token("alice", fresh=timedelta(minutes=5))
    refresh = manager.refresh_token("alice")
    assert_type(auth.fresh_until, int | None)
    assert_type(auth.is_fresh(), bool)
    assert_type(current_token.fresh_until, int | None)
    assert_type(current_token.is_fresh(), bool)
    assert_type(current_token.get_or_none(), Token | None)
    assert_type(manager.set_token_cookies(response, auth=auth, refresh=refresh), None)
    manager.set_token_cookies(response, auth=auth)
    manager.set_token_cookies(response, refresh=refresh)
    assert_type(manager.unset_token_cookies(response), None)


def settings(value: Settings) -> None:
    transport = value.transport
    assert_type(transport, TransportSettings)
    assert_type(transport.locations, tuple[Location, ...])
    assert_type(transport.cookie_samesite, SameSite)
    assert_type(transport.cookie_domain, str | None)
    assert_type(transport.csrf_methods, frozenset[str])
    assert_type(transport.csrf_protect, bool)


def misuse(manager: AuthManager, response: Response, token: Token, raw: str) -> None:
    require_token(location="headers")  # type: ignore[arg-type]
    require_token(location=("cookies", "session"))  # type: ignore[arg-type]
    require_token(location=raw)  # type: ignore[arg-type]
    require_token(optional="yes")  # type: ignore[arg-type]
    require_token(fresh=300)  # type: ignore[arg-type]
    require_token("auth", "cookies", "auth_token")  # type: ignore[call-arg]
    auth = manager.auth_token("alice")
    refresh = manager.refresh_token("alice")
    manager.set_token_cookies(response, auth=refresh)  # type: ignore[arg-type]
    manager.set_token_cookies(response, refresh=auth)  # type: ignore[arg-type]
    manager.set_token_cookies(response, auth=raw)  # type: ignore[arg-type]
    manager.set_token_cookies(response, token)  # type: ignore[call-arg, arg-type]
    manager.set_token_cookies(raw, auth=auth)  # type: ignore[arg-type]
    manager.auth_token("alice", fresh="yes")  # type: ignore[arg-type]
    manager.auth_token("alice", fresh=1.5)  # type: ignore[arg-type]
    refreshed: RefreshToken = verify_request()  # type: ignore[assignment]
    sure: AuthToken = verify_request(optional=True)  # type: ignore[assignment]
    verify_request("access")  # type: ignore[call-overload]
    _ = verify_request("refresh").scope  # type: ignore[attr-defined]
    _ = auth.fresh_until + 1  # type: ignore[operator]
    del refreshed, sure
