"""Typed custom claims through a real Flask app: issue from a dataclass, read it back typed,
and refuse (401, JSON body) every token whose claims do not fit the declared shape."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import pytest
from flask import Flask
from flask.testing import FlaskClient

from flask_pyjwt import AuthManager, current_token, require_token
from flask_pyjwt.claims import dump_claims, load_claims
from flask_pyjwt.errors import ClaimInvalidError, ClaimsShapeError, NoCurrentTokenError
from tests.support import ISSUER, bearer, forge, make_app


@dataclass(frozen=True)
class Address:
    city: str
    zip_code: str | None = None


@dataclass(frozen=True)
class TenantClaims:
    tenant: str
    roles: tuple[str, ...]
    level: int = 0
    plan: Literal["free", "pro"] = "free"
    ratio: float = 1.0
    address: Address | None = None
    labels: Mapping[str, str] = dataclasses.field(default_factory=dict[str, str])


@pytest.fixture
def app_manager() -> tuple[Flask, AuthManager]:
    app, manager = make_app()

    @app.get("/tenant/<tenant>")
    @require_token(tenant="tenant", claims_as=TenantClaims)
    def tenant_view(tenant: str) -> dict[str, object]:
        claims = current_token.claims_as(TenantClaims)
        return {
            "tenant": claims.tenant,
            "route": tenant,
            "roles": list(claims.roles),
            "level": claims.level,
            "plan": claims.plan,
            "ratio": claims.ratio,
            "city": None if claims.address is None else claims.address.city,
            "labels": dict(claims.labels),
        }

    @app.get("/lazy")
    @require_token()
    def lazy_view() -> dict[str, object]:
        # No claims_as on the decorator: the shape is checked on first use, still a 401.
        return {"tenant": current_token.claims_as(TenantClaims).tenant}

    @app.get("/async")
    @require_token(claims_as=TenantClaims)
    async def async_view() -> dict[str, object]:
        await asyncio.sleep(0)
        return {"roles": list(current_token.claims_as(TenantClaims).roles)}

    return app, manager


def _token(app: Flask, manager: AuthManager, **claims: object) -> str:
    with app.app_context():
        return manager.auth_token("alice", **claims).signed  # type: ignore[arg-type]


def _typed_token(app: Flask, manager: AuthManager, claims: TenantClaims) -> str:
    with app.app_context():
        return manager.auth_token("alice", claims=dump_claims(claims)).signed


def _client(app: Flask) -> FlaskClient:
    return app.test_client()


def test_issue_from_dataclass_and_read_back_typed(app_manager: tuple[Flask, AuthManager]) -> None:
    app, manager = app_manager
    claims = TenantClaims(
        tenant="acme",
        roles=("admin", "ops"),
        level=3,
        plan="pro",
        ratio=2,
        address=Address(city="Lyon"),
        labels={"team": "core"},
    )
    response = _client(app).get("/tenant/acme", headers=bearer(_typed_token(app, manager, claims)))
    assert response.status_code == 200
    assert response.json == {
        "tenant": "acme",
        "route": "acme",
        "roles": ["admin", "ops"],
        "level": 3,
        "plan": "pro",
        "ratio": 2.0,
        "city": "Lyon",
        "labels": {"team": "core"},
    }


def test_defaults_apply_to_absent_claims(app_manager: tuple[Flask, AuthManager]) -> None:
    app, manager = app_manager
    token = _token(app, manager, tenant="acme", roles=["viewer"])
    response = _client(app).get("/tenant/acme", headers=bearer(token))
    assert response.status_code == 200
    assert response.json is not None
    assert response.json["level"] == 0
    assert response.json["plan"] == "free"
    assert response.json["city"] is None


@pytest.mark.parametrize(
    ("claims", "path"),
    [
        ({"roles": ["admin"]}, "tenant"),  # missing required claim
        ({"tenant": 42, "roles": []}, "tenant"),  # number where a string is declared
        ({"tenant": "acme", "roles": "admin"}, "roles"),  # string where an array is declared
        ({"tenant": "acme", "roles": ["admin", 7]}, "roles[1]"),  # wrong item type
        ({"tenant": "acme", "roles": [], "level": True}, "level"),  # true is not 1
        ({"tenant": "acme", "roles": [], "level": 1.5}, "level"),  # not an integer
        ({"tenant": "acme", "roles": [], "plan": "gold"}, "plan"),  # not a declared literal
        ({"tenant": "acme", "roles": [], "ratio": "1"}, "ratio"),  # "1" is not 1
        ({"tenant": "acme", "roles": [], "address": {"zip_code": "1"}}, "address.city"),
        ({"tenant": "acme", "roles": [], "address": ["Lyon"]}, "address"),
        ({"tenant": "acme", "roles": [], "labels": {"team": 1}}, "labels.*"),
    ],
)
def test_mismatched_shape_is_401_with_json_body(
    app_manager: tuple[Flask, AuthManager], claims: dict[str, object], path: str
) -> None:
    app, manager = app_manager
    response = _client(app).get("/tenant/acme", headers=bearer(_token(app, manager, **claims)))
    assert response.status_code == 401
    assert response.mimetype == "application/json"
    body = response.json
    assert body is not None
    assert body["code"] == "claim_invalid"
    assert body["error"] == "invalid_token"
    assert path in body["message"]
    assert "TenantClaims" in body["message"]
    assert response.headers["WWW-Authenticate"].startswith('Bearer error="invalid_token"')


def test_shape_is_checked_before_authorization(app_manager: tuple[Flask, AuthManager]) -> None:
    # A malformed token for another tenant is a 401 (invalid), not a 403 (not allowed).
    app, manager = app_manager
    token = _token(app, manager, tenant=7, roles=[])
    assert _client(app).get("/tenant/acme", headers=bearer(token)).status_code == 401


def test_route_mismatch_is_still_403(app_manager: tuple[Flask, AuthManager]) -> None:
    app, manager = app_manager
    token = _typed_token(app, manager, TenantClaims(tenant="other", roles=()))
    response = _client(app).get("/tenant/acme", headers=bearer(token))
    assert response.status_code == 403
    assert response.json is not None
    assert response.json["code"] == "claim_mismatch"


def test_lazy_check_in_view_is_401_not_500(app_manager: tuple[Flask, AuthManager]) -> None:
    app, manager = app_manager
    good = _token(app, manager, tenant="acme", roles=[])
    bad = _token(app, manager, tenant=["acme"], roles=[])
    client = _client(app)
    assert client.get("/lazy", headers=bearer(good)).json == {"tenant": "acme"}
    response = client.get("/lazy", headers=bearer(bad))
    assert response.status_code == 401
    assert response.json is not None
    assert response.json["code"] == "claim_invalid"


def test_async_view(app_manager: tuple[Flask, AuthManager]) -> None:
    app, manager = app_manager
    token = _typed_token(app, manager, TenantClaims(tenant="acme", roles=("a",)))
    response = _client(app).get("/async", headers=bearer(token))
    assert response.status_code == 200
    assert response.json == {"roles": ["a"]}
    bad = _token(app, manager, tenant="acme")
    assert _client(app).get("/async", headers=bearer(bad)).status_code == 401


def test_forged_token_with_wrong_shape_is_401() -> None:
    # Signed by the right key, from the right issuer, but not of the declared shape.
    app, _ = make_app()

    @app.get("/")
    @require_token(claims_as=TenantClaims)
    def view() -> str:
        return current_token.claims_as(TenantClaims).tenant

    payload: dict[str, object] = {
        "iss": ISSUER, "sub": "alice", "iat": 1, "exp": 4_000_000_000, "jti": "j",
        "type": "auth", "tenant": None, "roles": [],
    }  # fmt: skip
    token = forge({"alg": "HS256", "typ": "at+jwt"}, payload)
    assert app.test_client().get("/", headers=bearer(token)).status_code == 401


def test_claims_as_is_cached_per_request(app_manager: tuple[Flask, AuthManager]) -> None:
    app, manager = app_manager
    token = _token(app, manager, tenant="acme", roles=[])
    seen: list[TenantClaims] = []

    @app.get("/twice")
    @require_token(claims_as=TenantClaims)
    def twice() -> str:
        seen.append(current_token.claims_as(TenantClaims))
        seen.append(current_token.claims_as(TenantClaims))
        return "ok"

    assert _client(app).get("/twice", headers=bearer(token)).status_code == 200
    assert seen[0] is seen[1]


def test_claims_as_outside_a_request() -> None:
    with pytest.raises(NoCurrentTokenError):
        current_token.claims_as(TenantClaims)


def test_load_claims_on_a_converted_token() -> None:
    app, manager = make_app()
    with app.app_context():
        token = manager.convert_token(
            manager.auth_token("alice", tenant="acme", roles=["x"]).signed, "auth"
        )
    claims = load_claims(TenantClaims, token.claims)
    assert claims == TenantClaims(tenant="acme", roles=("x",))
    with pytest.raises(ClaimsShapeError) as caught:
        load_claims(TenantClaims, {"tenant": "acme"})
    assert isinstance(caught.value, ClaimInvalidError)
    assert caught.value.claim == "roles"
    assert caught.value.shape == "TenantClaims"
    assert caught.value.code == "claim_invalid"


@dataclass(frozen=True)
class Pair:
    point: tuple[int, str]
    tags: tuple[str, ...] = ()


def test_fixed_tuples_and_round_trip() -> None:
    value = Pair(point=(1, "a"), tags=("x",))
    dumped = dump_claims(value)
    assert dumped == {"point": (1, "a"), "tags": ("x",)}
    assert load_claims(Pair, dumped) == value
    with pytest.raises(ClaimsShapeError, match=r"point claim must be an array of 2 items"):
        load_claims(Pair, {"point": (1,)})
    with pytest.raises(ClaimsShapeError, match=r"point\[1\]"):
        load_claims(Pair, {"point": (1, 2)})
    with pytest.raises(ClaimsShapeError):
        load_claims(Pair, {"point": "1,a"})


@dataclass
class Mutable:
    tenant: str


@dataclass(frozen=True)
class WithList:
    roles: list[str]


@dataclass(frozen=True)
class WithObject:
    when: object


@dataclass(frozen=True)
class WithFloatLiteral:
    level: Literal[1.5]  # type: ignore[valid-type]  # deliberately invalid


@dataclass(frozen=True)
class WithTupleOfAnything:
    pair: tuple[()]


@dataclass(frozen=True)
class WithInitVar:
    tenant: str
    region: dataclasses.InitVar[str]


def test_bad_shapes_fail_at_decoration_time() -> None:
    for shape, message in [
        (Mutable, "not a frozen dataclass"),
        (WithList, "mutable list"),
        (WithObject, "not a JSON claim type"),
        (WithFloatLiteral, "Literal claims"),
        (WithTupleOfAnything, "not a JSON claim type"),
        (WithInitVar, r"WithInitVar\.region is an InitVar"),
    ]:
        with pytest.raises(TypeError, match=message):
            require_token(claims_as=shape)


def test_dump_refuses_values_outside_the_shape() -> None:
    @dataclass(frozen=True)
    class Sneaky:
        tenant: str

    with pytest.raises(TypeError, match="not a JSON claim value"):
        dump_claims(Sneaky(tenant=object()))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Derived:
    tenant: str
    label: str = dataclasses.field(init=False, default="computed")


@dataclass(frozen=True)
class JustTenant:
    tenant: str


def test_fields_outside_init_are_not_claims_and_mappings_need_objects() -> None:
    assert load_claims(Derived, {"tenant": "acme", "label": "ignored"}).label == "computed"
    with pytest.raises(ClaimsShapeError, match="labels claim must be an object"):
        load_claims(TenantClaims, {"tenant": "acme", "roles": (), "labels": "team=core"})


def test_two_shapes_in_one_request(app_manager: tuple[Flask, AuthManager]) -> None:
    app, manager = app_manager

    @app.get("/both")
    @require_token(claims_as=TenantClaims)
    def both() -> dict[str, object]:
        narrow = current_token.claims_as(JustTenant)
        wide = current_token.claims_as(TenantClaims)
        return {"narrow": narrow.tenant, "wide": wide.tenant}

    token = _token(app, manager, tenant="acme", roles=[])
    response = _client(app).get("/both", headers=bearer(token))
    assert response.json == {"narrow": "acme", "wide": "acme"}


def test_an_initvar_shape_is_refused_before_any_request() -> None:
    # Accepted at decoration, such a shape used to fail every request with a 500: the
    # constructor needs an argument that is not a claim.
    app, _ = make_app()
    with pytest.raises(TypeError, match="InitVar"):

        @app.get("/")
        @require_token(claims_as=WithInitVar)
        def view() -> str:
            return "ok"

    with pytest.raises(TypeError, match="InitVar"):
        load_claims(WithInitVar, {"tenant": "acme", "region": "eu"})


def _forged(**extra: object) -> str:
    payload: dict[str, object] = {
        "iss": ISSUER, "sub": "alice", "iat": 1, "exp": 4_000_000_000, "jti": "j",
        "type": "auth", **extra,
    }  # fmt: skip
    return forge({"alg": "HS256", "typ": "at+jwt"}, payload)


@pytest.mark.parametrize("huge", [10**400, -(10**309)], ids=["10**400", "-10**309"])
def test_an_integer_beyond_a_float_is_401_not_500(huge: int) -> None:
    # A JSON integer is exact in Python; float() of one past ~1.8e308 raised OverflowError.
    app, _ = make_app()
    calls: list[str] = []

    @app.get("/")
    @require_token(claims_as=TenantClaims)
    def view() -> str:
        calls.append("view")
        return "ok"

    token = _forged(tenant="acme", roles=[], ratio=huge)
    response = app.test_client().get("/", headers=bearer(token))
    assert response.status_code == 401
    body = response.json
    assert body is not None
    assert body["code"] == "claim_invalid"
    assert body["message"] == (
        "The token's ratio claim must be a number (claims shape TenantClaims)."
    )
    assert response.headers["WWW-Authenticate"].startswith('Bearer error="invalid_token"')
    assert calls == []
    assert load_claims(TenantClaims, {"tenant": "a", "roles": (), "ratio": 10**300}).ratio == 1e300


def test_claim_names_from_the_token_never_reach_the_error_body() -> None:
    # docs/security.rst: messages never hold text from the token. Mapping keys are the
    # token's; the message names the member by its place in the shape instead.
    app, _ = make_app()

    @app.get("/")
    @require_token(claims_as=TenantClaims)
    def view() -> str:
        return "ok"

    injected = "INJECTED<script>alert(1)</script>"
    token = _forged(tenant="acme", roles=[], labels={"team": "core", injected: 1})
    response = app.test_client().get("/", headers=bearer(token))
    assert response.status_code == 401
    text = response.get_data(as_text=True)
    assert "INJECTED" not in text
    assert "script" not in text
    assert "INJECTED" not in response.headers["WWW-Authenticate"]
    body = response.json
    assert body is not None
    assert body["message"] == (
        "The token's labels.* claim must be a string (claims shape TenantClaims)."
    )
    with pytest.raises(ClaimsShapeError) as caught:
        load_claims(TenantClaims, {"tenant": "a", "roles": (), "labels": {injected: 1}})
    assert injected not in str(caught.value)
    assert caught.value.claim == "labels.*"


@dataclass(frozen=True)
class Window:
    start: int
    end: int

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"window {self.start}..{self.end} ends before it starts")


@dataclass(frozen=True)
class Booking:
    room: str

    def __post_init__(self) -> None:
        if not self.room.isalnum():
            raise ValueError(f"room {self.room!r} is not a room number")


@dataclass(frozen=True)
class BookingClaims:
    booking: Booking
    window: Window | None = None


@pytest.mark.parametrize(
    ("claims", "path"),
    [
        ({"booking": {"room": "secret <script>"}}, "booking"),
        ({"booking": {"room": "101"}, "window": {"start": 9, "end": 8}}, "window"),
    ],
)
def test_a_shape_refusing_the_claims_in_post_init_is_401(
    claims: dict[str, object], path: str
) -> None:
    # A ValueError from the shape's own checks is the token not fitting the shape: 401
    # claim_invalid, never a 500, and the token's text in that error is not echoed.
    app, manager = make_app()

    @app.get("/booking")
    @require_token(claims_as=BookingClaims)
    def booking() -> dict[str, str]:
        return {"room": current_token.claims_as(BookingClaims).booking.room}

    with app.app_context():
        token = manager.auth_token("alice", claims=claims).signed  # type: ignore[arg-type]
        good = manager.auth_token("alice", claims={"booking": {"room": "101"}}).signed
    client = app.test_client()
    response = client.get("/booking", headers=bearer(token))
    assert response.status_code == 401
    body = response.json
    assert body is not None
    assert body["code"] == "claim_invalid"
    assert f"The token's {path} claim must be" in body["message"]
    assert "secret" not in response.get_data(as_text=True)
    assert "before it starts" not in response.get_data(as_text=True)
    assert client.get("/booking", headers=bearer(good)).json == {"room": "101"}


def test_load_claims_names_the_whole_shape_when_its_own_check_refuses() -> None:
    with pytest.raises(ClaimsShapeError) as caught:
        load_claims(Window, {"start": 2, "end": 1})
    assert caught.value.claim == "*"
    assert str(caught.value) == (
        "The token's claims must be accepted by Window.__post_init__ (claims shape Window)."
    )
