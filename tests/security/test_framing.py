"""How the token travels (RFC 6750 2.1, 3; RFC 7235 2.1): Authorization header and cookie
framing variants, and oversized or deeply nested inputs (RFC 8725 3.x resource limits).
"""

from __future__ import annotations

import json

import pytest

from flask_pyjwt import require_token
from tests.security.harness import (
    assert_accepted,
    assert_refused,
    claims,
    header,
    json_body,
    make_harness,
)
from tests.support import b64url, forge, raw_signature

VALID = forge(header(), claims())

ACCEPTED_FRAMINGS: dict[str, str] = {
    "canonical": f"Bearer {VALID}",
    "lower-case scheme (RFC 7235: case-insensitive)": f"bearer {VALID}",
    "upper-case scheme": f"BEARER {VALID}",
    "two spaces (RFC 6750: 1*SP)": f"Bearer  {VALID}",
    "trailing space": f"Bearer {VALID} ",
    "leading space": f" Bearer {VALID}",
    "trailing tab (RFC 9110 OWS)": f"Bearer {VALID}\t",
}


@pytest.mark.parametrize("value", ACCEPTED_FRAMINGS.values(), ids=ACCEPTED_FRAMINGS.keys())
def test_control_accepted_header_framings(value: str) -> None:
    harness = make_harness()
    assert_accepted(harness, harness.get("/auth", headers={"Authorization": value}), "auth")


REFUSED_FRAMINGS: dict[str, tuple[str, str]] = {
    # name: (Authorization value, code); token_missing means "no bearer credentials"
    "Basic scheme": ("Basic dXNlcjpwYXNz", "token_missing"),
    "Basic scheme carrying a JWT": (f"Basic {VALID}", "token_missing"),
    "Token scheme": (f"Token {VALID}", "token_missing"),
    "JWT scheme": (f"JWT {VALID}", "token_missing"),
    "Bearer glued to the token": (f"Bearer{VALID}", "token_missing"),
    "no scheme": (VALID, "token_missing"),
    "tab separator": (f"Bearer\t{VALID}", "token_missing"),
    "empty header": ("", "token_missing"),
    "scheme only": ("Bearer", "token_malformed"),
    "scheme and spaces": ("Bearer   ", "token_malformed"),
    "two tokens": (f"Bearer {VALID} {VALID}", "token_malformed"),
    "comma-joined tokens": (f"Bearer {VALID},Bearer {VALID}", "token_malformed"),
    "token with a parameter": (f'Bearer {VALID}, realm="x"', "token_malformed"),
    "quoted token": (f'Bearer "{VALID}"', "token_malformed"),
    "padding after the token": (f"Bearer {VALID}=", "token_malformed"),
    "no-break space after the token": (f"Bearer {VALID}\u00a0", "token_malformed"),
    "next-line (NEL) after the token": (f"Bearer {VALID}\u0085", "token_malformed"),
    "no-break space before the token": (f"Bearer \u00a0{VALID}", "token_malformed"),
    "tab before the token": (f"Bearer \t{VALID}", "token_malformed"),
    "vertical tab after the token": (f"Bearer {VALID}\x0b", "token_malformed"),
}


@pytest.mark.parametrize(("value", "code"), REFUSED_FRAMINGS.values(), ids=REFUSED_FRAMINGS.keys())
def test_refused_header_framings(value: str, code: str) -> None:
    harness = make_harness()
    response = harness.get("/auth", headers={"Authorization": value})
    assert_refused(harness, response, 401, code)


OTHER_SCHEME_MESSAGE = (
    "The Authorization header does not use the Bearer scheme; "
    "send the token as 'Authorization: Bearer <token>'."
)


@pytest.mark.parametrize(
    "value",
    [f"JWT {VALID}", f"Token {VALID}", VALID, f"Basic {VALID}", f"Bearer{VALID}"],
    ids=["JWT scheme", "Token scheme", "no scheme", "Basic scheme", "Bearer glued"],
)
def test_another_scheme_gets_a_message_naming_bearer(value: str) -> None:
    # RFC 6750 3.1: no error code in the challenge, since no bearer token was sent; the
    # JSON message says what to send instead, and never echoes the header.
    harness = make_harness()
    response = harness.get("/auth", headers={"Authorization": value})
    assert_refused(harness, response, 401, "token_missing")
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert json_body(response)["message"] == OTHER_SCHEME_MESSAGE


def test_no_credentials_at_all() -> None:
    harness = make_harness()
    assert_refused(harness, harness.get("/auth"), 401, "token_missing")


