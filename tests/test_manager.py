"""AuthManager: the init_app contract, issuing, verifying, and pluggable signers."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import FrozenInstanceError
from datetime import timedelta

import pytest
from flask import Flask

from flask_pyjwt import (
    AuthManager,
    AuthToken,
    InvalidConfigError,
    KeySetVerifier,
    KeyVerifier,
    RefreshToken,
    TokenType,
    current_token,
    require_token,
)
from flask_pyjwt._core.strict_json import MAX_NESTING_DEPTH
from flask_pyjwt.errors import (
    AlreadyInitializedError,
    NotInitializedError,
    SignatureInvalidError,
    TokenExpiredError,
    TokenTypeInvalidError,
    UnknownKeyError,
)
from flask_pyjwt.typing import JSONInput, JWSHeader
from tests.support import (
    HMAC_KID,
    HMAC_SECRET,
    ISSUER,
    bearer,
    config_for,
    configure,
    json_body,
    make_app,
)


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
    # Every token names its key: for an HMAC secret, an HMAC of a fixed label under it.
    assert token.header == {"alg": "HS256", "typ": "at+jwt", "kid": HMAC_KID}
    assert token.is_signed()
    assert token.signed.count(".") == 2
    assert re.fullmatch("[0-9a-f]{32}", token.jti)  # 128 random bits, as hex
    with app.app_context():
        others = {manager.auth_token("alice").jti for _ in range(20)}
    assert len(others | {token.jti}) == 21  # a new one for every token
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
    with app.app_context():
        for issue in (manager.auth_token, manager.refresh_token):
            with pytest.raises(ValueError, match=f"claim\\(s\\) {claim} are set by"):
                issue("alice", claims={claim: "x"})
        with pytest.raises(ValueError, match=r"claim\(s\) exp, iss are set by"):
            manager.auth_token("alice", exp=0, iss="me")


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
    app, manager = make_app(JWT_KEY_ID="k")
    # Another secret under the same kid: the signature is what fails.
    other_app, other = make_app(
        JWT_SECRET="another-secret-that-is-long-enough-for-hs256-ok", JWT_KEY_ID="k"
    )
    with other_app.app_context():
        forged = other.auth_token("alice").signed
    stranger_app, stranger = make_app(JWT_SECRET="another-secret-that-is-long-enough-for-hs256")
    with stranger_app.app_context():
        foreign = stranger.auth_token("alice").signed
    with app.app_context():
        refresh = manager.refresh_token("alice").signed
        assert isinstance(manager.convert_token(refresh), RefreshToken)
        assert manager.convert_token(refresh, "refresh").rid
        with pytest.raises(TokenTypeInvalidError):
            manager.convert_token(refresh, "auth")
        with pytest.raises(SignatureInvalidError):
            manager.convert_token(forged)
        with pytest.raises(UnknownKeyError):  # its kid names the stranger's secret
            manager.convert_token(foreign)
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
        with pytest.raises(TokenExpiredError):
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
    with pytest.raises(ValueError, match="key_id must be a non-empty str"):
        KeyVerifier("HS256", secret, key_id="")
    # Without key_id, a key answers to the kid derived from it, as issued tokens carry.
    assert KeySetVerifier([KeyVerifier("HS256", secret)]).key_ids == {HMAC_KID}
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
        with pytest.raises(ValueError, match="JWT_MAX_TOKEN_LENGTH") as info:
            manager.auth_token("alice", {"groups": groups})
        message = str(info.value)
        assert re.search(r"would be \d{5} characters long", message), message
        assert "longer than JWT_MAX_TOKEN_LENGTH (8192)" in message
        assert "raise JWT_MAX_TOKEN_LENGTH" in message
        with pytest.raises(ValueError, match="JWT_MAX_TOKEN_LENGTH"):
            manager.refresh_token("alice", groups=groups)
    roomy, roomy_manager = make_app(JWT_MAX_TOKEN_LENGTH=40_000)
    with roomy.app_context():
        token = roomy_manager.auth_token("alice", {"groups": groups})
        assert 8192 < len(token.signed) <= 40_000
        assert roomy_manager.verify_token(token)


@pytest.mark.parametrize("kind", ["auth", "refresh"])
def test_a_token_exactly_as_long_as_the_limit_is_issued_and_verifies(kind: str) -> None:
    def issue(limit: int) -> str:
        app = Flask(f"limit_{kind}_{limit}")
        configure(app, {**config_for("HS256"), "JWT_MAX_TOKEN_LENGTH": limit})
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


def _nested(arrays: int) -> JSONInput:
    value: JSONInput = "leaf"
    for _ in range(arrays):
        value = [value]
    return value


def test_claims_nested_deeper_than_a_token_may_be_are_refused_when_issued() -> None:
    app, manager = make_app()
    with app.app_context():
        # The claims object is level 1, so a claim of 32 arrays reaches level 33.
        with pytest.raises(TypeError, match=f"nested more than {MAX_NESTING_DEPTH} levels"):
            manager.auth_token("alice", deep=_nested(MAX_NESTING_DEPTH))
        with pytest.raises(TypeError, match=f"nested more than {MAX_NESTING_DEPTH} levels"):
            manager.auth_token("alice", {"deep": _nested(MAX_NESTING_DEPTH - 1)})
        for token in (
            manager.auth_token("alice", deep=_nested(MAX_NESTING_DEPTH - 1)),
            manager.auth_token("alice", {"deep": _nested(MAX_NESTING_DEPTH - 2)}),
        ):
            assert manager.verify_token(token)


# -- per-token options: lifetime, audience, header fields; claims= for any claim name ---


def fixed_app(**config: object) -> tuple[Flask, AuthManager, list[float]]:
    """An app on a clock the test moves (``now[0]``)."""
    now = [1_900_000_000.0]
    app = Flask("per_token")
    configure(app, {**config_for("HS256"), **config})
    return app, AuthManager(app, clock=lambda: now[0]), now


@pytest.mark.parametrize(
    ("max_age", "seconds"),
    [(60, 60), (timedelta(minutes=5), 300), (timedelta(days=2, seconds=1), 172_801)],
)
def test_a_lifetime_for_one_token(max_age: int | timedelta, seconds: int) -> None:
    app, manager, now = fixed_app()
    with app.app_context():
        auth = manager.auth_token("alice", max_age=max_age)
        refresh = manager.refresh_token("alice", max_age=max_age)
        default = manager.auth_token("alice")
        for token in (auth, refresh):
            assert token.max_age == seconds == token.exp - token.iat
            assert token.claims["exp"] == token.iat + seconds
        assert default.max_age == 3600
        now[0] += seconds - 1
        assert manager.verify_token(auth)
        assert manager.verify_token(refresh)
        now[0] += 1
        assert not manager.verify_token(auth)
        assert not manager.verify_token(refresh)


@pytest.mark.parametrize(
    ("max_age", "error", "message"),
    [
        (0, ValueError, "max_age must be at least 1 second, got 0"),
        (-5, ValueError, "max_age must be at least 1 second, got -5"),
        (timedelta(0), ValueError, "at least 1 second"),
        (timedelta(seconds=-1), ValueError, "at least 1 second"),
        (timedelta(seconds=1.5), ValueError, "a whole number of seconds"),
        (True, TypeError, "max_age must be an int of seconds or a datetime.timedelta, got bool"),
        (1.5, TypeError, "got float"),
        ("60", TypeError, "got str"),
    ],
)
def test_a_wrong_lifetime_is_refused(max_age: object, error: type[Exception], message: str) -> None:
    app, manager = make_app()
    with app.app_context():
        for issue in (manager.auth_token, manager.refresh_token):
            with pytest.raises(error, match=re.escape(message)):
                issue("alice", max_age=max_age)  # type: ignore[arg-type]  # deliberately wrong


def audience_app(**config: object) -> tuple[Flask, AuthManager]:
    """An HS256 app whose ``/me`` view answers the verified token's ``aud``."""
    app, manager = make_app("HS256", **config)

    @app.get("/me")
    @require_token()
    def me() -> dict[str, object]:
        return {"aud": current_token.aud}

    return app, manager


