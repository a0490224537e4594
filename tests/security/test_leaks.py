"""Secrets never leak (RFC 8725 3.x hygiene; DESIGN "Behaviour"): no HMAC secret, private
key or PEM text in any ``repr``/``str``, configuration error, HTTP error response or log
record; and issued tokens keep their compact form (a bearer credential) out of ``repr``.
"""

from __future__ import annotations

import logging
import traceback
import warnings

import pytest
from flask import Flask

from flask_pyjwt import AuthManager, InvalidTokenError, KeySetVerifier, KeySigner, KeyVerifier
from flask_pyjwt._flask.state import app_state
from flask_pyjwt.errors import ConfigError, WeakSecretWarning
from tests.security.harness import claims, header, make_harness
from tests.support import HMAC_SECRET, ISSUER, forge, pair_for, rsa_pair

SECRET = "s3cr3t-value-that-must-never-be-echoed-anywhere-0123456789abcdef"


def _pem_fragments(pem: bytes) -> list[str]:
    """Distinctive pieces of a PEM: every base64 body line."""
    return [line for line in pem.decode().splitlines() if line and not line.startswith("-----")]


def assert_clean(text: str, *, secrets: list[str]) -> None:
    for secret in secrets:
        assert secret not in text, f"secret leaked into: {text[:200]!r}"


def _private_fragments(alg: str) -> list[str]:
    return _pem_fragments(pair_for(alg).private_pem)


ASYMMETRIC = ["RS256", "PS384", "ES256", "ES512", "EdDSA"]


def test_reprs_of_signers_verifiers_and_settings_hold_no_secret() -> None:
    signer = KeySigner("HS256", SECRET, key_id="k1")
    verifier = signer.verifier()
    key_set = KeySetVerifier([KeyVerifier("HS512", SECRET, key_id="k2"), verifier])
    for obj in (signer, verifier, key_set):
        assert_clean(repr(obj), secrets=[SECRET])
        assert_clean(str(obj), secrets=[SECRET])
    assert "<redacted>" in repr(signer)


@pytest.mark.parametrize("alg", ASYMMETRIC)
def test_reprs_of_asymmetric_signers_hold_no_private_key(alg: str) -> None:
    pair = pair_for(alg)
    signer = KeySigner(alg, pair.private_pem)
    fragments = _pem_fragments(pair.private_pem) + _pem_fragments(pair.public_pem)
    for obj in (signer, signer.verifier(), KeyVerifier(alg, pair.public_pem)):
        assert_clean(repr(obj), secrets=fragments)
        assert_clean(str(obj), secrets=fragments)


@pytest.mark.parametrize("alg", ["HS256", "RS256", "ES384"])
def test_app_state_settings_and_tokens_hold_no_secret(alg: str) -> None:
    harness = make_harness(alg, JWT_SECRET=SECRET) if alg == "HS256" else make_harness(alg)
    secrets = [SECRET] if alg == "HS256" else _private_fragments(alg)
    with harness.app.app_context():
        state = app_state(harness.app)
        auth = harness.manager.auth_token("alice", {"admin": True})
        refresh = harness.manager.refresh_token("alice")
        texts = [
            repr(state), repr(state.codec), repr(state.codec.settings),
            str(state.codec.settings), repr(harness.manager), repr(auth), str(auth),
            repr(refresh), str(refresh),
        ]  # fmt: skip
    for text in texts:
        assert_clean(text, secrets=secrets)
    # The compact token is a bearer credential: not in the token's repr either.
    for token in (auth, refresh):
        assert token.signed not in repr(token)
        assert token.signed.split(".")[2] not in repr(token)
        assert "signed=" not in repr(token)


def _config_error(config: dict[str, object]) -> ConfigError:
    app = Flask("leaks")
    for key, value in config.items():
        app.config[key] = value
    with pytest.raises(ConfigError) as caught:
        AuthManager(app)
    return caught.value


