"""Turning configured key material into ready key objects, once, with every check up front.

A key is checked against the algorithm it will be used with: an RSA key for ``ES256``, a
P-384 key for ``ES256``, a 1024-bit RSA key or a PEM public key used as an HMAC secret
are all refused here, at start-up, instead of surprising a request later.
Messages name the problem, never the key.
"""

from __future__ import annotations

from typing import TypeAlias, TypeGuard, Union

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.ec import (
    EllipticCurvePrivateKey,
    EllipticCurvePublicKey,
)
from cryptography.hazmat.primitives.asymmetric.ed448 import Ed448PrivateKey, Ed448PublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_private_key,
    load_pem_public_key,
    load_ssh_public_key,
)

from .algorithms import EC_CURVES, MIN_RSA_BITS, AuthType

PrivateKey: TypeAlias = Union[
    RSAPrivateKey, EllipticCurvePrivateKey, Ed25519PrivateKey, Ed448PrivateKey
]
"""A private key object from :mod:`cryptography` that can sign for some algorithm."""

PublicKey: TypeAlias = Union[RSAPublicKey, EllipticCurvePublicKey, Ed25519PublicKey, Ed448PublicKey]
"""A public key object from :mod:`cryptography` that can verify for some algorithm."""

KeyMaterial: TypeAlias = Union[str, bytes, PrivateKey, PublicKey]
"""What a key may be configured as: PEM text or bytes, an OpenSSH public key line, or a
ready :mod:`cryptography` key object."""

_SSH_PREFIXES = (b"ssh-rsa ", b"ssh-ed25519 ", b"ssh-ed448 ", b"ecdsa-sha2-")


class KeyMaterialError(ValueError):
    """Key material that cannot be used for the algorithm (message is safe to show)."""


def _as_bytes(material: str | bytes) -> bytes:
    return material.encode("utf-8") if isinstance(material, str) else material


def _looks_asymmetric(data: bytes) -> bool:
    # PEM armour anywhere (as PyJWT's own HMAC key guard looks for it), or an SSH key line.
    stripped = data.strip()
    return b"-----BEGIN" in stripped or stripped.startswith(_SSH_PREFIXES)


def hmac_secret(algorithm: AuthType, material: object) -> bytes:
    """The raw HMAC key for ``algorithm``.

    Raises:
        KeyMaterialError: empty, not ``str``/``bytes``, or PEM/SSH key text (which would let a
            public key be used as an HMAC secret: algorithm confusion).
    """
    if not isinstance(material, (str, bytes)):
        raise KeyMaterialError(
            f"must be a str or bytes secret for {algorithm.value}, got {type(material).__name__}"
        )
    secret = _as_bytes(material)
    if not secret:
        raise KeyMaterialError(f"is empty; {algorithm.value} needs a secret")
    if _looks_asymmetric(secret):
        raise KeyMaterialError(
            f"looks like a PEM or SSH key, which is not a secret for {algorithm.value}; "
            "use an RS/PS/ES/EdDSA JWT_AUTHTYPE for key pairs"
        )
    return secret


def check_key_fits(algorithm: AuthType, key: PrivateKey | PublicKey) -> None:
    """Check that ``key`` is of the type and size ``algorithm`` needs.

    Raises:
        KeyMaterialError: it is not.
    """
    family = algorithm.family
    if family == "RSA":
        if not isinstance(key, (RSAPrivateKey, RSAPublicKey)):
            raise KeyMaterialError(f"is a {_describe(key)}, but {algorithm.value} needs an RSA key")
        if key.key_size < MIN_RSA_BITS:
            raise KeyMaterialError(
                f"is a {key.key_size}-bit RSA key; {algorithm.value} needs {MIN_RSA_BITS} bits "
                "or more (RFC 7518 3.3)"
            )
    elif family == "EC":
        if not isinstance(key, (EllipticCurvePrivateKey, EllipticCurvePublicKey)):
            raise KeyMaterialError(f"is a {_describe(key)}, but {algorithm.value} needs an EC key")
        expected = EC_CURVES[algorithm]().name
        if key.curve.name != expected:
            raise KeyMaterialError(
                f"is on curve {key.curve.name}, but {algorithm.value} needs {expected} "
                "(RFC 7518 3.4)"
            )
    elif family == "OKP":
        if not isinstance(
            key, (Ed25519PrivateKey, Ed25519PublicKey, Ed448PrivateKey, Ed448PublicKey)
        ):
            raise KeyMaterialError(
                f"is a {_describe(key)}, but EdDSA needs an Ed25519 or Ed448 key"
            )
    else:
        raise KeyMaterialError(
            f"is a {_describe(key)}; {algorithm.value} needs a secret, not a key pair"
        )


