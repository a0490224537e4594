"""The attack harness: a real Flask app whose views record every call, a fixed clock,
claim builders and one assertion that checks a refusal completely.

Every attack test sends its request through ``app.test_client()`` and checks the exact
status, the RFC 6750 ``WWW-Authenticate`` challenge, the JSON error ``code`` and that no
view ran.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal, cast

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from flask_pyjwt import AuthManager, Exact, Verifier, current_token, require_token
from tests.support import ISSUER, config_for

NOW: Final = 1_900_000_000
"""The fixed time of every harness app (seconds since the epoch)."""

MEDIA_TYPES: Final = {"auth": "at+jwt", "refresh": "refresh+jwt"}

ALGORITHMS: Final = (
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
    "ES256", "ES384", "ES512", "EdDSA",
)  # fmt: skip


@dataclass(frozen=True)
class Address:
    """A nested claims shape."""

    city: str
    zip_code: str | None = None


@dataclass(frozen=True)
class Profile:
    """The claims shape of the harness's ``claims_as`` routes: one field of each kind."""

    tenant: str
    roles: tuple[str, ...] = ()
    ratio: float = 1.0
    plan: Literal["free", "pro"] = "free"
    labels: Mapping[str, int] = field(default_factory=dict[str, int])
    address: Address | None = None


class _Missing:
    """Marks a claim to leave out of a built payload."""


DROP: Final = _Missing()


def claims(kind: str = "auth", /, **overrides: object) -> dict[str, object]:
    """A complete, valid payload for ``kind`` at :data:`NOW`; ``DROP`` removes a claim."""
    payload: dict[str, object] = {
        "iss": ISSUER,
        "sub": "alice",
        "iat": NOW,
        "exp": NOW + 600,
        "jti": "jti-1",
        "type": kind,
    }
    if kind == "refresh":
        payload["rid"] = "rid-1"
    payload.update(overrides)
    return {key: value for key, value in payload.items() if value is not DROP}


def header(alg: object = "HS256", /, **extra: object) -> dict[str, object]:
    """An auth token's protected header for ``alg``; ``DROP`` removes a parameter."""
    fields: dict[str, object] = {"alg": alg, "typ": MEDIA_TYPES["auth"]}
    fields.update(extra)
    return {key: value for key, value in fields.items() if value is not DROP}


@dataclass
class Harness:
    """An app with one protected view per policy; ``calls`` lists the views that ran."""

    app: Flask
    manager: AuthManager
    calls: list[str] = field(default_factory=list[str])

    @property
    def client(self) -> FlaskClient:
        return self.app.test_client()

    def get(
        self,
        path: str = "/auth",
        token: str | None = None,
        *,
        headers: Mapping[str, str] | list[tuple[str, str]] | None = None,
        cookie: str | None = None,
    ) -> TestResponse:
        """GET ``path`` with ``Authorization: Bearer <token>`` (or the given headers)."""
        client = self.client
        sent: list[tuple[str, str]] = []
        if token is not None:
            sent.append(("Authorization", f"Bearer {token}"))
        if isinstance(headers, Mapping):
            sent.extend(headers.items())
        elif headers is not None:
            sent.extend(headers)
        if cookie is not None:
            client.set_cookie("auth_token", cookie)
        return client.get(path, headers=sent)


