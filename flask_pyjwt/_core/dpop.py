"""DPoP proofs (RFC 9449): checking one, and the server nonces of section 8. No Flask here.

:class:`ProofChecker` runs RFC 9449 4.3's checks on the ``DPoP`` header of one request,
in the order of :func:`~flask_pyjwt._core.jws.decode_compact`: size, structure, header
(``typ``, ``alg`` from the allow-list, a public ``jwk``), signature, and only then the
claims (``jti``, ``htm``, ``htu``, ``iat``, ``nonce``, ``ath``) and the key the access
token is bound to (``cnf.jkt``, the RFC 7638 thumbprint). It returns a frozen
:class:`DPoPProof`; replay (the same ``jti`` twice within the ``iat`` window) is the
caller's, against the revocation store shared by every process (:func:`replay_key`).

Server nonces are :mod:`.dpop_nonce`'s; the ``htu`` comparison is :mod:`.uri`'s.
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final, Literal, TypeAlias, cast, get_args

from .algorithms import AuthType
from .b64 import ALPHABET_BYTES as _ALPHABET
from .b64 import CANONICAL_LAST_BYTES as _CANONICAL_LAST_BYTES
from .b64 import FROM_URLSAFE, b64url_encode
from .b64 import PADDING as _PADDING
from .dpop_nonce import NonceSource
from .errors import ClaimInvalidError, InvalidDpopProofError, InvalidKeyError, UseDpopNonceError
from .jwk import bind, has_private_members, member_thumbprint, parse_jwk
from .key_ops import KeyOps, asymmetric_ops
from .strict_json import FrozenJSONObject, JSONDecodeError, JSONValue, loads_object
from .uri import normalize_uri

DPoPMode: TypeAlias = Literal["allowed", "required", "disabled"]
"""``JWT_DPOP`` and ``require_token(dpop=...)``: whether a route accepts DPoP-bound tokens
(``"allowed"``, and bearer tokens too), requires them, or refuses them."""

DPOP_MODES: Final = cast("tuple[DPoPMode, ...]", get_args(DPoPMode))

ASYMMETRIC_ALGORITHMS: Final = tuple(a for a in AuthType if not a.is_symmetric)
"""Default ``JWT_DPOP_ALGORITHMS``: every asymmetric algorithm the library supports."""

DEFAULT_IAT_WINDOW: Final = 60
"""Default ``JWT_DPOP_IAT_WINDOW``: a proof's ``iat`` may be this many seconds off the
server's clock, either way (RFC 9449 11.1)."""

MAX_PROOF_LENGTH: Final = 8192
"""Longest ``DPoP`` header accepted, in characters (an RSA-4096 ``jwk`` fits easily)."""

MAX_JTI_LENGTH: Final = 256
"""Longest proof ``jti`` accepted (RFC 9449 suggests 96 random bits or more)."""

_MAX_KNOWN_KEYS: Final = 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class DPoPSettings:
    """An app's DPoP configuration (the ``JWT_DPOP*`` keys).

    Attributes:
        mode: ``JWT_DPOP``, the default of every route.
        algorithms: ``JWT_DPOP_ALGORITHMS``, the proof algorithms accepted.
        iat_window: ``JWT_DPOP_IAT_WINDOW``, seconds a proof's ``iat`` may be off.
        nonce: ``JWT_DPOP_NONCE``: proofs must carry a server nonce (RFC 9449 8).
    """

    mode: DPoPMode = "allowed"
    algorithms: tuple[AuthType, ...] = ASYMMETRIC_ALGORITHMS
    iat_window: int = DEFAULT_IAT_WINDOW
    nonce: bool = False


DEFAULT_DPOP_SETTINGS: Final = DPoPSettings()


@dataclass(frozen=True, slots=True, kw_only=True)
class DPoPProof:
    """A DPoP proof that passed every check of RFC 9449 4.3 for this request.

    Attributes:
        jkt: the RFC 7638 thumbprint (SHA-256, base64url) of the proof's public key:
            what ``auth_token(..., dpop_jkt=...)`` binds a token to.
        jti: the proof's unique id.
        htm: the HTTP method it was made for.
        htu: the URI it was made for, as the client wrote it.
        iat: when the client made it, seconds since the epoch.
        alg: its signature algorithm.
        nonce: the server nonce it carries, if any.
        ath: the hash of the access token it was presented with, if any.
        claims: every claim of the proof, read-only.
        jwk: the proof's public key, as the client sent it (public members only).
    """

    jkt: str
    jti: str
    htm: str
    htu: str
    iat: int | float
    alg: AuthType
    nonce: str | None
    ath: str | None
    claims: FrozenJSONObject
    jwk: FrozenJSONObject


def _refuse(message: str) -> InvalidDpopProofError:
    return InvalidDpopProofError(message)


def _segment(segment: bytes) -> bytes:
    remainder = len(segment) % 4
    if remainder == 1 or (remainder and segment[-1] not in _CANONICAL_LAST_BYTES[remainder]):
        raise _refuse("The DPoP proof is not canonical base64url.")
    try:
        return binascii.a2b_base64(segment.translate(FROM_URLSAFE) + _PADDING[remainder])
    except (binascii.Error, ValueError):  # pragma: no cover - excluded by the checks above
        raise _refuse("The DPoP proof is not valid base64url.") from None


