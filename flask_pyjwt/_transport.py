"""Where a protected request carries its token, and reading it from there.

Only framing is handled here (which header or cookie, which scheme, one value or
several); what the token says is for the verifier.
"""

from __future__ import annotations

from typing import Final, Literal, cast, get_args

from flask import request

from ._http_errors import AuthenticationFailed

Location = Literal["header", "cookies"]
"""Where the token is read from: the ``Authorization: Bearer`` header, or a cookie."""

LOCATIONS: Final = frozenset(cast("tuple[str, ...]", get_args(Location)))


def from_header() -> str:
    # One dict lookup in the WSGI environ (getlist would walk every header). The environ
    # holds at most one HTTP_AUTHORIZATION: servers join repeated headers with ", ",
    # which the strict token parser then refuses as malformed.
    header = request.headers.get("Authorization")
    if not header:
        raise AuthenticationFailed(
            error_code="token_missing", message="A bearer token is required."
        )
    # Only HTTP's optional whitespace (RFC 9110 5.5: SP, HTAB) is framing; str.strip()
    # would also drop NEL, NBSP and other Unicode spaces glued to the token.
    scheme, _, credentials = header.strip(" \t").partition(" ")
    if scheme.lower() != "bearer":
        # RFC 6750 3.1: another authentication scheme (or none: a bare token) carries no
        # error code; the message says what to send, without echoing the header.
        raise AuthenticationFailed(
            error_code="token_missing",
            message="The Authorization header does not use the Bearer scheme; "
            "send the token as 'Authorization: Bearer <token>'.",
        )
    credentials = credentials.strip(" ")
    if not credentials:
        raise AuthenticationFailed(
            error_code="token_malformed", message="The Authorization header has no token."
        )
    return credentials


def from_cookie(name: str) -> str:
    values = request.cookies.getlist(name)
    if len(values) > 1:
        # Cookie tossing: a sibling subdomain or a more specific path can plant a second
        # cookie of this name, and the order browsers send them in proves nothing.
        raise AuthenticationFailed(
            error_code="token_malformed",
            message=f"Several {name} cookies were sent; exactly one is accepted.",
        )
    value = values[0] if values else None
    if not value:
        raise AuthenticationFailed(
            error_code="token_missing", message=f"The {name} cookie is required."
        )
    return value
