"""Sessions that cannot be subverted by misuse: a token is never a session id, a rotation
that cannot finish writes nothing, and revoking any token of a session ends it, expired
or not.

Each scenario runs with the in-process store and with a real Redis, and the two-app
scenarios share one store between an issuing app and a verify-only one, as two services
(or two deployments) of one system do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import redis
from flask import Flask

from flask_pyjwt import (
    AuthManager,
    MemoryRevocationStore,
    RedisRevocationStore,
    RevocationStore,
)
from flask_pyjwt.errors import MissingSignerError, SignatureInvalidError
from flask_pyjwt.typing import SessionId
from tests.redis_server import RedisServer
from tests.support import Clock, config_for, configure, forge
from tests.test_sessions import Site, build_site, refused

StoreFactory = Callable[[Clock], RevocationStore]


@pytest.fixture(params=["memory", "redis"])
def store_for(request: pytest.FixtureRequest) -> Iterator[StoreFactory]:
    """Makes the store the apps of one test share (on the test's clock, for memory)."""
    if request.param == "memory":
        yield lambda clock: MemoryRevocationStore(clock=clock)
        return
    server: RedisServer = request.getfixturevalue("redis")
    clients: list[redis.Redis] = []

    def factory(clock: Clock) -> RevocationStore:
        del clock  # Redis keeps its own time; the clock starts in 2030, ahead of it
        client = server.client()
        clients.append(client)
        return RedisRevocationStore(client)

    yield factory
    for client in clients:
        client.close()


# 1. A compact token is never a session id --------------------------------------------------


def test_a_compact_refresh_token_is_not_a_session_id() -> None:
    site = build_site()
    _, refresh = site.login()
    with pytest.raises(TypeError, match="compact token"):
        site.manager.auth_token("alice", session=refresh.signed)  # type: ignore[arg-type]
    auth, _ = site.login()
    with pytest.raises(TypeError, match="compact token"):
        site.manager.auth_token("alice", session=SessionId(auth.signed))


def test_another_subjects_refresh_token_is_not_this_subjects_session() -> None:
    site = build_site()
    _, bobs = site.login("bob")
    with pytest.raises(ValueError, match="subject"):
        site.manager.auth_token("alice", session=bobs)


def test_a_session_id_from_a_token_joins_its_session() -> None:
    site = build_site()
    auth, refresh = site.login()
    assert auth.sid is not None
    sibling = site.manager.auth_token("alice", session=auth.sid)
    stored = site.manager.auth_token("alice", session=SessionId(str(refresh.sid)))
    assert sibling.sid == stored.sid == refresh.sid
    site.manager.revoke(refresh)
    refused(site.get("/me", sibling.signed), "token_revoked")
    refused(site.get("/me", stored.signed), "token_revoked")


# 2. A rotation that cannot finish writes nothing ----------------------------------------------


def _app(
    name: str, store: RevocationStore, clock: Clock, *, can_sign: bool
) -> tuple[Flask, AuthManager]:
    """An RS256 app on ``store`` (the caller keeps the app: a manager holds it weakly)."""
    app = Flask(name)
    config = config_for("RS256")
    if not can_sign:
        del config["JWT_SECRET"]  # the public key only: verify-only
    configure(app, config)
    return app, AuthManager(app, revocation_store=store, clock=clock)


def test_a_verify_only_app_cannot_burn_a_refresh_token(store_for: StoreFactory) -> None:
    clock = Clock()
    store = store_for(clock)
    _issuing_app, issuer = _app("issuer", store, clock, can_sign=True)
    _verifying_app, verifier = _app("verifier", store, clock, can_sign=False)
    refresh = issuer.refresh_token("alice")
    with pytest.raises(MissingSignerError):
        verifier.rotate(refresh)
    with pytest.raises(MissingSignerError):
        verifier.rotate(refresh.signed, "read")
    # The legitimate rotation still works, and its pair is valid on both apps.
    auth, successor = issuer.rotate(refresh)
    assert issuer.verify_token(auth)
    assert verifier.verify_token(auth)
    assert verifier.verify_token(successor)


def test_a_rotation_refused_for_its_claims_burns_nothing(store_for: StoreFactory) -> None:
    clock = Clock()
    _issuing_app, issuer = _app("issuer", store_for(clock), clock, can_sign=True)
    refresh = issuer.refresh_token("alice")
    with pytest.raises(ValueError, match="exp"):
        issuer.rotate(refresh, claims={"exp": 1})
    with pytest.raises(TypeError):
        issuer.rotate(refresh, {"when": object()})  # type: ignore[dict-item]
    auth, successor = issuer.rotate(refresh)
    assert issuer.verify_token(auth)
    assert issuer.verify_token(successor)


# 3. Revoking any token of a session ends it, expired or not -----------------------------------


def _clocked_site(store_for: StoreFactory) -> tuple[Site, Clock]:
    clock = Clock()
    return build_site(store_for(clock), clock, JWT_AUTHMAXAGE=60, JWT_REFRESHMAXAGE=600), clock


def test_revoking_an_expired_refresh_token_ends_its_session(store_for: StoreFactory) -> None:
    site, clock = _clocked_site(store_for)
    _, stolen = site.login()
    clock.now += 590
    thief_auth, thief_refresh = site.manager.rotate(stolen)  # the thief rotated first
    clock.now += 20  # the victim's copy has expired by the time it logs out
    site.manager.revoke(stolen)
    refused(site.post("/refresh", thief_refresh.signed), "token_revoked")
    refused(site.get("/me", thief_auth.signed), "token_revoked")


def test_an_expired_auth_token_ends_its_session_when_asked(store_for: StoreFactory) -> None:
    site, clock = _clocked_site(store_for)
    auth, refresh = site.login()
    clock.now += 120
    site.manager.revoke(auth)  # alone: an expired token needs no revocation
    assert site.post("/refresh", refresh.signed).status_code == 200
    auth, refresh = site.login()
    clock.now += 120
    site.manager.revoke(auth, end_session=True)
    refused(site.post("/refresh", refresh.signed), "token_revoked")


def test_an_expired_token_is_still_verified_before_it_ends_anything() -> None:
    clock = Clock()
    store = MemoryRevocationStore(clock=clock)
    site = build_site(store, clock)
    _, refresh = site.login()
    forged = forge(
        dict(refresh.header),
        {**refresh.claims, "exp": clock.now - 10},
        algorithm="HS256",
        key=b"another secret that is long enough for HS256 ....",
    )
    with pytest.raises(SignatureInvalidError) as refusal:
        site.manager.revoke(forged)
    assert refusal.value.code == "signature_invalid"
    assert len(store) == 0
    assert site.post("/refresh", refresh.signed).status_code == 200
