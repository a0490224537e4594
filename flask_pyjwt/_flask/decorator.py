"""``require_token``, the decorator that protects a view, and ``verify_request``, the
same check called from code (a ``before_request`` handler protecting a blueprint).

``require_token`` checks every argument when the decorator is built or applied, never at
request time, resolves them into a :class:`~flask_pyjwt._flask.protection.ViewPolicy`, and
wraps the view so that each request first goes through
:func:`~flask_pyjwt._flask.protection.protect` (extract → verify → authorize → expose).
``verify_request`` checks the same arguments, then runs the same flow at once.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal, TypeVar, cast, overload

from flask import has_request_context, request
from typing_extensions import ParamSpec

from flask_pyjwt._core.claim_requirements import (
    ClaimRequirement,
    bind_claims,
    bind_claims_outside_a_view,
    collect_claims,
    names_a_scope,
    refuse_empty,
    view_name,
)
from flask_pyjwt._core.errors import ContextError
from flask_pyjwt._core.locations import Location, is_http_token, parse_location
from flask_pyjwt._core.strict_json import (
    FrozenJSONObject,
    JSONInput,
    JSONValue,
    freeze,
    freeze_object,
)
from flask_pyjwt._core.tokens import (
    AuthToken,
    RefreshToken,
    Token,
    TokenType,
    TokenTypeName,
    parse_token_type,
)
from flask_pyjwt._core.typed_claims import ClaimsDataclass, check_claims_shape

from .placement import refuse_if_registered, remember_wrapped
from .protection import ViewPolicy, protect

P = ParamSpec("P")
R = TypeVar("R")


def _is_coroutine_function(view: object) -> bool:
    # A plain bool (not inspect's TypeGuard) keeps the view's type Callable[P, R].
    return inspect.iscoroutinefunction(view)


def _async_wrapper(
    view: Callable[P, R], check: Callable[[Mapping[str, object]], object]
) -> Callable[P, R]:
    # The view is a coroutine function, so R is its coroutine type; these two casts are
    # the only place the type checker must take that on trust.
    coroutine_view = cast("Callable[P, Awaitable[object]]", view)

    @functools.wraps(view)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> object:
        check(kwargs)
        return await coroutine_view(*args, **kwargs)

    return cast("Callable[P, R]", wrapper)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Options:
    """require_token's arguments, checked; the claims are bound to a view later."""

    kind: TokenType
    locations: tuple[Location, ...] | None
    cookie_name: str | None
    optional: bool
    fresh: bool
    scope: JSONValue
    has_scope: bool
    override: FrozenJSONObject | None
    claims_as: type[ClaimsDataclass] | None
    check_revocation: bool
    claims: Mapping[str, ClaimRequirement]

    def policy(self, literal: FrozenJSONObject, route: tuple[tuple[str, str], ...]) -> ViewPolicy:
        return ViewPolicy(
            kind=self.kind,
            locations=self.locations,
            cookie_name=self.cookie_name,
            optional=self.optional,
            fresh=self.fresh,
            scope=self.scope,
            has_scope=self.has_scope,
            override=self.override,
            literal_claims=literal,
            route_claims=route,
            claims_as=self.claims_as,
            check_revocation=self.check_revocation,
        )


_LOCATION_NAMES = "'header', 'cookies', 'query' or 'json'"


def _locations(location: object, cookie_name: object) -> tuple[Location, ...] | None:
    if cookie_name is not None and (
        not isinstance(cookie_name, str) or not is_http_token(cookie_name)
    ):
        raise ValueError(
            f"cookie_name must be a cookie name (letters, digits and !#$%&'*+-.^_`|~), "
            f"got {cookie_name!r}"
        )
    if location is None:
        # The seed's cookie_name= alone means: this route reads that cookie.
        return None if cookie_name is None else ("cookies",)
    if isinstance(location, str):
        given: tuple[object, ...] = (location,)
    elif isinstance(location, Sequence) and not isinstance(location, (bytes, bytearray)):
        given = tuple(cast("Sequence[object]", location))
    else:
        raise TypeError(
            f"location must be {_LOCATION_NAMES}, or a sequence of them, got "
            f"{type(location).__name__}"
        )
    if not given:
        raise ValueError(f"location is empty; name at least one of {_LOCATION_NAMES}")
    locations: list[Location] = []
    for item in given:
        known = parse_location(item)
        if known is None:
            raise ValueError(
                f"location must be {_LOCATION_NAMES}, or a sequence of them, got {item!r}"
            )
        if known in locations:
            raise ValueError(f"location names {known!r} twice; name each location once")
        locations.append(known)
    if cookie_name is not None and "cookies" not in locations:
        raise ValueError(
            'cookie_name is only used with location="cookies" (or a sequence holding it)'
        )
    return tuple(locations)


