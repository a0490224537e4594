"""The Redis store's local cache: a warm check makes no round trip, a change anywhere
is seen within the staleness bound (100 ms), and a lost change feed never leaves an
old "not revoked" in memory past that bound. Real Redis, real subscriber connection.

The listener thread runs in real time (the feed is a real connection), so these
tests wait for it, never longer than it takes: ``wait_until`` polls a condition.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import statistics
import time
from collections.abc import Callable, Iterator
from multiprocessing.synchronize import Event as EventType
from typing import cast

import jwt
import pytest
from redis import Redis

from flask_pyjwt import RedisRevocationStore
from flask_pyjwt.errors import RevocationUnavailableError
from flask_pyjwt.typing import RevocationQuery, RevocationState
from tests.redis_server import RedisServer, command_calls, connect
from tests.support import json_body
from tests.test_sessions import Site, build_site

BOUND = 0.1  # the documented staleness bound, seconds


def wait_until(condition: Callable[[], bool], timeout: float = 3.0) -> float:
    """Poll ``condition`` until it holds; the seconds it took."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, "the condition never held"
        time.sleep(0.001)
    return time.monotonic() - started


def current(store: RedisRevocationStore) -> bool:
    """Whether the store's change feed is current (its cache may answer)."""
    cache = store._cache  # pyright: ignore[reportPrivateUsage]
    return cache is not None and time.monotonic() < cache.fresh_until


def warm(store: RedisRevocationStore) -> None:
    """Start the store's listener and wait until its feed is current."""
    store.status(RevocationQuery("warm-up", "nobody", 0, None, False))
    wait_until(lambda: current(store))


def mget_calls(server: RedisServer) -> int:
    client = server.client()
    calls = command_calls(client, "mget")
    client.close()
    return calls


@pytest.fixture
def clients(redis: RedisServer) -> Iterator[list[Redis]]:
    made: list[Redis] = []
    yield made
    for client in made:
        client.close()


def store_for(
    server: RedisServer, clients: list[Redis], **options: bool | int
) -> RedisRevocationStore:
    client = server.client()
    clients.append(client)
    return RedisRevocationStore(client, **options)  # type: ignore[arg-type]


def test_a_warm_token_is_checked_without_a_round_trip(
    redis: RedisServer, clients: list[Redis]
) -> None:
    store = store_for(redis, clients)
    site = build_site(store)
    auth, _ = site.login()
    warm(store)
    before = mget_calls(redis)
    assert site.get("/me", auth.signed).status_code == 200  # cold: one round trip
    assert mget_calls(redis) - before == 1
    for _ in range(20):
        assert site.get("/me", auth.signed).status_code == 200
    assert mget_calls(redis) - before == 1  # warm: none
    store.close()


def test_without_the_local_cache_every_check_is_a_round_trip(
    redis: RedisServer, clients: list[Redis]
) -> None:
    store = store_for(redis, clients, local_cache=False)
    assert not store.local_cache
    site = build_site(store)
    auth, _ = site.login()
    before = mget_calls(redis)
    for _ in range(20):
        assert site.get("/me", auth.signed).status_code == 200
    assert mget_calls(redis) - before == 20


def test_this_process_sees_its_own_revocation_at_once(
    redis: RedisServer, clients: list[Redis]
) -> None:
    store = store_for(redis, clients)
    site = build_site(store)
    auth, refresh = site.login()
    warm(store)
    assert site.get("/me", auth.signed).status_code == 200
    assert site.get("/me", auth.signed).status_code == 200  # answered from memory
    site.manager.revoke(refresh)  # the session ends: the very next request is refused
    assert json_body(site.get("/me", auth.signed))["code"] == "token_revoked"
    store.close()


def _two_sites(redis: RedisServer, clients: list[Redis]) -> tuple[Site, Site]:
    """Two apps with one configuration, each with its own store (and feed) on one Redis."""
    first = build_site(store_for(redis, clients))
    secret = cast("str", first.app.config["JWT_SECRET"])
    second = build_site(store_for(redis, clients), None, JWT_SECRET=secret)
    return first, second


def _store(site: Site) -> RedisRevocationStore:
    store = site.manager._state().sessions.store  # pyright: ignore[reportPrivateUsage]
    assert isinstance(store, RedisRevocationStore)
    return store


