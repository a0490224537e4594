"""Authorization matching: does a token's claim satisfy what a route requires? No Flask here.

The rules, applied recursively (``required`` on the left, the token's value on the right):

======================  ===================================================================
required is ...         the token's value satisfies it when ...
======================  ===================================================================
a mapping               it is a mapping holding **every** required key, each satisfied
a list / tuple          it is an array and every required item satisfies some element
a string, number, bool  it is equal **and** of the same JSON type (``true`` is not ``1``,
or null                 ``"1"`` is not ``1``, ``"AUTH"`` is not ``"auth"``; ``1`` = ``1.0``)
======================  ===================================================================

The ``scope`` claim adds one rule (:func:`scope_satisfies`): a space-separated OAuth scope
string, or an array of strings, is a *set* of scopes; a required string or list of strings
is satisfied when all of its scopes are in that set. A token's scope array that holds
anything but strings is no such set (it satisfies no string requirement); a required list
that holds anything but strings follows the general rules above.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, cast

from .strict_json import JSONValue

MISSING: Final = object()
"""Marks a claim the token does not have (distinct from a JSON ``null``)."""


def _same_scalar(required: JSONValue, actual: object) -> bool:
    if required is None or isinstance(required, (bool, str)):
        return type(actual) is type(required) and actual == required
    # A JSON number: int and float are one JSON type, bool is not a number.
    return isinstance(actual, (int, float)) and not isinstance(actual, bool) and actual == required


def satisfies(actual: object, required: JSONValue) -> bool:
    """Whether the token's ``actual`` value meets ``required`` (see the module rules)."""
    if isinstance(required, Mapping):
        if not isinstance(actual, Mapping):
            return False
        held: Mapping[object, object] = actual  # pyright: ignore[reportUnknownVariableType]
        return all(satisfies(held.get(key, MISSING), value) for key, value in required.items())
    if isinstance(required, tuple):
        if not isinstance(actual, tuple):
            return False
        elements: tuple[object, ...] = actual  # pyright: ignore[reportUnknownVariableType]
        return all(any(satisfies(item, wanted) for item in elements) for wanted in required)
    return _same_scalar(required, actual)


def _scope_set(value: object) -> frozenset[str] | None:
    if isinstance(value, str):
        return frozenset(value.split(" ")) - {""}
    if isinstance(value, tuple):
        items: tuple[object, ...] = value  # pyright: ignore[reportUnknownVariableType]
        # Check the kinds before hashing: an array may hold objects, which are unhashable.
        if all(isinstance(item, str) for item in items):
            return frozenset(cast("tuple[str, ...]", items))
        return None
    return None


def scope_satisfies(actual: object, required: JSONValue) -> bool:
    """Whether the token's ``scope`` claim meets ``required``.

    String and string-array scopes compare as sets of OAuth scope tokens; anything else
    follows :func:`satisfies`.
    """
    if isinstance(required, str) or (
        isinstance(required, tuple) and _scope_set(required) is not None
    ):
        wanted = _scope_set(required)
        held = _scope_set(actual)
        if wanted is not None and held is not None:
            return wanted <= held
        return False
    return satisfies(actual, required)
