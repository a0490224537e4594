"""Every supported algorithm works end to end, keys are checked at init_app, verify-only works."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448
from cryptography.x509.oid import NameOID
from flask import Flask

from flask_pyjwt import (
    AuthManager,
    InvalidConfigError,
    KeySigner,
    KeyVerifier,
    MissingConfigError,
    current_token,
    require_token,
)
from flask_pyjwt._core.key_ops import hmac_ops
from flask_pyjwt.errors import InvalidKeyError, MissingSignerError
from flask_pyjwt.typing import AuthType
from tests.support import (
    HMAC_SECRET,
    ISSUER,
    bearer,
    config_for,
    configure,
    ec_pair,
    ed25519_pair,
    hmac_kid,
    json_body,
    load_private_key,
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
    private = load_private_key("ed448-0")
    assert isinstance(private, ed448.Ed448PrivateKey)
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
        ("HS256", rsa_pair().public_pem, None, "looks like a PEM key or certificate"),
        ("HS256", b"ssh-rsa AAAAB3NzaC1yc2E", None, "looks like an OpenSSH public key line"),
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


# -- key material that is not what it should be: errors that say what to do -----------


def _openssh_line(separator: str = " ") -> str:
    blob = (
        rsa_pair()
        .private.public_key()
        .public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
        .decode()
        .split(" ")[1]
    )
    return f"ssh-rsa{separator}{blob}"


_RFC4716 = (
    "---- BEGIN SSH2 PUBLIC KEY ----\n"
    'Comment: "2048-bit RSA, converted by alice@example.com"\n'
    + _openssh_line().split(" ")[1]
    + "\n---- END SSH2 PUBLIC KEY ----\n"
)
_OCT_JWK = '{"kty": "oct", "k": "' + "A" * 43 + '", "alg": "HS256"}'


def _der_certificate() -> bytes:
    private = ec_pair().private
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "issuer.example")])
    now = datetime.now(timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .sign(private, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.DER)


def _der_private_key(encryption: serialization.KeySerializationEncryption) -> bytes:
    return ec_pair().private.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, encryption
    )


_DER = "looks like a DER-encoded key or certificate"
_JSON = "looks like a JWK or JWKS \\(JSON text\\)"

KEY_LIKE_SECRETS: dict[str, tuple[str | bytes, str]] = {
    "ssh-dss line": (
        "ssh-dss AAAAB3NzaC1kc3MAAACBAPY8ZOHY2yFSJA6XYC9HRwNHxaehvx5wOJ0rzZdzoSOXxbET",
        "looks like an OpenSSH public key line",
    ),
    "ssh-rsa with a tab": (_openssh_line("\t"), "looks like an OpenSSH public key line"),
    "RFC 4716 block": (_RFC4716, "looks like an SSH2 public key block \\(RFC 4716\\)"),
    "DER public key": (
        rsa_pair()
        .private.public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo),
        _DER,
    ),
    "DER certificate": (_der_certificate(), _DER),
    "DER private key": (_der_private_key(serialization.NoEncryption()), _DER),
    "encrypted DER private key": (
        _der_private_key(serialization.BestAvailableEncryption(b"passphrase")),
        _DER,
    ),
}


@pytest.mark.parametrize(
    ("secret", "message"), KEY_LIKE_SECRETS.values(), ids=KEY_LIKE_SECRETS.keys()
)
def test_key_like_hmac_secrets_are_config_errors_that_say_what_to_do(
    secret: str | bytes, message: str
) -> None:
    app = Flask("key_like")
    configure(app, {"JWT_ISSUER": ISSUER, "JWT_AUTHTYPE": "HS256", "JWT_SECRET": secret})
    with pytest.raises(InvalidConfigError, match=message) as info:
        AuthManager(app)
    assert info.value.key == "JWT_SECRET"
    assert "flask jwt keygen --alg HS256" in info.value.message
    # The same refusal, as a ValueError, from the key objects themselves.
    for key_class in (KeySigner, KeyVerifier):
        with pytest.raises(ValueError, match=message) as direct:
            key_class("HS256", secret)
        assert type(direct.value).__module__.startswith("flask_pyjwt")


_STRICT = "is JSON text but not one strict JSON object"

JSON_SECRETS: dict[str, tuple[str | bytes, type[Exception] | None, str]] = {
    # (what JWT_SECRET gets, what init_app raises (None: accepted), its message)
    "JWK": (_OCT_JWK, None, ""),
    "JWKS": ('{"keys": [' + _OCT_JWK + "]}", InvalidConfigError, "is a JWK Set; JWT_SECRET"),
    "JSON array": ("[" + _OCT_JWK + "]", InvalidConfigError, _STRICT),
    "JWK as UTF-16 bytes": (_OCT_JWK.encode("utf-16"), InvalidConfigError, _STRICT),
    "nested brackets too deep to parse": ("[" * 100_000 + "]" * 100_000, InvalidConfigError,
                                          _STRICT),
}  # fmt: skip


@pytest.mark.parametrize(("secret", "raised", "message"), JSON_SECRETS.values(), ids=JSON_SECRETS)
def test_json_hmac_secrets(
    secret: str | bytes, raised: type[Exception] | None, message: str
) -> None:
    """JWT_SECRET may be an oct JWK (issue 13); other JSON text is refused, and the key
    objects, which take raw secrets, refuse all of it as key material."""
    app = Flask("json_secret")
    configure(app, {"JWT_ISSUER": ISSUER, "JWT_AUTHTYPE": "HS256", "JWT_SECRET": secret})
    if raised is None:
        manager = AuthManager(app)
        with app.app_context():
            token = manager.auth_token("alice")
            assert manager.verify_token(token)
        assert token.header["kid"] == hmac_kid(bytes(32))  # "A" * 43 is 32 zero bytes
    else:
        with pytest.raises(raised, match=message) as info:
            AuthManager(app)
        assert isinstance(info.value, InvalidConfigError)
        assert info.value.key == "JWT_SECRET"
    for key_class in (KeySigner, KeyVerifier):
        with pytest.raises(ValueError, match=_JSON):
            key_class("HS256", secret)


def test_json_that_is_not_an_object_or_array_is_still_a_secret() -> None:
    # A JSON string or number is text like any other: only objects and arrays look like
    # keys. Nor is a long secret, or one with a slash, a path (unless such a file exists).
    secrets = ['"a-quoted-secret-long-enough-for-hs256!!"', "1" * 40, "x/" * 3000, "a/b+c=" * 8]
    for secret in secrets:
        signer = KeySigner("HS256", secret)
        assert signer.matches(KeyVerifier("HS256", secret))


@pytest.mark.parametrize(
    ("algorithm", "key", "path"),
    [
        ("HS256", "JWT_SECRET", "/etc/keys/private.pem"),
        ("HS256", "JWT_SECRET", "keys/jwt.pem"),
        ("RS256", "JWT_SECRET", "/etc/keys/private.pem"),
        ("ES256", "JWT_SECRET", "keys\\jwt-private.key"),
        ("RS256", "JWT_PUBLICKEY", "/etc/keys/public.pem"),
        ("EdDSA", "JWT_PUBLICKEY", "~/keys/jwt.pub"),
    ],
)
def test_a_file_path_instead_of_the_key_says_to_pass_the_contents(
    algorithm: str, key: str, path: str
) -> None:
    app = Flask("path")
    configure(app, {"JWT_ISSUER": ISSUER, "JWT_AUTHTYPE": algorithm, key: path})
    with pytest.raises(InvalidConfigError, match="looks like a file path") as info:
        AuthManager(app)
    assert info.value.key == key
    assert "pass the file's contents" in info.value.message


def test_an_existing_file_named_as_the_hmac_secret_is_refused(tmp_path: Path) -> None:
    # Docker and Kubernetes mount secrets as files without an extension.
    secret_file = tmp_path / "jwt_secret"
    secret_file.write_text(HMAC_SECRET)
    app = Flask("secret_file")
    configure(app, {"JWT_ISSUER": ISSUER, "JWT_AUTHTYPE": "HS256", "JWT_SECRET": str(secret_file)})
    with pytest.raises(InvalidConfigError, match="looks like a file path"):
        AuthManager(app)


@pytest.mark.parametrize("algorithm", ["RS256", "ES256", "EdDSA"])
@pytest.mark.parametrize("line_break", ["\\n", "\\r\\n"])
def test_a_pem_with_escaped_newlines_from_the_environment_is_accepted(
    algorithm: str, line_break: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``JWT_SECRET="-----BEGIN PRIVATE KEY-----\\nMIIE..."`` as many hosts store it."""
    pair = pair_for(algorithm)
    monkeypatch.setenv("JWT_SECRET", pair.private_pem.decode().replace("\n", line_break))
    monkeypatch.setenv("JWT_PUBLICKEY", pair.public_pem.decode().replace("\n", line_break))
    app = Flask("escaped_pem")
    configure(app, {"JWT_ISSUER": ISSUER, "JWT_AUTHTYPE": algorithm})
    manager = AuthManager(app)
    with app.app_context():
        token = manager.auth_token("alice")
    checker, checker_manager = make_app(algorithm)  # the same key pair, given as PEM bytes
    with checker.app_context():
        assert checker_manager.verify_token(token.signed)


