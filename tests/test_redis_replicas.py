"""``min_replicas``: a write returns once a replica has it, and a client's retry of a
rotation after a timeout stays the same rotation (never a false reuse). A real master
and a real replica, the replica frozen with SIGSTOP to hold ``WAIT``.

Slow: replication takes a moment to set up, and the test waits on it for real.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from typing import cast

import pytest
from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from flask_pyjwt import RedisRevocationStore
from flask_pyjwt.errors import RevocationUnavailableError
from scripts.redis_server import RedisProcess
from tests.redis_server import RedisServer, command_calls
from tests.support import json_body
from tests.test_sessions import build_site

pytestmark = pytest.mark.slow


@pytest.fixture
def replica(redis: RedisServer) -> Iterator[RedisProcess]:
    options = ("--replicaof", "127.0.0.1", str(redis.port))
    with RedisProcess(redis.binary, options=options) as running:
        client = redis.client()
        deadline = time.monotonic() + 10
        while cast("dict[str, object]", client.info("replication")).get("connected_slaves") != 1:  # pyright: ignore[reportUnknownMemberType]
            assert time.monotonic() < deadline, "the replica did not connect"
            time.sleep(0.05)
        client.close()
        yield running


def _evals(redis: RedisServer) -> int:
    client = redis.client()
    calls = command_calls(client, "eval")
    client.close()
    return calls


def _frozen(process: RedisProcess, seconds: float) -> threading.Timer:
    """Freeze ``process`` now (SIGSTOP) and thaw it ``seconds`` later."""
    pid = process.pid
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)
    timer = threading.Timer(seconds, os.kill, (pid, signal.SIGCONT))
    timer.start()
    return timer


def test_a_rotation_retried_after_a_timeout_is_not_reuse(
    redis: RedisServer, replica: RedisProcess
) -> None:
    # A WAIT longer than the socket timeout: the client times out while the replica
    # is frozen, and re-sends the whole rotation (redis-py's retry), which ran once.
    client = Redis(
        host="127.0.0.1", port=redis.port, socket_timeout=0.1, retry=Retry(NoBackoff(), 3)
    )
    store = RedisRevocationStore(client, min_replicas=1, replica_timeout=0.3, local_cache=False)
    site = build_site(store)
    auth, refresh = site.login()
    before = _evals(redis)
    timer = _frozen(replica, 0.25)
    response = site.post("/refresh", refresh.signed)
    timer.join()
    assert _evals(redis) - before >= 2  # sent again: the retry really happened
    assert response.status_code == 200, response.get_data(as_text=True)
    rotated = json_body(response)
    assert site.get("/me", str(rotated["auth_token"])).status_code == 200
    assert site.get("/me", auth.signed).status_code == 200  # the session is alive
    # Control: a second rotation of the same token is reuse, as ever.
    assert json_body(site.post("/refresh", refresh.signed))["code"] == "refresh_token_reused"
    client.close()


def test_a_write_no_replica_took_in_time_is_a_503_and_then_succeeds(
    redis: RedisServer, replica: RedisProcess
) -> None:
    client = redis.client()
    store = RedisRevocationStore(client, min_replicas=1, replica_timeout=0.1)
    site = build_site(store)
    auth, refresh = site.login()
    timer = _frozen(replica, 0.5)
    with pytest.raises(RevocationUnavailableError) as error:
        site.manager.revoke(refresh)
    assert "fewer than min_replicas=1" in str(error.value.__cause__)
    timer.join()
    # Not acknowledged, yet the master kept what it ran (the refresh token's own
    # revocation): refused all the same (fail closed). The logout, sent again, is
    # acknowledged, and ends the session.
    assert json_body(site.post("/refresh", refresh.signed))["code"] == "token_revoked"
    assert site.get("/me", auth.signed).status_code == 200  # its session's end never ran
    site.manager.revoke(refresh)
    assert json_body(site.get("/me", auth.signed))["code"] == "token_revoked"
    other_auth, _ = site.login("bob")
    assert site.get("/me", other_auth.signed).status_code == 200
    store.close()
    client.close()


def test_without_replicas_min_replicas_refuses_every_write(redis: RedisServer) -> None:
    client = redis.client()
    site = build_site(RedisRevocationStore(client, min_replicas=1, replica_timeout=0.05))
    auth, refresh = site.login()
    assert site.get("/me", auth.signed).status_code == 200  # reads need no replica
    assert site.post("/refresh", refresh.signed).status_code == 503
    with pytest.raises(RevocationUnavailableError):
        site.manager.revoke_subject("alice")
    # Control: the same app without min_replicas writes at once.
    plain = build_site(RedisRevocationStore(client), None)
    plain.manager.revoke_subject("bob")
    client.close()
