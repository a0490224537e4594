"""JSON Web Keys (RFC 7517, RFC 7518 6, RFC 8037 2): one JWK, read strictly and bound.

A JWK is read member by member against the RFCs: the members its ``kty`` requires,
each in canonical unpadded base64url of the exact length the RFC fixes (an EC
coordinate is the curve's full size, an RSA modulus has no leading zero octet), the
point on its curve, the private members consistent with the public ones. A key is then
*bound* to one algorithm of the configuration: its ``alg``, ``use`` and ``key_ops``
must agree with it, and its type, curve and size must fit it (as for PEM keys).

Key ids: a JWK's own ``kid``, else the RFC 7638 thumbprint of its public key; an HMAC
secret's id is an HMAC of a fixed label under the secret, never a hash of the secret
itself (both in :mod:`.jwks`, with the export of our own keys). A JWK object this
module accepted has its thumbprint written from its members (:func:`member_thumbprint`,
a DPoP proof's ``jkt``). Messages name members and problems, never key bytes. No Flask
here.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal, cast

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed448 import Ed448PrivateKey, Ed448PublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from .algorithms import JWK_EC_CURVES, JWK_OKP_SIZES, AuthType
from .b64 import B64URL, CANONICAL_LAST, FROM_URLSAFE, b64url_encode
from .errors import InvalidKeyError
from .keys import PrivateKey, PublicKey, check_key_fits, is_json_text
from .strict_json import FrozenJSONObject, JSONDecodeError, JSONValue, freeze, loads_object

KeyType = Literal["RSA", "EC", "OKP", "oct"]

Purpose = Literal["sign", "verify"]
"""What a configured key is for: ``JWT_SECRET`` signs, ``JWT_PUBLICKEY`` and a JWKS verify."""

# The members that make a JWK private (RFC 7518 6.2.2, 6.3.2, 6.4; RFC 8037 2).
PRIVATE_MEMBERS: Final[Mapping[str, frozenset[str]]] = {
    "RSA": frozenset({"d", "p", "q", "dp", "dq", "qi", "oth"}),
    "EC": frozenset({"d"}),
    "OKP": frozenset({"d"}),
    "oct": frozenset({"k"}),
}

_RSA_CRT: Final = ("p", "q", "dp", "dq", "qi")

HMAC_KEY_ID_LABEL: Final = b"flask_pyjwt key id v1"
"""The fixed label an HMAC secret's key id is computed over (see :func:`hmac_key_id`)."""


@dataclass(frozen=True, slots=True, repr=False)
class JWK:
    """One parsed, internally consistent JWK (not yet bound to an algorithm).

    Attributes:
        kty: the key type.
        kid: the ``kid`` member, if any.
        alg: the ``alg`` member, if any (checked against the configuration by :func:`bind`).
        use: the ``use`` member, if any.
        key_ops: the ``key_ops`` member, if any.
        public: the public key (``None`` for ``oct``).
        private: the private key, when the JWK holds one.
        secret: the ``oct`` key's bytes.
    """

    kty: KeyType
    kid: str | None
    alg: str | None
    use: str | None
    key_ops: tuple[str, ...] | None
    public: PublicKey | None
    private: PrivateKey | None = None
    secret: bytes | None = field(default=None)

    def __repr__(self) -> str:
        return f"JWK(kty={self.kty!r}, kid={self.kid!r}, alg={self.alg!r}, key=<redacted>)"

    @property
    def is_private(self) -> bool:
        """Whether the JWK holds private or symmetric key material."""
        return self.private is not None or self.secret is not None


_PAD: Final = (b"", b"", b"==", b"=")


