"""Typed custom claims: declare the shape of your claims once, as a frozen dataclass.

::

    @dataclass(frozen=True)
    class TenantClaims:
        tenant: str
        roles: tuple[str, ...] = ()

    auth_manager.auth_token("alice", claims=dump_claims(TenantClaims("acme", ("admin",))))

    @require_token(claims_as=TenantClaims)  # 401 unless the token's claims fit the shape
    def view() -> ...:
        claims = current_token.claims_as(TenantClaims)  # a TenantClaims, typed

A shape is compiled once (at decoration, or on first use) into a converter that checks
every declared claim exactly, with the library's JSON rules (``true`` is not ``1``, a
number is not a string), and builds the dataclass. No Flask here.

Supported field types: ``str``, ``int``, ``float``, ``bool``, ``None``, ``Literal[...]``
of those, unions of supported types (``str | None``), ``tuple[X, ...]`` and fixed
``tuple[X, Y]``, ``Mapping[str, X]`` (read-only), and nested frozen dataclasses.
A field with a default may be absent from the token. Claims the shape does not name are
ignored (every token also carries the registered claims).
"""

from __future__ import annotations

import dataclasses
import inspect
import types
import typing
from collections.abc import Callable, Mapping
from typing import ClassVar, Final, Literal, Protocol, TypeVar, Union, cast

from .errors import ClaimsShapeError
from .strict_json import JSONValue

__all__ = [
    "ClaimsDataclass",
    "check_claims_shape",
    "dump_claims",
    "load_claims",
]


class ClaimsDataclass(Protocol):
    """Any dataclass instance; a claims shape is a frozen dataclass class.

    Annotate a parameter ``type[C]`` with ``C = TypeVar("C", bound=ClaimsDataclass)`` to
    accept a shape and return its instances.
    """

    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[object]]]


C = TypeVar("C", bound=ClaimsDataclass)


class _Mismatch(Exception):
    """Internal: a value does not fit; carries the path and the expectation."""

    def __init__(self, path: str, expected: str) -> None:
        super().__init__(path, expected)
        self.path = path
        self.expected = expected


_Convert = Callable[[object, str], object]
"""Checks one JSON value at a path and returns its typed form, or raises _Mismatch."""

_NONE_TYPE: Final = type(None)

_SCALARS: Final[tuple[tuple[type[object], str], ...]] = (
    (str, "a string"),
    (int, "an integer"),
    (float, "a number"),
    (bool, "a boolean"),
    (_NONE_TYPE, "null"),
)


def _scalar(kind: type[object], expected: str) -> _Convert:
    def convert(value: object, path: str) -> object:
        if kind is float:
            if isinstance(value, float):
                return value
            if isinstance(value, int) and not isinstance(value, bool):
                # A JSON integer is exact in Python; one beyond the float range
                # (|n| > ~1.8e308) has no float value.
                try:
                    return float(value)
                except OverflowError:
                    raise _Mismatch(path, expected) from None
        elif type(value) is kind:
            return value
        raise _Mismatch(path, expected)

    return convert


def _literal(options: tuple[object, ...]) -> _Convert:
    expected = "one of " + ", ".join(repr(option) for option in options)

    def convert(value: object, path: str) -> object:
        for option in options:
            if type(value) is type(option) and value == option:
                return value
        raise _Mismatch(path, expected)

    return convert


def _union(converters: tuple[_Convert, ...], expected: str) -> _Convert:
    def convert(value: object, path: str) -> object:
        deepest: _Mismatch | None = None
        for converter in converters:
            try:
                return converter(value, path)
            except _Mismatch as mismatch:
                if len(mismatch.path) > len(path) and deepest is None:
                    deepest = mismatch  # the alternative matched in kind, failed inside
        raise deepest or _Mismatch(path, expected)

    return convert


def _array(item: _Convert) -> _Convert:
    def convert(value: object, path: str) -> object:
        if not isinstance(value, tuple):
            raise _Mismatch(path, "an array")
        items = cast("tuple[object, ...]", value)
        return tuple(item(element, f"{path}[{index}]") for index, element in enumerate(items))

    return convert


