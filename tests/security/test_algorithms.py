"""Algorithm attacks (RFC 8725 2.1, 3.1, 3.2): ``alg: none``, algorithm confusion, wrong keys.

Every case goes through a real Flask app; positive controls show that each algorithm
accepts a correctly signed token, so a library that refuses everything cannot pass.
"""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from tests.security.harness import (
    ALGORITHMS,
    DROP,
    assert_accepted,
    assert_refused,
    claims,
    header,
    make_harness,
)
from tests.support import PrivateKeyTypes, b64url, ec_pair, ed25519_pair, forge, pair_for, rsa_pair

ASYMMETRIC = tuple(alg for alg in ALGORITHMS if not alg.startswith("HS"))


@pytest.mark.parametrize("alg", ALGORITHMS)
def test_control_forged_token_of_every_algorithm_is_accepted(alg: str) -> None:
    harness = make_harness(alg)
    token = forge(header(alg), claims(), algorithm=alg)
    assert_accepted(harness, harness.get("/auth", token), "auth")


@pytest.mark.parametrize("alg", ALGORITHMS)
def test_control_issued_tokens_of_every_algorithm_are_accepted(alg: str) -> None:
    harness = make_harness(alg)
    with harness.app.app_context():
        auth = harness.manager.auth_token("alice", {"admin": True}).signed
        refresh = harness.manager.refresh_token("alice").signed
    assert_accepted(harness, harness.get("/admin", auth), "admin")
    harness.calls.clear()
    assert_accepted(harness, harness.get("/refresh", refresh), "refresh")


NONE_SPELLINGS = ("none", "None", "NONE", "nOnE", "NoNe")


@pytest.mark.parametrize("app_alg", ["HS256", "RS256", "ES256"])
@pytest.mark.parametrize("spelling", NONE_SPELLINGS)
@pytest.mark.parametrize(
    ("signature", "code"),
    [
        ("", "token_malformed"),  # "h.p." : the canonical unsecured JWS
        ("c2ln", "algorithm_not_allowed"),  # some bytes
        ("AA", "algorithm_not_allowed"),  # a single zero byte
    ],
)
def test_alg_none_is_refused(app_alg: str, spelling: str, signature: str, code: str) -> None:
    harness = make_harness(app_alg)
    signing_input = forge(header(spelling), claims()).rsplit(".", 1)[0]
    response = harness.get("/auth", f"{signing_input}.{signature}")
    assert_refused(harness, response, 401, code)


@pytest.mark.parametrize("app_alg", ["HS256", "RS256"])
@pytest.mark.parametrize("spelling", NONE_SPELLINGS)
def test_alg_none_with_a_valid_hmac_signature_is_refused(app_alg: str, spelling: str) -> None:
    harness = make_harness(app_alg)
    # Signed with the app's real HMAC secret: only the header's alg is wrong.
    token = forge(header(spelling), claims(), algorithm="HS256")
    assert_refused(harness, harness.get("/auth", token), 401, "algorithm_not_allowed")


@pytest.mark.parametrize("app_alg", ASYMMETRIC)
@pytest.mark.parametrize("hmac_alg", ["HS256", "HS384", "HS512"])
def test_hmac_signed_with_the_public_key_bytes_is_refused(app_alg: str, hmac_alg: str) -> None:
    """The classic confusion: the public key PEM used as an HMAC secret."""
    harness = make_harness(app_alg)
    public_pem = pair_for(app_alg).public_pem
    token = forge(header(hmac_alg), claims(), algorithm=hmac_alg, key=public_pem)
    assert_refused(harness, harness.get("/auth", token), 401, "algorithm_not_allowed")


@pytest.mark.parametrize("app_alg", ["RS256", "PS256", "ES256", "EdDSA"])
def test_hmac_signature_under_the_apps_own_alg_is_refused(app_alg: str) -> None:
    harness = make_harness(app_alg)
    public_pem = pair_for(app_alg).public_pem
    signing_input = forge(header(app_alg), claims(), algorithm=app_alg).rsplit(".", 1)[0]
    mac = forge(header(app_alg), claims(), algorithm="HS256", key=public_pem).rsplit(".", 1)[1]
    response = harness.get("/auth", f"{signing_input}.{mac}")
    assert_refused(harness, response, 401, "signature_invalid")