def _flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__}")
    return value


def _check(
    token_type: object,
    location: object,
    cookie_name: object,
    optional: object,
    fresh: object,
    scope: JSONInput,
    override: Mapping[str, JSONInput] | None,
    claims_as: type[ClaimsDataclass] | None,
    check_revocation: object,
    claims: Mapping[str, ClaimRequirement] | None,
    claim_requirements: Mapping[str, ClaimRequirement],
) -> _Options:
    kind = parse_token_type(token_type)
    locations = _locations(location, cookie_name)
    is_optional = _flag(optional, "optional")
    needs_fresh = _flag(fresh, "fresh")
    if needs_fresh and kind is TokenType.REFRESH:
        raise ValueError(
            "refresh tokens are never fresh, so require_token('refresh', fresh=True) could "
            "never pass; require a fresh auth token where it matters"
        )
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
    return _Options(
        kind=kind,
        locations=locations,
        cookie_name=cast("str | None", cookie_name),
        optional=is_optional,
        fresh=needs_fresh,
        scope=frozen_scope,
        has_scope=scope is not None,
        override=frozen_override,
        claims_as=claims_as,
        check_revocation=_flag(check_revocation, "check_revocation"),
        claims=collect_claims(claims, claim_requirements, _OPTION_NAMES),
    )