def _fixed_array(items: tuple[_Convert, ...]) -> _Convert:
    def convert(value: object, path: str) -> object:
        if not isinstance(value, tuple):
            raise _Mismatch(path, f"an array of {len(items)} items")
        elements = cast("tuple[object, ...]", value)
        if len(elements) != len(items):
            raise _Mismatch(path, f"an array of {len(items)} items")
        return tuple(
            item(element, f"{path}[{index}]")
            for index, (item, element) in enumerate(zip(items, elements, strict=True))
        )

    return convert


def _mapping(item: _Convert) -> _Convert:
    def convert(value: object, path: str) -> object:
        if not isinstance(value, Mapping):
            raise _Mismatch(path, "an object")
        members = cast("Mapping[str, object]", value)
        # The keys are the token's text: a mismatch names the member "<path>.*", so no
        # token-supplied text reaches an error message (or a client).
        member_path = f"{path}.*"
        return types.MappingProxyType(
            {key: item(element, member_path) for key, element in members.items()}
        )

    return convert


def _describe(hint: object) -> str:
    if hint is _NONE_TYPE:
        return "null"
    name = cast("object", getattr(hint, "__name__", None))
    return name if isinstance(name, str) else repr(hint)


def _compile_hint(hint: object, where: str) -> _Convert:
    for kind, expected in _SCALARS:
        if hint is kind or (hint is None and kind is _NONE_TYPE):
            return _scalar(kind, expected)
    if dataclasses.is_dataclass(hint):
        return _nested(_compile_shape(cast("type[object]", hint)))
    origin = cast("object", typing.get_origin(hint))
    args = cast("tuple[object, ...]", typing.get_args(hint))
    if origin is Literal:
        if not all(type(arg) in (str, int, bool) for arg in args):
            raise TypeError(f"{where}: Literal claims may hold only str, int and bool values")
        return _literal(args)
    if origin is Union or origin is types.UnionType:
        converters = tuple(_compile_hint(arg, where) for arg in args)
        return _union(converters, " or ".join(_describe(arg) for arg in args))
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return _array(_compile_hint(args[0], where))
        if args and Ellipsis not in args:
            return _fixed_array(tuple(_compile_hint(arg, where) for arg in args))
    if origin is Mapping and len(args) == 2 and args[0] is str:
        return _mapping(_compile_hint(args[1], where))
    container = hint if origin is None else origin
    if container is list or container is dict or container is set:
        raise TypeError(
            f"{where} is a mutable {_describe(container)}; claims are read-only: use "
            "tuple[X, ...] for arrays and Mapping[str, X] for objects"
        )
    raise TypeError(
        f"{where} has type {_describe(hint)}, which is not a JSON claim type; use str, int, "
        "float, bool, None, Literal[...], unions of these, tuple[X, ...], Mapping[str, X] "
        "or a nested frozen dataclass"
    )


class _Constructor(Protocol):
    def __call__(self, **fields: object) -> object: ...


@dataclasses.dataclass(frozen=True, slots=True)
class _Shape:
    name: str
    build: _Constructor  # the dataclass itself
    fields: tuple[tuple[str, _Convert, bool], ...]  # (claim, converter, required)

    def load(self, claims: Mapping[str, object], prefix: str) -> object:
        values: dict[str, object] = {}
        for name, convert, required in self.fields:
            path = f"{prefix}{name}"
            if name not in claims:
                if required:
                    raise _Mismatch(path, "present")
                continue
            values[name] = convert(claims[name], path)
        try:
            return self.build(**values)
        except ValueError:
            # The shape's own checks (its __post_init__) refused these values: the claims
            # do not fit it, as a wrong type would not. The error's text may quote the
            # token, so it is not passed on.
            raise _Mismatch(prefix[:-1], f"accepted by {self.name}.__post_init__") from None


def _nested(shape: _Shape) -> _Convert:
    def convert(value: object, path: str) -> object:
        if not isinstance(value, Mapping):
            raise _Mismatch(path, f"an object ({shape.name})")
        return shape.load(cast("Mapping[str, object]", value), f"{path}.")

    return convert


_COMPILED: dict[type[object], _Shape] = {}


