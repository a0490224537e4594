"""What a protected route requires of a request's token, declared once and checked once.

:class:`RequireOptions` declares ``require_token``'s options and their types, once;
:func:`build_requirements` checks every argument (when the decorator is built, or on each
``verify_request`` call) and resolves them into one frozen :class:`Requirements`, which
is bound to the view's route variables when the decorator is applied. :func:`authorize`
is the pure part of a request's check: whether a verified token holds what the route
requires (override, scope, literal claims, route variables).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal, TypeAlias, TypeVar, Union, cast

from typing_extensions import ParamSpec, TypedDict, Unpack

from .claim_requirements import (
    ClaimRequirement,
    bind_claims,
    bind_claims_outside_a_view,
    collect_claims,
    names_a_scope,
    refuse_empty,
)
from .dpop import DPOP_MODES, DPoPMode
from .locations import Location, is_http_token, parse_location
from .matching import MISSING, satisfies, scope_satisfies
from .strict_json import FrozenJSONObject, JSONInput, JSONValue, freeze, freeze_object
from .tokens import AUTH, AuthToken, Token, TokenType, parse_token_types
from .typed_claims import ClaimsDataclass, check_claims_shape

P = ParamSpec("P")
R = TypeVar("R")

Locations: TypeAlias = Union[Location, Sequence[Location], None]
"""``location``: one place a token is read from, several tried in order, or ``None`` (the
app's ``JWT_TOKEN_LOCATION``)."""


class RequireOptions(TypedDict, total=False, closed=True):
    """``require_token``'s and ``verify_request``'s keyword options, declared once.

    ``token_type``, ``location`` and ``optional`` are not here: the first two may be
    passed by position (as in 1.x), and the return type of ``verify_request`` depends on
    the first and the last. Both functions list these options as keyword parameters of
    the same types and defaults (a test holds them equal), beside ``**claims``: a
    ``TypedDict`` can share a signature with those only through PEP 728's
    ``extra_items``, which mypy does not support yet.

    An app's own decorator takes ``**options: Unpack[RequireOptions]`` and passes them
    on (``require_token("auth", **options)``). ``closed=True`` (PEP 728) is what lets
    pyright accept that: an open ``TypedDict`` might hold more keys, which would land in
    ``**claims``.
    """

    cookie_name: str | None
    fresh: bool
    scope: JSONInput
    override: Mapping[str, JSONInput] | None
    claims_as: type[ClaimsDataclass] | None
    check_revocation: bool
    claims: Mapping[str, ClaimRequirement] | None
    providers: Sequence[str] | None
    dpop: DPoPMode | None


OPTION_NAMES: Final[tuple[str, ...]] = (
    "token_type",
    "location",
    "optional",
    *RequireOptions.__annotations__,
)
"""Every option's name: a claim keyword named like one of them warns (misspelt)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Requirements:
    """Everything a protected route requires, checked and resolved once.

    Built by :func:`build_requirements`; the claim requirements are then bound with
    :meth:`bound_to` (a decorated view) or :meth:`bound_outside_a_view`
    (``verify_request``), which move ``claims`` into ``literal_claims`` and
    ``route_claims``. The defaults of the option fields are ``require_token``'s.
    """

    kind: TokenType | None = AUTH  # None: either kind (token_type=("auth", "refresh"))
    locations: tuple[Location, ...] | None = None  # None: the app's JWT_TOKEN_LOCATION
    optional: bool = False
    cookie_name: str | None = None  # None: the app's cookie for the kind
    fresh: bool = False
    scope: JSONValue = None  # None: no scope required
    override: FrozenJSONObject | None = None
    claims_as: type[ClaimsDataclass] | None = None
    check_revocation: bool = True
    claims: Mapping[str, ClaimRequirement] | None = None  # until bound
    providers: frozenset[str] | None = None  # None: every configured source
    dpop: DPoPMode | None = None  # None: the app's JWT_DPOP
    literal_claims: FrozenJSONObject = field(default_factory=lambda: freeze_object({}))
    route_claims: tuple[tuple[str, str], ...] = ()
    requires_claims: bool = field(init=False)

    def __post_init__(self) -> None:
        # Whether authorize has anything to check (most routes only need a valid token).
        requires = (
            self.override is not None
            or self.scope is not None
            or bool(self.claims)
            or bool(self.literal_claims)
            or bool(self.route_claims)
        )
        object.__setattr__(self, "requires_claims", requires)

    def bound_to(self, view: Callable[P, R]) -> Requirements:
        """These requirements with their claims bound to ``view``'s route variables (a
        plain string naming one of its parameters is that route variable)."""
        literal, route = bind_claims(self.claims or {}, view)
        return dataclasses.replace(self, claims=None, literal_claims=literal, route_claims=route)

    def bound_outside_a_view(self, entry: str) -> Requirements:
        """These requirements with their claims bound for a check that serves any route:
        a string must say whether it is a route variable or a literal."""
        literal, route = bind_claims_outside_a_view(self.claims or {}, entry)
        return dataclasses.replace(self, claims=None, literal_claims=literal, route_claims=route)


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


def _providers(value: object) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise TypeError(
            f"providers must be a sequence of source names (providers=('corp',)), got {value!r}"
        )
    names = tuple(cast("Sequence[object]", value))
    if not names:
        raise ValueError("providers is empty; name at least one source (or leave it out)")
    for name in names:
        if not isinstance(name, str) or not is_http_token(name):
            raise ValueError(f"providers must hold source names, got {name!r}")
    return frozenset(cast("tuple[str, ...]", names))


def _flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__}")
    return value


def _scope(scope: JSONInput, kind: TokenType | None) -> JSONValue:
    if scope is not None and kind is not AUTH:
        raise ValueError(
            "refresh tokens carry no scope, so require_token('refresh', scope=...) could "
            "never pass; check the scope where the auth token is used"
        )
    frozen = freeze(scope, path="scope")
    if scope is not None and not names_a_scope(frozen):
        raise ValueError(
            f"scope={scope!r} requires nothing; name at least one scope (or leave it out)"
        )
    refuse_empty(frozen, "scope")
    return frozen


_NO_CLAIMS: Final[Mapping[str, ClaimRequirement]] = freeze_object({})


def build_requirements(
    token_type: object = "auth",
    location: object = None,
    *,
    optional: object = False,
    claim_keywords: Mapping[str, ClaimRequirement] = _NO_CLAIMS,
    **options: Unpack[RequireOptions],
) -> Requirements:
    """Check ``require_token``'s arguments and resolve them into :class:`Requirements`.

    Every value is checked at run time as well as by the types, for untyped callers:
    ``token_type``, ``location`` and ``optional`` are read as ``object`` for that reason.
    ``claim_keywords`` are the ``**claims`` keywords: one named like an option warns
    (:class:`~flask_pyjwt.errors.MisspeltOptionWarning`, at the caller's line).

    Raises:
        ValueError: as listed under ``require_token``.
        TypeError: as listed under ``require_token``.
    """
    # The order of the checks is the order in which a caller meets the errors.
    kind = parse_token_types(token_type)
    cookie_name = options.get("cookie_name")
    locations = _locations(location, cookie_name)
    optional = _flag(optional, "optional")
    fresh = _flag(options.get("fresh", False), "fresh")
    if fresh and kind is not AUTH:
        raise ValueError(
            "refresh tokens are never fresh, so require_token('refresh', fresh=True) could "
            "never pass; require a fresh auth token where it matters"
        )
    given_override = options.get("override")
    if given_override is not None and not given_override:
        raise ValueError("override must name at least one claim")
    scope = _scope(options.get("scope"), kind)
    override = None
    if given_override is not None:
        override = freeze_object(given_override, path="override")
        refuse_empty(override, "override")
    claims_as = options.get("claims_as")
    if claims_as is not None:
        check_claims_shape(claims_as)
    check_revocation = _flag(options.get("check_revocation", True), "check_revocation")
    claims = collect_claims(options.get("claims"), claim_keywords, OPTION_NAMES)
    providers = _providers(options.get("providers"))
    dpop = options.get("dpop")
    if dpop is not None and dpop not in DPOP_MODES:
        raise ValueError(f"dpop must be 'allowed', 'required' or 'disabled', got {dpop!r}")
    return Requirements(
        kind=kind,
        locations=locations,
        optional=optional,
        cookie_name=cookie_name,
        fresh=fresh,
        scope=scope,
        override=override,
        claims_as=claims_as,
        check_revocation=check_revocation,
        claims=claims or None,
        providers=providers,
        dpop=dpop,
    )


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a verified token may not pass: a 403 with this code and message."""

    code: Literal["insufficient_scope", "claim_mismatch"]
    message: str


_NO_SCOPE: Final = Refusal("insufficient_scope", "The token lacks a required scope.")
_NO_CLAIM: Final = Refusal("claim_mismatch", "The token lacks a required claim.")
_NOT_THIS_RESOURCE: Final = Refusal("claim_mismatch", "The token does not match this resource.")


def _route_value(value: object) -> JSONValue:
    # Flask converters yield str, int, float, UUID or path strings; compare non-JSON ones
    # (UUID) by their string form, which is how they appear in a token.
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def authorize(
    requirements: Requirements, token: Token, view_args: Mapping[str, object]
) -> Refusal | None:
    """Whether ``token`` (verified) holds what ``requirements`` (bound) ask of it:
    ``None`` if so, else why not. ``override`` claims, when all held, waive the scope
    and claim checks.

    Raises:
        RuntimeError: the requirements' claims were never bound (a library bug: this
            fails closed rather than skip them).
    """
    if requirements.claims:
        raise RuntimeError("claim requirements must be bound before a request is checked")
    claims = token.claims
    if requirements.override is not None and satisfies(claims, requirements.override):
        return None
    if requirements.scope is not None:
        held = token.scope if isinstance(token, AuthToken) else MISSING
        if not scope_satisfies(held, requirements.scope):
            return _NO_SCOPE
    if requirements.literal_claims and not satisfies(claims, requirements.literal_claims):
        return _NO_CLAIM
    for claim, variable in requirements.route_claims:
        if variable not in view_args or not satisfies(
            claims.get(claim, MISSING), _route_value(view_args[variable])
        ):
            return _NOT_THIS_RESOURCE
    return None
