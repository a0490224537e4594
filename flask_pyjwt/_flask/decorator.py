"""``require_token``, the decorator that protects a view, and ``verify_request``, the
same check called from code (a ``before_request`` handler protecting a blueprint).

``require_token`` checks every argument when the decorator is built or applied, never at
request time, resolves them into :class:`~flask_pyjwt._core.requirements.Requirements`
(:func:`~flask_pyjwt._core.requirements.build_requirements`), binds their claims to the
view's route variables, and wraps the view so that each request first goes through
:func:`~flask_pyjwt._flask.protection.protect` (extract → verify → authorize → expose).
``verify_request`` checks the same arguments, then runs the same flow at once.

The options are declared once, in :class:`~flask_pyjwt._core.requirements.RequireOptions`.
Both functions still list them as keyword parameters, because they also take ``**claims``
keywords and a ``TypedDict`` can share a signature with those only through PEP 728's
``extra_items``, which mypy does not support yet; ``tests/test_options_declared_once.py``
holds the parameters equal to ``RequireOptions`` and their defaults to ``Requirements``'.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Literal, TypeVar, cast

from flask import has_request_context, request
from typing_extensions import ParamSpec, Unpack, overload

from flask_pyjwt._core.claim_requirements import ClaimRequirement, view_name
from flask_pyjwt._core.dpop import DPoPMode
from flask_pyjwt._core.errors import ContextError
from flask_pyjwt._core.requirements import Locations, RequireOptions, build_requirements
from flask_pyjwt._core.strict_json import JSONInput
from flask_pyjwt._core.tokens import (
    AuthToken,
    RefreshToken,
    Token,
    TokenType,
    TokenTypeName,
    TokenTypes,
)
from flask_pyjwt._core.typed_claims import ClaimsDataclass

from .placement import refuse_if_registered, remember_wrapped
from .protection import protect
from .state import remember_requirements

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


def require_token(
    token_type: TokenTypes = "auth",
    location: Locations = None,
    *,
    cookie_name: str | None = None,
    optional: bool = False,
    fresh: bool = False,
    scope: JSONInput = None,
    override: Mapping[str, JSONInput] | None = None,
    claims_as: type[ClaimsDataclass] | None = None,
    check_revocation: bool = True,
    claims: Mapping[str, ClaimRequirement] | None = None,
    providers: Sequence[str] | None = None,
    dpop: DPoPMode | None = None,
    **claim_requirements: ClaimRequirement,
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Protect a view: 401 unless it gets a valid token of ``token_type``, 403 unless
    that token holds the required scope and claims.

    Put it *below* ``@app.route`` so the route registers the protected view (above it,
    the route would serve the view unprotected: :class:`~flask_pyjwt.errors.DecoratorOrderError`).

    ``token_type`` and ``location`` may be passed by position (as in Flask_PyJWT 1.x);
    every other option is keyword-only.

    Args:
        token_type: ``"auth"`` (default) or ``"refresh"``, or a tuple of the kinds
            accepted: ``("auth", "refresh")`` takes either (a logout view);
            ``current_token.get()`` is then ``AuthToken | RefreshToken``. The cookie
            and JSON member read are the auth token's unless ``cookie_name`` says.
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
        providers: the token sources this route accepts, by name (``"self"`` for the
            app's own tokens, an :class:`~flask_pyjwt.IdentityProvider`'s ``name``);
            a token from another configured source is refused (401 ``claim_invalid``).
            Default: every configured source.
        dpop: ``"required"``: only DPoP-bound tokens with a valid proof (RFC 9449);
            ``"allowed"``: bearer tokens too; ``"disabled"``: no bound token (it could
            not be honoured). Default: the app's ``JWT_DPOP`` (``"allowed"``). A bound
            token always needs its proof, whatever this says.
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
    requirements = build_requirements(
        token_type,
        location,
        optional=optional,
        claim_keywords=claim_requirements,
        cookie_name=cookie_name,
        fresh=fresh,
        scope=scope,
        override=override,
        claims_as=claims_as,
        check_revocation=check_revocation,
        claims=claims,
        providers=providers,
        dpop=dpop,
    )

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        # Remembered first: even if the error below is caught, a route that registered
        # the bare view refuses to serve it.
        remember_wrapped(view)
        refuse_if_registered(view, view_name(view))
        bound = requirements.bound_to(view)
        check = functools.partial(protect, bound)
        if _is_coroutine_function(view):
            protected = _async_wrapper(view, check)
        else:

            @functools.wraps(view)
            def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
                check(kwargs)
                return view(*args, **kwargs)

            protected = wrapper
        remember_requirements(protected, bound, inner=view)  # resource metadata, OpenAPI
        return protected

    return decorator


AuthKind = Literal["auth", TokenType.AUTH]
RefreshKind = Literal["refresh", TokenType.REFRESH]
EitherKind = tuple[TokenTypeName | TokenType, ...]


@overload
def verify_request(
    token_type: AuthKind = "auth",
    location: Locations = None,
    *,
    optional: Literal[False] = False,
    **options: Unpack[RequireOptions],
) -> AuthToken: ...
@overload
def verify_request(
    token_type: RefreshKind,
    location: Locations = None,
    *,
    optional: Literal[False] = False,
    **options: Unpack[RequireOptions],
) -> RefreshToken: ...
@overload
def verify_request(
    token_type: AuthKind = "auth",
    location: Locations = None,
    *,
    optional: Literal[True],
    **options: Unpack[RequireOptions],
) -> AuthToken | None: ...
@overload
def verify_request(
    token_type: RefreshKind,
    location: Locations = None,
    *,
    optional: Literal[True],
    **options: Unpack[RequireOptions],
) -> RefreshToken | None: ...
@overload
def verify_request(
    token_type: EitherKind,
    location: Locations = None,
    *,
    optional: Literal[False] = False,
    **options: Unpack[RequireOptions],
) -> Token: ...
@overload
def verify_request(
    token_type: TokenTypes = "auth",
    location: Locations = None,
    *,
    optional: bool = False,
    **options: Unpack[RequireOptions],
) -> Token | None: ...
def verify_request(
    token_type: TokenTypes = "auth",
    location: Locations = None,
    *,
    optional: bool = False,
    **options: Unpack[RequireOptions],
) -> Token | None:
    """Check the current request's token now, as :func:`require_token` with the same
    arguments would before its view, and return it.

    For code that runs before any view: a ``before_request`` handler that protects a
    whole blueprint (``@bp.before_request``), or a view that decides on its own when a
    token is needed. The token is also the request's ``current_token`` afterwards, and
    its user is loaded as for a decorated view. The return type follows
    ``token_type`` (a tuple of kinds gives ``AuthToken | RefreshToken``; ``optional=True``
    adds ``None``).

    Differences from the decorator: its arguments are checked on every call (a mistake
    in them raises on the first request, not at import); claim requirements go in
    ``claims={...}`` only (the options are ``RequireOptions``, so a misspelt one is a
    type error and a :class:`TypeError`, never a claim); and a string claim requirement
    must say whether it is a route variable (:class:`FromRoute`, compared with
    ``request.view_args``) or a literal (:class:`Exact`), since no view's parameters can
    tell.

    Returns:
        The verified token; ``None`` only with ``optional=True`` and no token sent.

    Raises:
        AuthenticationFailed: 401, as for ``require_token``.
        PermissionDenied: 403, as for ``require_token``.
        TemporarilyUnavailable: 503, as for ``require_token``.
        ContextError: called outside a request.
        ValueError: as for ``require_token``, and a plain string claim requirement.
        TypeError: as for ``require_token``, and a keyword that is not an option.
    """
    unknown = sorted(set(options).difference(RequireOptions.__annotations__))
    if unknown:
        raise TypeError(
            f"verify_request() got unexpected keyword argument(s) {', '.join(unknown)}; "
            "claim requirements go in claims={...} (verify_request takes no claim "
            "keywords, unlike require_token)"
        )
    requirements = build_requirements(
        token_type, location, optional=optional, **options
    ).bound_outside_a_view("verify_request")
    if not has_request_context():
        raise ContextError(
            "verify_request checks the token of a request: call it inside one (a view or "
            "a before_request handler)"
        )
    view_args = cast("Mapping[str, object] | None", request.view_args)
    return protect(requirements, view_args or {})