def _compile_shape(shape: type[object]) -> _Shape:
    compiled = _COMPILED.get(shape)
    if compiled is not None:
        return compiled
    name = shape.__qualname__
    params = cast("object", getattr(shape, "__dataclass_params__", None))
    frozen = cast("object", getattr(params, "frozen", False))
    if not dataclasses.is_dataclass(shape) or frozen is not True:
        raise TypeError(
            f"{name} is not a frozen dataclass; declare claims with @dataclass(frozen=True)"
        )
    # An InitVar is a constructor argument but not a field: no claim could fill it, so
    # building the shape would fail on every token. Found as an __init__ parameter that
    # is no init field (Python 3.10's get_type_hints cannot even evaluate InitVar[...]
    # under postponed annotations, so this is checked before it runs).
    all_fields = cast("tuple[dataclasses.Field[object], ...]", dataclasses.fields(shape))
    init_fields = {field.name for field in all_fields if field.init}
    for field_name in inspect.signature(shape).parameters:
        if field_name not in init_fields:
            raise TypeError(
                f"{name}.{field_name} is an InitVar: every constructor argument of a claims "
                "shape must be a claim; make it a field, or compute it in a property"
            )
    hints = cast("dict[str, object]", typing.get_type_hints(shape))
    fields: list[tuple[str, _Convert, bool]] = []
    for field in all_fields:
        if not field.init:
            continue
        required = (
            field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
        )
        convert = _compile_hint(hints[field.name], f"{name}.{field.name}")
        fields.append((field.name, convert, required))
    compiled = _Shape(name, cast("_Constructor", shape), tuple(fields))
    _COMPILED[shape] = compiled
    return compiled


def check_claims_shape(shape: type[ClaimsDataclass]) -> None:
    """Check that ``shape`` can describe claims (done by ``require_token(claims_as=...)``).

    Raises:
        TypeError: ``shape`` is not a frozen dataclass, or a field type is not a JSON
            claim type (a ``list`` field, a ``datetime``, ...), named in the message.
    """
    _compile_shape(shape)


def load_claims(shape: type[C], claims: Mapping[str, JSONValue]) -> C:
    """Check ``claims`` (a token's ``claims``) against ``shape`` and return them as an
    instance of it.

    Raises:
        ClaimsShapeError: a declared claim is missing or has the wrong JSON type, or the
            shape's ``__post_init__`` (or a nested shape's) raised :class:`ValueError`
            (its message is not kept: it may quote the token; ``claim`` is ``"*"`` for
            the top-level shape).
        TypeError: ``shape`` is not a frozen dataclass of JSON claim types.
    """
    compiled = _compile_shape(shape)
    try:
        value = compiled.load(claims, "")
    except _Mismatch as mismatch:
        # An empty path: the shape's own checks refused the claims as a whole.
        what = f"{mismatch.path} claim" if mismatch.path else "claims"
        raise ClaimsShapeError(
            mismatch.path or "*",
            f"The token's {what} must be {mismatch.expected} (claims shape {compiled.name}).",
            shape=compiled.name,
        ) from None
    if not isinstance(value, shape):  # pragma: no cover - _Shape.build is shape itself
        raise TypeError(f"{compiled.name} did not build an instance of itself")
    return value


def _dump(value: object) -> JSONValue:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, tuple):
        return tuple(_dump(item) for item in cast("tuple[object, ...]", value))
    if isinstance(value, Mapping):
        members = cast("Mapping[str, object]", value)
        return {key: _dump(item) for key, item in members.items()}
    if dataclasses.is_dataclass(value):
        return dump_claims(cast("ClaimsDataclass", value))
    raise TypeError(f"{_describe(type(value))} is not a JSON claim value")


def dump_claims(value: ClaimsDataclass) -> dict[str, JSONValue]:
    """The claims of ``value`` (an instance of a claims shape) as a JSON object, ready for
    ``auth_manager.auth_token(sub, claims=dump_claims(value))``.

    Raises:
        TypeError: ``value``'s class is not a valid claims shape.
    """
    compiled = _compile_shape(type(value))
    return {name: _dump(_field(value, name)) for name, _, _ in compiled.fields}


def _field(value: ClaimsDataclass, name: str) -> object:
    # getattr is typed Any; the field's value is checked by _dump.
    return cast("object", getattr(value, name))
