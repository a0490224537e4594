"""The RevocationStore contract, held by both stores: in memory, and a real Redis.

Every behaviour the Protocol's docstring promises is checked on both; the Redis store
also across threads and processes, with every key carrying a TTL, and with the server
killed and restarted under it.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import redis
import redis as redis_module

from flask_pyjwt import MemoryRevocationStore, RedisRevocationStore, RevocationStore
from flask_pyjwt.errors import RevocationUnavailableError
from flask_pyjwt.typing import RevocationQuery, RevocationState
from tests.redis_server import RedisServer, connect
from tests.support import Clock

StoreFactory = Callable[[], RevocationStore]


@pytest.fixture(params=["memory", "redis"])
def make_store(request: pytest.FixtureRequest) -> Iterator[StoreFactory]:
    if request.param == "memory":
        yield MemoryRevocationStore
        return
    server: RedisServer = request.getfixturevalue("redis")
    clients: list[redis.Redis] = []

    def factory() -> RevocationStore:
        client = server.client()
        clients.append(client)
        return RedisRevocationStore(client)

    yield factory
    for client in clients:
        client.close()


def query(
    jti: str | None = "j1",
    *,
    subject: str = "alice",
    issued_at: int | None = None,
    family: str | None = None,
    refresh: bool = False,
) -> RevocationQuery:
    return RevocationQuery(
        jti=jti,
        subject=subject,
        issued_at=int(time.time()) if issued_at is None else issued_at,
        family=family,
        refresh=refresh,
    )


def test_nothing_recorded_means_valid(make_store: StoreFactory) -> None:
    store = make_store()
    assert store.status(query()) is RevocationState.VALID
    assert store.status(query(None)) is RevocationState.VALID
    assert store.status(query(refresh=True, family="f")) is RevocationState.VALID


def test_a_revoked_token_is_refused_and_only_it(make_store: StoreFactory) -> None:
    store = make_store()
    store.revoke_token("j1", ttl=3600, subject="alice")
    assert store.status(query("j1")) is RevocationState.REVOKED
    assert store.status(query("j1", refresh=True)) is RevocationState.REVOKED
    assert store.status(query("j2")) is RevocationState.VALID


def test_a_revoked_family_refuses_every_token_of_the_session(make_store: StoreFactory) -> None:
    store = make_store()
    store.revoke_family("session-1", ttl=3600, subject="alice")
    assert store.status(query("a1", family="session-1")) is RevocationState.REVOKED
    assert store.status(query("r1", family="session-1", refresh=True)) is RevocationState.REVOKED
    assert store.status(query("a2", family="session-2")) is RevocationState.VALID
    assert store.status(query("a3")) is RevocationState.VALID


def test_a_subject_cutoff_refuses_tokens_issued_until_then(make_store: StoreFactory) -> None:
    store = make_store()
    store.revoke_subject("alice", issued_before=1000, ttl=3600)
    assert store.status(query(issued_at=999)) is RevocationState.REVOKED
    assert store.status(query(issued_at=1000)) is RevocationState.REVOKED  # same second
    assert store.status(query(issued_at=1001)) is RevocationState.VALID
    assert store.status(query(None, issued_at=999)) is RevocationState.REVOKED  # legacy
    assert store.status(query(subject="bob", issued_at=999)) is RevocationState.VALID


def test_a_subject_cutoff_never_moves_back(make_store: StoreFactory) -> None:
    store = make_store()
    store.revoke_subject("alice", issued_before=2000, ttl=3600)
    store.revoke_subject("alice", issued_before=1000, ttl=3600)
    assert store.status(query(issued_at=1500)) is RevocationState.REVOKED
    store.revoke_subject("alice", issued_before=3000, ttl=3600)
    assert store.status(query(issued_at=2500)) is RevocationState.REVOKED


def test_retiring_is_first_come_and_marks_only_refresh_tokens(make_store: StoreFactory) -> None:
    store = make_store()
    assert store.retire("r1", ttl=3600, subject="alice", record="first 1.0") == "first 1.0"
    assert store.retire("r1", ttl=3600, subject="alice", record="second 2.0") == "first 1.0"
    assert store.status(query("r1", refresh=True)) is RevocationState.RETIRED
    assert store.status(query("r1", refresh=False)) is RevocationState.VALID
    assert store.retire("r2", ttl=3600, subject="alice", record="third 3.0") == "third 3.0"
    assert store.rotation("r1", subject="alice") == "first 1.0"
    assert store.rotation("r2", subject="alice") == "third 3.0"
    assert store.rotation("r3", subject="alice") is None


def test_a_retirement_sent_again_with_its_own_record_is_the_same_rotation(
    make_store: StoreFactory,
) -> None:
    # What a client's retry after a timeout does: the first attempt ran, the answer was
    # lost, the same write is sent again. It must not read as someone else's rotation.
    store = make_store()
    assert store.retire("r1", ttl=3600, subject="alice", record="mine 1.0") == "mine 1.0"
    assert store.retire("r1", ttl=3600, subject="alice", record="mine 1.0") == "mine 1.0"
    assert store.retire("r1", ttl=3600, subject="alice", record="theirs 1.0") == "mine 1.0"


def test_revocation_outranks_retirement(make_store: StoreFactory) -> None:
    store = make_store()
    store.retire("r1", ttl=3600, subject="alice", record="s 1.0")
    store.revoke_family("f", ttl=3600, subject="alice")
    assert store.status(query("r1", family="f", refresh=True)) is RevocationState.REVOKED


def _facts_end_when_what_they_concern_expires(
    store: RevocationStore, wait: Callable[[float], None]
) -> None:
    store.revoke_token("j1", ttl=1, subject="alice")
    store.revoke_token("j-past", ttl=-5, subject="alice")  # already expired: nothing to keep
    store.revoke_token("j-now", ttl=0, subject="alice")
    store.revoke_family("f-past", ttl=0, subject="alice")
    store.revoke_subject("s-past", issued_before=2_000_000_000, ttl=0)
    assert store.status(query("j1")) is RevocationState.REVOKED
    assert store.status(query("j-past")) is RevocationState.VALID
    assert store.status(query("j-now", family="f-past")) is RevocationState.VALID
    assert store.status(query(None, subject="s-past")) is RevocationState.VALID
    wait(0.9)
    assert store.status(query("j1")) is RevocationState.REVOKED
    wait(0.15)
    assert store.status(query("j1")) is RevocationState.VALID
    assert store.retire("r-past", ttl=-5, subject="alice", record="s 1.0") == "s 1.0"
    assert store.rotation("r-past", subject="alice") is None


def test_facts_end_when_what_they_concern_expires_in_memory() -> None:
    clock = Clock(time.time())

    def advance(seconds: float) -> None:
        clock.now += seconds

    _facts_end_when_what_they_concern_expires(MemoryRevocationStore(clock=clock), advance)


@pytest.mark.slow
def test_facts_end_when_what_they_concern_expires_in_redis(redis: RedisServer) -> None:
    # The one test of a Redis expiry in real time: Redis's clock cannot be moved.
    client = redis.client()
    _facts_end_when_what_they_concern_expires(RedisRevocationStore(client), time.sleep)
    client.close()


def test_exactly_one_of_many_concurrent_retirements_wins(make_store: StoreFactory) -> None:
    store = make_store()
    barrier = threading.Barrier(16)
    results: list[bool] = []
    lock = threading.Lock()

    def rotate(index: int) -> None:
        barrier.wait()
        record = f"successor-{index} 1.0"
        won = store.retire("contested", ttl=3600, subject="alice", record=record) == record
        with lock:
            results.append(won)

    threads = [threading.Thread(target=rotate, args=(index,)) for index in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 15 + [True]


def test_the_memory_store_drops_expired_facts_and_keeps_live_ones() -> None:
    now = [1000.0]
    store = MemoryRevocationStore(clock=lambda: now[0])
    for index in range(100):
        store.revoke_token(f"short-{index}", ttl=10)
    store.revoke_token("long", ttl=4000, subject="alice")
    store.revoke_subject("alice", issued_before=999, ttl=10)
    assert len(store) == 102
    now[0] = 1011.0
    store.revoke_token("trigger", ttl=4000, subject="alice")  # recording purges what has expired
    assert len(store) == 2
    assert store.status(query("long", issued_at=1)) is RevocationState.REVOKED
    assert store.status(query("short-1", issued_at=1)) is RevocationState.VALID


# Redis only ------------------------------------------------------------------------------


def _retire_in_another_process(
    port: int, jti: str, start: float, results: multiprocessing.Queue[bool]
) -> None:
    store = RedisRevocationStore(connect(port))
    while time.time() < start:
        time.sleep(0.001)
    record = f"{multiprocessing.current_process().name} 1.0"
    results.put(store.retire(jti, ttl=3600, subject="alice", record=record) == record)


@pytest.mark.slow
def test_exactly_one_of_several_processes_retiring_at_once_wins(redis: RedisServer) -> None:
    context = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue[bool] = context.Queue()
    start = time.time() + 2.0
    processes = [
        context.Process(target=_retire_in_another_process, args=(redis.port, "r", start, results))
        for _ in range(6)
    ]
    for process in processes:
        process.start()
    outcomes = sorted(results.get(timeout=30) for _ in processes)
    for process in processes:
        process.join(timeout=30)
    assert outcomes == [False] * 5 + [True]


def test_every_key_written_carries_a_ttl_no_longer_than_needed(redis: RedisServer) -> None:
    client = redis.client()
    store = RedisRevocationStore(client, prefix="app1:")
    store.revoke_token("j1", ttl=600, subject="alice")
    store.revoke_family("f1", ttl=7200, subject="alice")
    store.revoke_subject("alice", issued_before=int(time.time()), ttl=7200)
    store.retire("r1", ttl=300, subject="alice", record="s 1.0")
    ttls = redis.ttls()
    kinds = ["jti:j1", "sid:f1", "sub", "used:r1"]
    assert sorted(ttls) == [f"app1:{{alice}}:{kind}" for kind in kinds]
    assert 590 <= ttls["app1:{alice}:jti:j1"] <= 600
    assert 7190 <= ttls["app1:{alice}:sid:f1"] <= 7200
    assert 7190 <= ttls["app1:{alice}:sub"] <= 7200
    assert 290 <= ttls["app1:{alice}:used:r1"] <= 300
    client.close()


def test_prefixes_keep_apps_apart(redis: RedisServer) -> None:
    first = RedisRevocationStore(redis.client(), prefix="first:")
    second = RedisRevocationStore(redis.client(), prefix="second:")
    first.revoke_token("j1", ttl=3600, subject="alice")
    assert first.status(query("j1")) is RevocationState.REVOKED
    assert second.status(query("j1")) is RevocationState.VALID


def test_an_unreachable_redis_is_an_error_within_a_second_then_recovers(
    redis: RedisServer,
) -> None:
    store = RedisRevocationStore.from_url(redis.url)
    store.revoke_token("j1", ttl=3600, subject="alice")
    redis.stop()
    for call in (
        lambda: store.status(query("j1")),
        lambda: store.revoke_token("j2", ttl=3600, subject="alice"),
        lambda: store.revoke_subject("a", issued_before=1, ttl=3600),
        lambda: store.retire("r", ttl=3600, subject="a", record="s 1.0"),
    ):
        started = time.monotonic()
        with pytest.raises(RevocationUnavailableError, match="temporarily unavailable") as error:
            call()
        assert isinstance(error.value.__cause__, redis_module.ConnectionError)
        assert time.monotonic() - started < 1.0
    redis.start()
    # The restarted server is empty (no persistence in the tests): the store reconnects.
    assert store.status(query("j1")) is RevocationState.VALID
    store.revoke_token("j1", ttl=3600, subject="alice")
    assert store.status(query("j1")) is RevocationState.REVOKED


def test_the_store_leaves_the_clients_settings_alone(redis: RedisServer) -> None:
    client = redis.client(socket_timeout=7.5)
    before = dict(client.connection_pool.connection_kwargs)
    RedisRevocationStore(client)
    assert client.connection_pool.connection_kwargs == before
    assert before["socket_timeout"] == 7.5
    client.close()


def test_an_empty_prefix_is_refused(redis: RedisServer) -> None:
    with pytest.raises(ValueError, match="prefix must be a non-empty string"):
        RedisRevocationStore(redis.client(), prefix="")
