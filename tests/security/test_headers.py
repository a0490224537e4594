"""Header parameters an attacker controls (RFC 7515 4.1; RFC 8725 3.10): embedded keys
(``jwk``/``jku``/``x5u``/``x5c``/``x5t``) are never used, ``crit`` is honoured and
``kid`` is an opaque string that only selects among configured keys.
"""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from flask_pyjwt import KeySetVerifier, KeyVerifier
from tests.security.harness import (
    DROP,
    Harness,
    assert_accepted,
    assert_refused,
    claims,
    header,
    make_harness,
)
from tests.support import HMAC_SECRET, b64url, forge, rsa_pair

ATTACKER = rsa_pair(2048, 7)
ATTACKER_SECRET = b"attacker-chosen-secret-attacker-chosen-secret-64-bytes-long!!!!!"


def _attacker_jwk() -> dict[str, object]:
    public = ATTACKER.private.public_key()
    assert isinstance(public, rsa.RSAPublicKey)
    numbers = public.public_numbers()
    return {
        "kty": "RSA",
        "e": b64url(numbers.e.to_bytes(3, "big")),
        "n": b64url(numbers.n.to_bytes(256, "big")),
    }


_CERT_B64 = base64.b64encode(ATTACKER.public_pem).decode()

EMBEDDED: dict[str, dict[str, object]] = {
    "jwk": {"jwk": _attacker_jwk()},
    "jku": {"jku": "https://attacker.example/jwks.json"},
    "x5u": {"x5u": "https://attacker.example/cert.pem"},
    "x5c": {"x5c": [_CERT_B64]},
    "x5t": {"x5t": b64url(b"\x00" * 20)},
    "x5t#S256": {"x5t#S256": b64url(b"\x00" * 32)},
    "jwk and jku": {"jwk": _attacker_jwk(), "jku": "https://attacker.example/jwks.json"},
}


@pytest.mark.parametrize("extra", EMBEDDED.values(), ids=EMBEDDED.keys())
def test_embedded_attacker_key_is_not_used(extra: dict[str, object]) -> None:
    harness = make_harness("RS256")
    token = forge(header("RS256", **extra), claims(), algorithm="RS256", key=ATTACKER.private)
    assert_refused(harness, harness.get("/auth", token), 401, "signature_invalid")


def test_embedded_oct_jwk_with_attacker_secret_is_not_used() -> None:
    harness = make_harness("HS256")
    jwk = {"kty": "oct", "k": b64url(ATTACKER_SECRET)}
    token = forge(header(jwk=jwk), claims(), key=ATTACKER_SECRET)
    assert_refused(harness, harness.get("/auth", token), 401, "signature_invalid")


@pytest.mark.parametrize("extra", EMBEDDED.values(), ids=EMBEDDED.keys())
def test_control_embedded_key_headers_are_ignored_on_genuine_tokens(
    extra: dict[str, object],
) -> None:
    harness = make_harness("RS256")
    token = forge(header("RS256", **extra), claims(), algorithm="RS256")
    assert_accepted(harness, harness.get("/auth", token), "auth")


CRIT: dict[str, dict[str, object]] = {
    "unknown extension": {"crit": ["exp"], "exp": 1},
    "b64 (RFC 7797) not supported": {"crit": ["b64"], "b64": False},
    "b64 true not supported": {"crit": ["b64"], "b64": True},
    "listed but absent": {"crit": ["x-required"]},
    "empty list": {"crit": []},
    "string instead of list": {"crit": "exp", "exp": 1},
    "number": {"crit": 1},
    "null": {"crit": None},
    "object": {"crit": {"exp": True}},
    "non-string member": {"crit": [1]},
    "registered name alg": {"crit": ["alg"]},
    "registered name typ": {"crit": ["typ"]},
    "duplicate names": {"crit": ["x", "x"], "x": 1},
}