@pytest.mark.parametrize(
    ("app_alg", "header_alg", "signed_as", "code"),
    [
        ("RS256", "PS256", "PS256", "algorithm_not_allowed"),
        ("RS256", "RS256", "PS256", "signature_invalid"),
        ("PS256", "RS256", "RS256", "algorithm_not_allowed"),
        ("PS256", "PS256", "RS256", "signature_invalid"),
        ("RS256", "RS512", "RS512", "algorithm_not_allowed"),
        ("RS256", "RS256", "RS512", "signature_invalid"),
        ("PS384", "PS384", "PS256", "signature_invalid"),
        ("ES256", "ES384", "ES384", "algorithm_not_allowed"),
        ("ES384", "ES256", "ES256", "algorithm_not_allowed"),
        ("ES512", "EdDSA", "EdDSA", "algorithm_not_allowed"),
        ("EdDSA", "ES256", "ES256", "algorithm_not_allowed"),
        ("HS256", "HS512", "HS512", "algorithm_not_allowed"),
        ("HS512", "HS256", "HS256", "algorithm_not_allowed"),
        ("HS256", "RS256", "RS256", "algorithm_not_allowed"),
    ],
)
def test_algorithm_substitution_is_refused(
    app_alg: str, header_alg: str, signed_as: str, code: str
) -> None:
    harness = make_harness(app_alg)
    signing_input = forge(header(header_alg), claims(), algorithm=signed_as).rsplit(".", 1)[0]
    signature = forge(header(header_alg), claims(), algorithm=signed_as).rsplit(".", 1)[1]
    response = harness.get("/auth", f"{signing_input}.{signature}")
    assert_refused(harness, response, 401, code)


def test_es256_header_with_a_p384_signature_is_refused() -> None:
    harness = make_harness("ES256")
    token = forge(header("ES256"), claims(), algorithm="ES384", key=ec_pair("P-384").private)
    assert_refused(harness, harness.get("/auth", token), 401, "signature_invalid")


def test_ecdsa_der_signature_is_refused() -> None:
    """RFC 7518 3.4: R || S, not DER. A DER signature of the right input must not pass."""
    harness = make_harness("ES256")
    signing_input = forge(header("ES256"), claims(), algorithm="ES256").rsplit(".", 1)[0]
    private = ec_pair("P-256").private
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    der = private.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256()))
    response = harness.get("/auth", f"{signing_input}.{b64url(der)}")
    assert_refused(harness, response, 401, "signature_invalid")


@pytest.mark.parametrize(
    ("alg", "key"),
    [
        ("HS256", b"another-secret-that-is-long-enough-for-hs256!!"),
        ("RS256", rsa_pair(2048, 1).private),
        ("PS256", rsa_pair(2048, 1).private),
        ("ES256", ec_pair("P-256", 1).private),
        ("ES512", ec_pair("P-521", 1).private),
        ("EdDSA", ed25519_pair(1).private),
    ],
    ids=["HS256", "RS256", "PS256", "ES256", "ES512", "EdDSA"],
)
def test_token_signed_with_a_different_key_is_refused(
    alg: str, key: bytes | PrivateKeyTypes
) -> None:
    harness = make_harness(alg)
    token = forge(header(alg), claims(), algorithm=alg, key=key)
    assert_refused(harness, harness.get("/auth", token), 401, "signature_invalid")


@pytest.mark.parametrize(
    "alg",
    ["hs256", "HS256 ", " HS256", "HS1", "HS", "RS1", "ES256K", "A256GCM", "dir", "", "HS256\u0000",
     "\uff28\uff33256", "Ed25519", "EDDSA"],
)  # fmt: skip
def test_unknown_or_misspelled_alg_is_refused(alg: str) -> None:
    harness = make_harness("HS256")
    token = forge(header(alg), claims(), algorithm="HS256")
    assert_refused(harness, harness.get("/auth", token), 401, "algorithm_not_allowed")


@pytest.mark.parametrize("alg", [256, None, ["HS256"], {"name": "HS256"}, True, 1.5, DROP])
def test_non_string_or_missing_alg_is_malformed(alg: object) -> None:
    harness = make_harness("HS256")
    fields = header(alg)
    token = forge(fields, claims(), algorithm="HS256")
    assert_refused(harness, harness.get("/auth", token), 401, "token_malformed")


