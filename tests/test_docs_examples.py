"""Every example in the documentation runs here, through ``app.test_client()``.

The docs include these files with ``literalinclude`` (``docs/examples/*.py``) or render
tables from them at build time; this module checks that what the pages say they do is
what they do. It also checks the docs' own machinery: every Python example is an
included file, every included file exists and is tested, and the offline intersphinx
inventories are what their generator writes.
"""

from __future__ import annotations

import ast
import base64
import dataclasses
import inspect
import json
import logging
import os
import re
import subprocess
import sys
import time
import warnings
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast, get_args

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask, Response
from flask.testing import FlaskClient
from joserfc import jwt
from sphinx.util.inventory import InventoryFile
from werkzeug.test import TestResponse

import flask_pyjwt
import flask_pyjwt.errors
from docs._inventories import make_inventories
from docs.examples import (
    asymmetric,
    async_views,
    cli_session,
    config_errors,
    current,
    dpop,
    errors,
    extended,
    factory,
    generated,
    identity_provider,
    intro,
    keys,
    kms,
    matching,
    migration,
    openapi,
    otel_setup,
    providers,
    revocation,
    routes,
    signals,
    tokens,
    users,
)
from flask_pyjwt import (
    AuthManager,
    AuthToken,
    FlaskPyJWTError,
    FromRoute,
    InvalidConfigError,
    RefreshToken,
    current_token,
    require_token,
)
from flask_pyjwt._settings.catalogue import CONFIG_KEYS, RENAMED_KEYS
from flask_pyjwt.errors import (
    IgnoredConfigWarning,
    MissingSignerError,
    NoCurrentTokenError,
    RevocationUnavailableError,
    WeakSecretWarning,
)
from flask_pyjwt.typing import AuthType, ErrorCode
from tests.idp import joserfc_key_set, running_idp
from tests.redis_server import RedisServer
from tests.support import HMAC_KID, bearer, configure, forge, hmac_kid, json_body, settings_of

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def get(client: FlaskClient, path: str, token: str | None = None) -> TestResponse:
    return client.get(path, headers={} if token is None else bearer(token))


def issue(app: Flask, manager: AuthManager, sub: str, scope: object = None, **claims: str) -> str:
    with app.app_context():
        return manager.auth_token(sub, scope, **claims).signed  # type: ignore[arg-type]


# -- the front page ------------------------------------------------------------------


def test_intro() -> None:
    client = intro.app.test_client()
    admin = issue(intro.app, intro.auth_manager, "alice", {"admin": True})
    response = get(client, "/admin", admin)
    assert response.status_code == 200
    assert json_body(response) == {"hello": "alice"}
    assert get(client, "/admin").status_code == 401
    user = issue(intro.app, intro.auth_manager, "bob", {"admin": False})
    assert get(client, "/admin", user).status_code == 403


# -- tokens and claims ---------------------------------------------------------------


def test_tokens_issue_convert_and_freeze(capsys: pytest.CaptureFixture[str]) -> None:
    auth, refresh = tokens.issue_pair()
    assert isinstance(refresh, RefreshToken)
    converted = tokens.read_back(auth.signed)
    assert converted == auth
    tokens.claims_are_read_only(converted)
    assert capsys.readouterr().out == (
        "token claims are read-only; copy them with dict(...) to change them\n"
    )


def test_tokens_per_token_options() -> None:
    auth, refresh = tokens.issue_with_options()
    with tokens.app.app_context():
        # The app has no JWT_AUDIENCE: a token meant for "billing" is not for it.
        assert not tokens.auth_manager.verify_token(auth)
        assert tokens.auth_manager.verify_token(refresh)


