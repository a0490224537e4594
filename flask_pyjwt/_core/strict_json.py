"""JSON value types and the one place where untyped JSON becomes typed, read-only data.

Claims leave this module as :data:`JSONValue`: objects are :class:`FrozenJSONObject`
(a read-only ``dict`` subclass, so Flask's JSON provider serialises it as is) and arrays
are tuples. Nothing downstream ever sees ``Any`` or a mutable container.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Final, NoReturn, TypeAlias, Union, cast

JSONScalar: TypeAlias = Union[bool, int, float, str, None]
"""A JSON ``null``, boolean, number or string."""

JSONValue: TypeAlias = Union[JSONScalar, "JSONArray", "JSONObject"]
"""Any JSON value as this library hands it out: read-only all the way down."""

JSONArray: TypeAlias = tuple[JSONValue, ...]
"""A JSON array, as an immutable tuple."""

JSONObject: TypeAlias = Mapping[str, JSONValue]
"""A JSON object, as a read-only mapping (at runtime a :class:`FrozenJSONObject`)."""

JSONInput: TypeAlias = Union[JSONScalar, Sequence["JSONInput"], Mapping[str, "JSONInput"]]
"""What callers may pass in as a claim value: lists, tuples and dicts of JSON values."""


_READ_ONLY: Final = "token claims are read-only; copy them with dict(...) to change them"

MAX_NESTING_DEPTH: Final = 32
"""The deepest JSON nesting a token's header or claims may have (the top object is 1).