def test_an_audience_for_one_token() -> None:
    app, manager = make_app()
    with app.app_context():
        one = manager.auth_token("alice", audience="billing")
        many = manager.refresh_token("alice", audience=["billing", "search"])
        default = manager.auth_token("alice")
    assert (one.aud, one.claims["aud"]) == ("billing", "billing")
    assert many.aud == many.claims["aud"] == ("billing", "search")
    assert default.aud is None
    assert "aud" not in default.claims
    # The service the tokens are meant for accepts them...
    billing = audience_app(JWT_AUDIENCE="billing")[0].test_client()
    response = billing.get("/me", headers=bearer(one.signed))
    assert (response.status_code, response.get_json()) == (200, {"aud": "billing"})
    # ...and this app, which has no JWT_AUDIENCE, refuses them: meant for someone else.
    response = audience_app()[0].test_client().get("/me", headers=bearer(one.signed))
    assert response.status_code == 401
    assert json_body(response)["code"] == "claim_invalid"
    assert response.headers["WWW-Authenticate"].startswith('Bearer error="invalid_token"')


def test_a_per_token_audience_replaces_jwt_audience() -> None:
    app, manager = audience_app(JWT_AUDIENCE="api")
    client = app.test_client()
    with app.app_context():
        elsewhere = manager.auth_token("alice", audience="billing")
        both = manager.auth_token("alice", audience=["api", "billing"])
        default = manager.auth_token("alice")
    assert default.aud == "api"
    refused = client.get("/me", headers=bearer(elsewhere.signed))
    assert refused.status_code == 401
    assert json_body(refused)["code"] == "claim_invalid"
    assert refused.headers["WWW-Authenticate"].startswith('Bearer error="invalid_token"')
    accepted = client.get("/me", headers=bearer(both.signed))
    assert (accepted.status_code, accepted.get_json()) == (200, {"aud": ["api", "billing"]})