def require_token(
    token_type: TokenTypeName | TokenType = "auth",
    location: Location | Sequence[Location] | None = None,
    *,
    cookie_name: str | None = None,
    optional: bool = False,
    fresh: bool = False,
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
        location: where the token is read: ``"header"`` (``Authorization: Bearer
            <token>``), ``"cookies"``, ``"query"`` or ``"json"`` (a member of a JSON
            body), or a sequence of them tried in order; the first that carries a token
            decides. Default: the app's ``JWT_TOKEN_LOCATION`` (``"header"``).
        cookie_name: the cookie holding the token, instead of ``JWT_AUTH_COOKIE`` /
            ``JWT_REFRESH_COOKIE``; alone, it means ``location="cookies"``.
        optional: let the view run without a token: with no token in any of its
            locations, ``current_token`` is falsy (``current_token.get_or_none()`` is
            ``None``). A token that is present is checked all the same.
        fresh: require a fresh auth token (``auth_token(..., fresh=...)``): 401
            ``fresh_token_required`` for one that is not, a refreshed one for example.
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

    Warns:
        MisspeltOptionWarning: a claim keyword named like one of these options
            (``scopes=``, ``optinal=``, ``fresh_=``), at the decorator's line; it is
            still required as a claim. ``claims={...}`` requires such a claim silently.

    Raises:
        ValueError: unknown ``token_type``/``location`` (or one named twice), a
            ``cookie_name`` that is no cookie name or without the cookie location,
            ``fresh`` or a ``scope`` on a refresh route, a requirement that requires
            nothing (an empty ``override``, ``scope``, or an empty list or mapping inside
            any requirement), a claim given both in ``claims=`` and as a keyword, a
            route binding to a parameter the view does not have, or a plain string on a
            view that takes ``**kwargs``.
        TypeError: a required value is not JSON, ``claims`` is not a mapping,
            ``optional``/``fresh``/``check_revocation`` are not bools, or ``claims_as``
            is not a frozen dataclass of JSON claim types (or has an ``InitVar``).
        DecoratorOrderError: (when applied) the view is already registered on an app
            an :class:`AuthManager` serves: the decorator sits above the route.
    """
    options = _check(
        token_type, location, cookie_name, optional, fresh, scope, override, claims_as,
        check_revocation, claims, claim_requirements,
    )  # fmt: skip

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        # Remembered first: even if the error below is caught, a route that registered
        # the bare view refuses to serve it.
        remember_wrapped(view)
        refuse_if_registered(view, view_name(view))
        policy = options.policy(*bind_claims(options.claims, view))
        check = functools.partial(protect, policy)
        if _is_coroutine_function(view):
            return _async_wrapper(view, check)

        @functools.wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            check(kwargs)
            return view(*args, **kwargs)

        return wrapper

    return decorator


_OPTION_NAMES: Final = tuple(
    name for name in inspect.signature(require_token).parameters if name != "claim_requirements"
)
"""require_token's options: a claim keyword named like one of them warns."""

AuthKind = Literal["auth", TokenType.AUTH]
RefreshKind = Literal["refresh", TokenType.REFRESH]


@overload
def verify_request(
    token_type: AuthKind = "auth",
    location: Location | Sequence[Location] | None = None,
    *,
    cookie_name: str | None = None,
    optional: Literal[False] = False,
    fresh: bool = False,
    scope: JSONInput = None,
    override: Mapping[str, JSONInput] | None = None,
    claims_as: type[ClaimsDataclass] | None = None,
    check_revocation: bool = True,
    claims: Mapping[str, ClaimRequirement] | None = None,
    **claim_requirements: ClaimRequirement,
) -> AuthToken: ...
@overload
def verify_request(
    token_type: RefreshKind,
    location: Location | Sequence[Location] | None = None,
    *,
    cookie_name: str | None = None,
    optional: Literal[False] = False,
    fresh: bool = False,
    scope: JSONInput = None,
    override: Mapping[str, JSONInput] | None = None,
    claims_as: type[ClaimsDataclass] | None = None,
    check_revocation: bool = True,
    claims: Mapping[str, ClaimRequirement] | None = None,
    **claim_requirements: ClaimRequirement,
) -> RefreshToken: ...
@overload
def verify_request(
    token_type: AuthKind = "auth",
    location: Location | Sequence[Location] | None = None,
    *,
    cookie_name: str | None = None,
    optional: Literal[True],
    fresh: bool = False,
    scope: JSONInput = None,
    override: Mapping[str, JSONInput] | None = None,
    claims_as: type[ClaimsDataclass] | None = None,
    check_revocation: bool = True,
    claims: Mapping[str, ClaimRequirement] | None = None,
    **claim_requirements: ClaimRequirement,
) -> AuthToken | None: ...
@overload
def verify_request(
    token_type: RefreshKind,
    location: Location | Sequence[Location] | None = None,
    *,
    cookie_name: str | None = None,
    optional: Literal[True],
    fresh: bool = False,
    scope: JSONInput = None,
    override: Mapping[str, JSONInput] | None = None,
    claims_as: type[ClaimsDataclass] | None = None,
    check_revocation: bool = True,
    claims: Mapping[str, ClaimRequirement] | None = None,
    **claim_requirements: ClaimRequirement,
) -> RefreshToken | None: ...
@overload
def verify_request(
    token_type: TokenTypeName | TokenType = "auth",
    location: Location | Sequence[Location] | None = None,
    *,
    cookie_name: str | None = None,
    optional: bool = False,
    fresh: bool = False,
    scope: JSONInput = None,
    override: Mapping[str, JSONInput] | None = None,
    claims_as: type[ClaimsDataclass] | None = None,
    check_revocation: bool = True,
    claims: Mapping[str, ClaimRequirement] | None = None,
    **claim_requirements: ClaimRequirement,
) -> Token | None: ...
def verify_request(
    token_type: TokenTypeName | TokenType = "auth",
    location: Location | Sequence[Location] | None = None,
    *,
    cookie_name: str | None = None,
    optional: bool = False,
    fresh: bool = False,
    scope: JSONInput = None,
    override: Mapping[str, JSONInput] | None = None,
    claims_as: type[ClaimsDataclass] | None = None,
    check_revocation: bool = True,
    claims: Mapping[str, ClaimRequirement] | None = None,
    **claim_requirements: ClaimRequirement,
) -> Token | None:
    """Check the current request's token now, as :func:`require_token` with the same
    arguments would before its view, and return it.

    For code that runs before any view: a ``before_request`` handler that protects a
    whole blueprint (``@bp.before_request``), or a view that decides on its own when a
    token is needed. The token is also the request's ``current_token`` afterwards, and
    its user is loaded as for a decorated view. The return type follows
    ``token_type`` (and ``optional=True`` adds ``None``).

    Two differences from the decorator: its arguments are checked on every call (a
    mistake in them raises on the first request, not at import), and a string claim
    requirement must say whether it is a route variable (:class:`FromRoute`, compared
    with ``request.view_args``) or a literal (:class:`Exact`), since no view's
    parameters can tell.

    Returns:
        The verified token; ``None`` only with ``optional=True`` and no token sent.

    Raises:
        AuthenticationFailed: 401, as for ``require_token``.
        PermissionDenied: 403, as for ``require_token``.
        TemporarilyUnavailable: 503, as for ``require_token``.
        ContextError: called outside a request.
        ValueError: as for ``require_token``, and a plain string claim requirement.
        TypeError: as for ``require_token``.
    """
    options = _check(
        token_type, location, cookie_name, optional, fresh, scope, override, claims_as,
        check_revocation, claims, claim_requirements,
    )  # fmt: skip
    policy = options.policy(*bind_claims_outside_a_view(options.claims, "verify_request"))
    if not has_request_context():
        raise ContextError(
            "verify_request checks the token of a request: call it inside one (a view or "
            "a before_request handler)"
        )
    view_args = cast("Mapping[str, object] | None", request.view_args)
    return protect(policy, view_args or {})
