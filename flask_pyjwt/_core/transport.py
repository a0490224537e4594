"""Where tokens travel, as values: the locations, the cookies and the CSRF settings
(:class:`TransportSettings`, a field of :class:`~flask_pyjwt.Settings`). Read and
checked from the ``JWT_*`` keys by ``flask_pyjwt._settings.transport``. No Flask here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal, TypeAlias

from .locations import Location

SameSite: TypeAlias = Literal["Strict", "Lax", "None"]
"""The ``SameSite`` attribute of the token cookies."""

DEFAULT_CSRF_METHODS: Final = frozenset({"POST", "PUT", "PATCH", "DELETE"})
"""The methods on which a token read from a cookie needs its CSRF header."""


@dataclass(frozen=True, slots=True)
class HeaderFraming:
    """How a request header carries a token: the header's name and the authentication
    scheme in front of the token (``""``: the header holds the bare token).

    ``HeaderFraming("Authorization", "Bearer")`` is RFC 6750's; others are
    ``("Authorization", "DPoP")``, or a proxy's header holding the bare token
    (``("Cf-Access-Jwt-Assertion", "")``).

    Attributes:
        name: the header name, as configured (compared without case).
        scheme: the scheme, as configured (compared without case).
        environ_key: where a WSGI server puts the header (``HTTP_AUTHORIZATION``).
        prefix: the scheme and one space, lower-cased, or ``""`` for a bare token.
    """

    name: str
    scheme: str
    environ_key: str = field(init=False, repr=False)
    prefix: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        key = "HTTP_" + self.name.upper().replace("-", "_")
        object.__setattr__(self, "environ_key", key)
        object.__setattr__(self, "prefix", f"{self.scheme.lower()} " if self.scheme else "")

    def example(self) -> str:
        """The header as a client sends it, for messages: ``Authorization: Bearer <token>``."""
        scheme = f"{self.scheme} " if self.scheme else ""
        return f"{self.name}: {scheme}<token>"


BEARER: Final = HeaderFraming("Authorization", "Bearer")
"""RFC 6750's framing, the default."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TransportSettings:
    """Where an app's tokens travel, and how its cookies are written: checked values of
    the ``JWT_*`` keys named below (see the configuration reference for each).

    Attributes:
        locations: ``JWT_TOKEN_LOCATION``: where a route that names no ``location``
            reads its token, in the order tried.
        auth_cookie: ``JWT_AUTH_COOKIE``: the auth token's cookie.
        refresh_cookie: ``JWT_REFRESH_COOKIE``: the refresh token's cookie.
        auth_csrf_cookie: ``JWT_AUTH_CSRF_COOKIE``: the readable cookie holding the
            auth token's CSRF value.
        refresh_csrf_cookie: ``JWT_REFRESH_CSRF_COOKIE``: the same for the refresh token.
        cookie_secure: ``JWT_COOKIE_SECURE``: the cookies carry ``Secure``.
        cookie_samesite: ``JWT_COOKIE_SAMESITE``: their ``SameSite`` attribute.
        cookie_domain: ``JWT_COOKIE_DOMAIN``: their ``Domain`` (``None``: host-only).
        auth_cookie_path: ``JWT_AUTH_COOKIE_PATH``: the auth token cookie's ``Path``.
        refresh_cookie_path: ``JWT_REFRESH_COOKIE_PATH``: the refresh token cookie's
            ``Path`` (the CSRF cookies always have ``Path=/``).
        csrf_protect: ``JWT_CSRF_PROTECT``: a token read from a cookie needs its CSRF
            header on :attr:`csrf_methods`.
        csrf_methods: ``JWT_CSRF_METHODS``: the request methods that need it.
        csrf_header: ``JWT_CSRF_HEADER``: the request header that carries it.
        query_param: ``JWT_QUERY_PARAM``: the query string parameter of the token.
        auth_json_key: ``JWT_AUTH_JSON_KEY``: the JSON body member of an auth token.
        refresh_json_key: ``JWT_REFRESH_JSON_KEY``: that of a refresh token.
        header_name: ``JWT_HEADER_NAME``: the request header that carries the token.
        header_scheme: ``JWT_HEADER_SCHEME``: the authentication scheme in front of the
            token in that header (``""``: the header holds the bare token).
        csrf_form_field: ``JWT_CSRF_FORM_FIELD``: the form field that may carry the CSRF
            value of a plain HTML form post instead of the header.
        header: :attr:`header_name` and :attr:`header_scheme` as one
            :class:`HeaderFraming`.
    """

    locations: tuple[Location, ...] = ("header",)
    auth_cookie: str = "auth_token"
    refresh_cookie: str = "refresh_token"
    auth_csrf_cookie: str = "csrf_auth_token"
    refresh_csrf_cookie: str = "csrf_refresh_token"
    cookie_secure: bool = True
    cookie_samesite: SameSite = "Lax"
    cookie_domain: str | None = None
    auth_cookie_path: str = "/"
    refresh_cookie_path: str = "/"
    csrf_protect: bool = True
    csrf_methods: frozenset[str] = DEFAULT_CSRF_METHODS
    csrf_header: str = "X-CSRF-Token"
    query_param: str = "jwt"
    auth_json_key: str = "auth_token"
    refresh_json_key: str = "refresh_token"
    header_name: str = "Authorization"
    header_scheme: str = "Bearer"
    csrf_form_field: str = "csrf_token"
    header: HeaderFraming = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "header", HeaderFraming(self.header_name, self.header_scheme))
