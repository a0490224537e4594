"""Unpadded base64url (RFC 7515 2), as tokens, JWKs and the CSRF value use it. No Flask here."""

from __future__ import annotations

import binascii
import re
from typing import Final

B64URL: Final = re.compile(r"[A-Za-z0-9_-]+")
"""One base64url string, unpadded (the whole of it, with ``fullmatch``)."""

# The last character of an unpadded base64url string of length 4n+2 / 4n+3 carries
# 4 / 2 unused bits; canonical encodings have them zero. Anything else is a second
# spelling of the same bytes (token malleability), so it is refused.
CANONICAL_LAST: Final = {
    2: frozenset("AQgw"),
    3: frozenset("AEIMQUYcgkosw048"),
}

CANONICAL_LAST_BYTES: Final[dict[int, frozenset[int]]] = {
    remainder: frozenset(ord(char) for char in chars) for remainder, chars in CANONICAL_LAST.items()
}
""":data:`CANONICAL_LAST` as byte values, for checking the ``bytes`` of a compact JWS."""

ALPHABET_BYTES: Final = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
"""The base64url alphabet, as ``bytes.translate``'s delete argument: what is left of a
compact JWS once it is deleted must be exactly its two dots."""

PADDING: Final = (b"", b"", b"==", b"=")
"""The ``=`` padding binascii needs, by the unpadded length modulo 4."""

# base64url is base64 with two characters swapped: these translations around binascii
# (what base64.urlsafe_b64{en,de}code do).
TO_URLSAFE: Final = bytes.maketrans(b"+/", b"-_")
FROM_URLSAFE: Final = bytes.maketrans(b"-_", b"+/")


def b64url_encode(data: bytes) -> str:
    """Unpadded base64url (RFC 7515 2)."""
    encoded = binascii.b2a_base64(data, newline=False).translate(TO_URLSAFE)
    return encoded.rstrip(b"=").decode("ascii")
