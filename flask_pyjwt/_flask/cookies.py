"""Writing the token cookies (and their CSRF cookies) on a response, and expiring them.

Each token cookie is ``HttpOnly`` (no page's script reads it), ``Secure`` and
``SameSite`` as configured, lives exactly as long as its token (``Max-Age`` is the
token's remaining lifetime) and has the configured ``Domain`` and ``Path``. Each comes
with a readable CSRF cookie on ``Path=/`` holding the token's CSRF value, which the
app's own pages send back in the CSRF header.
"""

from __future__ import annotations

from typing import Final, TypeVar

from flask import Flask, has_request_context, request
from werkzeug.http import dump_cookie
from werkzeug.wrappers import Response

from flask_pyjwt._core.csrf import csrf_value
from flask_pyjwt._core.tokens import (
    REFRESH,
    AuthToken,
    RefreshToken,
    Token,
    TokenType,
    TokenTypeName,
    parse_token_type,
)
from flask_pyjwt._core.transport import TransportSettings

from .state import current_state

T = TypeVar("T", AuthToken, RefreshToken)

MAX_COOKIE_SIZE: Final = 4093
"""The largest ``Set-Cookie`` value (name, token and attributes) that every major browser
keeps; Werkzeug warns beyond it, browsers silently drop the cookie."""


def _header(
    transport: TransportSettings,
    *,
    name: str,
    value: str,
    max_age: int,
    path: str,
    http_only: bool,
) -> str:
    return dump_cookie(
        name,
        value,
        max_age=max_age,
        path=path,
        domain=transport.cookie_domain,
        secure=transport.cookie_secure,
        httponly=http_only,
        samesite=transport.cookie_samesite,
        max_size=0,  # checked below, as an error: Werkzeug would only warn
    )


def _checked(value: object, kind: type[T], name: str, expected: str) -> T | None:
    # Checked at runtime too: not every caller type-checks (and the two are easy to swap).
    if value is not None and not isinstance(value, kind):
        raise TypeError(f"{name} must be {expected}, got {type(value).__name__}")
    return value


def _remaining(token: Token, now: float, what: str) -> int:
    remaining = token.exp - int(now)
    if remaining < 1:
        raise ValueError(
            f"the {what} token has expired; a cookie holding it would be deleted at once"
        )
    return remaining


def set_token_cookies(
    response: Response,
    transport: TransportSettings,
    now: float,
    *,
    auth: AuthToken | None,
    refresh: RefreshToken | None,
) -> None:
    """Write the cookies of ``auth`` and/or ``refresh`` (see the module docstring).

    Raises:
        TypeError: ``auth`` is not an :class:`AuthToken` or ``refresh`` not a
            :class:`RefreshToken`.
        ValueError: neither token is given, a token has expired, or a token is too long
            for a cookie.
    """
    given_auth = _checked(auth, AuthToken, "auth", "an AuthToken")
    given_refresh = _checked(refresh, RefreshToken, "refresh", "a RefreshToken")
    if given_auth is None and given_refresh is None:
        raise ValueError("set_token_cookies needs auth=, refresh= or both")
    pairs = (
        (given_auth, transport.auth_cookie, transport.auth_csrf_cookie, transport.auth_cookie_path),
        (
            given_refresh,
            transport.refresh_cookie,
            transport.refresh_csrf_cookie,
            transport.refresh_cookie_path,
        ),
    )
    headers: list[str] = []
    for token, cookie, csrf_cookie, path in pairs:
        if token is None:
            continue
        what = token.token_type.value
        max_age = _remaining(token, now, what)
        header = _header(transport, name=cookie, value=token.signed, max_age=max_age,
                         path=path, http_only=True)  # fmt: skip
        if len(header) > MAX_COOKIE_SIZE:
            raise ValueError(
                f"the {what} token's cookie would be {len(header)} bytes, more than browsers "
                f"keep ({MAX_COOKIE_SIZE}), so they would drop it; put fewer or shorter "
                "claims in the token"
            )
        headers.append(header)
        headers.append(_header(transport, name=csrf_cookie, value=csrf_value(token.signed),
                               max_age=max_age, path="/", http_only=False))  # fmt: skip
    for header in headers:  # only once every cookie could be written
        response.headers.add("Set-Cookie", header)


def unset_token_cookies(response: Response, transport: TransportSettings) -> None:
    """Expire every cookie :func:`set_token_cookies` writes, with the same ``Path`` and
    ``Domain`` (a browser keeps a cookie whose deletion names another path or domain)."""
    for name, path, http_only in (
        (transport.auth_cookie, transport.auth_cookie_path, True),
        (transport.auth_csrf_cookie, "/", False),
        (transport.refresh_cookie, transport.refresh_cookie_path, True),
        (transport.refresh_csrf_cookie, "/", False),
    ):
        response.delete_cookie(
            name,
            path=path,
            domain=transport.cookie_domain,
            secure=transport.cookie_secure,
            httponly=http_only,
            samesite=transport.cookie_samesite,
        )


TEMPLATE_HELPER: Final = "jwt_csrf_token"
"""The Jinja global that gives a template the current CSRF value."""


def current_csrf_value(token_type: TokenTypeName | TokenType = "auth") -> str:
    """The CSRF value of the token cookie the current request carries (the auth token's,
    or the refresh token's), for a plain HTML form to post back in its
    ``JWT_CSRF_FORM_FIELD`` field; ``""`` when the request has no such cookie (or
    several), or outside a request.

    In templates: ``<input type="hidden" name="csrf_token" value="{{ jwt_csrf_token() }}">``.
    The value is derived from the cookie's token without verifying it: for a forged
    cookie it is that forgery's value, which only its sender can use.
    """
    kind = parse_token_type(token_type)
    if not has_request_context():
        return ""
    transport = current_state().codec.settings.transport
    name = transport.refresh_cookie if kind is REFRESH else transport.auth_cookie
    values = request.cookies.getlist(name)
    return csrf_value(values[0]) if len(values) == 1 and values[0] else ""


def register_template_helpers(app: Flask) -> None:
    """Give ``app``'s templates :func:`current_csrf_value` as ``jwt_csrf_token()``."""
    app.add_template_global(current_csrf_value, TEMPLATE_HELPER)
