"""Registered-claim attacks (RFC 7519 4.1, RFC 8725 3.8-3.11): times, issuer, audience,
token kind and subject. Every token here carries a *valid* signature from the app's own
key, so only the claim checks can refuse it.
"""

from __future__ import annotations

import json

import pytest

from tests.security.harness import (
    DROP,
    NOW,
    assert_accepted,
    assert_refused,
    claims,
    header,
    make_harness,
)
from tests.support import b64url, forge, raw_signature

_AUTH_HEADER = b64url(json.dumps(header()).encode())


def raw_token(payload: bytes) -> str:
    """A correctly signed auth token around exactly these payload bytes."""
    signing_input = f"{_AUTH_HEADER}.{b64url(payload)}"
    return f"{signing_input}.{b64url(raw_signature(signing_input.encode(), 'HS256'))}"


BAD_TIME_VALUES: dict[str, object] = {
    "string": str(NOW + 600),
    "empty string": "",
    "true": True,
    "false": False,
    "null": None,
    "array": [NOW + 600],
    "object": {"t": NOW + 600},
    "huge int": 10**400,
    "beyond 2**53": 2**53,
    "below -2**53": -(2**53),
    "float beyond 2**53": 2.0**53,
    "float 1e300": 1e300,
}


@pytest.mark.parametrize("claim", ["exp", "iat", "nbf"])
@pytest.mark.parametrize("value", BAD_TIME_VALUES.values(), ids=BAD_TIME_VALUES.keys())
def test_time_claim_that_is_not_a_json_number_is_refused(claim: str, value: object) -> None:
    harness = make_harness()
    token = forge(header(), claims(**{claim: value}))
    assert_refused(harness, harness.get("/auth", token), 401, "claim_invalid")


@pytest.mark.parametrize("claim", ["exp", "iat", "nbf"])
@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity"])
def test_time_claim_nan_or_infinity_literal_is_malformed(claim: str, literal: bytes) -> None:
    harness = make_harness()
    base = {k: v for k, v in claims().items() if k != claim}
    raw = json.dumps(base).encode()[:-1] + b', "' + claim.encode() + b'": ' + literal + b"}"
    assert_refused(harness, harness.get("/auth", raw_token(raw)), 401, "token_malformed")


@pytest.mark.parametrize("claim", ["exp", "iat", "nbf"])
@pytest.mark.parametrize("literal", [b"1e400", b"-1e400"])
def test_time_claim_overflowing_to_infinity_is_refused(claim: str, literal: bytes) -> None:
    # The parser refuses a number no float can hold, before any claim is looked at.
    harness = make_harness()
    base = {k: v for k, v in claims().items() if k != claim}
    raw = json.dumps(base).encode()[:-1] + b', "' + claim.encode() + b'": ' + literal + b"}"
    assert_refused(harness, harness.get("/auth", raw_token(raw)), 401, "token_malformed")


@pytest.mark.parametrize("claim", ["exp", "iat", "sub", "iss", "jti", "type"])
def test_missing_required_claim_is_refused(claim: str) -> None:
    harness = make_harness()
    code = "token_type_invalid" if claim == "type" else "claim_invalid"
    token = forge(header(), claims(**{claim: DROP}))
    assert_refused(harness, harness.get("/auth", token), 401, code)


TIME_CASES: list[tuple[dict[str, object], int, str | None]] = [
    # (claims, JWT_LEEWAY, refusal code or None for accepted)
    ({"exp": NOW}, 0, "token_expired"),  # exp == now: expired (RFC 7519 4.1.4 "on or after")
    ({"exp": NOW - 1}, 0, "token_expired"),
    ({"exp": NOW + 1}, 0, None),
    ({"exp": NOW + 0.5}, 0, None),  # a float is a JSON number too
    ({"exp": NOW - 0.5}, 0, "token_expired"),
    ({"exp": 0}, 0, "token_expired"),
    ({"exp": -1}, 0, "token_expired"),
    ({"exp": NOW - 29}, 30, None),
    ({"exp": NOW - 30}, 30, "token_expired"),
    ({"iat": NOW + 1}, 0, "token_not_yet_valid"),  # issued in the future
    ({"iat": NOW + 0.5}, 0, "token_not_yet_valid"),
    ({"iat": NOW}, 0, None),
    ({"iat": NOW + 30}, 30, None),
    ({"iat": NOW + 31}, 30, "token_not_yet_valid"),
    ({"nbf": NOW + 1}, 0, "token_not_yet_valid"),
    ({"nbf": NOW}, 0, None),
    ({"nbf": NOW + 30}, 30, None),
    ({"nbf": NOW + 31}, 30, "token_not_yet_valid"),
    ({"iat": NOW + 1000, "exp": NOW + 2000}, 0, "token_not_yet_valid"),
    ({"exp": NOW - 1, "iat": NOW + 1}, 0, "token_expired"),  # expiry is checked first
]


