"""Every configuration error the docs list, produced by really calling ``init_app``.

The configuration reference includes tables rendered from :data:`CASES` at build time
(see ``generated.py``), and ``tests/test_docs_examples.py`` checks each case raises
the exception class it names: the messages in the docs are the library's own.
"""

from __future__ import annotations

import base64
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from flask import Flask

from flask_pyjwt import AuthManager, FlaskPyJWTError, InvalidConfigError, MissingConfigError
from flask_pyjwt.errors import IgnoredConfigWarning, WeakSecretWarning

BASE: Mapping[str, object] = {
    "JWT_ISSUER": "my-api",
    "JWT_AUTHTYPE": "HS256",
    "JWT_SECRET": "a-32-byte-or-longer-secret-for-hs256!",
}
"""A valid configuration each case starts from."""

UNSET = object()
"""Marks a key a case removes from :data:`BASE`."""


def _pem_private(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _pem_public(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@cache
def _ec() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@cache
def _ec_other() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@cache
def _ec384() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP384R1())


@cache
def _rsa2048() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@cache
def _rsa1024() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 - on purpose


@dataclass(frozen=True)
class Case:
    """One wrong configuration.

    Attributes:
        key: the key the case is about (and the table it appears in).
        shown: how the value appears in the docs.
        changes: the keys to set (or :data:`UNSET`) on top of :data:`BASE`.
        expected: the exception class (or warning class) it must produce.
    """

    key: str
    shown: str
    changes: Callable[[], Mapping[str, object]]
    expected: type[FlaskPyJWTError] | type[Warning]
    note: str = field(default="")


def _set(**values: object) -> Callable[[], Mapping[str, object]]:
    return lambda: values


_OCT_K = "c2VjcmV0LWJ5dGVzLWdvLWhlcmUtMzItYnl0ZXMtbG9uZw"
"""A 35-byte HMAC secret as a JWK's ``k`` member."""

_IDP: Mapping[str, object] = {
    "JWT_AUTHTYPE": "RS256",
    "JWT_SECRET": UNSET,
    "JWT_JWKS_URL": "https://idp.example.com/.well-known/jwks.json",
    "JWT_AUDIENCE": "my-api",
}
"""A resource server behind an identity provider: the changes a JWKS URL case starts from."""


def _idp(**changes: object) -> Callable[[], Mapping[str, object]]:
    return lambda: {**_IDP, **changes}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _public_jwk(key: ec.EllipticCurvePrivateKey) -> dict[str, str]:
    numbers = key.public_key().public_numbers()
    return {"kty": "EC", "crv": "P-256", "x": _b64(numbers.x.to_bytes(32, "big")),
            "y": _b64(numbers.y.to_bytes(32, "big"))}  # fmt: skip


def _private_jwk(key: ec.EllipticCurvePrivateKey) -> dict[str, str]:
    private = key.private_numbers().private_value
    return {**_public_jwk(key), "d": _b64(private.to_bytes(32, "big"))}


CASES: tuple[Case, ...] = (
    Case("JWT_ISSUER", "not set", _set(JWT_ISSUER=UNSET), MissingConfigError),
    Case("JWT_ISSUER", "``42``", _set(JWT_ISSUER=42), InvalidConfigError),
    Case("JWT_ISSUER", "a lone surrogate", _set(JWT_ISSUER="api\ud800"), InvalidConfigError),
    Case("JWT_AUTHTYPE", "not set", _set(JWT_AUTHTYPE=UNSET), MissingConfigError),
    Case("JWT_AUTHTYPE", '``"hs256"``', _set(JWT_AUTHTYPE="hs256"), InvalidConfigError),
    Case("JWT_AUTHTYPE", '``"none"``', _set(JWT_AUTHTYPE="none"), InvalidConfigError),
    Case(
        "JWT_AUTHTYPE",
        '``"HS256"``, and ``JWT_AUTH_TYPE = "HS512"``',
        _set(JWT_AUTHTYPE="HS256", JWT_AUTH_TYPE="HS512"),
        InvalidConfigError,
    ),
    Case(
        "JWT_AUTHTYPE",
        '``["RS256", "ES256"]``, with ``JWT_SECRET``',
        lambda: {"JWT_AUTHTYPE": ["RS256", "ES256"], "JWT_SECRET": _pem_private(_rsa2048())},
        InvalidConfigError,
    ),
    Case(
        "JWT_AUTHTYPE",
        '``["HS256", "RS256"]``',
        _set(JWT_AUTHTYPE=["HS256", "RS256"]),
        InvalidConfigError,
    ),
    Case(
        "JWT_AUTHTYPE",
        '``"HS256"``, with ``JWT_JWKS_URL``',
        _idp(JWT_AUTHTYPE="HS256"),
        InvalidConfigError,
    ),
    Case("JWT_SECRET", "not set (``HS256``)", _set(JWT_SECRET=UNSET), MissingConfigError),
    Case(
        "JWT_SECRET",
        "not set (``ES256``), no ``JWT_PUBLICKEY``",
        _set(JWT_AUTHTYPE="ES256", JWT_SECRET=UNSET),
        MissingConfigError,
    ),
    Case("JWT_SECRET", "``12345`` (an int)", _set(JWT_SECRET=12345), InvalidConfigError),
    Case(
        "JWT_SECRET",
        '``"/etc/keys/jwt.pem"`` (a path, ``ES256``)',
        _set(JWT_AUTHTYPE="ES256", JWT_SECRET="/etc/keys/jwt.pem"),
        InvalidConfigError,
    ),
    Case(
        "JWT_SECRET",
        "an OpenSSH public key line (``HS256``)",
        _set(JWT_SECRET="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleOnly alice@laptop"),
        InvalidConfigError,
    ),
    Case(
        "JWT_SECRET",
        'an oct JWK for another algorithm, ``{"kty": "oct", "alg": "HS512", ...}`` (``HS256``)',
        _set(JWT_SECRET={"kty": "oct", "alg": "HS512", "k": _OCT_K}),
        InvalidConfigError,
    ),
    Case(
        "JWT_SECRET",
        'an oct JWK with ``"use": "enc"`` (``HS256``)',
        _set(JWT_SECRET={"kty": "oct", "use": "enc", "k": _OCT_K}),
        InvalidConfigError,
    ),
    Case(
        "JWT_SECRET",
        "a JWK Set (``HS256``)",
        _set(JWT_SECRET={"keys": [{"kty": "oct", "k": _OCT_K}]}),
        InvalidConfigError,
    ),
    Case(
        "JWT_SECRET",
        "a public EC JWK (``ES256``)",
        lambda: {"JWT_AUTHTYPE": "ES256", "JWT_SECRET": _public_jwk(_ec())},
        InvalidConfigError,
    ),
    Case(
        "JWT_SECRET",
        "an EC JWK whose ``x`` is 31 bytes (``ES256``)",
        lambda: {"JWT_AUTHTYPE": "ES256", "JWT_SECRET": {**_private_jwk(_ec()), "x": "A" * 42}},
        InvalidConfigError,
    ),
    Case(
        "JWT_SECRET",
        "a PEM public key (``HS256``)",
        lambda: {"JWT_SECRET": _pem_public(_ec())},
        InvalidConfigError,
    ),
    Case(
        "JWT_SECRET",
        '``"SECRETKEY"`` (9 bytes, ``HS256``)',
        _set(JWT_SECRET="SECRETKEY"),
        WeakSecretWarning,
        "a warning; an error with ``JWT_REQUIRE_STRONG_SECRET = True``",
    ),
    Case(
        "JWT_SECRET",
        '``"SECRETKEY"`` with ``JWT_REQUIRE_STRONG_SECRET = True``',
        _set(JWT_SECRET="SECRETKEY", JWT_REQUIRE_STRONG_SECRET=True),
        InvalidConfigError,
    ),
    Case(
        "JWT_SECRET",
        "a P-384 private key (``ES256``)",
        lambda: {"JWT_AUTHTYPE": "ES256", "JWT_SECRET": _pem_private(_ec384())},
        InvalidConfigError,
    ),
    Case(
        "JWT_SECRET",
        "a 1024-bit RSA private key (``RS256``)",
        lambda: {"JWT_AUTHTYPE": "RS256", "JWT_SECRET": _pem_private(_rsa1024())},
        InvalidConfigError,
    ),
    Case(
        "JWT_SECRET",
        "a PEM public key (``ES256``)",
        lambda: {"JWT_AUTHTYPE": "ES256", "JWT_SECRET": _pem_public(_ec())},
        InvalidConfigError,
    ),
    Case(
        "JWT_PUBLICKEY",
        "any value with ``HS256``",
        lambda: {"JWT_PUBLICKEY": _pem_public(_ec())},
        IgnoredConfigWarning,
        "a warning: HMAC does not use it",
    ),
    Case(
        "JWT_PUBLICKEY",
        '``"/etc/keys/jwt-public.pem"`` (a path, ``ES256``)',
        _set(JWT_AUTHTYPE="ES256", JWT_SECRET=UNSET, JWT_PUBLICKEY="/etc/keys/jwt-public.pem"),
        InvalidConfigError,
    ),
    Case(
        "JWT_PUBLICKEY",
        '``"not a key"`` (``ES256``)',
        _set(JWT_AUTHTYPE="ES256", JWT_SECRET=UNSET, JWT_PUBLICKEY="not a key"),
        InvalidConfigError,
    ),
    Case(
        "JWT_PUBLICKEY",
        "a PEM private key (``ES256``)",
        lambda: {
            "JWT_AUTHTYPE": "ES256",
            "JWT_SECRET": UNSET,
            "JWT_PUBLICKEY": _pem_private(_ec()),
        },
        InvalidConfigError,
    ),
    Case(
        "JWT_PUBLICKEY",
        "the public half of another key than ``JWT_SECRET``",
        lambda: {
            "JWT_AUTHTYPE": "ES256",
            "JWT_SECRET": _pem_private(_ec()),
            "JWT_PUBLICKEY": _pem_public(_ec_other()),
        },
        InvalidConfigError,
    ),
    Case(
        "JWT_PUBLICKEY",
        "a JWK with its private ``d`` member (``ES256``)",
        lambda: {
            "JWT_AUTHTYPE": "ES256",
            "JWT_SECRET": UNSET,
            "JWT_PUBLICKEY": _private_jwk(_ec()),
        },
        InvalidConfigError,
    ),
    Case(
        "JWT_PUBLICKEY",
        'a JWK with ``"alg": "RS256"`` (``ES256``)',
        lambda: {
            "JWT_AUTHTYPE": "ES256",
            "JWT_SECRET": UNSET,
            "JWT_PUBLICKEY": {**_public_jwk(_ec()), "alg": "RS256"},
        },
        InvalidConfigError,
    ),
    Case(
        "JWT_PUBLICKEY",
        'a JWK with ``"key_ops": ["sign"]`` (``ES256``)',
        lambda: {
            "JWT_AUTHTYPE": "ES256",
            "JWT_SECRET": UNSET,
            "JWT_PUBLICKEY": {**_public_jwk(_ec()), "key_ops": ["sign"]},
        },
        InvalidConfigError,
    ),
    Case(
        "JWT_PUBLICKEY",
        "a JWK Set without the public half of ``JWT_SECRET``",
        lambda: {
            "JWT_AUTHTYPE": "ES256",
            "JWT_SECRET": _pem_private(_ec()),
            "JWT_PUBLICKEY": {"keys": [{**_public_jwk(_ec_other()), "kid": "other"}]},
        },
        InvalidConfigError,
    ),
    Case(
        "JWT_PUBLICKEY",
        "a JWK Set with two keys of one ``kid``",
        lambda: {
            "JWT_AUTHTYPE": "ES256",
            "JWT_SECRET": UNSET,
            "JWT_PUBLICKEY": {
                "keys": [
                    {**_public_jwk(_ec()), "kid": "a"},
                    {**_public_jwk(_ec_other()), "kid": "a"},
                ]
            },
        },
        InvalidConfigError,
    ),
    Case(
        "JWT_PUBLICKEY",
        "set, with ``JWT_JWKS_URL``",
        lambda: {**_IDP, "JWT_PUBLICKEY": _pem_public(_rsa2048())},
        InvalidConfigError,
    ),
    Case("JWT_AUTHMAXAGE", "``0``", _set(JWT_AUTHMAXAGE=0), InvalidConfigError),
    Case(
        "JWT_AUTHMAXAGE",
        "``600``, and ``JWT_AUTH_MAX_AGE = 900``",
        _set(JWT_AUTHMAXAGE=600, JWT_AUTH_MAX_AGE=900),
        InvalidConfigError,
    ),
    Case("JWT_AUTHMAXAGE", '``"1h"``', _set(JWT_AUTHMAXAGE="1h"), InvalidConfigError),
    Case("JWT_AUTHMAXAGE", "``True``", _set(JWT_AUTHMAXAGE=True), InvalidConfigError),
    Case("JWT_AUTHMAXAGE", "``90.5``", _set(JWT_AUTHMAXAGE=90.5), InvalidConfigError),
    Case(
        "JWT_AUTHMAXAGE",
        "``timedelta(seconds=90.5)``",
        _set(JWT_AUTHMAXAGE=timedelta(seconds=90.5)),
        InvalidConfigError,
    ),
    Case(
        "JWT_AUTHMAXAGE",
        '``"\uff13\uff16\uff10\uff10"`` (fullwidth digits)',
        _set(JWT_AUTHMAXAGE="\uff13\uff16\uff10\uff10"),
        InvalidConfigError,
    ),
    Case("JWT_REFRESHMAXAGE", "``-1``", _set(JWT_REFRESHMAXAGE=-1), InvalidConfigError),
    Case(
        "JWT_REFRESHMAXAGE",
        "``timedelta(0)``",
        _set(JWT_REFRESHMAXAGE=timedelta(0)),
        InvalidConfigError,
    ),
    Case("JWT_AUDIENCE", '``["a", 1]``', _set(JWT_AUDIENCE=["a", 1]), InvalidConfigError),
    Case("JWT_AUDIENCE", "``[]``", _set(JWT_AUDIENCE=[]), InvalidConfigError),
    Case(
        "JWT_AUDIENCE",
        "not set, with ``JWT_JWKS_URL``",
        _idp(JWT_AUDIENCE=UNSET),
        MissingConfigError,
    ),
    Case("JWT_LEEWAY", "``-5``", _set(JWT_LEEWAY=-5), InvalidConfigError),
    Case(
        "JWT_LEEWAY",
        "``timedelta(milliseconds=500)``",
        _set(JWT_LEEWAY=timedelta(milliseconds=500)),
        InvalidConfigError,
    ),
    Case("JWT_MAX_TOKEN_LENGTH", "``10``", _set(JWT_MAX_TOKEN_LENGTH=10), InvalidConfigError),
    Case(
        "JWT_MAX_TOKEN_LENGTH",
        "set as ``JWT_MAXTOKENLENGTH``",
        _set(JWT_MAXTOKENLENGTH=4096),
        InvalidConfigError,
    ),
    Case("JWT_VERIFY_CACHE_SIZE", "``-1``", _set(JWT_VERIFY_CACHE_SIZE=-1), InvalidConfigError),
    Case(
        "JWT_VERIFY_CACHE_SIZE",
        "``True``",
        _set(JWT_VERIFY_CACHE_SIZE=True),
        InvalidConfigError,
    ),
    Case("JWT_KEY_ID", "``7``", _set(JWT_KEY_ID=7), InvalidConfigError),
    Case("JWT_KEY_ID", "set as ``JWT_KEYID``", _set(JWT_KEYID="k1"), InvalidConfigError),
    Case("JWT_KEY_ID", "a lone surrogate", _set(JWT_KEY_ID="\udfff"), InvalidConfigError),
    Case(
        "JWT_KEY_ID",
        '``"a"``, with ``JWT_SECRET`` a JWK whose ``kid`` is ``"b"``',
        _set(JWT_KEY_ID="a", JWT_SECRET={"kty": "oct", "kid": "b", "k": _OCT_K}),
        InvalidConfigError,
    ),
    Case(
        "JWT_KEY_ID",
        "any value, with ``JWT_JWKS_URL``",
        _idp(JWT_KEY_ID="k"),
        IgnoredConfigWarning,
        "a warning: the identity provider's tokens name their keys",
    ),
    Case(
        "JWT_REQUIRE_STRONG_SECRET",
        '``"maybe"``',
        _set(JWT_REQUIRE_STRONG_SECRET="maybe"),
        InvalidConfigError,
    ),
    Case(
        "JWT_REQUIRE_STRONG_SECRET",
        "set as ``JWT_REQUIRESTRONGSECRET``",
        _set(JWT_REQUIRESTRONGSECRET=True),
        InvalidConfigError,
    ),
    Case(
        "JWT_REVOCATION_REDIS_URL",
        '``"localhost:6379"``',
        _set(JWT_REVOCATION_REDIS_URL="localhost:6379"),
        InvalidConfigError,
    ),
    Case("JWT_REVOCATION_PREFIX", "``7``", _set(JWT_REVOCATION_PREFIX=7), InvalidConfigError),
    Case(
        "JWT_REVOCATION_FAIL_OPEN",
        '``"sometimes"``',
        _set(JWT_REVOCATION_FAIL_OPEN="sometimes"),
        InvalidConfigError,
    ),
    Case("JWT_REVOCATION_HORIZON", "``0``", _set(JWT_REVOCATION_HORIZON=0), InvalidConfigError),
    Case(
        "JWT_REVOCATION_HORIZON",
        '``"1d"``',
        _set(JWT_REVOCATION_HORIZON="1d"),
        InvalidConfigError,
    ),
    Case("JWT_ROTATION_GRACE", "``-1``", _set(JWT_ROTATION_GRACE=-1), InvalidConfigError),
    Case(
        "JWT_ROTATION_GRACE",
        '``"10s"``',
        _set(JWT_ROTATION_GRACE="10s"),
        InvalidConfigError,
    ),
    Case(
        "JWT_ACCEPT_LEGACY_TOKENS",
        '``"sometimes"``',
        _set(JWT_ACCEPT_LEGACY_TOKENS="sometimes"),
        InvalidConfigError,
    ),
    Case("JWT_JWKS_ROUTE", '``"jwks.json"``', _set(JWT_JWKS_ROUTE="jwks.json"), InvalidConfigError),
    Case(
        "JWT_JWKS_ROUTE",
        '``"/keys/<kid>"``',
        _set(JWT_JWKS_ROUTE="/keys/<kid>"),
        InvalidConfigError,
    ),
    Case(
        "JWT_JWKS_URL",
        '``"http://idp.example.com/jwks"``',
        _idp(JWT_JWKS_URL="http://idp.example.com/jwks"),
        InvalidConfigError,
    ),
    Case(
        "JWT_JWKS_URL",
        '``"https://user:pw@idp.example.com/jwks"``',
        _idp(JWT_JWKS_URL="https://user:pw@idp.example.com/jwks"),
        InvalidConfigError,
    ),
    Case(
        "JWT_JWKS_URL",
        '``"idp.example.com"``',
        _idp(JWT_JWKS_URL="idp.example.com"),
        InvalidConfigError,
    ),
    Case("JWT_JWKS_MIN_REFRESH", "``0``", _set(JWT_JWKS_MIN_REFRESH=0), InvalidConfigError),
    Case(
        "JWT_JWKS_MAX_CACHE",
        "``30``, with ``JWT_JWKS_MIN_REFRESH`` ``60``",
        _set(JWT_JWKS_MAX_CACHE=30, JWT_JWKS_MIN_REFRESH=60),
        InvalidConfigError,
    ),
    Case("JWT_JWKS_TIMEOUT", "``120``", _set(JWT_JWKS_TIMEOUT=120), InvalidConfigError),
    Case("JWT_JWKS_TIMEOUT", "``0.5``", _set(JWT_JWKS_TIMEOUT=0.5), InvalidConfigError),
    Case(
        "JWT_REQUIRE_AT_JWT",
        '``"perhaps"``',
        _set(JWT_REQUIRE_AT_JWT="perhaps"),
        InvalidConfigError,
    ),
    Case(
        "JWT_TOKEN_LOCATION",
        '``["headers", "cookies"]``',
        _set(JWT_TOKEN_LOCATION=["headers", "cookies"]),
        InvalidConfigError,
    ),
    Case("JWT_TOKEN_LOCATION", "``[]``", _set(JWT_TOKEN_LOCATION=[]), InvalidConfigError),
    Case(
        "JWT_TOKEN_LOCATION",
        '``"cookies, cookies"``',
        _set(JWT_TOKEN_LOCATION="cookies, cookies"),
        InvalidConfigError,
    ),
    Case("JWT_TOKEN_LOCATION", "``42``", _set(JWT_TOKEN_LOCATION=42), InvalidConfigError),
    Case(
        "JWT_AUTH_COOKIE",
        '``"auth token"``',
        _set(JWT_AUTH_COOKIE="auth token"),
        InvalidConfigError,
    ),
    Case(
        "JWT_AUTH_COOKIE",
        '``"__Host-auth"`` with ``JWT_COOKIE_DOMAIN``',
        _set(JWT_AUTH_COOKIE="__Host-auth", JWT_COOKIE_DOMAIN="example.com"),
        InvalidConfigError,
    ),
    Case(
        "JWT_REFRESH_COOKIE",
        '``"auth_token"`` (the auth cookie\'s name)',
        _set(JWT_REFRESH_COOKIE="auth_token"),
        InvalidConfigError,
    ),
    Case(
        "JWT_REFRESH_COOKIE",
        '``"__Host-refresh"`` with ``JWT_REFRESH_COOKIE_PATH = "/refresh"``',
        _set(JWT_REFRESH_COOKIE="__Host-refresh", JWT_REFRESH_COOKIE_PATH="/refresh"),
        InvalidConfigError,
    ),
    Case(
        "JWT_AUTH_CSRF_COOKIE",
        '``"csrf;auth"``',
        _set(JWT_AUTH_CSRF_COOKIE="csrf;auth"),
        InvalidConfigError,
    ),
    Case(
        "JWT_REFRESH_CSRF_COOKIE",
        '``"__Secure-csrf"`` with ``JWT_COOKIE_SECURE = False``',
        _set(JWT_REFRESH_CSRF_COOKIE="__Secure-csrf", JWT_COOKIE_SECURE=False),
        InvalidConfigError,
    ),
    Case("JWT_COOKIE_SECURE", '``"maybe"``', _set(JWT_COOKIE_SECURE="maybe"), InvalidConfigError),
    Case(
        "JWT_COOKIE_SAMESITE",
        '``"None"`` with ``JWT_COOKIE_SECURE = False``',
        _set(JWT_COOKIE_SAMESITE="None", JWT_COOKIE_SECURE=False),
        InvalidConfigError,
    ),
    Case(
        "JWT_COOKIE_SAMESITE",
        "``False``",
        _set(JWT_COOKIE_SAMESITE=False),
        InvalidConfigError,
    ),
    Case(
        "JWT_COOKIE_DOMAIN",
        '``"https://example.com"``',
        _set(JWT_COOKIE_DOMAIN="https://example.com"),
        InvalidConfigError,
    ),
    Case("JWT_AUTH_COOKIE_PATH", '``"api"``', _set(JWT_AUTH_COOKIE_PATH="api"), InvalidConfigError),
    Case(
        "JWT_REFRESH_COOKIE_PATH",
        '``"/token refresh"``',
        _set(JWT_REFRESH_COOKIE_PATH="/token refresh"),
        InvalidConfigError,
    ),
    Case("JWT_CSRF_PROTECT", '``"off"``', _set(JWT_CSRF_PROTECT="off"), InvalidConfigError),
    Case("JWT_CSRF_METHODS", "``[]``", _set(JWT_CSRF_METHODS=[]), InvalidConfigError),
    Case(
        "JWT_CSRF_METHODS",
        '``["POST", "P U T"]``',
        _set(JWT_CSRF_METHODS=["POST", "P U T"]),
        InvalidConfigError,
    ),
    Case(
        "JWT_CSRF_METHODS",
        '``["POST", 1]``',
        _set(JWT_CSRF_METHODS=["POST", 1]),
        InvalidConfigError,
    ),
    Case("JWT_CSRF_HEADER", '``"X CSRF"``', _set(JWT_CSRF_HEADER="X CSRF"), InvalidConfigError),
    Case("JWT_QUERY_PARAM", "``7``", _set(JWT_QUERY_PARAM=7), InvalidConfigError),
    Case(
        "JWT_AUTH_JSON_KEY", '``["token"]``', _set(JWT_AUTH_JSON_KEY=["token"]), InvalidConfigError
    ),
    Case(
        "JWT_REFRESH_JSON_KEY",
        '``b"refresh"``',
        _set(JWT_REFRESH_JSON_KEY=b"refresh"),
        InvalidConfigError,
    ),
    Case("JWT_DPOP", '``"yes"``', _set(JWT_DPOP="yes"), InvalidConfigError),
    Case("JWT_DPOP_ALGORITHMS", '``["HS256"]``', _set(JWT_DPOP_ALGORITHMS=["HS256"]),
         InvalidConfigError),
    Case("JWT_DPOP_ALGORITHMS", '``[]``', _set(JWT_DPOP_ALGORITHMS=[]), InvalidConfigError),
    Case("JWT_DPOP_ALGORITHMS", '``"none"``', _set(JWT_DPOP_ALGORITHMS="none"),
         InvalidConfigError),
    Case("JWT_DPOP_ALGORITHMS", "``256``", _set(JWT_DPOP_ALGORITHMS=256), InvalidConfigError),
    Case("JWT_DPOP_ALGORITHMS", '``"ES256, ES256"``', _set(JWT_DPOP_ALGORITHMS="ES256, ES256"),
         InvalidConfigError),
    Case("JWT_DPOP_IAT_WINDOW", "``0``", _set(JWT_DPOP_IAT_WINDOW=0), InvalidConfigError),
    Case("JWT_DPOP_IAT_WINDOW", "``86400``", _set(JWT_DPOP_IAT_WINDOW=86400),
         InvalidConfigError),
    Case("JWT_DPOP_NONCE", '``"sometimes"``', _set(JWT_DPOP_NONCE="sometimes"),
         InvalidConfigError),
    Case("JWT_RESOURCE", '``"api.example.com"``', _set(JWT_RESOURCE="api.example.com"),
         InvalidConfigError),
    Case("JWT_RESOURCE", '``"http://api.example.com"``',
         _set(JWT_RESOURCE="http://api.example.com"), InvalidConfigError),
    Case("JWT_RESOURCE", '``"https://api.example.com/#v1"``',
         _set(JWT_RESOURCE="https://api.example.com/#v1"), InvalidConfigError),
    Case("JWT_RESOURCE", '``"https://api.example.com"`` with ``JWT_AUDIENCE = "other"``',
         _set(JWT_RESOURCE="https://api.example.com", JWT_AUDIENCE="other"),
         InvalidConfigError),
    Case("JWT_RESOURCE_METADATA_ROUTE", '``"oauth-protected-resource"``',
         _set(JWT_RESOURCE_METADATA_ROUTE="oauth-protected-resource"), InvalidConfigError),
    Case("JWT_RESOURCE_METADATA_ROUTE",
         '``"/.well-known/oauth-protected-resource"`` with ``JWT_RESOURCE = '
         '"https://example.com/api"``',
         _set(JWT_RESOURCE_METADATA_ROUTE="/.well-known/oauth-protected-resource",
              JWT_RESOURCE="https://example.com/api"),
         InvalidConfigError),
    Case("JWT_HEADER_NAME", '``"X Token"``', _set(JWT_HEADER_NAME="X Token"), InvalidConfigError),
    Case(
        "JWT_HEADER_SCHEME",
        '``"Bearer token"``',
        _set(JWT_HEADER_SCHEME="Bearer token"),
        InvalidConfigError,
    ),
    Case("JWT_IDENTITY_CLAIM", "``1``", _set(JWT_IDENTITY_CLAIM=1), InvalidConfigError),
    Case(
        "JWT_CSRF_FORM_FIELD",
        '``["csrf"]``',
        _set(JWT_CSRF_FORM_FIELD=["csrf"]),
        InvalidConfigError,
    ),
)  # fmt: skip


def configure(case: Case) -> Flask:
    app = Flask(f"config_case_{case.key}")
    for key, value in {**BASE, **case.changes()}.items():
        if value is not UNSET:
            app.config[key] = value
    return app


def outcome(case: Case) -> tuple[type[Exception] | type[Warning] | None, str]:
    """Run ``init_app`` on the case: what it raised or warned, and the message."""
    app = configure(case)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            AuthManager(app)
        except FlaskPyJWTError as error:
            return type(error), str(error)
    for warning in caught:
        return warning.category, str(warning.message)
    return None, ""
