"""require_token: token kinds, locations, scope, claims, route binding, errors, async views."""

from __future__ import annotations

import asyncio

import pytest
from flask import Flask
from werkzeug.exceptions import Forbidden, Unauthorized

from flask_pyjwt import (
    AuthenticationFailed,
    AuthManager,
    Exact,
    FromRoute,
    JSONInput,
    NoCurrentTokenError,
    PermissionDenied,
    current_token,
    require_token,
)
from tests.support import bearer, json_body, make_app


def issue(app: Flask, manager: AuthManager, subject: str = "alice", /, **claims: object) -> str:
    with app.app_context():
        return manager.auth_token(subject, claims.pop("scope", None), **claims).signed  # type: ignore[arg-type]


@pytest.fixture
def setup() -> tuple[Flask, AuthManager]:
    return make_app()


def test_cookie_location(setup: tuple[Flask, AuthManager]) -> None:
    app, manager = setup

    @app.get("/c")
    @require_token(location="cookies", cookie_name="auth_token")
    def from_cookie() -> dict[str, str]:
        return {"sub": current_token.sub}

    client = app.test_client()
    missing = client.get("/c", headers=bearer(issue(app, manager)))
    assert missing.status_code == 401
    assert json_body(missing)["message"] == "The auth_token cookie is required."
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    client.set_cookie("auth_token", issue(app, manager))
    assert json_body(client.get("/c")) == {"sub": "alice"}


