"""The README's example is real code: run as written, driven through the test client.

It is also ``examples/readme_app.py`` byte for byte (after that file's docstring), which
``make typecheck`` checks with mypy --strict and pyright strict.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import cast

import pytest
from flask import Flask

from flask_pyjwt import AuthManager
from flask_pyjwt.errors import WeakSecretWarning
from tests.support import bearer, json_body

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
EXAMPLE = ROOT / "examples" / "readme_app.py"


def readme_block() -> str:
    blocks: list[str] = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)
    assert len(blocks) == 1
    return blocks[0]


def test_the_readme_example_is_the_type_checked_example_file() -> None:
    example = EXAMPLE.read_text()
    docstring_end = example.index('"""', 3) + len('"""\n\n')
    assert example[docstring_end:] == readme_block()


def readme_example() -> tuple[Flask, AuthManager]:
    # Exactly the README's text, with nothing supplied from outside.
    namespace: dict[str, object] = {"__name__": "readme_example"}
    with pytest.warns(WeakSecretWarning):
        exec(compile(readme_block(), str(README), "exec"), namespace)  # noqa: S102  (our README)
    app, manager = namespace["app"], namespace["auth_manager"]
    assert isinstance(app, Flask)
    assert isinstance(manager, AuthManager)
    # isinstance leaves pyright the manager's user class Unknown; these serve strings.
    return app, cast("AuthManager", manager)


def test_readme_example_end_to_end() -> None:
    app, _ = readme_example()
    client = app.test_client()
    bad = client.post("/login", data={"username": "bob", "password": "x"})
    assert bad.status_code == 401
    login = json_body(client.post("/login", data={"username": "bob", "password": "builder"}))
    auth, refresh = login["auth_token"], login["refresh_token"]
    assert client.get("/user_specific_route/bob", headers=bearer(auth)).status_code == 200
    assert client.get("/user_specific_route/eve", headers=bearer(auth)).status_code == 403
    assert client.get("/admin_dashboard", headers=bearer(auth)).status_code == 403
    new_auth = json_body(client.post("/refresh", headers=bearer(refresh)))["auth_token"]
    assert client.get("/user_specific_route/bob", headers=bearer(new_auth)).status_code == 200
    alice = json_body(client.post("/login", data={"username": "alice", "password": "wonderland"}))
    assert json_body(client.get("/admin_dashboard", headers=bearer(alice["auth_token"]))) == {
        "message": "Hello admin!"
    }
    # The admin is who the example's own /login makes one (admin in the scope).
    admin = alice["auth_token"]
    assert json_body(client.get("/overridable_route/eve", headers=bearer(admin))) == {
        "message": "Hello, admin!"
    }
    assert json_body(client.get("/overridable_route/bob", headers=bearer(auth))) == {
        "message": "Hello, bob!"
    }
    assert client.get("/overridable_route/eve", headers=bearer(auth)).status_code == 403
