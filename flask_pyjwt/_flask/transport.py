"""Where a protected request carries its token, and reading it from there.

Only framing is handled here (which header, cookie, query parameter or JSON member, which
scheme, one value or several) and, for a token read from a cookie, its CSRF header; what
the token says is for the verifier.

The locations a route allows are tried in order, and the first one that *carries* a
token decides: a bad token there is refused, never skipped in favour of the next. A
location carries no token when its value is absent or empty, when the token header
(``JWT_HEADER_NAME``, ``Authorization``) uses another scheme than ``JWT_HEADER_SCHEME``
(``Bearer``), and when the request has no JSON body (no
JSON content type, or an empty body). A body declared as JSON must be one JSON object.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from flask import request
from werkzeug.exceptions import HTTPException

from flask_pyjwt._core.csrf import csrf_matches
from flask_pyjwt._core.locations import Location
from flask_pyjwt._core.strict_json import JSONDecodeError, loads_object
from flask_pyjwt._core.transport import BEARER, HeaderFraming, TransportSettings

from .http_errors import AuthenticationFailed, PermissionDenied


@dataclass(frozen=True, slots=True)
class Carried:
    """The token a request carries, and where it was found.

    Attributes:
        token: the compact token as sent (not verified).
        location: where it was found.
        scheme: the ``Authorization`` scheme it came with (``"DPoP"``, RFC 9449 7.1),
            ``"Bearer"`` for every other carrier.
    """

    token: str
    location: Location
    scheme: Literal["Bearer", "DPoP"] = "Bearer"


@dataclass(frozen=True, slots=True, kw_only=True)
class Names:
    """The names a route's token has in each location (resolved for its kind)."""

    cookie: str
    query: str
    json_key: str
    header: HeaderFraming = BEARER


class _OtherScheme:
    """The token header holds credentials of another scheme: no token."""


_OTHER_SCHEME: Final = _OtherScheme()


def header_token(environ: Mapping[str, object], framing: HeaderFraming) -> str | None:
    """The token of a plain ``<name>: <scheme> <token>`` header, else ``None``.

    The fast path of one request: the header read straight from the WSGI environ (one
    dict lookup; request.headers goes through Werkzeug's header view). Anything else
    (no header, another scheme, odd spacing, a scheme without token) gives ``None``,
    and :func:`read_header` then reads the header again and says what it holds.
    """
    header = environ.get(framing.environ_key)
    if type(header) is str:
        prefix = framing.prefix
        if header[: len(prefix)].lower() == prefix:
            token = header[len(prefix) :]
            # One token, no space or tab around it: framing is left to read_header.
            if token and " " not in token and "\t" not in token:
                return token
    return None


def read_header(environ: Mapping[str, object], framing: HeaderFraming) -> str | _OtherScheme | None:
    """What the ``framing.name`` header carries: its token, ``None`` for no header, or
    :data:`_OTHER_SCHEME` for credentials of another scheme.

    For any (name, scheme) pair: ``Authorization: Bearer`` (RFC 6750), ``Authorization:
    DPoP``, or a proxy's header holding the bare token (scheme ``""``).

    Raises:
        AuthenticationFailed: 401 ``token_malformed``: the scheme without a token.
    """
    # One dict lookup in the WSGI environ (getlist would walk every header). The environ
    # holds at most one value per header: servers join repeated headers with ", ",
    # which the strict token parser then refuses as malformed.
    header = environ.get(framing.environ_key)
    if not isinstance(header, str) or not header:
        return None
    # Only HTTP's optional whitespace (RFC 9110 5.5: SP, HTAB) is framing; str.strip()
    # would also drop NEL, NBSP and other Unicode spaces glued to the token.
    value = header.strip(" \t")
    if not framing.scheme:
        return value or None  # the bare token (a scheme in front is malformed)
    scheme, _, credentials = value.partition(" ")
    if scheme.lower() != framing.scheme.lower():
        # RFC 6750 3.1: another authentication scheme (or none: a bare token) carries no
        # token of this scheme at all.
        return _OTHER_SCHEME
    credentials = credentials.strip(" ")
    if not credentials:
        raise AuthenticationFailed(
            error_code="token_malformed", message=f"The {framing.name} header has no token."
        )
    return credentials


def _one(values: Sequence[str], what: str) -> str | None:
    if len(values) > 1:
        # Cookie tossing: a sibling subdomain or a more specific path can plant a second
        # cookie of this name, and the order browsers send them in proves nothing. Two
        # query parameters are refused alike: which one a proxy or a log kept is unknown.
        raise AuthenticationFailed(
            error_code="token_malformed",
            message=f"Several {what}s were sent; exactly one is accepted.",
        )
    return values[0] if values and values[0] else None


