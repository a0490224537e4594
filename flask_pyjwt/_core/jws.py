"""Compact JWS serialisation (RFC 7515 7.1): strict parsing and encoding. No Flask here.

Parsing refuses anything that is not exactly ``header.payload.signature`` in canonical
unpadded base64url with strict JSON objects inside. A token longer than the configured
limit is refused before any decoding. The payload is parsed only after the signature
verified (see :func:`decode_compact`), so unauthenticated bytes never reach the claims
parser.
"""

from __future__ import annotations

import binascii
from typing import Final

from .b64 import ALPHABET_BYTES as _ALPHABET
from .b64 import CANONICAL_LAST_BYTES as _CANONICAL_LAST_BYTES
from .b64 import FROM_URLSAFE
from .b64 import PADDING as _PADDING
from .errors import (
    AlgorithmNotAllowedError,
    TokenMalformedError,
    TokenTooLargeError,
)
from .signing import JWSHeader, Verifier
from .strict_json import FrozenJSONObject, JSONDecodeError, loads_object

DEFAULT_MAX_TOKEN_LENGTH: Final = 8192
"""Default ``JWT_MAX_TOKEN_LENGTH``: tokens longer than this many characters are refused."""

MAX_KNOWN_HEADERS: Final = 16
"""The most parsed headers :func:`decode_compact` keeps for one verifier (one per key
and token kind in use; more are dropped all at once and parsed again)."""

# Header parameters this implementation understands when they appear in ``crit``: none.
_UNDERSTOOD_CRITICAL: Final[frozenset[str]] = frozenset()


def _decode_segment(segment: bytes) -> bytes:
    """Decode one canonical unpadded base64url segment, already known to hold only the
    alphabet.

    Raises:
        TokenMalformedError: impossible length or non-canonical trailing bits.
    """
    remainder = len(segment) % 4
    if remainder == 1:
        raise TokenMalformedError("The token is not valid base64url.")
    if remainder and segment[-1] not in _CANONICAL_LAST_BYTES[remainder]:
        raise TokenMalformedError("The token is not canonical base64url.")
    try:
        return binascii.a2b_base64(segment.translate(FROM_URLSAFE) + _PADDING[remainder])
    except (binascii.Error, ValueError):  # pragma: no cover - excluded by the checks above
        raise TokenMalformedError("The token is not valid base64url.") from None


def _parse_header(data: bytes) -> JWSHeader:
    try:
        fields = loads_object(data)
    except JSONDecodeError:
        raise TokenMalformedError("The token header is not a strict JSON object.") from None
    alg = fields.get("alg")
    if not isinstance(alg, str):
        raise TokenMalformedError("The token header has no algorithm.")
    kid = fields.get("kid")
    if kid is not None and not isinstance(kid, str):
        raise TokenMalformedError("The token header's key id is not a string.")
    typ = fields.get("typ")
    if typ is not None and not isinstance(typ, str):
        raise TokenMalformedError("The token header's type is not a string.")
    if "crit" in fields:
        _check_critical(fields)
    return JWSHeader(alg=alg, kid=kid, typ=typ, fields=fields)


def _check_critical(fields: FrozenJSONObject) -> None:
    # RFC 7515 4.1.11: a non-empty array of names, each present, none of them a name
    # the JWS spec already defines; and every one must be understood, or reject.
    crit = fields["crit"]
    if not isinstance(crit, tuple) or not crit:
        raise TokenMalformedError("The token header's crit parameter is malformed.")
    for name in crit:
        if not isinstance(name, str) or name not in fields:
            raise TokenMalformedError("The token header's crit parameter is malformed.")
        if name not in _UNDERSTOOD_CRITICAL:
            raise TokenMalformedError(
                "The token requires an extension this server does not support."
            )


def decode_compact(
    token: str,
    verifier: Verifier,
    *,
    max_length: int = DEFAULT_MAX_TOKEN_LENGTH,
    headers: dict[bytes, JWSHeader] | None = None,
) -> tuple[JWSHeader, FrozenJSONObject]:
    """Strictly parse ``token``, verify its signature, then parse its claims.

    The order matters: size, structure, header, algorithm allow-list, signature, and
    only then the payload.

    ``headers`` (the caller's, one per verifier) keeps the parsed header of each
    validly signed token by its base64url segment, at most :data:`MAX_KNOWN_HEADERS`:
    the tokens of one key all have the same header, and parsing the same segment
    always gives the same result, so it is parsed once. Only a segment whose token's
    signature verified is kept, so a forger cannot fill it.

    Raises:
        TokenMalformedError: size, structure, encoding, JSON or ``crit`` problems.
        AlgorithmNotAllowedError: ``alg`` is not in ``verifier.algorithms``.
        SignatureInvalidError, UnknownKeyError: raised by the verifier.
    """
    if len(token) > max_length:
        raise TokenTooLargeError("The token is longer than this server accepts.")
    # Structure: only the base64url alphabet and exactly two dots, three non-empty
    # segments; checked on the ASCII bytes that every later step needs anyway.
    data = token.encode("ascii") if token.isascii() else b""
    if data.translate(None, _ALPHABET) != b"..":
        raise TokenMalformedError("The token is not a compact JWS (header.payload.signature).")
    header_b64, payload_b64, signature_b64 = data.split(b".")
    if not header_b64 or not payload_b64 or not signature_b64:
        raise TokenMalformedError("The token is not a compact JWS (header.payload.signature).")
    header = None if headers is None else headers.get(header_b64)
    known = header is not None
    if header is None:
        header = _parse_header(_decode_segment(header_b64))
    if header.alg not in verifier.algorithms:
        raise AlgorithmNotAllowedError("The token's algorithm is not allowed.")
    signature = _decode_segment(signature_b64)
    payload_bytes = _decode_segment(payload_b64)
    verifier.verify(header, data[: len(header_b64) + 1 + len(payload_b64)], signature)
    if not known and headers is not None:
        if len(headers) >= MAX_KNOWN_HEADERS:
            headers.clear()
        headers[header_b64] = header
    try:
        claims = loads_object(payload_bytes)
    except JSONDecodeError:
        raise TokenMalformedError("The token payload is not a strict JSON object.") from None
    return header, claims


def peek_claims(token: str, *, max_length: int = DEFAULT_MAX_TOKEN_LENGTH) -> FrozenJSONObject:
    """The claims of ``token`` *before* any verification: only to choose which source's
    keys and rules verify it (by ``iss``), never to trust.

    Bounded and strict as :func:`decode_compact` (size, structure, base64url, strict
    JSON); nothing else about the token is checked.

    Raises:
        TokenMalformedError, TokenTooLargeError: as :func:`decode_compact`.
    """
    if len(token) > max_length:
        raise TokenTooLargeError("The token is longer than this server accepts.")
    data = token.encode("ascii") if token.isascii() else b""
    if data.translate(None, _ALPHABET) != b"..":
        raise TokenMalformedError("The token is not a compact JWS (header.payload.signature).")
    header_b64, payload_b64, signature_b64 = data.split(b".")
    if not header_b64 or not payload_b64 or not signature_b64:
        raise TokenMalformedError("The token is not a compact JWS (header.payload.signature).")
    try:
        return loads_object(_decode_segment(payload_b64))
    except JSONDecodeError:
        raise TokenMalformedError("The token payload is not a strict JSON object.") from None
