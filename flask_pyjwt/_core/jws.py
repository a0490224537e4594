"""Compact JWS serialisation (RFC 7515 7.1): strict parsing and encoding. No Flask here.

Parsing refuses anything that is not exactly ``header.payload.signature`` in canonical
unpadded base64url with strict JSON objects inside. A token longer than the configured
limit is refused before any decoding. The payload is parsed only after the signature
verified (see :func:`decode_compact`), so unauthenticated bytes never reach the claims
parser.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Mapping
from typing import Final

from .errors import (
    DisallowedAlgorithmError,
    MalformedTokenError,
    TokenTooLargeError,
)
from .signing import JWSHeader, Signer, Verifier
from .strict_json import FrozenJSONObject, JSONDecodeError, JSONValue, dumps_compact, loads_object

_COMPACT: Final = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")

# The last character of an unpadded base64url string of length 4n+2 / 4n+3 carries
# 4 / 2 unused bits; canonical encodings have them zero. Anything else is a second
# spelling of the same bytes (token malleability), so it is refused.
_CANONICAL_LAST: Final = {
    2: frozenset("AQgw"),
    3: frozenset("AEIMQUYcgkosw048"),
}

DEFAULT_MAX_TOKEN_LENGTH: Final = 8192
"""Default ``JWT_MAXTOKENLENGTH``: tokens longer than this many characters are refused."""

# Header parameters this implementation understands when they appear in ``crit``: none.
_UNDERSTOOD_CRITICAL: Final[frozenset[str]] = frozenset()


# base64.urlsafe_b64{en,de}code are these translations around binascii, plus wrappers
# that cost more than the conversion of a short segment; call binascii directly.
_TO_URLSAFE: Final = bytes.maketrans(b"+/", b"-_")
_FROM_URLSAFE: Final = bytes.maketrans(b"-_", b"+/")


def b64url_encode(data: bytes) -> str:
    """Unpadded base64url (RFC 7515 2)."""
    encoded = binascii.b2a_base64(data, newline=False).translate(_TO_URLSAFE)
    return encoded.rstrip(b"=").decode("ascii")


def b64url_decode(segment: str) -> bytes:
    """Decode one canonical unpadded base64url segment.

    The caller has already checked the alphabet (see ``_COMPACT``).

    Raises:
        MalformedTokenError: impossible length or non-canonical trailing bits.
    """
    remainder = len(segment) % 4
    if remainder == 1:
        raise MalformedTokenError("The token is not valid base64url.")
    if remainder and segment[-1] not in _CANONICAL_LAST[remainder]:
        raise MalformedTokenError("The token is not canonical base64url.")
    try:
        padded = (segment + "=" * (-remainder % 4)).encode("ascii")
        return binascii.a2b_base64(padded.translate(_FROM_URLSAFE))
    except (binascii.Error, ValueError):  # pragma: no cover - excluded by the checks above
        raise MalformedTokenError("The token is not valid base64url.") from None


def encode_compact(
    header: Mapping[str, JSONValue], claims: Mapping[str, JSONValue], signer: Signer
) -> str:
    """Serialise and sign ``claims`` under ``header``."""
    signing_input = f"{b64url_encode(dumps_compact(header))}.{b64url_encode(dumps_compact(claims))}"
    signature = signer.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url_encode(signature)}"


def _parse_header(data: bytes) -> JWSHeader:
    try:
        fields = loads_object(data)
    except JSONDecodeError:
        raise MalformedTokenError("The token header is not a strict JSON object.") from None
    alg = fields.get("alg")
    if not isinstance(alg, str):
        raise MalformedTokenError("The token header has no algorithm.")
    kid = fields.get("kid")
    if kid is not None and not isinstance(kid, str):
        raise MalformedTokenError("The token header's key id is not a string.")
    typ = fields.get("typ")
    if typ is not None and not isinstance(typ, str):
        raise MalformedTokenError("The token header's type is not a string.")
    if "crit" in fields:
        _check_critical(fields)
    return JWSHeader(alg=alg, kid=kid, typ=typ, fields=fields)


def _check_critical(fields: FrozenJSONObject) -> None:
    # RFC 7515 4.1.11: a non-empty array of names, each present, none of them a name
    # the JWS spec already defines; and every one must be understood, or reject.
    crit = fields["crit"]
    if not isinstance(crit, tuple) or not crit:
        raise MalformedTokenError("The token header's crit parameter is malformed.")
    for name in crit:
        if not isinstance(name, str) or name not in fields:
            raise MalformedTokenError("The token header's crit parameter is malformed.")
        if name not in _UNDERSTOOD_CRITICAL:
            raise MalformedTokenError(
                "The token requires an extension this server does not support."
            )


def decode_compact(
    token: str, verifier: Verifier, *, max_length: int = DEFAULT_MAX_TOKEN_LENGTH
) -> tuple[JWSHeader, FrozenJSONObject]:
    """Strictly parse ``token``, verify its signature, then parse its claims.

    The order matters: size, structure, header, algorithm allow-list, signature, and
    only then the payload.

    Raises:
        MalformedTokenError: size, structure, encoding, JSON or ``crit`` problems.
        DisallowedAlgorithmError: ``alg`` is not in ``verifier.algorithms``.
        InvalidSignatureError, UnknownKeyError: raised by the verifier.
    """
    if len(token) > max_length:
        raise TokenTooLargeError("The token is longer than this server accepts.")
    if _COMPACT.fullmatch(token) is None:
        raise MalformedTokenError("The token is not a compact JWS (header.payload.signature).")
    header_b64, payload_b64, signature_b64 = token.split(".")
    header = _parse_header(b64url_decode(header_b64))
    if header.alg not in verifier.algorithms:
        raise DisallowedAlgorithmError("The token's algorithm is not allowed.")
    signature = b64url_decode(signature_b64)
    payload_bytes = b64url_decode(payload_b64)
    signing_input = token[: len(header_b64) + 1 + len(payload_b64)].encode("ascii")
    verifier.verify(header, signing_input, signature)
    try:
        claims = loads_object(payload_bytes)
    except JSONDecodeError:
        raise MalformedTokenError("The token payload is not a strict JSON object.") from None
    return header, claims