def _b64(value: JSONValue, member: str, kty: str) -> bytes:
    if not isinstance(value, str):
        raise InvalidKeyError(f"is an {kty} JWK whose {member!r} member is not a string")
    remainder = len(value) % 4
    if (
        B64URL.fullmatch(value) is None
        or remainder == 1
        or (remainder and value[-1] not in CANONICAL_LAST[remainder])
    ):
        raise InvalidKeyError(
            f"is an {kty} JWK whose {member!r} member is not canonical unpadded base64url "
            "(RFC 7515 2)"
        )
    try:
        # ASCII once the pattern matched: what base64.urlsafe_b64decode does, inline.
        return binascii.a2b_base64(value.encode("ascii").translate(FROM_URLSAFE) + _PAD[remainder])
    except (binascii.Error, ValueError):  # pragma: no cover - excluded by the checks above
        raise InvalidKeyError(f"is an {kty} JWK whose {member!r} member is not base64url") from None


def _required(obj: FrozenJSONObject, member: str, kty: str) -> JSONValue:
    if member not in obj:
        raise InvalidKeyError(f"is an {kty} JWK without its required {member!r} member")
    return obj[member]


def _unsigned(obj: FrozenJSONObject, member: str, kty: str) -> int:
    # RFC 7518 6.3.1.1: "MUST utilize the minimum number of octets": no leading zero.
    data = _b64(_required(obj, member, kty), member, kty)
    if not data or data[0] == 0:
        raise InvalidKeyError(
            f"is an RSA JWK whose {member!r} member is not the minimal big-endian encoding "
            "(RFC 7518 6.3.1)"
        )
    return int.from_bytes(data, "big")


def _fixed(obj: FrozenJSONObject, member: str, kty: str, size: int) -> bytes:
    data = _b64(_required(obj, member, kty), member, kty)
    if len(data) != size:
        raise InvalidKeyError(
            f"is an {kty} JWK whose {member!r} member is {len(data)} bytes; its curve needs "
            f"exactly {size} (RFC 7518 6.2, RFC 8037 2)"
        )
    return data


def _optional_string(obj: FrozenJSONObject, member: str) -> str | None:
    if member not in obj:
        return None
    value = obj[member]
    if not isinstance(value, str) or not value:
        raise InvalidKeyError(f"is a JWK whose {member!r} member is not a non-empty string")
    return value


def _key_ops(obj: FrozenJSONObject) -> tuple[str, ...] | None:
    if "key_ops" not in obj:
        return None
    value = obj["key_ops"]
    if not isinstance(value, tuple) or not all(isinstance(op, str) for op in value):
        raise InvalidKeyError("is a JWK whose 'key_ops' member is not an array of strings")
    ops = cast("tuple[str, ...]", value)
    if len(set(ops)) != len(ops):
        raise InvalidKeyError("is a JWK whose 'key_ops' member repeats a value (RFC 7517 4.3)")
    return ops


def _rsa(obj: FrozenJSONObject) -> tuple[PublicKey, PrivateKey | None]:
    n, e = _unsigned(obj, "n", "RSA"), _unsigned(obj, "e", "RSA")
    try:
        public = rsa.RSAPublicNumbers(e, n).public_key()
    except ValueError:
        raise InvalidKeyError("is an RSA JWK whose 'n' and 'e' are not an RSA public key") from None
    if "d" not in obj:
        return public, None
    if "oth" in obj:
        raise InvalidKeyError(
            "is a multi-prime RSA JWK ('oth' member), which is not supported (RFC 7518 6.3.2.7)"
        )
    d = _unsigned(obj, "d", "RSA")
    present = [member for member in _RSA_CRT if member in obj]
    if present and len(present) != len(_RSA_CRT):
        raise InvalidKeyError(
            "is an RSA JWK with some of 'p', 'q', 'dp', 'dq', 'qi' but not all (RFC 7518 "
            "6.3.2: all or none)"
        )
    try:
        if not present:
            p, q = rsa.rsa_recover_prime_factors(n, e, d)
            dp, dq, qi = rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q), rsa.rsa_crt_iqmp(p, q)
        else:
            p, q, dp, dq, qi = (_unsigned(obj, member, "RSA") for member in _RSA_CRT)
        numbers = rsa.RSAPrivateNumbers(p, q, d, dp, dq, qi, rsa.RSAPublicNumbers(e, n))
        private = numbers.private_key()
    except (ValueError, UnsupportedAlgorithm):
        raise InvalidKeyError(
            "is an RSA JWK whose private members do not form a valid key with its 'n' and 'e'"
        ) from None
    return public, private