def test_tokens_reserved_and_non_json_claims() -> None:
    with tokens.app.app_context():
        for name in ("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "type", "rid"):
            with pytest.raises(ValueError, match=name):
                tokens.auth_manager.auth_token("alice", claims={name: 0})
        with pytest.raises(ValueError, match="scope"):
            tokens.auth_manager.refresh_token("alice", scope="read")
        with pytest.raises(TypeError, match="set"):
            tokens.auth_manager.auth_token("alice", tags={1, 2})  # type: ignore[arg-type]


# -- require_token -------------------------------------------------------------------


@pytest.fixture
def routes_client() -> FlaskClient:
    return routes.app.test_client()


def _routes_token(sub: str = "alice", scope: object = None, **claims: object) -> str:
    with routes.app.app_context():
        return routes.auth_manager.auth_token(sub, scope, **claims).signed  # type: ignore[arg-type]


def test_routes_binding(routes_client: FlaskClient) -> None:
    alice = _routes_token("alice", org=7, role="username")
    assert get(routes_client, "/users/alice", alice).status_code == 200
    assert get(routes_client, "/users/bob", alice).status_code == 403
    assert get(routes_client, "/orgs/7/billing", alice).status_code == 200
    assert get(routes_client, "/orgs/8/billing", alice).status_code == 403
    assert json_body(get(routes_client, "/reports/bob", alice)) == {"report": "bob"}
    other_role = _routes_token("alice", role="bob")
    assert get(routes_client, "/reports/bob", other_role).status_code == 403


def test_routes_method_view_and_claims_mapping(routes_client: FlaskClient) -> None:
    member = _routes_token("alice", role="member")
    assert json_body(get(routes_client, "/api/users/alice", member)) == {"user": "alice"}
    assert get(routes_client, "/api/users/bob", member).status_code == 403
    assert get(routes_client, "/api/users/alice", _routes_token("alice")).status_code == 403
    analyst = _routes_token("alice", location="eu", scope="reports", role="analyst")
    assert json_body(get(routes_client, "/eu/reports", analyst)) == {"reports": "eu"}
    us = _routes_token("alice", location="us", scope="reports", role="analyst")
    assert get(routes_client, "/eu/reports", us).status_code == 403
    wider = _routes_token("alice", location="eu", scope="reports admin", role="analyst")
    assert get(routes_client, "/eu/reports", wider).status_code == 403  # exact, not a set


def test_routes_scope_forms(routes_client: FlaskClient) -> None:
    admin = _routes_token(scope={"admin": True})
    assert get(routes_client, "/admin", admin).status_code == 200
    writer = _routes_token(scope="documents:read documents:write")
    headers = bearer(writer)
    assert routes_client.post("/documents", headers=headers).status_code == 200
    assert get(routes_client, "/documents/export", writer).status_code == 403
    exporter = _routes_token(scope=["export", "documents:read"])
    assert get(routes_client, "/documents/export", exporter).status_code == 200
    assert get(routes_client, "/admin", writer).status_code == 403


def test_routes_override(routes_client: FlaskClient) -> None:
    bob = _routes_token("bob")
    admin = _routes_token("bob", admin=True)
    assert get(routes_client, "/users/alice/settings", bob).status_code == 403
    response = get(routes_client, "/users/alice/settings", admin)
    assert json_body(response) == {"settings_of": "alice", "as_admin": True}
    own = get(routes_client, "/users/bob/settings", bob)
    assert json_body(own) == {"settings_of": "bob", "as_admin": False}


def test_routes_refresh_and_cookies(routes_client: FlaskClient) -> None:
    with routes.app.app_context():
        refresh = routes.auth_manager.refresh_token("alice").signed
    auth = _routes_token("alice")
    assert routes_client.post("/token/refresh", headers=bearer(auth)).status_code == 401
    response = routes_client.post("/token/refresh", headers=bearer(refresh))
    assert response.status_code == 200
    assert str(json_body(response)["auth_token"]).count(".") == 2
    assert get(routes_client, "/dashboard").status_code == 401
    routes_client.set_cookie("auth_token", auth)
    assert json_body(get(routes_client, "/dashboard")) == {"user": "alice"}


def test_routes_locations(routes_client: FlaskClient) -> None:
    alice, bob = _routes_token("alice"), _routes_token("bob")
    assert json_body(get(routes_client, "/inbox", alice)) == {"inbox_of": "alice"}
    routes_client.set_cookie("auth_token", bob)
    assert json_body(get(routes_client, "/inbox", alice)) == {"inbox_of": "bob"}  # cookie first
    routes_client.delete_cookie("auth_token")
    exporter = _routes_token(scope="export")
    download = routes_client.get("/exports/q3.csv", query_string={"jwt": exporter})
    assert json_body(download) == {"file": "q3.csv"}
    assert routes_client.get("/exports/q3.csv", query_string={"jwt": alice}).status_code == 403
    assert get(routes_client, "/exports/q3.csv", exporter).status_code == 401  # not a header
    hook = routes_client.post("/hooks", json={"auth_token": alice, "event": "push"})
    assert json_body(hook) == {"accepted_for": "alice"}
    broken = routes_client.post("/hooks", data=b"[", content_type="application/json")
    assert json_body(broken)["code"] == "json_body_invalid"


def test_routes_optional_fresh_and_verify_request(routes_client: FlaskClient) -> None:
    assert json_body(get(routes_client, "/articles")) == {"articles": ["welcome"]}
    member = json_body(get(routes_client, "/articles", _routes_token("alice")))
    assert member == {"articles": ["welcome", "members-only"], "reader": "alice"}
    assert get(routes_client, "/articles", "garbage").status_code == 401
    with routes.app.app_context():
        fresh = routes.auth_manager.auth_token("alice", fresh=300).signed
    email = routes_client.post("/account/email", headers=bearer(fresh))
    assert json_body(email) == {"changed_for": "alice"}
    stale = routes_client.post("/account/email", headers=bearer(_routes_token("alice")))
    assert json_body(stale)["code"] == "fresh_token_required"
    admin = _routes_token("root", scope="admin")
    listed = json_body(get(routes_client, "/admin/users", admin))
    assert listed == {"users": ["alice", "bob"], "listed_for": ["root"]}
    assert get(routes_client, "/admin/users", _routes_token("alice")).status_code == 403
    assert get(routes_client, "/admin/users").status_code == 401


def test_routes_header_rules(routes_client: FlaskClient) -> None:
    token = _routes_token(scope={"admin": True})
    lower = routes_client.get("/admin", headers={"Authorization": f"bearer {token}"})
    assert lower.status_code == 200
    basic = routes_client.get("/admin", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert json_body(basic)["code"] == "token_missing"
    twice = routes_client.get(
        "/admin", headers=[("Authorization", f"Bearer {token}"), ("Authorization", "Bearer x")]
    )
    assert json_body(twice)["code"] == "token_malformed"


def _view(username: str) -> str:
    return username


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: require_token(location="cookie"), ValueError),  # type: ignore[arg-type]
        (lambda: require_token(location=("cookies", "cookies")), ValueError),
        (lambda: require_token(location="header", cookie_name="auth"), ValueError),
        (lambda: require_token(override={}), ValueError),
        (lambda: require_token(token_type="access"), ValueError),  # type: ignore[arg-type]
        (lambda: require_token(scope={"when": time}), TypeError),  # type: ignore[dict-item]
        (lambda: require_token(org=FromRoute("org_id"))(_view), ValueError),
    ],
)
def test_require_token_arguments_fail_at_decoration(make: object, error: type[Exception]) -> None:
    assert callable(make)
    with pytest.raises(error):
        make()


@pytest.mark.parametrize("case", matching.CASES, ids=lambda case: case.requirement + case.token)
def test_matching_table(case: matching.Case) -> None:
    assert matching.status_of(case) == case.expected


# -- the current token ---------------------------------------------------------------


def test_current_token_attributes() -> None:
    client = current.app.test_client()
    with current.app.app_context():
        token = current.auth_manager.auth_token("alice", {"admin": True}, tenant="acme")
    body = json_body(get(client, "/whoami", token.signed))
    assert body == {
        "sub": "alice",
        "type": "auth",
        "scope": {"admin": True},
        "expires": token.exp,
        "lifetime": 3600,
        "alg": "HS256",
        "claims": json.loads(json.dumps(dict(token.claims))),
    }
    assert current.scope_of(token) == {"admin": True}


def test_current_token_narrowing_and_outside() -> None:
    client = current.app.test_client()
    with current.app.app_context():
        refresh = current.auth_manager.refresh_token("alice")
    response = client.post("/session", headers=bearer(refresh.signed))
    assert json_body(response) == {"kind": "refresh", "rid": refresh.rid}
    with current.app.app_context():
        auth = current.auth_manager.auth_token("alice").signed
    assert json_body(client.get("/kind", headers=bearer(auth))) == {"kind": "auth"}
    assert current.outside_a_request() == (
        "current_token is only set inside a view protected by @require_token(...), "
        "after its token was verified"
    )
    with current.app.app_context(), pytest.raises(NoCurrentTokenError):
        _ = current_token.sub


