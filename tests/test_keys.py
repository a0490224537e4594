"""Keys as JWKs, key ids, rotation, and the JWK Set this app publishes.

What an independent implementation (joserfc) makes of our keys and tokens is the check
that matters: the published JWK Set must verify our tokens there, and JWKs joserfc
writes must configure this library.
"""

from __future__ import annotations

import base64
import copy
import json
import warnings
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask
from joserfc import jwt
from joserfc.errors import SecurityWarning

from flask_pyjwt import (
    AuthManager,
    InvalidConfigError,
    KeySetVerifier,
    KeyVerifier,
    current_token,
    require_token,
)
from flask_pyjwt._core.jwk import JWK, parse_jwk
from flask_pyjwt._core.jwks import thumbprint
from flask_pyjwt._core.strict_json import loads_object
from flask_pyjwt.typing import JWKSet
from tests.idp import joserfc_key_set, joserfc_thumbprint, public_jwk, rsa_key
from tests.support import (
    HMAC_SECRET,
    ISSUER,
    bearer,
    config_for,
    configure,
    ec_pair,
    json_body,
    make_app,
    pair_for,
)

ASYMMETRIC = ["RS256", "RS512", "PS256", "ES256", "ES384", "ES512", "EdDSA"]


def _jwks(app: Flask, manager: AuthManager) -> JWKSet:
    with app.app_context():
        return manager.jwks()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _ec_jwk(private: bool = False, index: int = 0) -> dict[str, str]:
    key = (ec_pair("P-256") if index == 0 else ec_pair("P-256", index)).private
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    numbers = key.public_key().public_numbers()
    jwk = {"kty": "EC", "crv": "P-256", "x": _b64(numbers.x.to_bytes(32, "big")),
           "y": _b64(numbers.y.to_bytes(32, "big"))}  # fmt: skip
    if private:
        jwk["d"] = _b64(key.private_numbers().private_value.to_bytes(32, "big"))
    return jwk


# -- publishing -----------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ASYMMETRIC)
def test_the_published_jwks_verifies_our_tokens_in_joserfc(algorithm: str) -> None:
    app, manager = make_app(algorithm)
    document = _jwks(app, manager)
    with app.app_context():
        token = manager.auth_token("alice", "read")
    (key,) = document["keys"]
    assert key["kid"] == token.header["kid"]
    assert (key["use"], key["alg"]) == ("sig", algorithm)
    assert not {"d", "p", "q", "dp", "dq", "qi", "k"} & set(key)
    # Independent: joserfc imports the set, selects the key by kid, checks the signature.
    key_set = joserfc_key_set(document)
    with warnings.catch_warnings():
        # joserfc warns that RFC 9864 deprecates the name EdDSA (for Ed25519/Ed448).
        warnings.simplefilter("ignore", SecurityWarning)
        decoded = jwt.decode(token.signed, key_set, algorithms=[algorithm])
    assert decoded.claims["sub"] == "alice"
    assert decoded.header["kid"] == key["kid"]
    # And the kid is the RFC 7638 thumbprint joserfc computes for that key.
    assert joserfc_thumbprint(key) == key["kid"]


def test_an_hmac_app_publishes_nothing() -> None:
    app, manager = make_app("HS256", JWT_JWKS_ROUTE="/.well-known/jwks.json")
    assert _jwks(app, manager) == {"keys": []}
    response = app.test_client().get("/.well-known/jwks.json")
    assert response.get_json() == {"keys": []}
    assert HMAC_SECRET.encode() not in response.data


def test_jwks_route_serves_the_set_with_cache_control() -> None:
    app, manager = make_app("ES256", JWT_JWKS_ROUTE="/.well-known/jwks.json")
    client = app.test_client()
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.get_json() == _jwks(app, manager)
    assert client.post("/.well-known/jwks.json").status_code == 405
    with app.test_request_context():
        from flask import url_for

        assert url_for("flask_pyjwt.jwks") == "/.well-known/jwks.json"
    plain, _ = make_app("ES256")
    assert plain.test_client().get("/.well-known/jwks.json").status_code == 404


def test_jwks_is_a_new_document_each_time() -> None:
    app, manager = make_app("ES256")
    first = _jwks(app, manager)
    kept = copy.deepcopy(first)
    first["keys"].clear()
    assert _jwks(app, manager) == kept


def test_a_custom_verifier_publishes_its_built_in_keys_only() -> None:
    app = Flask("custom")
    configure(app, {"JWT_ISSUER": ISSUER})
    verifier = KeySetVerifier(
        [KeyVerifier("ES256", pair_for("ES256").public_pem, key_id="a"),
         KeyVerifier("HS256", HMAC_SECRET, key_id="b")]
    )  # fmt: skip
    manager = AuthManager(app, verifier=verifier)
    assert [key["kid"] for key in _jwks(app, manager)["keys"]] == ["a"]


