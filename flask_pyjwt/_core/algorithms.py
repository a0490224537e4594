"""The signature algorithms the library supports and what key each one needs."""

from __future__ import annotations

import enum
from typing import Final, Literal

from cryptography.hazmat.primitives.asymmetric import ec

KeyFamily = Literal["HMAC", "RSA", "EC", "OKP"]


class AuthType(str, enum.Enum):
    """A JWS signature algorithm (RFC 7518, RFC 8037), named as in ``JWT_AUTHTYPE``.

    ``HS*`` use a shared secret; ``RS*``/``PS*`` an RSA key pair (2048 bits or more);
    ``ES*`` an elliptic-curve key pair on the curve the algorithm names; ``EdDSA`` an
    Ed25519 or Ed448 key pair.
    """

    HS256 = "HS256"
    HS384 = "HS384"
    HS512 = "HS512"
    RS256 = "RS256"
    RS384 = "RS384"
    RS512 = "RS512"
    PS256 = "PS256"
    PS384 = "PS384"
    PS512 = "PS512"
    ES256 = "ES256"
    ES384 = "ES384"
    ES512 = "ES512"
    EdDSA = "EdDSA"

    def __str__(self) -> str:
        return self.value

    @property
    def algorithm(self) -> str:
        """The ``alg`` header value (as in Flask_PyJWT 1.x)."""
        return self.value

    @property
    def family(self) -> KeyFamily:
        """Which kind of key the algorithm needs."""
        return _FAMILY[self.value[:2]]

    @property
    def is_symmetric(self) -> bool:
        """True for the HMAC algorithms, whose one secret both signs and verifies."""
        return self.family == "HMAC"

    @property
    def min_secret_bytes(self) -> int:
        """The shortest HMAC key allowed, the hash output size (RFC 7518 3.2); 0 for key pairs."""
        return int(self.value[2:]) // 8 if self.is_symmetric else 0


_FAMILY: Final[dict[str, KeyFamily]] = {
    "HS": "HMAC",
    "RS": "RSA",
    "PS": "RSA",
    "ES": "EC",
    "Ed": "OKP",
}

EC_CURVES: Final[dict[AuthType, type[ec.EllipticCurve]]] = {
    AuthType.ES256: ec.SECP256R1,
    AuthType.ES384: ec.SECP384R1,
    AuthType.ES512: ec.SECP521R1,
}
"""The one curve each ECDSA algorithm is defined for (RFC 7518 3.4): checked when a key
is loaded, used when ``flask jwt keygen`` makes one."""

MIN_RSA_BITS: Final = 2048
"""RFC 7518 3.3: RSA keys of 2048 bits or larger MUST be used."""


_BY_NAME: Final[dict[str, AuthType]] = {member.value: member for member in AuthType}


def parse_auth_type(value: object) -> AuthType:
    """The :class:`AuthType` named by ``value``, spelled exactly as in RFC 7518.

    The one place an algorithm name is read (configuration, signers, the CLI), so every
    caller reports a wrong one with the same message.

    Raises:
        ValueError: ``value`` names no supported algorithm (``none`` included).
    """
    if isinstance(value, AuthType):
        return value
    known = _BY_NAME.get(value) if isinstance(value, str) else None
    if known is None:
        accepted = ", ".join(_BY_NAME)
        raise ValueError(f"got {type(value).__name__} {value!r}; expected one of {accepted}")
    return known


# The curve table of JWKs (RFC 7518 6.2.1.1 / RFC 8037 2): an EC JWK's "crv" -> (curve
# class, coordinate size in bytes); an OKP JWK's "crv" -> key size in bytes; and a
# cryptography curve name -> its "crv".
JWK_EC_CURVES: Final[dict[str, tuple[type[ec.EllipticCurve], int]]] = {
    "P-256": (ec.SECP256R1, 32),
    "P-384": (ec.SECP384R1, 48),
    "P-521": (ec.SECP521R1, 66),
}
JWK_OKP_SIZES: Final[dict[str, int]] = {"Ed25519": 32, "Ed448": 57}
JWK_CRV_OF_CURVE: Final[dict[str, str]] = {
    "secp256r1": "P-256",
    "secp384r1": "P-384",
    "secp521r1": "P-521",
}
