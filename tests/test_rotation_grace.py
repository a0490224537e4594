"""``JWT_ROTATION_GRACE``: the refresh token just rotated, presented again within the
window, gets an equivalent successor (same session, same successor ``jti``); after
it, reuse revokes the session as without a window. Both stores, through a real app,
with time moved by the app's clock.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from typing import cast

import pytest
import redis

from flask_pyjwt import InvalidConfigError, MemoryRevocationStore, RedisRevocationStore
from flask_pyjwt.errors import TokenRevokedError
from tests.redis_server import RedisServer
from tests.support import Clock, concurrently, json_body
from tests.test_sessions import Site, build_site

GRACE = 30


@pytest.fixture(params=["memory", "redis"])
def site_and_clock(request: pytest.FixtureRequest) -> Iterator[tuple[Site, Clock]]:
    clock = Clock(time.time())
    clients: list[redis.Redis] = []
    if request.param == "memory":
        store: MemoryRevocationStore | RedisRevocationStore = MemoryRevocationStore(clock=clock)
    else:
        server: RedisServer = request.getfixturevalue("redis")
        clients.append(server.client())
        store = RedisRevocationStore(clients[0])
    yield build_site(store, clock, JWT_ROTATION_GRACE=GRACE), clock
    if isinstance(store, RedisRevocationStore):
        store.close()
    for client in clients:
        client.close()


def _pair(site: Site, refresh: str) -> tuple[int, dict[str, object]]:
    response = site.post("/refresh", refresh)
    return response.status_code, json_body(response)


def test_within_the_window_the_same_token_gets_the_same_successor(
    site_and_clock: tuple[Site, Clock],
) -> None:
    site, clock = site_and_clock
    auth, refresh = site.login()
    status, first = _pair(site, refresh.signed)
    assert status == 200
    clock.now += GRACE - 1  # a second tab, a retry after a lost answer
    status, again = _pair(site, refresh.signed)
    assert status == 200, again
    manager = site.manager
    first_refresh = manager.convert_token(str(first["refresh_token"]), "refresh")
    again_refresh = manager.convert_token(str(again["refresh_token"]), "refresh")
    assert again_refresh.jti == first_refresh.jti  # the same successor, not a new branch
    assert again_refresh.sid == first_refresh.sid == refresh.sid
    again_auth = manager.convert_token(str(again["auth_token"]), "auth")
    assert again_auth.sid == refresh.sid
    # Nothing was revoked: the old auth token and both new ones work.
    for token in (auth.signed, str(first["auth_token"]), again_auth.signed):
        assert site.get("/me", token).status_code == 200
    # The successor is still single-use: one of its two copies rotates, the other is
    # (once the successor's own window has passed) reuse, which ends the session.
    assert _pair(site, first_refresh.signed)[0] == 200
    clock.now += GRACE + 1
    status, reused = _pair(site, again_refresh.signed)
    assert (status, reused["code"]) == (401, "refresh_token_reused")
    assert json_body(site.get("/me", again_auth.signed))["code"] == "token_revoked"


def test_after_the_window_reuse_revokes_the_session(site_and_clock: tuple[Site, Clock]) -> None:
    site, clock = site_and_clock
    _, refresh = site.login()
    status, first = _pair(site, refresh.signed)
    assert status == 200
    clock.now += GRACE + 1
    status, reused = _pair(site, refresh.signed)
    assert (status, reused["code"]) == (401, "refresh_token_reused")
    assert json_body(site.get("/me", str(first["auth_token"])))["code"] == "token_revoked"
    with pytest.raises(TokenRevokedError):  # the session ended with the reuse
        site.manager.rotate(str(first["refresh_token"]))


def test_concurrent_rotations_within_the_window_all_get_the_one_successor(
    site_and_clock: tuple[Site, Clock],
) -> None:
    site, _ = site_and_clock
    _, refresh = site.login()
    pairs = concurrently(8, lambda _: site.manager.rotate(refresh))
    assert len({new_refresh.jti for _, new_refresh in pairs}) == 1
    assert {new_refresh.sid for _, new_refresh in pairs} == {refresh.sid}
    assert all(site.get("/me", auth.signed).status_code == 200 for auth, _ in pairs)


def test_without_a_window_the_same_token_again_is_reuse(redis: RedisServer) -> None:
    client = redis.client()
    for store in (MemoryRevocationStore(), RedisRevocationStore(client)):
        site = build_site(store)  # JWT_ROTATION_GRACE unset: 0
        _, refresh = site.login()
        assert _pair(site, refresh.signed)[0] == 200
        status, reused = _pair(site, refresh.signed)
        assert (status, reused["code"]) == (401, "refresh_token_reused")
    client.close()


def test_redis_keeps_no_token_and_no_secret(redis: RedisServer) -> None:
    client = redis.client()
    clock = Clock(time.time())
    site = build_site(RedisRevocationStore(client), clock, JWT_ROTATION_GRACE=GRACE)
    _, refresh = site.login()
    status, first = _pair(site, refresh.signed)
    assert status == 200
    assert _pair(site, refresh.signed)[0] == 200
    secret = cast("str", site.app.config["JWT_SECRET"])
    keys = cast("list[bytes]", client.keys("*"))  # pyright: ignore[reportUnknownMemberType]
    stored = " ".join(f"{key.decode()} {cast('bytes', client.get(key)).decode()}" for key in keys)
    issued = [refresh.signed, str(first["refresh_token"]), str(first["auth_token"])]
    for token in issued:
        for segment in token.split("."):  # header, claims, signature: none of them
            assert segment not in stored
    assert secret not in stored
    successor = site.manager.convert_token(str(first["refresh_token"]), "refresh")
    assert successor.jti in stored  # what is kept: the successor's id and the time
    client.close()


@pytest.mark.parametrize("value", ["soon", "-1", -1, 1.5, True])
def test_a_bad_grace_is_refused_at_init_app(value: object) -> None:
    with pytest.raises(InvalidConfigError, match="JWT_ROTATION_GRACE"):
        build_site(None, None, JWT_ROTATION_GRACE=value)


def test_a_grace_reads_seconds_or_a_timedelta() -> None:
    clock = Clock(time.time())
    for value in ("10", 10, timedelta(seconds=10)):
        site = build_site(MemoryRevocationStore(clock=clock), clock, JWT_ROTATION_GRACE=value)
        _, refresh = site.login()
        assert _pair(site, refresh.signed)[0] == 200
        clock.now += 9
        assert _pair(site, refresh.signed)[0] == 200
        clock.now += 2
        assert _pair(site, refresh.signed)[0] == 401


@pytest.mark.parametrize("kind", ["memory", "redis"])
def test_a_successor_copy_issued_in_the_window_stays_single_use_to_its_end(
    kind: str, request: pytest.FixtureRequest
) -> None:
    # Two copies of one successor: the first rotation's, and the one handed out again
    # within the window, which lives up to the window longer. Rotating the first copy
    # must keep the successor retired until the second copy expires too, or the second
    # copy rotates again at the end of its life: a second branch of the session.
    clock = Clock(time.time())
    client: redis.Redis | None = None
    if kind == "memory":
        store: MemoryRevocationStore | RedisRevocationStore = MemoryRevocationStore(clock=clock)
    else:
        server: RedisServer = request.getfixturevalue("redis")
        client = server.client()
        store = RedisRevocationStore(client, local_cache=False)
    site = build_site(store, clock, JWT_ROTATION_GRACE=GRACE)
    _, refresh = site.login()
    status, first = _pair(site, refresh.signed)
    assert status == 200
    clock.now += GRACE - 1
    status, again = _pair(site, refresh.signed)
    assert status == 200
    copy1 = site.manager.convert_token(str(first["refresh_token"]), "refresh")
    copy2 = site.manager.convert_token(str(again["refresh_token"]), "refresh")
    assert copy1.jti == copy2.jti
    assert copy2.exp > copy1.exp
    clock.now += GRACE + 1
    assert _pair(site, copy1.signed)[0] == 200  # the successor's legitimate rotation
    if client is not None:
        # Redis keeps time itself: the retirement must last until copy2's exp.
        key = f"flask_pyjwt:{{{copy2.sub}}}:used:{copy2.jti}"
        ttl = client.ttl(key)
        client.close()
        assert clock.now + ttl >= copy2.exp
        return
    clock.now = copy1.exp + 1  # copy1 has expired; copy2 has not
    status, reused = _pair(site, copy2.signed)
    assert (status, reused["code"]) == (401, "refresh_token_reused")