@pytest.mark.parametrize(
    ("audience", "error", "message"),
    [
        ("", ValueError, "audience must be a non-empty str or a non-empty sequence of them"),
        ([], ValueError, "audience is an empty sequence"),
        (["api", ""], ValueError, "audience[1] is an empty string"),
        (["api", 1], TypeError, "audience[1] must be a str, got int"),
        (42, TypeError, "audience must be a str or a sequence of str, got int"),
        (b"api", TypeError, "got bytes"),
        ("\udcff", TypeError, "audience holds a lone UTF-16 surrogate"),
    ],
)
def test_a_wrong_audience_is_refused(
    audience: object, error: type[Exception], message: str
) -> None:
    app, manager = make_app()
    with app.app_context(), pytest.raises(error, match=re.escape(message)):
        manager.auth_token("alice", audience=audience)  # type: ignore[arg-type]  # wrong


def test_extra_header_fields() -> None:
    app, manager = audience_app()
    with app.app_context():
        token = manager.auth_token("alice", headers={"x5t#S256": "abc", "cty": "demo", "n": [1]})
        refresh = manager.refresh_token("alice", headers={"purpose": "mobile"})
    assert token.header == {
        "alg": "HS256", "typ": "at+jwt", "kid": HMAC_KID, "x5t#S256": "abc", "cty": "demo",
        "n": (1,),
    }  # fmt: skip
    assert refresh.header["purpose"] == "mobile"
    response = app.test_client().get("/me", headers=bearer(token.signed))
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["alg", "typ", "kid", "crit"])
def test_header_fields_the_library_owns_cannot_be_given(name: str) -> None:
    app, manager = make_app(JWT_KEY_ID="k1")
    with app.app_context():
        for issue in (manager.auth_token, manager.refresh_token):
            with pytest.raises(
                ValueError, match=rf"header field\(s\) {name} are set by flask_pyjwt"
            ):
                issue("alice", headers={name: "x", "cty": "fine"})


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({"x": object()}, "headers['x'] is of type object"),
        ({"x": float("inf")}, "headers['x'] is inf"),
        ({1: "x"}, "headers has a key of type int"),
        (["x"], "headers must be a mapping of header fields, got list"),
    ],
)
def test_header_fields_must_be_json(headers: object, message: str) -> None:
    app, manager = make_app()
    with app.app_context(), pytest.raises(TypeError, match=re.escape(message)):
        manager.auth_token("alice", headers=headers)  # type: ignore[arg-type]  # wrong


def test_claims_whose_names_are_options_go_in_claims() -> None:
    app, manager = make_app()
    taken: dict[str, JSONInput] = {
        "max_age": 5,
        "audience": "me",
        "headers": "h",
        "claims": [1],
        "scope_note": "x",
    }
    with app.app_context():
        auth = manager.auth_token("alice", {"admin": True}, claims=taken, tenant="acme")
        refresh = manager.refresh_token("alice", claims=taken, device="phone")
    for token in (auth, refresh):
        assert {name: token.claims[name] for name in taken} == {
            "max_age": 5, "audience": "me", "headers": "h", "claims": (1,), "scope_note": "x"
        }  # fmt: skip
        assert token.max_age == token.exp - token.iat != 5
        assert token.aud is None
        assert set(token.header) == {"alg", "typ", "kid"}
    assert (auth.claims["tenant"], refresh.claims["device"]) == ("acme", "phone")
    assert auth.scope == {"admin": True}


def test_a_claim_given_twice_or_reserved_in_claims_is_refused() -> None:
    app, manager = make_app()
    with app.app_context():
        with pytest.raises(
            ValueError, match=re.escape("claim(s) tenant are given both in claims=")
        ):
            manager.auth_token("alice", claims={"tenant": "a"}, tenant="b")
        with pytest.raises(ValueError, match=re.escape("claim(s) device are given both")):
            manager.refresh_token("alice", claims={"device": "a"}, device="a")
        with pytest.raises(ValueError, match=re.escape("claim(s) exp are set by flask_pyjwt")):
            manager.auth_token("alice", claims={"exp": 1})
        with pytest.raises(TypeError, match=re.escape("claims must be a mapping of claims")):
            manager.auth_token("alice", claims=[("tenant", "a")])  # type: ignore[arg-type]
