"""``RevocationStore.remember_once`` (DPoP replay), held by both stores: in memory and a
real Redis. Its own namespace, its lifetime, and one winner among concurrent callers."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from flask_pyjwt import MemoryRevocationStore, RedisRevocationStore, RevocationStore
from flask_pyjwt.errors import RevocationUnavailableError
from tests.redis_server import RedisServer
from tests.support import Clock


@pytest.fixture(params=["memory", "redis"])
def store(request: pytest.FixtureRequest) -> Iterator[RevocationStore]:
    if request.param == "memory":
        yield MemoryRevocationStore()
        return
    server: RedisServer = request.getfixturevalue("redis")
    client = server.client()
    yield RedisRevocationStore(client)
    client.close()


def test_the_first_call_wins_and_the_next_ones_lose(store: RevocationStore) -> None:
    assert store.remember_once("k1", ttl=60) is True
    assert store.remember_once("k1", ttl=60) is False
    assert store.remember_once("k2", ttl=60) is True  # control: another key


def test_its_namespace_is_its_own(store: RevocationStore) -> None:
    # A proof's id equal to a refresh token's jti must not retire or revoke that token.
    assert store.retire("same", ttl=60, subject="alice", record="r1") == "r1"
    assert store.remember_once("same", ttl=60) is True
    assert store.rotation("same", subject="alice") == "r1"  # still retired, as it was
    # control: the namespaces do hold what is written to them
    assert store.retire("same", ttl=60, subject="alice", record="r2") == "r1"
    assert store.remember_once("same", ttl=60) is False


def test_a_ttl_of_zero_records_nothing(store: RevocationStore) -> None:
    assert store.remember_once("k", ttl=0) is True
    assert store.remember_once("k", ttl=60) is True


def test_exactly_one_of_many_concurrent_calls_wins(store: RevocationStore) -> None:
    barrier = threading.Barrier(16)
    results: list[bool] = []
    lock = threading.Lock()

    def call() -> None:
        barrier.wait()
        won = store.remember_once("contested", ttl=60)
        with lock:
            results.append(won)

    threads = [threading.Thread(target=call) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 15 + [True]


def test_the_memory_store_forgets_after_the_ttl() -> None:
    clock = Clock()
    store = MemoryRevocationStore(clock=clock)
    assert store.remember_once("k", ttl=10) is True
    clock.now += 9
    assert store.remember_once("k", ttl=10) is False
    clock.now += 1
    assert store.remember_once("k", ttl=10) is True


def test_the_redis_key_is_hash_tagged_and_expires(redis: RedisServer) -> None:
    client = redis.client()
    store = RedisRevocationStore(client, prefix="p:")
    store.remember_once("abc", ttl=30)
    ttls = redis.ttls()
    assert list(ttls) == ["p:once:{abc}"]
    assert 0 < ttls["p:once:{abc}"] <= 30
    client.close()


def test_a_redis_that_does_not_answer_is_unavailable() -> None:
    store = RedisRevocationStore.from_url("redis://127.0.0.1:1/0", timeout=0.1)
    with pytest.raises(RevocationUnavailableError):
        store.remember_once("k", ttl=10)
