"""Project Wycheproof JOSE vectors through the library's verification layer.

Every JWS case (``json_web_signature_test.json``) and every key-set case
(``json_web_key_test.json``) runs through :func:`flask_pyjwt._core.jws.decode_compact` with a
:class:`~flask_pyjwt.KeyVerifier` (and a :class:`~flask_pyjwt.KeySetVerifier`) built from
the vector's JWK, converted with :mod:`cryptography` by :func:`verifier_from_jwk` below.

What is compared is the signature layer: "accepted" means the verifier was reached and
returned, i.e. size, structure, header, algorithm allow-list and signature all passed.
The vectors' payloads are raw bytes ("foo", RFC 7520's prose), not JWT claim sets, so
every accepted case is then refused as a *token* with ``TokenMalformedError`` because its
payload is not a JSON object (RFC 7519 7.2 step 10) - checked for each accepted case.

Cases where the library deliberately differs from the vector, or the vector is ambiguous or
self-contradictory, are listed in ``JWS_DECISIONS`` / ``KEYSET_DECISIONS`` with the reason;
``docs/security.rst`` carries the same table (a test keeps the two in step).
"""

from __future__ import annotations

import base64
import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Final, cast

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from flask import Flask

from flask_pyjwt import (
    AuthManager,
    InvalidConfigError,
    InvalidTokenError,
    KeySetVerifier,
    KeyVerifier,
    Verifier,
)
from flask_pyjwt._core.jws import decode_compact
from flask_pyjwt.errors import TokenMalformedError, WeakSecretWarning
from flask_pyjwt.typing import AuthType, JWSHeader

VECTORS: Final = Path(__file__).resolve().parents[1] / "vectors" / "wycheproof"
DOCS_PAGE: Final = Path(__file__).resolve().parents[2] / "docs" / "security.rst"

JWK = dict[str, object]


@dataclass(frozen=True)
class Case:
    """One Wycheproof test case with the key (set) of its group."""

    tc_id: int
    comment: str
    jws: str
    valid: bool
    flags: tuple[str, ...]
    keys: tuple[JWK, ...]


def _object(value: object) -> dict[str, object]:
    assert isinstance(value, dict)
    return cast("dict[str, object]", value)


def _list(value: object) -> list[object]:
    assert isinstance(value, list)
    return cast("list[object]", value)


def _load(name: str, *, key_set: bool) -> list[Case]:
    document = _object(json.loads((VECTORS / name).read_text(encoding="utf-8")))
    cases: list[Case] = []
    for group_value in _list(document["testGroups"]):
        group = _object(group_value)
        # Verify with the public key where there is one (a secret key has only "private").
        side = _object(group["public"] if "public" in group else group["private"])
        keys = tuple(_object(k) for k in _list(side["keys"])) if key_set else (side,)
        for test_value in _list(group["tests"]):
            test = _object(test_value)
            tc_id, comment, jws, result = test["tcId"], test["comment"], test["jws"], test["result"]
            assert isinstance(tc_id, int)
            assert isinstance(comment, str)
            assert isinstance(jws, str)
            assert result in ("valid", "invalid")
            flags = tuple(str(flag) for flag in _list(test["flags"]))
            cases.append(Case(tc_id, comment, jws, result == "valid", flags, keys))
    assert len(cases) == document["numberOfTests"]
    return cases


JWS_CASES: Final = _load("json_web_signature_test.json", key_set=False)
KEYSET_CASES: Final = _load("json_web_key_test.json", key_set=True)


class UnusableKeyError(ValueError):
    """The JWK cannot be a signature-verification key (wrong use, unknown alg, ...)."""


def _b64(value: object) -> bytes:
    if not isinstance(value, str):
        raise UnusableKeyError("a JWK member is not a base64url string")
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def _int(value: object) -> int:
    return int.from_bytes(_b64(value), "big")


_CURVES: Final[dict[str, ec.EllipticCurve]] = {
    "P-256": ec.SECP256R1(),
    "P-384": ec.SECP384R1(),
    "P-521": ec.SECP521R1(),
}