# -- JWKs as configuration --------------------------------------------------------------


def _protected(app: Flask) -> None:
    @app.route("/me")
    @require_token()
    def me() -> dict[str, Any]:
        return {"sub": current_token.sub, "kid": current_token.header.get("kid")}


def test_keys_written_by_joserfc_configure_an_issuer_and_a_verifier() -> None:
    key = rsa_key("2026-01")
    issuer = Flask("issuer")
    configure(issuer, {"JWT_ISSUER": ISSUER, "JWT_AUTHTYPE": "RS256",
                       "JWT_SECRET": json.dumps(dict(key.as_dict(private=True)))})  # fmt: skip
    issuing = AuthManager(issuer)
    with issuer.app_context():
        token = issuing.auth_token("alice")
    assert token.header["kid"] == "2026-01"  # the JWK's own kid
    api = Flask("api")
    configure(api, {"JWT_ISSUER": ISSUER, "JWT_AUTHTYPE": "RS256",
                    "JWT_PUBLICKEY": {"keys": [public_jwk(key)]}})  # fmt: skip
    AuthManager(api)
    _protected(api)
    response = api.test_client().get("/me", headers=bearer(token.signed))
    assert json_body(response) == {"sub": "alice", "kid": "2026-01"}


def test_an_rsa_jwk_with_d_only_recovers_its_primes() -> None:
    full = dict(rsa_key("d-only").as_dict(private=True))
    minimal = {name: full[name] for name in ("kty", "n", "e", "d")}
    app, manager = make_app("RS256", JWT_SECRET=minimal, JWT_PUBLICKEY=None)
    with app.app_context():
        token = manager.auth_token("alice")
    decoded = jwt.decode(token.signed, joserfc_key_set(_jwks(app, manager)), algorithms=["RS256"])
    assert decoded.claims["sub"] == "alice"


def test_rotation_runbook_end_to_end() -> None:
    """Add the new key to the set, switch the signer, drop the old key: nobody is logged
    out, and the old key's tokens stop working only when it is dropped."""
    old, new = _ec_jwk(True, 0), _ec_jwk(True, 1)
    old_public = {k: v for k, v in old.items() if k != "d"} | {"kid": "2025-01"}
    new_public = {k: v for k, v in new.items() if k != "d"} | {"kid": "2026-01"}

    def app_with(secret: dict[str, str], *public: dict[str, str]) -> tuple[Flask, AuthManager]:
        app = Flask("rotating")
        configure(app, {"JWT_ISSUER": ISSUER, "JWT_AUTHTYPE": "ES256", "JWT_SECRET": secret,
                        "JWT_PUBLICKEY": {"keys": list(public)}})  # fmt: skip
        manager = AuthManager(app)
        _protected(app)
        return app, manager

    def status(app: Flask, token: str) -> object:
        return json_body(app.test_client().get("/me", headers=bearer(token))).get("kid", "-")

    # Before: one key; its tokens carry the kid it has in the set.
    before, before_manager = app_with(old, old_public)
    with before.app_context():
        old_token = before_manager.auth_token("alice").signed
    assert status(before, old_token) == "2025-01"
    # 1. Publish the new key, still signing with the old one.
    step1, step1_manager = app_with(old, old_public, new_public)
    with step1.app_context():
        assert step1_manager.auth_token("alice").header["kid"] == "2025-01"
    assert [key["kid"] for key in _jwks(step1, step1_manager)["keys"]] == ["2025-01", "2026-01"]
    # 2. Sign with the new key: old and new tokens both pass.
    step2, step2_manager = app_with(new, old_public, new_public)
    with step2.app_context():
        new_token = step2_manager.auth_token("alice").signed
    assert (status(step2, old_token), status(step2, new_token)) == ("2025-01", "2026-01")
    # 3. After the longest token lifetime, drop the old key.
    step3, _ = app_with(new, new_public)
    assert status(step3, new_token) == "2026-01"
    refused = step3.test_client().get("/me", headers=bearer(old_token))
    assert json_body(refused)["code"] == "unknown_key"


