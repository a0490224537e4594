"""The typed current user (issue 11, item 6): a loader registered on the manager, run at
most once per request, 401 ``user_not_found`` when it finds nobody."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Blueprint, Flask, Response

from flask_pyjwt import (
    AuthenticationFailed,
    AuthManager,
    PermissionDenied,
    Token,
    current_token,
    require_token,
    verify_request,
)
from flask_pyjwt.errors import CustomErrorCode, NoCurrentTokenError
from flask_pyjwt.typing import UserLoader
from tests.support import bearer, json_body, make_app


@dataclass(frozen=True)
class User:
    name: str
    email: str
    locked: bool = False


USERS = {
    "alice": User("alice", "alice@example.com"),
    "bob": User("bob", "bob@example.com"),
    "carol": User("carol", "carol@example.com", locked=True),
}


class Site:
    def __init__(self) -> None:
        self.app, self.manager = make_app()
        self.loaded: list[str] = []
        self.calls: list[str] = []
        app, manager = self.app, self.manager

        @manager.user_loader
        def load_user(token: Token) -> User | None:
            self.loaded.append(token.sub)
            user = USERS.get(token.sub)
            if user is not None and user.locked:
                raise PermissionDenied(
                    error_code=CustomErrorCode("account_locked"), message="Account locked."
                )
            return user

        self.load_user = load_user
        current_user = load_user.current

        @app.get("/me")
        @require_token()
        def me() -> dict[str, object]:
            self.calls.append("me")
            # Read three times, in three ways: loaded once.
            assert load_user.get() is load_user.get_or_none()
            return {
                "email": current_user.email,
                "name": current_user.name,
                "class": current_user.__class__.__name__,  # the proxy passes isinstance
            }

        @app.get("/admin")
        @require_token(scope="admin")
        def admin() -> str:
            self.calls.append("admin")
            return current_user.email

        @app.get("/maybe")
        @require_token(optional=True)
        def maybe() -> dict[str, object]:
            self.calls.append("maybe")
            user = load_user.get_or_none()
            return {"email": None if user is None else user.email}

        @app.post("/session")
        @require_token("refresh")
        def session() -> str:
            return current_user.name

        @app.after_request
        def after(response: Response) -> Response:
            user = load_user.get_or_none()
            if user is not None:
                response.headers["X-User"] = user.name
            return response

        blueprint = Blueprint("account", __name__, url_prefix="/account")

        @blueprint.before_request
        def check() -> None:
            verify_request()

        @blueprint.get("/profile")
        @require_token()  # checked twice in one request: the user is still loaded once
        def profile() -> str:
            return current_user.email

        app.register_blueprint(blueprint)

    def token(self, subject: str, scope: str | None = None) -> dict[str, str]:
        with self.app.app_context():
            return bearer(self.manager.auth_token(subject, scope).signed)


@pytest.fixture
def site() -> Site:
    return Site()


def test_the_view_reads_its_user_typed(site: Site) -> None:
    response = site.app.test_client().get("/me", headers=site.token("alice"))
    assert json_body(response) == {"email": "alice@example.com", "name": "alice", "class": "User"}
    assert response.headers["X-User"] == "alice"
    assert site.loaded == ["alice"]  # me() read it 4 times, after_request once more


def test_the_loader_runs_at_most_once_per_request(site: Site) -> None:
    client = site.app.test_client()
    assert client.get("/account/profile", headers=site.token("bob")).data == b"bob@example.com"
    assert site.loaded == ["bob"]  # before_request, the decorator, the view, after_request
    client.get("/me", headers=site.token("alice"))
    client.get("/me", headers=site.token("alice"))
    assert site.loaded == ["bob", "alice", "alice"]  # once per request, not once for good


def test_an_unknown_user_is_a_401_and_the_view_never_runs(site: Site) -> None:
    response = site.app.test_client().get("/me", headers=site.token("mallory"))
    assert response.status_code == 401
    assert json_body(response) == {
        "status": 401,
        "error": "invalid_token",
        "code": "user_not_found",
        "message": "The token's subject is not a known user.",
    }
    assert response.headers["WWW-Authenticate"] == (
        'Bearer error="invalid_token", error_description="The token\'s subject is not a '
        'known user."'
    )
    assert "mallory" not in response.get_data(as_text=True)
    assert (site.calls, site.loaded) == ([], ["mallory"])


def test_the_loader_runs_only_for_accepted_tokens(site: Site) -> None:
    client = site.app.test_client()
    assert client.get("/me").status_code == 401
    assert client.get("/me", headers=bearer("garbage")).status_code == 401
    assert client.get("/admin", headers=site.token("alice")).status_code == 403
    assert json_body(client.get("/maybe")) == {"email": None}
    assert site.loaded == []
    assert json_body(client.get("/maybe", headers=site.token("bob"))) == {
        "email": "bob@example.com"
    }
    assert client.get("/admin", headers=site.token("alice", "admin")).status_code == 200
    assert site.loaded == ["bob", "alice"]


def test_a_loader_may_refuse_with_its_own_error(site: Site) -> None:
    response = site.app.test_client().get("/me", headers=site.token("carol"))
    assert response.status_code == 403
    assert json_body(response)["code"] == "account_locked"
    assert site.calls == []


def test_refresh_tokens_load_their_user_too(site: Site) -> None:
    with site.app.app_context():
        refresh = site.manager.refresh_token("bob").signed
    answer = site.app.test_client().post("/session", headers=bearer(refresh))
    assert answer.get_data(as_text=True) == "bob"


def test_outside_a_protected_request_there_is_no_user(site: Site) -> None:
    with pytest.raises(NoCurrentTokenError):
        _ = site.load_user.current.email
    assert site.load_user.get_or_none() is None
    with site.app.test_request_context("/"), pytest.raises(NoCurrentTokenError):
        site.load_user.get()


def test_the_loader_stays_a_function(site: Site) -> None:
    assert isinstance(site.load_user, UserLoader)
    assert getattr(site.load_user, "__wrapped__", None) is not None  # functools.wraps-like
    assert repr(site.load_user) == "<UserLoader Site.__init__.<locals>.load_user>"
    with site.app.app_context():
        token = site.manager.auth_token("alice")
    assert site.load_user(token) == USERS["alice"]
    assert site.load_user(token) == USERS["alice"]
    assert site.loaded == ["alice", "alice"]  # a direct call is the plain function


def test_one_loader_per_manager() -> None:
    _, manager = make_app()
    manager.user_loader(lambda token: USERS.get(token.sub))
    with pytest.raises(ValueError, match="already has a user loader"):
        manager.user_loader(lambda token: None)


def test_a_loader_of_another_manager_loads_when_first_read() -> None:
    # The app's own manager has no loader: the other manager's loader runs when the view
    # reads the user, and a missing user is still a 401.
    app: Flask
    app, manager = make_app()
    other = AuthManager()
    seen: list[str] = []

    @other.user_loader
    def load(token: Token) -> User | None:
        seen.append(token.sub)
        return USERS.get(token.sub)

    @app.get("/who")
    @require_token()
    def who() -> str:
        return load.current.name

    client = app.test_client()
    with app.app_context():
        alice = manager.auth_token("alice").signed
        nobody = manager.auth_token("nobody").signed
    assert client.get("/who", headers=bearer(alice)).get_data(as_text=True) == "alice"
    response = client.get("/who", headers=bearer(nobody))
    assert (response.status_code, json_body(response)["code"]) == (401, "user_not_found")
    assert seen == ["alice", "nobody"]
    assert current_token.get_or_none() is None


def test_each_verified_token_has_its_own_user() -> None:
    # A before_request check of the header token, and the view's own check of a cookie
    # token: two tokens in one request, each with its user; the view sees the last.
    app, manager = make_app()
    loaded: list[str] = []

    @manager.user_loader
    def load(token: Token) -> User | None:
        loaded.append(token.sub)
        return USERS.get(token.sub)

    @app.before_request
    def header_first() -> None:
        verify_request(location="header", optional=True)

    @app.get("/who")
    @require_token(location="cookies")
    def who() -> str:
        return load.current.name

    with app.app_context():
        alice, bob = manager.auth_token("alice").signed, manager.auth_token("bob").signed
    client = app.test_client()
    client.set_cookie("auth_token", bob)
    assert client.get("/who", headers=bearer(alice)).get_data(as_text=True) == "bob"
    assert loaded == ["alice", "bob"]


def test_load_for_outside_a_request_loads_and_keeps_nothing(site: Site) -> None:
    with site.app.app_context():
        alice = site.manager.auth_token("alice")
        nobody = site.manager.auth_token("nobody")
    assert site.load_user.load_for(alice) == USERS["alice"]
    assert site.load_user.load_for(alice) == USERS["alice"]
    assert site.loaded == ["alice", "alice"]
    with pytest.raises(AuthenticationFailed, match="not a known user"):
        site.load_user.load_for(nobody)