def _ec(obj: FrozenJSONObject) -> tuple[PublicKey, PrivateKey | None]:
    crv = _required(obj, "crv", "EC")
    known = JWK_EC_CURVES.get(crv) if isinstance(crv, str) else None
    if known is None:
        raise InvalidKeyError(
            f"is an EC JWK on a curve that is not supported; 'crv' must be one of "
            f"{', '.join(JWK_EC_CURVES)}"
        )
    curve_type, size = known
    x, y = _fixed(obj, "x", "EC", size), _fixed(obj, "y", "EC", size)
    try:
        # SEC 1 2.3.4 uncompressed point: OpenSSL checks both coordinates are below the
        # field prime and the point is on the curve (cofactor 1: in the group), as the
        # affine-coordinates path does, without building two ints and a numbers object.
        public = ec.EllipticCurvePublicKey.from_encoded_point(curve_type(), b"\x04" + x + y)
    except ValueError:
        raise InvalidKeyError("is an EC JWK whose point is not on its curve") from None
    if "d" not in obj:
        return public, None
    d = int.from_bytes(_fixed(obj, "d", "EC", size), "big")
    try:
        private = ec.derive_private_key(d, curve_type())
    except ValueError:
        raise InvalidKeyError("is an EC JWK whose 'd' is not a private key of its curve") from None
    if private.public_key().public_numbers() != public.public_numbers():
        raise InvalidKeyError("is an EC JWK whose 'd' is not the private key of its 'x' and 'y'")
    return public, private


def _okp(obj: FrozenJSONObject) -> tuple[PublicKey, PrivateKey | None]:
    crv = _required(obj, "crv", "OKP")
    size = JWK_OKP_SIZES.get(crv) if isinstance(crv, str) else None
    if size is None:
        raise InvalidKeyError(
            "is an OKP JWK whose 'crv' is not a signature curve; it must be Ed25519 or Ed448 "
            "(RFC 8037 2)"
        )
    raw = _fixed(obj, "x", "OKP", size)
    ed25519 = crv == "Ed25519"
    public: PublicKey = (
        Ed25519PublicKey.from_public_bytes(raw)
        if ed25519
        else Ed448PublicKey.from_public_bytes(raw)
    )
    if "d" not in obj:
        return public, None
    secret = _fixed(obj, "d", "OKP", size)
    private: PrivateKey = (
        Ed25519PrivateKey.from_private_bytes(secret)
        if ed25519
        else Ed448PrivateKey.from_private_bytes(secret)
    )
    if raw_public(private.public_key()) != raw:
        raise InvalidKeyError("is an OKP JWK whose 'd' is not the private key of its 'x'")
    return public, private


def raw_public(key: PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _check_certificate(obj: FrozenJSONObject, public: PublicKey) -> None:
    # RFC 7517 4.7: the key in the first certificate MUST match the JWK's own key.
    chain = obj["x5c"]
    if not isinstance(chain, tuple) or not chain or not isinstance(chain[0], str):
        raise InvalidKeyError("is a JWK whose 'x5c' member is not an array of certificates")
    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(chain[0], validate=True))
        certified = certificate.public_key()
    except (binascii.Error, ValueError, UnsupportedAlgorithm):
        raise InvalidKeyError("is a JWK whose first 'x5c' certificate cannot be read") from None
    spki = Encoding.DER, PublicFormat.SubjectPublicKeyInfo
    if not isinstance(certified, (rsa.RSAPublicKey, ec.EllipticCurvePublicKey, Ed25519PublicKey,
                                  Ed448PublicKey)) or (
        certified.public_bytes(*spki) != public.public_bytes(*spki)
    ):  # fmt: skip
        raise InvalidKeyError(
            "is a JWK whose first 'x5c' certificate holds another key (RFC 7517 4.7)"
        )


_KEY_TYPES: Final[dict[str, KeyType]] = {"RSA": "RSA", "EC": "EC", "OKP": "OKP", "oct": "oct"}