def _all_text(error: BaseException) -> str:
    return "\n".join(
        [str(error), repr(error), repr(error.args), *traceback.format_exception(error)]
    )


RSA = rsa_pair()
OTHER_RSA = rsa_pair(2048, 3)
BAD_SECRETS: dict[str, tuple[dict[str, object], list[str]]] = {
    "private PEM as HS256 secret": (
        {"JWT_AUTHTYPE": "HS256", "JWT_SECRET": RSA.private_pem},
        _pem_fragments(RSA.private_pem),
    ),
    "private PEM str as HS256 secret": (
        {"JWT_AUTHTYPE": "HS256", "JWT_SECRET": RSA.private_pem.decode()},
        _pem_fragments(RSA.private_pem),
    ),
    "public PEM as HS256 secret": (
        {"JWT_AUTHTYPE": "HS256", "JWT_SECRET": RSA.public_pem},
        _pem_fragments(RSA.public_pem),
    ),
    "integer secret": (
        {"JWT_AUTHTYPE": "HS256", "JWT_SECRET": 31337313373133731337},
        ["31337313373133731337"],
    ),
    "list secret": ({"JWT_AUTHTYPE": "HS256", "JWT_SECRET": [SECRET]}, [SECRET]),
    "dict secret": ({"JWT_AUTHTYPE": "HS256", "JWT_SECRET": {"k": SECRET}}, [SECRET]),
    "short secret, strong required": (
        {
            "JWT_AUTHTYPE": "HS512",
            "JWT_SECRET": "short-but-secret!",
            "JWT_REQUIRE_STRONG_SECRET": True,
        },
        ["short-but-secret!"],
    ),
    "plain string as RS256 private key": (
        {"JWT_AUTHTYPE": "RS256", "JWT_SECRET": SECRET},
        [SECRET],
    ),
    "truncated private PEM": (
        {"JWT_AUTHTYPE": "RS256", "JWT_SECRET": RSA.private_pem[:600]},
        _pem_fragments(RSA.private_pem[:600])[:-1],
    ),
    "EC private key for RS256": (
        {"JWT_AUTHTYPE": "RS256", "JWT_SECRET": pair_for("ES256").private_pem},
        _pem_fragments(pair_for("ES256").private_pem),
    ),
    "private PEM as public key": (
        {"JWT_AUTHTYPE": "RS256", "JWT_PUBLICKEY": RSA.private_pem},
        _pem_fragments(RSA.private_pem),
    ),
    "garbage public key": ({"JWT_AUTHTYPE": "RS256", "JWT_PUBLICKEY": SECRET}, [SECRET]),
    "mismatched pair": (
        {
            "JWT_AUTHTYPE": "RS256",
            "JWT_SECRET": RSA.private_pem,
            "JWT_PUBLICKEY": OTHER_RSA.public_pem,
        },
        _pem_fragments(RSA.private_pem),
    ),
    "oct JWK for another algorithm as HS256 secret": (
        {"JWT_AUTHTYPE": "HS256", "JWT_SECRET": '{"kty":"oct","alg":"HS512","k":"' + SECRET + '"}'},
        [SECRET],
    ),
    "oct JWK with a kid that contradicts JWT_KEY_ID": (
        {
            "JWT_AUTHTYPE": "HS256",
            "JWT_KEY_ID": "a",
            "JWT_SECRET": {"kty": "oct", "kid": "b", "k": SECRET},
        },
        [SECRET],
    ),
    "RSA JWK whose k is the secret, as HS256 secret": (
        {"JWT_AUTHTYPE": "HS256", "JWT_SECRET": {"kty": "RSA", "n": SECRET, "e": "AQAB"}},
        [SECRET],
    ),
    "private JWK in JWT_PUBLICKEY": (
        {
            "JWT_AUTHTYPE": "ES256",
            "JWT_PUBLICKEY": {"kty": "EC", "crv": "P-256", "x": SECRET, "y": SECRET, "d": SECRET},
        },
        [SECRET],
    ),
    "OpenSSH line as HS256 secret": (
        {"JWT_AUTHTYPE": "HS256", "JWT_SECRET": f"ssh-dss {SECRET}"},
        [SECRET],
    ),
    "key file name as HS256 secret": (
        {"JWT_AUTHTYPE": "HS256", "JWT_SECRET": f"{SECRET}.pem"},
        [SECRET],
    ),
    "escaped-newline PEM that is not a key": (
        {
            "JWT_AUTHTYPE": "RS256",
            "JWT_SECRET": f"-----BEGIN PRIVATE KEY-----\\n{SECRET}\\n-----END PRIVATE KEY-----",
        },
        [SECRET],
    ),
    "public key as private key": (
        {"JWT_AUTHTYPE": "RS256", "JWT_SECRET": RSA.public_pem},
        _pem_fragments(RSA.public_pem),
    ),
}


