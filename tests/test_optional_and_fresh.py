"""Optional authentication and fresh tokens (issue 11, items 4 and 5), through real apps."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from flask import Flask

from flask_pyjwt import AuthManager, current_token, require_token
from flask_pyjwt.errors import NoCurrentTokenError
from tests.support import (
    ISSUER,
    NOW,
    Clock,
    bearer,
    config_for,
    configure,
    forge,
    json_body,
    make_clocked_app,
)


def make(**config: object) -> tuple[Flask, AuthManager, Clock]:
    return make_clocked_app("optional_fresh", **config)


# -- optional ------------------------------------------------------------------------


@pytest.fixture
def optional_app() -> tuple[Flask, AuthManager, list[str]]:
    app, manager, _ = make()
    calls: list[str] = []

    @app.get("/feed")
    @require_token(optional=True)
    def feed() -> dict[str, object]:
        token = current_token.get_or_none()
        try:
            current_token.sub  # noqa: B018 - reading it is the point
        except NoCurrentTokenError:
            raised = True
        else:
            raised = False
        calls.append("feed")
        return {
            "user": None if token is None else token.sub,
            "truthy": bool(current_token),
            "raised": raised,
        }

    @app.post("/feed")
    @require_token(location=["json", "header"], optional=True, scope="write")
    def post_feed() -> dict[str, object]:
        calls.append("post")
        return {"user": current_token.sub if current_token else None}

    @app.get("/async")
    @require_token(optional=True)
    async def async_feed() -> dict[str, object]:
        await asyncio.sleep(0)
        token = current_token.get_or_none()
        return {"user": None if token is None else token.sub}

    return app, manager, calls


def test_no_token_runs_the_view_without_a_current_token(
    optional_app: tuple[Flask, AuthManager, list[str]],
) -> None:
    app, _, calls = optional_app
    client = app.test_client()
    assert json_body(client.get("/feed")) == {"user": None, "truthy": False, "raised": True}
    # Another scheme carries no bearer token: still anonymous.
    basic = client.get("/feed", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert json_body(basic)["user"] is None
    assert json_body(client.post("/feed")) == {"user": None}
    assert json_body(client.get("/async")) == {"user": None}
    assert calls == ["feed", "feed", "post"]


def test_a_token_that_is_sent_is_checked_all_the_same(
    optional_app: tuple[Flask, AuthManager, list[str]],
) -> None:
    app, manager, calls = optional_app
    client = app.test_client()
    with app.app_context():
        alice = manager.auth_token("alice", "write").signed
        reader = manager.auth_token("bob", "read").signed
    assert json_body(client.get("/feed", headers=bearer(alice))) == {
        "user": "alice",
        "truthy": True,
        "raised": False,
    }
    assert json_body(client.get("/async", headers=bearer(alice))) == {"user": "alice"}
    calls.clear()
    for headers, code in (
        (bearer(alice + "x"), "signature_invalid"),
        (bearer("not-a-token"), "token_malformed"),
        ({"Authorization": "Bearer "}, "token_malformed"),
    ):
        response = client.get("/feed", headers=headers)
        assert (response.status_code, json_body(response)["code"]) == (401, code)
    forbidden = client.post("/feed", headers=bearer(reader))
    assert (forbidden.status_code, json_body(forbidden)["code"]) == (403, "insufficient_scope")
    invalid_json = client.post("/feed", data=b"[1]", content_type="application/json")
    assert json_body(invalid_json)["code"] == "json_body_invalid"
    assert calls == []


# -- issuing fresh tokens -------------------------------------------------------------


def test_fresh_tokens_say_until_when() -> None:
    app, manager, _ = make(JWT_AUTHMAXAGE=900)
    with app.app_context():
        whole = manager.auth_token("alice", fresh=True)
        five_minutes = manager.auth_token("alice", fresh=300)
        as_delta = manager.auth_token("alice", fresh=timedelta(minutes=5))
        capped = manager.auth_token("alice", fresh=3600)  # never beyond the token's life
        stale = manager.auth_token("alice")
        explicit = manager.auth_token("alice", fresh=False)
    assert (whole.fresh_until, whole.claims["fresh"]) == (NOW + 900, NOW + 900)
    assert five_minutes.fresh_until == NOW + 300
    assert as_delta.fresh_until == NOW + 300
    assert capped.fresh_until == capped.exp == NOW + 900
    assert (stale.fresh_until, explicit.fresh_until) == (None, None)
    assert "fresh" not in stale.claims
    assert whole.is_fresh(NOW + 899)
    assert not whole.is_fresh(NOW + 900)
    assert five_minutes.is_fresh(NOW)
    assert not five_minutes.is_fresh(NOW + 300)
    assert not stale.is_fresh(NOW)
    with app.app_context():
        # Read back from the signed token, as every verifier sees it.
        assert manager.convert_token(five_minutes.signed, "auth").fresh_until == NOW + 300


@pytest.mark.parametrize(
    ("fresh", "error", "match"),
    [
        (0, ValueError, "fresh must be at least 1 second"),
        (-5, ValueError, "fresh must be at least 1 second"),
        (timedelta(seconds=0.5), ValueError, "fresh must be a whole number of seconds"),
        (1.5, TypeError, "fresh must be an int of seconds or a datetime.timedelta, True or False"),
        ("yes", TypeError, "got str"),
        (None, TypeError, "got NoneType"),
    ],
)
def test_fresh_values_are_checked_when_issuing(
    fresh: object, error: type[Exception], match: str
) -> None:
    app, manager, _ = make()
    with app.app_context(), pytest.raises(error, match=match):
        manager.auth_token("alice", fresh=fresh)  # type: ignore[arg-type]  # deliberately wrong


def test_refresh_tokens_are_never_fresh() -> None:
    app, manager, _ = make()
    with app.app_context(), pytest.raises(ValueError, match="fresh"):
        manager.refresh_token("alice", fresh=True)  # a custom claim to the types: reserved
    with pytest.raises(ValueError, match="refresh tokens are never fresh"):
        require_token("refresh", fresh=True)
    with pytest.raises(TypeError, match="fresh must be True or False, got int"):
        require_token(fresh=300)  # type: ignore[arg-type]  # a route asks yes or no
    with pytest.raises(TypeError, match="optional must be True or False, got str"):
        require_token(optional="yes")  # type: ignore[arg-type]  # deliberately wrong


# -- requiring fresh tokens -------------------------------------------------------------


@pytest.fixture
def fresh_app() -> tuple[Flask, AuthManager, Clock, list[str]]:
    app, manager, clock = make(JWT_LEEWAY=5)
    calls: list[str] = []

    @app.post("/password")
    @require_token(fresh=True, override={"admin": True})
    def change_password() -> dict[str, object]:
        calls.append(current_token.sub)
        return {"changed_for": current_token.sub, "fresh_until": current_token.fresh_until}

    @app.post("/refresh")
    @require_token("refresh")
    def refresh() -> dict[str, str]:
        # What a refresh endpoint issues: a token that is not fresh.
        return {"auth_token": manager.auth_token(current_token.sub).signed}

    @app.get("/refresh-status")
    @require_token("refresh")
    def refresh_status() -> dict[str, object]:
        return {"fresh": current_token.is_fresh(), "until": current_token.fresh_until}

    @app.get("/status")
    @require_token(optional=True)
    def status() -> dict[str, object]:
        return {
            "fresh": current_token.is_fresh() if current_token else None,
            "until": current_token.fresh_until if current_token else None,
        }

    return app, manager, clock, calls


def test_a_fresh_route_accepts_a_fresh_token(
    fresh_app: tuple[Flask, AuthManager, Clock, list[str]],
) -> None:
    app, manager, _, calls = fresh_app
    with app.app_context():
        token = manager.auth_token("alice", fresh=600).signed
    answer = app.test_client().post("/password", headers=bearer(token))
    assert json_body(answer) == {"changed_for": "alice", "fresh_until": NOW + 600}
    assert calls == ["alice"]


def test_a_token_that_is_not_fresh_is_a_401_asking_to_authenticate_again(
    fresh_app: tuple[Flask, AuthManager, Clock, list[str]],
) -> None:
    app, manager, clock, calls = fresh_app
    client = app.test_client()
    with app.app_context():
        login = manager.auth_token("alice", fresh=600).signed
        admin = manager.auth_token("root", admin=True).signed
        refresh = manager.refresh_token("alice").signed
    refreshed = json_body(client.post("/refresh", headers=bearer(refresh)))["auth_token"]
    stale_tokens = {"refreshed": str(refreshed), "admin override": admin}
    clock.now += 600 + 5  # past the fresh window and the leeway
    stale_tokens["fresh window over"] = login
    for what, token in stale_tokens.items():
        response = client.post("/password", headers=bearer(token))
        assert response.status_code == 401, what
        assert json_body(response)["code"] == "fresh_token_required"
        assert json_body(response)["error"] == "insufficient_user_authentication"
        assert response.headers["WWW-Authenticate"] == (
            'Bearer error="insufficient_user_authentication", error_description="This '
            'requires a fresh token: authenticate again (a refreshed token is not fresh)."'
        )
    assert calls == []
    clock.now -= 1  # within JWT_LEEWAY of the window's end
    assert client.post("/password", headers=bearer(login)).status_code == 200


def test_current_token_tells_freshness(
    fresh_app: tuple[Flask, AuthManager, Clock, list[str]],
) -> None:
    app, manager, clock, _ = fresh_app
    client = app.test_client()
    with app.app_context():
        login = manager.auth_token("alice", fresh=60).signed
        stale = manager.auth_token("alice").signed
        refresh = manager.refresh_token("alice").signed
    assert json_body(client.get("/status", headers=bearer(login))) == {
        "fresh": True,
        "until": NOW + 60,
    }
    assert json_body(client.get("/status", headers=bearer(stale))) == {
        "fresh": False,
        "until": None,
    }
    clock.now += 70
    assert json_body(client.get("/status", headers=bearer(login)))["fresh"] is False
    answer = client.get("/refresh-status", headers=bearer(refresh))
    assert json_body(answer) == {"fresh": False, "until": None}


@pytest.mark.parametrize("fresh", [True, "1900000600", None, -1, 2**60, 1.5e9, [NOW + 60]])
def test_a_fresh_claim_that_is_not_a_time_is_refused(
    fresh_app: tuple[Flask, AuthManager, Clock, list[str]], fresh: object
) -> None:
    # Flask-JWT-Extended writes "fresh": true; this library only a time, and reads only one.
    app, _, _, calls = fresh_app
    claims = {"iss": ISSUER, "sub": "alice", "iat": NOW, "exp": NOW + 600, "jti": "j"}
    token = forge({"alg": "HS256", "typ": "at+jwt"}, {**claims, "type": "auth", "fresh": fresh})
    response = app.test_client().post("/password", headers=bearer(token))
    assert (response.status_code, json_body(response)["code"]) == (401, "claim_invalid")
    assert json_body(response)["message"] == (
        "The token's fresh claim must be a whole number of seconds since the epoch."
    )
    assert calls == []


def test_a_forged_fresh_claim_needs_a_valid_signature(
    fresh_app: tuple[Flask, AuthManager, Clock, list[str]],
) -> None:
    app, _, _, calls = fresh_app
    claims = {"iss": ISSUER, "sub": "alice", "iat": NOW, "exp": NOW + 600, "jti": "j"}
    token = forge(
        {"alg": "HS256", "typ": "at+jwt"},
        {**claims, "type": "auth", "fresh": NOW + 600},
        key=b"another-secret-of-32-bytes-or-more!!",
    )
    response = app.test_client().post("/password", headers=bearer(token))
    assert json_body(response)["code"] == "signature_invalid"
    assert calls == []


def test_is_fresh_defaults_to_the_current_time() -> None:
    app = Flask("real_clock")
    configure(app, config_for("HS256"))
    manager = AuthManager(app)
    with app.app_context():
        fresh, stale = manager.auth_token("alice", fresh=True), manager.auth_token("alice")
    assert fresh.is_fresh()
    assert not stale.is_fresh()