def parse_jwk(obj: FrozenJSONObject) -> JWK:
    """Read one JWK object strictly.

    Raises:
        InvalidKeyError: a member is missing, mistyped, not canonical base64url, of the
            wrong length, or inconsistent with the others; or the key type or curve is
            not one a JWS signature uses here.
    """
    kty = obj.get("kty")
    if not isinstance(kty, str):
        raise InvalidKeyError("is a JWK without a 'kty' member (RFC 7517 4.1)")
    key_type = _KEY_TYPES.get(kty)
    if key_type is None:
        raise InvalidKeyError(
            f"is a JWK of a key type that is not supported; 'kty' must be one of "
            f"{', '.join(_KEY_TYPES)}"
        )
    kid = _optional_string(obj, "kid")
    alg = _optional_string(obj, "alg")
    use = _optional_string(obj, "use")
    key_ops = _key_ops(obj)
    if key_type == "oct":
        secret = _b64(_required(obj, "k", "oct"), "k", "oct")
        if not secret:
            raise InvalidKeyError("is an oct JWK whose 'k' member is empty")
        return JWK(kty=key_type, kid=kid, alg=alg, use=use, key_ops=key_ops, public=None,
                   secret=secret)  # fmt: skip
    reader = {"RSA": _rsa, "EC": _ec, "OKP": _okp}[key_type]
    public, private = reader(obj)
    if "x5c" in obj:
        _check_certificate(obj, public)
    return JWK(kty=key_type, kid=kid, alg=alg, use=use, key_ops=key_ops, public=public,
               private=private)  # fmt: skip


def member_thumbprint(obj: FrozenJSONObject) -> str:
    """The RFC 7638 thumbprint (SHA-256, base64url) of a JWK object that
    :func:`parse_jwk` accepted, from its members as they are written.

    Once parsed, the required members are canonical unpadded base64url of the key's only
    encoding (EC and OKP coordinates of exactly the curve's size and below its prime,
    RSA integers without a leading zero) and ``crv`` is one of the known names: the
    text :func:`~flask_pyjwt._core.jwks.thumbprint` writes from the key object, reached
    without reading the key back. None of these characters needs JSON escaping.
    """
    kty = obj["kty"]
    if kty == "EC":
        canonical = f'{{"crv":"{obj["crv"]}","kty":"EC","x":"{obj["x"]}","y":"{obj["y"]}"}}'
    elif kty == "RSA":
        canonical = f'{{"e":"{obj["e"]}","kty":"RSA","n":"{obj["n"]}"}}'
    elif kty == "OKP":
        canonical = f'{{"crv":"{obj["crv"]}","kty":"OKP","x":"{obj["x"]}"}}'
    else:
        raise ValueError(f"no RFC 7638 thumbprint for a {kty!r} JWK here")
    return b64url_encode(hashlib.sha256(canonical.encode("ascii")).digest())


def has_private_members(obj: FrozenJSONObject) -> bool:
    """Whether a JWK object carries a private or symmetric member for its ``kty``."""
    kty = obj.get("kty")
    members = PRIVATE_MEMBERS.get(kty) if isinstance(kty, str) else None
    return members is not None and not members.isdisjoint(obj)


def _fits(algorithm: AuthType, jwk: JWK) -> bool:
    if jwk.kty == "oct":
        return algorithm.is_symmetric
    if algorithm.is_symmetric or jwk.public is None:
        return False
    try:
        check_key_fits(algorithm, jwk.public)
    except InvalidKeyError:
        return False
    return True


