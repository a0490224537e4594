"""The CSRF value of a token carried in a cookie: derived from the token alone. No Flask here.

A browser sends a cookie with every request to its site, whoever's page made the
request; the value here is what proves that the page sending it could *read* this site's
cookies, which only this site's own pages can. It is the SHA-256 of the compact token
(with a label of its own in front, so the digest is used for nothing else), base64url
encoded:

- only someone who holds the token can compute it, and the token itself is in an
  ``HttpOnly`` cookie no page can read; a page of another origin cannot read the
  readable CSRF cookie either;
- it is bound to one token: the CSRF value of another session's token (or of an earlier
  token of this session) does not fit, so an attacker who can *write* cookies for the
  site (a sibling subdomain, a network attacker on plain http) but not read them cannot
  pair a token cookie with a value they know;
- it needs no key: an app that only verifies tokens, or signs them with a key it cannot
  read (a KMS), checks it the same way. An HMAC under the app's secret would add
  nothing, since the token the value is derived from is already the secret;
- it reveals nothing about the token: the token holds 128 random bits (its ``jti``) and
  a signature, so the digest cannot be inverted or guessed.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Final

from .b64 import b64url_encode

_LABEL: Final = b"flask_pyjwt CSRF value v1\x00"


def _utf8(text: str) -> bytes:
    # Request bytes reach here as str (WSGI decodes them as latin-1); any str encodes.
    return text.encode("utf-8", "surrogatepass")


def csrf_value(token: str) -> str:
    """The CSRF value bound to the compact token ``token`` (43 base64url characters)."""
    return b64url_encode(hashlib.sha256(_LABEL + _utf8(token)).digest())


def csrf_matches(token: str, presented: str) -> bool:
    """Whether ``presented`` is ``token``'s CSRF value, compared in constant time."""
    return hmac.compare_digest(_utf8(csrf_value(token)), _utf8(presented))
