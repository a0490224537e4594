"""flask_pyjwt.apispec: each route's require_token as OpenAPI 3.1 security, through real
apps and apispec-webframeworks' FlaskPlugin, the document validated by
openapi-spec-validator and compared with the routes of examples/app.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from apispec import APISpec
from apispec_webframeworks.flask import FlaskPlugin
from flask import Flask
from flask.views import MethodView
from openapi_spec_validator import validate

from examples.app import create_app
from flask_pyjwt import AuthManager, current_token, require_token
from flask_pyjwt.apispec import FlaskPyJWTPlugin
from flask_pyjwt.errors import ContextError
from flask_pyjwt.testing import DPoPKey, auth_header, dpop_auth_header

HS256 = {"JWT_ISSUER": "i", "JWT_AUTHTYPE": "HS256", "JWT_SECRET": "s" * 64}


def add_path(spec: APISpec, **kwargs: Any) -> None:
    """``spec.path(**kwargs)``: apispec types its parameters with bare ``dict``."""
    spec.path(**kwargs)  # pyright: ignore[reportUnknownMemberType]


def document(
    app: Flask, version: str = "3.1.0", *, plugin: FlaskPyJWTPlugin | None = None
) -> dict[str, Any]:
    """The validated document of every view of ``app`` but ``static``."""
    spec = APISpec("test", "1.0", version, plugins=[FlaskPlugin(), plugin or FlaskPyJWTPlugin(app)])
    for rule in app.url_map.iter_rules():
        if rule.endpoint != "static":
            parameters = [
                {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                for name in sorted(rule.arguments)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
            ]
            add_path(spec, view=app.view_functions[rule.endpoint], app=app, parameters=parameters)
    result = spec.to_dict()
    validate(result)
    return result


def operation(doc: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    found: dict[str, Any] = doc["paths"][path][method]
    return found


BEARER: dict[str, list[str]] = {"jwtBearer": []}


def me_app(name: str, **config: object) -> tuple[Flask, AuthManager]:
    """An HS256 app (``config`` added) with ``GET /me`` under ``require_token()``."""
    app = Flask(name)
    app.config.from_mapping(HS256, **config)
    manager = AuthManager(app)

    @app.get("/me")
    @require_token()
    def me() -> dict[str, str]:
        return {"sub": current_token.sub}

    return app, manager


def test_the_example_apps_routes_are_described_as_they_are_protected() -> None:
    doc = document(create_app())
    paths = doc["paths"]
    assert set(paths) == {
        "/login", "/me", "/refresh", "/logout", "/logout-everywhere", "/users/{username}",
        "/admin", "/reports",
    }  # fmt: skip
    assert "post" not in paths["/login"]  # unprotected, undocumented: nothing added
    for path, method in [("/me", "get"), ("/refresh", "post"), ("/logout", "post"),
                         ("/logout-everywhere", "post")]:  # fmt: skip
        assert operation(doc, path, method)["security"] == [BEARER], path
        assert set(operation(doc, path, method)["responses"]) == {"401"}, path
    assert operation(doc, "/admin", "get")["security"] == [{"jwtBearer": ["admin"]}]
    assert operation(doc, "/reports", "get")["security"] == [{"jwtBearer": ["reports:read"]}]
    # sub="username" with an override: claims are required, so a 403 is possible.
    assert set(operation(doc, "/users/{username}", "get")["responses"]) == {"401", "403"}
    assert set(operation(doc, "/admin", "get")["responses"]) == {"401", "403"}
    assert operation(doc, "/admin", "get")["responses"]["403"] == {
        "$ref": "#/components/responses/JWTForbidden"
    }
    components = doc["components"]
    assert components["securitySchemes"] == {
        "jwtBearer": {
            "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
            "description": "A token in the Authorization header (RFC 6750).",
        }
    }  # fmt: skip
    error = components["schemas"]["JWTError"]
    assert error["required"] == ["status", "error", "code", "message"]
    unauthorized = components["responses"]["JWTUnauthorized"]
    assert unauthorized["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/JWTError"
    }
    assert "WWW-Authenticate" in unauthorized["headers"]


def test_the_error_schema_matches_a_real_refusal() -> None:
    app = create_app()
    doc = document(app)
    body = app.test_client().get("/me").get_json()
    schema = doc["components"]["schemas"]["JWTError"]
    assert set(body) == set(schema["properties"]) == set(schema["required"])
    assert isinstance(body["status"], int)
    assert all(isinstance(body[name], str) for name in ("error", "code", "message"))


def cookie_app() -> Flask:
    app = Flask("cookies")
    app.config.from_mapping(HS256, JWT_TOKEN_LOCATION=["header", "cookies"])
    AuthManager(app)

    @app.route("/items", methods=["GET", "POST"])
    @require_token(scope="items:write orders")
    def items() -> dict[str, str]:
        return {"sub": current_token.sub}

    @app.get("/maybe")
    @require_token(optional=True)
    def maybe() -> dict[str, bool]:
        return {"signed_in": bool(current_token)}

    @app.post("/renew")
    @require_token("refresh", location="cookies", cookie_name="renewal")
    def renew() -> dict[str, str]:
        return {"sub": current_token.sub}

    @app.get("/q")
    @require_token(location="query", scope={"admin": True, "tier": "gold"})
    def query() -> dict[str, str]:
        return {"sub": current_token.sub}

    @app.get("/body")
    @require_token(location="json")
    def body() -> dict[str, str]:
        return {"sub": current_token.sub}

    return app


def test_cookies_with_their_csrf_header_on_unsafe_methods_only() -> None:
    doc = document(cookie_app())
    scopes = ["items:write", "orders"]
    assert operation(doc, "/items", "get")["security"] == [
        {"jwtBearer": scopes},
        {"jwtCookie.auth_token": scopes},
    ]
    assert operation(doc, "/items", "post")["security"] == [
        {"jwtBearer": scopes},
        {"jwtCookie.auth_token": scopes, "jwtCsrfHeader": []},
    ]
    assert set(operation(doc, "/items", "post")["responses"]) == {"401", "403"}
    assert operation(doc, "/renew", "post")["security"] == [
        {"jwtCookie.renewal": [], "jwtCsrfHeader": []}
    ]
    schemes = doc["components"]["securitySchemes"]
    assert schemes["jwtCookie.auth_token"] == {
        "type": "apiKey",
        "in": "cookie",
        "name": "auth_token",
    }
    assert schemes["jwtCookie.renewal"] == {"type": "apiKey", "in": "cookie", "name": "renewal"}
    assert schemes["jwtCsrfHeader"] == {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"}


def test_an_optional_route_allows_no_security_too() -> None:
    doc = document(cookie_app())
    assert operation(doc, "/maybe", "get")["security"] == [BEARER, {"jwtCookie.auth_token": []}, {}]


def test_query_scope_mapping_and_a_json_body_token() -> None:
    doc = document(cookie_app())
    assert operation(doc, "/q", "get")["security"] == [{"jwtQuery": ["admin", 'tier="gold"']}]
    assert doc["components"]["securitySchemes"]["jwtQuery"] == {
        "type": "apiKey", "in": "query", "name": "jwt"
    }  # fmt: skip
    # No OpenAPI scheme describes a token in the JSON body: no security, but the 401.
    assert "security" not in operation(doc, "/body", "get")
    assert set(operation(doc, "/body", "get")["responses"]) == {"401"}


def test_openapi_3_0_gets_no_role_names() -> None:
    doc = document(cookie_app(), "3.0.3")
    assert operation(doc, "/items", "get")["security"] == [
        {"jwtBearer": []},
        {"jwtCookie.auth_token": []},
    ]


def test_stacked_decorators_and_a_docstring_operation() -> None:
    app = Flask("stacked")
    app.config.from_mapping(HS256)
    AuthManager(app)

    @app.get("/both")
    @require_token(scope="a")
    @require_token(location="cookies")
    def both() -> dict[str, str]:
        """---
        get:
          summary: Needs both
          responses:
            401:
              description: my own
        """
        return {"sub": current_token.sub}

    doc = document(app)
    get = operation(doc, "/both", "get")
    assert get["summary"] == "Needs both"
    assert get["security"] == [{"jwtBearer": ["a"], "jwtCookie.auth_token": []}]
    assert get["responses"] == {  # the app's own 401 kept
        "401": {"description": "my own"},
        "403": {"$ref": "#/components/responses/JWTForbidden"},
    }


def test_method_views_protected_per_method() -> None:
    app = Flask("methods")
    app.config.from_mapping(HS256)
    AuthManager(app)

    class Items(MethodView):
        def get(self) -> dict[str, str]:
            return {}

        @require_token(scope="write")
        def post(self) -> dict[str, str]:
            return {}

    app.add_url_rule("/items", view_func=Items.as_view("items"))
    doc = document(app)
    assert "security" not in operation(doc, "/items", "get")
    assert operation(doc, "/items", "post")["security"] == [{"jwtBearer": ["write"]}]


def test_flask_smorest_style_rule_and_the_current_app() -> None:
    app = create_app()
    with app.app_context():
        plugin = FlaskPyJWTPlugin()  # the current app
    spec = APISpec("t", "1", "3.1.0", plugins=[plugin])
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == "admin")
    add_path(spec, path="/admin", operations={"get": {}}, rule=rule)
    validate(spec.to_dict())
    assert spec.to_dict()["paths"]["/admin"]["get"]["security"] == [{"jwtBearer": ["admin"]}]


def test_no_app_anywhere_is_a_context_error() -> None:
    app = create_app()
    spec = APISpec("t", "1", "3.1.0", plugins=[FlaskPlugin(), FlaskPyJWTPlugin()])
    view: Callable[..., object] = app.view_functions["me"]
    with app.app_context():
        add_path(spec, view=view)  # the current app: fine
    with pytest.raises(ContextError, match="app_context"):
        add_path(
            APISpec("t", "1", "3.1.0", plugins=[FlaskPyJWTPlugin()]),
            path="/me",
            operations={"get": {}},
            view=view,
        )


def test_openapi_2_is_refused() -> None:
    with pytest.raises(ValueError, match="OpenAPI 3"):
        APISpec("t", "1", "2.0", plugins=[FlaskPyJWTPlugin(create_app())])


def test_scope_names_of_every_scope_form() -> None:
    from flask_pyjwt._flask.openapi import scope_names

    assert scope_names(None) == []
    assert scope_names("read  write") == ["read", "write"]
    assert scope_names(("read", 2)) == ["read", "2"]
    assert scope_names(cast_json({"admin": True, "roles": ["a", "b"], "level": 3})) == [
        "admin",
        'roles=["a", "b"]',
        "level=3",
    ]
    assert scope_names(True) == ["true"]


def cast_json(value: object) -> Any:
    """A claims mapping as the requirements hold it (frozen)."""
    from flask_pyjwt._core.strict_json import freeze

    return freeze(value)


def test_paths_without_a_view_or_operations_are_left_alone() -> None:
    app = create_app()
    spec = APISpec("t", "1", "3.1.0", plugins=[FlaskPyJWTPlugin(app)])
    add_path(spec, path="/elsewhere", operations={"get": {"summary": "not a Flask view"}})
    assert spec.to_dict()["paths"]["/elsewhere"] == {"get": {"summary": "not a Flask view"}}
    add_path(spec, path="/nothing")
    assert "components" not in spec.to_dict() or not spec.to_dict()["components"].get(
        "securitySchemes"
    )


def test_an_either_kind_cookie_route_names_the_cookie_it_reads() -> None:
    """``token_type=("auth", "refresh")`` reads the auth token's cookie (as
    ``require_token`` documents): the document names that cookie, the one the app takes."""
    app = Flask("either")
    app.config.from_mapping(HS256, JWT_COOKIE_SECURE=False)
    manager = AuthManager(app)

    @app.get("/either")
    @require_token(("auth", "refresh"), location="cookies")
    def either() -> dict[str, str]:
        return {"kind": current_token.token_type.value}

    @app.get("/renew")
    @require_token("refresh", location="cookies")
    def renew() -> dict[str, str]:
        return {"kind": current_token.token_type.value}

    doc = document(app)
    assert operation(doc, "/either", "get")["security"] == [{"jwtCookie.auth_token": []}]
    assert operation(doc, "/renew", "get")["security"] == [{"jwtCookie.refresh_token": []}]
    with app.app_context():
        token = manager.auth_token("alice").signed
    for path, cookie, status in (
        ("/either", "auth_token", 200),
        ("/either", "refresh_token", 401),  # the control: the other cookie is not read
    ):
        client = app.test_client()
        client.set_cookie(cookie, token)
        assert client.get(path).status_code == status, (path, cookie)


@pytest.mark.parametrize(
    ("config", "scheme", "header"),
    [
        (
            {"JWT_HEADER_SCHEME": "JWT"},
            {"type": "http", "scheme": "JWT"},
            {"Authorization": "JWT {}"},
        ),
        (
            {"JWT_HEADER_NAME": "X-Token", "JWT_HEADER_SCHEME": ""},
            {"type": "apiKey", "in": "header", "name": "X-Token"},
            {"X-Token": "{}"},
        ),
    ],
)
def test_a_configured_header_is_described_as_the_app_reads_it(
    config: dict[str, str], scheme: dict[str, str], header: dict[str, str]
) -> None:
    """``JWT_HEADER_NAME`` / ``JWT_HEADER_SCHEME``: the document describes the header the
    route reads, not ``Authorization: Bearer``, which it refuses."""
    app, manager = me_app("framed", **config)
    doc = document(app)
    assert operation(doc, "/me", "get")["security"] == [{"jwtHeader": []}]
    described = dict(doc["components"]["securitySchemes"]["jwtHeader"])
    assert described.pop("description")
    assert described == scheme
    assert "jwtBearer" not in doc["components"]["securitySchemes"]
    with app.app_context():
        token = manager.auth_token("alice").signed
    client = app.test_client()
    sent = {name: value.format(token) for name, value in header.items()}
    assert client.get("/me", headers=sent).status_code == 200
    # The control: the Authorization: Bearer header is refused by this app.
    assert client.get("/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_the_default_header_stays_the_bearer_scheme() -> None:
    for config in ({}, {"JWT_HEADER_SCHEME": "bearer"}):
        app, _ = me_app("bearer", **config)
        doc = document(app)
        assert operation(doc, "/me", "get")["security"] == [BEARER]
        assert doc["components"]["securitySchemes"]["jwtBearer"]["scheme"] == "bearer"


def test_a_dpop_required_route_is_described_with_the_dpop_scheme() -> None:
    """``dpop="required"`` (or ``JWT_DPOP="required"``) refuses a bearer token: the
    document gives the route the DPoP scheme (RFC 9449 7.1), not ``jwtBearer``."""
    app = Flask("dpop")
    app.config.from_mapping(HS256, JWT_TOKEN_LOCATION=["header", "cookies"])
    AuthManager(app)

    @app.get("/bound")
    @require_token(dpop="required", scope="read")
    def bound() -> dict[str, str]:
        return {"sub": current_token.sub}

    @app.get("/either")
    @require_token()
    def either() -> dict[str, str]:
        return {"sub": current_token.sub}

    doc = document(app)
    assert operation(doc, "/bound", "get")["security"] == [{"jwtDPoP": ["read"]}]
    dpop_scheme = dict(doc["components"]["securitySchemes"]["jwtDPoP"])
    assert dpop_scheme.pop("description")
    assert dpop_scheme == {"type": "http", "scheme": "DPoP"}
    # The control: the default ("allowed") still takes a bearer token.
    assert operation(doc, "/either", "get")["security"] == [BEARER, {"jwtCookie.auth_token": []}]
    key = DPoPKey()
    client = app.test_client()
    url = "http://localhost/bound"
    bound_headers = dpop_auth_header(app, key, "a", "GET", url, scope="read")
    assert client.get("/bound", headers=bound_headers).status_code == 200
    assert client.get("/bound", headers=auth_header(app, "a", scope="read")).status_code == 401
    assert client.get("/either", headers=auth_header(app, "a")).status_code == 200


def test_an_app_that_requires_dpop_describes_every_route_with_it() -> None:
    app, _ = me_app("dpop_app", JWT_DPOP="required")
    doc = document(app)
    assert operation(doc, "/me", "get")["security"] == [{"jwtDPoP": []}]
    assert app.test_client().get("/me", headers=auth_header(app, "a")).status_code == 401
