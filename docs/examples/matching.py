"""The matching rules of ``require_token``, as cases run through a real app.

The table in the ``require_token`` page is rendered from :data:`CASES` with the
status code each case really gets (see ``generated.py``); the tests check it is the
``expected`` one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from flask import Flask

from flask_pyjwt import AuthManager, Exact, FromRoute, require_token
from flask_pyjwt.typing import ClaimRequirement, JSONInput

Route = Literal["plain", "username", "org_id"]


@dataclass(frozen=True)
class Case:
    """One requirement, one token, one request.

    Attributes:
        requirement: the ``require_token(...)`` arguments as the docs show them.
        token: what the token holds, as the docs show it.
        expected: the status code the request must get.
        why: the rule at work.
    """

    requirement: str
    token: str
    expected: int
    why: str
    scope_required: JSONInput = None
    override: Mapping[str, JSONInput] | None = None
    claims_required: Mapping[str, ClaimRequirement] = field(
        default_factory=dict[str, ClaimRequirement]
    )
    sub: str = "alice"
    token_scope: JSONInput = None
    token_claims: Mapping[str, JSONInput] = field(default_factory=dict[str, JSONInput])
    route: Route = "plain"
    path: str = "/plain"


CASES: tuple[Case, ...] = (
    Case(
        'scope={"admin": True}',
        'scope ``{"admin": true, "editor": true}``',
        200,
        "every required key is present and equal; extra keys do not matter",
        scope_required={"admin": True},
        token_scope={"admin": True, "editor": True},
    ),
    Case(
        'scope={"admin": True}',
        'scope ``{"admin": 1}``',
        403,
        "JSON types are not mixed up: ``true`` is not ``1``",
        scope_required={"admin": True},
        token_scope={"admin": 1},
    ),
    Case(
        'scope={"admin": True}',
        'scope ``{"admin": "true"}``',
        403,
        'the string ``"true"`` is not ``true``',
        scope_required={"admin": True},
        token_scope={"admin": "true"},
    ),
    Case(
        'scope={"admin": True}',
        "no scope",
        403,
        "a missing key never matches",
        scope_required={"admin": True},
    ),
    Case(
        'scope={"teams": {"red": "lead", "blue": "lead"}}',
        'scope ``{"teams": {"red": "lead", "blue": "member"}}``',
        403,
        "nested mappings are checked completely, every key",
        scope_required={"teams": {"red": "lead", "blue": "lead"}},
        token_scope={"teams": {"red": "lead", "blue": "member"}},
    ),
    Case(
        'scope={"roles": ["editor"]}',
        'scope ``{"roles": ["viewer", "editor"]}``',
        200,
        "a required list is satisfied when each of its items is in the token's list",
        scope_required={"roles": ["editor"]},
        token_scope={"roles": ["viewer", "editor"]},
    ),
    Case(
        'scope={"roles": ["editor", "admin"]}',
        'scope ``{"roles": ["editor"]}``',
        403,
        "all required items must be there, not any one",
        scope_required={"roles": ["editor", "admin"]},
        token_scope={"roles": ["editor"]},
    ),
    Case(
        'scope="read write"',
        'scope ``"write read delete"``',
        200,
        "an OAuth scope string is a set of scopes: order and extras do not matter",
        scope_required="read write",
        token_scope="write read delete",
    ),
    Case(
        'scope="read write"',
        'scope ``"read"``',
        403,
        "every required scope must be granted",
        scope_required="read write",
        token_scope="read",
    ),
    Case(
        'scope=["read", "write"]',
        'scope ``["write", "read"]``',
        200,
        "a list of scopes is the same set as the string ``read write``",
        scope_required=["read", "write"],
        token_scope=["write", "read"],
    ),
    Case(
        'scope="read"',
        'scope ``"reader"``',
        403,
        "scopes are whole words, never prefixes or substrings",
        scope_required="read",
        token_scope="reader",
    ),
    Case(
        'scope=["read"]',
        'scope ``["read", {"tenant": "a"}]``',
        403,
        "a scope array holding anything but strings is no set of scopes",
        scope_required=["read"],
        token_scope=["read", {"tenant": "a"}],
    ),
    Case(
        'scope=[{"role": "admin"}]',
        'scope ``["read", {"role": "admin", "org": 7}]``',
        200,
        "a required list holding objects follows the list rule: each item matches some element",
        scope_required=[{"role": "admin"}],
        token_scope=["read", {"role": "admin", "org": 7}],
    ),
    Case(
        "level=3",
        "claim ``level: 3.0``",
        200,
        "numbers compare as JSON numbers: ``3`` equals ``3.0``",
        claims_required={"level": 3},
        token_claims={"level": 3.0},
    ),
    Case(
        "level=3",
        'claim ``level: "3"``',
        403,
        'the string ``"3"`` is not the number ``3``',
        claims_required={"level": 3},
        token_claims={"level": "3"},
    ),
    Case(
        'tenant="acme"',
        'claim ``tenant: "ACME"``',
        403,
        "strings compare exactly, case included",
        claims_required={"tenant": "acme"},
        token_claims={"tenant": "ACME"},
    ),
    Case(
        'claims={"location": "eu"}',
        'claim ``location: "eu"``',
        200,
        "``claims=`` states claims named like an option of ``require_token``",
        claims_required={"location": "eu"},
        token_claims={"location": "eu"},
    ),
    Case(
        'sub="username"',
        '``sub: "alice"``, ``GET /users/alice``',
        200,
        "a string naming a view parameter binds to that route variable",
        claims_required={"sub": "username"},
        route="username",
        path="/users/alice",
    ),
    Case(
        'sub="username"',
        '``sub: "bob"``, ``GET /users/alice``',
        403,
        "the claim must equal the value in the URL",
        claims_required={"sub": "username"},
        sub="bob",
        route="username",
        path="/users/alice",
    ),
    Case(
        'role=Exact("username")',
        'claim ``role: "username"``, ``GET /users/alice``',
        200,
        "``Exact`` is always a literal, even when it names a view parameter",
        claims_required={"role": Exact("username")},
        token_claims={"role": "username"},
        route="username",
        path="/users/alice",
    ),
    Case(
        'org=FromRoute("org_id")',
        "claim ``org: 7``, ``GET /orgs/7`` (``<int:org_id>``)",
        200,
        "route values keep the type their converter gives",
        claims_required={"org": FromRoute("org_id")},
        token_claims={"org": 7},
        route="org_id",
        path="/orgs/7",
    ),
    Case(
        'org=FromRoute("org_id")',
        'claim ``org: "7"``, ``GET /orgs/7`` (``<int:org_id>``)',
        403,
        'so the string ``"7"`` does not match the int route value ``7``',
        claims_required={"org": FromRoute("org_id")},
        token_claims={"org": "7"},
        route="org_id",
        path="/orgs/7",
    ),
    Case(
        'sub="username", override={"admin": True}',
        '``sub: "bob"``, claim ``admin: true``, ``GET /users/alice``',
        200,
        "when every override claim matches, the other checks are skipped",
        claims_required={"sub": "username"},
        override={"admin": True},
        sub="bob",
        token_claims={"admin": True},
        route="username",
        path="/users/alice",
    ),
    Case(
        'sub="username", override={"admin": True}',
        '``sub: "bob"``, scope ``{"admin": true}``, ``GET /users/alice``',
        403,
        "``override`` matches top-level claims, not the scope: "
        'use ``override={"scope": {"admin": True}}`` for that',
        claims_required={"sub": "username"},
        override={"admin": True},
        sub="bob",
        token_scope={"admin": True},
        route="username",
        path="/users/alice",
    ),
    Case(
        'sub="username", override={"scope": {"admin": True}}',
        '``sub: "bob"``, scope ``{"admin": true}``, ``GET /users/alice``',
        200,
        "override values follow the same matching rules, nested mappings included",
        claims_required={"sub": "username"},
        override={"scope": {"admin": True}},
        sub="bob",
        token_scope={"admin": True},
        route="username",
        path="/users/alice",
    ),
)


def _app() -> tuple[Flask, AuthManager]:
    app = Flask("matching")
    app.config["JWT_ISSUER"] = "matching"
    app.config["JWT_AUTHTYPE"] = "HS256"
    app.config["JWT_SECRET"] = "a-32-byte-or-longer-secret-for-hs256!"
    return app, AuthManager(app)


def status_of(case: Case) -> int:
    """The status code ``case``'s request really gets."""
    app, manager = _app()
    # claims= takes the mapping as it is, whatever its keys (they cannot clash with options).
    protect = require_token(
        scope=case.scope_required, override=case.override, claims=case.claims_required
    )

    if case.route == "username":

        @app.route("/users/<username>")
        @protect
        def by_user(username: str) -> str:
            return username

    elif case.route == "org_id":

        @app.route("/orgs/<int:org_id>")
        @protect
        def by_org(org_id: int) -> str:
            return str(org_id)

    else:

        @app.route("/plain")
        @protect
        def plain() -> str:
            return "ok"

    with app.app_context():
        token = manager.auth_token(case.sub, case.token_scope, claims=case.token_claims)
    response = app.test_client().get(case.path, headers={"Authorization": f"Bearer {token.signed}"})
    return response.status_code
