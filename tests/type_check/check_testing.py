"""A user's test module written with flask_pyjwt.testing: exact types, no Any, and the
mistakes a type checker catches."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from typing_extensions import assert_type

from flask_pyjwt import AuthManager
from flask_pyjwt.testing import (
    DPoPAlgorithm,
    DPoPKey,
    FakeIdentityProvider,
    TokenClock,
    auth_header,
    dpop_auth_header,
)
from flask_pyjwt.typing import JWKSet


def test_own_tokens(token_clock: TokenClock) -> None:
    app = Flask(__name__)
    AuthManager(app, clock=token_clock)
    headers = auth_header(app, "alice", scope={"admin": True}, claims={"tenant": "acme"})
    assert_type(headers, dict[str, str])
    assert_type(token_clock.advance(3601), float)
    assert_type(token_clock.advance(timedelta(hours=1)), float)
    assert_type(token_clock(), float)
    app.test_client().get("/me", headers=auth_header(app, "alice", fresh=True))


def test_provider(fake_idp: FakeIdentityProvider) -> None:
    assert_type(fake_idp.token("alice", scope="read", tid="t1", roles=["a", "b"]), str)
    assert_type(fake_idp.auth_header("alice"), dict[str, str])
    assert_type(fake_idp.rotate_keys(), str)
    assert_type(fake_idp.jwks(), JWKSet)
    assert_type(fake_idp.jwks_url, str)
    assert_type(fake_idp.issuer, str)
    assert_type(fake_idp.audience, str | None)
    assert_type(fake_idp.config(), dict[str, object])
    with FakeIdentityProvider(issuer="https://idp.test/", audience="my-api") as idp:
        assert_type(idp, FakeIdentityProvider)


def test_dpop(token_clock: TokenClock) -> None:
    app = Flask(__name__)
    auth_manager = AuthManager(app, clock=token_clock)
    key = DPoPKey(clock=token_clock)
    assert_type(DPoPKey("EdDSA").algorithm, DPoPAlgorithm)
    assert_type(key.jkt, str)
    assert_type(key.public_jwk, dict[str, str])
    with app.app_context():
        token = auth_manager.auth_token("alice", dpop_jkt=key.jkt).signed
    url = "http://localhost/orders"
    assert_type(key.proof("GET", url, access_token=token, nonce="n", iat=0, jti="j"), str)
    assert_type(key.headers("GET", url, token, nonce="n"), dict[str, str])
    headers = dpop_auth_header(app, key, "alice", "GET", url, scope="read", fresh=True)
    assert_type(headers, dict[str, str])


def mistakes(app: Flask, idp: FakeIdentityProvider, clock: TokenClock) -> None:
    auth_header(app, 42)  # type: ignore[arg-type]
    auth_header(app, "alice", {"admin": True})  # type: ignore[call-arg]
    idp.token("alice", when=object())  # type: ignore[arg-type]
    FakeIdentityProvider(algorithm="HS256")  # type: ignore[arg-type]
    clock.advance("1h")  # type: ignore[arg-type]
    DPoPKey("HS256")  # type: ignore[arg-type]
    key = DPoPKey()
    key.proof("GET", "http://localhost/orders", "token")  # type: ignore[call-arg]
    key.headers("GET", "http://localhost/orders")  # type: ignore[call-arg]
    dpop_auth_header(app, "alice", "GET", "http://localhost/orders")  # type: ignore[arg-type, call-arg]
