"""The Redis store on a real Redis Cluster (3 masters, 3 replicas, the suite's own
``redis-server``), and failover: a master killed with SIGKILL mid-traffic.

Slow: a cluster takes seconds to form, and a failover seconds to happen.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections import Counter
from collections.abc import Iterator
from typing import cast

import pytest
from flask import Flask
from redis.cluster import RedisCluster

from docs.examples import revocation
from flask_pyjwt import AuthManager, RedisRevocationStore, current_token, require_token
from flask_pyjwt.errors import (
    RefreshTokenReusedError,
    RevocationUnavailableError,
    TokenRevokedError,
)
from scripts.redis_server import find_redis_server
from tests.idp import AUDIENCE, running_idp
from tests.idp import ISSUER as IDP_ISSUER
from tests.redis_server import RedisClusterServer, command_calls, connect, key_slot, node_port
from tests.support import bearer, configure, json_body
from tests.test_redis_local_cache import wait_until, warm
from tests.test_sessions import Site, build_site

pytestmark = pytest.mark.slow

SUBJECTS = [f"user-{index}" for index in range(12)]  # spread over the three masters


def _cluster() -> RedisClusterServer:
    binary = find_redis_server().binary
    if binary is None:
        pytest.fail(f"the Redis tests need a redis-server: {find_redis_server().explain()}")
    return RedisClusterServer(binary)


@pytest.fixture(scope="module")
def cluster() -> Iterator[RedisClusterServer]:
    with _cluster() as running:
        yield running


def _mget_calls(cluster: RedisClusterServer) -> dict[int, int]:
    """``MGET`` calls served so far, by node port."""
    calls: dict[int, int] = {}
    for node in cluster.nodes:
        if node.running:
            client = connect(node.port)
            calls[node.port] = command_calls(client, "mget")
            client.close()
    return calls


def test_every_operation_works_on_a_cluster(cluster: RedisClusterServer) -> None:
    client = cluster.client()
    site = build_site(RedisRevocationStore(client, prefix="ops:", local_cache=False))
    for subject in SUBJECTS:
        auth, refresh = site.login(subject)
        assert site.get("/me", auth.signed).status_code == 200
        rotated = json_body(site.post("/refresh", refresh.signed))
        replay = site.post("/refresh", refresh.signed)  # reuse: the session ends
        assert json_body(replay)["code"] == "refresh_token_reused"
        assert json_body(site.get("/me", str(rotated["auth_token"])))["code"] == "token_revoked"
        other_auth, other_refresh = site.login(subject)
        assert site.post("/logout", other_refresh.signed).status_code == 200
        assert json_body(site.get("/me", other_auth.signed))["code"] == "token_revoked"
    later_auth, _ = site.login("user-0")
    site.manager.revoke_subject("user-0")
    assert json_body(site.get("/me", later_auth.signed))["code"] == "token_revoked"
    # Every key of one subject lives in one slot, and the subjects use every master.
    found = client.keys("ops:*", target_nodes=RedisCluster.PRIMARIES)  # pyright: ignore[reportUnknownMemberType]
    keys = [key.decode() for key in cast("list[bytes]", found)]
    slots: dict[str, set[int]] = {}
    for key in keys:
        subject = key[len("ops:{") : key.index("}")]
        slots.setdefault(subject, set()).add(key_slot(client, key))
    assert set(slots) == set(SUBJECTS)
    assert all(len(subject_slots) == 1 for subject_slots in slots.values())
    masters = {node_port(client, key) for key in keys}
    assert len(masters) == 3
    client.close()


def test_a_provider_token_without_sub_is_checked_on_a_cluster(
    cluster: RedisClusterServer,
) -> None:
    # An identity provider's users named by another claim (JWT_IDENTITY_CLAIM): its
    # tokens may carry no sub, and their keys must still share one slot.
    client = cluster.client()
    with running_idp("k1") as idp:
        app = Flask("cluster_no_sub")
        configure(app, {"JWT_ISSUER": IDP_ISSUER, "JWT_AUTHTYPE": "RS256",
                        "JWT_JWKS_URL": idp.url, "JWT_AUDIENCE": AUDIENCE,
                        "JWT_IDENTITY_CLAIM": "email"})  # fmt: skip
        store = RedisRevocationStore(client, prefix="nosub:", local_cache=False)
        manager = AuthManager(app, revocation_store=store)

        @app.get("/me")
        @require_token()
        def me() -> dict[str, str]:
            return {"identity": current_token.identity}

        token = idp.token("k1", drop=("sub",), email="ada@example.com")
        response = app.test_client().get("/me", headers=bearer(token))
        assert response.status_code == 200, response.get_data(as_text=True)
        manager.revoke(token)
        response = app.test_client().get("/me", headers=bearer(token))
        assert json_body(response)["code"] == "token_revoked"
    client.close()


def test_one_check_is_one_mget_on_one_node(cluster: RedisClusterServer) -> None:
    client = cluster.client()
    site = build_site(RedisRevocationStore(client, prefix="trips:", local_cache=False))
    auth, refresh = site.login("user-3")
    before = _mget_calls(cluster)
    assert site.get("/me", auth.signed).status_code == 200
    assert site.post("/refresh", refresh.signed).status_code == 200  # check + rotation
    after = _mget_calls(cluster)
    grew = {port: calls - before.get(port, 0) for port, calls in after.items()}
    grew = {port: calls for port, calls in grew.items() if calls}
    assert list(grew.values()) == [3]  # /me, the route's check, rotate's check: one node
    client.close()


def _rotate_in_another_process(
    ports: list[int], signed: str, secret: str, start: float, results: multiprocessing.Queue[str]
) -> None:
    client = RedisCluster(host="127.0.0.1", port=ports[0])
    site = build_site(RedisRevocationStore(client, prefix="race:"), None, JWT_SECRET=secret)
    while time.time() < start:
        time.sleep(0.001)
    try:
        site.manager.rotate(signed)
    except RefreshTokenReusedError:
        results.put("reused")
    except TokenRevokedError:  # a loser after another loser ended the session
        results.put("revoked")
    except Exception as error:
        results.put(repr(error))
    else:
        results.put("won")


def test_concurrent_rotations_from_several_processes_have_one_winner(
    cluster: RedisClusterServer,
) -> None:
    site = build_site(RedisRevocationStore(cluster.client(), prefix="race:"))
    _, refresh = site.login("user-5")
    secret = cast("str", site.app.config["JWT_SECRET"])
    context = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue[str] = context.Queue()
    start = time.time() + 4.0
    processes = [
        context.Process(
            target=_rotate_in_another_process,
            args=(cluster.ports, refresh.signed, secret, start, results),
        )
        for _ in range(5)
    ]
    for process in processes:
        process.start()
    outcomes = sorted(results.get(timeout=60) for _ in processes)
    for process in processes:
        process.join(timeout=30)
    assert outcomes.count("won") == 1, outcomes
    assert "reused" in outcomes
    assert set(outcomes) <= {"won", "reused", "revoked"}, outcomes


def test_the_local_cache_follows_writes_made_on_every_master(cluster: RedisClusterServer) -> None:
    # One subscription per process, on any node: a PUBLISH reaches every node's.
    reader = build_site(RedisRevocationStore(cluster.client(), prefix="feed:"))
    secret = cast("str", reader.app.config["JWT_SECRET"])
    writer = build_site(
        RedisRevocationStore(cluster.client(), prefix="feed:"), None, JWT_SECRET=secret
    )
    store = reader.manager._state().sessions.store  # pyright: ignore[reportPrivateUsage]
    assert isinstance(store, RedisRevocationStore)
    warm(store)
    for subject in SUBJECTS:  # their keys live on all three masters
        auth, refresh = reader.login(subject)
        assert reader.get("/me", auth.signed).status_code == 200
        assert reader.get("/me", auth.signed).status_code == 200  # from memory
        writer.manager.revoke(refresh)
        took = wait_until(lambda: reader.get("/me", auth.signed).status_code == 401, 1.0)  # noqa: B023
        assert took < 0.1
    store.close()


def test_the_docs_cluster_store_works(cluster: RedisClusterServer) -> None:
    store = revocation.cluster_store("127.0.0.1", cluster.ports[0])
    site = build_site(store)
    auth, refresh = site.login()
    assert site.get("/me", auth.signed).status_code == 200
    assert site.post("/logout", refresh.signed).status_code == 200  # a replica has it
    assert json_body(site.get("/me", auth.signed))["code"] == "token_revoked"
    store.close()


# Failover ---------------------------------------------------------------------------------


def _traffic(
    site: Site, tokens: dict[str, bool], stop: threading.Event, seen: Counter[tuple[bool, int]]
) -> None:
    """Protected requests in a loop: (revoked?, status) counted."""
    while not stop.is_set():
        for token, revoked in tokens.items():
            seen[(revoked, site.get("/me", token).status_code)] += 1


def test_an_acknowledged_logout_survives_the_failover_of_its_master() -> None:
    with _cluster() as cluster:
        client = cluster.client()
        store = RedisRevocationStore(client, prefix="fo:", min_replicas=1, replica_timeout=0.2)
        site = build_site(store)
        tokens: dict[str, bool] = {}
        for subject in SUBJECTS:
            auth, refresh = site.login(subject)
            kept_auth, _ = site.login(subject)
            site.manager.revoke(refresh)  # returned: a replica has it (WAIT)
            tokens[auth.signed] = True
            tokens[kept_auth.signed] = False
        victim = cluster.master_of("fo:{user-0}:sub")
        seen: Counter[tuple[bool, int]] = Counter()
        stop = threading.Event()
        worker = threading.Thread(target=_traffic, args=(site, tokens, stop, seen))
        worker.start()
        time.sleep(0.5)
        victim.stop()  # SIGKILL, mid-traffic
        killed_at = time.monotonic()
        # Logouts during the failover: acknowledged (then kept), or a 503, never lost.
        during: dict[str, bool] = {}
        while time.monotonic() - killed_at < 8.0:
            auth, refresh = site.login("user-0")
            try:
                site.manager.revoke(refresh)
            except RevocationUnavailableError:
                during[auth.signed] = False  # not acknowledged: nothing promised
            else:
                during[auth.signed] = True
            time.sleep(0.1)
        cluster.wait_until_ok()
        time.sleep(1.0)  # traffic after the failover, on the same app: no restart
        stop.set()
        worker.join(timeout=30)
        statuses = set(seen)
        print(
            f"\nfailover traffic, (revoked?, status): count: {dict(seen)}; logouts during it: "
            f"{sum(during.values())} acknowledged, {len(during) - sum(during.values())} 503"
        )
        assert all(status in {200, 401, 503} for _, status in statuses), seen  # never a 500
        assert (True, 200) not in statuses, seen  # never a revoked token accepted
        assert (True, 401) in statuses, seen
        assert (False, 200) in statuses, seen
        assert (False, 503) in statuses or (True, 503) in statuses, seen  # it was down
        # After the failover: every acknowledged logout holds, every other token works.
        for token, revoked in tokens.items():
            expected = 401 if revoked else 200
            assert site.get("/me", token).status_code == expected
        # The promoted replica has no replica of its own (its master is dead), so with
        # min_replicas=1 its logouts are refused (503) rather than acknowledged unsafely;
        # any that was acknowledged (before the kill was noticed) holds.
        for token, acknowledged in during.items():
            if acknowledged:
                assert site.get("/me", token).status_code == 401
        with pytest.raises(RevocationUnavailableError):
            site.manager.revoke_subject("user-0")
        # The dead node comes back (as the new master's replica): writes are
        # acknowledged again, by the same app.
        victim.start()
        deadline = time.monotonic() + 20
        while True:
            try:
                site.manager.revoke_subject("user-0")
                break
            except RevocationUnavailableError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        kept = next(token for token, revoked in tokens.items() if not revoked)  # user-0's
        assert json_body(site.get("/me", kept))["code"] == "token_revoked"
        store.close()
        client.close()
