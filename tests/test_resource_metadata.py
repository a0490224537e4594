"""OAuth 2.0 protected-resource metadata (RFC 9728) and the ``resource_metadata``
parameter of every 401 challenge, through a real app."""

from __future__ import annotations

import re
import time

import pytest
from flask import Flask

from flask_pyjwt import AuthManager, IdentityProvider, require_token
from flask_pyjwt.errors import InvalidConfigError
from tests.dpop_client import DPoPKey
from tests.support import config_for, configure, json_body

WELL_KNOWN = "/.well-known/oauth-protected-resource"


def _app(**config: object) -> Flask:
    app = Flask("metadata")
    configure(app, {**config_for("ES256"), "JWT_ISSUER": "https://auth.example.com", **config})
    AuthManager(app)

    @app.route("/read")
    @require_token(scope="read write")
    def read() -> str:
        return "read"

    @app.route("/admin")
    @require_token(scope=["admin"])
    def admin() -> str:
        return "admin"

    @app.route("/any")
    @require_token()
    def any_token() -> str:
        return "any"

    return app


def test_the_document() -> None:
    app = _app(
        JWT_RESOURCE="https://api.example.com",
        JWT_RESOURCE_METADATA_ROUTE=WELL_KNOWN,
        JWT_JWKS_ROUTE="/.well-known/jwks.json",
        JWT_DPOP_ALGORITHMS=["ES256", "EdDSA"],
        JWT_TOKEN_LOCATION=["header", "cookies", "query"],
    )
    response = app.test_client().get(WELL_KNOWN)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert json_body(response) == {
        "resource": "https://api.example.com",
        "authorization_servers": ["https://auth.example.com"],
        "jwks_uri": "https://api.example.com/.well-known/jwks.json",
        "scopes_supported": ["admin", "read", "write"],
        "bearer_methods_supported": ["header", "query"],
        "dpop_signing_alg_values_supported": ["ES256", "EdDSA"],
        "dpop_bound_access_tokens_required": False,
    }


def test_defaults_from_the_request_and_dpop_required() -> None:
    app = _app(JWT_RESOURCE_METADATA_ROUTE=WELL_KNOWN, JWT_DPOP="required", JWT_ISSUER="my-api")
    body = json_body(app.test_client().get(WELL_KNOWN, base_url="https://api.test:8443"))
    assert body["resource"] == "https://api.test:8443"
    assert "authorization_servers" not in body  # "my-api" is no RFC 8414 issuer URL
    assert "jwks_uri" not in body
    assert body["dpop_bound_access_tokens_required"] is True
    assert body["dpop_signing_alg_values_supported"][0] == "RS256"


def test_disabled_dpop_advertises_no_algorithms() -> None:
    app = _app(JWT_RESOURCE_METADATA_ROUTE=WELL_KNOWN, JWT_DPOP="disabled")
    body = json_body(app.test_client().get(WELL_KNOWN))
    assert "dpop_signing_alg_values_supported" not in body
    assert body["dpop_bound_access_tokens_required"] is False


def test_no_route_unless_configured() -> None:
    app = _app()
    assert app.test_client().get(WELL_KNOWN).status_code == 404
    challenge = app.test_client().get("/any").headers["WWW-Authenticate"]
    assert challenge == "Bearer"


@pytest.mark.parametrize(
    ("headers", "start"),
    [
        ({}, "Bearer resource_metadata="),
        ({"Authorization": "Bearer garbage"}, 'Bearer error="invalid_token", '),
        ({"Authorization": "DPoP garbage", "DPoP": "x"}, 'DPoP error="invalid_token", '),
    ],
)
def test_every_401_challenge_points_at_the_metadata(headers: dict[str, str], start: str) -> None:
    app = _app(JWT_RESOURCE_METADATA_ROUTE=WELL_KNOWN)
    response = app.test_client().get("/any", headers=headers)
    assert response.status_code == 401
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith(start)
    assert challenge.endswith(f'resource_metadata="http://localhost{WELL_KNOWN}"')