def test_a_revocation_made_elsewhere_is_seen_within_the_bound(
    redis: RedisServer, clients: list[Redis]
) -> None:
    reader, writer = _two_sites(redis, clients)
    warm(_store(reader))
    auth, refresh = reader.login()
    assert reader.get("/me", auth.signed).status_code == 200
    assert reader.get("/me", auth.signed).status_code == 200  # from memory now
    writer.manager.revoke(refresh)
    took = wait_until(lambda: reader.get("/me", auth.signed).status_code == 401, timeout=1.0)
    assert took < BOUND
    _store(reader).close()
    _store(writer).close()


def _warm_token(
    redis: RedisServer, clients: list[Redis], store: RedisRevocationStore | None = None
) -> tuple[Site, str]:
    site = build_site(store_for(redis, clients) if store is None else store)
    store = _store(site)
    warm(store)
    auth, _ = site.login()
    assert site.get("/me", auth.signed).status_code == 200
    before = mget_calls(redis)
    assert site.get("/me", auth.signed).status_code == 200
    assert mget_calls(redis) == before  # answered from memory
    return site, auth.signed


def _revoke_without_announcing(redis: RedisServer, token: str) -> None:
    """Write the token's revocation straight into Redis, not on the feed: only a cache
    that forgot what it knew when its feed broke can see it.

    The ``jti`` is read without ``convert_token``, whose revocation check would put a
    fresh "not revoked" for the token in the cache just before the unannounced write
    (what the cache cannot see, by design: the docs' failure modes)."""
    jti = jwt.decode(token, options={"verify_signature": False})["jti"]
    client = redis.client()
    client.set(f"flask_pyjwt:{{alice}}:jti:{jti}", b"1", ex=600)
    client.close()


def test_cutting_only_the_push_connection_forgets_the_cache(
    redis: RedisServer, clients: list[Redis]
) -> None:
    site, token = _warm_token(redis, clients)
    store = _store(site)
    cache = store._cache  # pyright: ignore[reportPrivateUsage]
    assert cache is not None
    subscriptions = cache.subscriptions
    admin = redis.client()
    killed = admin.execute_command("CLIENT", "KILL", "TYPE", "pubsub")  # type: ignore[no-untyped-call]
    assert cast("int", killed) >= 1
    admin.close()
    cut = time.monotonic()
    _revoke_without_announcing(redis, token)
    wait_until(lambda: site.get("/me", token).status_code == 401, timeout=1.0)
    assert time.monotonic() - cut < BOUND
    # It subscribed again on its own, and answers from memory again.
    wait_until(lambda: cache.subscriptions > subscriptions and current(store))
    other, _ = site.login("bob")
    assert site.get("/me", other.signed).status_code == 200
    before = mget_calls(redis)
    assert site.get("/me", other.signed).status_code == 200
    assert mget_calls(redis) == before
    store.close()


@pytest.mark.slow  # a stopped Redis, waited on for real
def test_a_redis_killed_and_restarted_never_leaves_an_old_answer(
    redis: RedisServer, clients: list[Redis]
) -> None:
    # A client that fails fast (from_url): a 503 is then as quick as a 200 from memory.
    site, token = _warm_token(redis, clients, RedisRevocationStore.from_url(redis.url))
    store = _store(site)
    redis.stop()
    stopped = time.monotonic()
    # Within the bound it may still answer from memory; past it, never: a 503.
    last_200 = stopped
    while time.monotonic() - stopped < 3 * BOUND:
        if site.get("/me", token).status_code == 200:
            last_200 = time.monotonic()
    assert last_200 - stopped < BOUND
    assert site.get("/me", token).status_code == 503
    redis.start()  # empty: the tests keep nothing on disk
    _revoke_without_announcing(redis, token)
    assert json_body(site.get("/me", token))["code"] == "token_revoked"
    wait_until(lambda: current(store))  # the feed is back, with nothing old in it
    assert json_body(site.get("/me", token))["code"] == "token_revoked"
    store.close()


def test_the_cache_is_bounded(redis: RedisServer, clients: list[Redis]) -> None:
    store = store_for(redis, clients, local_cache_size=8)
    warm(store)
    for index in range(50):
        query = RevocationQuery(f"j{index}", "alice", 1, None, False)
        assert store.status(query) is RevocationState.VALID
        cache = store._cache  # pyright: ignore[reportPrivateUsage]
        assert cache is not None
        assert len(cache.entries) <= 8
    store.close()