@pytest.mark.parametrize(
    ("algorithm", "words"),
    [
        ("HS256", ["app.config['JWT_SECRET']", "JWT_SECRET environment variable", ".env",
                   "flask jwt keygen --alg HS256"]),
        ("ES256", ["app.config['JWT_SECRET']", "JWT_SECRET environment variable", ".env",
                   "flask jwt keygen --alg ES256", "JWT_PUBLICKEY"]),
    ],
)  # fmt: skip
def test_a_missing_secret_says_where_to_set_it_and_how_to_make_one(
    algorithm: str, words: list[str]
) -> None:
    app = Flask("no_secret")
    configure(app, {"JWT_ISSUER": ISSUER, "JWT_AUTHTYPE": algorithm})
    with pytest.raises(MissingConfigError) as info:
        AuthManager(app)
    assert info.value.key == "JWT_SECRET"
    for word in words:
        assert word in info.value.message


def test_pyjwts_own_hmac_key_guard_surfaces_as_our_value_error() -> None:
    """Should PyJWT ever refuse a secret that hmac_secret lets through, the refusal is
    still the library's ValueError, not PyJWT's InvalidKeyError."""
    with pytest.raises(InvalidKeyError, match="refused by PyJWT as an HMAC key") as info:
        hmac_ops(AuthType.HS256, rsa_pair().public_pem)
    assert isinstance(info.value, ValueError)
    assert "flask jwt keygen --alg HS256" in str(info.value)
