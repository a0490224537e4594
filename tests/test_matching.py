"""The claim matching rules, one by one (flask_pyjwt._core.matching's docstring table)."""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Callable

import pytest

from flask_pyjwt._core.matching import MISSING, satisfies, scope_satisfies
from flask_pyjwt._core.strict_json import freeze, freeze_object
from flask_pyjwt.typing import FrozenJSONObject, JSONValue


def frozen(value: object) -> JSONValue:
    return freeze(value)


@pytest.mark.parametrize(
    ("actual", "required", "expected"),
    [
        ({"a": 1, "b": 2}, {"a": 1, "b": 2}, True),
        ({"a": 1, "b": 3}, {"a": 1, "b": 2}, False),  # every key, not the first only
        ({"a": {"x": 1}, "b": 2}, {"a": {"x": 1}, "b": 3}, False),  # the original's bypass
        ({"a": {"x": 1, "y": 2}}, {"a": {"x": 1}}, True),  # nested mappings by inclusion
        ({"a": {"x": 1}}, {"a": {"x": 1, "y": 2}}, False),
        ({"a": 1}, {"a": 1, "b": None}, False),  # missing is not null
        ({"a": 1, "b": None}, {"b": None}, True),
        ("x", {"a": 1}, False),
        (True, 1, False),  # true is not 1
        (1, True, False),
        ("1", 1, False),  # "1" is not 1
        (1, "1", False),
        (1.0, 1, True),  # one JSON number type
        ("AUTH", "auth", False),  # case matters
        (None, None, True),
        (MISSING, None, False),
        (["a", "b", "c"], ["c", "a"], True),  # lists by inclusion
        (["a"], ["a", "b"], False),
        ("a b", ["a"], False),  # strings are not lists (outside scope)
        ([{"id": 1, "n": "x"}, {"id": 2}], [{"id": 1}], True),
        ([[1, 2]], [[1]], True),
        ({"a": [1, True]}, {"a": [True]}, True),
        ({"a": [1]}, {"a": [True]}, False),
    ],
)
def test_satisfies(actual: object, required: object, expected: bool) -> None:
    held = actual if actual is MISSING else frozen(actual)
    assert satisfies(held, frozen(required)) is expected


@pytest.mark.parametrize(
    ("held", "required", "expected"),
    [
        ("read write", "read", True),
        ("read write", "write read", True),
        ("read", "read write", False),
        ("read  write", ["write"], True),
        (["read", "write"], "write", True),
        (["read", 1], "read", False),
        ({"read": True}, "read", False),
        ({"admin": True}, {"admin": True}, True),
        ("admin", {"admin": True}, False),
        (None, "read", False),
        ("READ", "read", False),
    ],
)
def test_scope_satisfies(held: object, required: object, expected: bool) -> None:
    assert scope_satisfies(frozen(held), frozen(required)) is expected


def test_frozen_objects_are_read_only_and_still_json() -> None:
    obj = freeze_object({"a": [1, {"b": 2}]})
    assert isinstance(obj, FrozenJSONObject)
    assert obj == {"a": (1, {"b": 2})}
    mutations: tuple[Callable[[], object], ...] = (
        lambda: obj.__setitem__("a", 1),
        lambda: obj.__delitem__("a"),
        obj.clear,
        lambda: obj.pop("a"),
        obj.popitem,
        lambda: obj.setdefault("c", 1),
        lambda: obj.update(c=1),
    )
    for mutate in mutations:
        with pytest.raises(TypeError, match="read-only"):
            mutate()
    assert json.loads(json.dumps(obj)) == {"a": [1, {"b": 2}]}
    assert pickle.loads(pickle.dumps(obj)) == obj  # noqa: S301  (our own bytes)
    assert copy.deepcopy(obj) == obj
    assert repr(obj) == "{'a': (1, {'b': 2})}"  # reads like the JSON it holds
    assert dict(obj) == {"a": (1, {"b": 2})}
