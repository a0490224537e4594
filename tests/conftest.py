"""Pytest configuration shared by every suite.

The library reads ``JWT_*`` keys from the environment after ``app.config``, so a value
exported in the developer's shell (``JWT_AUDIENCE=api``) would change what the tests see.
Every ``JWT_*`` variable is removed before any test module is imported (some build their
apps at import), and again around each test; a test that needs one sets it with
``monkeypatch.setenv``.
"""

from __future__ import annotations

import os

import pytest


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