def test_tokens_without_kid_still_verify_with_a_single_key() -> None:
    """Tokens issued before every token carried a kid: one key checks them; a set of
    several cannot tell which key, and refuses them."""
    app, manager = make_app("ES256")
    _protected(app)
    with app.app_context():
        token = manager.auth_token("alice")
    header, payload, _ = token.signed.split(".")
    fields = json.loads(base64.urlsafe_b64decode(header + "=="))
    del fields["kid"]
    from tests.support import forge

    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    unlabelled = forge(fields, claims, algorithm="ES256")
    assert app.test_client().get("/me", headers=bearer(unlabelled)).status_code == 200
    two = KeySetVerifier([KeyVerifier("ES256", pair_for("ES256").public_pem),
                          KeyVerifier("ES256", ec_pair("P-256", 1).public_pem)])  # fmt: skip
    several = Flask("several")
    configure(several, {"JWT_ISSUER": ISSUER})
    AuthManager(several, verifier=two)
    _protected(several)
    response = several.test_client().get("/me", headers=bearer(unlabelled))
    assert json_body(response)["code"] == "unknown_key"
    assert several.test_client().get("/me", headers=bearer(token.signed)).status_code == 200


def test_the_signer_takes_the_kid_its_key_has_in_the_set() -> None:
    pair = pair_for("ES256")
    public = _ec_jwk() | {"kid": "named"}
    app, manager = make_app("ES256", JWT_PUBLICKEY=json.dumps({"keys": [public]}))
    assert pair.private_pem  # JWT_SECRET is the PEM of the same key
    with app.app_context():
        assert manager.auth_token("alice").header["kid"] == "named"
    with pytest.raises(InvalidConfigError, match="holds another key than JWT_SECRET's"):
        make_app("ES256", JWT_KEY_ID="named",
                 JWT_PUBLICKEY={"keys": [_ec_jwk(index=1) | {"kid": "named"}]})  # fmt: skip


def test_jwt_keyid_names_a_single_pem_public_key() -> None:
    app = Flask("pem")
    configure(app, {"JWT_ISSUER": ISSUER, "JWT_AUTHTYPE": "ES256", "JWT_KEY_ID": "pem-1",
                    "JWT_PUBLICKEY": pair_for("ES256").public_pem})  # fmt: skip
    manager = AuthManager(app)
    assert [key["kid"] for key in _jwks(app, manager)["keys"]] == ["pem-1"]


# -- strict JWK parsing -----------------------------------------------------------------


def _public_error(jwk: object, algorithm: object = "ES256") -> str:
    app = Flask("jwk")
    configure(app, {"JWT_ISSUER": ISSUER, "JWT_AUTHTYPE": algorithm, "JWT_PUBLICKEY": jwk})
    with pytest.raises(InvalidConfigError) as raised:
        AuthManager(app)
    assert raised.value.key == "JWT_PUBLICKEY"
    return raised.value.message


GOOD = _ec_jwk()
STRICTNESS: dict[str, tuple[object, str]] = {
    "no kty": ({k: v for k, v in GOOD.items() if k != "kty"}, "without a 'kty'"),
    "unknown kty": (GOOD | {"kty": "DSA"}, "'kty' must be one of"),
    "no y": ({k: v for k, v in GOOD.items() if k != "y"}, "required 'y'"),
    "padded x": (GOOD | {"x": GOOD["x"] + "="}, "not canonical unpadded base64url"),
    "standard alphabet": (GOOD | {"x": GOOD["x"].replace("-", "+").replace("_", "/") + "+"},
                          "not canonical"),
    "non-canonical last char": (GOOD | {"x": GOOD["x"][:-1] + "B"}, "not canonical"),
    "short x": (GOOD | {"x": _b64(bytes(31))}, "its curve needs exactly 32"),
    "x not a string": (GOOD | {"x": 7}, "'x' member is not a string"),
    "not on the curve": (GOOD | {"y": GOOD["x"]}, "not on its curve"),
    "secp256k1": (GOOD | {"crv": "secp256k1"}, "curve that is not supported"),
    "P-384 for ES256": (_ec_jwk() | {"crv": "P-384"}, "its curve needs exactly 48"),
    "use enc": (GOOD | {"use": "enc"}, '"use": \'enc\''),
    "key_ops sign only": (GOOD | {"key_ops": ["sign"]}, "does not allow 'verify'"),
    "key_ops repeated": (GOOD | {"key_ops": ["verify", "verify"]}, "repeats a value"),
    "key_ops not strings": (GOOD | {"key_ops": "verify"}, "not an array of strings"),
    "alg contradicts": (GOOD | {"alg": "ES384"}, "JWT_AUTHTYPE allows ES256"),
    "kid not a string": (GOOD | {"kid": 5}, "'kid' member is not a non-empty string"),
    "empty kid": (GOOD | {"kid": ""}, "'kid' member is not a non-empty string"),
    "private d": (GOOD | {"d": "AAAA"}, "private or secret key material"),
    "oct in a set": ({"keys": [{"kty": "oct", "k": "AAAA"}]}, "private or secret key material"),
    "an RSA key for ES256": (
        {k: v for k, v in public_jwk(rsa_key("r")).items() if k != "alg"},
        "needs an EC key",
    ),
    "keys not an array": ({"keys": {"a": GOOD}}, "not an array of JWK objects"),
    "empty set": ({"keys": []}, "without keys"),
    "duplicate members": ('{"kty":"EC","kty":"EC"}', "not one strict JSON object"),
    "x5c of another key": (GOOD | {"x5c": ["MIIB"]}, "'x5c' certificate cannot be read"),
    "X25519": ({"kty": "OKP", "crv": "X25519", "x": "A" * 43}, "not a signature curve"),
}  # fmt: skip


