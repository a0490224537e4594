"""The pure DPoP parts, without an app: URI normalisation (RFC 3986 6.2.2-6.2.3) for
``htu``, the nonce source, and the checker's own refusals of a bad configuration."""

from __future__ import annotations

import pytest

from flask_pyjwt._core.algorithms import AuthType
from flask_pyjwt._core.dpop import ProofChecker
from flask_pyjwt._core.dpop_nonce import NonceSource
from flask_pyjwt._core.jwk import member_thumbprint, parse_jwk
from flask_pyjwt._core.jwks import thumbprint
from flask_pyjwt._core.strict_json import FrozenJSONObject, freeze
from flask_pyjwt._core.uri import normalize_uri
from tests.dpop_client import DPoPKey, jkt_of
from tests.support import Clock


@pytest.mark.parametrize(
    ("uri", "normal"),
    [
        ("https://API.Example.COM:443/a/b?q#f", "https://api.example.com/a/b"),
        ("https://api.example.com", "https://api.example.com/"),
        ("http://[::1]:80/x", "http://[::1]/x"),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
        ("https://h/%7e%2f%41", "https://h/~%2FA"),
        ("https://h/a/./b/../c/", "https://h/a/c/"),
        ("https://h/a/..", "https://h/"),
        ("https://h:/x", "https://h/x"),
        ("https://h/%zz", "https://h/%zz"),
    ],
)
def test_normal_forms(uri: str, normal: str) -> None:
    assert normalize_uri(uri) == normal


@pytest.mark.parametrize(
    "uri",
    ["", "/x", "ftp://h/x", "https://", "https://u@h/x", "https://h/a b", "https://h/a\u2003b",
     "https://h/a\tb", "1http://h/"],
)  # fmt: skip
def test_what_is_no_request_uri(uri: str) -> None:
    assert normalize_uri(uri) is None


def test_nonces_rotate_and_the_previous_is_kept() -> None:
    clock = Clock(3000)
    nonces = NonceSource.derived(b"key material", clock)
    first = nonces.current()
    assert nonces.state(first) == "current"
    clock.now += 300
    assert nonces.state(first) == "previous"
    assert nonces.state(nonces.current()) == "current"
    clock.now += 300
    assert nonces.state(first) is None
    for bad in (None, "", "x", "10.abc", "9" * 17 + ".x", first + "x", "x" * 65):
        assert nonces.state(bad) is None
    other = NonceSource.derived(b"other material", clock)
    assert other.state(nonces.current()) is None
    assert "key material" not in repr(nonces)


def test_a_checker_takes_asymmetric_algorithms_only() -> None:
    with pytest.raises(ValueError, match="asymmetric"):
        ProofChecker((AuthType.HS256,), clock=Clock())
    with pytest.raises(ValueError, match="asymmetric"):
        ProofChecker((), clock=Clock())
    assert ProofChecker((AuthType.ES256,), clock=Clock()).algorithms == (AuthType.ES256,)


@pytest.mark.parametrize(
    "name", ["ec-P-256-3", "ec-P-384-0", "ec-P-521-0", "rsa-2048-0", "ed25519-0", "ed448-0"]
)
def test_the_thumbprint_from_the_members_is_the_keys(name: str) -> None:
    # A proof's jkt is written from its jwk's members (parsed strictly first); it must be
    # the thumbprint of the key itself, and the independent client's.
    jwk = freeze({**DPoPKey(name).public_jwk, "kid": "k", "alg": "x"})
    assert isinstance(jwk, FrozenJSONObject)
    parsed = parse_jwk(jwk)
    assert parsed.public is not None
    assert member_thumbprint(jwk) == thumbprint(parsed.public) == jkt_of(jwk)
    with pytest.raises(ValueError, match="oct"):
        member_thumbprint(FrozenJSONObject({"kty": "oct", "k": "c2VjcmV0"}))
