"""require_token: token kinds, locations, scope, claims, route binding, errors, async views."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ClassVar

import pytest
from flask import Blueprint, Flask, Response
from flask.views import MethodView
from werkzeug.exceptions import Forbidden, Unauthorized

from flask_pyjwt import (
    AuthenticationFailed,
    AuthManager,
    Exact,
    FromRoute,
    PermissionDenied,
    TokenType,
    current_token,
    require_token,
)
from flask_pyjwt.errors import DecoratorOrderError, NoCurrentTokenError
from flask_pyjwt.typing import JSONInput
from tests.support import bearer, config_for, configure, json_body, make_app


def issue(app: Flask, manager: AuthManager, subject: str = "alice", /, **claims: object) -> str:
    with app.app_context():
        return manager.auth_token(subject, claims.pop("scope", None), **claims).signed  # type: ignore[arg-type]


@pytest.fixture
def setup() -> tuple[Flask, AuthManager]:
    return make_app()


def test_cookie_location(setup: tuple[Flask, AuthManager]) -> None:
    app, manager = setup

    @app.get("/c")
    @require_token(location="cookies", cookie_name="auth_token")
    def from_cookie() -> dict[str, str]:
        return {"sub": current_token.sub}

    client = app.test_client()
    missing = client.get("/c", headers=bearer(issue(app, manager)))
    assert missing.status_code == 401
    assert json_body(missing)["message"] == "The auth_token cookie is required."
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    client.set_cookie("auth_token", issue(app, manager))
    assert json_body(client.get("/c")) == {"sub": "alice"}


def test_header_framing(setup: tuple[Flask, AuthManager]) -> None:
    app, manager = setup

    @app.get("/h")
    @require_token()
    def view() -> str:
        return "ok"

    token = issue(app, manager)
    client = app.test_client()
    assert client.get("/h", headers={"Authorization": f"bearer {token}"}).status_code == 200
    assert client.get("/h", headers={"Authorization": f"Bearer   {token} "}).status_code == 200
    basic = client.get("/h", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert (basic.status_code, basic.headers["WWW-Authenticate"]) == (401, "Bearer")
    empty = client.get("/h", headers={"Authorization": "Bearer"})
    assert json_body(empty)["code"] == "token_malformed"
    two = client.get("/h", headers=[("Authorization", f"Bearer {token}")] * 2)
    assert json_body(two)["code"] == "token_malformed"


def test_error_body_and_headers(setup: tuple[Flask, AuthManager]) -> None:
    app, _ = setup

    @app.get("/e")
    @require_token()
    def view() -> str:
        return "ok"

    response = app.test_client().get("/e", headers=bearer("abc.def.ghi"))
    assert response.status_code == 401
    assert response.content_type == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["WWW-Authenticate"].startswith('Bearer error="invalid_token"')
    assert json_body(response) == {
        "status": 401,
        "error": "invalid_token",
        "code": "token_malformed",
        "message": "The token header is not a strict JSON object.",
    }


def test_app_error_handlers_still_win(setup: tuple[Flask, AuthManager]) -> None:
    app, _ = setup

    @app.errorhandler(401)
    def custom_401(error: Unauthorized) -> tuple[dict[str, str], int]:
        assert isinstance(error, AuthenticationFailed)
        return {"custom": error.error_code}, 401

    @app.get("/x")
    @require_token()
    def view() -> str:
        return "ok"

    assert json_body(app.test_client().get("/x")) == {"custom": "token_missing"}


def test_scope_forms(setup: tuple[Flask, AuthManager]) -> None:
    app, manager = setup

    @app.get("/mapping")
    @require_token(scope={"admin": True, "team": {"id": 7}})
    def mapping() -> str:
        return "ok"

    @app.get("/oauth")
    @require_token(scope="read write")
    def oauth() -> str:
        return "ok"

    @app.get("/list")
    @require_token(scope=["read"])
    def listed() -> str:
        return "ok"

    client = app.test_client()

    def status(path: str, scope: object) -> int:
        return client.get(path, headers=bearer(issue(app, manager, scope=scope))).status_code

    assert status("/mapping", {"admin": True, "team": {"id": 7, "name": "x"}}) == 200
    assert status("/mapping", {"admin": True, "team": {"id": 8}}) == 403  # nested, not first key
    assert status("/mapping", {"admin": 1, "team": {"id": 7}}) == 403
    assert status("/mapping", None) == 403
    assert status("/oauth", "write read extra") == 200
    assert status("/oauth", "read") == 403
    assert status("/oauth", ["read", "write"]) == 200
    assert status("/list", "read") == 200
    assert status("/list", {"read": True}) == 403


def test_a_scope_on_a_refresh_route_is_refused_when_decorating() -> None:
    # A refresh token carries no scope, so such a route could only ever answer 403.
    for kind in ("refresh", TokenType.REFRESH):
        with pytest.raises(ValueError, match="refresh tokens carry no scope"):
            require_token(kind, scope="anything")
    with pytest.raises(ValueError, match="refresh tokens carry no scope"):
        require_token("refresh", scope={"admin": True})


def test_claims_literal_route_and_explicit(setup: tuple[Flask, AuthManager]) -> None:
    app, manager = setup

    @app.get("/orgs/<org>/users/<int:uid>")
    @require_token(org="org", uid=FromRoute("uid"), role=Exact("org"), level=2)
    def view(org: str, uid: int) -> dict[str, object]:
        return {"org": org, "uid": uid}

    client = app.test_client()

    def status(path: str, **claims: object) -> int:
        return client.get(path, headers=bearer(issue(app, manager, **claims))).status_code

    good = {"org": "acme", "uid": 5, "role": "org", "level": 2}
    assert status("/orgs/acme/users/5", **good) == 200
    assert status("/orgs/acme/users/6", **good) == 403
    assert status("/orgs/other/users/5", **good) == 403
    assert status("/orgs/acme/users/5", **{**good, "uid": "5"}) == 403  # "5" is not 5
    assert status("/orgs/acme/users/5", **{**good, "level": 2.0}) == 200  # one JSON number
    assert status("/orgs/acme/users/5", **{**good, "level": True}) == 403
    assert status("/orgs/acme/users/5", **{**good, "role": "acme"}) == 403
    denied = client.get("/orgs/acme/users/5", headers=bearer(issue(app, manager)))
    assert json_body(denied)["code"] == "claim_mismatch"


def test_override_skips_scope_and_claims_only_when_complete(
    setup: tuple[Flask, AuthManager],
) -> None:
    app, manager = setup

    @app.get("/u/<username>")
    @require_token(sub="username", scope="profile", override={"admin": True, "level": 9})
    def view(username: str) -> str:
        return username

    client = app.test_client()

    def status(subject: str, **claims: object) -> int:
        return client.get(
            "/u/bob", headers=bearer(issue(app, manager, subject, **claims))
        ).status_code

    assert status("bob", scope="profile") == 200
    assert status("alice", scope="profile") == 403
    assert status("alice", admin=True, level=9) == 200
    assert status("alice", admin=True) == 403
    assert status("alice", admin=True, level="9") == 403


def test_decoration_time_errors() -> None:
    with pytest.raises(ValueError, match="token_type must be 'auth' or 'refresh'"):
        require_token("access")  # type: ignore[arg-type]  # deliberately wrong
    with pytest.raises(ValueError, match="location must be"):
        require_token(location="body")  # type: ignore[arg-type]  # deliberately wrong
    with pytest.raises(ValueError, match="only used with"):
        require_token(location="header", cookie_name="c")
    with pytest.raises(ValueError, match="at least one"):
        require_token(override={})
    empties: tuple[JSONInput, ...] = ("", "  ", [], {})
    for empty in empties:
        with pytest.raises(ValueError, match="requires nothing"):
            require_token(scope=empty)
    with pytest.raises(TypeError, match="is of type set"):
        require_token(roles={"a"})  # type: ignore[arg-type]  # deliberately wrong
    decorator = require_token(sub=FromRoute("username"))

    def view(user: str) -> str:
        return user

    with pytest.raises(ValueError, match="has no parameter 'username'"):
        decorator(view)


def test_async_views(setup: tuple[Flask, AuthManager]) -> None:
    app, manager = setup

    @app.get("/async/<name>")
    @require_token(sub="name")
    async def view(name: str) -> dict[str, str]:
        await asyncio.sleep(0)
        return {"hello": name, "sub": current_token.sub}

    client = app.test_client()
    assert json_body(client.get("/async/alice", headers=bearer(issue(app, manager)))) == {
        "hello": "alice",
        "sub": "alice",
    }
    assert client.get("/async/bob", headers=bearer(issue(app, manager))).status_code == 403
    assert client.get("/async/alice").status_code == 401


def test_decorated_view_keeps_its_metadata() -> None:
    @require_token()
    def documented(a: int) -> int:
        """Docstring."""
        return a

    assert documented.__name__ == "documented"
    assert documented.__doc__ == "Docstring."


def test_current_token_outside_protected_request(setup: tuple[Flask, AuthManager]) -> None:
    app, manager = setup
    assert not current_token
    assert "none" in repr(current_token)
    with pytest.raises(NoCurrentTokenError, match="only set inside a view protected"):
        _ = current_token.sub
    with app.test_request_context(), pytest.raises(NoCurrentTokenError):
        current_token.get()

    @app.get("/all")
    @require_token()
    def everything() -> dict[str, object]:
        assert current_token
        assert "alice" in repr(current_token)
        return {
            "iss": current_token.iss,
            "jti": current_token.jti,
            "aud": current_token.aud,
            "max_age": current_token.max_age,
            "rid": current_token.rid,
            "iat<exp": current_token.iat < current_token.exp,
            "typ": current_token.header["typ"],
            "same": current_token.get().signed == current_token.signed,
        }

    body = json_body(app.test_client().get("/all", headers=bearer(issue(app, manager))))
    assert body["iss"] == "test-issuer"
    assert body["aud"] is None
    assert body["max_age"] == 3600
    assert body["rid"] is None
    assert body["iat<exp"] is True
    assert body["typ"] == "at+jwt"
    assert body["same"] is True


def test_refresh_current_token_exposes_rid(setup: tuple[Flask, AuthManager]) -> None:
    app, manager = setup

    @app.post("/rid")
    @require_token("refresh")
    def rid() -> dict[str, object]:
        return {"rid": current_token.rid, "scope": current_token.scope}

    with app.app_context():
        refresh = manager.refresh_token("alice")
    body = json_body(app.test_client().post("/rid", headers=bearer(refresh.signed)))
    assert body == {"rid": refresh.rid, "scope": None}


def test_an_apps_forbidden_handler_catches_the_403(setup: tuple[Flask, AuthManager]) -> None:
    # PermissionDenied is a werkzeug Forbidden: a handler registered for Forbidden (the
    # class, not the status code) applies to require_token's refusals.
    app, manager = setup

    @app.errorhandler(Forbidden)
    def forbidden(error: Forbidden) -> tuple[dict[str, object], int]:
        assert isinstance(error, PermissionDenied)
        return {"custom": error.error_code}, 403

    @app.get("/admin")
    @require_token(scope={"admin": True})
    def admin() -> str:
        return "ok"

    response = app.test_client().get("/admin", headers=bearer(issue(app, manager)))
    assert response.status_code == 403
    assert json_body(response) == {"custom": "insufficient_scope"}


def test_a_view_object_that_cannot_be_hashed_is_served(setup: tuple[Flask, AuthManager]) -> None:
    # The decorator-order check looks every view up among the functions require_token
    # wrapped; a callable object without __hash__ must not break serving.
    app, manager = setup

    class Unhashable:
        __hash__ = None  # type: ignore[assignment]

        def __call__(self) -> str:
            return "plain"

    app.add_url_rule("/plain", endpoint="plain", view_func=Unhashable())
    app.add_url_rule("/guarded", endpoint="guarded", view_func=require_token()(lambda: "ok"))
    client = app.test_client()
    assert client.get("/plain").get_data(as_text=True) == "plain"
    assert client.get("/guarded").status_code == 401
    assert client.get("/guarded", headers=bearer(issue(app, manager))).status_code == 200


# Nested empty requirements (issue 10, item 2) ------------------------------------------

EMPTY_REQUIREMENTS: dict[str, tuple[Callable[[], object], str]] = {
    "override list": (lambda: require_token(override={"roles": []}), r"override\.roles"),
    "override mapping": (lambda: require_token(override={"perms": {}}), r"override\.perms"),
    "override deep": (
        lambda: require_token(override={"a": {"b": [{"c": []}]}}),
        r"override\.a\.b\[0\]\.c",
    ),
    "scope member list": (lambda: require_token(scope={"roles": []}), r"scope\.roles"),
    "scope member mapping": (lambda: require_token(scope={"team": {}}), r"scope\.team"),
    "scope list item": (lambda: require_token(scope=["read", []]), r"scope\[1\]"),
    "claim list": (lambda: require_token(roles=[]), "roles"),
    "claim mapping": (lambda: require_token(perms={}), "perms"),
    "claim nested": (lambda: require_token(org={"teams": []}), r"org\.teams"),
    "Exact list": (lambda: require_token(roles=Exact([])), "roles"),
    "claims= mapping": (lambda: require_token(claims={"scope": {"x": {}}}), r"scope\.x"),
}


@pytest.mark.parametrize(
    ("make", "path"), EMPTY_REQUIREMENTS.values(), ids=EMPTY_REQUIREMENTS.keys()
)
def test_an_empty_list_or_mapping_anywhere_in_a_requirement_is_refused(
    make: Callable[[], object], path: str
) -> None:
    # An empty list is satisfied by any array and an empty mapping by any object: such a
    # requirement lets every token holding the member through (with override, past every
    # other check).
    with pytest.raises(ValueError, match=rf"{path} is an empty (list|mapping)"):
        make()


def test_a_nested_empty_override_no_longer_bypasses_the_route_check(
    setup: tuple[Flask, AuthManager],
) -> None:
    app, manager = setup
    with pytest.raises(ValueError, match="empty list"):

        @app.get("/users/<username>")
        @require_token(sub="username", override={"roles": []})
        def view(username: str) -> str:
            return username

    assert issue(app, manager, roles=[])  # such a token exists; nothing may serve it


# String requirements that could be a route binding or a literal (issue 10, item 1) ---


def test_a_plain_string_on_a_view_taking_kwargs_is_refused(
    setup: tuple[Flask, AuthManager],
) -> None:
    app, _ = setup

    class Profile(MethodView):
        decorators: ClassVar[list[Callable[..., object]]] = [require_token(sub="username")]

        def get(self, username: str) -> str:
            return username

    with pytest.raises(
        ValueError, match=r"on profile: .*sub=FromRoute\('username'\) or sub=Exact\('username'\)"
    ):
        app.add_url_rule("/users/<username>", view_func=Profile.as_view("profile"))

    def no_wraps(view: Callable[..., str]) -> Callable[..., str]:
        def inner(*args: object, **kwargs: object) -> str:
            return view(*args, **kwargs)

        return inner

    with pytest.raises(ValueError, match=r"takes \*\*kwargs"):

        @app.get("/accounts/<username>")
        @require_token(sub="username")
        @no_wraps
        def account(username: str) -> str:
            return username


def test_explicit_forms_work_on_a_view_taking_kwargs(setup: tuple[Flask, AuthManager]) -> None:
    app, manager = setup
    calls: list[str] = []

    class Profile(MethodView):
        decorators: ClassVar[list[Callable[..., object]]] = [
            require_token(sub=FromRoute("username"), role=Exact("username"))
        ]

        def get(self, username: str) -> str:
            calls.append(username)
            return username

    app.add_url_rule("/users/<username>", view_func=Profile.as_view("profile"))
    client = app.test_client()
    own = issue(app, manager, "alice", role="username")
    assert client.get("/users/alice", headers=bearer(own)).status_code == 200
    denied = client.get("/users/bob", headers=bearer(own))
    assert denied.status_code == 403
    assert json_body(denied)["code"] == "claim_mismatch"
    literal_only = issue(app, manager, "username", role="alice")
    assert client.get("/users/alice", headers=bearer(literal_only)).status_code == 403
    assert calls == ["alice"]


def test_a_plain_string_naming_no_parameter_stays_a_literal_without_kwargs(
    setup: tuple[Flask, AuthManager],
) -> None:
    app, manager = setup

    @app.get("/reports/<report>")
    @require_token(role="auditor")
    def report(report: str) -> str:
        return report

    client = app.test_client()
    auditor = issue(app, manager, role="auditor")
    assert client.get("/reports/q3", headers=bearer(auditor)).status_code == 200
    assert client.get("/reports/q3", headers=bearer(issue(app, manager))).status_code == 403


# Options are keyword-only; claims= for any claim name (issue 10, item 18) ---------------


def test_options_after_location_are_keyword_only() -> None:
    with pytest.raises(TypeError, match="positional"):
        require_token("auth", "cookies", "auth_token")  # type: ignore[call-arg]  # deliberately wrong


def test_the_1x_positional_forms_still_work(setup: tuple[Flask, AuthManager]) -> None:
    app, manager = setup

    @app.get("/header")
    @require_token("auth", "header", scope={"admin": True})
    def header_view() -> str:
        return current_token.sub

    @app.get("/cookie")
    @require_token("auth", "cookies", cookie_name="auth_token")
    def cookie_view() -> str:
        return current_token.sub

    client = app.test_client()
    admin = issue(app, manager, scope={"admin": True})
    assert client.get("/header", headers=bearer(admin)).get_data(as_text=True) == "alice"
    client.set_cookie("auth_token", admin)
    assert client.get("/cookie").get_data(as_text=True) == "alice"


def test_claims_mapping_states_claims_named_like_options(
    setup: tuple[Flask, AuthManager],
) -> None:
    app, manager = setup
    calls: list[str] = []

    @app.get("/regions/<region>")
    @require_token(
        claims={
            "location": "eu",
            "scope": "billing",
            "cookie_name": Exact("region"),
            "override": {"level": 1},
            "token_type": "staff",
            "optional": False,
            "tenant": FromRoute("region"),
        },
        plan="pro",
    )
    def view(region: str) -> str:
        calls.append(region)
        return region

    good = {
        "location": "eu",
        "scope": "billing",
        "cookie_name": "region",
        "override": {"level": 1, "x": 2},
        "token_type": "staff",
        "optional": False,
        "tenant": "emea",
        "plan": "pro",
    }
    client = app.test_client()

    def get(**claims: object) -> int:
        token = issue(app, manager, **claims)
        return client.get("/regions/emea", headers=bearer(token)).status_code

    assert get(**good) == 200
    # scope= would read "billing" as a set of OAuth scopes; claims= compares exactly.
    assert get(**{**good, "scope": "billing admin"}) == 403
    assert get(**{**good, "location": "us"}) == 403
    assert get(**{**good, "tenant": "apac"}) == 403
    assert get(**{**good, "plan": "free"}) == 403
    without = {k: v for k, v in good.items() if k != "location"}
    response = client.get("/regions/emea", headers=bearer(issue(app, manager, **without)))
    assert response.status_code == 403
    assert json_body(response)["code"] == "claim_mismatch"
    assert calls == ["emea"]


def test_claims_mapping_misuse_is_refused() -> None:
    with pytest.raises(ValueError, match="'plan' is required twice"):
        require_token(claims={"plan": "pro"}, plan="pro")
    with pytest.raises(TypeError, match="claims must be a mapping"):
        require_token(claims=[("plan", "pro")])  # type: ignore[arg-type]  # deliberately wrong
    with pytest.raises(TypeError, match="is of type set"):
        require_token(claims={"roles": {"a"}})  # type: ignore[dict-item]  # deliberately wrong


def test_optional_and_fresh_are_options_and_claims_of_those_names_go_through_claims(
    setup: tuple[Flask, AuthManager],
) -> None:
    # Reserved as keyword claims until they existed (so no route changed meaning when
    # they arrived): as keywords they are the options, claims= states claims of the name.
    app, manager = setup

    @app.get("/claims")
    @require_token(claims={"optional": True})
    def claim_view() -> str:
        return "claim"

    @app.get("/option")
    @require_token(optional=True)
    def option_view() -> str:
        return "none" if not current_token else current_token.sub

    client = app.test_client()
    assert client.get("/claims").status_code == 401  # a claim requirement: a token is needed
    with_claim = bearer(issue(app, manager, optional=True))
    assert client.get("/claims", headers=with_claim).status_code == 200
    without_claim = client.get("/claims", headers=bearer(issue(app, manager)))
    assert json_body(without_claim)["code"] == "claim_mismatch"
    assert client.get("/option").get_data(as_text=True) == "none"
    with app.app_context(), pytest.raises(ValueError, match="fresh"):
        manager.auth_token("alice", claims={"fresh": True})  # the library's own claim


# current_token belongs to one request (issue 10, item 4) ---------------------------------


def test_current_token_does_not_leak_into_the_next_request_of_one_app_context(
    setup: tuple[Flask, AuthManager],
) -> None:
    # Flask 3.0/3.1 reuse an application context that is already pushed (start-up code,
    # single-threaded workers, test fixtures), so flask.g outlives a request there.
    app, manager = setup
    seen_after: list[str] = []

    @app.get("/protected")
    @require_token()
    def protected() -> str:
        return current_token.sub

    @app.get("/open")
    def open_view() -> dict[str, object]:
        try:
            sub: str | None = current_token.sub
        except NoCurrentTokenError:
            sub = None
        return {"has_token": bool(current_token), "sub": sub, "repr": repr(current_token)}

    @app.after_request
    def after(response: Response) -> Response:
        if current_token:
            seen_after.append(current_token.sub)
        return response

    client = app.test_client()
    token = issue(app, manager, "alice")
    with app.app_context():
        assert client.get("/protected", headers=bearer(token)).get_data(as_text=True) == "alice"
        assert json_body(client.get("/open")) == {
            "has_token": False,
            "sub": None,
            "repr": "<current_token (none: not in a protected request)>",
        }
        refused = client.get("/protected")
        assert refused.status_code == 401
    # The token is still there for the request's own after_request handlers.
    assert seen_after == ["alice"]
    with app.app_context():
        assert not current_token


# @require_token above @app.route (issue 10, item 12) ------------------------------------


def test_require_token_above_an_app_route_is_refused_at_once(
    setup: tuple[Flask, AuthManager],
) -> None:
    app, _ = setup
    calls: list[str] = []
    with pytest.raises(DecoratorOrderError, match="swap the two lines") as caught:

        @require_token()
        @app.route("/secret")
        def secret() -> str:
            calls.append("secret")
            return "secret"

    message = str(caught.value)
    assert "'secret'" in message  # the endpoint
    assert "@require_token(...) below @app.route(...)" in message
    # Even if the error is caught, the route it registered is never served unprotected.
    response = app.test_client().get("/secret")
    assert response.status_code == 500
    assert calls == []


def test_require_token_above_a_route_defined_before_init_app_fails_init_app() -> None:
    app = Flask("early_routes")
    configure(app, config_for("HS256"))

    @require_token()
    @app.route("/secret")
    def secret() -> str:
        return "secret"

    with pytest.raises(DecoratorOrderError, match=r"endpoint 'secret'.*swap the two lines"):
        AuthManager(app)


def test_require_token_above_a_blueprint_route_refuses_to_serve(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The blueprint is registered after init_app, so nothing could be seen when the
    # decorator ran: the app refuses every request until the two lines are swapped.
    app, manager = make_app()
    calls: list[str] = []
    admin = Blueprint("admin", __name__)

    @require_token()
    @admin.route("/secret")
    def secret() -> str:
        calls.append("secret")
        return "secret"

    @admin.route("/fine")
    @require_token()
    def fine() -> str:
        calls.append("fine")
        return "fine"

    app.register_blueprint(admin)
    client = app.test_client()
    token = issue(app, manager)
    for path in ("/secret", "/fine"):
        response = client.get(path, headers=bearer(token))
        assert response.status_code == 500
    assert calls == []
    assert "endpoint 'admin.secret'" in caplog.text
    assert "swap the two lines" in caplog.text
    app.testing = True  # the error itself, not a 500, propagates to the test client
    with pytest.raises(DecoratorOrderError, match=r"below @app\.route\(\.\.\.\) \(or @blueprint"):
        client.get("/secret")
    assert calls == []


def test_a_blueprint_in_the_right_order_is_served(setup: tuple[Flask, AuthManager]) -> None:
    app, manager = setup
    admin = Blueprint("admin", __name__)

    @admin.route("/secret")
    @require_token()
    def secret() -> str:
        return "secret"

    app.register_blueprint(admin)
    client = app.test_client()
    assert client.get("/secret").status_code == 401
    assert client.get("/secret", headers=bearer(issue(app, manager))).status_code == 200
