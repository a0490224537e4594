"""Sign/verify operations with a key bound once, over PyJWT's algorithm objects.

Each operation keeps the narrowed key type its PyJWT algorithm expects: a key is parsed
and checked once, never per token.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Generic, Protocol, TypeVar, Union

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
from jwt import InvalidKeyError as PyJWTKeyError
from jwt.algorithms import ECAlgorithm, HMACAlgorithm, OKPAlgorithm, RSAAlgorithm, RSAPSSAlgorithm

from .algorithms import AuthType
from .errors import InvalidKeyError
from .keys import PrivateKey, PublicKey, same_public_key
from .speedups import prepared_hmac


class KeyOps(Protocol):
    """Raw signature operations with one key."""

    def sign(self, signing_input: bytes) -> bytes:
        """The raw RFC 7518 signature of ``signing_input``."""
        ...

    def verify(self, signing_input: bytes, signature: bytes) -> bool:
        """Whether ``signature`` is valid for ``signing_input`` (never raises for a bad one)."""
        ...

    def public_only(self) -> KeyOps:
        """The same operations without the ability to sign (for a derived verifier)."""
        ...

    def same_key(self, other: KeyOps) -> bool:
        """Whether ``other`` verifies with the same key (compared in constant time)."""
        ...

    def public_key(self) -> PublicKey | None:
        """The public key (``None`` for an HMAC secret, which is never published)."""
        ...


def _no_private_key() -> bytes:
    raise RuntimeError("this key can only verify; it has no private key")


@dataclass(frozen=True, slots=True, repr=False)
class _HMACOps:
    """HMAC (RFC 2104) with one secret, keyed once (:func:`~.speedups.prepared_hmac`)."""

    secret: bytes
    mac: Callable[[bytes], bytes]

    def sign(self, signing_input: bytes) -> bytes:
        return self.mac(signing_input)

    def verify(self, signing_input: bytes, signature: bytes) -> bool:
        return hmac.compare_digest(self.mac(signing_input), signature)

    def public_only(self) -> KeyOps:
        return self

    def same_key(self, other: KeyOps) -> bool:
        return isinstance(other, _HMACOps) and hmac.compare_digest(self.secret, other.secret)

    def public_key(self) -> PublicKey | None:
        return None


def hmac_ops(algorithm: AuthType, secret: bytes) -> KeyOps:
    """HMAC with ``secret``; PyJWT's own key guard runs once, here.

    :func:`~flask_pyjwt._core.keys.hmac_secret` refuses everything this guard refuses,
    with a message that says what to do; should a PyJWT release refuse more, the
    refusal still arrives as the library's ``ValueError``, never as PyJWT's exception.

    Raises:
        InvalidKeyError: PyJWT refuses ``secret`` as an HMAC key.
    """
    try:
        HMACAlgorithm(hashlib.sha256).prepare_key(secret)
    except PyJWTKeyError:
        raise InvalidKeyError(
            f"is refused by PyJWT as an HMAC key (it looks like key material, not a "
            f"secret); make a random secret with: flask jwt keygen --alg {algorithm.value}"
        ) from None
    return _HMACOps(secret, prepared_hmac(secret, f"sha{algorithm.value[2:]}"))


_Private = TypeVar("_Private", bound=PrivateKey)
_Public = TypeVar("_Public", bound=PublicKey)
_Private_contra = TypeVar("_Private_contra", contravariant=True)
_Public_contra = TypeVar("_Public_contra", contravariant=True)


class _PyJWTAlgorithm(Protocol[_Private_contra, _Public_contra]):
    """The part of a PyJWT algorithm object used here, with its key types."""

    def sign(self, msg: bytes, key: _Private_contra) -> bytes: ...

    def verify(self, msg: bytes, key: _Public_contra, sig: bytes) -> bool: ...


@dataclass(frozen=True, slots=True, repr=False)
class _AsymmetricOps(Generic[_Private, _Public]):
    algorithm: _PyJWTAlgorithm[_Private, _Public]
    public: _Public
    private: _Private | None
    # RSA: a signature is exactly k bytes, the modulus' size (RFC 8017 8.1.2 step 1,
    # 8.2.2 step 1). OpenSSL's PSS verification accepts one a byte short (a stripped
    # leading zero), a second spelling of about one token in 256; so the length is
    # checked here, before the key is used. ECDSA and EdDSA check their fixed sizes.
    signature_length: int | None = None

    def sign(self, signing_input: bytes) -> bytes:
        if self.private is None:
            return _no_private_key()
        return self.algorithm.sign(signing_input, self.private)

    def verify(self, signing_input: bytes, signature: bytes) -> bool:
        if self.signature_length is not None and len(signature) != self.signature_length:
            return False
        return self.algorithm.verify(signing_input, self.public, signature)

    def public_only(self) -> KeyOps:
        return _AsymmetricOps(self.algorithm, self.public, None, self.signature_length)

    def same_key(self, other: KeyOps) -> bool:
        return isinstance(other, _AsymmetricOps) and same_public_key(
            self.public,
            other.public,  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        )

    def public_key(self) -> PublicKey | None:
        return self.public


# The order n of each curve's base point (SEC 2 v2 2.4.2, 2.5.1, 2.6.1), by curve name.
_CURVE_ORDERS: Final[dict[str, int]] = {
    "secp256r1": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    "secp384r1": int(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973",
        16,
    ),
    "secp521r1": int(
        "01" + "FF" * 32 + "FA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409", 16
    ),
}


@dataclass(frozen=True, slots=True)
class _LowSECDSA:
    """ECDSA that signs in low-S form: ``s`` is replaced by ``n - s`` when above ``n / 2``.

    ``(r, s)`` and ``(r, n - s)`` are both valid signatures of the same input, so every
    ECDSA token has a second spelling. Signing low-S gives the tokens this library issues
    one; a high-S signature from another signer still verifies (Wycheproof counts it
    valid), which is why revocation keys on ``jti``, never on the token string.
    """

    inner: ECAlgorithm
    order: int

    def sign(self, msg: bytes, key: EllipticCurvePrivateKey) -> bytes:
        raw = self.inner.sign(msg, key)  # R || S, each half the curve's size
        half = len(raw) // 2
        s = int.from_bytes(raw[half:], "big")
        if s > self.order >> 1:
            raw = raw[:half] + (self.order - s).to_bytes(half, "big")
        return raw

    def verify(self, msg: bytes, key: EllipticCurvePublicKey, sig: bytes) -> bool:
        return self.inner.verify(msg, key, sig)


_RSA_HASHES = {"256": RSAAlgorithm.SHA256, "384": RSAAlgorithm.SHA384, "512": RSAAlgorithm.SHA512}
_EC_HASHES = {"256": ECAlgorithm.SHA256, "384": ECAlgorithm.SHA384, "512": ECAlgorithm.SHA512}


# One per hash and curve, shared by every key: PyJWT's algorithm objects hold only their
# hash, so a key met for the first time (a DPoP proof's) builds none.
_ECDSA: Final[dict[tuple[str, str], _LowSECDSA]] = {
    (bits, curve): _LowSECDSA(ECAlgorithm(hash_alg), order)
    for bits, hash_alg in _EC_HASHES.items()
    for curve, order in _CURVE_ORDERS.items()
}


_OKPPrivate = Union[Ed25519PrivateKey, Ed448PrivateKey]
_OKPPublic = Union[Ed25519PublicKey, Ed448PublicKey]


def asymmetric_ops(algorithm: AuthType, public: PublicKey, private: PrivateKey | None) -> KeyOps:
    """Operations for an already type-checked key pair (``private`` may be absent)."""
    bits = algorithm.value[2:]
    family = algorithm.family
    if family == "RSA" and isinstance(public, RSAPublicKey):
        rsa_private = private if isinstance(private, RSAPrivateKey) else None
        rsa = (RSAPSSAlgorithm if algorithm.value.startswith("PS") else RSAAlgorithm)(
            _RSA_HASHES[bits]
        )
        return _AsymmetricOps(rsa, public, rsa_private, (public.key_size + 7) // 8)
    if family == "EC" and isinstance(public, EllipticCurvePublicKey):
        ec_private = private if isinstance(private, EllipticCurvePrivateKey) else None
        return _AsymmetricOps(_ECDSA[bits, public.curve.name], public, ec_private)
    if family == "OKP" and isinstance(public, (Ed25519PublicKey, Ed448PublicKey)):
        okp_private = private if isinstance(private, (Ed25519PrivateKey, Ed448PrivateKey)) else None
        okp: _AsymmetricOps[_OKPPrivate, _OKPPublic] = _AsymmetricOps(
            OKPAlgorithm(), public, okp_private
        )
        return okp
    raise ValueError(f"{algorithm.value} cannot use a {type(public).__name__}")