@pytest.mark.parametrize(("jwk", "message"), STRICTNESS.values(), ids=STRICTNESS.keys())
def test_jwks_in_the_configuration_are_read_strictly(jwk: object, message: str) -> None:
    algorithm = "EdDSA" if message == "not a signature curve" else "ES256"
    assert message in _public_error(jwk, algorithm)


def test_rsa_strictness() -> None:
    rsa_public = public_jwk(rsa_key("r"))
    n = str(rsa_public["n"])
    assert "minimal big-endian" in _public_error(rsa_public | {"n": "AA" + n}, "RS256")
    full = dict(rsa_key("p").as_dict(private=True))
    partial = {k: v for k, v in full.items() if k not in ("dq", "qi")}
    app = Flask("rsa")
    configure(app, {"JWT_ISSUER": ISSUER, "JWT_AUTHTYPE": "RS256", "JWT_SECRET": partial})
    with pytest.raises(InvalidConfigError, match="all or none"):
        AuthManager(app)
    configure(app, {"JWT_SECRET": full | {"oth": []}})
    with pytest.raises(InvalidConfigError, match="multi-prime"):
        AuthManager(app)
    other = dict(rsa_key("q", 1).as_dict(private=True))  # another key pair
    configure(app, {"JWT_SECRET": full | {"d": other["d"]}})
    with pytest.raises(InvalidConfigError, match="do not form a valid key"):
        AuthManager(app)


def test_ec_and_okp_private_members_must_match_the_public_ones() -> None:
    mixed = _ec_jwk(True, 0) | {"d": _ec_jwk(True, 1)["d"]}
    app = Flask("ec")
    configure(app, {"JWT_ISSUER": ISSUER, "JWT_AUTHTYPE": "ES256", "JWT_SECRET": mixed})
    with pytest.raises(InvalidConfigError, match="not the private key of its 'x' and 'y'"):
        AuthManager(app)
    okp = {"kty": "OKP", "crv": "Ed25519", "x": _b64(bytes(32)), "d": _b64(bytes(32))}
    configure(app, {"JWT_AUTHTYPE": "EdDSA", "JWT_SECRET": okp})
    with pytest.raises(InvalidConfigError, match="not the private key of its 'x'"):
        AuthManager(app)


def test_several_algorithms_need_an_alg_when_a_key_fits_several() -> None:
    rsa_public = public_jwk(rsa_key("r"))
    del rsa_public["alg"]
    message = _public_error({"keys": [rsa_public]}, ["RS256", "PS256"])
    assert "fits several of the configured algorithms (RS256, PS256)" in message


def test_a_jwk_never_shows_its_key() -> None:
    jwk = parse_jwk(loads_object(json.dumps(_ec_jwk(True)).encode()))
    assert isinstance(jwk, JWK)
    assert _ec_jwk(True)["d"] not in repr(jwk)
    assert repr(jwk) == "JWK(kty='EC', kid=None, alg=None, key=<redacted>)"
    assert jwk.public is not None
    assert jwk.is_private


def test_thumbprint_matches_joserfc() -> None:
    for jwk in (_ec_jwk(), public_jwk(rsa_key("t"))):
        parsed = parse_jwk(loads_object(json.dumps(jwk).encode()))
        assert parsed.public is not None
        assert thumbprint(parsed.public) == joserfc_thumbprint(jwk)


def test_a_verifier_takes_jwk_config_equal_to_pem_config() -> None:
    config = config_for("ES256")
    app, manager = make_app("ES256")
    pem_kid = _jwks(app, manager)["keys"][0]["kid"]
    jwk_app, jwk_manager = make_app("ES256", JWT_SECRET=_ec_jwk(True), JWT_PUBLICKEY=None)
    assert _jwks(jwk_app, jwk_manager)["keys"][0]["kid"] == pem_kid
    assert config["JWT_SECRET"]