def test_multiple_authorization_headers_are_refused() -> None:
    # WSGI keeps one value per header: repeated headers arrive comma-joined
    # ("Bearer a, Bearer b"), which is no single bearer token.
    harness = make_harness()
    sent = [("Authorization", f"Bearer {VALID}"), ("Authorization", f"Bearer {VALID}")]
    assert_refused(harness, harness.get("/auth", headers=sent), 401, "token_malformed")


def test_bad_then_good_authorization_headers_are_refused() -> None:
    harness = make_harness()
    sent = [("Authorization", "Basic eDp5"), ("Authorization", f"Bearer {VALID}")]
    # Joined as "Basic eDp5, Bearer ...": a Basic credential, so no bearer token was sent.
    assert_refused(harness, harness.get("/auth", headers=sent), 401, "token_missing")


def test_token_in_query_string_is_not_read() -> None:
    """RFC 6750 2.3 (URI query parameter) is not supported: tokens leak into logs."""
    harness = make_harness()
    response = harness.client.get(f"/auth?access_token={VALID}")
    assert_refused(harness, response, 401, "token_missing")


def test_token_in_form_body_is_not_read() -> None:
    harness = make_harness()
    response = harness.client.get("/auth", data={"access_token": VALID})
    assert_refused(harness, response, 401, "token_missing")


def test_token_in_cookie_when_header_expected() -> None:
    harness = make_harness()
    assert_refused(harness, harness.get("/auth", cookie=VALID), 401, "token_missing")


def test_token_in_header_when_cookie_expected() -> None:
    harness = make_harness()
    assert_refused(harness, harness.get("/cookie", VALID), 401, "token_missing")


def test_control_token_in_cookie() -> None:
    harness = make_harness()
    assert_accepted(harness, harness.get("/cookie", cookie=VALID), "cookie")


COOKIES: dict[str, tuple[str, str]] = {
    "bearer prefix in cookie": (f"Bearer {VALID}", "token_malformed"),
    "garbage": ("not-a-token", "token_malformed"),
    "alg none": (f"eyJhbGciOiJub25lIn0.{VALID.split('.')[1]}.", "token_malformed"),
    "tampered": (VALID[:-2] + ("AA" if not VALID.endswith("AA") else "BA"), "signature_invalid"),
    "empty": ("", "token_missing"),
}  # fmt: skip


@pytest.mark.parametrize(("value", "code"), COOKIES.values(), ids=COOKIES.keys())
def test_refused_cookie_values(value: str, code: str) -> None:
    harness = make_harness()
    assert_refused(harness, harness.get("/cookie", cookie=value), 401, code)


ATTACKER = forge(header(), claims(sub="mallory"))


@pytest.mark.parametrize(
    "cookie",
    [
        f"auth_token={ATTACKER}; auth_token={VALID}",
        f"auth_token={VALID}; auth_token={ATTACKER}",
        f"auth_token={VALID}; auth_token={VALID}",
        f"auth_token=; auth_token={VALID}",
        f"other=1; auth_token={VALID}; x=2; auth_token={ATTACKER}",
    ],
    ids=["attacker first", "attacker last", "same token twice", "empty first", "spread out"],
)
def test_several_cookies_of_the_token_name_are_refused(cookie: str) -> None:
    # Cookie tossing: a sibling subdomain or a more specific path can set a second cookie
    # of the same name, and browsers send both, in an order the server cannot trust.
    # Taking either would log the victim in as the attacker.
    harness = make_harness()
    # use_cookies=False: the test client sends this Cookie header as written.
    client = harness.app.test_client(use_cookies=False)
    response = client.get("/cookie", headers={"Cookie": cookie})
    assert_refused(harness, response, 401, "token_malformed")
    assert json_body(response)["message"] == (
        "Several auth_token cookies were sent; exactly one is accepted."
    )


def test_control_one_host_prefixed_cookie() -> None:
    harness = make_harness()

    @harness.app.route("/host-cookie")
    @require_token(location="cookies", cookie_name="__Host-auth_token")
    def host_cookie() -> str:
        harness.calls.append("host-cookie")
        return "ok"

    response = harness.app.test_client(use_cookies=False).get(
        "/host-cookie", headers={"Cookie": f"auth_token={ATTACKER}; __Host-auth_token={VALID}"}
    )
    assert_accepted(harness, response, "host-cookie")


def test_token_longer_than_the_limit_is_refused_before_decoding() -> None:
    harness = make_harness()
    token = "A" * 8193  # the default JWT_MAX_TOKEN_LENGTH is 8192
    assert_refused(harness, harness.get("/auth", token), 401, "token_too_large")


