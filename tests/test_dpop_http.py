"""DPoP over real HTTP on 127.0.0.1: a client that is not this library's (joserfc proofs,
the ``requests`` HTTP client) against a served app; and proof replay refused across two
app processes that share a real redis-server."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from werkzeug.serving import BaseWSGIServer, make_server

from tests.dpop_client import DPoPKey
from tests.redis_server import RedisServer
from tests.serve_dpop_app import create_dpop_app

ROOT = Path(__file__).resolve().parent.parent
KEY = DPoPKey("ec-P-256-5", "ES256")


@pytest.fixture
def served() -> Iterator[str]:
    server: BaseWSGIServer = make_server("127.0.0.1", 0, create_dpop_app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def _login(base: str, session: requests.Session) -> str:
    proof = KEY.proof("POST", f"{base}/login", iat=time.time())
    answer = session.post(f"{base}/login", headers={"DPoP": proof}, timeout=10)
    assert answer.status_code == 200, answer.text
    token = answer.json()["auth_token"]
    assert isinstance(token, str)
    return token


def test_a_bound_token_over_http(served: str) -> None:
    with requests.Session() as session:
        token = _login(served, session)
        url = f"{served}/resource"
        proof = KEY.proof("GET", url, token=token, iat=time.time())
        ok = session.get(url, headers={"Authorization": f"DPoP {token}", "DPoP": proof}, timeout=10)
        assert (ok.status_code, ok.json()) == (200, {"sub": "alice"})
        replay = session.get(
            url, headers={"Authorization": f"DPoP {token}", "DPoP": proof}, timeout=10
        )
        assert (replay.status_code, replay.json()["code"]) == (401, "invalid_dpop_proof")
        assert replay.headers["WWW-Authenticate"].startswith('DPoP error="invalid_dpop_proof"')
        bearer = session.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert (bearer.status_code, bearer.json()["code"]) == (401, "dpop_required")
        # the URI the proof names is the one the server was reached at, query ignored
        query = f"{url}?page=2"
        proof = KEY.proof("GET", query, token=token, iat=time.time())
        answer = session.get(
            query, headers={"Authorization": f"DPoP {token}", "DPoP": proof}, timeout=10
        )
        assert answer.status_code == 200
        proof = KEY.proof(
            "GET", url.replace("127.0.0.1", "localhost"), token=token, iat=time.time()
        )
        answer = session.get(
            url, headers={"Authorization": f"DPoP {token}", "DPoP": proof}, timeout=10
        )
        assert answer.status_code == 401


@pytest.fixture
def remote(redis: RedisServer) -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.serve_dpop_app", redis.url],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("PORT "), line
        yield f"http://127.0.0.1:{line.split()[1]}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


@pytest.mark.slow  # a second app process: seconds of wall time
def test_a_proof_replayed_to_another_process_is_refused(redis: RedisServer, remote: str) -> None:
    local = create_dpop_app({"JWT_REVOCATION_REDIS_URL": redis.url}).test_client()
    with requests.Session() as session:
        token = _login(remote, session)
        url = f"{remote}/resource"
        proof = KEY.proof("GET", url, token=token, iat=time.time())
        headers = {"Authorization": f"DPoP {token}", "DPoP": proof}
        assert session.get(url, headers=headers, timeout=10).status_code == 200
        # The same proof to the process in this test, reached at the same URI (the
        # test client's base_url): its htu, method, ath and key all check; only its
        # jti was seen, by the other process, through Redis.
        replay = local.get("/resource", headers=headers, base_url=remote)
        assert replay.status_code == 401
        assert replay.get_json()["message"] == "The DPoP proof was already used."
        # controls: a fresh proof passes here, and one used here first is refused there
        fresh = KEY.proof("GET", url, token=token, iat=time.time())
        headers = {"Authorization": f"DPoP {token}", "DPoP": fresh}
        assert local.get("/resource", headers=headers, base_url=remote).status_code == 200
        back = session.get(url, headers=headers, timeout=10)
        assert (back.status_code, back.json()["code"]) == (401, "invalid_dpop_proof")
