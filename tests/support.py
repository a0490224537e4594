"""Shared test helpers: key pairs, app factories and a raw token forger.

Key pairs are fixed: committed under ``tests/keys/`` (test-only keys, as PyJWT's suite
keeps its own), so no test's outcome depends on random key bytes (a JWK coordinate that
happens to start with a zero byte, say) and no test spends time generating RSA keys.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TypeVar, cast

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from flask import Flask
from werkzeug.test import TestResponse
from werkzeug.wrappers import Response

from flask_pyjwt import AuthManager
from flask_pyjwt._core.policy import Settings
from flask_pyjwt._flask.state import app_state

HMAC_SECRET = "a-test-secret-that-is-long-enough-for-hs512-" + "x" * 40
ISSUER = "test-issuer"


PrivateKeyTypes = (
    rsa.RSAPrivateKey
    | ec.EllipticCurvePrivateKey
    | ed25519.Ed25519PrivateKey
    | ed448.Ed448PrivateKey
)


@dataclass(frozen=True)
class KeyPair:
    """A private key object and both halves as PEM bytes."""

    private: PrivateKeyTypes
    private_pem: bytes
    public_pem: bytes


def _pair(private: PrivateKeyTypes) -> KeyPair:
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return KeyPair(private, private_pem, public_pem)


KEYS_DIR: Final = Path(__file__).parent / "keys"


@functools.cache
def load_private_key(name: str) -> PrivateKeyTypes:
    """The committed test key ``tests/keys/<name>.pem`` (a PKCS#8 PEM, unencrypted)."""
    pem = (KEYS_DIR / f"{name}.pem").read_bytes()
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, PrivateKeyTypes):
        raise TypeError(f"tests/keys/{name}.pem holds a {type(key).__name__}")
    return key


@functools.cache
def rsa_pair(bits: int = 2048, index: int = 0) -> KeyPair:
    """An RSA key pair (``index`` tells apart several of the same size: 0-9 for 2048)."""
    return _pair(load_private_key(f"rsa-{bits}-{index}"))


@functools.cache
def ec_pair(curve: str = "P-256", index: int = 0) -> KeyPair:
    """An EC key pair on ``curve`` (``index`` 0-9 for P-256, 0-1 for P-384 and P-521)."""
    return _pair(load_private_key(f"ec-{curve}-{index}"))


@functools.cache
def ed25519_pair(index: int = 0) -> KeyPair:
    """An Ed25519 key pair (``index`` 0 or 1)."""
    return _pair(load_private_key(f"ed25519-{index}"))


def pair_for(algorithm: str) -> KeyPair:
    """The session key pair that fits an asymmetric ``algorithm``."""
    if algorithm.startswith(("RS", "PS")):
        return rsa_pair()
    if algorithm == "ES256":
        return ec_pair("P-256")
    if algorithm == "ES384":
        return ec_pair("P-384")
    if algorithm == "ES512":
        return ec_pair("P-521")
    if algorithm == "EdDSA":
        return ed25519_pair()
    raise ValueError(algorithm)


def config_for(algorithm: str) -> dict[str, object]:
    """A complete, valid ``JWT_*`` configuration for ``algorithm``."""
    config: dict[str, object] = {"JWT_ISSUER": ISSUER, "JWT_AUTHTYPE": algorithm}
    if algorithm.startswith("HS"):
        config["JWT_SECRET"] = HMAC_SECRET
    else:
        pair = pair_for(algorithm)
        # The key object, not its PEM: OpenSSL's check of an RSA private key costs ~25 ms
        # per parse, paid by every app built here. The PEM path has its own tests.
        config["JWT_SECRET"] = pair.private
        config["JWT_PUBLICKEY"] = pair.public_pem
    return config


def make_app(algorithm: str = "HS256", **config: object) -> tuple[Flask, AuthManager]:
    """A Flask app with an AuthManager on a valid configuration (``config`` overrides)."""
    app = Flask(f"test_{algorithm}")
    configure(app, {**config_for(algorithm), **config})
    return app, AuthManager(app)


def settings_of(app: Flask) -> Settings:
    """The parsed configuration of ``app`` (private: AuthManager.settings left in 2.0)."""
    return app_state(app).codec.settings


def configure(app: Flask, config: Mapping[str, object]) -> None:
    """Set ``config`` on ``app`` (typed; Flask's ``Config.update`` is not)."""
    for key, value in config.items():
        app.config[key] = value


