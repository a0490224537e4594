"""Property-based fuzzing: random and mutated tokens never answer 5xx and are never accepted.

Two profiles (applied per test, nothing global):

* ``flask_pyjwt-quick`` (default, inside the normal test run): derandomized, a small number
  of examples per property, a few seconds in all.
* ``flask_pyjwt-fuzz`` (``make fuzz``, or ``FLASK_PYJWT_FUZZ=1``): 10,000 examples per
  property by default (``FLASK_PYJWT_FUZZ_EXAMPLES`` changes it), random seeds. A summary
  of the examples run and the status codes seen per property is printed at the end.

Every example goes through a real Flask app (``app.test_client()``).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from typing import Final

import pytest
from flask import Flask
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from flask_pyjwt import AuthManager, current_token, require_token
from flask_pyjwt._core.csrf import csrf_value
from tests.security.harness import NOW, Harness, claims, header, json_body, make_harness
from tests.support import ISSUER, b64url, config_for, configure, forge, raw_signature

FUZZ: Final = os.environ.get("FLASK_PYJWT_FUZZ") == "1"
FUZZ_EXAMPLES: Final = int(os.environ.get("FLASK_PYJWT_FUZZ_EXAMPLES", "10000"))
_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile(
    "flask_pyjwt-quick",
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=_HEALTH,
)
settings.register_profile(
    "flask_pyjwt-fuzz",
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=_HEALTH,
)
PROFILE: Final = settings.get_profile("flask_pyjwt-fuzz" if FUZZ else "flask_pyjwt-quick")

HS = make_harness("HS256")
ES = make_harness("ES256")
VALID: Final = {"HS256": forge(header("HS256"), claims()), "ES256": forge(
    header("ES256"), claims(), algorithm="ES256"
)}  # fmt: skip
APPS: Final = {"HS256": HS, "ES256": ES}
# The kid of the HS app's key: a token naming any other kid is refused (unknown_key).
with HS.app.app_context():
    HS_KID: Final = HS.manager.auth_token("kid-probe").header["kid"]

STATS: Final[dict[str, Counter[str]]] = {}
REFUSAL_CODES: Final = frozenset(
    {"token_missing", "token_malformed", "token_too_large", "algorithm_not_allowed",
     "unknown_key", "signature_invalid", "token_expired", "token_not_yet_valid",
     "claim_invalid", "token_type_invalid"}
)  # fmt: skip


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    total = sum(counter["examples"] for counter in STATS.values())
    server_errors = sum(counter["5xx"] for counter in STATS.values())
    lines = [f"fuzz summary: {total} examples, {server_errors} responses 5xx"]
    for name, counter in sorted(STATS.items()):
        statuses = {k: v for k, v in sorted(counter.items()) if k.isdigit()}
        lines.append(f"  {name}: {counter['examples']} examples, statuses {statuses}")
    print("\n" + "\n".join(lines))


def _send(name: str, harness: Harness, value: str) -> TestResponse:
    harness.calls.clear()
    response = harness.get("/auth", headers={"Authorization": value})
    counter = STATS.setdefault(name, Counter())
    counter["examples"] += 1
    counter[str(response.status_code)] += 1
    if response.status_code >= 500:
        counter["5xx"] += 1
    return response


def _refused(name: str, harness: Harness, value: str) -> None:
    response = _send(name, harness, value)
    assert response.status_code == 401, (value, response.get_data(as_text=True))
    assert json_body(response)["code"] in REFUSAL_CODES
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert harness.calls == []


# Characters a client can put in an HTTP header value (no CR/LF/NUL and other controls).
HEADER_TEXT: Final = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
    max_size=400,
)
B64_CHARS: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
MUTATION_CHARS: Final = st.one_of(
    st.sampled_from(B64_CHARS),
    st.sampled_from(" .=+/%\t\"'\\~!*"),
    st.characters(max_codepoint=0xFF, min_codepoint=0x20, exclude_characters="\x7f"),
)


@PROFILE
@given(HEADER_TEXT)
def test_random_text_is_refused(text: str) -> None:
    _refused("random text", HS, f"Bearer {text}")


@PROFILE
@given(st.binary(max_size=400))
def test_random_bytes_are_refused(data: bytes) -> None:
    text = "".join(ch if 0x20 <= ord(ch) != 0x7F else "?" for ch in data.decode("latin-1"))
    _refused("random bytes", HS, f"Bearer {text}")


@PROFILE
@given(st.text(max_size=300))
def test_any_python_string_is_refused_by_the_pure_layer(text: str) -> None:
    """Surrogates, NULs, any code point: ``verify_token`` returns False, never raises."""
    with HS.app.app_context():
        assert HS.manager.verify_token(text) is False
    STATS.setdefault("pure verify_token", Counter())["examples"] += 1


_SEGMENTS: Final = st.one_of(
    st.sampled_from(VALID["HS256"].split(".") + VALID["ES256"].split(".") + [""]),
    st.text(alphabet=B64_CHARS, max_size=80),
    st.text(alphabet=B64_CHARS + "=+/ ", max_size=40),
)


@PROFILE
@given(st.lists(_SEGMENTS, min_size=1, max_size=6))
def test_random_segment_combinations_are_refused(segments: list[str]) -> None:
    token = ".".join(segments)
    assume(token not in VALID.values())
    _refused("segment combinations", HS, f"Bearer {token}")


@PROFILE
@given(
    st.sampled_from(sorted(APPS)),
    st.integers(min_value=0, max_value=2),
    st.integers(min_value=0),
    MUTATION_CHARS,
    st.sampled_from(["replace", "insert", "delete"]),
)
def test_single_character_mutations_of_a_valid_token_are_refused(
    alg: str, segment_index: int, position: int, char: str, operation: str
) -> None:
    segments = VALID[alg].split(".")
    segment = segments[segment_index]
    at = position % len(segment)
    if operation == "replace":
        segment = segment[:at] + char + segment[at + 1 :]
    elif operation == "insert":
        segment = segment[:at] + char + segment[at:]
    else:
        segment = segment[:at] + segment[at + 1 :]
    segments[segment_index] = segment
    token = ".".join(segments)
    # A space before the token, or a space or tab after it, is HTTP framing (RFC 9110
    # 5.5 optional whitespace, RFC 6750 1*SP), not a change to the token.
    assume(token.lstrip(" ").rstrip(" \t") != VALID[alg])
    _refused(f"single-character mutations ({alg})", APPS[alg], f"Bearer {token}")


def test_control_the_unmodified_tokens_are_accepted() -> None:
    for alg, harness in APPS.items():
        harness.calls.clear()
        response = harness.get("/auth", VALID[alg])
        assert response.status_code == 200
        assert harness.calls == ["auth"]


JSON_LEAVES: Final = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
JSON_VALUES: Final = st.recursive(
    JSON_LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
HEADER_NAMES: Final = st.sampled_from(
    ["alg", "typ", "crit", "kid", "jwk", "jku", "x5u", "x5c", "b64", "cty", "zip", "enc"]
)
ALG_VALUES: Final = st.one_of(
    st.sampled_from(["HS256", "HS384", "HS512", "RS256", "PS256", "ES256", "EdDSA", "none",
                     "None", "NONE", "nOnE", "", "hs256", "HS256 "]),
    JSON_VALUES,
)  # fmt: skip
TYP_VALUES: Final = st.one_of(
    st.sampled_from(["at+jwt", "refresh+jwt", "JWT", "AT+JWT", "application/at+jwt", ""]),
    JSON_VALUES,
)
CRIT_VALUES: Final = st.one_of(
    st.lists(st.sampled_from(["alg", "typ", "kid", "b64", "exp", "x"]), max_size=3), JSON_VALUES
)


@st.composite
def random_headers(draw: st.DrawFn) -> dict[str, object]:
    # Start from a valid header, then add random members and replace or drop each of
    # the interesting ones, so that acceptable and unacceptable headers both occur.
    fields: dict[str, object] = {"alg": "HS256", "typ": "at+jwt"}
    fields.update(
        draw(st.dictionaries(st.one_of(HEADER_NAMES, st.text(max_size=6)), JSON_VALUES, max_size=3))
    )
    for name, values in (("alg", ALG_VALUES), ("typ", TYP_VALUES)):
        choice = draw(st.integers(0, 3))
        if choice == 0:
            fields.pop(name, None)
        elif choice == 1:
            fields[name] = draw(values)
    if draw(st.integers(0, 3)) == 0:
        fields["crit"] = draw(CRIT_VALUES)
    if draw(st.booleans()):
        fields["kid"] = draw(st.one_of(st.text(max_size=20), JSON_VALUES))
    return fields


def _typ_is_at_jwt(typ: object) -> bool:
    # RFC 7515 4.1.9: media types compare case-insensitively, "application/" optional;
    # RFC 9068 2.1: "application/at+jwt" is accepted as "at+jwt".
    return type(typ) is str and typ.lower() in ("at+jwt", "application/at+jwt")


def _header_is_acceptable(fields: dict[str, object]) -> bool:
    """The oracle for a correctly HS256-signed token with valid claims (RFC 7515 4.1,
    RFC 8725 3.11): exactly these headers may pass. ``typ`` is a media type: compared
    case-insensitively, ``application/`` optional (RFC 7515 4.1.9, RFC 9068 2.1)."""
    kid = fields.get("kid")
    return (
        fields.get("alg") == "HS256"
        and type(fields.get("alg")) is str
        and _typ_is_at_jwt(fields.get("typ"))
        and "crit" not in fields
        and (kid is None or kid == HS_KID)
    )


def _sign(fields: dict[str, object], payload: dict[str, object], key: bytes | None) -> str:
    header_b64 = b64url(json.dumps(fields, separators=(",", ":")).encode())
    signing_input = f"{header_b64}.{b64url(json.dumps(payload).encode())}"
    return f"{signing_input}.{b64url(raw_signature(signing_input.encode(), 'HS256', key))}"


@PROFILE
@given(random_headers(), st.booleans())
def test_random_headers_only_pass_when_fully_valid(
    fields: dict[str, object], real_key: bool
) -> None:
    """Signed over the literal bytes with the app's real key (or an attacker's): only a
    header the oracle accepts, with the real key, gets through."""
    key = None if real_key else b"attacker-key-attacker-key-attacker-key!!"
    token = _sign(fields, claims(), key)
    if real_key and _header_is_acceptable(fields):
        response = _send("random headers", HS, f"Bearer {token}")
        assert response.status_code == 200, (fields, response.get_data(as_text=True))
        assert HS.calls == ["auth"]
    else:
        _refused("random headers", HS, f"Bearer {token}")


CLAIM_NAMES: Final = st.sampled_from(
    ["iss", "sub", "iat", "exp", "nbf", "jti", "type", "aud", "scope", "rid"]
)


def _claims_are_acceptable(payload: dict[str, object]) -> bool:
    """The oracle for registered claims (RFC 7519 4.1) at NOW with no leeway."""

    def seconds(name: str, default: object = None) -> float | None:
        value = payload.get(name, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        return value if abs(value) <= 2**53 - 1 else None

    def text(value: object) -> bool:
        return isinstance(value, str) and value != ""

    exp, iat, nbf = seconds("exp"), seconds("iat"), seconds("nbf", 0)
    return (
        payload.get("iss") == ISSUER
        and isinstance(payload.get("iss"), str)
        and payload.get("type") == "auth"
        and isinstance(payload.get("type"), str)
        and text(payload.get("sub"))
        and text(payload.get("jti"))
        and exp is not None
        and iat is not None
        and nbf is not None
        and exp > NOW
        and iat <= NOW
        and nbf <= NOW
        and "aud" not in payload
    )


@PROFILE
@given(st.dictionaries(CLAIM_NAMES, JSON_VALUES, max_size=4), st.sets(CLAIM_NAMES, max_size=3))
def test_mutated_claims_only_pass_when_fully_valid(
    replaced: dict[str, object], dropped: set[str]
) -> None:
    payload = {k: v for k, v in {**claims(), **replaced}.items() if k not in dropped}
    token = _sign(header(), payload, None)
    if _claims_are_acceptable(payload):
        response = _send("mutated claims", HS, f"Bearer {token}")
        assert response.status_code == 200, (payload, response.get_data(as_text=True))
    else:
        _refused("mutated claims", HS, f"Bearer {token}")


# Every kind of requirement: random custom claims on validly signed tokens, sent to the
# routes with scope (mapping, string, list, list of objects), override, literal claims,
# route claims and claims_as. Authentication passes, so the answer is 200 or 403, or 401
# claim_invalid where a claims shape is declared; never a 5xx.

HUGE_NUMBERS: Final = st.sampled_from([10**400, -(10**309), 2**64, 1e308, -0.0, 5e-324])
CLAIM_VALUES: Final = st.one_of(JSON_VALUES, HUGE_NUMBERS)
INTERESTING: Final[dict[str, list[object]]] = {
    # The values the harness routes require, and near misses, mixed with random JSON.
    "scope": [
        {"admin": True}, {"admin": {"read": True, "write": True}, "team": "blue"},
        "read write", "read", ["read", "write"], ["read", {"tenant": "a"}],
        [{"role": "admin"}], [{"role": "admin"}, "read"], [[]], [{}], {}, [],
    ],
    "admin": [True, 1, "true"], "role": ["root", "alice", "tenant", "acme"],
    "flag": [True, 1], "level": [1, 1.0, True], "code": ["1", 1], "gone": [None, "null"],
    "groups": [["staff", "ops"], ["ops"], [{"staff": True}], [[]]],
    "tenant": ["acme", "alice", ["acme"], {"name": "acme"}],
    "roles": [["admin"], [], ["admin", 7], "admin"],
    "ratio": [0.5, 1, "1", 10**400], "plan": ["free", "pro", "gold"],
    "labels": [{"team": 1}, {"INJECTED<script>": "x"}, {}, ["team"]],
    "address": [{"city": "Lyon"}, {"zip_code": "1"}, None, ["Lyon"]],
    "root": [True, False], "perms": [{"all": [True]}, {"all": []}, {"all": True}, {}],
}  # fmt: skip
CUSTOM_NAMES: Final = sorted(INTERESTING)
PATHS: Final = (
    "/auth", "/admin", "/nested", "/oauth", "/scope-list", "/scope-objects", "/flag-true",
    "/level-one", "/code-one", "/groups", "/null-claim", "/typed",
)  # fmt: skip
SEGMENTS: Final = st.one_of(
    st.sampled_from(["alice", "bob", "acme", "tenant", "Alice"]),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_.~", min_size=1, max_size=8),
)
FORBIDDEN_CODES: Final = frozenset({"insufficient_scope", "claim_mismatch"})


@st.composite
def custom_claims(draw: st.DrawFn) -> dict[str, object]:
    names = draw(st.sets(st.sampled_from(CUSTOM_NAMES), max_size=6))
    return {
        name: draw(st.one_of(st.sampled_from(INTERESTING[name]), CLAIM_VALUES))
        for name in sorted(names)
    }


@st.composite
def paths(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, len(PATHS) + 1))
    if kind < len(PATHS):
        return PATHS[kind]
    prefix = "/users/" if kind == len(PATHS) else "/tenants/"
    return prefix + draw(SEGMENTS)


@PROFILE
@given(paths(), custom_claims(), st.sampled_from(["alice", "bob", "acme"]))
def test_every_kind_of_requirement_answers_200_or_403_never_5xx(
    path: str, extra: dict[str, object], subject: str
) -> None:
    payload = {**claims(sub=subject), **extra}
    token = _sign(header(), payload, None)
    HS.calls.clear()
    response = HS.get(path, token)
    counter = STATS.setdefault("every requirement", Counter())
    counter["examples"] += 1
    counter[str(response.status_code)] += 1
    if response.status_code >= 500:
        counter["5xx"] += 1
    context = (path, payload, response.get_data(as_text=True))
    assert response.status_code in (200, 401, 403), context
    if response.status_code == 200:
        assert len(HS.calls) == 1, context
        return
    assert HS.calls == [], context
    body = json_body(response)
    if response.status_code == 401:
        # The token is valid; only a declared claims shape can refuse it as invalid.
        assert path == "/typed" or path.startswith("/tenants/"), context
        assert body["code"] == "claim_invalid", context
        assert "INJECTED" not in response.get_data(as_text=True)
        assert response.headers["WWW-Authenticate"].startswith('Bearer error="invalid_token"')
    else:
        assert body["code"] in FORBIDDEN_CODES, context
        assert response.headers["WWW-Authenticate"].startswith('Bearer error="insufficient_scope"')


def test_control_every_kind_of_requirement_can_pass() -> None:
    """The property above is not passed by refusing everything."""
    cases: list[tuple[str, dict[str, object]]] = [
        ("/admin", {"scope": {"admin": True}}),
        ("/nested", {"scope": {"admin": {"read": True, "write": True}, "team": "blue"}}),
        ("/oauth", {"scope": "write read"}),
        ("/scope-list", {"scope": ["read", "write"]}),
        ("/scope-objects", {"scope": ["read", {"role": "admin"}]}),
        ("/flag-true", {"flag": True}),
        ("/level-one", {"level": 1.0}),
        ("/code-one", {"code": "1"}),
        ("/groups", {"groups": ["ops", "staff"]}),
        ("/null-claim", {"gone": None}),
        ("/users/alice", {}),
        ("/users/bob", {"admin": True, "role": "root"}),
        ("/typed", {"tenant": "acme", "ratio": 10**300, "labels": {"a": 1}}),
        ("/tenants/acme", {"tenant": "acme", "role": "tenant", "scope": "read"}),
        ("/tenants/acme", {"tenant": "x", "root": True, "perms": {"all": [True, False]}}),
    ]
    for path, extra in cases:
        HS.calls.clear()
        response = HS.get(path, _sign(header(), {**claims(), **extra}, None))
        assert response.status_code == 200, (path, response.get_data(as_text=True))
        assert len(HS.calls) == 1


# -- every location, and the CSRF header (issue 11) -----------------------------------


def _locations_app() -> tuple[Flask, list[str | None]]:
    app = Flask("fuzz_locations")
    configure(app, config_for("HS256"))
    AuthManager(app, clock=lambda: NOW)
    calls: list[str | None] = []

    @app.route("/any", methods=["GET", "POST", "PUT", "DELETE"])
    @require_token(location=("header", "cookies", "query", "json"), optional=True)
    def any_location() -> dict[str, str | None]:
        calls.append(current_token.sub if current_token else None)
        return {"sub": calls[-1]}

    return app, calls


LOCATIONS_APP, LOCATION_CALLS = _locations_app()
LOCATION_CODES: Final = REFUSAL_CODES | {"json_body_invalid"}
# What a client can put in a cookie value or header without breaking the framing.
COOKIE_TEXT: Final = st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters=';,\\"'),
    max_size=120,
)
TOKENISH: Final = st.one_of(
    st.just(VALID["HS256"]),
    st.just(VALID["HS256"] + "x"),
    st.just(""),
    COOKIE_TEXT,
)


def _json_body(value: object, extra: dict[str, int]) -> bytes:
    return json.dumps({"auth_token": value, **extra}).encode()


BODIES: Final = st.one_of(
    st.binary(max_size=300),
    st.builds(
        _json_body,
        st.one_of(TOKENISH, st.integers(), st.none(), st.lists(st.text(max_size=5), max_size=2)),
        st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    ),
    st.sampled_from([b"[]", b"null", b'{"a":1,"a":2}', b"\xef\xbb\xbf{}", b"[" * 3000]),
)
CONTENT_TYPES: Final = st.sampled_from(
    [None, "application/json", "application/ld+json", "text/plain",
     "application/x-www-form-urlencoded", "application/json; charset=utf-16"]
)  # fmt: skip


@PROFILE
@given(
    st.sampled_from(["GET", "POST", "PUT", "DELETE"]),
    st.one_of(st.none(), TOKENISH.map(lambda token: f"Bearer {token}"), HEADER_TEXT),
    st.one_of(st.none(), TOKENISH),
    st.one_of(st.none(), st.just(csrf_value(VALID["HS256"])), COOKIE_TEXT),
    st.one_of(st.none(), TOKENISH, HEADER_TEXT),
    CONTENT_TYPES,
    BODIES,
)
def test_any_request_to_every_location_answers_200_401_or_403_never_5xx(
    method: str,
    authorization: str | None,
    cookie: str | None,
    csrf: str | None,
    query: str | None,
    content_type: str | None,
    body: bytes,
) -> None:
    headers: dict[str, str] = {}
    if authorization is not None:
        headers["Authorization"] = authorization
    if cookie is not None:
        headers["Cookie"] = f"auth_token={cookie}"
    if csrf is not None:
        headers["X-CSRF-Token"] = csrf
    if content_type is not None:
        headers["Content-Type"] = content_type
    LOCATION_CALLS.clear()
    client = LOCATIONS_APP.test_client(use_cookies=False)
    response = client.open(
        "/any",
        method=method,
        headers=headers,
        query_string=None if query is None else {"jwt": query},
        data=body,
    )
    counter = STATS.setdefault("every location", Counter())
    counter["examples"] += 1
    counter[str(response.status_code)] += 1
    if response.status_code >= 500:
        counter["5xx"] += 1
    context = (method, headers, query, body[:80], response.get_data(as_text=True)[:300])
    assert response.status_code in (200, 401, 403), context
    if response.status_code == 200:
        assert len(LOCATION_CALLS) == 1, context
        assert LOCATION_CALLS[0] in (None, "alice"), context
        return
    assert LOCATION_CALLS == [], context
    code = json_body(response)["code"]
    if response.status_code == 403:
        # Only a cookie token on an unsafe method without its value is refused so.
        assert code == "csrf_failed", context
        assert method != "GET", context
        assert csrf != csrf_value(str(cookie)), context
    else:
        assert code in LOCATION_CODES, context
