"""Each speed-up of ``flask_pyjwt._core.speedups`` gives exactly what the plain code gives.

The speed-ups are kept only because removing one moved a benchmark target by 5 % or more
(``make bench`` times each against the plain code: the ``speedups/...`` scenarios); these
tests are what makes them safe to keep.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import hmac
import pickle
from typing import Final

import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st

from flask_pyjwt import AuthManager, AuthToken, RefreshToken
from flask_pyjwt._core.issuing import write_header
from flask_pyjwt._core.speedups import (
    MAX_HEADER_SEGMENTS,
    HeaderSegments,
    dict_builder,
    prepared_hmac,
    write_claims,
)
from flask_pyjwt._core.strict_json import (
    EMPTY_OBJECT,
    ENCODER,
    FrozenJSONObject,
    JSONObject,
    dumps_compact,
    freeze,
)
from flask_pyjwt._core.tokens import TokenType, make_token

from .support import HMAC_SECRET, ISSUER, NOW, config_for, configure

# -- prepared_hmac: hmac.digest, keyed once ---------------------------------------------------


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(
    st.binary(min_size=1, max_size=300),  # longer than a block too: the key is hashed first
    st.binary(max_size=600),
    st.sampled_from(["sha256", "sha384", "sha512"]),
)
def test_the_prepared_hmac_is_hmac_digest(secret: bytes, message: bytes, name: str) -> None:
    digest = prepared_hmac(secret, name)
    assert digest(message) == hmac.digest(secret, message, name)
    assert digest(message) == digest(message)  # the prepared states are copied, never fed


def test_an_hs256_token_carries_the_hmac_digest_signature() -> None:
    app = Flask("hmac")
    configure(app, config_for("HS256"))
    manager = AuthManager(app)
    with app.app_context():
        signed = manager.auth_token("alice").signed
    signing_input, _, signature = signed.rpartition(".")
    expected = hmac.digest(HMAC_SECRET.encode(), signing_input.encode(), "sha256")
    assert base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)) == expected


# -- dict_builder: the token values the constructors build -----------------------------------


def test_the_token_builder_sets_every_field_as_the_constructor_does() -> None:
    claims: JSONObject = freeze(
        {"scope": {"admin": True}, "sid": "s", "fresh": NOW + 5, "rid": "r"}
    )  # type: ignore[assignment]
    header: JSONObject = freeze({"alg": "HS256"})  # type: ignore[assignment]
    common: dict[str, object] = {
        "sub": "alice", "iss": ISSUER, "iat": NOW, "exp": NOW + 60, "jti": "j", "aud": "api",
        "signed": "a.b.c", "alg": "HS256", "header": header, "claims": claims, "legacy": False,
    }  # fmt: skip
    built_auth = make_token(TokenType.AUTH, **common)  # type: ignore[arg-type]
    assert built_auth == AuthToken(**common, sid="s", scope={"admin": True}, fresh_until=NOW + 5)  # type: ignore[arg-type]
    built_refresh = make_token(TokenType.REFRESH, **common)  # type: ignore[arg-type]
    assert built_refresh == RefreshToken(**common, sid="s", rid="r")  # type: ignore[arg-type]
    for token in (built_auth, built_refresh):
        assert type(token) in (AuthToken, RefreshToken)
        # Exactly the class's fields, no more (a misspelt key would be an extra attribute).
        assert vars(token).keys() == {field.name for field in dataclasses.fields(token)}
        assert vars(token) == vars(dataclasses.replace(token))
        assert repr(token) == repr(dataclasses.replace(token))
        assert pickle.loads(pickle.dumps(token)) == token  # noqa: S301 - our own bytes
        assert copy.deepcopy(token) == token
        with pytest.raises(dataclasses.FrozenInstanceError):
            token.sub = "mallory"  # type: ignore[misc]
        with pytest.raises(dataclasses.FrozenInstanceError):
            delattr(token, "sub")


def test_a_built_value_has_the_dict_it_was_given() -> None:
    fields: dict[str, object] = {"sub": "alice"}

    @dataclasses.dataclass(frozen=True)
    class Value:
        sub: str

    built = dict_builder(Value)(fields)
    assert built == Value("alice")
    assert vars(built) is fields


# -- write_object and HeaderSegments: the bytes the encoder writes ----------------------------

JSON_VALUES: Final = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**60), 2**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=12)
        | st.dictionaries(st.text(max_size=6), children, max_size=12)
    ),
    max_leaves=40,
)


@pytest.mark.slow  # 200 hypothesis examples of deep JSON values, about 7 s
@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(
    st.text(min_size=1, max_size=8),
    st.integers(0, 2**53),
    st.sampled_from(["auth", "refresh"]),
    st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=12),
)
def test_the_claims_writer_writes_the_encoders_text(
    text: str, number: int, kind: str, claims: dict[str, object]
) -> None:
    try:
        rest = freeze(claims)
        freeze(text)
    except TypeError:  # a lone surrogate in a random text: not JSON, never issued
        return
    assert isinstance(rest, FrozenJSONObject)
    registered = {"iss": text, "sub": text[::-1], "iat": number, "exp": number + 1,
                  "jti": text * 2, "type": kind}  # fmt: skip
    whole = {**registered, **{k: v for k, v in rest.items() if k not in registered}}
    written = write_claims(text, text[::-1], number, number + 1, text * 2, kind,
                           {k: v for k, v in rest.items() if k not in registered})  # fmt: skip
    assert written == ENCODER.encode(whole)


@pytest.mark.slow  # 150 hypothesis examples through the whole issuing path
@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(
    st.text(min_size=1, max_size=20).filter(lambda text: freeze(text) == text),
    JSON_VALUES,
    st.dictionaries(
        st.text(min_size=1, max_size=8).map(lambda name: f"x-{name}"), JSON_VALUES, max_size=5
    ),
)
def test_the_issued_payload_is_the_general_encoders_bytes(
    sub: str, scope: object, claims: dict[str, object]
) -> None:
    app = Flask("payload")
    configure(app, config_for("HS256"))
    manager = AuthManager(app)
    with app.app_context():
        try:
            frozen_claims = {name: freeze(value) for name, value in claims.items()}
        except TypeError:  # a lone surrogate in a random text: not JSON, never issued
            return
        try:
            token = manager.auth_token(sub, scope, claims=frozen_claims)  # type: ignore[arg-type]
        except TypeError:
            return
        payload = token.signed.split(".")[1]
        written = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        assert written == dumps_compact(token.claims)
        assert manager.convert_token(token.signed).claims == token.claims


def test_the_header_segments_are_written_once_and_equal_the_plain_header() -> None:
    written: list[tuple[str, str, str | None]] = []

    def write(typ: str, alg: str, kid: str | None) -> tuple[FrozenJSONObject, str]:
        written.append((typ, alg, kid))
        return write_header(typ, alg, kid)

    segments = HeaderSegments(write)
    first = segments.get("at+jwt", "HS256", "k1")
    assert segments.get("at+jwt", "HS256", "k1") is first
    assert first == write_header("at+jwt", "HS256", "k1", EMPTY_OBJECT)
    header, segment = first
    assert base64.urlsafe_b64decode(segment + "==") == dumps_compact(header)
    assert segments.get("at+jwt", "HS256", "k2")[0]["kid"] == "k2"  # a signer's new kid
    assert segments.get("refresh+jwt", "HS256", None)[0] == {"alg": "HS256", "typ": "refresh+jwt"}
    assert len(written) == 3
    for index in range(2 * MAX_HEADER_SEGMENTS):  # bounded: a kid per token cannot grow it
        segments.get("at+jwt", "HS256", f"kid-{index}")
    assert len(segments._known) <= MAX_HEADER_SEGMENTS  # pyright: ignore[reportPrivateUsage]