# -- one spelling per signature (RFC 8017 8.1.2 / 8.2.2; ECDSA low-S) ------------------

# The order n of each curve's base point (SEC 2 v2, 2.4.2 / 2.5.1 / 2.6.1), written out
# here rather than taken from the library, so the low-S test checks it independently.
CURVE_ORDERS = {
    "ES256": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    "ES384": int(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973",
        16,
    ),
    "ES512": int(
        "01" + "FF" * 32 + "FA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409", 16
    ),
}


def _signature_of(token: str) -> tuple[str, bytes]:
    signing_input, _, signature = token.rpartition(".")
    return signing_input, base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))


def _with_leading_zero(alg: str) -> tuple[str, bytes]:
    """A validly signed token for ``alg`` whose signature's first byte is zero.

    About 1 in 256 RSA signatures starts with a zero byte; PKCS#1 v1.5 is deterministic,
    so the ``jti`` varies until one does.
    """
    for attempt in range(5000):
        token = forge(header(alg), claims(jti=f"jti-{attempt}"), algorithm=alg)
        signing_input, signature = _signature_of(token)
        if signature[0] == 0:
            return signing_input, signature
    raise AssertionError("no signature with a leading zero byte in 5000 attempts")


@pytest.mark.parametrize("alg", ["RS256", "RS512", "PS256", "PS384", "PS512"])
def test_an_rsa_signature_without_its_leading_zero_byte_is_refused(alg: str) -> None:
    """RFC 8017 8.1.2 / 8.2.2: a signature of other than k bytes is invalid.

    OpenSSL accepts a PSS signature one byte short (the stripped leading zero), which
    would give about one token in 256 a second spelling.
    """
    harness = make_harness(alg)
    signing_input, signature = _with_leading_zero(alg)
    assert len(signature) == 256  # the 2048-bit session key: k = 256 bytes
    assert_accepted(harness, harness.get("/auth", f"{signing_input}.{b64url(signature)}"), "auth")
    harness.calls.clear()
    stripped = f"{signing_input}.{b64url(signature[1:])}"
    assert_refused(harness, harness.get("/auth", stripped), 401, "signature_invalid")


@pytest.mark.parametrize("alg", ["RS256", "PS256"])
def test_an_rsa_signature_with_an_extra_leading_zero_byte_is_refused(alg: str) -> None:
    harness = make_harness(alg)
    signing_input, signature = _signature_of(forge(header(alg), claims(), algorithm=alg))
    padded = f"{signing_input}.{b64url(bytes(1) + signature)}"
    assert_refused(harness, harness.get("/auth", padded), 401, "signature_invalid")


def _r_s(signature: bytes) -> tuple[int, int]:
    half = len(signature) // 2
    return int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big")


@pytest.mark.parametrize("alg", ["ES256", "ES384", "ES512"])
def test_issued_ecdsa_signatures_are_low_s(alg: str) -> None:
    """Our own tokens have one spelling: s <= n/2 (about half would be high-S otherwise)."""
    harness = make_harness(alg)
    order = CURVE_ORDERS[alg]
    with harness.app.app_context():
        tokens = [harness.manager.auth_token(f"user-{i}").signed for i in range(200)]
        tokens += [harness.manager.refresh_token(f"user-{i}").signed for i in range(50)]
    for token in tokens:
        _, s = _r_s(_signature_of(token)[1])
        assert 0 < s <= order // 2
    # Still valid tokens after normalising, through a view.
    assert_accepted(harness, harness.get("/auth", tokens[0]), "auth")


@pytest.mark.parametrize("alg", ["ES256", "ES384", "ES512"])
def test_a_high_s_signature_from_another_signer_stays_valid(alg: str) -> None:
    """(r, n - s) verifies as (r, s) does; Wycheproof treats both as valid, so does the
    library. Revocation keys on jti, never on the token string (docs/security.rst)."""
    harness = make_harness(alg)
    order = CURVE_ORDERS[alg]
    signing_input, signature = _signature_of(forge(header(alg), claims(), algorithm=alg))
    r, s = _r_s(signature)
    size = len(signature) // 2
    flipped = r.to_bytes(size, "big") + (order - s).to_bytes(size, "big")
    for sig in (signature, flipped):
        harness.calls.clear()
        assert_accepted(harness, harness.get("/auth", f"{signing_input}.{b64url(sig)}"), "auth")
