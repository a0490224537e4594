"""The speed-ups this library keeps, in one place. No Flask here.

Each one replaces a plain piece of code that would do the same thing. Each is kept only
because removing it moved one of the benchmark targets (``docs/performance.rst``) by 5 %
or more; each has a ``make bench`` scenario that times it against the plain code
(``speedups/<name>/fast`` and ``/plain`` in ``benchmarks/worker.py``) and a test that
it gives exactly what the plain code gives (``tests/test_speedups.py``). The numbers
live on the performance page, not here.

* :func:`prepared_hmac`: HMAC keyed once instead of :func:`hmac.digest` per token
  (signing and verifying HS256/384/512).
* :func:`dict_builder`: token values built from one dict instead of through the frozen
  dataclass constructor (every token verified or issued).
* :func:`write_claims`: an issued token's claims written into a template instead of
  through ``json.JSONEncoder.encode`` (issuing).
* :class:`HeaderSegments`: an issued token's header segment written once per kind and
  key instead of once per token (issuing).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping
from json.encoder import encode_basestring
from typing import Final, Protocol, TypeVar, cast

from .strict_json import ENCODER, FrozenJSONObject, JSONArray, JSONValue

# --------------------------------------------------------------------------- HMAC


class _Hash(Protocol):
    """The part of a :mod:`hashlib` object used here."""

    def copy(self) -> _Hash: ...

    def update(self, data: bytes, /) -> None: ...

    def digest(self) -> bytes: ...


# RFC 2104: the key XOR 0x36 (inner pad) and XOR 0x5C (outer pad), byte by byte.
_IPAD: Final = bytes(byte ^ 0x36 for byte in range(256))
_OPAD: Final = bytes(byte ^ 0x5C for byte in range(256))


def prepared_hmac(secret: bytes, digest_name: str) -> Callable[[bytes], bytes]:
    """``hmac.digest(secret, message, digest_name)`` as a function of ``message``, keyed
    once.

    The inner and outer hash states after the padded key are computed here; each call
    copies them and feeds them the message, which is exactly
    ``H((K ^ opad) || H((K ^ ipad) || m))``, where :func:`hmac.digest` sets OpenSSL's
    HMAC up again on every call.

    Raises:
        AssertionError: the result disagrees with :func:`hmac.digest` on a probe
            (checked once, here).
    """
    inner = cast("_Hash", hashlib.new(digest_name))
    outer = cast("_Hash", hashlib.new(digest_name))
    block_size = hashlib.new(digest_name).block_size
    key = hashlib.new(digest_name, secret).digest() if len(secret) > block_size else secret
    key = key.ljust(block_size, b"\0")
    inner.update(key.translate(_IPAD))
    outer.update(key.translate(_OPAD))

    def digest(message: bytes) -> bytes:
        inner_hash = inner.copy()
        inner_hash.update(message)
        outer_hash = outer.copy()
        outer_hash.update(inner_hash.digest())
        return outer_hash.digest()

    probe = b"flask_pyjwt HMAC self-test"
    if digest(probe) != hmac.digest(secret, probe, digest_name):  # pragma: no cover
        raise AssertionError(f"the prepared HMAC-{digest_name} disagrees with hmac.digest")
    return digest


# --------------------------------------------------------------------------- token values

_T = TypeVar("_T")


def dict_builder(cls: type[_T]) -> Callable[[dict[str, object]], _T]:
    """A function making a ``cls`` whose attributes are the dict it is given, which
    becomes the instance's ``__dict__`` as it is (a frozen dataclass's constructor sets
    each field through ``object.__setattr__`` by name, one call per field).

    ``cls`` must be a dataclass without ``__slots__``. The dict must hold exactly the
    fields of ``cls`` (tests check it for the token classes) and must not be kept or
    changed by the caller; the values are not checked.
    """
    new = object.__new__
    set_attribute: Callable[[object, str, object], None] = object.__setattr__

    def build(fields: dict[str, object]) -> _T:
        instance = new(cls)
        set_attribute(instance, "__dict__", fields)
        return instance

    return build


# --------------------------------------------------------------------------- issuing

_LITERALS: Final[dict[object, str]] = {True: "true", False: "false", None: "null"}

_DIRECT_MEMBERS: Final = 8
"""Containers with more members go to the encoder itself."""


def write_value(value: JSONValue) -> str:
    """The text ``ENCODER.encode(value)`` gives for a frozen JSON value, written
    directly: strings through the encoder's own string function, numbers through
    ``repr`` as the encoder does (``ENCODER.encode`` sets a new C encoder up on every
    call)."""
    kind = type(value)
    if kind is str:
        return encode_basestring(cast("str", value))
    if kind is int or kind is float:
        return repr(value)
    if kind is bool or value is None:
        return _LITERALS[value]
    if kind is FrozenJSONObject:
        mapping = cast("FrozenJSONObject", value)
        if len(mapping) > _DIRECT_MEMBERS:
            return ENCODER.encode(mapping)
        members = [f"{encode_basestring(key)}:{write_value(item)}" for key, item in mapping.items()]
        return "{" + ",".join(members) + "}"
    if kind is tuple:
        array = cast("JSONArray", value)
        if len(array) > _DIRECT_MEMBERS:
            return ENCODER.encode(array)
        return "[" + ",".join([write_value(item) for item in array]) + "]"
    return ENCODER.encode(value)  # anything else the encoder accepts (an int subclass)


def write_claims(
    iss: str, sub: str, iat: int, exp: int, jti: str, kind: str, rest: Mapping[str, JSONValue]
) -> str:
    """``ENCODER.encode(claims)`` for an issued token's claims: ``iss``, ``sub``, ``iat``,
    ``exp``, ``jti`` and ``type``, in that order, then ``rest`` (frozen JSON values) in its
    order. The six registered claims are written into a template."""
    text = (
        f'{{"iss":{encode_basestring(iss)},"sub":{encode_basestring(sub)},"iat":{iat},'
        f'"exp":{exp},"jti":{encode_basestring(jti)},"type":{encode_basestring(kind)}'
    )
    for name, value in rest.items():
        text += f",{encode_basestring(name)}:{write_value(value)}"
    return text + "}"


HeaderSegment = tuple[FrozenJSONObject, str]
"""An issued token's header and its base64url segment."""

MAX_HEADER_SEGMENTS: Final = 16


class HeaderSegments:
    """What ``write(typ, alg, kid)`` returns (an issued token's header without extra
    fields, and its segment), kept by its arguments: the same for every token of one
    kind and key, so written once.

    A custom signer may change its ``kid``, so the ``kid`` is part of the key and at
    most :data:`MAX_HEADER_SEGMENTS` are kept (more are dropped all at once).
    """

    __slots__ = ("_known", "_write")

    def __init__(self, write: Callable[[str, str, str | None], HeaderSegment]) -> None:
        self._write = write
        self._known: dict[tuple[str, str, str | None], HeaderSegment] = {}

    def get(self, typ: str, alg: str, kid: str | None) -> HeaderSegment:
        """``write(typ, alg, kid)``, written once."""
        key = (typ, alg, kid)
        known = self._known.get(key)
        if known is not None:
            return known
        made = self._write(typ, alg, kid)
        if len(self._known) >= MAX_HEADER_SEGMENTS:
            self._known.clear()
        self._known[key] = made
        return made
