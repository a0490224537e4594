"""flask_pyjwt.testing's DPoP helper (DPoPKey, dpop_auth_header) through a real app with
``require_token(dpop="required")``, its proofs read by an independent JOSE
implementation (joserfc) and its thumbprint written from RFC 7638 by tests/dpop_client.py."""

from __future__ import annotations

import json
import warnings
from typing import get_args

import pytest
from flask import Flask
from joserfc import jws
from joserfc.errors import BadSignatureError, SecurityWarning
from werkzeug.test import TestResponse

from flask_pyjwt import AuthManager, current_token, dpop_proof, require_token
from flask_pyjwt.testing import (
    DPoPAlgorithm,
    DPoPKey,
    FakeIdentityProvider,
    TokenClock,
    auth_header,
    dpop_auth_header,
)
from tests.dpop_client import ath_of, jkt_of
from tests.idp import joserfc_key_set, joserfc_thumbprint
from tests.support import json_body

URL = "http://localhost/orders"
SECRET = "a-test-only-secret-of-at-least-thirty-two-bytes"
ALGORITHMS: tuple[DPoPAlgorithm, ...] = get_args(DPoPAlgorithm)


def make_app(clock: TokenClock, **config: object) -> tuple[Flask, AuthManager]:
    app = Flask("dpop_kit")
    app.config.from_mapping(
        {"JWT_ISSUER": "orders", "JWT_AUTHTYPE": "HS256", "JWT_SECRET": SECRET, **config}
    )
    manager = AuthManager(app, clock=clock)

    @app.route("/orders", methods=["GET", "POST"])
    @require_token(dpop="required")
    def orders() -> dict[str, str]:
        proof = dpop_proof()
        assert proof is not None
        return {"sub": current_token.sub, "jkt": proof.jkt}

    @app.route("/admin")
    @require_token(scope={"admin": True}, dpop="required")
    def admin() -> dict[str, str]:
        return {"admin": current_token.sub}

    return app, manager


@pytest.fixture
def clock() -> TokenClock:
    return TokenClock(start=1_700_000_000)


@pytest.fixture
def key(clock: TokenClock) -> DPoPKey:
    return DPoPKey(clock=clock)


def bound_token(app: Flask, manager: AuthManager, key: DPoPKey) -> str:
    with app.app_context():
        return manager.auth_token("alice", dpop_jkt=key.jkt).signed


def refused(response: TestResponse, code: str) -> str:
    assert response.status_code == 401, response.data
    assert json_body(response)["code"] == code
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith("DPoP "), challenge
    return str(json_body(response)["message"])


def with_proof(token: str, proof: str) -> dict[str, str]:
    return {"Authorization": f"DPoP {token}", "DPoP": proof}


def verified_by_joserfc(key: DPoPKey, proof: str) -> tuple[dict[str, object], dict[str, object]]:
    """The proof's header and claims, once joserfc verified its signature with the
    public key of its own ``jwk`` header."""
    public = joserfc_key_set({"keys": [key.public_jwk]}).keys[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SecurityWarning)  # joserfc flags EdDSA (RFC 9864)
        registry = jws.JWSRegistry(algorithms=[key.algorithm])
        registry.max_header_length = 4096  # joserfc's 512 bytes is less than an RSA jwk
        compact = jws.deserialize_compact(proof, public, registry=registry)
    claims: dict[str, object] = json.loads(compact.payload)
    return dict(compact.protected), claims


# -- through the app --------------------------------------------------------------------


def test_the_helpers_headers_pass_a_dpop_required_route(clock: TokenClock, key: DPoPKey) -> None:
    app, manager = make_app(clock)
    client = app.test_client()
    token = bound_token(app, manager, key)

    answer = client.get("/orders", headers=key.headers("GET", URL, token))
    assert answer.status_code == 200, answer.data
    assert json_body(answer) == {"sub": "alice", "jkt": key.jkt}
    # each call makes a new proof: a second request passes too
    assert client.post("/orders", headers=key.headers("POST", URL, token)).status_code == 200


def test_dpop_auth_header_issues_a_bound_token(clock: TokenClock, key: DPoPKey) -> None:
    app, _ = make_app(clock)
    client = app.test_client()
    url = "http://localhost/admin"

    headers = dpop_auth_header(app, key, "alice", "GET", url, scope={"admin": True})
    assert headers["Authorization"].startswith("DPoP ")
    assert client.get("/admin", headers=headers).get_json() == {"admin": "alice"}

    no_scope = client.get("/admin", headers=dpop_auth_header(app, key, "bob", "GET", url))
    assert no_scope.status_code == 403
    assert json_body(no_scope)["code"] == "insufficient_scope"
    # the plain auth_header's token is unbound: refused where DPoP is required
    refused(client.get("/admin", headers=auth_header(app, "alice", scope={"admin": True})),
            "dpop_required")  # fmt: skip