def test_the_cache_stays_bounded_when_sessions_end(
    redis: RedisServer, clients: list[Redis]
) -> None:
    # Each logout drops its tokens' answers, so the answers never fill the cache; what
    # the cache keeps to find them (by each key they read) must not pile up either.
    store = store_for(redis, clients, local_cache_size=8)
    site = build_site(store)
    cache = store._cache  # pyright: ignore[reportPrivateUsage]
    assert cache is not None
    warm(store)
    for _ in range(60):
        auth, refresh = site.login()

        def kept(token: str = auth.signed) -> bool:  # a check while the feed is current
            wait_until(lambda: current(store))
            assert site.get("/me", token).status_code == 200
            return token in cache.entries

        wait_until(kept)  # kept, then dropped by the logout
        site.manager.revoke(refresh)
        assert json_body(site.get("/me", auth.signed))["code"] == "token_revoked"
        readers = cache._readers  # pyright: ignore[reportPrivateUsage]
        held = sum(len(queries) for queries in readers.values())
        assert len(cache.entries) <= 8
        assert held <= 4 * 8
    store.close()


def test_an_answer_kept_by_token_lasts_only_while_the_feed_vouches_for_it(
    redis: RedisServer, clients: list[Redis]
) -> None:
    # The warm check asks by the compact token (no query built): it is VALID only
    # after a VALID answer for that token, and no longer once a change or a lost feed
    # says otherwise.
    store, other = store_for(redis, clients), store_for(redis, clients)
    warm(store)
    warm(other)
    query = RevocationQuery("j1", "alice", 1, "s1", False)
    assert not store.known_valid("a.b.c")  # never answered
    assert store.status(query) is RevocationState.VALID
    assert not store.known_valid("a.b.c")  # kept by query, not by this token
    assert store.status_of("a.b.c", query) is RevocationState.VALID
    assert store.known_valid("a.b.c")
    assert not store.known_valid("a.b.d")  # another token is not vouched for
    other.revoke_family("s1", ttl=600, subject="alice")  # another process, on the feed
    wait_until(lambda: not store.known_valid("a.b.c"), timeout=BOUND)
    assert store.status_of("a.b.c", query) is RevocationState.REVOKED
    assert not store.known_valid("a.b.c")  # a refusal is never kept
    fresh = RevocationQuery("j2", "bob", 1, None, False)
    assert store.status_of("x.y.z", fresh) is RevocationState.VALID
    refresh = RevocationQuery("j3", "bob", 1, "s3", True)
    assert store.status_of("r.r.r", refresh) is RevocationState.VALID
    assert not store.known_valid("r.r.r")  # a refresh token always asks Redis
    store.close()  # the feed is gone: nothing is vouched for
    assert not store.known_valid("x.y.z")
    other.close()
    unfed = store_for(redis, clients, local_cache=False)
    assert unfed.status_of("x.y.z", fresh) is RevocationState.VALID
    assert not unfed.known_valid("x.y.z")


def test_a_closed_or_unreachable_feed_falls_back_to_round_trips(
    redis: RedisServer, clients: list[Redis]
) -> None:
    store = store_for(redis, clients)
    warm(store)
    store.close()
    assert not current(store)
    before = mget_calls(redis)
    query = RevocationQuery("j", "alice", 1, None, False)
    for _ in range(3):
        assert store.status(query) is RevocationState.VALID
    assert mget_calls(redis) - before >= 1


# Across processes, and what it costs ---------------------------------------------------------


def _watch(
    port: int,
    secret: str,
    tokens: list[str],
    ready: EventType,
    seen: multiprocessing.Queue[tuple[int, float]],
) -> None:
    """Another process: keeps every token warm and reports when each is refused."""
    client = connect(port)
    site = build_site(RedisRevocationStore(client), None, JWT_SECRET=secret)
    manager = site.manager
    store = _store(site)
    warm(store)
    for token in tokens:
        manager.verify_token(token)
        manager.verify_token(token)
    ready.set()
    live = dict(enumerate(tokens))
    deadline = time.monotonic() + 60
    while live and time.monotonic() < deadline:
        for index, token in list(live.items()):
            if not manager.verify_token(token):
                seen.put((index, time.monotonic()))
                del live[index]


