"""require_token: every argument form, and decorated views keep their exact signature."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from typing_extensions import assert_type

from flask_pyjwt import Exact, FromRoute, TokenType, require_token
from flask_pyjwt.typing import Location, TokenTypeName

app = Flask(__name__)


@app.get("/sync")
@require_token()
def sync_view() -> dict[str, str]:
    return {"ok": "yes"}


@app.get("/async")
@require_token()
async def async_view() -> dict[str, str]:
    return {"ok": "yes"}


@app.get("/users/<username>/items/<int:item>")
@require_token(sub="username")
def route_view(username: str, item: int, *, verbose: bool = False) -> str:
    return f"{username}/{item}/{verbose}"


@app.get("/users/<username>")
@require_token(sub=FromRoute("username"), role=Exact("username"))
async def async_route_view(username: str) -> list[str]:
    return [username]


def signatures_are_kept() -> None:
    assert_type(sync_view, Callable[[], dict[str, str]])
    assert_type(sync_view(), dict[str, str])
    assert_type(route_view("alice", 3), str)
    assert_type(route_view(username="alice", item=3, verbose=True), str)


async def async_signatures_are_kept() -> None:
    # mypy spells a coroutine Coroutine[Any, Any, T], pyright CoroutineType[Any, Any, T]:
    # awaiting states the same thing for both.
    assert_type(await async_view(), dict[str, str])
    assert_type(await async_route_view("alice"), list[str])
    assert_type(await async_route_view(username="alice"), list[str])


@app.get("/regions/<region>")
@require_token(claims={"location": "eu", "scope": "billing", "tenant": FromRoute("region")})
def claims_mapping_view(region: str) -> str:
    return region


def every_argument_form(kind: TokenTypeName, where: Location) -> None:
    require_token()
    require_token("auth")
    require_token("refresh")
    require_token(TokenType.REFRESH)
    require_token("auth", "header", scope={"admin": True})  # 1.x's positional form
    require_token("refresh", "cookies", cookie_name="refresh_token")
    require_token(token_type="refresh", location="cookies", cookie_name="refresh_token")
    require_token(location="cookies", cookie_name="auth_token")
    require_token(scope={"admin": True})
    require_token(scope="read write")
    require_token(scope=["read", "write"])
    require_token(sub="username")
    require_token(sub=FromRoute("username"))
    require_token(role=Exact("username"))
    require_token(custom_claim="value", level=3, flags=[True, None], nested={"a": [1.5]})
    require_token(sub="username", override={"admin": True})
    require_token(claims={"location": "eu", "override": Exact("x")}, role="admin")
    claims: dict[str, str] = {"region": "eu"}
    require_token(claims=claims)  # a dict of a narrower value type is a Mapping of them
    # Literal-typed variables (not only literals) pick the options, and the decorator
    # still keeps the view's exact signature.
    assert_type(require_token(kind, where)(sync_view), Callable[[], dict[str, str]])
    assert_type(claims_mapping_view("emea"), str)