def bind(jwk: JWK, algorithms: Sequence[AuthType], purpose: Purpose) -> AuthType:
    """The one configured algorithm ``jwk`` is for, after checking that nothing in it
    contradicts the configuration.

    The JWK's ``alg`` must be one of ``algorithms``; without one, exactly one of them
    must fit the key (an RSA key with both ``RS256`` and ``PS256`` configured is
    ambiguous and needs an ``alg``). ``use``, when present, must be ``"sig"``;
    ``key_ops``, when present, must allow ``purpose`` (an ``oct`` key signs and
    verifies, so it needs both). The key's type, curve and size are checked as for a
    PEM key.

    Raises:
        InvalidKeyError: any of those fails.
    """
    names = ", ".join(algorithm.value for algorithm in algorithms)
    if jwk.use is not None and jwk.use != "sig":
        raise InvalidKeyError(
            f'is a JWK with "use": {jwk.use!r}; a key that signs or verifies tokens has '
            '"use": "sig" (or no "use")'
        )
    if jwk.key_ops is not None:
        needed = ("sign", "verify") if jwk.kty == "oct" else (purpose,)
        missing = [op for op in needed if op not in jwk.key_ops]
        if missing:
            raise InvalidKeyError(
                f'is a JWK whose "key_ops" does not allow {" and ".join(map(repr, missing))}, '
                "which this configuration uses it for"
            )
    if jwk.alg is not None:
        chosen = next((a for a in algorithms if a.value == jwk.alg), None)
        if chosen is None:
            raise InvalidKeyError(
                f'is a JWK for "alg": {jwk.alg!r}, but JWT_AUTHTYPE allows {names}'
            )
        _check_fit(chosen, jwk)
        return chosen
    fitting = [algorithm for algorithm in algorithms if _fits(algorithm, jwk)]
    if len(fitting) == 1:
        return fitting[0]
    if not fitting:
        _check_fit(algorithms[0], jwk)  # raises with what is wrong for the first one
        raise InvalidKeyError(f"is an {jwk.kty} JWK that fits none of {names}")  # pragma: no cover
    raise InvalidKeyError(
        f"is an {jwk.kty} JWK without an 'alg' member, and it fits several of the configured "
        f"algorithms ({', '.join(a.value for a in fitting)}); give it an 'alg' member"
    )


def _check_fit(algorithm: AuthType, jwk: JWK) -> None:
    if jwk.kty == "oct":
        if not algorithm.is_symmetric:
            raise InvalidKeyError(
                f"is an oct JWK (a shared secret), but {algorithm.value} needs a key pair"
            )
        return
    if algorithm.is_symmetric:
        raise InvalidKeyError(
            f"is an {jwk.kty} JWK, but {algorithm.value} needs a shared secret (an oct JWK)"
        )
    assert jwk.public is not None
    check_key_fits(algorithm, jwk.public)


def jwk_object(material: object) -> FrozenJSONObject | None:
    """The JSON object ``material`` holds when it is a JWK or JWKS, else ``None``.

    A mapping is a JWK (or JWKS) given as a ``dict``; ``str``/``bytes`` count when they
    are JSON text. Anything else (PEM, a secret, a key object) is left to the PEM path.

    Raises:
        InvalidKeyError: JSON text that is not one strict JSON object (duplicate
            members, an array, ...), or a mapping that is not JSON.
    """
    if isinstance(material, Mapping):
        try:
            frozen = freeze(cast("Mapping[str, object]", material), path="the JWK")
        except TypeError as error:
            raise InvalidKeyError(f"is a mapping but not a JSON object: {error}") from None
        assert isinstance(frozen, FrozenJSONObject)
        return frozen
    if not isinstance(material, (str, bytes)):
        return None
    data = material.encode("utf-8") if isinstance(material, str) else material
    if not is_json_text(data):
        return None
    try:
        return loads_object(data.strip())
    except JSONDecodeError:
        raise InvalidKeyError(
            "is JSON text but not one strict JSON object (a JWK or a JWK Set): no duplicate "
            "members, UTF-8, an object at the top"
        ) from None


def key_set_members(document: FrozenJSONObject) -> tuple[FrozenJSONObject, ...] | None:
    """The JWK objects of a JWK Set, or ``None`` when ``document`` is a single JWK.

    Raises:
        InvalidKeyError: ``keys`` is not an array of objects.
    """
    if "keys" not in document:
        return None
    keys = document["keys"]
    if not isinstance(keys, tuple) or not all(isinstance(key, FrozenJSONObject) for key in keys):
        raise InvalidKeyError("is a JWK Set whose 'keys' member is not an array of JWK objects")
    return cast("tuple[FrozenJSONObject, ...]", keys)
