"""Keys and identity providers: jwks(), the JWK types, key ids and the new settings."""

from __future__ import annotations

from typing import Literal

from flask import Flask
from typing_extensions import assert_type

from flask_pyjwt import AuthManager, KeySetVerifier, KeySigner, KeyVerifier
from flask_pyjwt._core.policy import Settings
from flask_pyjwt.typing import AuthType, JWKSet, PublicJWK


def published(app: Flask) -> None:
    manager = AuthManager(app)
    document = manager.jwks()
    assert_type(document, JWKSet)
    assert_type(document["keys"], list[PublicJWK])
    key = document["keys"][0]
    assert_type(key["kty"], Literal["RSA", "EC", "OKP"])
    assert_type(key["kid"], str)
    assert_type(key["use"], Literal["sig"])
    assert_type(key["alg"], str)
    assert_type(key.get("n"), str | None)
    if "crv" in key:
        assert_type(key["crv"], str)
    key["d"]  # type: ignore[typeddict-item]  # never a private member
    manager.jwks()["kid"]  # type: ignore[typeddict-item]
    manager.jwks(True)  # type: ignore[call-arg]


def key_ids(pem: bytes, verifier: KeyVerifier) -> None:
    assert_type(KeySigner("ES256", pem).key_id, str)
    assert_type(verifier.key_id, str)
    assert_type(verifier.public_jwk(), PublicJWK | None)
    key_set = KeySetVerifier([verifier])
    assert_type(key_set.key_ids, frozenset[str])
    assert_type(key_set.get("2026-01"), KeyVerifier | None)
    assert_type(key_set.public_jwks(), list[PublicJWK])
    key_set.get(None)  # type: ignore[arg-type]


def settings(settings: Settings) -> None:
    assert_type(settings.algorithms, tuple[AuthType, ...])
    assert_type(settings.audience, str | tuple[str, ...] | None)
    assert_type(settings.jwks_url, str | None)
    assert_type(settings.jwks_route, str | None)
    assert_type(settings.jwks_min_refresh, int)
    assert_type(settings.jwks_max_cache, int)
    assert_type(settings.jwks_timeout, int)
    assert_type(settings.require_at_jwt, bool)
