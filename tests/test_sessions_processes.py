"""Two app processes sharing one real Redis: what one revokes, the other refuses.

The first app runs in the test process (Flask's test client); the second is the same
demo app served over HTTP on 127.0.0.1 by another Python process (``tests/serve_app.py``).
Both keep revocations in the session's redis-server through ``JWT_REVOCATION_REDIS_URL``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pytest
from flask.testing import FlaskClient

from examples.app import create_app
from tests.redis_server import RedisServer

pytestmark = pytest.mark.slow  # a second app process per test: seconds of wall time

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, object]
    headers: dict[str, str]

    @property
    def code(self) -> object:
        return self.body.get("code")


class Remote:
    """The second app process, spoken to over HTTP."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def request(
        self, method: str, path: str, token: str | None = None, form: dict[str, str] | None = None
    ) -> Answer:
        data = None if form is None else "&".join(f"{k}={v}" for k, v in form.items()).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method)  # noqa: S310 - loopback URL built here
        if token is not None:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return _answer(response.status, response.read(), dict(response.headers))
        except urllib.error.HTTPError as error:
            return _answer(error.code, error.read(), dict(error.headers))


def _answer(status: int, raw: bytes, headers: dict[str, str]) -> Answer:
    body: object = cast("object", json.loads(raw)) if raw else {}
    assert isinstance(body, dict)
    return Answer(status, cast("dict[str, object]", body), headers)


class Local:
    """The first app, in this process."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def request(
        self, method: str, path: str, token: str | None = None, form: dict[str, str] | None = None
    ) -> Answer:
        headers = {} if token is None else {"Authorization": f"Bearer {token}"}
        response = self.client.open(path, method=method, headers=headers, data=form)
        raw = response.get_data()
        return _answer(response.status_code, raw, dict(response.headers))


@pytest.fixture
def remote(redis: RedisServer) -> Iterator[Remote]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.serve_app", redis.url],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("PORT "), line
        yield Remote(f"http://127.0.0.1:{line.split()[1]}")
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


@pytest.fixture
def local(redis: RedisServer) -> Local:
    return Local(create_app({"JWT_REVOCATION_REDIS_URL": redis.url}).test_client())


def login(app: Local | Remote, username: str = "bob", password: str = "builder") -> tuple[str, str]:
    answer = app.request("POST", "/login", form={"username": username, "password": password})
    assert answer.status == 200
    return str(answer.body["auth_token"]), str(answer.body["refresh_token"])


def test_a_logout_in_one_process_is_refused_in_the_other(local: Local, remote: Remote) -> None:
    auth, refresh = login(remote)
    assert local.request("GET", "/me", auth).status == 200
    assert local.request("POST", "/logout", refresh).status == 200
    refused = remote.request("GET", "/me", auth)
    assert (refused.status, refused.code) == (401, "token_revoked")
    assert remote.request("POST", "/refresh", refresh).code == "token_revoked"


def test_logout_everywhere_holds_in_the_other_process(local: Local, remote: Remote) -> None:
    phone, _ = login(remote, "alice", "wonderland")
    laptop, _ = login(local, "alice", "wonderland")
    assert remote.request("POST", "/logout-everywhere", laptop).status == 200
    assert local.request("GET", "/me", phone).code == "token_revoked"
    assert remote.request("GET", "/me", laptop).code == "token_revoked"


def test_reuse_is_detected_across_processes(local: Local, remote: Remote) -> None:
    auth, refresh = login(local)
    rotated = remote.request("POST", "/refresh", refresh)
    assert rotated.status == 200
    new_auth, new_refresh = str(rotated.body["auth_token"]), str(rotated.body["refresh_token"])
    assert local.request("GET", "/me", new_auth).status == 200
    replay = local.request("POST", "/refresh", refresh)
    assert (replay.status, replay.code) == (401, "refresh_token_reused")
    for token, path in ((new_auth, "/me"), (auth, "/me")):
        assert remote.request("GET", path, token).code == "token_revoked"
    assert remote.request("POST", "/refresh", new_refresh).code == "token_revoked"


def test_concurrent_rotations_of_one_refresh_token_have_one_winner(
    local: Local, remote: Remote, redis: RedisServer
) -> None:
    _, refresh = login(remote)
    answers: list[Answer] = []
    lock = threading.Lock()
    barrier = threading.Barrier(12)
    flask_app = local.client.application

    def rotate(app: Local | Remote) -> None:
        barrier.wait()
        answer = app.request("POST", "/refresh", refresh)
        with lock:
            answers.append(answer)

    sides: list[Local | Remote] = [remote] * 6 + [Local(flask_app.test_client()) for _ in range(6)]
    threads = [threading.Thread(target=rotate, args=(side,)) for side in sides]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    statuses = sorted(answer.status for answer in answers)
    assert statuses == [200] + [401] * 11
    assert {answer.code for answer in answers if answer.status == 401} <= {
        "refresh_token_reused",
        "token_revoked",
    }
    assert any(answer.code == "refresh_token_reused" for answer in answers)
    assert all(ttl > 0 for ttl in redis.ttls().values())


def test_redis_down_is_a_503_in_both_processes_and_back_without_a_restart(
    local: Local, remote: Remote, redis: RedisServer
) -> None:
    auth, _ = login(remote)
    redis.stop()
    for app in (local, remote):
        answer = app.request("GET", "/me", auth)
        assert (answer.status, answer.code) == (503, "revocation_unavailable")
        assert answer.headers["Retry-After"] == "1"
        assert "WWW-Authenticate" not in answer.headers
    redis.start()
    for app in (local, remote):
        assert app.request("GET", "/me", auth).status == 200


def test_every_key_written_by_either_process_has_a_ttl(
    local: Local, remote: Remote, redis: RedisServer
) -> None:
    _, refresh = login(remote)
    remote.request("POST", "/refresh", refresh)
    local.request("POST", "/refresh", refresh)  # reuse: the session is revoked
    _, other_refresh = login(local)
    remote.request("POST", "/logout", other_refresh)
    local.request("POST", "/logout-everywhere", login(local, "alice", "wonderland")[0])
    ttls = redis.ttls()
    # flask_pyjwt:<issuer>:{<sub>}:<kind>... (the demo's issuer has no ":")
    assert all(key.startswith("flask_pyjwt:flask-pyjwt-demo:{") for key in ttls), ttls
    kinds = {key.split(":")[3] for key in ttls}
    assert kinds == {"jti", "sid", "sub", "used"}
    assert all(0 < ttl <= 604800 for ttl in ttls.values()), ttls