@pytest.mark.parametrize(("overrides", "leeway", "code"), TIME_CASES)
def test_time_boundaries_and_leeway(
    overrides: dict[str, object], leeway: int, code: str | None
) -> None:
    harness = make_harness(JWT_LEEWAY=leeway)
    response = harness.get("/auth", forge(header(), claims(**overrides)))
    if code is None:
        assert_accepted(harness, response, "auth")
    else:
        assert_refused(harness, response, 401, code)


ISSUERS: dict[str, object] = {
    "another issuer": "other-issuer",
    "case changed": "TEST-ISSUER",
    "trailing space": "test-issuer ",
    "prefix": "test-issuer.evil",
    "empty": "",
    "array of the right issuer": ["test-issuer"],
    "object": {"iss": "test-issuer"},
    "number": 1,
    "null": None,
    "true": True,
}


@pytest.mark.parametrize("iss", ISSUERS.values(), ids=ISSUERS.keys())
def test_foreign_or_mistyped_issuer_is_refused(iss: object) -> None:
    harness = make_harness()
    token = forge(header(), claims(iss=iss))
    assert_refused(harness, harness.get("/auth", token), 401, "claim_invalid")


KIND_CASES: dict[str, tuple[str, dict[str, object], dict[str, object], str]] = {
    # name: (path, header overrides, claim overrides, code)
    "type AUTH": ("/auth", {}, {"type": "AUTH"}, "token_type_invalid"),
    "type Auth": ("/auth", {}, {"type": "Auth"}, "token_type_invalid"),
    "type auth with space": ("/auth", {}, {"type": "auth "}, "token_type_invalid"),
    "type 1": ("/auth", {}, {"type": 1}, "token_type_invalid"),
    "type true": ("/auth", {}, {"type": True}, "token_type_invalid"),
    "type null": ("/auth", {}, {"type": None}, "token_type_invalid"),
    "type array": ("/auth", {}, {"type": ["auth"]}, "token_type_invalid"),
    "type object": ("/auth", {}, {"type": {"auth": True}}, "token_type_invalid"),
    "type access": ("/auth", {}, {"type": "access"}, "token_type_invalid"),
    "typ header missing": ("/auth", {"typ": DROP}, {}, "token_type_invalid"),
    "typ JWT": ("/auth", {"typ": "JWT"}, {}, "token_type_invalid"),
    "typ application/refresh+jwt on an auth claim": (
        "/auth", {"typ": "application/refresh+jwt"}, {}, "token_type_invalid"
    ),
    "typ with a second slash": ("/auth", {"typ": "application/x/at+jwt"}, {}, "token_type_invalid"),
    "typ text/at+jwt": ("/auth", {"typ": "text/at+jwt"}, {}, "token_type_invalid"),
    "typ at+jwt with a parameter": ("/auth", {"typ": "at+jwt; q=1"}, {}, "token_type_invalid"),
    "typ refresh+jwt on an auth claim": ("/auth", {"typ": "refresh+jwt"}, {}, "token_type_invalid"),
    "typ not a string": ("/auth", {"typ": 1}, {}, "token_malformed"),
    "refresh token as auth": (
        "/auth", {"typ": "refresh+jwt"}, {"type": "refresh", "rid": "r"}, "token_type_invalid"
    ),
    "auth token as refresh": ("/refresh", {}, {}, "token_type_invalid"),
    "forged type auth under refresh typ": (
        "/auth", {"typ": "refresh+jwt"}, {"type": "auth", "rid": "r"}, "token_type_invalid"
    ),
    "forged type refresh under auth typ": (
        "/refresh", {"typ": "at+jwt"}, {"type": "refresh", "rid": "r"}, "token_type_invalid"
    ),
    "refresh token on a scoped view": (
        "/admin", {"typ": "refresh+jwt"}, {"type": "refresh", "rid": "r"}, "token_type_invalid"
    ),
}  # fmt: skip