def b64url(data: bytes) -> str:
    """Unpadded base64url."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def hmac_kid(secret: str | bytes) -> str:
    """The ``kid`` the library derives for an HMAC secret, computed as its docs state:
    the first 16 bytes of HMAC-SHA256 under the secret of a fixed label, base64url."""
    key = secret.encode() if isinstance(secret, str) else secret
    return b64url(hmac.new(key, b"flask_pyjwt key id v1", hashlib.sha256).digest()[:16])


HMAC_KID = hmac_kid(HMAC_SECRET)
"""The derived ``kid`` of :data:`HMAC_SECRET`."""


def _json_bytes(value: Mapping[str, object] | bytes) -> bytes:
    if isinstance(value, bytes):
        return value
    return json.dumps(value, separators=(",", ":")).encode()


def forge(
    header: Mapping[str, object] | bytes,
    payload: Mapping[str, object] | bytes,
    *,
    algorithm: str = "HS256",
    key: bytes | PrivateKeyTypes | None = None,
) -> str:
    """Build and sign a compact JWS by hand, header and payload exactly as given.

    Signs with ``key`` (default: the test HMAC secret or the session key pair for
    ``algorithm``), independent of the library under test.
    """
    signing_input = f"{b64url(_json_bytes(header))}.{b64url(_json_bytes(payload))}".encode()
    return f"{signing_input.decode()}.{b64url(raw_signature(signing_input, algorithm, key))}"


def raw_signature(
    signing_input: bytes, algorithm: str, key: bytes | PrivateKeyTypes | None = None
) -> bytes:
    """An RFC 7518 signature computed directly with hashlib/cryptography."""
    bits = algorithm[2:]
    if algorithm.startswith("HS"):
        secret = key if isinstance(key, bytes) else HMAC_SECRET.encode()
        return hmac.new(secret, signing_input, getattr(hashlib, f"sha{bits}")).digest()
    private = key if key is not None and not isinstance(key, bytes) else pair_for(algorithm).private
    hash_alg = {"256": hashes.SHA256(), "384": hashes.SHA384(), "512": hashes.SHA512()}.get(bits)
    if isinstance(private, rsa.RSAPrivateKey):
        assert hash_alg is not None
        pad: padding.AsymmetricPadding = (
            padding.PKCS1v15()
            if algorithm.startswith("RS")
            else padding.PSS(mgf=padding.MGF1(hash_alg), salt_length=hash_alg.digest_size)
        )
        return private.sign(signing_input, pad, hash_alg)
    if isinstance(private, ec.EllipticCurvePrivateKey):
        assert hash_alg is not None
        r, s = decode_dss_signature(private.sign(signing_input, ec.ECDSA(hash_alg)))
        size = (private.curve.key_size + 7) // 8
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")
    return private.sign(signing_input)


def json_body(response: TestResponse) -> dict[str, Any]:
    """The response's JSON object (asserting it is one). Values are Any: tests index freely."""
    body: object = response.get_json(silent=True)
    assert isinstance(body, dict), response.data
    return cast("dict[str, Any]", body)


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for ``token``."""
    return {"Authorization": f"Bearer {token}"}


@dataclass(frozen=True)
class SetCookie:
    """One ``Set-Cookie`` header, parsed as a browser reads it.

    Attributes:
        name: the cookie name.
        value: the cookie value.
        attributes: the attributes by lower-case name; flags (``Secure``, ``HttpOnly``)
            map to ``True``.
    """

    name: str
    value: str
    attributes: Mapping[str, str | bool]


def set_cookies(response: Response) -> dict[str, SetCookie]:
    """Every ``Set-Cookie`` header of ``response`` by cookie name (each name once)."""
    cookies: dict[str, SetCookie] = {}
    for header in response.headers.getlist("Set-Cookie"):
        pair, *attributes = (part.strip() for part in header.split(";"))
        name, _, value = pair.partition("=")
        parsed: dict[str, str | bool] = {}
        for attribute in attributes:
            key, has_value, attribute_value = attribute.partition("=")
            parsed[key.lower()] = attribute_value if has_value else True
        assert name not in cookies, f"two Set-Cookie headers for {name}"
        cookies[name] = SetCookie(name, value, parsed)
    return cookies


NOW: Final = 1_900_000_000
"""The time a :class:`Clock` starts at (2030-03-17), in seconds since the epoch."""


class Clock:
    """A settable clock for ``AuthManager(clock=...)``: tokens' ``iat``/``exp``, cookies'
    ``Max-Age`` and freshness all read it."""

    def __init__(self, now: float = NOW) -> None:
        self.now = float(now)

    def __call__(self) -> float:
        return self.now


def make_clocked_app(name: str, **config: object) -> tuple[Flask, AuthManager, Clock]:
    """:func:`make_app` (HS256) with a :class:`Clock` the test can move."""
    app = Flask(name)
    configure(app, {**config_for("HS256"), **config})
    clock = Clock()
    return app, AuthManager(app, clock=clock), clock


T = TypeVar("T")


def concurrently(count: int, action: Callable[[int], T]) -> list[T]:
    """``action(0)`` ... ``action(count - 1)`` in ``count`` threads released at once (a
    barrier), their results in that order; fails if one has not finished in 30 s."""
    results: dict[int, T] = {}
    barrier = threading.Barrier(count)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = action(index)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == count, f"{count - len(results)} of {count} threads did not finish"
    return [results[index] for index in range(count)]