def make_harness(
    alg: str = "HS256", *, verifier: Verifier | None = None, **config: object
) -> Harness:
    """A harness app for ``alg`` (valid config from ``tests.support``, overridden by
    ``config``), clocked at :data:`NOW`."""
    app = Flask(f"attack_{alg}")
    for key, value in {**config_for(alg), **config}.items():
        app.config[key] = value
    manager = AuthManager(app, clock=lambda: float(NOW), verifier=verifier)
    harness = Harness(app, manager)
    calls = harness.calls

    def ok(name: str) -> dict[str, object]:
        calls.append(name)
        return {"view": name, "sub": current_token.sub}

    @app.route("/auth")
    @require_token()
    def auth() -> dict[str, object]:
        return ok("auth")

    @app.route("/refresh")
    @require_token("refresh")
    def refresh() -> dict[str, object]:
        return ok("refresh")

    @app.route("/cookie")
    @require_token(location="cookies", cookie_name="auth_token")
    def cookie() -> dict[str, object]:
        return ok("cookie")

    @app.route("/admin")
    @require_token(scope={"admin": True})
    def admin() -> dict[str, object]:
        return ok("admin")

    @app.route("/nested")
    @require_token(scope={"admin": {"read": True, "write": True}, "team": "blue"})
    def nested() -> dict[str, object]:
        return ok("nested")

    @app.route("/oauth")
    @require_token(scope="read write")
    def oauth() -> dict[str, object]:
        return ok("oauth")

    @app.route("/scope-list")
    @require_token(scope=["read", "write"])
    def scope_list() -> dict[str, object]:
        return ok("scope-list")

    @app.route("/scope-objects")
    @require_token(scope=[{"role": "admin"}])
    def scope_objects() -> dict[str, object]:
        return ok("scope-objects")

    @app.route("/flag-true")
    @require_token(flag=True)
    def flag_true() -> dict[str, object]:
        return ok("flag-true")

    @app.route("/level-one")
    @require_token(level=1)
    def level_one() -> dict[str, object]:
        return ok("level-one")

    @app.route("/code-one")
    @require_token(code="1")
    def code_one() -> dict[str, object]:
        return ok("code-one")

    @app.route("/groups")
    @require_token(groups=["staff", "ops"])
    def groups() -> dict[str, object]:
        return ok("groups")

    @app.route("/null-claim")
    @require_token(gone=None)
    def null_claim() -> dict[str, object]:
        return ok("null-claim")

    @app.route("/users/<username>")
    @require_token(sub="username", override={"admin": True, "role": "root"})
    def users(username: str) -> dict[str, object]:
        return ok(f"users:{username}")

    @app.route("/typed")
    @require_token(claims_as=Profile)
    def typed() -> dict[str, object]:
        profile = current_token.claims_as(Profile)
        return {**ok("typed"), "ratio": profile.ratio, "labels": dict(profile.labels)}

    @app.route("/tenants/<tenant>")
    @require_token(
        scope="read",
        override={"root": True, "perms": {"all": [True]}},
        claims_as=Profile,
        tenant="tenant",
        role=Exact("tenant"),
    )
    def tenants(tenant: str) -> dict[str, object]:
        return ok(f"tenants:{tenant}")

    return harness


def json_body(response: TestResponse) -> dict[str, object]:
    """The response's JSON object."""
    data: object = json.loads(response.get_data(as_text=True))
    assert isinstance(data, dict)
    return cast("dict[str, object]", data)


def assert_refused(harness: Harness, response: TestResponse, status: int, code: str) -> None:
    """A complete refusal: status, RFC 6750 challenge, JSON code, and no view ran."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = json_body(response)
    assert body["code"] == code, body
    assert body["status"] == status
    assert response.headers["Content-Type"] == "application/json"
    challenge = response.headers["WWW-Authenticate"]
    if status == 401 and code == "token_missing":
        assert challenge == "Bearer"  # RFC 6750 3.1: no error code without a token
        assert body["error"] == "unauthorized"
    elif status == 401:
        assert challenge.startswith('Bearer error="invalid_token", error_description="')
        assert body["error"] == "invalid_token"
    else:
        assert status == 403
        assert challenge.startswith('Bearer error="insufficient_scope", error_description="')
        assert body["error"] == "insufficient_scope"
    assert harness.calls == [], f"a protected view ran: {harness.calls}"


def assert_accepted(harness: Harness, response: TestResponse, view: str) -> None:
    """A positive control: 200 and exactly the expected view ran."""
    assert response.status_code == 200, response.get_data(as_text=True)
    assert harness.calls == [view]