def _object(data: bytes, what: str) -> FrozenJSONObject:
    try:
        return loads_object(data)
    except JSONDecodeError:
        raise _refuse(f"The DPoP proof {what} is not a strict JSON object.") from None


@dataclass(frozen=True, slots=True)
class _ProofKey:
    """What a proof header says, once its signature verified: kept by header segment."""

    alg: AuthType
    ops: KeyOps
    jkt: str
    jwk: FrozenJSONObject


def bound_key(claims: Mapping[str, JSONValue]) -> str | None:
    """The DPoP key thumbprint a token is bound to (``cnf.jkt``, RFC 9449 6), or ``None``
    for a token without ``cnf``.

    Raises:
        ClaimInvalidError: ``cnf`` is not an object holding a string ``jkt``: a token
            bound some other way (mTLS's ``x5t#S256``, RFC 8705) or malformed (``null``
            included, RFC 7800 3.1), which this server cannot honour.
    """
    if "cnf" not in claims:
        return None
    cnf = claims["cnf"]
    jkt = cnf.get("jkt") if isinstance(cnf, Mapping) else None
    if not isinstance(jkt, str) or not jkt:
        raise ClaimInvalidError(
            "cnf", "The token is bound to a key in a way this server cannot confirm."
        )
    return jkt


def access_token_hash(access_token: str) -> str:
    """``ath``: base64url(SHA-256(the ASCII access token)), RFC 9449 4.2."""
    return b64url_encode(hashlib.sha256(access_token.encode("ascii", "replace")).digest())


