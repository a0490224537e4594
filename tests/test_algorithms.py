"""Every supported algorithm works end to end, keys are checked at init_app, verify-only works."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed448
from flask import Flask

from flask_pyjwt import (
    AuthManager,
    AuthType,
    InvalidConfigError,
    KeySigner,
    KeyVerifier,
    MissingConfigError,
    MissingSignerError,
    current_token,
    require_token,
)
from tests.support import (
    HMAC_SECRET,
    ISSUER,
    bearer,
    config_for,
    configure,
    ec_pair,
    ed25519_pair,
    json_body,
    make_app,
    pair_for,
    rsa_pair,
)

ALL_ALGORITHMS = [member.value for member in AuthType]


def protected_app(algorithm: str, **config: object) -> tuple[Flask, AuthManager]:
    app, manager = make_app(algorithm, **config)

    @app.get("/me")
    @require_token()
    def me() -> dict[str, str]:
        return {"sub": current_token.sub, "alg": current_token.alg}

    @app.post("/refresh")
    @require_token("refresh")
    def refresh() -> dict[str, str]:
        return {"sub": current_token.sub}

    return app, manager


@pytest.mark.parametrize("algorithm", ALL_ALGORITHMS)
def test_issue_and_verify_through_a_view(algorithm: str) -> None:
    app, manager = protected_app(algorithm)
    with app.app_context():
        auth = manager.auth_token("alice")
        refresh = manager.refresh_token("alice")
    assert auth.alg == algorithm
    assert auth.header["alg"] == algorithm
    client = app.test_client()
    response = client.get("/me", headers=bearer(auth.signed))
    assert response.status_code == 200
    assert json_body(response) == {"sub": "alice", "alg": algorithm}
    assert client.post("/refresh", headers=bearer(refresh.signed)).status_code == 200
    assert client.get("/me", headers=bearer(refresh.signed)).status_code == 401


@pytest.mark.parametrize("algorithm", ["RS256", "ES256", "EdDSA", "PS512"])
def test_verify_only_service_accepts_tokens_from_the_issuer(algorithm: str) -> None:
    issuer_app, issuer = protected_app(algorithm)
    with issuer_app.app_context():
        token = issuer.auth_token("alice").signed
    pair = pair_for(algorithm)
    app, verifier_only = protected_app(algorithm, JWT_SECRET=None, JWT_PUBLICKEY=pair.public_pem)
    assert app.test_client().get("/me", headers=bearer(token)).status_code == 200
    with app.app_context(), pytest.raises(MissingSignerError, match="verify-only"):
        verifier_only.auth_token("alice")
    with app.app_context(), pytest.raises(MissingSignerError):
        verifier_only.refresh_token("alice")


def test_public_key_as_str_and_openssh_and_key_objects() -> None:
    pair = rsa_pair()
    ssh = (
        pair.private.public_key()
        .public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
        .decode()
    )
    issuer_app, issuer = make_app("RS256")
    with issuer_app.app_context():
        token = issuer.auth_token("alice").signed
    for public in (pair.public_pem.decode(), ssh, pair.private.public_key()):
        app, manager = make_app("RS256", JWT_SECRET=None, JWT_PUBLICKEY=public)
        with app.app_context():
            assert manager.verify_token(token)
    app, manager = make_app("RS256", JWT_SECRET=pair.private, JWT_PUBLICKEY=None)
    with app.app_context():
        assert manager.verify_token(manager.auth_token("bob"))


def test_ed448_keys_work_with_eddsa() -> None:
    private = ed448.Ed448PrivateKey.generate()
    app, manager = make_app("EdDSA", JWT_SECRET=private, JWT_PUBLICKEY=private.public_key())
    with app.app_context():
        assert manager.verify_token(manager.auth_token("alice"))


@pytest.mark.parametrize(
    ("algorithm", "secret", "public", "message"),
    [
        ("ES256", rsa_pair().private_pem, None, "needs an EC key"),
        ("ES256", ec_pair("P-384").private_pem, None, "needs secp256r1"),
        ("RS256", ec_pair().private_pem, None, "needs an RSA key"),
        ("EdDSA", rsa_pair().private_pem, None, "Ed25519 or Ed448"),
        ("RS256", rsa_pair(1024).private_pem, None, "1024-bit"),
        ("RS256", rsa_pair().public_pem, None, "is a public key"),
        ("RS256", b"not a key", None, "not a PEM private key"),
        ("RS256", 12345, None, "got int"),
        ("RS256", None, rsa_pair().private_pem, "is a private key"),
        (
            "RS256",
            None,
            b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
            "can be read",
        ),
        ("ES256", None, rsa_pair().public_pem, "needs an EC key"),
        ("HS256", rsa_pair().public_pem, None, "looks like a PEM or SSH key"),
        ("HS256", b"ssh-rsa AAAAB3NzaC1yc2E", None, "looks like a PEM or SSH key"),
        ("HS256", b"prefix-long-enough-" + rsa_pair().public_pem, None, "looks like a PEM"),
        ("HS256", ["list"], None, "got list"),
    ],
)
def test_keys_that_do_not_fit_fail_at_init_app(
    algorithm: str, secret: object, public: object, message: str
) -> None:
    app = Flask("keys")
    configure(
        app,
        {
            "JWT_ISSUER": ISSUER,
            "JWT_AUTHTYPE": algorithm,
            "JWT_SECRET": secret,
            "JWT_PUBLICKEY": public,
        },
    )
    with pytest.raises(InvalidConfigError, match=message) as info:
        AuthManager(app)
    assert info.value.key in {"JWT_SECRET", "JWT_PUBLICKEY"}
    assert "BEGIN" not in str(info.value)


def test_mismatched_key_pair_is_a_config_error() -> None:
    app = Flask("mismatch")
    configure(
        app,
        {**config_for("RS256"), "JWT_PUBLICKEY": rsa_pair(2048, index=1).public_pem},
    )
    with pytest.raises(InvalidConfigError, match="not the public half") as info:
        AuthManager(app)
    assert info.value.key == "JWT_PUBLICKEY"


def test_asymmetric_without_any_key_names_both_options() -> None:
    app = Flask("nokey")
    configure(app, {"JWT_ISSUER": ISSUER, "JWT_AUTHTYPE": "ES256"})
    with pytest.raises(MissingConfigError, match="JWT_PUBLICKEY") as info:
        AuthManager(app)
    assert info.value.key == "JWT_SECRET"


def test_key_objects_reject_unknown_algorithms_and_hide_keys() -> None:
    with pytest.raises(ValueError, match="got str 'HS999'; expected one of HS256, "):
        KeySigner("HS999", HMAC_SECRET)
    signer = KeySigner("HS256", HMAC_SECRET, key_id="k1")
    verifier = KeyVerifier("EdDSA", ed25519_pair().public_pem)
    assert HMAC_SECRET not in repr(signer)
    assert repr(signer) == "KeySigner(algorithm='HS256', key_id='k1', key=<redacted>)"
    assert "redacted" in repr(verifier)
    assert signer.matches(signer.verifier())
    assert not signer.matches(KeyVerifier("HS256", HMAC_SECRET + "x"))
    assert not signer.matches(verifier)