def _from_json(key: str) -> str | None:
    # Only a body declared as JSON (application/json or application/*+json) is read,
    # never a form: a cross-site form cannot send one, and reading a body the app parses
    # another way would be a second parser of the same bytes.
    if not request.is_json:
        return None
    data = request.get_data(cache=True)  # cached: the view's request.get_json() reads it
    if not data:
        return None
    try:
        body = loads_object(data)  # strict: one UTF-8 object, no duplicate members, ...
    except JSONDecodeError:
        raise AuthenticationFailed(
            error_code="json_body_invalid",
            message="The request body is declared as JSON but is not one JSON object.",
        ) from None
    value = body.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise AuthenticationFailed(
            error_code="token_malformed",
            message=f"The {key} member of the JSON body is not a string.",
        )
    return value


def _read(location: Location, names: Names, dpop: bool) -> str | Carried | _OtherScheme | None:
    if location == "header":
        framing = names.header
        if dpop and framing.scheme and framing.environ_key == _DPOP.environ_key:
            # RFC 9449 7.1: the Authorization header's DPoP scheme carries a bound token.
            bound = read_header(request.environ, _DPOP)
            if isinstance(bound, str):
                return Carried(bound, "header", "DPoP")
        return read_header(request.environ, framing)
    if location == "cookies":
        return _one(request.cookies.getlist(names.cookie), f"{names.cookie} cookie")
    if location == "query":
        return _one(request.args.getlist(names.query), f"{names.query} query parameter")
    return _from_json(names.json_key)


def _missing(locations: Sequence[Location], names: Names, other_scheme: bool) -> str:
    framing = names.header
    if tuple(locations) == ("header",):
        if other_scheme:
            return (
                f"The {framing.name} header does not use the {framing.scheme} scheme; send "
                f"the token as '{framing.example()}'."
            )
        if framing.scheme.lower() == "bearer":
            return "A bearer token is required."
        return f"A token is required: send it as '{framing.example()}'."
    if tuple(locations) == ("cookies",):
        return f"The {names.cookie} cookie is required."
    ways = {
        "header": f"as '{framing.example()}'",
        "cookies": f"in the {names.cookie} cookie",
        "query": f"in the {names.query} query parameter",
        "json": f"as {names.json_key} in a JSON body",
    }
    message = "A token is required: send it " + ", or ".join(ways[at] for at in locations)
    if other_scheme:
        message += f" (the {framing.name} header sent does not use the {framing.scheme} scheme)"
    return message + "."


_DPOP: Final = HeaderFraming("Authorization", "DPoP")


def find_token(
    locations: Sequence[Location], names: Names, *, optional: bool, dpop: bool = True
) -> Carried | None:
    """The token of the first of ``locations`` that carries one (``dpop``: the
    ``Authorization`` header's ``DPoP`` scheme carries one too).

    Returns ``None`` if none does and ``optional`` is true.

    Raises:
        AuthenticationFailed: 401: a location carries something that is no token
            (``token_malformed``, ``json_body_invalid``), or none carries a token and
            ``optional`` is false (``token_missing``).
    """
    other_scheme = False
    for location in locations:
        found = _read(location, names, dpop)
        if isinstance(found, Carried):
            return found
        if isinstance(found, str):
            return Carried(found, location)
        other_scheme = other_scheme or found is _OTHER_SCHEME
    if optional:
        return None
    raise AuthenticationFailed(
        error_code="token_missing", message=_missing(locations, names, other_scheme)
    )


def _form_csrf(field: str) -> str | None:
    # Only a form body (urlencoded or multipart), which Werkzeug parses once and caches;
    # anything but exactly one non-empty value of the field is no value.
    if request.mimetype not in _FORM_TYPES:
        return None
    try:
        values = request.form.getlist(field)
    except HTTPException:
        # A body Werkzeug refuses to parse (Werkzeug 3.0 answers undecodable bytes with
        # 413): no value, so the CSRF check refuses with its own JSON 403.
        return None
    return values[0] if len(values) == 1 and values[0] else None


_FORM_TYPES: Final = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def check_csrf(carried: Carried, transport: TransportSettings, csrf_cookie: str) -> None:
    """Refuse a token read from a cookie, on a method that needs it, without its CSRF
    value (:func:`~flask_pyjwt._core.csrf.csrf_value` of the token) in the CSRF header
    or, for a plain HTML form post, in the ``JWT_CSRF_FORM_FIELD`` field.

    The value is compared, in constant time, with the one derived from the token itself,
    not with the CSRF cookie: a cookie that another site planted proves nothing. The
    header is read first; the form field only when the header is absent.

    Raises:
        PermissionDenied: 403 ``csrf_failed``.
    """
    if carried.location != "cookies" or not transport.csrf_protect:
        return
    if request.method not in transport.csrf_methods:
        return
    header = transport.csrf_header
    presented = request.headers.get(header)
    where = f"The {header} header"
    if not presented:
        presented = _form_csrf(transport.csrf_form_field)
        where = f"The {transport.csrf_form_field} form field"
    if not presented:
        raise PermissionDenied(
            error_code="csrf_failed",
            message=f"A token cookie on this request method needs the {header} header (or, "
            f"in a form post, the {transport.csrf_form_field} field): send the value of the "
            f"{csrf_cookie} cookie in it.",
        )
    if not csrf_matches(carried.token, presented):
        raise PermissionDenied(
            error_code="csrf_failed",
            message=f"{where} does not match the token cookie.",
        )