def verifier_from_jwk(jwk: JWK, *, alg: str | None = None) -> KeyVerifier:
    """A :class:`KeyVerifier` for a JWK, as an application would build one.

    The harness refuses what RFC 7517 says is not a verification key: ``use`` other
    than ``sig``, ``key_ops`` without ``verify``, an ``alg`` that is not a JWS algorithm
    this library implements (``ES521``, ``ES224``, ``RSA1_5``, ``A256GCM``, ...) or a
    missing one (RFC 8725 3.1: every key is bound to one algorithm). The key's type,
    size, curve and emptiness are then checked by :class:`KeyVerifier` itself.

    Raises:
        UnusableKeyError, ValueError, KeyError: the key cannot verify signatures.
    """
    if jwk.get("use", "sig") != "sig":
        raise UnusableKeyError("use is not sig")
    if "key_ops" in jwk and "verify" not in _list(jwk["key_ops"]):
        raise UnusableKeyError("key_ops does not allow verify")
    name = alg if alg is not None else jwk.get("alg")
    try:
        algorithm = AuthType(name)
    except ValueError:
        raise UnusableKeyError(f"alg {name!r} is not a supported JWS algorithm") from None
    kid = jwk.get("kid")
    key_id = kid if isinstance(kid, str) else None
    kty = jwk.get("kty")
    if kty == "oct":
        return KeyVerifier(algorithm, _b64(jwk["k"]), key_id=key_id)
    if kty == "RSA":
        public_rsa = rsa.RSAPublicNumbers(_int(jwk["e"]), _int(jwk["n"])).public_key()
        return KeyVerifier(algorithm, public_rsa, key_id=key_id)
    if kty == "EC":
        curve = _CURVES[str(jwk["crv"])]
        public_ec = ec.EllipticCurvePublicNumbers(_int(jwk["x"]), _int(jwk["y"]), curve)
        return KeyVerifier(algorithm, public_ec.public_key(), key_id=key_id)
    raise UnusableKeyError(f"kty {kty!r} is not supported")


class RecordingVerifier:
    """Wraps a verifier and records whether the signature check was reached and passed."""

    def __init__(self, inner: Verifier) -> None:
        self.inner = inner
        self.verified = False

    @property
    def algorithms(self) -> frozenset[str]:
        return self.inner.algorithms

    def verify(self, header: JWSHeader, signing_input: bytes, signature: bytes) -> None:
        self.inner.verify(header, signing_input, signature)
        self.verified = True


def signature_layer_accepts(verifier: Verifier, jws: str) -> bool:
    """Whether ``decode_compact`` gets through the signature check for ``jws``.

    When it does, the only refusal allowed afterwards is the payload not being a JSON
    object (the vectors' payloads are not JWT claim sets).
    """
    recorder = RecordingVerifier(verifier)
    refusal: InvalidTokenError | None = None
    try:
        decode_compact(jws, recorder)
    except InvalidTokenError as error:
        refusal = error
    if recorder.verified:
        assert isinstance(refusal, TokenMalformedError)
        assert refusal.message == "The token payload is not a strict JSON object."
    return recorder.verified


@dataclass(frozen=True)
class Decision:
    """The library's outcome for a case where it differs from (or must interpret) the vector."""

    accepts: bool
    reason: str


_EMPTY_PAYLOAD = Decision(
    False,
    "Empty payload segment. RFC 7515 allows an empty JWS payload, but a JWT's payload is a "
    "JSON object (RFC 7519 7.2), so the compact parser requires three non-empty segments "
    "and refuses it before the signature check.",
)
_KEY_ALG_BINDS = Decision(
    False,
    "The JWK says alg PS256, the token says PS384 (RFC 7520 figure 20 with a key edited by "
    "the vectors). The key's declared algorithm binds it (RFC 8725 3.1): refused as "
    "algorithm_not_allowed.",
)
_ES521 = Decision(
    False,
    'The JWK says alg "ES521", which is not a JWA algorithm (P-521 ECDSA is ES512). A key '
    "with an unknown alg is not used. Bound by its curve to ES512 the signature verifies "
    "(checked in test_es521_key_verifies_when_bound_to_es512).",
)
_STRICT_ALPHABET = Decision(
    False,
    'A "?" inside a segment. The vector expects decoders to skip it (the MAC is over the '
    "string without it). RFC 7515 2 and 7.1 allow only the base64url alphabet, and "
    "skipping characters makes tokens malleable, so the token is refused as token_malformed.",
)
_CONTRADICTION = Decision(
    True,
    "Byte-for-byte the same JWS as tcId 357, which the same file labels valid: no verifier "
    "can satisfy both. The signature is valid, so the library accepts it at the signature "
    "layer. The padded form the name describes is refused "
    "(test_padding_the_invalidbase64padding_cases_intend_is_refused).",
)

