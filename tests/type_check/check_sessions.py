"""Revocation, logout everywhere and rotation: the exact public types."""

from __future__ import annotations

import redis
from flask import Flask
from typing_extensions import assert_type

from flask_pyjwt import (
    AuthManager,
    AuthToken,
    MemoryRevocationStore,
    RedisRevocationStore,
    RefreshToken,
    RevocationStore,
    require_token,
)
from flask_pyjwt.errors import TemporarilyUnavailable, TokenRevokedError
from flask_pyjwt.typing import ErrorCode, RevocationQuery, RevocationState, SessionId


def sessions(app: Flask, client: redis.Redis, refresh: RefreshToken, auth: AuthToken) -> None:
    # Both stores are RevocationStores; a redis.Redis client fits RedisClient.
    memory: RevocationStore = MemoryRevocationStore()
    shared: RevocationStore = RedisRevocationStore(client, prefix="app1:")
    assert_type(RedisRevocationStore.from_url("redis://127.0.0.1:6379/0"), RedisRevocationStore)
    manager = AuthManager(app, revocation_store=shared)
    AuthManager(app, revocation_store=memory)

    assert_type(manager.revoke(auth), None)
    assert_type(manager.revoke(refresh.signed), None)
    assert_type(manager.revoke(auth, end_session=True), None)
    assert_type(manager.revoke_subject("alice"), None)
    new_auth, new_refresh = manager.rotate(refresh, "read", claims={"admin": False})
    assert_type(new_auth, AuthToken)
    assert_type(new_refresh, RefreshToken)
    assert_type(manager.rotate(refresh.signed), tuple[AuthToken, RefreshToken])
    assert_type(manager.auth_token("alice", session=refresh), AuthToken)
    assert_type(manager.auth_token("alice", session=SessionId("a-sid")), AuthToken)
    assert_type(new_auth.sid, SessionId | None)
    assert_type(new_refresh.sid, SessionId | None)
    if new_auth.sid is not None:  # a token's sid joins its session
        assert_type(manager.auth_token("alice", session=new_auth.sid), AuthToken)

    query = RevocationQuery(jti="j", subject="alice", issued_at=0, family=None, refresh=False)
    assert_type(shared.status(query), RevocationState)
    assert_type(shared.retire("j", ttl=1, subject="alice", record="j2 0.0"), str)
    assert_type(shared.rotation("j", subject="alice"), str | None)
    code: ErrorCode = TokenRevokedError("revoked").code  # a 401 code the app may branch on
    del code
    assert_type(
        TemporarilyUnavailable(error_code="revocation_unavailable", message="m"),
        TemporarilyUnavailable,
    )

    @require_token(check_revocation=False)
    def unchecked() -> str:
        return "ok"

    assert_type(unchecked(), str)


def misuse(manager: AuthManager, auth: AuthToken, refresh: RefreshToken) -> None:
    manager.rotate(auth)  # type: ignore[arg-type]
    manager.revoke(42)  # type: ignore[arg-type]
    manager.revoke(auth, True)  # type: ignore[call-arg]
    manager.revoke_subject(refresh)  # type: ignore[arg-type]
    manager.auth_token("alice", session=auth)  # type: ignore[arg-type]
    # A compact token is never a session id (it would carry the refresh token in sid),
    # nor is any plain str: a session id is a token's sid or SessionId(stored).
    manager.auth_token("alice", session=refresh.signed)  # type: ignore[arg-type]
    manager.auth_token("alice", session="a-sid")  # type: ignore[arg-type]
    require_token(check_revocation="no")  # type: ignore[arg-type]
    RedisRevocationStore(object())  # type: ignore[arg-type]
    store: RevocationStore = object()  # type: ignore[assignment]
    del store
    TemporarilyUnavailable(error_code="redis_down", message="m")  # type: ignore[arg-type]
