"""Token cookies (issue 11, item 2): set_token_cookies and unset_token_cookies, read back
from the ``Set-Cookie`` headers a browser would parse, and a login -> request -> refresh
-> logout flow through the test client's cookie jar.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask, Response, jsonify
from flask.testing import FlaskClient

from flask_pyjwt import (
    AuthManager,
    AuthToken,
    InvalidConfigError,
    RefreshToken,
    current_token,
    require_token,
)
from flask_pyjwt._core.csrf import csrf_value
from tests.support import (
    Clock,
    SetCookie,
    json_body,
    make_clocked_app,
    set_cookies,
)


def make(**config: object) -> tuple[Flask, AuthManager, Clock]:
    return make_clocked_app("cookies", **config)


def cookies_of(
    app: Flask, manager: AuthManager, *, auth: AuthToken | None, refresh: RefreshToken | None
) -> dict[str, SetCookie]:
    response = Response()
    with app.app_context():
        manager.set_token_cookies(response, auth=auth, refresh=refresh)
    return set_cookies(response)


def issue(app: Flask, manager: AuthManager) -> tuple[AuthToken, RefreshToken]:
    with app.app_context():
        return manager.auth_token("alice"), manager.refresh_token("alice")


def test_set_token_cookies_writes_four_cookies_with_browser_attributes() -> None:
    app, manager, clock = make()
    auth, refresh = issue(app, manager)
    clock.now += 100  # the cookies live as long as the tokens still do
    cookies = cookies_of(app, manager, auth=auth, refresh=refresh)
    assert set(cookies) == {"auth_token", "csrf_auth_token", "refresh_token", "csrf_refresh_token"}
    for name, token, max_age in (
        ("auth_token", auth, 3500),
        ("refresh_token", refresh, 604700),
    ):
        cookie = cookies[name]
        assert cookie.value == token.signed
        assert cookie.attributes["httponly"] is True
        assert cookie.attributes["secure"] is True
        assert cookie.attributes["samesite"] == "Lax"
        assert cookie.attributes["path"] == "/"
        assert cookie.attributes["max-age"] == str(max_age)
        assert "expires" in cookie.attributes
        assert "domain" not in cookie.attributes  # host-only
        csrf = cookies[f"csrf_{name}"]
        assert csrf.value == csrf_value(token.signed)
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", csrf.value)
        assert "httponly" not in csrf.attributes  # the page's script reads it
        assert csrf.attributes["secure"] is True
        assert csrf.attributes["samesite"] == "Lax"
        assert csrf.attributes["path"] == "/"
        assert csrf.attributes["max-age"] == str(max_age)


def test_either_token_may_be_left_out() -> None:
    app, manager, _ = make()
    auth, refresh = issue(app, manager)
    assert set(cookies_of(app, manager, auth=auth, refresh=None)) == {
        "auth_token",
        "csrf_auth_token",
    }
    assert set(cookies_of(app, manager, auth=None, refresh=refresh)) == {
        "refresh_token",
        "csrf_refresh_token",
    }


def test_configured_names_domain_paths_and_flags() -> None:
    app, manager, _ = make(
        JWT_AUTH_COOKIE="__Secure-at",
        JWT_REFRESH_COOKIE="rt",
        JWT_AUTH_CSRF_COOKIE="xa",
        JWT_REFRESH_CSRF_COOKIE="xr",
        JWT_COOKIE_DOMAIN="example.com",
        JWT_AUTH_COOKIE_PATH="/api",
        JWT_REFRESH_COOKIE_PATH="/api/token/refresh",
        JWT_COOKIE_SAMESITE="strict",
    )
    auth, refresh = issue(app, manager)
    cookies = cookies_of(app, manager, auth=auth, refresh=refresh)
    assert {name: c.attributes["path"] for name, c in cookies.items()} == {
        "__Secure-at": "/api",
        "xa": "/",
        "rt": "/api/token/refresh",
        "xr": "/",
    }
    for cookie in cookies.values():
        assert cookie.attributes["domain"] == "example.com"
        assert cookie.attributes["samesite"] == "Strict"
        assert cookie.attributes["secure"] is True


def test_plain_http_development_and_samesite_none() -> None:
    app, manager, _ = make(JWT_COOKIE_SECURE=False)
    auth, _ = issue(app, manager)
    for cookie in cookies_of(app, manager, auth=auth, refresh=None).values():
        assert "secure" not in cookie.attributes
        assert cookie.attributes["samesite"] == "Lax"
    app, manager, _ = make(JWT_COOKIE_SAMESITE="None")
    auth, _ = issue(app, manager)
    for cookie in cookies_of(app, manager, auth=auth, refresh=None).values():
        assert (cookie.attributes["samesite"], cookie.attributes["secure"]) == ("None", True)


def test_unset_expires_every_cookie_on_its_own_path_and_domain() -> None:
    app, manager, _ = make(JWT_COOKIE_DOMAIN="example.com", JWT_REFRESH_COOKIE_PATH="/refresh")
    response = Response()
    with app.app_context():
        manager.unset_token_cookies(response)
    cookies = set_cookies(response)
    assert {name: c.attributes["path"] for name, c in cookies.items()} == {
        "auth_token": "/",
        "csrf_auth_token": "/",
        "refresh_token": "/refresh",
        "csrf_refresh_token": "/",
    }
    for cookie in cookies.values():
        assert cookie.value == ""
        assert cookie.attributes["max-age"] == "0"
        assert cookie.attributes["expires"] == "Thu, 01 Jan 1970 00:00:00 GMT"
        assert cookie.attributes["domain"] == "example.com"
        assert cookie.attributes["secure"] is True
    assert cookies["auth_token"].attributes["httponly"] is True
    assert "httponly" not in cookies["csrf_auth_token"].attributes


def test_set_token_cookies_refuses_what_a_browser_could_not_keep() -> None:
    app, manager, clock = make()
    auth, refresh = issue(app, manager)
    response = Response()
    with app.app_context():
        with pytest.raises(ValueError, match="needs auth=, refresh= or both"):
            manager.set_token_cookies(response)
        with pytest.raises(TypeError, match="auth must be an AuthToken, got RefreshToken"):
            manager.set_token_cookies(response, auth=refresh)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="refresh must be a RefreshToken, got AuthToken"):
            manager.set_token_cookies(response, refresh=auth)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="got str"):
            manager.set_token_cookies(response, auth=auth.signed)  # type: ignore[arg-type]
        big = manager.auth_token("alice", notes="n" * 4000)
        with pytest.raises(ValueError, match=r"cookie would be \d+ bytes, more than browsers"):
            manager.set_token_cookies(response, refresh=refresh, auth=big)
        clock.now += 3600
        with pytest.raises(ValueError, match="the auth token has expired"):
            manager.set_token_cookies(response, auth=auth)
    assert response.headers.getlist("Set-Cookie") == []  # all or nothing


# -- a whole browser-like flow through the test client's cookie jar ------------------


def flow_app(**config: object) -> tuple[Flask, AuthManager, list[str]]:
    app, manager, _ = make(**config)
    notes: list[str] = []

    @app.post("/login")
    def login() -> Response:
        response = jsonify(logged_in=True)
        auth = manager.auth_token("alice", fresh=True)
        manager.set_token_cookies(response, auth=auth, refresh=manager.refresh_token("alice"))
        return response

    @app.get("/me")
    @require_token(location="cookies")
    def me() -> dict[str, object]:
        return {"sub": current_token.sub, "fresh": current_token.is_fresh()}

    @app.post("/notes")
    @require_token(location="cookies")
    def add_note() -> dict[str, int]:
        notes.append(current_token.sub)
        return {"notes": len(notes)}

    @app.post("/refresh")
    @require_token("refresh", "cookies")
    def refresh() -> Response:
        response = jsonify(refreshed=True)
        manager.set_token_cookies(response, auth=manager.auth_token(current_token.sub))
        return response

    @app.post("/logout")
    def logout() -> Response:
        response = jsonify(logged_out=True)
        manager.unset_token_cookies(response)
        return response

    return app, manager, notes


def csrf_header(client: FlaskClient, cookie: str = "csrf_auth_token") -> dict[str, str]:
    """What the page's script sends: the readable CSRF cookie's value in the header."""
    stored = client.get_cookie(cookie)
    assert stored is not None
    return {"X-CSRF-Token": stored.value}


def test_login_request_refresh_logout_through_the_cookie_jar() -> None:
    app, _, notes = flow_app(JWT_REFRESH_COOKIE_PATH="/refresh")
    client = app.test_client()
    assert json_body(client.get("/me"))["code"] == "token_missing"
    assert client.post("/login").status_code == 200
    assert json_body(client.get("/me")) == {"sub": "alice", "fresh": True}
    assert json_body(client.post("/notes", headers=csrf_header(client))) == {"notes": 1}
    refresh_cookie = client.get_cookie("refresh_token", path="/refresh")
    assert refresh_cookie is not None
    assert refresh_cookie.http_only
    assert client.get_cookie("refresh_token") is None  # not sent to other paths
    old_auth = client.get_cookie("auth_token")
    answer = client.post("/refresh", headers=csrf_header(client, "csrf_refresh_token"))
    assert json_body(answer) == {"refreshed": True}
    new_auth = client.get_cookie("auth_token")
    assert new_auth is not None
    assert old_auth is not None
    assert new_auth.value != old_auth.value
    assert json_body(client.get("/me")) == {"sub": "alice", "fresh": False}  # refreshed
    # The old CSRF value does not fit the new token; the new cookie holds the new one.
    stale = client.post("/notes", headers={"X-CSRF-Token": csrf_value(old_auth.value)})
    assert json_body(stale)["code"] == "csrf_failed"
    assert json_body(client.post("/notes", headers=csrf_header(client))) == {"notes": 2}
    logout = client.post("/logout")
    assert len(logout.headers.getlist("Set-Cookie")) == 4
    for name, path in (
        ("auth_token", "/"),
        ("csrf_auth_token", "/"),
        ("refresh_token", "/refresh"),
        ("csrf_refresh_token", "/"),
    ):
        assert client.get_cookie(name, path=path) is None, name
    assert json_body(client.get("/me"))["code"] == "token_missing"
    assert notes == ["alice", "alice"]


@pytest.mark.parametrize(
    ("config", "key", "message"),
    [
        ({"JWT_COOKIE_SAMESITE": "None", "JWT_COOKIE_SECURE": False}, "JWT_COOKIE_SAMESITE",
         "browsers drop SameSite=None cookies that are not Secure"),
        ({"JWT_COOKIE_SAMESITE": "relaxed"}, "JWT_COOKIE_SAMESITE", "expected 'Strict', 'Lax'"),
        ({"JWT_AUTH_COOKIE": "__Host-at", "JWT_COOKIE_DOMAIN": "example.com"},
         "JWT_AUTH_COOKIE", "refuse a __Host- cookie with a Domain"),
        ({"JWT_REFRESH_COOKIE": "__Host-rt", "JWT_REFRESH_COOKIE_PATH": "/refresh"},
         "JWT_REFRESH_COOKIE", "whose Path is not '/'"),
        ({"JWT_AUTH_COOKIE": "__Secure-at", "JWT_COOKIE_SECURE": False},
         "JWT_AUTH_COOKIE", "prefix browsers accept only on Secure cookies"),
        ({"JWT_AUTH_CSRF_COOKIE": "__Host-x", "JWT_COOKIE_DOMAIN": "example.com"},
         "JWT_AUTH_CSRF_COOKIE", "with a Domain"),
        ({"JWT_AUTH_COOKIE": "auth token"}, "JWT_AUTH_COOKIE", "expected a cookie name"),
        ({"JWT_REFRESH_COOKIE": "auth_token"}, "JWT_REFRESH_COOKIE",
         "'auth_token' is also the name of JWT_AUTH_COOKIE"),
        ({"JWT_COOKIE_DOMAIN": "https://example.com"}, "JWT_COOKIE_DOMAIN", "expected a host"),
        ({"JWT_AUTH_COOKIE_PATH": "api"}, "JWT_AUTH_COOKIE_PATH", "starting with '/'"),
        ({"JWT_REFRESH_COOKIE_PATH": "/a;b"}, "JWT_REFRESH_COOKIE_PATH", "without spaces or ';'"),
        ({"JWT_COOKIE_SECURE": "sometimes"}, "JWT_COOKIE_SECURE", "expected True or False"),
    ],
)  # fmt: skip
def test_cookie_settings_a_browser_would_drop_fail_at_init_app(
    config: dict[str, object], key: str, message: str
) -> None:
    with pytest.raises(InvalidConfigError) as raised:
        make(**config)
    assert raised.value.key == key
    assert message in str(raised.value)


def test_host_prefixed_cookies_work_end_to_end() -> None:
    app, manager, _ = make(JWT_AUTH_COOKIE="__Host-auth", JWT_AUTH_CSRF_COOKIE="__Host-csrf")

    @app.post("/x")
    @require_token(location="cookies")
    def view() -> str:
        return current_token.sub

    auth, _ = issue(app, manager)
    cookies = cookies_of(app, manager, auth=auth, refresh=None)
    assert set(cookies) == {"__Host-auth", "__Host-csrf"}
    client = app.test_client()
    client.set_cookie("__Host-auth", cookies["__Host-auth"].value)
    answer = client.post("/x", headers={"X-CSRF-Token": cookies["__Host-csrf"].value})
    assert answer.get_data(as_text=True) == "alice"