JWS_DECISIONS: Final[dict[int, Decision]] = {
    259: _EMPTY_PAYLOAD,
    264: _EMPTY_PAYLOAD,
    268: _EMPTY_PAYLOAD,
    272: _EMPTY_PAYLOAD,
    320: _EMPTY_PAYLOAD,
    325: _EMPTY_PAYLOAD,
    346: _KEY_ALG_BINDS,
    350: _KEY_ALG_BINDS,
    347: _ES521,
    351: _ES521,
    367: _CONTRADICTION,
    370: _CONTRADICTION,
    372: _STRICT_ALPHABET,
    373: _STRICT_ALPHABET,
}

_SHORT_HMAC = Decision(
    True,
    "HMAC key shorter than the hash (31/47/63 bytes; RFC 7518 3.2 says MUST NOT). "
    "KeyVerifier takes any non-empty secret; the app configuration refuses it with "
    "JWT_REQUIRE_STRONG_SECRET=True and warns (WeakSecretWarning) otherwise, for seed "
    "compatibility (test_short_hmac_keys_through_app_config).",
)
KEYSET_DECISIONS: Final[dict[int, Decision]] = {
    1: Decision(
        True,
        "A key set mixing an HMAC secret and an EC key (flagged Ambiguous). Every key is "
        "bound to one algorithm and picked by kid, so HS256 can never be checked with the "
        "EC key; the valid HS256 token is accepted. Cross-family confusion inside a set is "
        "refused (tests/security/test_headers.py).",
    ),
    7: Decision(
        True,
        "A 2049-bit RSA key with the ROCA weakness (CVE-2017-15361). The library checks "
        "RSA size (>= 2048) but does not fingerprint ROCA keys; such keys come from "
        "specific smart cards and must be replaced at their source.",
    ),
    10: _SHORT_HMAC,
    11: _SHORT_HMAC,
    12: _SHORT_HMAC,
}


@pytest.mark.parametrize("case", JWS_CASES, ids=[f"tc{c.tc_id}-{c.comment}" for c in JWS_CASES])
def test_jws_vector(case: Case) -> None:
    decision = JWS_DECISIONS.get(case.tc_id)
    expected = decision.accepts if decision is not None else case.valid
    try:
        verifier = verifier_from_jwk(case.keys[0])
    except (ValueError, KeyError):
        accepted = False
    else:
        accepted = signature_layer_accepts(verifier, case.jws)
        # The same outcome when the key sits in a key set and is selected by kid.
        key_set = KeySetVerifier([verifier])
        assert signature_layer_accepts(key_set, case.jws) is accepted
    assert accepted is expected, decision.reason if decision else case.comment


@pytest.mark.parametrize(
    "case", KEYSET_CASES, ids=[f"tc{c.tc_id}-{c.comment}" for c in KEYSET_CASES]
)
def test_key_set_vector(case: Case) -> None:
    decision = KEYSET_DECISIONS.get(case.tc_id)
    expected = decision.accepts if decision is not None else case.valid
    try:
        # A short HMAC key warns (WeakSecretWarning), as test_short_hmac_keys_through_app_config
        # checks; the outcome of the vector is what this test is about.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            verifier = KeySetVerifier([verifier_from_jwk(key) for key in case.keys])
        assert {w.category for w in caught} <= {WeakSecretWarning}
    except (ValueError, KeyError):
        accepted = False
    else:
        accepted = signature_layer_accepts(verifier, case.jws)
    assert accepted is expected, decision.reason if decision else case.comment


