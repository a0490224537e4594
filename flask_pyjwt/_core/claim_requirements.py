"""What a protected view requires of a token's claims, resolved when decorating.

:class:`FromRoute` and :class:`Exact` say whether a string is a route variable or a
literal; :func:`collect_claims` and :func:`bind_claims` turn ``require_token``'s claim
arguments into literal requirements and route bindings, refusing requirements that mean
nothing (an empty list or mapping) or two things (a plain string on a view taking
``**kwargs``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeAlias, TypeVar, Union, cast

from typing_extensions import ParamSpec

from .errors import MisspeltOptionWarning
from .hints import closest_name, warn_at_caller
from .strict_json import FrozenJSONObject, JSONInput, JSONValue, freeze, freeze_object

P = ParamSpec("P")
R = TypeVar("R")


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


def view_name(view: object) -> str:
    # A MethodView's as_view function has a qualname "View.as_view.<locals>.view" but the
    # endpoint as its __name__ (set before the class's decorators are applied).
    qualname = cast("object", getattr(view, "__qualname__", None))
    name = cast("object", getattr(view, "__name__", None))
    if isinstance(qualname, str) and "<locals>" not in qualname:
        return qualname
    return name if isinstance(name, str) else repr(view)


def bind_claims(
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
                    f"require_token({claim}=FromRoute({value.name!r})) on {view_name(view)}: the "
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
                f"require_token({claim}={value!r}) on {view_name(view)}: the view takes "
                f"**kwargs, so {value!r} could be a route variable or a literal; say which "
                f"with {claim}=FromRoute({value!r}) or {claim}=Exact({value!r})"
            )
        else:
            literal[claim] = value
    return freeze_object(literal, path="require_token claims"), tuple(route)


def bind_claims_outside_a_view(
    claims: Mapping[str, ClaimRequirement], entry: str
) -> tuple[FrozenJSONObject, tuple[tuple[str, str], ...]]:
    """Like :func:`bind_claims`, for a check that serves any route (``verify_request``
    in a ``before_request`` handler): no view says what a plain string means there, so
    a string must say it with :class:`FromRoute` or :class:`Exact`."""
    literal: dict[str, JSONInput] = {}
    route: list[tuple[str, str]] = []
    for claim, value in claims.items():
        if isinstance(value, FromRoute):
            route.append((claim, value.name))
        elif isinstance(value, Exact):
            literal[claim] = value.value
        elif isinstance(value, str):
            raise ValueError(
                f"{entry}({claim}={value!r}): outside a view's decorator, {value!r} could be "
                f"a route variable or a literal; say which with {claim}=FromRoute({value!r}) "
                f"or {claim}=Exact({value!r})"
            )
        else:
            literal[claim] = value
    return freeze_object(literal, path=f"{entry} claims"), tuple(route)


def names_a_scope(scope: JSONValue) -> bool:
    # An empty string, list or mapping would let every token with a scope through.
    if isinstance(scope, str):
        return bool(scope.strip(" "))
    if isinstance(scope, (tuple, Mapping)):
        return len(scope) > 0
    return True


def refuse_empty(value: JSONValue, path: str) -> None:
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
            refuse_empty(item, f"{path}[{index}]")
    elif isinstance(value, Mapping):
        if not value:
            raise ValueError(
                f"{path} is an empty mapping, which any object satisfies; name at least one "
                "required key, or leave the requirement out"
            )
        for key, item in value.items():
            refuse_empty(item, f"{path}.{key}")


def warn_misspelt_options(
    keywords: Iterable[str], options: Iterable[str], entry: str = "require_token"
) -> None:
    """Warn (:class:`~flask_pyjwt.errors.MisspeltOptionWarning`, at the caller's line) about each
    claim keyword named like one of ``options``: ``scopes=`` would otherwise require a
    claim named "scopes" and refuse every token with 403. ``claims={...}`` never warns."""
    known = tuple(options)
    for name in keywords:
        meant = closest_name(name, known)
        if meant is not None:
            warn_at_caller(
                f"{entry}({name}=...) requires a claim named {name!r}; did you mean "
                f"{meant}=? To require a claim of that name, write claims={{{name!r}: ...}}",
                MisspeltOptionWarning,
            )


def collect_claims(
    mapping: Mapping[str, ClaimRequirement] | None,
    keywords: Mapping[str, ClaimRequirement],
    options: Iterable[str] = (),
) -> dict[str, ClaimRequirement]:
    """Every claim requirement, from ``claims=`` and the keywords; warns about keywords
    named like one of ``options`` (see :func:`warn_misspelt_options`).

    Raises:
        TypeError: ``mapping`` is no mapping, or a claim name is no string.
        ValueError: a claim given twice, or a requirement that requires nothing.
    """
    warn_misspelt_options(keywords, options)
    given = cast("object", mapping)  # checked at runtime too: not every caller type-checks
    if given is not None and not isinstance(given, Mapping):
        raise TypeError(
            f"claims must be a mapping of claim names to requirements, got {type(given).__name__}"
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
            refuse_empty(value.value, name)
        elif not isinstance(value, FromRoute):
            refuse_empty(freeze(value, path=name), name)
    return collected
