"""The seed's front-page example, corrected, works end to end (issue 2, README example)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import cast

import pytest
from flask import Flask
from flask.testing import FlaskClient

from flask_pyjwt import AuthManager
from flask_pyjwt.errors import WeakSecretWarning
from tests.support import bearer, json_body


@pytest.fixture(scope="module")
def seed() -> Iterator[ModuleType]:
    sys.modules.pop("examples.seed_app", None)
    with pytest.warns(WeakSecretWarning, match="9 bytes"):
        module = importlib.import_module("examples.seed_app")
    yield module
    sys.modules.pop("examples.seed_app", None)


def seed_app(seed: ModuleType) -> tuple[Flask, AuthManager]:
    app: object = seed.app
    manager: object = seed.auth_manager
    assert isinstance(app, Flask)
    assert isinstance(manager, AuthManager)
    # isinstance leaves pyright the manager's user class Unknown; these serve strings.
    return app, cast("AuthManager", manager)


@pytest.fixture
def client(seed: ModuleType) -> FlaskClient:
    return seed_app(seed)[0].test_client()


def login(client: FlaskClient, username: str, password: str) -> tuple[str, str]:
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 200
    return json_body(response)["auth_token"], json_body(response)["refresh_token"]


def test_login_rejects_bad_credentials(client: FlaskClient) -> None:
    response = client.post("/login", data={"username": "alice", "password": "nope"})
    assert response.status_code == 401
    assert response.get_json() == {"error": "Invalid login credentials"}


def test_protected_route(client: FlaskClient) -> None:
    auth, _ = login(client, "alice", "wonderland")
    assert client.get("/protected_route").status_code == 401
    response = client.get("/protected_route", headers=bearer(auth))
    assert response.status_code == 200
    assert response.get_json() == {"message": "You've reached the protected route!"}


def test_refresh_route(client: FlaskClient) -> None:
    auth, refresh = login(client, "bob", "builder")
    assert client.post("/refresh", headers=bearer(auth)).status_code == 401
    response = client.post("/refresh", headers=bearer(refresh))
    assert response.status_code == 200
    new_auth = response.get_json()["auth_token"]
    assert client.get("/protected_route", headers=bearer(new_auth)).status_code == 200


def test_user_specific_route(client: FlaskClient) -> None:
    auth, _ = login(client, "bob", "builder")
    ok = client.get("/user_specific_route/bob", headers=bearer(auth))
    assert ok.status_code == 200
    assert ok.get_json() == {"message": "Hello, bob!"}
    assert client.get("/user_specific_route/alice", headers=bearer(auth)).status_code == 403


def test_custom_claim_route(client: FlaskClient, seed: ModuleType) -> None:
    auth, _ = login(client, "bob", "builder")
    assert client.get("/custom_claim_route", headers=bearer(auth)).status_code == 403
    app, manager = seed_app(seed)
    with app.app_context():
        token = manager.auth_token("bob", custom_claim="Arbitrary Required Value")
    response = client.get("/custom_claim_route", headers=bearer(token.signed))
    assert response.status_code == 200


def test_admin_dashboard(client: FlaskClient) -> None:
    alice, _ = login(client, "alice", "wonderland")
    bob, _ = login(client, "bob", "builder")
    assert client.get("/admin_dashboard", headers=bearer(alice)).get_json() == {
        "message": "Hello admin!"
    }
    denied = client.get("/admin_dashboard", headers=bearer(bob))
    assert denied.status_code == 403
    assert denied.get_json()["code"] == "insufficient_scope"


def test_token_info(client: FlaskClient) -> None:
    auth, _ = login(client, "alice", "wonderland")
    body = client.get("/token/info", headers=bearer(auth)).get_json()
    assert body["token_type"] == "auth"
    assert body["subject"] == "alice"
    assert body["scope"] == {"admin": True}
    assert body["is_signed"] is True
    assert body["signed_token"] == auth
    assert body["claims"]["sub"] == "alice"
    assert body["claims"]["iss"] == "Flask_PyJWT"
    assert body["claims"]["exp"] - body["claims"]["iat"] == 3600


def test_overridable_route(client: FlaskClient) -> None:
    bob, _ = login(client, "bob", "builder")
    assert client.get("/overridable_route/bob", headers=bearer(bob)).get_json() == {
        "message": "Hello, bob!"
    }
    assert client.get("/overridable_route/alice", headers=bearer(bob)).status_code == 403
    # The admin is who the example's own /login makes one (admin in the scope).
    alice, _ = login(client, "alice", "wonderland")
    response = client.get("/overridable_route/bob", headers=bearer(alice))
    assert (response.status_code, response.get_json()) == (200, {"message": "Hello, admin!"})
    own = client.get("/overridable_route/alice", headers=bearer(alice))
    assert own.get_json() == {"message": "Hello, admin!"}