def test_header_framing(setup: tuple[Flask, AuthManager]) -> None:
    app, manager = setup

    @app.get("/h")
    @require_token()
    def view() -> str:
        return "ok"

    token = issue(app, manager)
    client = app.test_client()
    assert client.get("/h", headers={"Authorization": f"bearer {token}"}).status_code == 200
    assert client.get("/h", headers={"Authorization": f"Bearer   {token} "}).status_code == 200
    basic = client.get("/h", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert (basic.status_code, basic.headers["WWW-Authenticate"]) == (401, "Bearer")
    empty = client.get("/h", headers={"Authorization": "Bearer"})
    assert json_body(empty)["code"] == "token_malformed"
    two = client.get("/h", headers=[("Authorization", f"Bearer {token}")] * 2)
    assert json_body(two)["code"] == "token_malformed"


def test_error_body_and_headers(setup: tuple[Flask, AuthManager]) -> None:
    app, _ = setup

    @app.get("/e")
    @require_token()
    def view() -> str:
        return "ok"

    response = app.test_client().get("/e", headers=bearer("abc.def.ghi"))
    assert response.status_code == 401
    assert response.content_type == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["WWW-Authenticate"].startswith('Bearer error="invalid_token"')
    assert json_body(response) == {
        "status": 401,
        "error": "invalid_token",
        "code": "token_malformed",
        "message": "The token header is not a strict JSON object.",
    }


def test_app_error_handlers_still_win(setup: tuple[Flask, AuthManager]) -> None:
    app, _ = setup

    @app.errorhandler(401)
    def custom_401(error: Unauthorized) -> tuple[dict[str, str], int]:
        assert isinstance(error, AuthenticationFailed)
        return {"custom": error.error_code}, 401

    @app.get("/x")
    @require_token()
    def view() -> str:
        return "ok"

    assert json_body(app.test_client().get("/x")) == {"custom": "token_missing"}


def test_scope_forms(setup: tuple[Flask, AuthManager]) -> None:
    app, manager = setup

    @app.get("/mapping")
    @require_token(scope={"admin": True, "team": {"id": 7}})
    def mapping() -> str:
        return "ok"

    @app.get("/oauth")
    @require_token(scope="read write")
    def oauth() -> str:
        return "ok"

    @app.get("/list")
    @require_token(scope=["read"])
    def listed() -> str:
        return "ok"

    client = app.test_client()

    def status(path: str, scope: object) -> int:
        return client.get(path, headers=bearer(issue(app, manager, scope=scope))).status_code

    assert status("/mapping", {"admin": True, "team": {"id": 7, "name": "x"}}) == 200
    assert status("/mapping", {"admin": True, "team": {"id": 8}}) == 403  # nested, not first key
    assert status("/mapping", {"admin": 1, "team": {"id": 7}}) == 403
    assert status("/mapping", None) == 403
    assert status("/oauth", "write read extra") == 200
    assert status("/oauth", "read") == 403
    assert status("/oauth", ["read", "write"]) == 200
    assert status("/list", "read") == 200
    assert status("/list", {"read": True}) == 403


def test_refresh_tokens_have_no_scope(setup: tuple[Flask, AuthManager]) -> None:
    app, manager = setup

    @app.post("/r")
    @require_token("refresh", scope="anything")
    def view() -> str:
        return "ok"

    with app.app_context():
        refresh = manager.refresh_token("alice").signed
    response = app.test_client().post("/r", headers=bearer(refresh))
    assert response.status_code == 403
    assert response.headers["WWW-Authenticate"].startswith('Bearer error="insufficient_scope"')


def test_claims_literal_route_and_explicit(setup: tuple[Flask, AuthManager]) -> None:
    app, manager = setup

    @app.get("/orgs/<org>/users/<int:uid>")
    @require_token(org="org", uid=FromRoute("uid"), role=Exact("org"), level=2)
    def view(org: str, uid: int) -> dict[str, object]:
        return {"org": org, "uid": uid}

    client = app.test_client()

    def status(path: str, **claims: object) -> int:
        return client.get(path, headers=bearer(issue(app, manager, **claims))).status_code

    good = {"org": "acme", "uid": 5, "role": "org", "level": 2}
    assert status("/orgs/acme/users/5", **good) == 200
    assert status("/orgs/acme/users/6", **good) == 403
    assert status("/orgs/other/users/5", **good) == 403
    assert status("/orgs/acme/users/5", **{**good, "uid": "5"}) == 403  # "5" is not 5
    assert status("/orgs/acme/users/5", **{**good, "level": 2.0}) == 200  # one JSON number
    assert status("/orgs/acme/users/5", **{**good, "level": True}) == 403
    assert status("/orgs/acme/users/5", **{**good, "role": "acme"}) == 403
    denied = client.get("/orgs/acme/users/5", headers=bearer(issue(app, manager)))
    assert json_body(denied)["code"] == "claim_mismatch"


def test_override_skips_scope_and_claims_only_when_complete(
    setup: tuple[Flask, AuthManager],
) -> None:
    app, manager = setup

    @app.get("/u/<username>")
    @require_token(sub="username", scope="profile", override={"admin": True, "level": 9})
    def view(username: str) -> str:
        return username

    client = app.test_client()

    def status(subject: str, **claims: object) -> int:
        return client.get(
            "/u/bob", headers=bearer(issue(app, manager, subject, **claims))
        ).status_code

    assert status("bob", scope="profile") == 200
    assert status("alice", scope="profile") == 403
    assert status("alice", admin=True, level=9) == 200
    assert status("alice", admin=True) == 403
    assert status("alice", admin=True, level="9") == 403


def test_decoration_time_errors() -> None:
    with pytest.raises(ValueError, match="token_type must be 'auth' or 'refresh'"):
        require_token("access")  # type: ignore[arg-type]  # deliberately wrong
    with pytest.raises(ValueError, match="location must be"):
        require_token(location="query")  # type: ignore[arg-type]  # deliberately wrong
    with pytest.raises(ValueError, match="needs cookie_name"):
        require_token(location="cookies")
    with pytest.raises(ValueError, match="only used with"):
        require_token(cookie_name="c")
    with pytest.raises(ValueError, match="at least one"):
        require_token(override={})
    empties: tuple[JSONInput, ...] = ("", "  ", [], {})
    for empty in empties:
        with pytest.raises(ValueError, match="requires nothing"):
            require_token(scope=empty)
    with pytest.raises(TypeError, match="is of type set"):
        require_token(roles={"a"})  # type: ignore[arg-type]  # deliberately wrong
    decorator = require_token(sub=FromRoute("username"))

    def view(user: str) -> str:
        return user

    with pytest.raises(ValueError, match="has no parameter 'username'"):
        decorator(view)


def test_async_views(setup: tuple[Flask, AuthManager]) -> None:
    app, manager = setup

    @app.get("/async/<name>")
    @require_token(sub="name")
    async def view(name: str) -> dict[str, str]:
        await asyncio.sleep(0)
        return {"hello": name, "sub": current_token.sub}

    client = app.test_client()
    assert json_body(client.get("/async/alice", headers=bearer(issue(app, manager)))) == {
        "hello": "alice",
        "sub": "alice",
    }
    assert client.get("/async/bob", headers=bearer(issue(app, manager))).status_code == 403
    assert client.get("/async/alice").status_code == 401


def test_decorated_view_keeps_its_metadata() -> None:
    @require_token()
    def documented(a: int) -> int:
        """Docstring."""
        return a

    assert documented.__name__ == "documented"
    assert documented.__doc__ == "Docstring."


def test_current_token_outside_protected_request(setup: tuple[Flask, AuthManager]) -> None:
    app, manager = setup
    assert not current_token
    assert "none" in repr(current_token)
    with pytest.raises(NoCurrentTokenError, match="only set inside a view protected"):
        _ = current_token.sub
    with app.test_request_context(), pytest.raises(NoCurrentTokenError):
        current_token.get()

    @app.get("/all")
    @require_token()
    def everything() -> dict[str, object]:
        assert current_token
        assert "alice" in repr(current_token)
        return {
            "iss": current_token.iss,
            "jti": current_token.jti,
            "aud": current_token.aud,
            "max_age": current_token.max_age,
            "rid": current_token.rid,
            "iat<exp": current_token.iat < current_token.exp,
            "typ": current_token.header["typ"],
            "same": current_token.get().signed == current_token.signed,
        }

    body = json_body(app.test_client().get("/all", headers=bearer(issue(app, manager))))
    assert body["iss"] == "test-issuer"
    assert body["aud"] is None
    assert body["max_age"] == 3600
    assert body["rid"] is None
    assert body["iat<exp"] is True
    assert body["typ"] == "at+jwt"
    assert body["same"] is True


def test_refresh_current_token_exposes_rid(setup: tuple[Flask, AuthManager]) -> None:
    app, manager = setup

    @app.post("/rid")
    @require_token("refresh")
    def rid() -> dict[str, object]:
        return {"rid": current_token.rid, "scope": current_token.scope}

    with app.app_context():
        refresh = manager.refresh_token("alice")
    body = json_body(app.test_client().post("/rid", headers=bearer(refresh.signed)))
    assert body == {"rid": refresh.rid, "scope": None}


def test_permission_denied_is_a_forbidden() -> None:
    error = PermissionDenied(error_code="claim_mismatch", message="nope")
    assert isinstance(error, Forbidden)
    assert error.code == 403