def _describe(key: object) -> str:
    if isinstance(key, (RSAPrivateKey, RSAPublicKey)):
        return "RSA key"
    if isinstance(key, (EllipticCurvePrivateKey, EllipticCurvePublicKey)):
        return "EC key"
    if isinstance(key, (Ed25519PrivateKey, Ed25519PublicKey)):
        return "Ed25519 key"
    if isinstance(key, (Ed448PrivateKey, Ed448PublicKey)):
        return "Ed448 key"
    return type(key).__name__


_PRIVATE_TYPES = (RSAPrivateKey, EllipticCurvePrivateKey, Ed25519PrivateKey, Ed448PrivateKey)
_PUBLIC_TYPES = (RSAPublicKey, EllipticCurvePublicKey, Ed25519PublicKey, Ed448PublicKey)


def load_private_key(algorithm: AuthType, material: object) -> PrivateKey:
    """Parse a PEM private key (or take a key object) and check it fits ``algorithm``.

    Raises:
        KeyMaterialError: not a usable private key for ``algorithm``.
    """
    key: object
    if isinstance(material, _PRIVATE_TYPES):
        key = material
    elif isinstance(material, _PUBLIC_TYPES):
        raise KeyMaterialError(
            f"is a public key, but signing with {algorithm.value} needs the private key; "
            "a verify-only service sets JWT_PUBLICKEY and leaves JWT_SECRET unset"
        )
    elif isinstance(material, (str, bytes)):
        data = _as_bytes(material).strip()
        if b"PRIVATE KEY-----" not in data:
            if _looks_asymmetric(data):
                raise KeyMaterialError(
                    f"is a public key or certificate, but signing with {algorithm.value} needs "
                    "a PEM private key; a verify-only service sets JWT_PUBLICKEY and leaves "
                    "JWT_SECRET unset"
                )
            raise KeyMaterialError(f"is not a PEM private key, which {algorithm.value} needs")
        try:
            key = load_pem_private_key(data, password=None)
        except TypeError:
            raise KeyMaterialError(
                "is an encrypted PEM private key; decrypt it with cryptography's "
                "load_pem_private_key(data, password) and pass the key object"
            ) from None
        except (ValueError, UnsupportedAlgorithm):
            raise KeyMaterialError("is not a PEM private key that can be read") from None
    else:
        raise KeyMaterialError(
            f"must be PEM text (str or bytes) or a cryptography private key, "
            f"got {type(material).__name__}"
        )
    if not isinstance(key, _PRIVATE_TYPES):
        raise KeyMaterialError(f"is a {_describe(key)}, which {algorithm.value} cannot use")
    check_key_fits(algorithm, key)
    return key


def load_public_key(algorithm: AuthType, material: object) -> PublicKey:
    """Parse a PEM public key, an X.509 certificate or an OpenSSH public key line.

    Raises:
        KeyMaterialError: not a usable public key for ``algorithm``.
    """
    key: object
    if isinstance(material, _PUBLIC_TYPES):
        key = material
    elif isinstance(material, _PRIVATE_TYPES):
        key = material.public_key()
    elif isinstance(material, (str, bytes)):
        data = _as_bytes(material).strip()
        if b"PRIVATE KEY-----" in data:
            raise KeyMaterialError(
                "is a private key; give only the public key here (it is derived from "
                "JWT_SECRET when that is set)"
            )
        try:
            if data.startswith(_SSH_PREFIXES):
                key = load_ssh_public_key(data)
            elif b"-----BEGIN CERTIFICATE-----" in data:
                key = x509.load_pem_x509_certificate(data).public_key()
            else:
                key = load_pem_public_key(data)
        except (ValueError, UnsupportedAlgorithm):
            raise KeyMaterialError(
                "is not a PEM public key, X.509 certificate or OpenSSH public key that can be read"
            ) from None
    else:
        raise KeyMaterialError(
            f"must be PEM or OpenSSH text (str or bytes) or a cryptography public key, "
            f"got {type(material).__name__}"
        )
    if not isinstance(key, _PUBLIC_TYPES):
        raise KeyMaterialError(f"is a {_describe(key)}, which {algorithm.value} cannot use")
    check_key_fits(algorithm, key)
    return key


def same_public_key(first: PublicKey, second: PublicKey) -> bool:
    """Whether two public keys are the same key."""
    spki = Encoding.DER, PublicFormat.SubjectPublicKeyInfo
    return first.public_bytes(*spki) == second.public_bytes(*spki)


def is_key_material(value: object) -> TypeGuard[KeyMaterial]:
    """Whether ``value`` is of a type a key may be configured as."""
    return isinstance(value, (str, bytes, *_PRIVATE_TYPES, *_PUBLIC_TYPES))
