"""Revocation, logout everywhere and refresh rotation, through a real app.

Every scenario runs twice: with the in-process store (the default) and with a real
Redis. Multi-process scenarios are in ``test_sessions_processes.py``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from flask_pyjwt import (
    AuthManager,
    AuthToken,
    InvalidConfigError,
    MemoryRevocationStore,
    RedisRevocationStore,
    RefreshToken,
    RevocationStore,
    current_token,
    require_token,
)
from flask_pyjwt.errors import (
    LegacyTokenRevocationError,
    RefreshTokenReusedError,
    RevocationUnavailableError,
    TokenMalformedError,
    TokenRevokedError,
)
from flask_pyjwt.typing import RevocationQuery, RevocationState
from tests.redis_server import RedisServer
from tests.support import bearer, config_for, configure, forge, json_body, settings_of


@dataclass
class Site:
    """An app with the views a session-aware app has, and what ran."""

    app: Flask
    manager: AuthManager
    calls: list[str]

    @property
    def client(self) -> FlaskClient:
        return self.app.test_client()

    def get(self, path: str, token: str) -> TestResponse:
        return self.client.get(path, headers=bearer(token))

    def post(self, path: str, token: str) -> TestResponse:
        return self.client.post(path, headers=bearer(token))

    def login(self, sub: str = "alice") -> tuple[AuthToken, RefreshToken]:
        refresh = self.manager.refresh_token(sub)
        return self.manager.auth_token(sub, "read", session=refresh), refresh


def build_site(
    store: RevocationStore | None = None,
    clock: Callable[[], float] | None = None,
    /,
    **config: object,
) -> Site:
    app = Flask("sessions")
    configure(app, {**config_for("HS256"), **config})
    manager = AuthManager(app, revocation_store=store, clock=clock)
    calls: list[str] = []

    @app.get("/me")
    @require_token()
    def me() -> dict[str, str]:
        calls.append("me")
        return {"sub": current_token.sub}

    @app.get("/unchecked")
    @require_token(check_revocation=False)
    def unchecked() -> dict[str, str]:
        calls.append("unchecked")
        return {"sub": current_token.sub}

    @app.post("/refresh")
    @require_token("refresh")
    def refresh() -> dict[str, str]:
        calls.append("refresh")
        auth, new_refresh = manager.rotate(current_token.signed, "read")
        return {"auth_token": auth.signed, "refresh_token": new_refresh.signed}

    @app.post("/rotate-raw")
    def rotate_raw() -> dict[str, str]:
        # rotate() used without require_token: its refusals are the library's JSON.
        token = bearer_token()
        auth, new_refresh = manager.rotate(token)
        return {"auth_token": auth.signed, "refresh_token": new_refresh.signed}

    @app.post("/logout")
    @require_token("refresh")
    def logout() -> dict[str, str]:
        manager.revoke(current_token.get())
        return {"message": "logged out"}

    @app.post("/logout-everywhere")
    @require_token()
    def logout_everywhere() -> dict[str, str]:
        manager.revoke_subject(current_token.sub)
        return {"message": "done"}

    return Site(app, manager, calls)


def bearer_token() -> str:
    from flask import request

    return request.headers.get("Authorization", "").removeprefix("Bearer ")


def refused(response: TestResponse, code: str, status: int = 401) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    assert json_body(response)["code"] == code
    if status == 401:
        assert response.headers["WWW-Authenticate"].startswith('Bearer error="invalid_token"')


@pytest.fixture(params=["memory", "redis"])
def site_factory(request: pytest.FixtureRequest) -> Iterator[Callable[..., Site]]:
    if request.param == "memory":
        yield build_site
        return
    server: RedisServer = request.getfixturevalue("redis")
    clients: list[redis.Redis] = []

    def factory(**config: object) -> Site:
        client = server.client()
        clients.append(client)
        return build_site(RedisRevocationStore(client), **config)

    yield factory
    for client in clients:
        client.close()


# Revocation -------------------------------------------------------------------------------


def test_a_revoked_auth_token_is_refused_and_only_it(site_factory: Callable[..., Site]) -> None:
    site = site_factory()
    auth, _ = site.login()
    other, _ = site.login()
    assert site.get("/me", auth.signed).status_code == 200
    site.manager.revoke(auth)
    refused(site.get("/me", auth.signed), "token_revoked")
    assert site.get("/me", other.signed).status_code == 200
    assert site.calls == ["me", "me"]


def test_revoke_takes_the_compact_string_too(site_factory: Callable[..., Site]) -> None:
    site = site_factory()
    auth, _ = site.login()
    site.manager.revoke(auth.signed)
    refused(site.get("/me", auth.signed), "token_revoked")


def test_logout_ends_the_session_and_its_auth_tokens(site_factory: Callable[..., Site]) -> None:
    site = site_factory()
    auth, refresh = site.login()
    unrelated = site.manager.auth_token("alice")  # issued without a session
    assert site.post("/logout", refresh.signed).status_code == 200
    refused(site.post("/refresh", refresh.signed), "token_revoked")
    refused(site.get("/me", auth.signed), "token_revoked")
    assert site.get("/me", unrelated.signed).status_code == 200


def test_an_auth_token_can_end_its_session(site_factory: Callable[..., Site]) -> None:
    site = site_factory()
    auth, refresh = site.login()
    sibling = site.manager.auth_token("alice", session=refresh)
    site.manager.revoke(auth, end_session=True)
    refused(site.post("/refresh", refresh.signed), "token_revoked")
    refused(site.get("/me", sibling.signed), "token_revoked")
    other, _ = site.login()
    assert site.get("/me", other.signed).status_code == 200
    # Without end_session, only the token itself.
    auth, refresh = site.login()
    site.manager.revoke(auth)
    assert site.post("/refresh", refresh.signed).status_code == 200


def test_a_revoked_session_kills_tokens_rotated_from_it(site_factory: Callable[..., Site]) -> None:
    site = site_factory()
    _, refresh = site.login()
    new_auth, new_refresh = site.manager.rotate(refresh)
    site.manager.revoke(new_refresh)
    refused(site.get("/me", new_auth.signed), "token_revoked")
    refused(site.post("/refresh", new_refresh.signed), "token_revoked")


def test_logout_everywhere_refuses_every_earlier_token_of_the_subject(
    site_factory: Callable[..., Site],
) -> None:
    site = site_factory()
    phone, phone_refresh = site.login("alice")
    laptop, _ = site.login("alice")
    bob, _ = site.login("bob")
    assert site.post("/logout-everywhere", laptop.signed).status_code == 200
    for token in (phone, laptop):
        refused(site.get("/me", token.signed), "token_revoked")
    refused(site.post("/refresh", phone_refresh.signed), "token_revoked")
    assert site.get("/me", bob.signed).status_code == 200


def test_a_route_may_skip_the_revocation_check(site_factory: Callable[..., Site]) -> None:
    site = site_factory()
    auth, _ = site.login()
    site.manager.revoke(auth)
    assert site.get("/unchecked", auth.signed).status_code == 200
    refused(site.get("/me", auth.signed), "token_revoked")


def test_verify_and_convert_see_revocations(site_factory: Callable[..., Site]) -> None:
    site = site_factory()
    auth, _ = site.login()
    assert site.manager.verify_token(auth)
    site.manager.revoke(auth)
    assert not site.manager.verify_token(auth)
    with pytest.raises(TokenRevokedError):
        site.manager.convert_token(auth.signed)


def test_revoking_a_bad_token_is_refused_and_an_expired_one_a_no_op() -> None:
    now = [1_800_000_000.0]
    store = MemoryRevocationStore(clock=lambda: now[0])
    site = build_site(store, lambda: now[0])
    with pytest.raises(TokenMalformedError) as refusal:
        site.manager.revoke("not.a.token")
    assert refusal.value.code == "token_malformed"
    auth, _ = site.login()
    now[0] += 7200
    site.manager.revoke(auth)  # expired: nothing to revoke, nothing raised
    assert len(store) == 0


# Logout everywhere, in time -----------------------------------------------------------------


def test_tokens_issued_in_the_same_second_as_revoke_subject_are_refused_too() -> None:
    now = [1_800_000_000.25]
    site = build_site(MemoryRevocationStore(clock=lambda: now[0]), lambda: now[0])
    before, _ = site.login()
    site.manager.revoke_subject("alice")
    same_second, _ = site.login()
    now[0] += 1.0
    next_second, _ = site.login()
    refused(site.get("/me", before.signed), "token_revoked")
    refused(site.get("/me", same_second.signed), "token_revoked")
    assert site.get("/me", next_second.signed).status_code == 200


# Rotation ---------------------------------------------------------------------------------


def test_rotation_gives_a_new_pair_in_the_same_session(site_factory: Callable[..., Site]) -> None:
    site = site_factory()
    _, refresh = site.login()
    body = json_body(site.post("/refresh", refresh.signed))
    new_auth = site.manager.convert_token(str(body["auth_token"]), "auth")
    new_refresh = site.manager.convert_token(str(body["refresh_token"]), "refresh")
    assert new_auth.sid == new_refresh.sid == refresh.sid is not None
    assert new_refresh.jti != refresh.jti
    assert new_refresh.rid != refresh.rid
    assert new_auth.scope == "read"
    assert site.get("/me", new_auth.signed).status_code == 200
    assert site.post("/refresh", new_refresh.signed).status_code == 200


def test_reuse_of_a_rotated_refresh_token_revokes_the_whole_session(
    site_factory: Callable[..., Site], caplog: pytest.LogCaptureFixture
) -> None:
    site = site_factory()
    login_auth, refresh = site.login()
    body = json_body(site.post("/refresh", refresh.signed))
    new_auth, new_refresh = str(body["auth_token"]), str(body["refresh_token"])
    site.calls.clear()
    with caplog.at_level(logging.WARNING, logger="flask_pyjwt"):
        refused(site.post("/refresh", refresh.signed), "refresh_token_reused")
    assert site.calls == []  # the view did not run
    assert "its session was revoked" in caplog.text
    assert refresh.signed not in caplog.text
    # The legitimate holder's newest tokens died with the session.
    refused(site.post("/refresh", new_refresh), "token_revoked")
    refused(site.get("/me", new_auth), "token_revoked")
    refused(site.get("/me", login_auth.signed), "token_revoked")
    # Another session of the same user is untouched.
    other, _ = site.login()
    assert site.get("/me", other.signed).status_code == 200


def test_rotating_twice_is_reuse(site_factory: Callable[..., Site]) -> None:
    site = site_factory()
    _, refresh = site.login()
    site.manager.rotate(refresh)
    with pytest.raises(RefreshTokenReusedError) as refusal:
        site.manager.rotate(refresh)
    assert refusal.value.code == "refresh_token_reused"
    assert isinstance(refusal.value, TokenRevokedError)


def test_rotate_in_a_view_answers_the_librarys_json(site_factory: Callable[..., Site]) -> None:
    site = site_factory()
    auth, refresh = site.login()
    refused(site.client.post("/rotate-raw", headers=bearer(auth.signed)), "token_type_invalid")
    refused(site.client.post("/rotate-raw", headers=bearer("x.y.z")), "token_malformed")
    assert site.client.post("/rotate-raw", headers=bearer(refresh.signed)).status_code == 200
    refused(site.client.post("/rotate-raw", headers=bearer(refresh.signed)), "refresh_token_reused")


def test_rotation_keeps_the_refresh_tokens_custom_claims(site_factory: Callable[..., Site]) -> None:
    site = site_factory()
    refresh = site.manager.refresh_token("alice", device="phone")
    _, new_refresh = site.manager.rotate(refresh)
    assert new_refresh.claims["device"] == "phone"


# 1.x tokens ---------------------------------------------------------------------------------


def _legacy(kind: str, **extra: object) -> str:
    now = int(time.time())
    claims: dict[str, object] = {"rid": "legacy-rid"} if kind == "refresh" else {}
    claims.update(iss=config_for("HS256")["JWT_ISSUER"], iat=now, exp=now + 600)
    claims.update(sub="alice", type=kind, **extra)
    return forge({"alg": "HS256", "typ": "JWT"}, claims)


def test_legacy_tokens_revoke_by_subject_and_rotate_by_rid() -> None:
    site = build_site(JWT_ACCEPT_LEGACY_TOKENS=True)
    legacy_auth = _legacy("auth")
    with pytest.raises(LegacyTokenRevocationError, match="revoke_subject"):
        site.manager.revoke(legacy_auth)
    assert site.get("/me", legacy_auth).status_code == 200
    new_auth, new_refresh = site.manager.rotate(_legacy("refresh"))
    assert new_refresh.sid == "legacy-rid"  # the 1.x refresh token's rid is its session
    refused(site.post("/refresh", _legacy("refresh")), "refresh_token_reused")
    refused(site.get("/me", new_auth.signed), "token_revoked")
    site.manager.revoke_subject("alice")
    refused(site.get("/me", legacy_auth), "token_revoked")


# Store failures --------------------------------------------------------------------------------


def test_an_unreachable_redis_is_a_503_then_recovers(redis: RedisServer) -> None:
    site = build_site(RedisRevocationStore.from_url(redis.url))
    auth, refresh = site.login()
    redis.stop()
    started = time.monotonic()
    for response in (site.get("/me", auth.signed), site.post("/refresh", refresh.signed)):
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "1"
        assert "WWW-Authenticate" not in response.headers
        assert json_body(response)["code"] == "revocation_unavailable"
    assert time.monotonic() - started < 2.0
    assert site.calls == []
    with pytest.raises(RevocationUnavailableError):
        site.manager.revoke_subject("alice")
    with pytest.raises(RevocationUnavailableError):
        site.manager.verify_token(auth)
    redis.start()
    assert site.get("/me", auth.signed).status_code == 200


def test_fail_open_accepts_and_logs_each_time(
    redis: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    site = build_site(RedisRevocationStore.from_url(redis.url), JWT_REVOCATION_FAIL_OPEN=True)
    auth, refresh = site.login()
    redis.stop()
    with caplog.at_level(logging.WARNING, logger="flask_pyjwt"):
        assert site.get("/me", auth.signed).status_code == 200
        assert site.get("/me", auth.signed).status_code == 200
    assert caplog.text.count("JWT_REVOCATION_FAIL_OPEN is set") == 2
    # Rotation never fails open: single use could not be guaranteed.
    response = site.client.post("/rotate-raw", headers=bearer(refresh.signed))
    assert response.status_code == 503


# Configuration ------------------------------------------------------------------------------


def test_the_redis_store_can_come_from_the_configuration(redis: RedisServer) -> None:
    first = build_site(JWT_REVOCATION_REDIS_URL=redis.url, JWT_REVOCATION_PREFIX="app-a:")
    second = build_site(JWT_REVOCATION_REDIS_URL=redis.url, JWT_REVOCATION_PREFIX="app-a:")
    auth, _ = first.login()
    first.manager.revoke(auth)
    refused(second.get("/me", auth.signed), "token_revoked")  # shared through Redis
    assert all(key.startswith("app-a:") for key in redis.ttls())
    other_prefix = build_site(JWT_REVOCATION_REDIS_URL=redis.url, JWT_REVOCATION_PREFIX="b:")
    assert other_prefix.get("/me", auth.signed).status_code == 200


def test_a_url_and_a_store_together_are_a_config_error(redis: RedisServer) -> None:
    with pytest.raises(InvalidConfigError, match="use one of them"):
        build_site(MemoryRevocationStore(), JWT_REVOCATION_REDIS_URL=redis.url)


def test_the_redis_url_is_never_echoed() -> None:
    secret_url = "http://user:hunter2-password@127.0.0.1:6379/0"
    with pytest.raises(InvalidConfigError) as error:
        build_site(JWT_REVOCATION_REDIS_URL=secret_url)
    assert "hunter2" not in str(error.value)
    site = build_site(JWT_REVOCATION_REDIS_URL="redis://:hunter2@127.0.0.1:1/0")
    assert "hunter2" not in repr(settings_of(site.app))


def test_each_app_has_its_own_memory_store_by_default() -> None:
    first, second = build_site(), build_site()
    auth, _ = first.login()
    first.manager.revoke(auth)
    refused(first.get("/me", auth.signed), "token_revoked")
    assert second.get("/me", auth.signed).status_code == 200


class _RefusingMemoryStore(MemoryRevocationStore):
    """A subclass of the in-process store that refuses everything, with nothing recorded."""

    def status(self, query: RevocationQuery) -> RevocationState:
        return RevocationState.REVOKED


def test_the_empty_memory_store_is_skipped_but_a_subclass_is_asked() -> None:
    # The in-process store with nothing recorded answers VALID without a query; that
    # shortcut is for it alone: a subclass with its own status is asked every time.
    store = MemoryRevocationStore()
    assert not store
    site = build_site(store)
    auth, _ = site.login()
    assert site.get("/me", auth.signed).status_code == 200
    site.manager.revoke(auth)
    assert store
    refused(site.get("/me", auth.signed), "token_revoked")
    subclassed = build_site(_RefusingMemoryStore())
    auth, _ = subclassed.login()
    refused(subclassed.get("/me", auth.signed), "token_revoked")
    assert subclassed.get("/unchecked", auth.signed).status_code == 200


def test_a_lifetime_longer_than_revocations_are_kept_is_refused() -> None:
    site = build_site(JWT_AUTHMAXAGE=600, JWT_REFRESHMAXAGE=3600)
    with site.app.app_context():
        assert site.manager.auth_token("alice", max_age=3600).max_age == 3600
        with pytest.raises(ValueError, match="longest configured lifetime"):
            site.manager.auth_token("alice", max_age=3601)


@pytest.mark.parametrize("sid", [None, "", 7, ["s"]])
def test_a_sid_that_is_not_a_non_empty_string_is_refused(sid: object) -> None:
    site = build_site()
    now = int(time.time())
    claims: dict[str, object] = {
        "iss": config_for("HS256")["JWT_ISSUER"], "sub": "alice", "iat": now,
        "exp": now + 60, "jti": "j", "type": "auth", "sid": sid,
    }  # fmt: skip
    token = forge({"alg": "HS256", "typ": "at+jwt"}, claims)
    refused(site.get("/me", token), "claim_invalid")
