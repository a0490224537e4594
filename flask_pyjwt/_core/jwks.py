"""JWK Set documents of our own keys: the public JWK of a key (:func:`public_jwk`), the
RFC 7638 thumbprint that is a key's default ``kid`` (:func:`thumbprint`), an HMAC
secret's ``kid`` (:func:`hmac_key_id`), and the :class:`JWKSet` the app publishes.
Never a private member or an HMAC secret. No Flask here.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Literal, TypeAlias

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from typing_extensions import NotRequired, TypedDict

from .algorithms import JWK_CRV_OF_CURVE, JWK_EC_CURVES, AuthType
from .b64 import b64url_encode
from .jwk import HMAC_KEY_ID_LABEL, raw_public
from .keys import PublicKey


class PublicJWK(TypedDict):
    """One public key of a :class:`JWKSet`, as :meth:`~flask_pyjwt.AuthManager.jwks`
    publishes it (RFC 7517 4, RFC 7518 6, RFC 8037 2).

    ``kty``, ``kid``, ``use`` (always ``"sig"``) and ``alg`` are always there; the
    others depend on ``kty``: ``n`` and ``e`` for ``RSA``; ``crv``, ``x`` and ``y`` for
    ``EC``; ``crv`` and ``x`` for ``OKP``. Never a private or symmetric member.
    """

    kty: Literal["RSA", "EC", "OKP"]
    kid: str
    use: Literal["sig"]
    alg: str
    n: NotRequired[str]
    e: NotRequired[str]
    crv: NotRequired[str]
    x: NotRequired[str]
    y: NotRequired[str]


class JWKSet(TypedDict):
    """A JWK Set (RFC 7517 5): ``{"keys": [...]}``, the document a JWKS URL serves."""

    keys: list[PublicJWK]


def _minimal(value: int) -> bytes:
    return value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big")


_ThumbprintMembers: TypeAlias = dict[str, str]


def _public_members(key: PublicKey) -> _ThumbprintMembers:
    """The required public members of ``key``'s JWK (RFC 7638 3.2), as strings."""
    if isinstance(key, rsa.RSAPublicKey):
        rsa_numbers = key.public_numbers()
        return {"e": b64url_encode(_minimal(rsa_numbers.e)), "kty": "RSA",
                "n": b64url_encode(_minimal(rsa_numbers.n))}  # fmt: skip
    if isinstance(key, ec.EllipticCurvePublicKey):
        crv = JWK_CRV_OF_CURVE[key.curve.name]
        size = JWK_EC_CURVES[crv][1]
        ec_numbers = key.public_numbers()
        return {"crv": crv, "kty": "EC", "x": b64url_encode(ec_numbers.x.to_bytes(size, "big")),
                "y": b64url_encode(ec_numbers.y.to_bytes(size, "big"))}  # fmt: skip
    crv = "Ed25519" if isinstance(key, Ed25519PublicKey) else "Ed448"
    return {"crv": crv, "kty": "OKP", "x": b64url_encode(raw_public(key))}


def thumbprint(key: PublicKey) -> str:
    """The RFC 7638 JWK thumbprint (SHA-256, base64url) of a public key: its default ``kid``."""
    members = _public_members(key)
    canonical = json.dumps(members, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return b64url_encode(hashlib.sha256(canonical).digest())


def hmac_key_id(secret: bytes) -> str:
    """The default ``kid`` of an HMAC secret: ``HMAC-SHA256(secret, label)``, base64url.

    Computed *under* the secret, so it reveals nothing a token's own HMAC signature does
    not (a plain hash of the secret would be an offline guessing oracle). 128 bits: an
    identifier, not a MAC; the same secret always gets the same id.
    """
    return b64url_encode(hmac.digest(secret, HMAC_KEY_ID_LABEL, "sha256")[:16])


def public_jwk(key: PublicKey, algorithm: AuthType, kid: str) -> PublicJWK:
    """The public JWK of ``key``: ``kty``, ``kid``, ``use`` ``"sig"``, ``alg``, key members."""
    members = _public_members(key)
    jwk: PublicJWK
    if members["kty"] == "RSA":
        jwk = {"kty": "RSA", "kid": kid, "use": "sig", "alg": algorithm.value,
               "n": members["n"], "e": members["e"]}  # fmt: skip
    elif members["kty"] == "EC":
        jwk = {"kty": "EC", "kid": kid, "use": "sig", "alg": algorithm.value,
               "crv": members["crv"], "x": members["x"], "y": members["y"]}  # fmt: skip
    else:
        jwk = {"kty": "OKP", "kid": kid, "use": "sig", "alg": algorithm.value,
               "crv": members["crv"], "x": members["x"]}  # fmt: skip
    return jwk
