"""verify_request (issue 11, item 7): require_token's check, called from code, typically a
before_request handler that protects a whole blueprint."""

from __future__ import annotations

import pytest
from flask import Blueprint

from flask_pyjwt import (
    AuthToken,
    Exact,
    FromRoute,
    RefreshToken,
    Token,
    current_token,
    verify_request,
)
from flask_pyjwt.errors import ContextError
from tests.support import bearer, json_body, make_app


class Site:
    """An app whose blueprints are protected by before_request handlers."""

    def __init__(self) -> None:
        self.app, self.manager = make_app()
        self.seen: list[Token | None] = []
        app, manager, seen = self.app, self.manager, self.seen

        admin = Blueprint("admin", __name__, url_prefix="/admin")

        @admin.before_request
        def only_admins() -> None:
            seen.append(
                verify_request(scope="admin", claims={"level": Exact("staff"), "mfa": True})
            )

        @admin.get("/users")
        def users() -> dict[str, str]:
            return {"admin": current_token.sub}

        @admin.post("/users")
        def add_user() -> dict[str, str]:
            return {"added_by": current_token.sub}

        tenants = Blueprint("tenants", __name__, url_prefix="/tenants/<tenant>")

        @tenants.before_request
        def own_tenant() -> None:
            verify_request(claims={"tenant": FromRoute("tenant")})

        @tenants.get("/report")
        def report(tenant: str) -> dict[str, str]:
            return {"tenant": tenant}

        public = Blueprint("public", __name__, url_prefix="/public")

        @public.before_request
        def maybe() -> None:
            seen.append(verify_request(optional=True))

        @public.get("/page")
        def page() -> dict[str, object]:
            return {"user": current_token.sub if current_token else None}

        @app.post("/refresh")
        def refresh() -> dict[str, str]:
            token = verify_request("refresh", ("cookies", "json"))
            seen.append(token)
            return {"auth_token": manager.auth_token(token.sub).signed}

        @app.get("/misused")
        def misused() -> str:
            verify_request(claims={"role": "admin"})  # a plain string: route variable or literal?
            return "unreachable"

        for blueprint in (admin, tenants, public):
            app.register_blueprint(blueprint)

    def token(self, sub: str = "alice", scope: str | None = None, **claims: str | bool) -> str:
        with self.app.app_context():
            return self.manager.auth_token(sub, scope, claims=claims).signed


@pytest.fixture
def site() -> Site:
    return Site()


def test_a_before_request_check_protects_every_view_of_a_blueprint(site: Site) -> None:
    client = site.app.test_client()
    staff = bearer(site.token("alice", "admin", level="staff", mfa=True))
    assert json_body(client.get("/admin/users", headers=staff)) == {"admin": "alice"}
    assert json_body(client.post("/admin/users", headers=staff)) == {"added_by": "alice"}
    for headers, status, code in (
        ({}, 401, "token_missing"),
        (bearer("garbage"), 401, "token_malformed"),
        (bearer(site.token("bob", "admin", mfa=True)), 403, "claim_mismatch"),
        (bearer(site.token("bob", "admin", level="staff")), 403, "claim_mismatch"),
        (bearer(site.token("bob", "admin", level="staff", mfa="yes")), 403, "claim_mismatch"),
        (bearer(site.token("bob", level="staff", mfa=True)), 403, "insufficient_scope"),
    ):
        for method in ("GET", "POST"):
            response = client.open("/admin/users", method=method, headers=headers)
            assert (response.status_code, json_body(response)["code"]) == (status, code)
    assert [type(token) for token in site.seen] == [AuthToken, AuthToken]


def test_route_variables_are_bound_with_from_route(site: Site) -> None:
    client = site.app.test_client()
    token = bearer(site.token(tenant="acme"))
    assert json_body(client.get("/tenants/acme/report", headers=token)) == {"tenant": "acme"}
    other = client.get("/tenants/globex/report", headers=token)
    assert (other.status_code, json_body(other)["code"]) == (403, "claim_mismatch")


def test_optional_returns_none_without_a_token(site: Site) -> None:
    client = site.app.test_client()
    assert json_body(client.get("/public/page")) == {"user": None}
    assert json_body(client.get("/public/page", headers=bearer(site.token())))["user"] == "alice"
    assert site.seen[0] is None
    assert isinstance(site.seen[1], AuthToken)
    assert client.get("/public/page", headers=bearer("garbage")).status_code == 401


def test_the_return_type_follows_the_token_type(site: Site) -> None:
    with site.app.app_context():
        refresh = site.manager.refresh_token("alice").signed
    client = site.app.test_client()
    answer = client.post("/refresh", json={"refresh_token": refresh})
    assert str(json_body(answer)["auth_token"]).count(".") == 2
    assert [type(token) for token in site.seen] == [RefreshToken]
    # Cookies on POST need the CSRF header here as with the decorator.
    client.set_cookie("refresh_token", refresh)
    response = client.post("/refresh")
    assert (response.status_code, json_body(response)["code"]) == (403, "csrf_failed")


def test_a_plain_string_claim_must_say_what_it_is(site: Site) -> None:
    site.app.testing = True  # the ValueError is raised in the request: a programming error
    with pytest.raises(ValueError, match=r"role=FromRoute\('admin'\) or role=Exact\('admin'\)"):
        site.app.test_client().get("/misused", headers=bearer(site.token()))


def test_outside_a_request_or_with_wrong_arguments(site: Site) -> None:
    with pytest.raises(ContextError, match="inside one"):
        verify_request()
    with site.app.test_request_context("/"):
        with pytest.raises(ValueError, match="location must be"):
            verify_request(location="body")  # type: ignore[arg-type]  # deliberately wrong
        with pytest.raises(ValueError, match="never fresh"):
            verify_request("refresh", fresh=True)
        # A keyword that is no option is a claim requirement in require_token (1.x), but
        # verify_request (new in 2.0) takes those in claims= only: a misspelt option is a
        # TypeError here, never a claim every request would then fail.
        with pytest.raises(TypeError, match=r"scopes; claim requirements go in claims="):
            verify_request(scopes="admin")  # type: ignore[call-overload]