@pytest.mark.parametrize("extra", CRIT.values(), ids=CRIT.keys())
def test_crit_is_honoured(extra: dict[str, object]) -> None:
    """Signed with the real key: only the crit check can refuse these."""
    harness = make_harness()
    token = forge(header(**extra), claims())
    assert_refused(harness, harness.get("/auth", token), 401, "token_malformed")


def _key_set_harness() -> Harness:
    verifier = KeySetVerifier(
        [
            KeyVerifier("HS256", HMAC_SECRET, key_id="k1"),
            KeyVerifier("RS256", rsa_pair().public_pem, key_id="k2"),
        ]
    )
    return make_harness("HS256", verifier=verifier, JWT_KEY_ID="k1")


def test_control_key_set_accepts_each_key_by_kid() -> None:
    harness = _key_set_harness()
    assert_accepted(harness, harness.get("/auth", forge(header(kid="k1"), claims())), "auth")
    harness.calls.clear()
    token = forge(header("RS256", kid="k2"), claims(), algorithm="RS256")
    assert_accepted(harness, harness.get("/auth", token), "auth")
    harness.calls.clear()
    with harness.app.app_context():
        issued = harness.manager.auth_token("alice").signed
    assert_accepted(harness, harness.get("/auth", issued), "auth")


KIDS: dict[str, tuple[object, str]] = {
    "missing": (DROP, "unknown_key"),
    "null (absent)": (None, "unknown_key"),
    "empty": ("", "unknown_key"),
    "case differs": ("K1", "unknown_key"),
    "trailing space": ("k1 ", "unknown_key"),
    "nul byte": ("k1\u0000", "unknown_key"),
    "path traversal": ("../../../../etc/passwd", "unknown_key"),
    "absolute path": ("/dev/null", "unknown_key"),
    "dot segments to itself": ("k1/../k1", "unknown_key"),
    "windows path": ("..\\..\\k1", "unknown_key"),
    "url": ("https://attacker.example/k1", "unknown_key"),
    "sql injection": ("' OR '1'='1", "unknown_key"),
    "shell injection": ("k1; rm -rf /", "unknown_key"),
    "format string": ("%s%s%s{0}", "unknown_key"),
    "very long": ("k" * 4000, "unknown_key"),
    "number": (1, "token_malformed"),
    "true": (True, "token_malformed"),
    "array": (["k1"], "token_malformed"),
    "object": ({"kid": "k1"}, "token_malformed"),
}


@pytest.mark.parametrize(("kid", "code"), KIDS.values(), ids=KIDS.keys())
def test_kid_is_an_opaque_string_that_only_selects_configured_keys(kid: object, code: str) -> None:
    harness = _key_set_harness()
    token = forge(header(kid=kid), claims())  # signed with k1's secret
    assert_refused(harness, harness.get("/auth", token), 401, code)


def test_kid_of_the_rsa_key_with_hmac_over_its_public_pem_is_refused() -> None:
    """Key-set algorithm confusion: HS256 is allowed (k1), but k2 is bound to RS256."""
    harness = _key_set_harness()
    token = forge(header(kid="k2"), claims(), key=rsa_pair().public_pem)
    assert_refused(harness, harness.get("/auth", token), 401, "algorithm_not_allowed")


def test_kid_of_the_rsa_key_with_the_hmac_secret_is_refused() -> None:
    harness = _key_set_harness()
    token = forge(header(kid="k2"), claims())
    assert_refused(harness, harness.get("/auth", token), 401, "algorithm_not_allowed")


def test_kid_of_the_hmac_key_with_an_rsa_signature_is_refused() -> None:
    harness = _key_set_harness()
    token = forge(header("RS256", kid="k1"), claims(), algorithm="RS256")
    assert_refused(harness, harness.get("/auth", token), 401, "algorithm_not_allowed")


def test_alg_outside_the_key_set_is_refused_before_key_lookup() -> None:
    harness = _key_set_harness()
    token = forge(header("ES256", kid="k1"), claims(), algorithm="ES256")
    assert_refused(harness, harness.get("/auth", token), 401, "algorithm_not_allowed")