@pytest.mark.parametrize(
    ("path", "header_overrides", "claim_overrides", "code"),
    KIND_CASES.values(),
    ids=KIND_CASES.keys(),
)
def test_token_kind_confusion_is_refused(
    path: str,
    header_overrides: dict[str, object],
    claim_overrides: dict[str, object],
    code: str,
) -> None:
    harness = make_harness()
    token = forge(header(**header_overrides), claims(**claim_overrides))
    assert_refused(harness, harness.get(path, token), 401, code)


# RFC 7515 4.1.9: typ is a media type, compared case-insensitively, whose "application/"
# prefix may be left out; RFC 9068 2.1 spells the access token type "application/at+jwt".
MEDIA_TYPE_SPELLINGS: dict[str, tuple[str, str, str]] = {
    "AT+JWT": ("/auth", "AT+JWT", "auth"),
    "application/at+jwt": ("/auth", "application/at+jwt", "auth"),
    "Application/At+Jwt": ("/auth", "Application/At+Jwt", "auth"),
    "application/refresh+jwt": ("/refresh", "application/refresh+jwt", "refresh"),
    "REFRESH+JWT": ("/refresh", "REFRESH+JWT", "refresh"),
}


@pytest.mark.parametrize(
    ("path", "typ", "kind"), MEDIA_TYPE_SPELLINGS.values(), ids=MEDIA_TYPE_SPELLINGS.keys()
)
def test_typ_is_compared_as_a_media_type(path: str, typ: str, kind: str) -> None:
    harness = make_harness()
    token = forge(header(typ=typ), claims(kind))
    assert_accepted(harness, harness.get(path, token), kind)


def test_control_refresh_token_on_refresh_view_is_accepted() -> None:
    harness = make_harness()
    token = forge(header(typ="refresh+jwt"), claims("refresh"))
    assert_accepted(harness, harness.get("/refresh", token), "refresh")


@pytest.mark.parametrize("rid", [DROP, None, 1, "", ["r"]])
def test_refresh_token_without_a_string_rid_is_refused(rid: object) -> None:
    harness = make_harness()
    token = forge(header(typ="refresh+jwt"), claims("refresh", rid=rid))
    assert_refused(harness, harness.get("/refresh", token), 401, "claim_invalid")


AUDIENCE_CASES: list[tuple[str | None, object, str | None]] = [
    # (JWT_AUDIENCE, token aud (DROP = absent), refusal code or None)
    (None, DROP, None),
    (None, "api", "claim_invalid"),  # meant for someone: not for a server without one
    (None, ["api"], "claim_invalid"),
    ("api", "api", None),
    ("api", ["other", "api"], None),
    ("api", DROP, "claim_invalid"),
    ("api", "other", "claim_invalid"),
    ("api", ["other"], "claim_invalid"),
    ("api", "API", "claim_invalid"),
    ("api", "api ", "claim_invalid"),
    ("api", [], "claim_invalid"),
    ("api", [1], "claim_invalid"),
    ("api", ["api", 1], "claim_invalid"),
    ("api", [["api"]], "claim_invalid"),
    ("api", None, "claim_invalid"),
    ("api", {"api": True}, "claim_invalid"),
    ("api", True, "claim_invalid"),
    ("api", "api other", "claim_invalid"),
]


@pytest.mark.parametrize(("configured", "aud", "code"), AUDIENCE_CASES)
def test_audience(configured: str | None, aud: object, code: str | None) -> None:
    harness = make_harness(JWT_AUDIENCE=configured)
    response = harness.get("/auth", forge(header(), claims(aud=aud)))
    if code is None:
        assert_accepted(harness, response, "auth")
    else:
        assert_refused(harness, response, 401, code)


@pytest.mark.parametrize("claim", ["sub", "jti"])
@pytest.mark.parametrize("value", [123, "", None, ["alice"], {"id": "alice"}, True, 1.5])
def test_subject_and_id_must_be_non_empty_strings(claim: str, value: object) -> None:
    harness = make_harness()
    token = forge(header(), claims(**{claim: value}))
    assert_refused(harness, harness.get("/auth", token), 401, "claim_invalid")


def test_huge_time_claim_never_answers_500() -> None:
    """Regression: a 400-digit ``exp`` raised OverflowError (HTTP 500) before the fix."""
    harness = make_harness()
    raw = json.dumps(claims(exp=10**400)).encode()
    assert_refused(harness, harness.get("/auth", raw_token(raw)), 401, "claim_invalid")