def test_decisions_name_real_cases_where_the_outcome_differs_or_is_ambiguous() -> None:
    by_id = {case.tc_id: case for case in JWS_CASES}
    for tc_id, decision in JWS_DECISIONS.items():
        assert by_id[tc_id].valid is not decision.accepts
    key_by_id = {case.tc_id: case for case in KEYSET_CASES}
    for tc_id, decision in KEYSET_DECISIONS.items():
        case = key_by_id[tc_id]
        assert case.valid is not decision.accepts or "Ambiguous" in case.flags


def test_the_counts_in_the_docs_are_those_of_the_vectors_and_the_decisions() -> None:
    """docs/security.rst says how many cases run, match and are decided: computed here
    from the vector files and the decision tables, so the page cannot drift from them.
    (Each case's outcome is asserted by test_jws_vector / test_key_set_vector.)"""
    text = " ".join(DOCS_PAGE.read_text(encoding="utf-8").split())
    jws, keyset = len(JWS_CASES), len(KEYSET_CASES)
    assert (
        f"JWS cases: **{jws}**, of which **{jws - len(JWS_DECISIONS)}** match the vector's "
        f"expected result and **{len(JWS_DECISIONS)}** are decided below."
    ) in text
    assert (
        f"Key-set cases: **{keyset}**, of which **{keyset - len(KEYSET_DECISIONS)}** match "
        f"and **{len(KEYSET_DECISIONS)}** are decided below."
    ) in text


def test_docs_table_lists_every_decision() -> None:
    text = DOCS_PAGE.read_text(encoding="utf-8")
    for tc_id in JWS_DECISIONS:
        assert f"JWS {tc_id}" in text, tc_id
    for tc_id in KEYSET_DECISIONS:
        assert f"key set {tc_id}" in text, tc_id


def _case(cases: list[Case], tc_id: int) -> Case:
    return next(case for case in cases if case.tc_id == tc_id)


@pytest.mark.parametrize("tc_id", [347, 351])
def test_es521_key_verifies_when_bound_to_es512(tc_id: int) -> None:
    case = _case(JWS_CASES, tc_id)
    verifier = verifier_from_jwk(case.keys[0], alg="ES512")
    assert signature_layer_accepts(verifier, case.jws)


@pytest.mark.parametrize("tc_id", [367, 370])
def test_padding_the_invalidbase64padding_cases_intend_is_refused(tc_id: int) -> None:
    case = _case(JWS_CASES, tc_id)
    assert case.jws == _case(JWS_CASES, 357).jws
    verifier = verifier_from_jwk(case.keys[0])
    header, payload, signature = case.jws.split(".")
    assert signature_layer_accepts(verifier, case.jws)
    for padded in (f"{header}=.{payload}.{signature}", f"{header}.{payload}==.{signature}"):
        with pytest.raises(TokenMalformedError):
            decode_compact(padded, verifier)


@pytest.mark.parametrize("tc_id", [372, 373])
def test_the_signature_is_over_the_string_without_the_inserted_character(tc_id: int) -> None:
    case = _case(JWS_CASES, tc_id)
    verifier = verifier_from_jwk(case.keys[0])
    assert signature_layer_accepts(verifier, case.jws.replace("?", ""))


@pytest.mark.parametrize("tc_id", [10, 11, 12])
def test_short_hmac_keys_through_app_config(tc_id: int) -> None:
    case = _case(KEYSET_CASES, tc_id)
    jwk = case.keys[0]
    secret = _b64(jwk["k"])
    for strict in (False, True):
        app = Flask(f"wycheproof_{tc_id}")
        app.config["JWT_ISSUER"] = "wycheproof"
        app.config["JWT_AUTHTYPE"] = str(jwk["alg"])
        app.config["JWT_SECRET"] = secret
        app.config["JWT_REQUIRE_STRONG_SECRET"] = strict
        if strict:
            with pytest.raises(InvalidConfigError, match=r"RFC 7518 3\.2"):
                AuthManager(app)
        else:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                AuthManager(app)
            assert [w.category for w in caught] == [WeakSecretWarning]
