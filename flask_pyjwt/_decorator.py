"""``require_token``: the decorator that protects a view.

One request flows through it as: extract the token (header or cookie) → verify it
(structure, signature, registered claims; see :class:`~flask_pyjwt.AuthManager`) →
authorize it (kind, override, scope, claims, route variables) → expose it as
``current_token`` → call the view. Every argument is checked when the decorator is
built or applied, never at request time.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Final, Literal, TypeAlias, TypeVar, Union, cast, get_args

from flask import request
from typing_extensions import ParamSpec

from ._core.errors import InvalidTokenError
from ._core.matching import MISSING, satisfies, scope_satisfies
from ._core.strict_json import FrozenJSONObject, JSONInput, JSONValue, freeze, freeze_object
from ._core.tokens import AuthToken, Token, TokenType, TokenTypeName, parse_token_type
from ._core.typed_claims import ClaimsDataclass, check_claims_shape, load_claims
from ._current import remember_claims, set_current_token
from ._http_errors import AuthenticationFailed, PermissionDenied
from ._manager import current_state
from ._placement import refuse_if_registered, remember_wrapped

P = ParamSpec("P")
R = TypeVar("R")

Location = Literal["header", "cookies"]
"""Where the token is read from: the ``Authorization: Bearer`` header, or a cookie."""

_LOCATIONS: Final = frozenset(cast("tuple[str, ...]", get_args(Location)))


@dataclass(frozen=True, slots=True)
class FromRoute:
    """Require a claim to equal a route variable, explicitly.

    ``require_token(sub=FromRoute("username"))`` on ``/users/<username>`` requires the
    token's ``sub`` to equal the ``username`` in the URL. A plain string that names a
    parameter of the view (``sub="username"``) means the same; ``FromRoute`` says it
    unambiguously and fails at decoration time if the view has no such parameter.

    Attributes:
        name: the route variable (and view parameter).
    """

    name: str


@dataclass(frozen=True, slots=True, init=False)
class Exact:
    """Require a claim to equal this literal value, even a string that names a view
    parameter (``require_token(role=Exact("username"))``).

    Attributes:
        value: the required JSON value.
    """

    value: JSONValue

    def __init__(self, value: JSONInput) -> None:
        object.__setattr__(self, "value", freeze(value, path="Exact(...)"))


ClaimRequirement: TypeAlias = Union[JSONInput, FromRoute, Exact]
"""What a claim requirement of :func:`require_token` (keyword or ``claims=`` value) may be."""


@dataclass(frozen=True, slots=True, kw_only=True)
class _Policy:
    """Everything a protected view requires, resolved once at decoration."""

    kind: TokenType
    location: Location
    cookie_name: str | None
    scope: JSONValue
    has_scope: bool
    override: FrozenJSONObject | None
    literal_claims: FrozenJSONObject
    route_claims: tuple[tuple[str, str], ...]
    claims_as: type[ClaimsDataclass] | None = None


def _extract() -> str:
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


def _extract_cookie(name: str) -> str:
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


def _route_value(value: object) -> JSONValue:
    # Flask converters yield str, int, float, UUID or path strings; compare non-JSON ones
    # (UUID) by their string form, which is how they appear in a token.
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _authorize(policy: _Policy, token: Token, view_args: Mapping[str, object]) -> None:
    claims = token.claims
    if policy.override is not None and satisfies(claims, policy.override):
        return
    if policy.has_scope:
        held = token.scope if isinstance(token, AuthToken) else MISSING
        if not scope_satisfies(held, policy.scope):
            raise PermissionDenied(
                error_code="insufficient_scope", message="The token lacks a required scope."
            )
    if policy.literal_claims and not satisfies(claims, policy.literal_claims):
        raise PermissionDenied(
            error_code="claim_mismatch", message="The token lacks a required claim."
        )
    for claim, variable in policy.route_claims:
        if variable not in view_args or not satisfies(
            claims.get(claim, MISSING), _route_value(view_args[variable])
        ):
            raise PermissionDenied(
                error_code="claim_mismatch", message="The token does not match this resource."
            )


def _protect(policy: _Policy, view_args: Mapping[str, object]) -> None:
    raw = _extract() if policy.cookie_name is None else _extract_cookie(policy.cookie_name)
    codec = current_state().codec
    try:
        token = codec.decode(raw, policy.kind)
        # A declared claims shape is part of what makes the token valid here: 401.
        typed = None if policy.claims_as is None else load_claims(policy.claims_as, token.claims)
    except InvalidTokenError as error:
        raise AuthenticationFailed.from_token_error(error) from None
    _authorize(policy, token, view_args)
    set_current_token(token)
    if policy.claims_as is not None and typed is not None:
        remember_claims(token, policy.claims_as, typed)


def _view_name(view: object) -> str:
    # A MethodView's as_view function has a qualname "View.as_view.<locals>.view" but the
    # endpoint as its __name__ (set before the class's decorators are applied).
    qualname = cast("object", getattr(view, "__qualname__", None))
    name = cast("object", getattr(view, "__name__", None))
    if isinstance(qualname, str) and "<locals>" not in qualname:
        return qualname
    return name if isinstance(name, str) else repr(view)


def _bind_claims(
    claims: Mapping[str, ClaimRequirement], view: Callable[P, R]
) -> tuple[FrozenJSONObject, tuple[tuple[str, str], ...]]:
    parameters = inspect.signature(view).parameters.values()
    # The kinds are read through the instance (p.KEYWORD_ONLY, ...): the expression
    # inspect.Parameter is a class whose constructor takes Any, which the package avoids.
    named = {p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    takes_any = any(p.kind is p.VAR_KEYWORD for p in parameters)
    literal: dict[str, JSONInput] = {}
    route: list[tuple[str, str]] = []
    for claim, value in claims.items():
        if isinstance(value, FromRoute):
            if value.name not in named and not takes_any:
                raise ValueError(
                    f"require_token({claim}=FromRoute({value.name!r})) on {_view_name(view)}: the "
                    f"view has no parameter {value.name!r}; add <{value.name}> to the route and "
                    "the view's parameters"
                )
            route.append((claim, value.name))
        elif isinstance(value, Exact):
            literal[claim] = value.value
        elif isinstance(value, str) and value in named:
            route.append((claim, value))
        elif isinstance(value, str) and takes_any:
            # A view that takes **kwargs (a MethodView's as_view, a decorator without
            # functools.wraps) may receive any route variable: the string could name one.
            raise ValueError(
                f"require_token({claim}={value!r}) on {_view_name(view)}: the view takes "
                f"**kwargs, so {value!r} could be a route variable or a literal; say which "
                f"with {claim}=FromRoute({value!r}) or {claim}=Exact({value!r})"
            )
        else:
            literal[claim] = value
    return freeze_object(literal, path="require_token claims"), tuple(route)


def _names_a_scope(scope: JSONValue) -> bool:
    # An empty string, list or mapping would let every token with a scope through.
    if isinstance(scope, str):
        return bool(scope.strip(" "))
    if isinstance(scope, (tuple, Mapping)):
        return len(scope) > 0
    return True


def _refuse_empty(value: JSONValue, path: str) -> None:
    """Raise ValueError if an empty list or mapping is anywhere inside ``value``.

    A required list is met by any array holding its items and a required mapping by any
    object holding its keys, so an empty one is met by every array or object: a
    requirement that requires nothing, and inside ``override`` a way past every check.
    """
    if isinstance(value, tuple):
        if not value:
            raise ValueError(
                f"{path} is an empty list, which any array satisfies; name at least one "
                "required item, or leave the requirement out"
            )
        for index, item in enumerate(value):
            _refuse_empty(item, f"{path}[{index}]")
    elif isinstance(value, Mapping):
        if not value:
            raise ValueError(
                f"{path} is an empty mapping, which any object satisfies; name at least one "
                "required key, or leave the requirement out"
            )
        for key, item in value.items():
            _refuse_empty(item, f"{path}.{key}")


_RESERVED_FOR_OPTIONS: Final = frozenset({"optional", "fresh"})
"""Names of options planned for coming releases, refused as ``**claims`` today so that
adding them never changes what an existing decorator means. A claim of one of these
names goes through ``claims=``. An option is added to this set a release before it
exists."""


def _collect_claims(
    mapping: Mapping[str, ClaimRequirement] | None, keywords: Mapping[str, ClaimRequirement]
) -> dict[str, ClaimRequirement]:
    given = cast("object", mapping)  # checked at runtime too: not every caller type-checks
    if given is not None and not isinstance(given, Mapping):
        raise TypeError(
            f"claims must be a mapping of claim names to requirements, got {type(given).__name__}"
        )
    for name in keywords:
        if name in _RESERVED_FOR_OPTIONS:
            raise ValueError(
                f"{name} is reserved for a require_token option of a coming release; to "
                f"require a claim of that name, write claims={{{name!r}: ...}}"
            )
    collected = dict(mapping or {})
    for name, value in keywords.items():
        if name in collected:
            raise ValueError(
                f"the claim {name!r} is required twice, in claims= and as a keyword "
                "argument; state it once"
            )
        collected[name] = value
    for name, value in collected.items():
        key = cast("object", name)
        if not isinstance(key, str):
            raise TypeError(f"claim names must be strings, got {type(key).__name__}")
        if isinstance(value, Exact):
            _refuse_empty(value.value, name)
        elif not isinstance(value, FromRoute):
            _refuse_empty(freeze(value, path=name), name)
    return collected


def _is_coroutine_function(view: object) -> bool:
    # A plain bool (not inspect's TypeGuard) keeps the view's type Callable[P, R].
    return inspect.iscoroutinefunction(view)


def _async_wrapper(
    view: Callable[P, R], check: Callable[[Mapping[str, object]], None]
) -> Callable[P, R]:
    # The view is a coroutine function, so R is its coroutine type; these two casts are
    # the only place the type checker must take that on trust.
    coroutine_view = cast("Callable[P, Awaitable[object]]", view)

    @functools.wraps(view)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> object:
        check(kwargs)
        return await coroutine_view(*args, **kwargs)

    return cast("Callable[P, R]", wrapper)


def require_token(
    token_type: TokenTypeName | TokenType = "auth",
    location: Location = "header",
    *,
    cookie_name: str | None = None,
    scope: JSONInput = None,
    override: Mapping[str, JSONInput] | None = None,
    claims_as: type[ClaimsDataclass] | None = None,
    claims: Mapping[str, ClaimRequirement] | None = None,
    **claim_requirements: ClaimRequirement,
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Protect a view: 401 unless it gets a valid token of ``token_type``, 403 unless
    that token holds the required scope and claims.

    Put it *below* ``@app.route`` so the route registers the protected view (above it,
    the route would serve the view unprotected: :class:`DecoratorOrderError`).

    ``token_type`` and ``location`` may be passed by position (as in Flask_PyJWT 1.x);
    every other option is keyword-only.

    Args:
        token_type: ``"auth"`` (default) or ``"refresh"``.
        location: ``"header"`` (``Authorization: Bearer <token>``) or ``"cookies"``.
        cookie_name: the cookie holding the token; required with ``location="cookies"``.
        scope: what the token's ``scope`` must hold (see the matching rules in the
            docs' ``require_token`` page): a mapping, an OAuth scope string such as
            ``"read write"``, or a list of scopes. Auth tokens only.
        override: claims that, when all present and matching, grant access without the
            scope and claim checks (``override={"admin": True}``).
        claims_as: a frozen dataclass declaring the token's custom claims: a token whose
            claims do not fit it is refused with 401 ``claim_invalid``, and the view reads
            them typed with ``current_token.claims_as(shape)``.
        claims: claims the token must hold, by name: any name, including those of the
            options (``claims={"location": "eu"}``). Values as for ``**claim_requirements``.
        **claim_requirements: more claims the token must hold (``role="admin"``). A
            string naming a parameter of the view binds to that route variable
            (``sub="username"``); :class:`FromRoute` and :class:`Exact` say which is meant
            explicitly, and are required when the view takes ``**kwargs``.

    Raises:
        ValueError: unknown ``token_type``/``location``, ``cookies`` without
            ``cookie_name`` (or a ``cookie_name`` with the header), a ``scope`` on a
            refresh route, a requirement that requires nothing (an empty ``override``,
            ``scope``, or an empty list or mapping inside any requirement), a claim given
            both in ``claims=`` and as a keyword, a keyword reserved for a coming option
            (``optional``, ``fresh``), a route binding to a parameter the view does not
            have, or a plain string on a view that takes ``**kwargs``.
        TypeError: a required value is not JSON, ``claims`` is not a mapping, or
            ``claims_as`` is not a frozen dataclass of JSON claim types (or has an
            ``InitVar``).
        DecoratorOrderError: (when applied) the view is already registered on an app
            an :class:`AuthManager` serves: the decorator sits above the route.
    """
    kind = parse_token_type(token_type)
    if location not in _LOCATIONS:
        raise ValueError(f"location must be 'header' or 'cookies', got {location!r}")
    if location == "cookies":
        if not isinstance(cookie_name, str) or not cookie_name:
            raise ValueError('location="cookies" needs cookie_name, the name of the token cookie')
    elif cookie_name is not None:
        raise ValueError('cookie_name is only used with location="cookies"')
    if override is not None and not override:
        raise ValueError("override must name at least one claim")
    if scope is not None and kind is TokenType.REFRESH:
        raise ValueError(
            "refresh tokens carry no scope, so require_token('refresh', scope=...) could "
            "never pass; check the scope where the auth token is used"
        )
    frozen_scope = freeze(scope, path="scope")
    if scope is not None and not _names_a_scope(frozen_scope):
        raise ValueError(
            f"scope={scope!r} requires nothing; name at least one scope (or leave it out)"
        )
    _refuse_empty(frozen_scope, "scope")
    frozen_override = None if override is None else freeze_object(override, path="override")
    if frozen_override is not None:
        _refuse_empty(frozen_override, "override")
    if claims_as is not None:
        check_claims_shape(claims_as)
    checked_claims = _collect_claims(claims, claim_requirements)

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        # Remembered first: even if the error below is caught, a route that registered
        # the bare view refuses to serve it.
        remember_wrapped(view)
        refuse_if_registered(view, _view_name(view))
        literal, route = _bind_claims(checked_claims, view)
        policy = _Policy(
            kind=kind,
            location=location,
            cookie_name=cookie_name,
            scope=frozen_scope,
            has_scope=scope is not None,
            override=frozen_override,
            literal_claims=literal,
            route_claims=route,
            claims_as=claims_as,
        )
        check = functools.partial(_protect, policy)
        if _is_coroutine_function(view):
            return _async_wrapper(view, check)

        @functools.wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            check(kwargs)
            return view(*args, **kwargs)

        return wrapper

    return decorator
