"""The README's example is real code: run it and drive it through the test client."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from flask_pyjwt import AuthManager, WeakSecretWarning
from tests.support import bearer, json_body

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_example() -> tuple[Flask, AuthManager]:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)
    assert len(blocks) == 1
    users = {"alice": "wonderland", "bob": "builder"}

    def valid_login(username: str, password: str) -> bool:
        return users.get(username) == password

    def get_user_authorizations(username: str) -> dict[str, bool]:
        return {"admin": username == "alice"}

    namespace: dict[str, object] = {
        "__name__": "readme_example",
        "valid_login": valid_login,
        "get_user_authorizations": get_user_authorizations,
    }
    with pytest.warns(WeakSecretWarning):
        exec(compile(blocks[0], str(README), "exec"), namespace)  # noqa: S102  (our README)
    app, manager = namespace["app"], namespace["auth_manager"]
    assert isinstance(app, Flask)
    assert isinstance(manager, AuthManager)
    return app, manager


def test_readme_example_end_to_end() -> None:
    app, manager = readme_example()
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
    with app.app_context():
        admin = manager.auth_token("carol", admin=True).signed
    assert json_body(client.get("/overridable_route/eve", headers=bearer(admin))) == {
        "message": "Hello, admin!"
    }
    assert client.get("/overridable_route/eve", headers=bearer(auth)).status_code == 403