def test_one_megabyte_header_is_refused_as_too_large() -> None:
    harness = make_harness()
    token = VALID + "A" * 1_000_000
    assert_refused(harness, harness.get("/auth", token), 401, "token_too_large")


def test_configured_limit_applies() -> None:
    harness = make_harness(JWT_MAX_TOKEN_LENGTH=len(VALID) - 1)
    assert_refused(harness, harness.get("/auth", VALID), 401, "token_too_large")


def test_control_valid_token_exactly_at_the_limit_is_accepted() -> None:
    harness = make_harness()
    token = VALID
    pad = 0
    while len(token) < 8192:
        pad += max(1, (8192 - len(token)) * 3 // 4 - 2)
        candidate = forge(header(), claims(pad="p" * pad))
        if len(candidate) > 8192:
            pad -= max(1, (len(candidate) - 8192))
            candidate = forge(header(), claims(pad="p" * pad))
            if len(candidate) > 8192:
                break
        token = candidate
    assert 8180 <= len(token) <= 8192
    assert_accepted(harness, harness.get("/auth", token), "auth")


def _signed(header_bytes: bytes, payload_bytes: bytes) -> str:
    signing_input = f"{b64url(header_bytes)}.{b64url(payload_bytes)}"
    return f"{signing_input}.{b64url(raw_signature(signing_input.encode(), 'HS256'))}"


@pytest.mark.parametrize("opener", ["[", '{"a":'])
@pytest.mark.parametrize("where", ["header", "payload"])
@pytest.mark.parametrize("depth", [1_500, 100_000])
def test_deeply_nested_json_is_refused_without_a_crash(opener: str, where: str, depth: int) -> None:
    closer = "]" if opener == "[" else "}"
    nested = (opener * depth + "1" + closer * depth).encode()
    base_header = json.dumps(header()).encode()
    base_claims = json.dumps(claims()).encode()
    if where == "header":
        token = _signed(base_header[:-1] + b',"x":' + nested + b"}", base_claims)
    else:
        token = _signed(base_header, base_claims[:-1] + b',"x":' + nested + b"}")
    harness = make_harness(JWT_MAX_TOKEN_LENGTH=10_000_000)
    assert_refused(harness, harness.get("/auth", token), 401, "token_malformed")
    # With the default limit the same token is refused before any parsing.
    default = make_harness()
    code = "token_too_large" if len(token) > 8192 else "token_malformed"
    assert_refused(default, default.get("/auth", token), 401, code)


def _nested_value(depth: int) -> object:
    """A value that, as a member of a token's top-level object (level 1), reaches ``depth``."""
    value: object = 1
    for level in range(depth - 1):
        value = [value] if level % 2 else {"k": value}
    return value


@pytest.mark.parametrize("where", ["header", "payload"])
@pytest.mark.parametrize(("depth", "accepted"), [(32, True), (33, False)])
def test_the_nesting_limit_is_explicit_32_levels(where: str, depth: int, accepted: bool) -> None:
    harness = make_harness()
    extra = {"x": _nested_value(depth)}
    head = header(**extra) if where == "header" else header()
    body = claims(**extra) if where == "payload" else claims()
    token = _signed(json.dumps(head).encode(), json.dumps(body).encode())
    response = harness.get("/auth", token)
    if accepted:
        assert_accepted(harness, response, "auth")
    else:
        assert_refused(harness, response, 401, "token_malformed")


def test_brackets_inside_strings_are_not_nesting() -> None:
    harness = make_harness()
    token = forge(header(), claims(note="[{" * 40 + '"\\]}', more=['"[', "{{{{"] * 20))
    assert_accepted(harness, harness.get("/auth", token), "auth")


@pytest.mark.parametrize("number", ["1e400", "-1e400", "1.0e999999"])
def test_numbers_beyond_a_float_are_refused_not_infinity(number: str) -> None:
    harness = make_harness()
    payload = json.dumps(claims()).encode()[:-1] + f',"big":{number}}}'.encode()
    token = _signed(json.dumps(header()).encode(), payload)
    assert_refused(harness, harness.get("/auth", token), 401, "token_malformed")


def test_a_large_finite_float_is_still_a_number() -> None:
    harness = make_harness()
    payload = json.dumps(claims()).encode()[:-1] + b',"big":1.5e300}'
    token = _signed(json.dumps(header()).encode(), payload)
    assert_accepted(harness, harness.get("/auth", token), "auth")
