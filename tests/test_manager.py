"""AuthManager: the init_app contract, issuing, verifying, and pluggable signers."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import FrozenInstanceError
from typing import cast

import pytest
from flask import Flask

from flask_pyjwt import (
    AlreadyInitializedError,
    AuthManager,
    AuthToken,
    ExpiredTokenError,
    InvalidConfigError,
    InvalidSignatureError,
    JWSHeader,
    KeySetVerifier,
    KeyVerifier,
    NotInitializedError,
    RefreshToken,
    TokenType,
    UnknownKeyError,
    WrongTokenTypeError,
    current_token,
    require_token,
)
from flask_pyjwt._core.strict_json import MAX_NESTING_DEPTH
from tests.support import HMAC_SECRET, ISSUER, bearer, config_for, configure, make_app


def test_factory_pattern_and_one_manager_for_several_apps() -> None:
    manager = AuthManager()
    first, second = Flask("first"), Flask("second")
    configure(first, config_for("HS256"))
    configure(second, {**config_for("ES256"), "JWT_ISSUER": "second-issuer"})
    manager.init_app(first)
    manager.init_app(second)
    with first.app_context():
        token_one = manager.auth_token("alice")
    with second.app_context():
        token_two = manager.auth_token("alice")
        assert manager.verify_token(token_two)
        assert not manager.verify_token(token_one)  # other issuer, other algorithm
    assert (token_one.iss, token_one.alg) == (ISSUER, "HS256")
    assert (token_two.iss, token_two.alg) == ("second-issuer", "ES256")


def test_init_app_twice_is_an_error() -> None:
    app, manager = make_app()
    with pytest.raises(AlreadyInitializedError, match="already has an AuthManager"):
        manager.init_app(app)
    with pytest.raises(AlreadyInitializedError):
        AuthManager(app)


def test_using_the_manager_on_an_app_it_does_not_know() -> None:
    manager = AuthManager()
    app = Flask("bare")
    with app.app_context(), pytest.raises(NotInitializedError, match="did you forget"):
        manager.auth_token("alice")
    other_app, _ = make_app()
    with other_app.app_context(), pytest.raises(NotInitializedError, match="another one was"):
        manager.auth_token("alice")


def test_auth_token_fields_and_claims() -> None:
    app, manager = make_app()
    with app.app_context():
        token = manager.auth_token("alice", {"admin": True, "teams": ["a", "b"]}, tenant="acme")
    assert isinstance(token, AuthToken)
    assert token.token_type is TokenType.AUTH
    assert token.sub == "alice"
    assert token.iss == ISSUER
    assert token.exp - token.iat == 3600 == token.max_age
    assert token.scope == {"admin": True, "teams": ("a", "b")}
    assert token.claims["tenant"] == "acme"
    assert token.claims["type"] == "auth"
    assert token.header == {"alg": "HS256", "typ": "at+jwt"}
    assert token.is_signed()
    assert token.signed.count(".") == 2
    assert len(token.jti) == 32
    assert int(token.jti, 16) >= 0  # 128 random bits, hex
    assert "signed" not in repr(token)
    assert token.signed not in repr(token)
    with pytest.raises(FrozenInstanceError):
        token.sub = "mallory"  # type: ignore[misc]  # the dataclass is frozen on purpose
    with pytest.raises(TypeError, match="read-only"):
        token.claims["sub"] = "mallory"  # type: ignore[index]  # claims are read-only on purpose
    assert json.loads(json.dumps(token.claims))["tenant"] == "acme"


def test_refresh_tokens_carry_a_fresh_rid_and_no_scope() -> None:
    app, manager = make_app()
    with app.app_context():
        first = manager.refresh_token("alice")
        second = manager.refresh_token("alice", device="phone")
    assert isinstance(first, RefreshToken)
    assert first.rid != second.rid
    assert len(first.rid) >= 16
    assert "scope" not in first.claims
    assert second.claims["device"] == "phone"
    assert first.header["typ"] == "refresh+jwt"


@pytest.mark.parametrize("claim", ["iss", "exp", "iat", "jti", "type", "sub", "aud", "nbf", "rid"])
def test_reserved_claims_cannot_be_overwritten(claim: str) -> None:
    app, manager = make_app()
    with app.app_context(), pytest.raises(ValueError, match=f"claim\\(s\\) {claim} are set by"):
        manager.auth_token("alice", **{claim: "x"})


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (object(), "claims\\['bad'\\] is of type object"),
        ({1: "x"}, "has a key of type int"),
        (float("nan"), "which JSON cannot represent"),
        ({"nested": [1, {2, 3}]}, "claims\\['bad'\\]\\['nested'\\]\\[1\\] is of type set"),
        ("lone \ud800", "holds a lone UTF-16 surrogate"),
        ({"\udfff": 1}, "key holds a lone UTF-16 surrogate"),
    ],
)
def test_non_json_claims_are_type_errors_at_issue_time(value: object, message: str) -> None:
    app, manager = make_app()
    with app.app_context(), pytest.raises(TypeError, match=message):
        manager.auth_token("alice", bad=value)  # type: ignore[arg-type]  # deliberately wrong


def test_sub_must_be_a_non_empty_string() -> None:
    app, manager = make_app()
    with app.app_context():
        for issue in (manager.auth_token, manager.refresh_token):
            with pytest.raises(TypeError, match=r"^sub must be a non-empty str, got int$"):
                issue(42)  # type: ignore[arg-type]  # deliberately wrong
            with pytest.raises(ValueError, match=r"^sub is an empty string; it must be"):
                issue("")
            with pytest.raises(TypeError, match=r"^sub holds a lone UTF-16 surrogate"):
                issue("\ud800")
            with pytest.raises(TypeError, match=r"^sub holds a lone UTF-16 surrogate"):
                issue("alice\udfff")


def test_verify_token_never_raises() -> None:
    app, manager = make_app()
    with app.app_context():
        token = manager.auth_token("alice")
        assert manager.verify_token(token)
        assert manager.verify_token(token.signed)
        for bad in ["", "a.b.c", token.signed + "x", None, 42, b"bytes", ["list"]]:
            assert manager.verify_token(bad) is False  # type: ignore[arg-type]  # hostile input


def test_convert_token_verifies_first() -> None:
    app, manager = make_app()
    other_app, other = make_app(JWT_SECRET="another-secret-that-is-long-enough-for-hs256-ok")
    with other_app.app_context():
        forged = other.auth_token("alice").signed
    with app.app_context():
        refresh = manager.refresh_token("alice").signed
        assert isinstance(manager.convert_token(refresh), RefreshToken)
        assert manager.convert_token(refresh, "refresh").rid
        with pytest.raises(WrongTokenTypeError):
            manager.convert_token(refresh, "auth")
        with pytest.raises(InvalidSignatureError):
            manager.convert_token(forged)
        with pytest.raises(ValueError, match="token_type must be"):
            manager.convert_token(refresh, "access")  # type: ignore[call-overload]  # wrong


def test_expiry_follows_the_clock() -> None:
    now = [1_000_000.0]
    app = Flask("clock")
    configure(app, {**config_for("HS256"), "JWT_AUTHMAXAGE": 60, "JWT_LEEWAY": 5})
    manager = AuthManager(app, clock=lambda: now[0])
    with app.app_context():
        token = manager.auth_token("alice").signed
        now[0] += 64
        assert manager.verify_token(token)
        now[0] += 1
        assert not manager.verify_token(token)
        with pytest.raises(ExpiredTokenError):
            manager.convert_token(token)


class FakeKMS:
    """A signer whose key never leaves the 'KMS' (here: a closure over a secret)."""

    def __init__(self, secret: bytes, key_id: str) -> None:
        self._secret = secret
        self._key_id = key_id
        self.calls = 0

    @property
    def algorithm(self) -> str:
        return "HS256"

    @property
    def key_id(self) -> str | None:
        return self._key_id

    def sign(self, signing_input: bytes) -> bytes:
        self.calls += 1
        return hmac.new(self._secret, signing_input, hashlib.sha256).digest()


class RecordingVerifier:
    """A custom verifier delegating to a key set, recording the kids it saw."""

    def __init__(self, inner: KeySetVerifier) -> None:
        self._inner = inner
        self.kids: list[str | None] = []

    @property
    def algorithms(self) -> frozenset[str]:
        return self._inner.algorithms

    def verify(self, header: JWSHeader, signing_input: bytes, signature: bytes) -> None:
        self.kids.append(header.kid)
        self._inner.verify(header, signing_input, signature)


def test_custom_signer_and_verifier_end_to_end() -> None:
    secret = HMAC_SECRET.encode()
    kms = FakeKMS(secret, "kms-2026")
    verifier = RecordingVerifier(
        KeySetVerifier(
            [
                KeyVerifier("HS256", secret, key_id="kms-2026"),
                KeyVerifier("ES256", config_for("ES256")["JWT_PUBLICKEY"], key_id="old"),  # type: ignore[arg-type]
            ]
        )
    )
    app = Flask("kms")
    configure(app, {"JWT_ISSUER": ISSUER})  # no JWT_AUTHTYPE / JWT_SECRET needed
    manager = AuthManager(app, signer=kms, verifier=verifier)

    @app.get("/me")
    @require_token()
    def me() -> dict[str, str]:
        return {"sub": current_token.sub, "kid": str(current_token.header.get("kid"))}

    with app.app_context():
        token = manager.auth_token("alice")
    assert kms.calls == 1
    assert token.header["kid"] == "kms-2026"
    response = app.test_client().get("/me", headers=bearer(token.signed))
    assert response.status_code == 200
    assert response.get_json() == {"sub": "alice", "kid": "kms-2026"}
    assert verifier.kids == ["kms-2026"]


def test_key_set_rejects_unknown_kid_and_bad_sets() -> None:
    secret = HMAC_SECRET.encode()
    key_set = KeySetVerifier([KeyVerifier("HS256", secret, key_id="a")])
    header = JWSHeader(alg="HS256", kid="b", typ=None, fields={})
    with pytest.raises(UnknownKeyError):
        key_set.verify(header, b"x", b"y")
    with pytest.raises(ValueError, match="has no key_id"):
        KeySetVerifier([KeyVerifier("HS256", secret)])
    with pytest.raises(ValueError, match="unique"):
        KeySetVerifier([KeyVerifier("HS256", secret, key_id="a")] * 2)
    with pytest.raises(ValueError, match="at least one"):
        KeySetVerifier([])
    assert repr(key_set) == "KeySetVerifier(key_ids=['a'])"


def test_signer_the_verifier_does_not_accept_is_a_config_error() -> None:
    app = Flask("mismatch")
    configure(app, {"JWT_ISSUER": ISSUER, "JWT_AUTHTYPE": "ES256"})
    kms = FakeKMS(b"k" * 32, "k")
    verifier = KeyVerifier("ES256", config_for("ES256")["JWT_PUBLICKEY"])  # type: ignore[arg-type]
    with pytest.raises(InvalidConfigError, match="signs HS256, which the verifier does not accept"):
        AuthManager(app, signer=kms, verifier=verifier)


def test_a_token_longer_than_the_app_accepts_is_refused_when_issued() -> None:
    """The library never issues a token its own verification would refuse."""
    app, manager = make_app()
    groups = [f"engineering-team-{index:04d}" for index in range(1200)]
    with app.app_context():
        with pytest.raises(ValueError, match="JWT_MAXTOKENLENGTH") as info:
            manager.auth_token("alice", {"groups": groups})
        message = str(info.value)
        assert re.search(r"would be \d{5} characters long", message), message
        assert "longer than JWT_MAXTOKENLENGTH (8192)" in message
        assert "raise JWT_MAXTOKENLENGTH" in message
        with pytest.raises(ValueError, match="JWT_MAXTOKENLENGTH"):
            manager.refresh_token("alice", groups=groups)
    roomy, roomy_manager = make_app(JWT_MAXTOKENLENGTH=40_000)
    with roomy.app_context():
        token = roomy_manager.auth_token("alice", {"groups": groups})
        assert 8192 < len(token.signed) <= 40_000
        assert roomy_manager.verify_token(token)


@pytest.mark.parametrize("kind", ["auth", "refresh"])
def test_a_token_exactly_as_long_as_the_limit_is_issued_and_verifies(kind: str) -> None:
    def issue(limit: int) -> str:
        app = Flask(f"limit_{kind}_{limit}")
        configure(app, {**config_for("HS256"), "JWT_MAXTOKENLENGTH": limit})
        manager = AuthManager(app, clock=lambda: 1_900_000_000.0)
        with app.app_context():
            token = (
                manager.auth_token("alice", note="x" * 300)
                if kind == "auth"
                else manager.refresh_token("alice", note="x" * 300)
            )
            assert manager.verify_token(token)
        return token.signed

    length = len(issue(8192))  # the same length every time: fixed clock, fixed-size ids
    assert len(issue(length)) == length
    with pytest.raises(ValueError, match=f"would be {length} characters long"):
        issue(length - 1)


def test_claims_nested_deeper_than_a_token_may_be_are_refused_when_issued() -> None:
    deep: object = "leaf"
    for _ in range(MAX_NESTING_DEPTH):  # the top-level object is level 1: this is 33
        deep = [deep]
    app, manager = make_app()
    with app.app_context():
        with pytest.raises(TypeError, match=f"nested more than {MAX_NESTING_DEPTH} levels"):
            manager.auth_token("alice", deep=deep)  # type: ignore[arg-type]  # built as object
        shallower = cast("list[object]", deep)[0]
        token = manager.auth_token("alice", deep=shallower)  # type: ignore[arg-type]  # likewise
        assert manager.verify_token(token)