@pytest.mark.parametrize(("config", "secrets"), BAD_SECRETS.values(), ids=BAD_SECRETS.keys())
def test_config_errors_never_echo_the_secret(
    config: dict[str, object], secrets: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    assert secrets
    caplog.set_level(logging.DEBUG)
    error = _config_error({"JWT_ISSUER": ISSUER, **config})
    assert error.key in {"JWT_SECRET", "JWT_PUBLICKEY", "JWT_KEY_ID"}
    assert_clean(_all_text(error), secrets=secrets)
    assert_clean(caplog.text, secrets=secrets)


def test_weak_secret_warning_never_echoes_the_secret() -> None:
    app = Flask("weak")
    app.config["JWT_ISSUER"] = ISSUER
    app.config["JWT_AUTHTYPE"] = "HS256"
    app.config["JWT_SECRET"] = "tiny-s3cret"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        AuthManager(app)
    assert [w.category for w in caught] == [WeakSecretWarning]
    assert "tiny-s3cret" not in str(caught[0].message)


@pytest.mark.parametrize("alg", ["HS256", "RS256", "EdDSA"])
def test_error_responses_and_logs_hold_no_secret_and_no_token(
    alg: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    harness = make_harness(alg, JWT_SECRET=SECRET) if alg == "HS256" else make_harness(alg)
    secrets = [SECRET] if alg == "HS256" else _private_fragments(alg)
    with harness.app.app_context():
        good = harness.manager.auth_token("alice").signed
    bad_signature = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBA")
    forged = (
        forge(header(alg), claims(), algorithm=alg, key=b"k" * 64)
        if alg == "HS256"
        else (forge(header("HS256"), claims(), key=pair_for(alg).public_pem))
    )
    responses = [
        harness.get("/auth", bad_signature),
        harness.get("/auth", forged),
        harness.get("/admin", good),  # 403
        harness.get("/auth", "x.y.z"),
        harness.get("/auth"),
        harness.get("/auth", good),  # 200, for the log records
    ]
    for response in responses:
        text = response.get_data(as_text=True) + repr(response.headers)
        assert_clean(text, secrets=secrets)
        if response.status_code != 200:
            for sent in (good, bad_signature, forged):
                for segment in sent.split("."):
                    assert segment not in text
    assert_clean(caplog.text, secrets=[*secrets, good, bad_signature])
    for record in caplog.records:
        assert_clean(repr(record.args) + str(record.msg), secrets=secrets)


def test_hmac_secret_is_not_in_exception_chains_of_rejected_tokens() -> None:
    harness = make_harness("HS256", JWT_SECRET=SECRET)
    with harness.app.app_context():
        for token in ["a.b.c", forge(header(), claims(), key=b"z" * 64), "A" * 9000]:
            with pytest.raises(InvalidTokenError) as caught:
                harness.manager.convert_token(token)
            assert_clean(_all_text(caught.value), secrets=[SECRET, HMAC_SECRET])
