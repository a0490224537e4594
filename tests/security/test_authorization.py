"""Authorization attacks: partial nested scopes (the original library's bypass), JSON type
confusion (``true`` vs ``1``, ``"1"`` vs ``1``), list inclusion, OAuth scope strings and
partially matching ``override`` claims. Valid tokens that lack authority get 403.
"""

from __future__ import annotations

import pytest

from tests.security.harness import (
    DROP,
    assert_accepted,
    assert_refused,
    claims,
    header,
    make_harness,
)
from tests.support import forge

OK = None
CASES: dict[str, tuple[str, dict[str, object], str | None]] = {
    # name: (path, claim overrides, 403 code or OK)
    # scope={"admin": True}
    "admin true": ("/admin", {"scope": {"admin": True}}, OK),
    "admin true with extras": ("/admin", {"scope": {"admin": True, "x": 1}}, OK),
    "admin 1": ("/admin", {"scope": {"admin": 1}}, "insufficient_scope"),
    "admin 1.0": ("/admin", {"scope": {"admin": 1.0}}, "insufficient_scope"),
    "admin 'true'": ("/admin", {"scope": {"admin": "true"}}, "insufficient_scope"),
    "admin false": ("/admin", {"scope": {"admin": False}}, "insufficient_scope"),
    "admin null": ("/admin", {"scope": {"admin": None}}, "insufficient_scope"),
    "admin [true]": ("/admin", {"scope": {"admin": [True]}}, "insufficient_scope"),
    "Admin (case)": ("/admin", {"scope": {"Admin": True}}, "insufficient_scope"),
    "empty scope": ("/admin", {"scope": {}}, "insufficient_scope"),
    "no scope": ("/admin", {"scope": DROP}, "insufficient_scope"),
    "scope null": ("/admin", {"scope": None}, "insufficient_scope"),
    "scope string admin": ("/admin", {"scope": "admin"}, "insufficient_scope"),
    "scope list admin": ("/admin", {"scope": ["admin"]}, "insufficient_scope"),
    "admin claim outside scope": ("/admin", {"admin": True}, "insufficient_scope"),
    # scope={"admin": {"read": True, "write": True}, "team": "blue"}
    "nested complete": (
        "/nested", {"scope": {"admin": {"read": True, "write": True}, "team": "blue"}}, OK
    ),
    "nested with extras": (
        "/nested",
        {"scope": {"admin": {"read": True, "write": True, "delete": True}, "team": "blue", "z": 0}},
        OK,
    ),
    "nested partial (the 1.x bypass)": (
        "/nested", {"scope": {"admin": {"read": True}, "team": "blue"}}, "insufficient_scope"
    ),
    "nested complete, sibling missing": (
        "/nested", {"scope": {"admin": {"read": True, "write": True}}}, "insufficient_scope"
    ),
    "nested sibling wrong": (
        "/nested",
        {"scope": {"admin": {"read": True, "write": True}, "team": "red"}},
        "insufficient_scope",
    ),
    "nested write 1": (
        "/nested",
        {"scope": {"admin": {"read": True, "write": 1}, "team": "blue"}},
        "insufficient_scope",
    ),
    "nested flattened to true": (
        "/nested", {"scope": {"admin": True, "team": "blue"}}, "insufficient_scope"
    ),
    "nested as list": (
        "/nested", {"scope": {"admin": ["read", "write"], "team": "blue"}}, "insufficient_scope"
    ),
    "nested as string": ("/nested", {"scope": {"admin": "read write", "team": "blue"}},
                         "insufficient_scope"),
    # scope="read write": OAuth scope strings are sets
    "oauth exact": ("/oauth", {"scope": "read write"}, OK),
    "oauth reordered": ("/oauth", {"scope": "write read"}, OK),
    "oauth superset": ("/oauth", {"scope": "admin read write"}, OK),
    "oauth double space": ("/oauth", {"scope": "read  write"}, OK),
    "oauth as list": ("/oauth", {"scope": ["write", "read"]}, OK),
    "oauth one of two": ("/oauth", {"scope": "read"}, "insufficient_scope"),
    "oauth glued": ("/oauth", {"scope": "readwrite"}, "insufficient_scope"),
    "oauth comma separated": ("/oauth", {"scope": "read,write"}, "insufficient_scope"),
    "oauth upper case": ("/oauth", {"scope": "READ WRITE"}, "insufficient_scope"),
    "oauth prefix match": ("/oauth", {"scope": "reader writer"}, "insufficient_scope"),
    "oauth as mapping": ("/oauth", {"scope": {"read": True, "write": True}},
                         "insufficient_scope"),
    "oauth list with a non-string": ("/oauth", {"scope": ["read", "write", 1]},
                                     "insufficient_scope"),
    "oauth nested list": ("/oauth", {"scope": [["read", "write"]]}, "insufficient_scope"),
    "oauth empty": ("/oauth", {"scope": ""}, "insufficient_scope"),
    # scope=["read", "write"]
    "scope list from string": ("/scope-list", {"scope": "write read"}, OK),
    "scope list superset": ("/scope-list", {"scope": ["x", "write", "read"]}, OK),
    "scope list one": ("/scope-list", {"scope": ["read"]}, "insufficient_scope"),
    # a scope array holding an object is no set of scope strings: 403, never a 500
    "oauth list with an object": ("/oauth", {"scope": ["read", "write", {"tenant": "a"}]},
                                  "insufficient_scope"),
    "scope list with an object": ("/scope-list", {"scope": ["read", "write", {"r": 1}]},
                                  "insufficient_scope"),
    "scope list with a nested list": ("/scope-list", {"scope": ["read", "write", ["x"]]},
                                      "insufficient_scope"),
    # scope=[{"role": "admin"}]: not strings, so the general rule (lists by inclusion)
    "object scope held": ("/scope-objects", {"scope": [{"role": "admin", "x": 1}]}, OK),
    "object scope among others": ("/scope-objects", {"scope": ["read", {"role": "admin"}]},
                                  OK),
    "object scope other role": ("/scope-objects", {"scope": [{"role": "user"}]},
                                "insufficient_scope"),
    "object scope not in an array": ("/scope-objects", {"scope": {"role": "admin"}},
                                     "insufficient_scope"),
    "object scope as string": ("/scope-objects", {"scope": "role admin"},
                               "insufficient_scope"),
    "object scope as strings": ("/scope-objects", {"scope": ["role", "admin"]},
                                "insufficient_scope"),
    # flag=True / level=1 / code="1": JSON types are never mixed up
    "flag true": ("/flag-true", {"flag": True}, OK),
    "flag 1": ("/flag-true", {"flag": 1}, "claim_mismatch"),
    "flag 'true'": ("/flag-true", {"flag": "true"}, "claim_mismatch"),
    "flag missing": ("/flag-true", {}, "claim_mismatch"),
    "flag in scope only": ("/flag-true", {"scope": {"flag": True}}, "claim_mismatch"),
    "level 1": ("/level-one", {"level": 1}, OK),
    "level 1.0 (same JSON number)": ("/level-one", {"level": 1.0}, OK),
    "level true": ("/level-one", {"level": True}, "claim_mismatch"),
    "level '1'": ("/level-one", {"level": "1"}, "claim_mismatch"),
    "level [1]": ("/level-one", {"level": [1]}, "claim_mismatch"),
    "code '1'": ("/code-one", {"code": "1"}, OK),
    "code 1": ("/code-one", {"code": 1}, "claim_mismatch"),
    "code true": ("/code-one", {"code": True}, "claim_mismatch"),
    # groups=["staff", "ops"]: lists by inclusion
    "groups superset": ("/groups", {"groups": ["ops", "x", "staff"]}, OK),
    "groups one": ("/groups", {"groups": ["staff"]}, "claim_mismatch"),
    "groups as string": ("/groups", {"groups": "staff ops"}, "claim_mismatch"),
    "groups nested": ("/groups", {"groups": [["staff", "ops"]]}, "claim_mismatch"),
    "groups as mapping": ("/groups", {"groups": {"staff": True, "ops": True}},
                          "claim_mismatch"),
    # gone=None: null is a value, not absence
    "null present": ("/null-claim", {"gone": None}, OK),
    "null missing": ("/null-claim", {}, "claim_mismatch"),
    "null as string": ("/null-claim", {"gone": "null"}, "claim_mismatch"),
    "null as false": ("/null-claim", {"gone": False}, "claim_mismatch"),
    # /users/<username>: sub="username", override={"admin": True, "role": "root"}
    "own resource": ("/users/alice", {}, OK),
    "other resource": ("/users/bob", {}, "claim_mismatch"),
    "resource case differs": ("/users/Alice", {}, "claim_mismatch"),
    "full override": ("/users/bob", {"admin": True, "role": "root"}, OK),
    "override admin only": ("/users/bob", {"admin": True}, "claim_mismatch"),
    "override role only": ("/users/bob", {"role": "root"}, "claim_mismatch"),
    "override role case": ("/users/bob", {"admin": True, "role": "ROOT"}, "claim_mismatch"),
    "override admin 1": ("/users/bob", {"admin": 1, "role": "root"}, "claim_mismatch"),
    "override admin 'true'": ("/users/bob", {"admin": "true", "role": "root"},
                              "claim_mismatch"),
    "override inside scope": ("/users/bob", {"scope": {"admin": True, "role": "root"}},
                              "claim_mismatch"),
    "override as list": ("/users/bob", {"admin": [True], "role": ["root"]}, "claim_mismatch"),
}  # fmt: skip


@pytest.mark.parametrize(("path", "overrides", "code"), CASES.values(), ids=CASES.keys())
def test_authorization(path: str, overrides: dict[str, object], code: str | None) -> None:
    harness = make_harness()
    response = harness.get(path, forge(header(), claims(**overrides)))
    if code is None:
        view = path.strip("/").replace("users/", "users:")
        assert_accepted(harness, response, view)
    else:
        assert_refused(harness, response, 403, code)


def test_invalid_token_is_401_before_any_authorization_check() -> None:
    """A bad token on a scoped view is 401 (authentication), never 403."""
    harness = make_harness()
    token = forge(header(), claims(scope={"admin": True}), key=b"x" * 64)
    assert_refused(harness, harness.get("/admin", token), 401, "signature_invalid")