def test_current_user() -> None:
    client = users.app.test_client()
    with users.app.app_context():
        alice = users.auth_manager.auth_token("alice").signed
        gone = users.auth_manager.auth_token("deleted-account").signed
    profile = json_body(get(client, "/profile", alice))
    assert profile == {"email": "alice@example.com", "name": "Alice"}
    missing = get(client, "/profile", gone)
    assert (missing.status_code, json_body(missing)["code"]) == (401, "user_not_found")
    assert json_body(get(client, "/greeting")) == {"greeting": "Hello, guest!"}
    assert json_body(get(client, "/greeting", alice)) == {"greeting": "Hello, Alice!"}


def test_current_token_is_visible_after_the_view() -> None:
    app = Flask("after_request")
    app.config["JWT_ISSUER"] = "after"
    app.config["JWT_AUTHTYPE"] = "HS256"
    app.config["JWT_SECRET"] = "a-32-byte-or-longer-secret-for-hs256!"
    manager = AuthManager(app)
    seen: list[str] = []

    @app.route("/")
    @require_token()
    def index() -> str:
        return "ok"

    @app.after_request
    def record(response: Response) -> Response:
        seen.append(current_token.sub)
        return response

    assert get(app.test_client(), "/", issue(app, manager, "alice")).status_code == 200
    assert seen == ["alice"]


# -- errors --------------------------------------------------------------------------


def test_default_error_responses() -> None:
    app = errors.create_app(custom_handlers=False)
    client = app.test_client()
    missing = get(client, "/admin")
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    assert missing.headers["Cache-Control"] == "no-store"
    assert json_body(missing) == {
        "status": 401,
        "error": "unauthorized",
        "code": "token_missing",
        "message": "A bearer token is required.",
    }
    expired = get(client, "/admin", errors.issue(app, scope={"admin": True}, age=7200))
    assert expired.headers["WWW-Authenticate"] == (
        'Bearer error="invalid_token", error_description="The token has expired."'
    )
    assert json_body(expired)["code"] == "token_expired"
    denied = get(client, "/admin", errors.issue(app, scope={"admin": False}))
    assert denied.status_code == 403
    assert json_body(denied) == {
        "status": 403,
        "error": "insufficient_scope",
        "code": "insufficient_scope",
        "message": "The token lacks a required scope.",
    }
    assert get(client, "/admin", errors.issue(app, scope={"admin": True})).status_code == 200


def test_custom_error_handlers() -> None:
    app = errors.create_app(custom_handlers=True)
    client = app.test_client()
    missing = get(client, "/admin")
    assert missing.status_code == 401
    assert json_body(missing) == {
        "detail": "A bearer token is required.",
        "problem": "token_missing",
    }
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    denied = get(client, "/admin", errors.issue(app, scope=None))
    assert denied.status_code == 403
    assert json_body(denied) == {
        "detail": "Ask an admin for access.",
        "problem": "insufficient_scope",
    }
    assert denied.headers["WWW-Authenticate"].startswith('Bearer error="insufficient_scope"')


def test_an_apps_own_error_code() -> None:
    app = errors.create_app(custom_handlers=False)
    client = app.test_client()
    denied = get(client, "/workspace", errors.issue(app, scope=None, suspended=True))
    assert denied.status_code == 403
    assert json_body(denied) == {
        "status": 403,
        "error": "insufficient_scope",
        "code": "tenant_suspended",
        "message": "This workspace is suspended; contact billing.",
    }
    assert denied.headers["WWW-Authenticate"] == (
        'Bearer error="insufficient_scope", '
        'error_description="This workspace is suspended; contact billing."'
    )
    allowed = get(client, "/workspace", errors.issue(app, scope=None))
    assert json_body(allowed) == {"workspace": "alice"}
    with_handlers = errors.create_app(custom_handlers=True).test_client()
    handled = get(with_handlers, "/workspace", errors.issue(app, scope=None, suspended=True))
    assert json_body(handled)["problem"] == "tenant_suspended"


def test_errors_page_lists_every_built_in_code() -> None:
    text = (DOCS / "errors.rst").read_text(encoding="utf-8")
    table = text.split("The codes\n---------", 1)[1].split("\nThe ``message``", 1)[0]
    header, *documented = re.findall(r"^   \* - ``(\w+)``$", table, flags=re.MULTILINE)
    assert header == "code"
    assert sorted(documented) == sorted(get_args(ErrorCode))
    assert len(documented) == len(set(documented))


def test_status_code_handler() -> None:
    app = errors.create_app(custom_handlers=False)
    errors.register_status_handler(app)
    response = get(app.test_client(), "/admin", "garbage")
    assert response.status_code == 401
    assert json_body(response) == {"message": "Please log in."}