@pytest.mark.slow  # two processes, 100 revocations in real time
def test_revocations_in_one_process_are_honoured_by_another_within_100_ms(
    redis: RedisServer, clients: list[Redis]
) -> None:
    site = build_site(store_for(redis, clients))
    secret = cast("str", site.app.config["JWT_SECRET"])
    tokens = [site.manager.auth_token(f"user-{index}", session=None) for index in range(100)]
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    seen: multiprocessing.Queue[tuple[int, float]] = context.Queue()
    watcher = context.Process(
        target=_watch, args=(redis.port, secret, [token.signed for token in tokens], ready, seen)
    )
    watcher.start()
    assert ready.wait(60)
    revoked_at: dict[int, float] = {}
    for index, token in enumerate(tokens):
        revoked_at[index] = time.monotonic()  # from the start of the call: an upper bound
        site.manager.revoke(token)
        time.sleep(0.01)
    delays = sorted(at - revoked_at[index] for index, at in (seen.get(timeout=30) for _ in tokens))
    watcher.join(timeout=30)
    p50 = statistics.median(delays)
    p99 = delays[98]
    print(
        f"\nstaleness over {len(delays)} revocations (ms): min {delays[0] * 1000:.2f} "
        f"p50 {p50 * 1000:.2f} p90 {delays[89] * 1000:.2f} p99 {p99 * 1000:.2f} "
        f"max {delays[-1] * 1000:.2f}"
    )
    assert p99 < BOUND


def test_the_check_answers_unavailable_when_redis_is_gone_and_no_feed_vouches(
    redis: RedisServer, clients: list[Redis]
) -> None:
    # Control for the cache tests: without a current feed, a down Redis is a 503 at once.
    store = RedisRevocationStore.from_url(redis.url)
    query = RevocationQuery("j", "alice", 1, None, False)
    redis.stop()
    with pytest.raises(RevocationUnavailableError):
        store.status(query)
    store.close()


def _forked_watch(
    site: Site, token: str, ready: EventType, seen: multiprocessing.Queue[float]
) -> None:
    """In a forked child (a gunicorn worker): check until the token is refused."""
    assert site.get("/me", token).status_code == 200
    wait_until(lambda: current(_store(site)))  # its own listener, not the parent's
    assert site.get("/me", token).status_code == 200
    ready.set()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if site.get("/me", token).status_code == 401:
            seen.put(time.monotonic())
            return
    seen.put(float("inf"))


@pytest.mark.slow  # a forked process
def test_a_forked_worker_follows_the_feed_on_its_own(
    redis: RedisServer, clients: list[Redis]
) -> None:
    site, token = _warm_token(redis, clients)  # the parent's listener runs
    context = multiprocessing.get_context("fork")
    ready = context.Event()
    seen: multiprocessing.Queue[float] = context.Queue()
    child = context.Process(target=_forked_watch, args=(site, token, ready, seen))
    child.start()
    assert ready.wait(10)
    writer = build_site(store_for(redis, clients), None, JWT_SECRET=secret_of(site))
    revoked_at = time.monotonic()
    writer.manager.revoke(token)
    assert seen.get(timeout=15) - revoked_at < BOUND
    child.join(timeout=10)
    assert child.exitcode == 0
    _store(site).close()
    _store(writer).close()


def secret_of(site: Site) -> str:
    return cast("str", site.app.config["JWT_SECRET"])


@pytest.mark.slow  # a frozen Redis, waited on for real
def test_a_stalled_redis_is_not_vouched_for_by_memory(
    redis: RedisServer, clients: list[Redis]
) -> None:
    # SIGSTOP: the connections stay open and silent (no reset, no close), as with a
    # stalled server or a half-open link. The pings go unanswered.
    site, token = _warm_token(redis, clients, RedisRevocationStore.from_url(redis.url))
    store = _store(site)
    pid = redis.pid
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)
    try:
        frozen = time.monotonic()
        last_200 = frozen
        while time.monotonic() - frozen < 3 * BOUND:
            # The time a request is sent: its check runs after it, so a 200 proves the
            # check was within the bound of it (not counting the time to answer).
            sent = time.monotonic()
            if site.get("/me", token).status_code == 200:
                last_200 = sent
        assert last_200 - frozen < BOUND
        assert site.get("/me", token).status_code == 503
    finally:
        os.kill(pid, signal.SIGCONT)
    wait_until(lambda: current(store))  # back, on its own
    assert site.get("/me", token).status_code == 200
    store.close()