def test_a_replayed_proof_is_refused(clock: TokenClock, key: DPoPKey) -> None:
    app, manager = make_app(clock)
    client = app.test_client()
    token = bound_token(app, manager, key)

    headers = key.headers("GET", URL, token)
    assert client.get("/orders", headers=headers).status_code == 200
    refused(client.get("/orders", headers=headers), "invalid_dpop_proof")  # the same proof

    first = key.proof("GET", URL, access_token=token, jti="one-id")
    again = key.proof("GET", URL, access_token=token, jti="one-id")  # a new proof, same jti
    assert first != again  # ECDSA signs the same input differently each time
    assert client.get("/orders", headers=with_proof(token, first)).status_code == 200
    assert "already used" in refused(client.get("/orders", headers=with_proof(token, again)),
                               "invalid_dpop_proof")  # fmt: skip
    other = key.proof("GET", URL, access_token=token, jti="another-id")
    assert client.get("/orders", headers=with_proof(token, other)).status_code == 200


def test_a_proof_of_another_key_is_refused(clock: TokenClock, key: DPoPKey) -> None:
    app, manager = make_app(clock)
    client = app.test_client()
    token = bound_token(app, manager, key)
    thief = DPoPKey(clock=clock)
    assert thief.jkt != key.jkt

    message = refused(client.get("/orders", headers=thief.headers("GET", URL, token)),
                      "invalid_dpop_proof")  # fmt: skip
    assert "bound" in message
    assert client.get("/orders", headers=key.headers("GET", URL, token)).status_code == 200


@pytest.mark.parametrize(
    ("method", "url"),
    [("POST", URL), ("GET", "http://localhost/admin"), ("GET", "https://localhost/orders"),
     ("GET", "http://api.example.com/orders")],
)  # fmt: skip
def test_a_proof_for_another_request_is_refused(
    clock: TokenClock, key: DPoPKey, method: str, url: str
) -> None:
    app, manager = make_app(clock)
    client = app.test_client()
    token = bound_token(app, manager, key)

    refused(client.get("/orders", headers=key.headers(method, url, token)), "invalid_dpop_proof")
    assert client.get("/orders", headers=key.headers("GET", URL, token)).status_code == 200


def test_a_proof_for_another_token_is_refused(clock: TokenClock, key: DPoPKey) -> None:
    app, manager = make_app(clock)
    client = app.test_client()
    token, other = bound_token(app, manager, key), bound_token(app, manager, key)
    assert token != other

    proof = key.proof("GET", URL, access_token=other)  # its ath is the other token's
    refused(client.get("/orders", headers=with_proof(token, proof)), "invalid_dpop_proof")
    no_ath = key.proof("GET", URL)  # a proof without ath, as for a login
    refused(client.get("/orders", headers=with_proof(token, no_ath)), "invalid_dpop_proof")
    assert client.get("/orders", headers=with_proof(other, proof)).status_code == 200


def test_a_bound_token_sent_as_bearer_is_refused(clock: TokenClock, key: DPoPKey) -> None:
    app, manager = make_app(clock)
    client = app.test_client()
    token = bound_token(app, manager, key)

    refused(client.get("/orders", headers={"Authorization": f"Bearer {token}"}), "dpop_required")
    proof = key.proof("GET", URL, access_token=token)  # even with its proof beside it
    refused(client.get("/orders", headers={"Authorization": f"Bearer {token}", "DPoP": proof}),
            "dpop_required")  # fmt: skip
    assert client.get("/orders", headers=key.headers("GET", URL, token)).status_code == 200


def test_proofs_follow_the_token_clock(clock: TokenClock, key: DPoPKey) -> None:
    app, manager = make_app(clock)  # JWT_DPOP_IAT_WINDOW: 60 s by default
    client = app.test_client()
    token = bound_token(app, manager, key)
    made_now = key.proof("GET", URL, access_token=token)
    assert verified_by_joserfc(key, made_now)[1]["iat"] == 1_700_000_000

    clock.advance(61)
    message = refused(client.get("/orders", headers=with_proof(token, made_now)),
                      "invalid_dpop_proof")  # fmt: skip
    assert "iat" in message
    # a proof made now (the key reads the same clock) passes, the token is still valid
    assert client.get("/orders", headers=key.headers("GET", URL, token)).status_code == 200


def test_an_explicit_iat_against_the_window(clock: TokenClock, key: DPoPKey) -> None:
    app, manager = make_app(clock)
    client = app.test_client()
    token = bound_token(app, manager, key)

    for iat in (clock() - 61, clock() + 61):
        proof = key.proof("GET", URL, access_token=token, iat=iat)
        refused(client.get("/orders", headers=with_proof(token, proof)), "invalid_dpop_proof")
    for iat in (clock() - 59, clock() + 59):
        proof = key.proof("GET", URL, access_token=token, iat=iat)
        assert client.get("/orders", headers=with_proof(token, proof)).status_code == 200