Checked by the parser before it descends (a deeper text is refused without recursing)
and when claims are issued, so the library never issues a token it would refuse.
Real tokens nest a few levels; 32 leaves room for any claim layout an app uses."""


class FrozenJSONObject(dict[str, JSONValue]):
    """A JSON object that cannot be changed after it is built.

    It subclasses ``dict`` so that :func:`json.dumps` and Flask's JSON provider handle it
    natively (a view may return ``current_token.claims`` directly), while every mutating
    method raises :class:`TypeError`. The public type is :data:`JSONObject`
    (a ``Mapping``), so type checkers reject mutation before it runs.
    """

    __slots__ = ()

    # Every mutating dict method raises. The public type is a Mapping, so checkers refuse
    # these calls anyway; this guards untyped code. Each is a def with dict's parameters
    # (widened to object) so that its type is declared, not inferred (type completeness).

    def __setitem__(self, key: str, value: JSONValue, /) -> NoReturn:
        """Raises :class:`TypeError`: the object is read-only."""
        raise TypeError(_READ_ONLY)

    def __delitem__(self, key: str, /) -> NoReturn:
        """Raises :class:`TypeError`: the object is read-only."""
        raise TypeError(_READ_ONLY)

    if not TYPE_CHECKING:
        # Checkers keep dict's typed ``|=`` (a NoReturn override conflicts with ``|`` for
        # mypy); at runtime it raises like the others.
        def __ior__(self, value: object, /) -> NoReturn:
            raise TypeError(_READ_ONLY)

    def clear(self) -> NoReturn:
        """Raises :class:`TypeError`: the object is read-only."""
        raise TypeError(_READ_ONLY)

    def pop(self, key: object, default: object = None, /) -> NoReturn:
        """Raises :class:`TypeError`: the object is read-only."""
        raise TypeError(_READ_ONLY)

    def popitem(self) -> NoReturn:
        """Raises :class:`TypeError`: the object is read-only."""
        raise TypeError(_READ_ONLY)

    def setdefault(self, key: object, default: object = None, /) -> NoReturn:
        """Raises :class:`TypeError`: the object is read-only."""
        raise TypeError(_READ_ONLY)

    def update(self, *args: object, **kwargs: object) -> NoReturn:
        """Raises :class:`TypeError`: the object is read-only."""
        raise TypeError(_READ_ONLY)

    def __reduce__(self) -> tuple[type[FrozenJSONObject], tuple[dict[str, JSONValue]]]:
        return (FrozenJSONObject, (dict(self),))


EMPTY_OBJECT: FrozenJSONObject = FrozenJSONObject()


# In a Python str every surrogate code point is a lone one (pairs are joined on decode).
_LONE_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def freeze(value: object, *, path: str = "value", level: int = 1) -> JSONValue:
    """Check that ``value`` is JSON and return a read-only copy of it.

    Args:
        value: the value to check.
        path: how error messages name it.
        level: the nesting level ``value`` will sit at in a token (1 for the top-level
            object, 2 for a claim's value), so the depth limit counts as the parser will.

    Raises:
        TypeError: if anything inside is not a JSON value (with the path to it), if an
            object key is not a string, if a number is not finite, if a string holds a
            lone surrogate, or if it nests deeper than :data:`MAX_NESTING_DEPTH`.
    """
    try:
        return _freeze(value, level)
    except _NotJSON as error:
        raise TypeError(f"{path}{''.join(reversed(error.steps))} {error.problem}") from None


class _NotJSON(Exception):
    """Internal: what is wrong, and the steps (``['k']``, ``[0]``) back up to the root.

    The path is only spelled out when something is wrong, so freezing valid claims does
    not format a path string for every member.
    """

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.steps: list[str] = []


def _too_deep() -> _NotJSON:
    return _NotJSON(
        f"is nested more than {MAX_NESTING_DEPTH} levels deep, deeper than a token may be"
    )


def _freeze(value: object, depth: int) -> JSONValue:
    if isinstance(value, str):
        # An ASCII string has no surrogate: the regex only runs on the others.
        if not value.isascii() and _LONE_SURROGATE.search(value) is not None:
            raise _NotJSON("holds a lone UTF-16 surrogate, which UTF-8 JSON cannot carry")
        return value
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _NotJSON(f"is {value!r}, which JSON cannot represent")
        return value
    # A dict or a frozen object by its exact type, then any other Mapping.
    if type(value) is dict or type(value) is FrozenJSONObject or isinstance(value, Mapping):
        if depth > MAX_NESTING_DEPTH:
            raise _too_deep()
        mapping = cast("Mapping[object, object]", value)
        items: list[tuple[str, JSONValue]] = []
        for key, item in mapping.items():
            if not isinstance(key, str):
                raise _NotJSON(f"has a key of type {type(key).__name__}; JSON keys are strings")
            if not key.isascii():
                try:
                    _freeze(key, depth)
                except _NotJSON as error:
                    error.steps.append(" key")
                    raise
            try:
                items.append((key, _freeze(item, depth + 1)))
            except _NotJSON as error:
                error.steps.append(f"[{key!r}]")
                raise
        return FrozenJSONObject(items)
    if isinstance(value, (list, tuple)):
        if depth > MAX_NESTING_DEPTH:
            raise _too_deep()
        frozen: list[JSONValue] = []
        for index, item in enumerate(cast("Sequence[object]", value)):
            try:
                frozen.append(_freeze(item, depth + 1))
            except _NotJSON as error:
                error.steps.append(f"[{index}]")
                raise
        return tuple(frozen)
    raise _NotJSON(
        f"is of type {type(value).__name__}, which is not a JSON value "
        "(use str, int, float, bool, None, list, tuple or dict)"
    )


def freeze_object(value: Mapping[str, object], *, path: str = "claims") -> FrozenJSONObject:
    """Like :func:`freeze`, for a mapping that must stay a JSON object."""
    frozen = freeze(value, path=path)
    assert isinstance(frozen, FrozenJSONObject)
    return frozen


class JSONDecodeError(ValueError):
    """The bytes are not one strict JSON object (bad UTF-8, duplicate keys, NaN, ...)."""


def _arrays_to_tuples(value: object) -> JSONValue:
    # Objects were already frozen by the pairs hook (it runs innermost first), so only
    # lists remain to be turned into tuples.
    if isinstance(value, list):
        items: list[object] = value  # pyright: ignore[reportUnknownVariableType]
        return tuple(_arrays_to_tuples(item) for item in items)
    return value  # type: ignore[return-value]  # json.loads yields only JSON values here


# isinstance(value, list), as a callable for map().
_IS_LIST: Final = cast("Callable[[object], bool]", list.__instancecheck__)


def _object_from_pairs(pairs: list[tuple[str, JSONValue]]) -> FrozenJSONObject:
    obj = FrozenJSONObject(pairs)
    if len(obj) != len(pairs):
        raise JSONDecodeError("duplicate member name in JSON object")
    return obj


def _object_with_arrays(pairs: list[tuple[str, JSONValue]]) -> FrozenJSONObject:
    # The parser hands arrays over as lists, whatever the annotation says: an object
    # with an array member is rebuilt with tuples.
    obj = FrozenJSONObject(pairs)
    if len(obj) != len(pairs):
        raise JSONDecodeError("duplicate member name in JSON object")
    if any(map(_IS_LIST, obj.values())):
        obj = FrozenJSONObject((key, _arrays_to_tuples(value)) for key, value in pairs)
    return obj


def _reject_constant(name: str) -> NoReturn:
    raise JSONDecodeError(f"{name} is not valid JSON")


# A JSON escape of a UTF-16 surrogate (\uD800-\uDFFF). Python's parser joins valid pairs
# into one code point and keeps lone ones as unencodable surrogates; I-JSON (RFC 7493 2.1)
# forbids those, so only texts holding such an escape pay for the precise check.
_SURROGATE_ESCAPE: Final = re.compile(r"\\u[dD][89a-fA-F]")


def _has_lone_surrogate(value: JSONValue) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _finite_float(text: str) -> float:
    # Only called for number literals with a fraction or exponent: "1e400" would be inf,
    # which no JSON encoder can write back (jsonify would emit "Infinity").
    value = float(text)
    if not math.isfinite(value):
        raise JSONDecodeError("a JSON number is too large to represent")
    return value


_Scan = Callable[[str, int], tuple[object, int]]


def _decoder(
    object_pairs_hook: Callable[[list[tuple[str, JSONValue]]], FrozenJSONObject],
) -> tuple[json.JSONDecoder, _Scan]:
    # Built once: json.loads with hooks would construct a new decoder on every call.
    decoder = json.JSONDecoder(
        object_pairs_hook=object_pairs_hook,
        parse_constant=_reject_constant,
        parse_float=_finite_float,
    )
    # The decoder's C scanner (an instance attribute, missing from the json type stubs).
    scan = cast("_Scan", getattr(decoder, "scan_once"))  # noqa: B009 - not in the stubs
    return decoder, scan


# A text without "[" holds no array, so its objects are not searched for one.
_WITHOUT_ARRAYS: Final = _decoder(_object_from_pairs)
_WITH_ARRAYS: Final = _decoder(_object_with_arrays)


# A JSON string token as the JSON grammar lexes one, removed before counting brackets
# (brackets inside strings are not structure). An unterminated string runs to the end:
# the parser stops there anyway, and the match never restarts at each later quote
# (which made a text of escaped quotes quadratic).
_STRING: Final = re.compile(r'"(?:[^"\\]|\\.)*(?:"|\Z)', re.DOTALL)
_NOT_BRACKETS: Final = re.compile(r"[^\[\]{}]+")


def _check_depth(text: str) -> None:
    """Refuse ``text`` if its arrays and objects nest deeper than MAX_NESTING_DEPTH,
    measured exactly, with strings removed first.

    Runs before the parser, which would otherwise recurse once per level; only for a
    text with more opening brackets than the limit (the count bounds the depth from
    above, so a usual token, with a handful, needs only that count).
    """
    depth = 0
    for bracket in _NOT_BRACKETS.sub("", _STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            if depth > MAX_NESTING_DEPTH:
                raise JSONDecodeError(f"JSON nested more than {MAX_NESTING_DEPTH} levels deep")
        else:
            depth -= 1


def loads_object(data: bytes) -> FrozenJSONObject:
    """Parse ``data`` as one UTF-8 JSON object, strictly.

    Rejects: invalid UTF-8 (no UTF-16/32 guessing), a byte-order mark, duplicate member
    names, ``NaN``/``Infinity`` and numbers too large for a float (``1e400``), lone
    surrogate escapes (``"\\ud800"``), anything but an object at the top, and nesting
    deeper than :data:`MAX_NESTING_DEPTH`.

    Raises:
        JSONDecodeError: for every one of those.
    """
    try:
        text = data.decode("utf-8")
        arrays = text.count("[")
        if arrays + text.count("{") > MAX_NESTING_DEPTH:
            _check_depth(text)
        decoder, scan = _WITH_ARRAYS if arrays else _WITHOUT_ARRAYS
        # A text that is one value with no surrounding whitespace (what JWT encoders
        # write) goes straight to the decoder's scanner; anything else, including every
        # error, takes the full decoder, which skips whitespace and raises as json.loads
        # (typed as returning Any: the value is narrowed with isinstance below).
        try:
            value, end = scan(text, 0)
        except StopIteration:  # nothing the scanner reads as a value here
            value, end = None, -1
        if end != len(text):
            value = cast("object", decoder.decode(text))
    except JSONDecodeError:
        raise
    except (UnicodeDecodeError, ValueError) as error:
        raise JSONDecodeError("not valid UTF-8 JSON") from error
    if not isinstance(value, FrozenJSONObject):
        raise JSONDecodeError("not a JSON object")
    # "\\u" in text is a plain substring scan; the regex runs only on texts with escapes.
    if "\\u" in text and _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(value):
        raise JSONDecodeError("a JSON string holds a lone UTF-16 surrogate")
    return value


def dumps_compact(value: Mapping[str, JSONValue]) -> bytes:
    """Serialise a JSON object compactly (no spaces), as UTF-8 bytes."""
    return ENCODER.encode(value).encode()


# Built once: json.dumps with non-default options would construct one on every call.
ENCODER: Final = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)
"""The one compact encoder: what :func:`dumps_compact` writes with."""
