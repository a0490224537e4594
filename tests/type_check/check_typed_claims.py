"""Typed custom claims: a frozen dataclass declares them; views read them back typed."""

from __future__ import annotations

# docs/typing.rst includes the lines between the two markers.
# [typing-guide-start]
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from flask import Flask
from typing_extensions import assert_type

from flask_pyjwt import AuthManager, current_token, require_token
from flask_pyjwt.claims import dump_claims, load_claims
from flask_pyjwt.errors import ClaimsShapeError
from flask_pyjwt.typing import ErrorCode, JSONValue


@dataclass(frozen=True)
class TenantClaims:
    tenant: str
    roles: tuple[str, ...] = ()
    plan: Literal["free", "pro"] = "free"
    limits: Mapping[str, int] = field(default_factory=dict[str, int])


app = Flask(__name__)
manager = AuthManager(app)


@app.get("/tenant/<tenant>")
@require_token(tenant="tenant", claims_as=TenantClaims)
def tenant_view(tenant: str) -> dict[str, str]:
    claims = current_token.claims_as(TenantClaims)
    assert_type(claims, TenantClaims)
    assert_type(claims.tenant, str)
    assert_type(claims.roles, tuple[str, ...])
    assert_type(claims.plan, Literal["free", "pro"])
    assert_type(claims.limits, Mapping[str, int])
    return {"tenant": claims.tenant, "route": tenant}


def issue(value: TenantClaims) -> str:
    return manager.auth_token("alice", claims=dump_claims(value)).signed


# [typing-guide-end]


def issue_and_load(raw_claims: Mapping[str, JSONValue], error: ClaimsShapeError) -> None:
    value = TenantClaims(tenant="acme", roles=("admin",), plan="pro")
    assert_type(dump_claims(value), dict[str, JSONValue])
    token = manager.auth_token("alice", claims=dump_claims(value))
    assert_type(load_claims(TenantClaims, token.claims), TenantClaims)
    assert_type(load_claims(TenantClaims, raw_claims), TenantClaims)
    assert_type(error.claim, str)
    assert_type(error.shape, str)
    code: ErrorCode = error.code  # a ClaimsShapeError answers 401 "claim_invalid"
    del code
    assert_type(tenant_view("acme"), dict[str, str])


def misuse() -> None:
    # What the library hands back is the shape itself: frozen, with its own field types.
    current_token.claims_as(TenantClaims).tenant = "other"  # type: ignore[misc]
    load_claims(TenantClaims, {}).roles = ("x",)  # type: ignore[misc]
    _: int = load_claims(TenantClaims, {}).tenant  # type: ignore[assignment]
    _ = current_token.claims_as(TenantClaims).missing  # type: ignore[attr-defined]
    current_token.claims_as(int)  # type: ignore[type-var]
    current_token.claims_as(TenantClaims).roles.append("x")  # type: ignore[attr-defined]
    require_token(claims_as=dict)  # type: ignore[arg-type]
    load_claims(str, {})  # type: ignore[type-var]
    dump_claims({"tenant": "acme"})  # type: ignore[arg-type]
