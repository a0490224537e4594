"""One error contract: manager methods raise the library's exceptions, never HTTP ones.

``revoke``, ``revoke_subject``, ``rotate`` and ``convert_token`` raise an
:class:`InvalidTokenError` or :class:`UnavailableError` subclass, usable anywhere (a CLI,
a worker, a test); ``verify_token`` answers a bool. In a view, the handlers ``init_app``
registers turn them into the same JSON 401 / 503 a protected view answers.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask, request
from werkzeug.exceptions import HTTPException
from werkzeug.test import TestResponse

from flask_pyjwt import AuthManager, RedisRevocationStore, require_token
from flask_pyjwt.errors import (
    FlaskPyJWTError,
    InvalidTokenError,
    RefreshTokenReusedError,
    RevocationUnavailableError,
    SignatureInvalidError,
    TokenMalformedError,
    TokenTypeInvalidError,
    UnavailableError,
)
from tests.redis_server import RedisServer
from tests.support import bearer, config_for, configure, forge, json_body

_REFUSED_401 = {
    "status": 401,
    "error": "invalid_token",
    "code": "token_malformed",
    "message": "The token is not a compact JWS (header.payload.signature).",
}
_UNAVAILABLE_503 = {
    "status": 503,
    "error": "temporarily_unavailable",
    "code": "revocation_unavailable",
}


def _app(store: RedisRevocationStore | None = None) -> tuple[Flask, AuthManager]:
    app = Flask("contract")
    configure(app, config_for("HS256"))
    manager = AuthManager(app, revocation_store=store)

    def presented() -> str:
        return request.headers.get("Authorization", "").removeprefix("Bearer ")

    @app.get("/me")
    @require_token()
    def me() -> dict[str, str]:
        return {"ok": "yes"}

    @app.post("/logout")
    def logout() -> dict[str, bool]:
        manager.revoke(presented(), end_session=True)
        return {"logged_out": True}

    @app.post("/logout-everywhere")
    def logout_everywhere() -> dict[str, bool]:
        manager.revoke_subject("alice")
        return {"logged_out": True}

    @app.post("/refresh")
    def refresh() -> dict[str, str]:
        auth, new_refresh = manager.rotate(presented(), "read")
        return {"auth_token": auth.signed, "refresh_token": new_refresh.signed}

    return app, manager


def _pure(error: BaseException) -> None:
    assert isinstance(error, FlaskPyJWTError)
    assert not isinstance(error, HTTPException)


# The methods raise the library's own errors -----------------------------------------------


def _forged() -> str:
    claims = {"iss": config_for("HS256")["JWT_ISSUER"], "sub": "alice", "type": "auth"}
    return forge({"alg": "HS256", "typ": "at+jwt"}, claims, key=b"another secret " * 3)


@pytest.mark.parametrize(
    ("token", "expected"),
    [("not.a.token", TokenMalformedError), ("garbage", TokenMalformedError)],
)
def test_revoke_refuses_a_bad_token_with_a_token_error(
    token: str, expected: type[InvalidTokenError]
) -> None:
    _, manager = _app()
    with pytest.raises(expected) as info:
        manager.revoke(token)
    _pure(info.value)
    with pytest.raises(SignatureInvalidError) as forged:
        manager.revoke(_forged())
    _pure(forged.value)


def test_rotate_refuses_with_token_errors() -> None:
    _, manager = _app()
    refresh = manager.refresh_token("alice")
    auth = manager.auth_token("alice", session=refresh)
    with pytest.raises(TokenTypeInvalidError) as wrong_kind:
        manager.rotate(auth.signed)
    _pure(wrong_kind.value)
    manager.rotate(refresh)
    with pytest.raises(RefreshTokenReusedError) as reused:
        manager.rotate(refresh)
    _pure(reused.value)
    assert reused.value.code == "refresh_token_reused"


def _down(redis: RedisServer) -> tuple[Flask, AuthManager, Callable[[], None]]:
    app, manager = _app(RedisRevocationStore.from_url(redis.url))
    return app, manager, redis.stop


def test_a_store_that_is_down_is_an_unavailable_error(redis: RedisServer) -> None:
    _, manager, stop = _down(redis)
    refresh = manager.refresh_token("alice")
    auth = manager.auth_token("alice", session=refresh)
    stop()
    calls: list[Callable[[], object]] = [
        lambda: manager.revoke(auth),
        lambda: manager.revoke_subject("alice"),
        lambda: manager.rotate(refresh),
    ]
    for call in calls:
        with pytest.raises(RevocationUnavailableError) as info:
            call()
        _pure(info.value)
        assert isinstance(info.value, UnavailableError)
        assert info.value.retry_after == 1
    with pytest.raises(RevocationUnavailableError):
        manager.verify_token(auth)  # a bool for a bad token, never False for an outage
    assert manager.verify_token("garbage") is False


# In a view, the same answers as a protected view's ------------------------------------------


def _same_answer(response: TestResponse, protected: TestResponse) -> None:
    assert response.status_code == protected.status_code
    assert json_body(response) == json_body(protected)
    for header in ("Content-Type", "WWW-Authenticate", "Cache-Control", "Retry-After"):
        assert response.headers.get(header) == protected.headers.get(header), header


def test_a_logout_view_with_a_bad_token_answers_the_json_401() -> None:
    app, _ = _app()
    client = app.test_client()
    response = client.post("/logout", headers=bearer("garbage"))
    assert response.status_code == 401
    assert json_body(response) == _REFUSED_401
    assert response.headers["WWW-Authenticate"] == (
        'Bearer error="invalid_token", error_description="The token is not a compact JWS '
        '(header.payload.signature)."'
    )
    assert response.headers["Cache-Control"] == "no-store"
    _same_answer(response, client.get("/me", headers=bearer("garbage")))
    refreshed = client.post("/refresh", headers=bearer("garbage"))
    _same_answer(refreshed, response)


def test_a_rotation_with_the_store_down_answers_the_json_503(redis: RedisServer) -> None:
    app, manager, stop = _down(redis)
    client = app.test_client()
    refresh = manager.refresh_token("alice")
    auth = manager.auth_token("alice", session=refresh)
    stop()
    response = client.post("/refresh", headers=bearer(refresh.signed))
    assert response.status_code == 503
    body = json_body(response)
    assert {key: body[key] for key in _UNAVAILABLE_503} == _UNAVAILABLE_503
    assert response.headers["Retry-After"] == "1"
    assert "WWW-Authenticate" not in response.headers
    _same_answer(response, client.get("/me", headers=bearer(auth.signed)))
    for path in ("/logout", "/logout-everywhere"):
        _same_answer(client.post(path, headers=bearer(auth.signed)), response)


def test_an_apps_own_handlers_still_decide() -> None:
    by_status_app, _ = _app()

    @by_status_app.errorhandler(401)
    def by_status(error: HTTPException) -> tuple[dict[str, str], int]:
        return {"mine": "401"}, 401

    answer = by_status_app.test_client().post("/logout", headers=bearer("x.y.z"))
    assert (answer.status_code, json_body(answer)) == (401, {"mine": "401"})

    by_class_app, _ = _app()

    @by_class_app.errorhandler(TokenMalformedError)
    def by_class(error: TokenMalformedError) -> tuple[dict[str, str], int]:
        return {"mine": error.code}, 400

    answer = by_class_app.test_client().post("/refresh", headers=bearer("x.y.z"))
    assert (answer.status_code, json_body(answer)) == (400, {"mine": "token_malformed"})
