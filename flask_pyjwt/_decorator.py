"""``require_token``: the decorator that protects a view.

It checks every argument when the decorator is built or applied, never at request
time, resolves them into a :class:`~flask_pyjwt._protection.ViewPolicy`, and wraps the
view so that each request first goes through :func:`~flask_pyjwt._protection.protect`
(extract → verify → authorize → expose).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Mapping
from typing import TypeVar, cast

from typing_extensions import ParamSpec

from ._core.strict_json import JSONInput, freeze, freeze_object
from ._core.tokens import TokenType, TokenTypeName, parse_token_type
from ._core.typed_claims import ClaimsDataclass, check_claims_shape
from ._placement import refuse_if_registered, remember_wrapped
from ._protection import ViewPolicy, protect
from ._requirements import (
    ClaimRequirement,
    bind_claims,
    collect_claims,
    names_a_scope,
    refuse_empty,
    view_name,
)
from ._transport import LOCATIONS, Location

P = ParamSpec("P")
R = TypeVar("R")


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
    check_revocation: bool = True,
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
        check_revocation: ``False`` skips the revocation store for this route (one store
            read less per request; a revoked token is then accepted here until it
            expires). For routes that can live with that, or must work while the
            store is down.
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
    if location not in LOCATIONS:
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
    if scope is not None and not names_a_scope(frozen_scope):
        raise ValueError(
            f"scope={scope!r} requires nothing; name at least one scope (or leave it out)"
        )
    refuse_empty(frozen_scope, "scope")
    frozen_override = None if override is None else freeze_object(override, path="override")
    if frozen_override is not None:
        refuse_empty(frozen_override, "override")
    if claims_as is not None:
        check_claims_shape(claims_as)
    checked_claims = collect_claims(claims, claim_requirements)

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        # Remembered first: even if the error below is caught, a route that registered
        # the bare view refuses to serve it.
        remember_wrapped(view)
        refuse_if_registered(view, view_name(view))
        literal, route = bind_claims(checked_claims, view)
        policy = ViewPolicy(
            kind=kind,
            location=location,
            cookie_name=cookie_name,
            scope=frozen_scope,
            has_scope=scope is not None,
            override=frozen_override,
            literal_claims=literal,
            route_claims=route,
            claims_as=claims_as,
            check_revocation=check_revocation,
        )
        check = functools.partial(protect, policy)
        if _is_coroutine_function(view):
            return _async_wrapper(view, check)

        @functools.wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            check(kwargs)
            return view(*args, **kwargs)

        return wrapper

    return decorator
