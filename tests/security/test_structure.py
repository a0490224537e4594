"""Malformed compact serialisations and tampering (RFC 7515 3.1, 5.2, 7.1; RFC 8725 3.7).

Cases that must fail *before* the signature check are signed over their literal bytes
with the app's real key wherever that is possible, so that only the structural check can
stop them: a library that skipped it would accept the token.
"""

from __future__ import annotations

import base64
import json

import pytest

from flask_pyjwt._core.strict_json import JSONDecodeError, loads_object
from tests.security.harness import (
    assert_accepted,
    assert_refused,
    claims,
    header,
    make_harness,
)
from tests.support import HMAC_KID, b64url, forge, raw_signature

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _json(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def signed_literal(header_b64: str, payload_b64: str, alg: str = "HS256") -> str:
    """Sign exactly these two segment strings, however odd, with the app's key."""
    signing_input = f"{header_b64}.{payload_b64}"
    return f"{signing_input}.{b64url(raw_signature(signing_input.encode('latin-1'), alg))}"


VALID = forge(header(), claims())
H, P, S = VALID.split(".")


def test_control_valid_token_is_accepted() -> None:
    harness = make_harness()
    assert_accepted(harness, harness.get("/auth", VALID), "auth")


def _noncanonical(segment: str) -> str:
    """The same bytes with non-zero unused trailing bits (a second spelling)."""
    assert len(segment) % 4 in (2, 3)
    return segment[:-1] + ALPHABET[ALPHABET.index(segment[-1]) + 1]


def _segment_with_remainder(remainder: int) -> str:
    # Pad the header with a parameter until its encoding has the wanted length mod 4.
    for size in range(8):
        candidate = b64url(_json({**header(), "x": "y" * size}))
        if len(candidate) % 4 == remainder:
            return candidate
    raise AssertionError("unreachable")  # pragma: no cover


STRUCTURES: dict[str, str] = {
    "one segment": H,
    "two segments": f"{H}.{P}",
    "four segments": f"{VALID}.{S}",
    "five segments": f"{VALID}.{P}.{S}",
    "trailing dot": f"{VALID}.",
    "leading dot": f".{VALID}",
    "empty header": f".{P}.{S}",
    "empty payload": f"{H}..{S}",
    "empty signature": f"{H}.{P}.",
    "only dots": "..",
    "three dots": "...",
    "double dot inside": f"{H}..{P}.{S}",
    "padding on header": f"{H}==.{P}.{S}",
    "padding on signature": f"{H}.{P}.{S}=",
    "one padding char": f"{H}.{P}=.{S}",
    "space inside signature": f"{H}.{P}.{S[:10]} {S[10:]}",
    "space inside payload": f"{H}.{P[:5]} {P[5:]}.{S}",
    "tab inside": f"{H}.{P}.{S[:10]}\t{S[10:]}",
    "plus in signature": f"{H}.{P}.+{S[1:]}",
    "slash in signature": f"{H}.{P}./{S[1:]}",
    "standard base64 alphabet": f"{H}.{P}.{S.replace('-', '+').replace('_', '/')}+/",
    "percent-encoded": f"{H}.{P}.{S[:4]}%3D",
    "non-ascii letter": f"{H}.{P}.{S[:-1]}\u00e9",
    "json serialisation": json.dumps({"protected": H, "payload": P, "signature": S}),
    "quoted token": f'"{VALID}"',
    "not a token": "hello",
}


@pytest.mark.parametrize("token", STRUCTURES.values(), ids=STRUCTURES.keys())
def test_malformed_structure_is_refused(token: str) -> None:
    harness = make_harness()
    assert_refused(harness, harness.get("/auth", token), 401, "token_malformed")


@pytest.mark.parametrize(
    ("where", "remainder"),
    # HS256 signatures are always 43 characters long (remainder 3).
    [("header", 2), ("header", 3), ("payload", 2), ("payload", 3), ("signature", 3)],
)
def test_noncanonical_trailing_bits_are_refused(where: str, remainder: int) -> None:
    """Same bytes, second spelling, signed over the literal string: only canonicity stops it."""
    harness = make_harness()
    header_b64 = _segment_with_remainder(remainder)
    payload_b64 = b64url(_json(claims()))
    if where == "header":
        token = signed_literal(_noncanonical(header_b64), payload_b64)
    elif where == "payload":
        pad = 0
        while len(payload_b64) % 4 != remainder:
            pad += 1
            payload_b64 = b64url(_json(claims(pad="p" * pad)))
        token = signed_literal(header_b64, _noncanonical(payload_b64))
    else:
        good = signed_literal(header_b64, payload_b64)
        signature = good.rsplit(".", 1)[1]
        assert len(signature) % 4 == remainder
        token = f"{good.rsplit('.', 1)[0]}.{_noncanonical(signature)}"
    assert_refused(harness, harness.get("/auth", token), 401, "token_malformed")


def test_impossible_base64_length_is_refused() -> None:
    harness = make_harness()
    payload_b64 = b64url(_json(claims()))
    token = signed_literal(H, payload_b64 + "A" * ((1 - len(payload_b64)) % 4 or 4))
    assert_refused(harness, harness.get("/auth", token), 401, "token_malformed")


NOT_OBJECTS: dict[str, bytes] = {
    "not json": b"not json",
    "json array": b'["alg","HS256"]',
    "json string": b'"HS256"',
    "json number": b"256",
    "json null": b"null",
    "json true": b"true",
    "two objects": b'{"alg":"HS256"}{"alg":"HS256"}',
    "trailing garbage": b'{"alg":"HS256","typ":"at+jwt"}x',
    "truncated object": b'{"alg":"HS256","typ":"at+jwt"',
    "single quotes": b"{'alg':'HS256','typ':'at+jwt'}",
    "trailing comma": b'{"alg":"HS256","typ":"at+jwt",}',
    "comment": b'{"alg":"HS256",/*x*/"typ":"at+jwt"}',
    "duplicate alg": b'{"alg":"none","alg":"HS256","typ":"at+jwt"}',
    "duplicate typ": b'{"alg":"HS256","typ":"refresh+jwt","typ":"at+jwt"}',
    "NaN": b'{"alg":"HS256","typ":"at+jwt","x":NaN}',
    "Infinity": b'{"alg":"HS256","typ":"at+jwt","x":Infinity}',
    "-Infinity": b'{"alg":"HS256","typ":"at+jwt","x":-Infinity}',
    "invalid utf-8": b'{"alg":"HS256","typ":"at+jwt","x":"\xff\xfe"}',
    "overlong utf-8": b'{"alg":"HS256","typ":"at+jwt","x":"\xc0\xaf"}',
    "raw surrogate utf-8": b'{"alg":"HS256","typ":"at+jwt","x":"\xed\xa0\x80"}',
    "lone high surrogate escape": b'{"alg":"HS256","typ":"at+jwt","x":"\\ud800"}',
    "lone low surrogate escape": b'{"alg":"HS256","typ":"at+jwt","x":"\\udfff"}',
    "reversed surrogate pair": b'{"alg":"HS256","typ":"at+jwt","x":"\\ude00\\ud83d"}',
    "lone surrogate in a key": b'{"alg":"HS256","typ":"at+jwt","\\ud800":1}',
    "utf-8 bom": b'\xef\xbb\xbf{"alg":"HS256","typ":"at+jwt"}',
    "utf-16 with bom": '{"alg":"HS256","typ":"at+jwt"}'.encode("utf-16"),
    "utf-16-le": '{"alg":"HS256","typ":"at+jwt"}'.encode("utf-16-le"),
    "utf-32": '{"alg":"HS256","typ":"at+jwt"}'.encode("utf-32"),
    "nul byte": b'{"alg":"HS256","typ":"at+jwt"}\x00',
}


@pytest.mark.parametrize("raw", NOT_OBJECTS.values(), ids=NOT_OBJECTS.keys())
def test_header_that_is_not_one_strict_json_object_is_refused(raw: bytes) -> None:
    harness = make_harness()
    token = signed_literal(b64url(raw), b64url(_json(claims())))
    assert_refused(harness, harness.get("/auth", token), 401, "token_malformed")


def _payload_variant(raw: bytes) -> bytes:
    # The same defects, in a payload that is otherwise a valid claim set.
    body = _json(claims())[1:-1]
    replacements = {
        b'{"alg":"HS256","typ":"at+jwt"': b"{" + body,
        b'{"alg":"none","alg":"HS256","typ":"at+jwt"}': b'{"sub":"mallory",' + body + b"}",
        b'{"alg":"HS256","typ":"refresh+jwt","typ":"at+jwt"}': b"{" + body + b',"type":"x"}',
    }
    for old, new in replacements.items():
        if raw.startswith(old):
            return new + raw[len(old) :]
    return raw


@pytest.mark.parametrize("raw", NOT_OBJECTS.values(), ids=NOT_OBJECTS.keys())
def test_payload_that_is_not_one_strict_json_object_is_refused(raw: bytes) -> None:
    """Signed with the real key: the payload parser alone must refuse it."""
    harness = make_harness()
    token = signed_literal(H, b64url(_payload_variant(raw)))
    assert_refused(harness, harness.get("/auth", token), 401, "token_malformed")


def test_duplicate_claim_cannot_smuggle_a_second_subject() -> None:
    harness = make_harness()
    raw = _json(claims())[:-1] + b',"sub":"mallory"}'
    token = signed_literal(H, b64url(raw))
    assert_refused(harness, harness.get("/auth", token), 401, "token_malformed")


def test_control_whitespace_and_escapes_in_json_are_fine() -> None:
    harness = make_harness()
    raw_header = b'{ "alg" : "HS256",\n\t"typ" : "at\\u002bjwt" }'
    raw_payload = json.dumps(claims(note="\U0001f600 \\ud83d\\ude00"), indent=2).encode()
    token = signed_literal(b64url(raw_header), b64url(raw_payload))
    assert_accepted(harness, harness.get("/auth", token), "auth")


# Arrays come out as tuples at every depth; a text with no "[" has none to convert, and
# one with a "[" only inside a string has none either (the parser's two paths agree).
ARRAYS: dict[str, tuple[bytes, object]] = {
    "no array": (b'{"a":{"b":1},"c":"x"}', {"a": {"b": 1}, "c": "x"}),
    "a bracket only in a string": (b'{"a":"[x]","b":{"c":"]["}}', {"a": "[x]", "b": {"c": "]["}}),
    "arrays in arrays and objects": (
        b'{"a":[1,[2,{"b":[3]}]],"c":{"d":[]}}',
        {"a": (1, (2, {"b": (3,)})), "c": {"d": ()}},
    ),
}


@pytest.mark.parametrize(("raw", "expected"), ARRAYS.values(), ids=ARRAYS.keys())
def test_arrays_are_tuples_at_every_depth(raw: bytes, expected: object) -> None:
    # A list is never equal to a tuple: a list left anywhere fails the comparison.
    assert loads_object(raw) == expected


DUPLICATES: dict[str, bytes] = {
    "beside an array": b'{"a":[1],"b":1,"b":2}',
    "inside an object in an array": b'{"a":[{"b":1,"b":2}]}',
    "no array": b'{"a":{"b":1,"b":2}}',
}


@pytest.mark.parametrize("raw", DUPLICATES.values(), ids=DUPLICATES.keys())
def test_duplicate_names_are_refused_with_or_without_arrays(raw: bytes) -> None:
    with pytest.raises(JSONDecodeError, match="duplicate"):
        loads_object(raw)


def test_duplicate_claim_beside_an_array_is_refused_in_a_signed_token() -> None:
    harness = make_harness()
    raw = _json(claims(roles=["a", "b"]))[:-1] + b',"sub":"mallory"}'
    token = signed_literal(H, b64url(raw))
    assert_refused(harness, harness.get("/auth", token), 401, "token_malformed")
    control = signed_literal(H, b64url(_json(claims(roles=["a", "b"]))))
    assert_accepted(harness, harness.get("/auth", control), "auth")


def _decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


SIGNATURE = _decode(S)


def _flip(segment: str, index: int) -> str:
    data = bytearray(_decode(segment))
    data[index] ^= 0x01
    return b64url(bytes(data))


TAMPERED: dict[str, str] = {
    "payload sub changed": f"{H}.{b64url(_json(claims(sub='mallory')))}.{S}",
    "payload exp extended": f"{H}.{b64url(_json(claims(exp=2**40)))}.{S}",
    "payload scope added": f"{H}.{b64url(_json(claims(scope={'admin': True})))}.{S}",
    # The kid of the app's own key: the header changed, so the signature no longer fits.
    "header kid added": f"{b64url(_json(header(kid=HMAC_KID)))}.{P}.{S}",
    "header re-serialised with spaces": f"{b64url(json.dumps(header()).encode())}.{P}.{S}",
    "signature first byte flipped": f"{H}.{P}.{_flip(S, 0)}",
    "signature middle byte flipped": f"{H}.{P}.{_flip(S, 16)}",
    "signature last byte flipped": f"{H}.{P}.{_flip(S, 31)}",
    "payload byte flipped": f"{H}.{_flip(P, 2)}.{S}",
    "signature truncated by a byte": f"{H}.{P}.{b64url(SIGNATURE[:-1])}",
    "signature extended by a byte": f"{H}.{P}.{b64url(SIGNATURE + bytes(1))}",
    "signature zeroed": f"{H}.{P}.{b64url(bytes(32))}",
    "signature of one byte": f"{H}.{P}.AA",
    "signature from another token": f"{H}.{P}.{forge(header(), claims(sub='bob')).split('.')[2]}",
    "signature segments swapped h.s.p": f"{H}.{S}.{P}",
    "header reused as payload": f"{H}.{H}.{S}",
    "payload reused as signature": f"{H}.{P}.{P}",
}


@pytest.mark.parametrize("token", TAMPERED.values(), ids=TAMPERED.keys())
def test_tampered_token_is_refused(token: str) -> None:
    harness = make_harness()
    assert_refused(harness, harness.get("/auth", token), 401, "signature_invalid")


SWAPPED_MALFORMED: dict[str, str] = {
    "payload first p.h.s": f"{P}.{H}.{S}",
    "signature first s.p.h": f"{S}.{P}.{H}",
    "payload twice p.p.s": f"{P}.{P}.{S}",
}


@pytest.mark.parametrize("token", SWAPPED_MALFORMED.values(), ids=SWAPPED_MALFORMED.keys())
def test_segment_swaps_that_break_the_header_are_malformed(token: str) -> None:
    harness = make_harness()
    assert_refused(harness, harness.get("/auth", token), 401, "token_malformed")


@pytest.mark.parametrize("cut", [1, 2, 3, 4, 10, 43])
def test_truncated_signature_string_is_refused(cut: int) -> None:
    harness = make_harness()
    signature = S[:-cut]
    remainder = len(signature) % 4
    canonical = remainder == 0 or (
        remainder != 1 and signature[-1] in {2: "AQgw", 3: "AEIMQUYcgkosw048"}[remainder]
    )
    code = "signature_invalid" if canonical and signature else "token_malformed"
    assert_refused(harness, harness.get("/auth", f"{H}.{P}.{signature}"), 401, code)
