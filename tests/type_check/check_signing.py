"""Signer and Verifier are Protocols: a user's own class fits without subclassing."""

from __future__ import annotations

import hashlib
import hmac

from flask import Flask
from typing_extensions import assert_type

from flask_pyjwt import (
    AuthManager,
    CacheableVerifier,
    FlaskPyJWTError,
    KeySetVerifier,
    KeySigner,
    KeyVerifier,
    Signer,
    Verifier,
)
from flask_pyjwt.errors import InvalidKeyError, SignatureInvalidError
from flask_pyjwt.typing import AuthType, JSONObject, JWSHeader


class KMSSigner:
    """A user's signer: no base class, only the Protocol's members."""

    @property
    def algorithm(self) -> str:
        return "HS256"

    @property
    def key_id(self) -> str | None:
        return "kms-1"

    def sign(self, signing_input: bytes) -> bytes:
        return hmac.digest(b"k" * 32, signing_input, hashlib.sha256)


class KMSVerifier:
    @property
    def algorithms(self) -> frozenset[str]:
        return frozenset({"HS256"})

    def verify(self, header: JWSHeader, signing_input: bytes, signature: bytes) -> None:
        expected = hmac.digest(b"k" * 32, signing_input, hashlib.sha256)
        if not hmac.compare_digest(expected, signature):
            raise SignatureInvalidError("bad signature")


class RotatingKMSVerifier(KMSVerifier):
    """Opts into the verified-token cache: says when its keys change."""

    def key_generation(self) -> int:
        return 3


class NotASigner:
    algorithm = "HS256"  # no key_id, and sign has the wrong type

    def sign(self, signing_input: str) -> str:
        return signing_input


def protocols(app: Flask, header: JWSHeader) -> None:
    signer: Signer = KMSSigner()
    verifier: Verifier = KMSVerifier()
    AuthManager(app, signer=signer, verifier=verifier)
    AuthManager(app, signer=KMSSigner(), verifier=KMSVerifier())
    assert_type(signer.algorithm, str)
    assert_type(signer.key_id, str | None)
    assert_type(signer.sign(b"input"), bytes)
    assert_type(verifier.algorithms, frozenset[str])
    assert_type(verifier.verify(header, b"input", b"sig"), None)
    assert_type(header.alg, str)
    assert_type(header.kid, str | None)
    assert_type(header.typ, str | None)
    assert_type(header.fields, JSONObject)

    AuthManager(app, signer=NotASigner())  # type: ignore[arg-type]

    cacheable: CacheableVerifier = RotatingKMSVerifier()
    assert_type(cacheable.key_generation(), int)
    AuthManager(app, verifier=cacheable)
    not_cacheable: CacheableVerifier = KMSVerifier()  # type: ignore[assignment]
    del not_cacheable


def built_in_keys(pem: bytes) -> None:
    signer = KeySigner("RS256", pem, key_id="2026-01")
    assert_type(signer.algorithm, str)
    # Always a kid: the one given, or one derived from the key.
    assert_type(signer.key_id, str)
    assert_type(KeySigner("RS256", pem).key_id, str)
    assert_type(signer.sign(b"x"), bytes)
    assert_type(signer.verifier(), KeyVerifier)
    verifier = KeyVerifier(AuthType.RS256, pem, key_id="2026-01")
    assert_type(verifier.algorithm, AuthType)
    assert_type(verifier.algorithms, frozenset[str])
    assert_type(signer.matches(verifier), bool)
    key_set = KeySetVerifier([verifier, KeyVerifier("ES256", pem, key_id="2026-02")])
    assert_type(key_set.algorithms, frozenset[str])
    as_protocols: tuple[Signer, CacheableVerifier, CacheableVerifier] = (
        signer,
        verifier,
        key_set,
    )
    assert_type(verifier.key_generation(), int)
    del as_protocols


def key_checks() -> None:
    # The strong-secret requirement of JWT_REQUIRE_STRONG_SECRET, for a signer built by hand;
    # an unusable key is a public InvalidKeyError (a FlaskPyJWTError and a ValueError).
    signer = KeySigner("HS256", "x" * 32, require_strong_secret=True)
    assert_type(signer, KeySigner)
    assert_type(KeyVerifier("HS256", "x" * 32, require_strong_secret=True), KeyVerifier)
    try:
        KeySigner("RS256", "not a key")
    except InvalidKeyError as error:
        assert_type(error.detail, str)
        assert_type(error.about("the signing key"), InvalidKeyError)
        narrowed: FlaskPyJWTError = error
        value_error: ValueError = error
        del narrowed, value_error