def _documented_tree() -> list[tuple[int, str]]:
    text = (DOCS / "errors.rst").read_text(encoding="utf-8")
    block = text.split(".. code-block:: text", 1)[1].split("\n\nAll are importable", 1)[0]
    entries: list[tuple[int, str]] = []
    for line in block.splitlines():
        match = re.match(r"^   ([│├└─ ]*)(\w+)", line)
        if match:
            entries.append((len(match.group(1)) // 4, match.group(2)))
    return entries


def test_errors_page_tree_is_the_class_hierarchy() -> None:
    entries = _documented_tree()
    assert entries[0] == (0, "FlaskPyJWTError")
    parents: dict[int, str] = {}
    documented: set[str] = set()
    for depth, name in entries:
        parents[depth] = name
        documented.add(name)
        cls = getattr(flask_pyjwt.errors, name)
        assert isinstance(cls, type)
        if depth:
            assert getattr(flask_pyjwt.errors, parents[depth - 1]) in cls.__bases__, name
    public_errors = {
        name
        for name in flask_pyjwt.errors.__all__
        if isinstance(getattr(flask_pyjwt.errors, name), type)
        and issubclass(getattr(flask_pyjwt.errors, name), FlaskPyJWTError)
    }
    assert documented == public_errors


# -- asymmetric keys -----------------------------------------------------------------


def test_issuer_and_verify_only_api() -> None:
    private_pem, public_pem = asymmetric.new_key_pair()
    token = json_body(asymmetric.create_issuer(private_pem).test_client().post("/login"))
    api = asymmetric.create_api(public_pem)
    response = get(api.test_client(), "/orders", str(token["auth_token"]))
    assert json_body(response) == {"orders_of": "alice"}
    with api.app_context(), pytest.raises(MissingSignerError):
        flask_pyjwt_manager(api).auth_token("alice")
    _, other_public = asymmetric.new_key_pair()
    stranger = asymmetric.create_api(other_public).test_client()
    refused = get(stranger, "/orders", str(token["auth_token"]))
    # The token names its key (the thumbprint of the issuer's public key): not this one.
    assert json_body(refused)["code"] == "unknown_key"


def flask_pyjwt_manager(app: Flask) -> AuthManager:
    state: object = app.extensions["flask_pyjwt"]
    manager: object = getattr(state, "manager")  # noqa: B009 - reads the private state
    assert isinstance(manager, AuthManager)
    # isinstance leaves pyright the manager's user class Unknown; these serve strings.
    return cast("AuthManager", manager)


def test_key_rotation() -> None:
    old_private, old_public = asymmetric.new_key_pair()
    new_private, new_public = asymmetric.new_key_pair()
    old_token = json_body(
        asymmetric.create_issuer(old_private, key_id="2025-01").test_client().post("/login")
    )["auth_token"]
    unlabelled = json_body(asymmetric.create_issuer(old_private).test_client().post("/login"))
    rotating = asymmetric.create_rotating_issuer(old_public, new_private, new_public)
    client = rotating.test_client()
    assert json_body(get(client, "/orders", str(old_token))) == {
        "orders_of": "alice",
        "kid": "2025-01",
    }
    new_token = str(json_body(client.post("/login"))["auth_token"])
    assert json_body(get(client, "/orders", new_token))["kid"] == "2026-01"
    no_kid = get(client, "/orders", str(unlabelled["auth_token"]))
    assert json_body(no_kid)["code"] == "unknown_key"


def test_custom_verifier_alone_makes_a_verify_only_app() -> None:
    # What the note on the asymmetric page says; update the note if this changes.
    private, old_public = asymmetric.new_key_pair()
    app = Flask("verifier_only")
    app.config["JWT_ISSUER"] = "x"  # no JWT_AUTHTYPE, JWT_SECRET or JWT_PUBLICKEY needed
    verifier = flask_pyjwt.KeySetVerifier(
        [flask_pyjwt.KeyVerifier("ES256", old_public, key_id="a")]
    )
    manager = AuthManager(app, verifier=verifier)
    with app.app_context(), pytest.raises(MissingSignerError):
        manager.auth_token("alice")
    issuing = Flask("issuing")
    issuing.config.from_mapping(
        JWT_ISSUER="x", JWT_AUTHTYPE="ES256", JWT_SECRET=private, JWT_KEY_ID="a"
    )
    issuer = AuthManager(issuing, verifier=verifier)  # JWT_SECRET set: it issues too
    with issuing.app_context():
        token = issuer.auth_token("alice")
    with app.app_context():
        assert manager.verify_token(token.signed)


# -- keys and rotation, identity providers ------------------------------------------


def _ec_private_jwk(kid: str) -> dict[str, str]:
    private = ec.generate_private_key(ec.SECP256R1())
    numbers = private.private_numbers()

    def b64(value: int) -> str:
        return base64.urlsafe_b64encode(value.to_bytes(32, "big")).rstrip(b"=").decode()

    return {"kty": "EC", "crv": "P-256", "kid": kid, "x": b64(numbers.public_numbers.x),
            "y": b64(numbers.public_numbers.y), "d": b64(numbers.private_value)}  # fmt: skip


def test_keys_published_by_the_route_verify_in_joserfc() -> None:
    private_pem, _ = asymmetric.new_key_pair()
    client = keys.create_issuer(private_pem).test_client()
    published = client.get("/.well-known/jwks.json")
    assert published.headers["Cache-Control"] == "public, max-age=300"
    assert published.get_json() == client.get("/keys").get_json()
    token = str(json_body(client.post("/login"))["auth_token"])
    decoded = jwt.decode(token, joserfc_key_set(json_body(published)), algorithms=["ES256"])
    assert decoded.claims["scope"] == "orders:read"


def test_keys_rotation_steps() -> None:
    old, new = _ec_private_jwk("2025-01"), _ec_private_jwk("2026-01")
    old_public = {name: value for name, value in old.items() if name != "d"}
    new_public = {name: value for name, value in new.items() if name != "d"}

    def login(app: Flask) -> str:
        return str(json_body(app.test_client().post("/login"))["auth_token"])

    def whoami(app: Flask, token: str) -> dict[str, Any]:
        return json_body(get(app.test_client(), "/whoami", token))

    old_token = login(keys.create_service(old, old_public))
    step1 = keys.create_service(old, old_public, new_public)
    assert whoami(step1, old_token)["kid"] == "2025-01"
    step2 = keys.create_service(new, old_public, new_public)
    new_token = login(step2)
    assert whoami(step2, old_token)["kid"] == "2025-01"
    assert whoami(step2, new_token)["kid"] == "2026-01"
    step3 = keys.create_service(new, new_public)
    assert whoami(step3, new_token) == {"sub": "alice", "kid": "2026-01"}
    assert whoami(step3, old_token)["code"] == "unknown_key"


def test_identity_provider_examples() -> None:
    auth0 = identity_provider.auth0_config("acme", "https://orders.acme.test")
    assert auth0["JWT_JWKS_URL"] == "https://acme.auth0.com/.well-known/jwks.json"
    with running_idp("k1") as idp:
        base = idp.url.removesuffix("/.well-known/jwks.json")
        config = identity_provider.keycloak_config(base, "shop", "orders-api")
        app = identity_provider.create_app(config)
        assert idp.hits == 0
        token = idp.token("k1", iss=f"{base}/realms/shop", aud="orders-api")
        assert json_body(get(app.test_client(), "/orders", token)) == {"orders_of": "user-42"}
        no_scope = idp.token("k1", iss=f"{base}/realms/shop", scope="profile")
        assert get(app.test_client(), "/orders", no_scope).status_code == 403
        # Auth0's documented settings, pointed at the stand-in, accept both of its token
        # profiles: "Auth0" (the default, typ JWT) and "RFC 9068" (typ at+jwt).
        auth0 = identity_provider.auth0_config("acme", "orders-api") | {"JWT_JWKS_URL": idp.url}
        auth0_client = identity_provider.create_app(auth0).test_client()
        issuer = "https://acme.auth0.com/"
        default_profile = idp.token("k1", iss=issuer, header={"typ": "JWT"})
        rfc9068_profile = idp.token("k1", iss=issuer)
        for token in (default_profile, rfc9068_profile):
            assert json_body(get(auth0_client, "/orders", token)) == {"orders_of": "user-42"}
        # Any other typ is still refused (a refresh or DPoP token is no access token).
        other = idp.token("k1", iss=issuer, header={"typ": "dpop+jwt"})
        assert json_body(get(auth0_client, "/orders", other))["code"] == "token_type_invalid"
        # JWT_REQUIRE_AT_JWT is the opt-in for a tenant whose APIs all use RFC 9068.
        strict = identity_provider.create_app(auth0 | {"JWT_REQUIRE_AT_JWT": True})
        refused = json_body(get(strict.test_client(), "/orders", default_profile))
        assert refused["code"] == "token_type_invalid"
        assert get(strict.test_client(), "/orders", rfc9068_profile).status_code == 200
        # Entra ID: a v1.0 token's issuer is sts.windows.net, a v2.0 token's
        # login.microsoftonline.com; both type their tokens JWT and put scopes in scp.
        tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
        for version, issuer, audience in (
            (1, f"https://sts.windows.net/{tenant}/", "api://orders"),
            (2, f"https://login.microsoftonline.com/{tenant}/v2.0", "6e74172b-be56-4843"),
        ):
            entra = identity_provider.entra_config(tenant, audience, token_version=version)
            assert entra["JWT_ISSUER"] == issuer
            entra_client = identity_provider.create_app(entra | {"JWT_JWKS_URL": idp.url})
            entra_token = idp.token(
                "k1", header={"typ": "JWT"}, iss=issuer, aud=audience, drop=("scope",),
                scp="orders:read",
            )  # fmt: skip
            response = get(entra_client.test_client(), "/orders", entra_token)
            assert json_body(response) == {"orders_of": "user-42"}
        v2_app = identity_provider.create_app(
            identity_provider.entra_config(tenant, "api://orders") | {"JWT_JWKS_URL": idp.url}
        )
        v1_token = idp.token(
            "k1", header={"typ": "JWT"}, iss=f"https://sts.windows.net/{tenant}/",
            aud="api://orders",
        )  # fmt: skip
        assert json_body(get(v2_app.test_client(), "/orders", v1_token))["code"] == "claim_invalid"


def test_provider_examples() -> None:
    made = providers.presets()
    assert [provider.name for provider in made] == [
        "auth0", "keycloak", "okta", "entra", "google", "cognito", "google_iap",
        "cloudflare_access",
    ]  # fmt: skip
    assert made[3].issuer == "https://login.microsoftonline.com/{tid}/v2.0"
    with running_idp("k1") as idp:
        corp = dataclasses.replace(providers.corp, jwks_url=idp.url)
        google = dataclasses.replace(made[4], jwks_url=idp.url)
        app = providers.create_app([corp, google])
        providers.register_role_routes(app)
        client = app.test_client()
        assert idp.hits == 0
        own = client.post("/login").get_json()["token"]
        corp_token = idp.token("k1", iss="https://idp.corp.example/", aud="orders-api")
        google_token = idp.token(
            "k1", iss="accounts.google.com", aud="1234-abc.apps.googleusercontent.com",
            scope="orders:read", sub="g-1",
        )  # fmt: skip
        for token, via, sub in ((own, "self", "alice"), (corp_token, "corp", "user-42"),
                                (google_token, "google", "g-1")):  # fmt: skip
            assert json_body(get(client, "/orders", token)) == {"orders_of": sub, "via": via}
        assert json_body(get(client, "/staff", corp_token)) == {"staff": "user-42"}
        for token in (own, google_token):
            assert json_body(get(client, "/staff", token))["code"] == "claim_invalid"
        daemon = idp.token("k1", iss="https://idp.corp.example/", aud="orders-api",
                           roles=["Reports.Read"])  # fmt: skip
        assert get(client, "/reports", daemon).status_code == 200
        assert get(client, "/reports", corp_token).status_code == 403
        admin = idp.token("k1", iss="https://idp.corp.example/", aud="orders-api",
                          realm_access={"roles": ["admin"]})  # fmt: skip
        assert get(client, "/realm-admin", admin).status_code == 200
        assert get(client, "/realm-admin", corp_token).status_code == 403
        # Discovery: nothing read until a token arrives, then the document and the keys.
        idp.discovery = {"issuer": idp.base_url, "jwks_uri": idp.url}
        hits = idp.hits
        found = providers.create_app([providers.discovered(idp.base_url)])
        assert idp.hits == hits
        token = idp.token("k1", iss=idp.base_url, aud="orders-api")
        assert json_body(get(found.test_client(), "/orders", token))["via"] == "corp"
        assert idp.hits == hits + 2


# -- custom signers and verifiers ----------------------------------------------------


def test_kms_signer_and_verifier() -> None:
    fake_kms = kms.FakeKMS()
    app = kms.create_app(fake_kms)
    client = app.test_client()
    token = str(json_body(client.post("/login"))["auth_token"])
    assert fake_kms.calls == 1
    with app.app_context():
        verified = flask_pyjwt_manager(app).convert_token(token, "auth")
    assert isinstance(verified, AuthToken)
    assert verified.header == {"alg": "ES256", "typ": "at+jwt", "kid": "jwt-signing-2026"}
    assert json_body(get(client, "/me", token)) == {"sub": "alice", "alg": "ES256"}
    now = int(time.time())
    claims = {"iss": "kms-example", "sub": "mallory", "iat": now, "exp": now + 60}
    claims |= {"jti": "j", "type": "auth"}
    forged = forge(
        {"alg": "ES256", "typ": "at+jwt", "kid": "jwt-signing-2026"}, claims, algorithm="ES256"
    )
    assert json_body(get(client, "/me", forged))["code"] == "signature_invalid"
    other_kid = forge({"alg": "ES256", "typ": "at+jwt", "kid": "other"}, claims, algorithm="ES256")
    assert json_body(get(client, "/me", other_kid))["code"] == "unknown_key"
    hmac_token = forge({"alg": "HS256", "typ": "at+jwt", "kid": "jwt-signing-2026"}, claims)
    assert json_body(get(client, "/me", hmac_token))["code"] == "algorithm_not_allowed"
    assert "SignatureInvalidError" in kms.__all__


# -- async views ---------------------------------------------------------------------


def test_async_view() -> None:
    assert inspect.iscoroutinefunction(async_views.orders)
    client = async_views.app.test_client()
    app, manager = async_views.app, async_views.auth_manager
    token = issue(app, manager, "alice", "orders:read")
    response = get(client, "/users/alice/orders", token)
    assert json_body(response) == {"orders": ["order-1-of-alice", "order-2-of-alice"]}
    assert get(client, "/users/bob/orders", token).status_code == 403
    assert get(client, "/users/alice/orders", issue(app, manager, "alice")).status_code == 403
    assert get(client, "/users/alice/orders").status_code == 401


# -- configuration -------------------------------------------------------------------


def test_factory_serves_several_apps() -> None:
    config: dict[str, object] = {
        "JWT_AUTHTYPE": "HS256",
        "JWT_SECRET": "a-32-byte-or-longer-secret-for-hs256!",
    }
    first, second = factory.create_app(config), factory.create_app(config)
    for app in (first, second):
        with app.app_context():
            token = factory.auth_manager.auth_token("alice").signed
        assert json_body(get(app.test_client(), "/me", token)) == {"sub": "alice"}


def test_factory_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JWT_AUTHTYPE", "HS384")
    monkeypatch.setenv("JWT_SECRET", "s" * 48)
    app = factory.create_app()
    with app.app_context():
        assert factory.auth_manager.auth_token("alice").alg == "HS384"


def test_factory_warnings_as_errors() -> None:
    with warnings.catch_warnings():
        factory.warnings_as_errors()
        with pytest.raises(IgnoredConfigWarning, match="JWT_SECRET_KEY"):
            factory.create_app({"JWT_AUTHTYPE": "HS256", "JWT_SECRET_KEY": "s" * 32})
        with pytest.raises(WeakSecretWarning):
            factory.create_app({"JWT_AUTHTYPE": "HS256", "JWT_SECRET": "short"})


def test_dotenv(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "JWT_ISSUER=from-dotenv\nJWT_AUTHTYPE=HS256\nJWT_SECRET=" + "d" * 32 + "\n"
        "JWT_AUTHMAXAGE=60\n"
    )
    before = dict(os.environ)
    app = factory.create_app_from_dotenv(dotenv)
    assert dict(os.environ) == before
    with app.app_context():
        token = flask_pyjwt_manager(app).auth_token("alice")
    assert (token.iss, token.max_age) == ("from-dotenv", 60)
    with pytest.raises(InvalidConfigError) as raised:
        factory.create_app_from_dotenv(tmp_path / "missing.env")
    assert raised.value.key == "dotenv_path"


@pytest.mark.parametrize("case", config_errors.CASES, ids=lambda case: f"{case.key}-{case.shown}")
def test_configuration_error_tables(case: config_errors.Case) -> None:
    raised, message = config_errors.outcome(case)
    assert raised is case.expected
    # A development spelling's error names that spelling, in its new name's table.
    old_names = [old for old, new in RENAMED_KEYS.items() if new == case.key]
    assert message.startswith(tuple(f"{key}: " for key in (case.key, *old_names)))
    assert "a-32-byte-or-longer-secret" not in message


def test_every_config_key_has_an_entry_and_an_error_table() -> None:
    page = (DOCS / "configuration.rst").read_text(encoding="utf-8")
    for key in CONFIG_KEYS:
        assert f"\n``{key}``\n" in page
        assert f".. include:: _generated/config-errors-{key}.rst" in page
        assert any(case.key == key for case in config_errors.CASES), key


def test_config_defaults_stated_in_the_docs() -> None:
    app = Flask("defaults")
    for key, value in config_errors.BASE.items():
        app.config[key] = value
    with app.app_context():
        AuthManager(app)
        settings = settings_of(app)
    assert (settings.auth_max_age, settings.refresh_max_age) == (3600, 604800)
    assert (settings.leeway, settings.max_token_length) == (0, 8192)
    assert (settings.audience, settings.key_id, settings.require_strong_secret) == (
        None,
        None,
        False,
    )


# -- migration -----------------------------------------------------------------------


def test_migration_convert_token() -> None:
    app, manager = migration.app, migration.auth_manager
    token = issue(app, manager, "alice")
    with app.app_context():
        assert isinstance(migration.read_token(token), AuthToken)
        assert migration.read_token(token + "x") is None
        assert migration.read_token("not a token") is None


def test_migration_flask_jwt_extended_flow() -> None:
    client = migration.app.test_client()
    bad = client.post("/login", data={"username": "test", "password": "nope"})
    assert bad.status_code == 401
    tokens_ = json_body(client.post("/login", data={"username": "test", "password": "test"}))
    access, refresh = str(tokens_["access_token"]), str(tokens_["refresh_token"])
    protected = json_body(get(client, "/protected", access))
    assert protected["logged_in_as"] == "test"
    assert protected["claims"]["department"] == "sales"
    assert client.post("/refresh", headers=bearer(access)).status_code == 401
    renewed = json_body(client.post("/refresh", headers=bearer(refresh)))["access_token"]
    assert get(client, "/protected", str(renewed)).status_code == 200


# -- the CLI page --------------------------------------------------------------------


def test_cli_session_transcripts() -> None:
    session = cli_session.session()
    for name, steps in session.items():
        for step in steps:
            expected = 1 if name.endswith(("errors", "rejected")) else 0
            assert step.exit_code == expected, step
            assert "Traceback" not in step.output
    assert session["rejected"][0].output.startswith("Error: token rejected (signature_invalid)")
    assert session["inspect"][0].output.startswith("Valid auth token for 'alice'")


# -- the docs' machinery -------------------------------------------------------------

_INCLUDE = re.compile(r"^\.\. literalinclude:: (\S+)$", re.MULTILINE)


def _pages() -> Iterator[Path]:
    return iter(sorted(DOCS.glob("*.rst")))


# The pages whose examples this module runs. security, performance and typing are
# written alongside their own suites (tests/security, benchmarks, tests/type_check).
OWN_PAGES = frozenset(
    {
        "api", "asymmetric", "async", "browser", "changelog", "cli", "configuration",
        "current_token", "custom_signers", "dpop", "errors", "identity_providers", "index",
        "installation", "keys", "migration", "quickstart", "require_token", "revocation",
        "tokens", "testing", "observability", "openapi",
    }
)  # fmt: skip


def test_python_examples_are_included_files() -> None:
    assert {page.stem for page in _pages()} >= OWN_PAGES
    for page in _pages():
        if page.stem not in OWN_PAGES:
            continue
        text = page.read_text(encoding="utf-8")
        assert ".. code-block:: python" not in text, page.name
        assert ".. code:: python" not in text, page.name
        assert "\n>>> " not in text, page.name


def _examples_used_by_tests() -> set[str]:
    """The docs example modules that some test (or a fixture of one) in this file uses.

    Read from the syntax tree of this file: a name counts where a test or fixture
    function's body refers to it, not where it is imported.
    """
    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    used: set[str] = set()
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        is_fixture = any("fixture" in ast.unparse(decorator) for decorator in node.decorator_list)
        if not (node.name.startswith("test_") or is_fixture):
            continue
        walked = [*ast.walk(node)]
        used |= {child.id for child in walked if isinstance(child, ast.Name)}
    return used


def test_every_included_file_exists_and_is_tested() -> None:
    used = _examples_used_by_tests()
    included: set[Path] = set()
    for page in _pages():
        for target in _INCLUDE.findall(page.read_text(encoding="utf-8")):
            path = (DOCS / target).resolve()
            assert path.is_file(), (page.name, target)
            included.add(path)
    for path in included:
        if path.parent == DOCS / "examples":
            assert path.stem in used, f"no test in this file uses docs/examples/{path.name}"
        else:
            # examples/ is run by its own tests, tests/ by pytest or the type checkers,
            # docs/typing_demo/ by the type checkers in tests/type_check/test_typing_page.py.
            assert any(
                path.is_relative_to(ROOT / place)
                for place in ("examples", "tests", "docs/typing_demo")
            ), path
    examples = {path.resolve() for path in (DOCS / "examples").glob("*.py")}
    rendered = {
        "config_errors", "matching", "cli_session", "generated", "__init__", "telemetry_demo",
    }  # fmt: skip
    assert {path.stem for path in examples - included} <= rendered


def test_generated_includes(tmp_path: Path) -> None:
    generated.write_all(tmp_path)
    names = {path.name for path in tmp_path.iterdir()}
    assert "matching-table.rst" in names
    assert "error-responses.rst" in names
    assert {f"config-errors-{key}.rst" for key in CONFIG_KEYS} <= names
    table = (tmp_path / "matching-table.rst").read_text(encoding="utf-8")
    assert table.count("✅ 200") == sum(case.expected == 200 for case in matching.CASES)


def _inventory_lines(data: bytes) -> list[str]:
    head, _, rest = data.partition(b"zlib.\n")
    assert head.startswith(b"# Sphinx inventory version 2\n")
    return zlib.decompress(rest).decode("utf-8").splitlines()


@pytest.mark.skipif(
    not hasattr(InventoryFile, "loads"),
    reason="Sphinx < 8.2 (the last for Python 3.10); make docs builds with Sphinx 9",
)
@pytest.mark.parametrize("name", sorted(make_inventories.PROJECTS))
def test_inventories_are_current(name: str) -> None:
    committed = (DOCS / "_inventories" / f"{name}.inv").read_bytes()
    expected = make_inventories.render(make_inventories.PROJECTS[name])
    assert _inventory_lines(committed) == _inventory_lines(expected), (
        "run: .venv/bin/python docs/_inventories/make_inventories.py"
    )
    project = make_inventories.PROJECTS[name]
    inventory = InventoryFile.loads(committed, uri=project.base_url)
    for entry in project.entries:
        item = inventory.data[entry.role][entry.name]
        assert item.uri.startswith(project.base_url)
        assert "$" not in item.uri


def test_revocation_logout_rotation_and_logout_everywhere() -> None:
    client = revocation.app.test_client()

    def pair(user: str) -> tuple[str, str]:
        body = json_body(client.post("/login", data={"username": user}))
        return str(body["auth_token"]), str(body["refresh_token"])

    auth, refresh = pair("alice")
    assert get(client, "/me", auth).status_code == 200
    rotated = json_body(client.post("/refresh", headers=bearer(refresh)))
    replay = client.post("/refresh", headers=bearer(refresh))
    assert json_body(replay)["code"] == "refresh_token_reused"
    assert json_body(get(client, "/me", str(rotated["auth_token"])))["code"] == "token_revoked"

    auth, refresh = pair("bob")
    assert client.post("/logout", headers=bearer(refresh)).status_code == 200
    assert json_body(get(client, "/me", auth))["code"] == "token_revoked"
    assert get(client, "/status", auth).status_code == 200  # check_revocation=False

    phone, _ = pair("alice")
    laptop, _ = pair("alice")
    assert client.post("/password", headers=bearer(laptop)).status_code == 200
    assert json_body(get(client, "/me", phone))["code"] == "token_revoked"


def test_revocation_fail_fast_client(redis: RedisServer) -> None:
    store = revocation.shared_store("127.0.0.1", redis.port)
    store.revoke_subject("alice", issued_before=1, ttl=60)
    assert sorted(redis.ttls()) == ["my-api:{alice}:sub"]
    redis.stop()
    started = time.monotonic()
    with pytest.raises(RevocationUnavailableError):
        store.revoke_subject("alice", issued_before=2, ttl=60)
    assert time.monotonic() - started < 1.0


# -- sender-constrained tokens (dpop.rst) ---------------------------------------------

DPOP_BASE = "https://api.example.com"


def test_dpop_client_logs_in_reads_and_refreshes() -> None:
    client = dpop.app.test_client()
    keys = dpop.DPoPClient()
    login = client.post(
        "/login", headers={"DPoP": keys.proof("POST", f"{DPOP_BASE}/login")}, base_url=DPOP_BASE
    )
    tokens = json_body(login)
    headers = keys.headers("GET", f"{DPOP_BASE}/orders", tokens["auth_token"])
    assert json_body(client.get("/orders", headers=headers, base_url=DPOP_BASE)) == {
        "orders": ["o-1", "o-2"]
    }
    # the same request again: a replayed proof
    assert client.get("/orders", headers=headers, base_url=DPOP_BASE).status_code == 401
    # a bearer token of the same user is refused on the DPoP-only route
    bare = client.post("/login", base_url=DPOP_BASE)
    refused = client.get(
        "/orders",
        headers={"Authorization": f"Bearer {json_body(bare)['auth_token']}"},
        base_url=DPOP_BASE,
    )
    assert json_body(refused)["code"] == "dpop_required"
    assert refused.headers["WWW-Authenticate"].endswith(
        'resource_metadata="https://api.example.com/.well-known/oauth-protected-resource"'
    )
    rotated = client.post(
        "/refresh",
        headers=keys.headers("POST", f"{DPOP_BASE}/refresh", tokens["refresh_token"]),
        base_url=DPOP_BASE,
    )
    new_auth = json_body(rotated)["auth_token"]
    assert (
        client.get(
            "/orders",
            headers=keys.headers("GET", f"{DPOP_BASE}/orders", new_auth),
            base_url=DPOP_BASE,
        ).status_code
        == 200
    )
    # another key cannot use the token
    thief = dpop.DPoPClient()
    stolen = client.get(
        "/orders", headers=thief.headers("GET", f"{DPOP_BASE}/orders", new_auth), base_url=DPOP_BASE
    )
    assert json_body(stolen)["code"] == "invalid_dpop_proof"


def test_dpop_metadata_the_page_shows() -> None:
    body = json_body(
        dpop.app.test_client().get("/.well-known/oauth-protected-resource", base_url=DPOP_BASE)
    )
    assert body == {
        "resource": "https://api.example.com",
        "authorization_servers": ["https://api.example.com"],
        "scopes_supported": ["read"],
        "bearer_methods_supported": ["header"],
        "dpop_signing_alg_values_supported": [a.value for a in AuthType if not a.is_symmetric],
        "dpop_bound_access_tokens_required": False,
    }  # fmt: skip


# -- docs/examples/extended.py: issue 21's patterns -----------------------------------


def _extended_login() -> str:
    response = extended.app.test_client().post("/login")
    assert response.status_code == 200
    token = json_body(response)["auth_token"]
    assert isinstance(token, str)
    return token


def test_login_with_a_user_object_and_logout_with_either_kind() -> None:
    token = _extended_login()
    with extended.app.app_context():
        verified = extended.auth_manager.convert_token(token, "auth")
        refresh = extended.auth_manager.refresh_token(extended.USERS[7])
    assert (verified.sub, verified.claims["admin"]) == ("7", True)
    client = extended.app.test_client()
    bye = client.post("/logout", headers={"Authorization": f"Bearer {token}"})
    assert json_body(bye) == {"logged_out": "auth"}
    bye = client.post("/logout", headers={"Authorization": f"Bearer {refresh.signed}"})
    assert json_body(bye) == {"logged_out": "refresh"}
    # Refusal: the revoked auth token no longer logs out.
    again = client.post("/logout", headers={"Authorization": f"Bearer {token}"})
    assert (again.status_code, json_body(again)) == (401, {"code": "token_revoked"})


def _extended_expired(key: bytes | None = None) -> str:
    now = int(time.time())  # the example app runs on the real clock
    claims = {"iss": "extended-example", "sub": "7", "type": "auth", "jti": "k" * 22,
              "iat": now - 7200, "exp": now - 3600}  # fmt: skip
    secret = b"a-32-byte-or-longer-secret-for-hs256!"
    header = {"alg": "HS256", "typ": "at+jwt", "kid": hmac_kid(secret)}
    assert header["kid"] != HMAC_KID  # this example's own secret
    return forge(header, claims, key=key or secret)


def test_an_expired_token_is_read_on_purpose_and_shown_to_the_handler() -> None:
    client = extended.app.test_client()
    token = _extended_expired()
    again = client.post("/refresh-after-expiry", data=token)
    assert again.status_code == 200
    assert json_body(again)["was_expired"] == "True"
    seen = client.post("/logout", headers={"Authorization": f"Bearer {token}"})
    assert (seen.status_code, json_body(seen)) == (
        401,
        {"code": "token_expired", "hint": "welcome back, user 7"},
    )
    # Refusal: a forged one (another key) is neither read nor shown.
    forged = _extended_expired(key=b"not-the-example-secret-but-long-enough!!")
    refused = client.post("/logout", headers={"Authorization": f"Bearer {forged}"})
    assert json_body(refused) == {"code": "signature_invalid"}
    refused = client.post("/refresh-after-expiry", data=forged)
    assert json_body(refused) == {"code": "signature_invalid"}


def test_the_proxy_header_configuration() -> None:
    app = extended.proxied
    configure(app, {"JWT_ISSUER": "proxy", "JWT_AUTHTYPE": "HS256", "JWT_SECRET": "s" * 40})
    manager = AuthManager(app)

    with app.app_context():
        token = manager.auth_token("alice").signed

    @app.get("/private")
    @require_token()
    def private() -> str:
        return "ok"

    client = app.test_client()
    assert client.get("/private", headers={"Cf-Access-Jwt-Assertion": token}).status_code == 200
    refused = client.get("/private", headers={"Authorization": f"Bearer {token}"})
    assert (refused.status_code, json_body(refused)["code"]) == (401, "token_missing")


# -- observability and OpenAPI (observability.rst, openapi.rst) ---------------------------


def test_signals_alert_on_reuse_and_audit_refusals(caplog: pytest.LogCaptureFixture) -> None:
    app = signals.create_app()

    @app.post("/refresh")
    @require_token("refresh")
    def refresh() -> dict[str, str]:
        return {"sub": current_token.sub}

    manager = cast("AuthManager", app.extensions["pyjwt_authmanager"])
    with app.app_context():
        first = manager.refresh_token("alice")
        manager.rotate(first)
    client = app.test_client()
    with caplog.at_level(logging.INFO, logger="security"):
        assert (
            client.post("/refresh", headers={"Authorization": f"Bearer {first.signed}"}).status_code
            == 401
        )
        assert client.post("/refresh").status_code == 401
    messages = [record.getMessage() for record in caplog.records if record.name == "security"]
    assert messages == [
        f"refresh token reuse: subject alice, session {first.sid} revoked",
        "refused: 401 refresh_token_reused (token from header)",
        "refused: 401 token_missing (token from None)",
    ]
    assert all(first.signed.split(".")[2] not in message for message in messages)


@pytest.mark.slow  # the API's global providers are set once per process: a subprocess
def test_otel_setup_records_from_the_first_request() -> None:
    code = """
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from docs.examples.otel_setup import create_app
from flask_pyjwt import require_token
reader = InMemoryMetricReader()
app = create_app(reader, SimpleSpanProcessor(InMemorySpanExporter()))
@app.route("/me")
@require_token()
def me(): return {}
assert app.test_client().get("/me").status_code == 401
data = reader.get_metrics_data()
print(sorted({m.name for r in data.resource_metrics for s in r.scope_metrics for m in s.metrics}))
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False,
        timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "flask_pyjwt.requests" in result.stdout
    assert otel_setup.create_app.__name__ == "create_app"


def test_openapi_document_of_the_demo_app() -> None:
    from openapi_spec_validator import validate

    from examples.app import create_app

    document = openapi.openapi_document(create_app())
    validate(document)
    paths = document["paths"]
    assert isinstance(paths, dict)
    assert paths["/admin"]["get"]["security"] == [{"jwtBearer": ["admin"]}]