def test_server_nonces(clock: TokenClock, key: DPoPKey) -> None:
    app, manager = make_app(clock, JWT_DPOP_NONCE=True)
    client = app.test_client()
    token = bound_token(app, manager, key)

    first = client.get("/orders", headers=key.headers("GET", URL, token))
    refused(first, "use_dpop_nonce")
    nonce = first.headers["DPoP-Nonce"]
    retried = client.get("/orders", headers=key.headers("GET", URL, token, nonce=nonce))
    assert retried.status_code == 200, retried.data
    stale = key.headers("GET", URL, token, nonce=nonce + "x")
    refused(client.get("/orders", headers=stale), "use_dpop_nonce")


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_every_algorithm_passes_the_app(clock: TokenClock, algorithm: DPoPAlgorithm) -> None:
    key = DPoPKey(algorithm, clock=clock)
    app, manager = make_app(clock)
    token = bound_token(app, manager, key)
    answer = app.test_client().get("/orders", headers=key.headers("GET", URL, token))
    assert answer.status_code == 200, answer.data
    assert json_body(answer)["jkt"] == key.jkt


def test_a_token_of_a_fake_identity_provider_bound_to_the_key(
    clock: TokenClock, key: DPoPKey
) -> None:
    with FakeIdentityProvider(clock=clock) as idp:
        app = Flask("dpop_idp")
        app.config.from_mapping(idp.config())
        AuthManager(app, clock=clock)

        @app.route("/orders")
        @require_token(dpop="required")
        def orders() -> dict[str, str]:
            return {"sub": current_token.sub}

        client = app.test_client()
        token = idp.token("alice", cnf={"jkt": key.jkt})
        assert client.get("/orders", headers=key.headers("GET", URL, token)).status_code == 200
        refused(client.get("/orders", headers=idp.auth_header("alice")), "dpop_required")


# -- the proofs, read independently -----------------------------------------------------


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_joserfc_verifies_the_proofs_and_agrees_on_the_thumbprint(
    clock: TokenClock, algorithm: DPoPAlgorithm
) -> None:
    key = DPoPKey(algorithm, clock=clock)
    token = "an.access.token"
    header, claims = verified_by_joserfc(
        key, key.proof("PUT", "http://localhost/orders/7?page=2#top", access_token=token)
    )
    assert header == {"typ": "dpop+jwt", "alg": algorithm, "jwk": key.public_jwk}
    assert set(claims) == {"jti", "htm", "htu", "iat", "ath"}
    assert claims["htm"] == "PUT"
    assert claims["htu"] == "http://localhost/orders/7"  # no query, no fragment (RFC 9449 4.2)
    assert claims["iat"] == 1_700_000_000
    assert claims["ath"] == ath_of(token)
    assert isinstance(claims["jti"], str)
    assert len(claims["jti"]) >= 16
    assert key.jkt == joserfc_thumbprint(key.public_jwk) == jkt_of(key.public_jwk)

    _, with_nonce = verified_by_joserfc(key, key.proof("GET", URL, nonce="n-1", iat=5, jti="j"))
    assert with_nonce == {"jti": "j", "htm": "GET", "htu": URL, "iat": 5, "nonce": "n-1"}


def test_joserfc_refuses_a_proof_under_another_key(key: DPoPKey) -> None:
    other = DPoPKey()
    proof = other.proof("GET", URL)
    with pytest.raises(BadSignatureError):
        verified_by_joserfc(key, proof)
    assert verified_by_joserfc(other, proof)[1]["htu"] == URL


def test_its_public_jwk_holds_no_private_member(key: DPoPKey) -> None:
    assert set(key.public_jwk) == {"kty", "crv", "x", "y"}
    assert key.public_jwk["crv"] == "P-256"
    assert set(DPoPKey("EdDSA").public_jwk) == {"kty", "crv", "x"}
    key.public_jwk["x"] = "changed"  # a copy: the key's own is untouched
    assert key.public_jwk["x"] != "changed"
    assert repr(key) == f"DPoPKey(algorithm='ES256', jkt={key.jkt!r})"
    assert DPoPKey().jkt != key.jkt  # a fresh key each time


def test_its_mistakes_are_refused(key: DPoPKey) -> None:
    with pytest.raises(ValueError, match="absolute URL"):
        key.proof("GET", "/orders")
    with pytest.raises(ValueError, match="absolute URL"):
        key.headers("GET", "localhost/orders", "token")
    with pytest.raises(ValueError, match="one of ES256"):
        DPoPKey("HS256")  # type: ignore[arg-type]