def test_the_challenge_url_follows_the_resource() -> None:
    app = _app(
        JWT_RESOURCE="https://api.example.com/v1", JWT_RESOURCE_METADATA_ROUTE=WELL_KNOWN + "/v1"
    )
    challenge = app.test_client().get("/any").headers["WWW-Authenticate"]
    assert challenge == f'Bearer resource_metadata="https://api.example.com{WELL_KNOWN}/v1"'
    body = json_body(app.test_client().get(WELL_KNOWN + "/v1"))
    assert body["resource"] == "https://api.example.com/v1"


def test_without_a_resource_the_route_path_after_the_prefix_is_the_resources() -> None:
    # RFC 9728 3.1 and 3.3: a client fetches the metadata of https://api.test/v1 from
    # /.well-known/oauth-protected-resource/v1 and must not use it unless its resource is
    # exactly https://api.test/v1.
    app = _app(JWT_RESOURCE_METADATA_ROUTE=WELL_KNOWN + "/v1")
    body = json_body(app.test_client().get(WELL_KNOWN + "/v1", base_url="https://api.test"))
    assert body["resource"] == "https://api.test/v1"
    # control: at the bare well-known path, the resource is the origin
    app = _app(JWT_RESOURCE_METADATA_ROUTE=WELL_KNOWN)
    body = json_body(app.test_client().get(WELL_KNOWN, base_url="https://api.test"))
    assert body["resource"] == "https://api.test"


def test_a_dpop_required_route_challenge_offers_dpop_and_the_metadata() -> None:
    app = _app(JWT_RESOURCE_METADATA_ROUTE=WELL_KNOWN, JWT_DPOP="required")
    challenge = app.test_client().get("/any").headers["WWW-Authenticate"]
    assert re.fullmatch(
        r'DPoP algs="[A-Z0-9 a-z]+", resource_metadata="http://localhost/\S+"', challenge
    )


def test_a_403_is_left_alone() -> None:
    app = _app(JWT_RESOURCE_METADATA_ROUTE=WELL_KNOWN)
    manager = app.extensions["flask_pyjwt"].manager
    with app.app_context():
        token = manager.auth_token("alice", "read").signed
    response = app.test_client().get("/admin", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403
    assert "resource_metadata" not in response.headers["WWW-Authenticate"]


def test_the_route_must_match_the_resource_path() -> None:
    with pytest.raises(InvalidConfigError, match=r"RFC 9728 3\.1"):
        _app(JWT_RESOURCE="https://api.example.com/v1", JWT_RESOURCE_METADATA_ROUTE=WELL_KNOWN)


def test_the_dpop_challenge_carries_the_nonce_and_the_metadata() -> None:
    app = _app(JWT_RESOURCE_METADATA_ROUTE=WELL_KNOWN, JWT_DPOP_NONCE=True)
    manager = app.extensions["flask_pyjwt"].manager
    key = DPoPKey()
    with app.app_context():
        token = manager.auth_token("alice", dpop_jkt=key.jkt).signed
    proof = key.proof("GET", "http://localhost/any", token=token, iat=time.time())
    response = app.test_client().get(
        "/any", headers={"Authorization": f"DPoP {token}", "DPoP": proof}
    )
    assert json_body(response)["code"] == "use_dpop_nonce"
    assert response.headers["DPoP-Nonce"]
    assert response.headers["WWW-Authenticate"].startswith('DPoP error="use_dpop_nonce"')
    assert "resource_metadata=" in response.headers["WWW-Authenticate"]


def test_authorization_servers_list_every_source() -> None:
    """The app's own issuer and each identity provider's spellings, in order and once
    each; a multi-tenant template names no one server and is left out."""
    app = Flask("metadata-providers")
    configure(
        app,
        {
            **config_for("ES256"),
            "JWT_ISSUER": "https://auth.example.com",
            "JWT_RESOURCE_METADATA_ROUTE": WELL_KNOWN,
        },
    )
    AuthManager(
        app,
        providers=[
            IdentityProvider.google(audience="client.apps.googleusercontent.com"),
            IdentityProvider.entra(tenant="organizations", audience="my-api-client-id"),
            IdentityProvider(
                name="corp",
                issuer="https://idp.example.com/",
                jwks={"keys": [DPoPKey().public_jwk]},
                audience="my-api",
                algorithms=("ES256",),
            ),
        ],
    )
    body = json_body(app.test_client().get(WELL_KNOWN))
    assert body["authorization_servers"] == [
        "https://auth.example.com",
        "https://accounts.google.com",
        "https://idp.example.com/",
    ]