class ProofChecker:
    """Checks the DPoP proofs of one app (RFC 9449 4.3).

    Args:
        algorithms: the proof algorithms accepted (``JWT_DPOP_ALGORITHMS``); asymmetric
            only.
        iat_window: seconds a proof's ``iat`` may be off the clock, either way.
        clock: the current time in seconds since the epoch.

    Raises:
        ValueError: an HMAC algorithm, or none at all.
    """

    __slots__ = ("_algorithms", "_clock", "_keys", "iat_window")

    def __init__(
        self,
        algorithms: tuple[AuthType, ...],
        *,
        iat_window: int = DEFAULT_IAT_WINDOW,
        clock: Callable[[], float],
    ) -> None:
        if not algorithms or any(a.is_symmetric for a in algorithms):
            raise ValueError("DPoP proofs use asymmetric algorithms only (never HMAC or none)")
        self._algorithms = {a.value: a for a in algorithms}
        self.iat_window = iat_window
        self._clock = clock
        # The verified keys of proof headers by their segment: a client sends the same
        # header with every proof, so its JWK is parsed and thumbprinted once. Only a
        # header whose proof's signature verified is kept, so a forger cannot fill it.
        self._keys: dict[bytes, _ProofKey] = {}

    @property
    def algorithms(self) -> tuple[AuthType, ...]:
        """The accepted proof algorithms, in configuration order."""
        return tuple(self._algorithms.values())

    def _key(self, header_b64: bytes) -> _ProofKey:
        header = _object(_segment(header_b64), "header")
        if header.get("typ") != "dpop+jwt":
            raise _refuse('The DPoP proof\'s typ is not "dpop+jwt".')
        if "crit" in header:
            raise _refuse("The DPoP proof requires an extension this server does not support.")
        alg_name = header.get("alg")
        alg = self._algorithms.get(alg_name) if isinstance(alg_name, str) else None
        if alg is None:
            raise _refuse("The DPoP proof's algorithm is not allowed.")
        jwk = header.get("jwk")
        if not isinstance(jwk, FrozenJSONObject):
            raise _refuse("The DPoP proof's header has no jwk object.")
        if has_private_members(jwk) or jwk.get("kty") == "oct":
            raise _refuse("The DPoP proof's jwk is not a public key.")
        try:
            parsed = parse_jwk(jwk)
            assert parsed.public is not None  # not "oct", refused above
            bind(parsed, (alg,), "verify")  # its use, key_ops and alg allow it; it fits
        except InvalidKeyError:
            raise _refuse("The DPoP proof's jwk is not a valid key for its algorithm.") from None
        ops = asymmetric_ops(alg, parsed.public, None)
        return _ProofKey(alg, ops, member_thumbprint(jwk), jwk)

    def check(
        self,
        proof: str,
        *,
        method: str,
        uri: str,
        access_token: str | None = None,
        expected_jkt: str | None = None,
        nonce: Callable[[str | None], bool] | None = None,
    ) -> DPoPProof:
        """Check ``proof`` (the ``DPoP`` header) for a request of ``method`` to ``uri``.

        Args:
            proof: the header's value.
            method: the request's method.
            uri: the request's absolute URI (its query and fragment are ignored).
            access_token: the token presented with it, whose hash ``ath`` must be.
            expected_jkt: the thumbprint the token is bound to (``cnf.jkt``).
            nonce: whether a ``nonce`` claim (``None``: absent) is one the server gave
                out; ``None`` when the server uses no nonces.

        Raises:
            InvalidDpopProofError: any check fails.
            UseDpopNonceError: the nonce is missing or no longer accepted (checked after
                the signature, so a fresh nonce goes only to holders of a key).
        """
        if len(proof) > MAX_PROOF_LENGTH:
            raise _refuse("The DPoP proof is longer than this server accepts.")
        data = proof.encode("ascii") if proof.isascii() else b""
        if data.translate(None, _ALPHABET) != b"..":
            raise _refuse("The DPoP proof is not a compact JWS (header.payload.signature).")
        header_b64, payload_b64, signature_b64 = data.split(b".")
        if not header_b64 or not payload_b64 or not signature_b64:
            raise _refuse("The DPoP proof is not a compact JWS (header.payload.signature).")
        keys = self._keys
        key = keys.get(header_b64)
        known = key is not None
        if key is None:
            key = self._key(header_b64)
        signature = _segment(signature_b64)
        payload = _segment(payload_b64)
        if not key.ops.verify(data[: len(header_b64) + 1 + len(payload_b64)], signature):
            raise _refuse("The DPoP proof's signature is invalid.")
        if not known:
            if len(keys) >= _MAX_KNOWN_KEYS:
                keys.clear()
            keys[header_b64] = key
        claims = _object(payload, "payload")
        return self._claims(
            claims, key, method=method, uri=uri, access_token=access_token,
            expected_jkt=expected_jkt, nonce=nonce,
        )  # fmt: skip

    def _claims(
        self,
        claims: FrozenJSONObject,
        key: _ProofKey,
        *,
        method: str,
        uri: str,
        access_token: str | None,
        expected_jkt: str | None,
        nonce: Callable[[str | None], bool] | None,
    ) -> DPoPProof:
        jti, htm, htu, iat = (
            claims.get("jti"),
            claims.get("htm"),
            claims.get("htu"),
            claims.get("iat"),
        )
        if not isinstance(jti, str) or not jti or len(jti) > MAX_JTI_LENGTH:
            raise _refuse("The DPoP proof has no valid jti.")
        if not isinstance(htm, str) or htm != method:
            raise _refuse("The DPoP proof's htm is not this request's method.")
        if not isinstance(htu, str):
            raise _refuse("The DPoP proof has no htu.")
        wanted = normalize_uri(uri)
        # The same text normalises the same: the usual proof is spared a second pass.
        if wanted is None or (htu != uri and normalize_uri(htu) != wanted):
            raise _refuse("The DPoP proof's htu is not this request's URI.")
        given_nonce = claims.get("nonce")
        if given_nonce is not None and not isinstance(given_nonce, str):
            raise _refuse("The DPoP proof's nonce is not a string.")
        if nonce is not None and not nonce(given_nonce):
            raise UseDpopNonceError("The DPoP proof must carry the nonce this server gave.")
        if isinstance(iat, bool) or not isinstance(iat, (int, float)):
            raise _refuse("The DPoP proof has no valid iat.")
        # Compared, not subtracted: an int too large for a float (10**400) would overflow.
        now = self._clock()
        if not now - self.iat_window <= iat <= now + self.iat_window:
            raise _refuse("The DPoP proof's iat is too far from the server's time.")
        ath = claims.get("ath")
        if ath is not None and not isinstance(ath, str):
            raise _refuse("The DPoP proof's ath is not a string.")
        if access_token is not None and (
            ath is None or not hmac.compare_digest(ath, access_token_hash(access_token))
        ):
            raise _refuse("The DPoP proof's ath does not match the access token.")
        if expected_jkt is not None and not hmac.compare_digest(key.jkt, expected_jkt):
            raise _refuse("The DPoP proof's key is not the one the token is bound to.")
        return DPoPProof(
            jkt=key.jkt, jti=jti, htm=htm, htu=htu, iat=iat, alg=key.alg, nonce=given_nonce,
            ath=ath, claims=claims, jwk=key.jwk,
        )  # fmt: skip

    def replay_ttl(self, proof: DPoPProof) -> int:
        """Seconds the proof's ``jti`` must be remembered: until its ``iat`` leaves the
        window (at least one second)."""
        return max(1, int(proof.iat + self.iat_window - self._clock()) + 1)


def replay_key(proof: DPoPProof) -> str:
    """The store key under which a proof's ``jti`` is remembered: a SHA-256 of its key's
    thumbprint and ``jti`` (fixed length, whatever the client sent)."""
    digest = hashlib.sha256(f"{proof.jkt}.{proof.jti}".encode()).digest()
    return b64url_encode(digest)


@dataclass(frozen=True, slots=True)
class DPoPRuntime:
    """An app's DPoP machinery, built once by ``init_app``.

    Attributes:
        checker: checks proofs (algorithms, ``iat`` window, clock).
        nonces: the server nonces, when ``JWT_DPOP_NONCE`` is on.
        algs: the ``algs`` parameter of the ``DPoP`` challenge.
    """

    checker: ProofChecker
    nonces: NonceSource | None
    algs: str
