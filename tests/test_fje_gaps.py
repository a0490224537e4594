"""The last Flask-JWT-Extended gaps (issue 21), through real apps: user objects in, the
identity claim, expired tokens read on purpose and shown to error handlers, the header's
name and scheme, either kind on one route, and CSRF in plain HTML forms."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.typing import ResponseReturnValue

from flask_pyjwt import (
    AuthenticationFailed,
    AuthManager,
    AuthToken,
    RefreshToken,
    Token,
    current_token,
    require_token,
    verify_request,
)
from flask_pyjwt._core.transport import HeaderFraming
from flask_pyjwt._flask.transport import header_token, read_header
from flask_pyjwt.errors import (
    ClaimInvalidError,
    SignatureInvalidError,
    TokenExpiredError,
    TokenRevokedError,
    TokenTypeInvalidError,
)
from flask_pyjwt.typing import JSONInput
from tests.support import (
    HMAC_KID,
    ISSUER,
    NOW,
    Clock,
    bearer,
    config_for,
    configure,
    forge,
    json_body,
    make_clocked_app,
)

# -- 1. tokens from user objects -----------------------------------------------------


@dataclass(frozen=True)
class User:
    id: int
    email: str
    admin: bool = False


USERS = {"7": User(7, "ada@example.com", admin=True), "8": User(8, "bob@example.com")}


def user_app() -> tuple[Flask, AuthManager[User]]:
    app, _, _ = make_clocked_app("users_in")
    manager: AuthManager[User] = AuthManager()
    app.extensions.clear()
    manager.init_app(app)

    @manager.identity_loader
    def identity(user: User) -> str:
        return str(user.id)

    @manager.claims_loader
    def claims(user: User) -> Mapping[str, JSONInput]:
        return {"email": user.email, "admin": user.admin}

    @manager.user_loader
    def load_user(token: Token) -> User | None:
        return USERS.get(manager.identity(token))

    current_user = load_user.current

    @app.get("/me")
    @require_token(admin=True)
    def me() -> dict[str, object]:
        return {"id": current_user.id, "email": current_token.claims["email"]}

    return app, manager


def test_a_user_object_becomes_sub_and_claims_and_comes_back_as_the_user() -> None:
    app, manager = user_app()
    with app.app_context():
        token = manager.auth_token(USERS["7"])
        refresh = manager.refresh_token(USERS["7"])
        plain = manager.auth_token("7")  # a str is still the subject itself
    assert (token.sub, token.claims["email"], token.claims["admin"]) == (
        "7",
        "ada@example.com",
        True,
    )
    assert refresh.sub == "7"
    assert "email" not in refresh.claims  # the claims loader is for auth tokens
    assert "email" not in plain.claims  # and for user objects only
    response = app.test_client().get("/me", headers=bearer(token.signed))
    assert response.status_code == 200
    assert json_body(response) == {"id": 7, "email": "ada@example.com"}
    # Refusal: bob's loader claims say admin false, so the claim requirement refuses.
    with app.app_context():
        bob = manager.auth_token(USERS["8"])
    refused = app.test_client().get("/me", headers=bearer(bob.signed))
    assert (refused.status_code, json_body(refused)["code"]) == (403, "claim_mismatch")


def test_explicit_claims_win_over_the_claims_loader() -> None:
    app, manager = user_app()
    with app.app_context():
        token = manager.auth_token(USERS["8"], claims={"email": "other@example.com"})
    assert token.claims["email"] == "other@example.com"
    assert token.claims["admin"] is False


def test_user_objects_without_an_identity_loader_are_refused() -> None:
    app, manager, _ = make_clocked_app("no_identity_loader")
    with app.app_context(), pytest.raises(TypeError, match="sub must be a non-empty str"):
        manager.auth_token(USERS["7"])  # type: ignore[arg-type]


def test_an_identity_loader_that_returns_no_str_is_a_type_error() -> None:
    app, _, _ = make_clocked_app("bad_identity_loader")
    manager: AuthManager[User] = AuthManager()
    app.extensions.clear()
    manager.init_app(app)
    manager.identity_loader(lambda user: user.id)  # type: ignore[arg-type,return-value]
    with app.app_context(), pytest.raises(TypeError, match="identity loader returned a int"):
        manager.auth_token(USERS["7"])


def test_each_loader_is_registered_once() -> None:
    _, manager = user_app()
    with pytest.raises(ValueError, match="already has an identity loader"):
        manager.identity_loader(lambda user: str(user.id))
    with pytest.raises(ValueError, match="already has a claims loader"):
        manager.claims_loader(lambda user: {})


# -- 2. the identity claim -------------------------------------------------------------


def oidc_like_app(**config: object) -> tuple[Flask, AuthManager]:
    app, manager, _ = make_clocked_app("identity_claim", JWT_IDENTITY_CLAIM="email", **config)
    by_email = {"ada@example.com": "Ada"}

    @manager.user_loader
    def load_user(token: Token) -> str | None:
        return by_email.get(manager.identity(token))

    @app.get("/hello")
    @require_token()
    def hello() -> dict[str, str]:
        return {"name": load_user.get(), "identity": current_token.identity}

    return app, manager


def test_the_identity_claim_reaches_the_user_loader() -> None:
    app, manager = oidc_like_app()
    with app.app_context():
        ada = manager.auth_token("user-1", email="ada@example.com")
        stranger = manager.auth_token("user-2", email="eve@example.com")
        no_email = manager.auth_token("user-3")
        numeric = manager.auth_token("user-4", email=42)
    client = app.test_client()
    ok = client.get("/hello", headers=bearer(ada.signed))
    assert (ok.status_code, json_body(ok)) == (200, {"name": "Ada", "identity": "ada@example.com"})
    unknown = client.get("/hello", headers=bearer(stranger.signed))
    assert (unknown.status_code, json_body(unknown)["code"]) == (401, "user_not_found")
    for token in (no_email, numeric):
        refused = client.get("/hello", headers=bearer(token.signed))
        assert (refused.status_code, json_body(refused)["code"]) == (401, "claim_invalid")
        assert "JWT_IDENTITY_CLAIM" in json_body(refused)["message"]


def test_the_default_identity_claim_is_sub() -> None:
    app, manager, _ = make_clocked_app("identity_sub")
    with app.app_context():
        assert manager.identity(manager.auth_token("alice")) == "alice"
    oidc_app, oidc_manager = oidc_like_app()
    with oidc_app.app_context():
        no_email = oidc_manager.auth_token("x")
        with pytest.raises(ClaimInvalidError):
            oidc_manager.identity(no_email)


# -- 3. reading an expired token on purpose ----------------------------------------------


def test_convert_token_allow_expired_checks_everything_but_expiry() -> None:
    app, manager, clock = make_clocked_app("allow_expired", JWT_AUTHMAXAGE=60)
    with app.app_context():
        token = manager.auth_token("alice")
        refresh = manager.refresh_token("alice")
        assert manager.convert_token(token.signed, allow_expired=True) == token
        assert not token.is_expired(clock.now)
        clock.now += 61
        with pytest.raises(TokenExpiredError):
            manager.convert_token(token.signed)  # control: refused without the flag
        expired = manager.convert_token(token.signed, "auth", allow_expired=True)
        assert expired == token
        assert expired.is_expired(clock.now)
        # Every other check still applies: the kind ...
        with pytest.raises(TokenTypeInvalidError):
            manager.convert_token(refresh.signed, "auth", allow_expired=True)
        # ... revocation (of the subject: a token's own revocation is kept until it
        # expires, no longer) ...
        manager.revoke_subject("alice")
        with pytest.raises(TokenRevokedError):
            manager.convert_token(token.signed, allow_expired=True)
        # ... and the signature, first.
        head, payload, _ = manager.auth_token("bob").signed.split(".")
        tampered = f"{head}.{payload}.{'A' * 43}"
        with pytest.raises(SignatureInvalidError):
            manager.convert_token(tampered, allow_expired=True)


# -- 4. error handlers that see the refused token ------------------------------------------


def handler_app() -> tuple[Flask, AuthManager, Clock, list[Token | None]]:
    app, manager, clock = make_clocked_app("expired_handler", JWT_AUTHMAXAGE=60)
    seen: list[Token | None] = []

    @app.errorhandler(AuthenticationFailed)
    def on_401(error: AuthenticationFailed) -> ResponseReturnValue:
        seen.append(error.expired_token)
        who = None if error.expired_token is None else error.expired_token.sub
        return {"code": error.error_code, "expired_sub": who}, 401

    @app.get("/private")
    @require_token()
    def private() -> str:
        return "ok"

    return app, manager, clock, seen


def test_an_error_handler_sees_the_verified_expired_token() -> None:
    app, manager, clock, seen = handler_app()
    with app.app_context():
        token = manager.auth_token("alice")
    client = app.test_client()
    assert client.get("/private", headers=bearer(token.signed)).status_code == 200
    clock.now += 61
    response = client.get("/private", headers=bearer(token.signed))
    assert (response.status_code, json_body(response)) == (
        401,
        {"code": "token_expired", "expired_sub": "alice"},
    )
    assert seen == [token]


def test_nothing_of_a_forged_expired_token_reaches_the_handler() -> None:
    app, _, _, seen = handler_app()
    claims = {"iss": ISSUER, "sub": "mallory", "type": "auth", "jti": "j" * 22,
              "iat": NOW - 120, "exp": NOW - 60}  # fmt: skip
    header = {"alg": "HS256", "typ": "at+jwt", "kid": HMAC_KID}
    good = forge(header, claims)
    bad_signature = forge(header, claims, key=b"another-secret-of-enough-length-for-hs256!!")
    client = app.test_client()
    # Control: the same expired claims, correctly signed, are exposed.
    response = client.get("/private", headers=bearer(good))
    assert json_body(response) == {"code": "token_expired", "expired_sub": "mallory"}
    # A bad signature is refused before expiry is even looked at: nothing exposed.
    response = client.get("/private", headers=bearer(bad_signature))
    assert json_body(response) == {"code": "signature_invalid", "expired_sub": None}
    # An expired token for another issuer (signed correctly) is refused for that first.
    other = forge(header, {**claims, "iss": "someone-else"})
    response = client.get("/private", headers=bearer(other))
    assert json_body(response) == {"code": "claim_invalid", "expired_sub": None}
    assert [token.sub if token else None for token in seen] == ["mallory", None, None]


def test_expired_token_is_none_on_other_refusals() -> None:
    app, _, _, seen = handler_app()
    client = app.test_client()
    assert json_body(client.get("/private")) == {"code": "token_missing", "expired_sub": None}
    response = client.get("/private", headers=bearer("not.a.token"))
    assert json_body(response) == {"code": "token_malformed", "expired_sub": None}
    assert seen == [None, None]


# -- 5. header name and scheme ---------------------------------------------------------


def header_app(**config: object) -> tuple[Flask, str]:
    app, manager, _ = make_clocked_app("header_framing", **config)

    @app.get("/private")
    @require_token()
    def private() -> str:
        return "ok"

    @app.get("/either")
    @require_token(location=("cookies", "header"))
    def either() -> str:
        return "ok"

    with app.app_context():
        token = manager.auth_token("alice").signed
    return app, token


@pytest.mark.parametrize("path", ["/private", "/either"])
def test_a_bare_token_in_a_proxy_header(path: str) -> None:
    app, token = header_app(JWT_HEADER_NAME="Cf-Access-Jwt-Assertion", JWT_HEADER_SCHEME="")
    client = app.test_client()
    assert client.get(path, headers={"Cf-Access-Jwt-Assertion": token}).status_code == 200
    assert client.get(path, headers={"Cf-Access-Jwt-Assertion": f" {token}\t"}).status_code == 200
    # Refusals: the usual header is not read, and a scheme in front is no bare token.
    missing = client.get(path, headers=bearer(token))
    assert (missing.status_code, json_body(missing)["code"]) == (401, "token_missing")
    assert "Cf-Access-Jwt-Assertion: <token>" in json_body(missing)["message"]
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    framed = client.get(path, headers={"Cf-Access-Jwt-Assertion": f"Bearer {token}"})
    assert (framed.status_code, json_body(framed)["code"]) == (401, "token_malformed")


def test_a_custom_scheme_reads_its_header_and_challenges_in_it() -> None:
    app, token = header_app(JWT_HEADER_SCHEME="JWT")
    client = app.test_client()
    assert client.get("/private", headers={"Authorization": f"JWT {token}"}).status_code == 200
    assert client.get("/private", headers={"Authorization": f"jwt  {token}"}).status_code == 200
    refused = client.get("/private", headers=bearer(token))
    assert (refused.status_code, json_body(refused)["code"]) == (401, "token_missing")
    assert refused.headers["WWW-Authenticate"] == "JWT"
    assert json_body(refused)["message"] == (
        "The Authorization header does not use the JWT scheme; send the token as "
        "'Authorization: JWT <token>'."
    )
    bad = client.get("/private", headers={"Authorization": "JWT x.y.z"})
    assert bad.headers["WWW-Authenticate"].startswith('JWT error="invalid_token"')
    empty = client.get("/private", headers={"Authorization": "JWT "})
    assert json_body(empty)["code"] == "token_malformed"


def test_the_default_stays_rfc_6750() -> None:
    app, token = header_app()
    client = app.test_client()
    assert client.get("/private", headers=bearer(token)).status_code == 200
    refused = client.get("/private", headers={"Authorization": f"JWT {token}"})
    assert refused.headers["WWW-Authenticate"] == "Bearer"
    assert json_body(refused)["message"] == (
        "The Authorization header does not use the Bearer scheme; send the token as "
        "'Authorization: Bearer <token>'."
    )
    bad = client.get("/private", headers=bearer("x.y.z"))
    assert bad.headers["WWW-Authenticate"].startswith('Bearer error="invalid_token"')


def test_a_header_name_that_is_no_http_token_is_refused_at_init_app() -> None:
    app = Flask("bad_header_name")
    configure(app, {**config_for("HS256"), "JWT_HEADER_NAME": "X Token"})
    with pytest.raises(Exception, match="JWT_HEADER_NAME"):
        AuthManager(app)
    app = Flask("bad_header_scheme")
    configure(app, {**config_for("HS256"), "JWT_HEADER_SCHEME": "Bearer token"})
    with pytest.raises(Exception, match="JWT_HEADER_SCHEME"):
        AuthManager(app)


# -- 6. one route for either kind --------------------------------------------------------


def either_kind_app() -> tuple[Flask, AuthManager]:
    app, manager, _ = make_clocked_app("either_kind")

    @app.post("/logout")
    @require_token(token_type=("auth", "refresh"))
    def logout() -> dict[str, str]:
        token = current_token.get(("auth", "refresh"))
        manager.revoke(token, end_session=True)
        return {"kind": token.token_type.value}

    @app.get("/auth-only")
    @require_token(token_type=("auth",))
    def auth_only() -> str:
        return "ok"

    @app.get("/verify")
    def verify() -> dict[str, str]:
        return {"kind": verify_request(("refresh", "auth")).token_type.value}

    return app, manager


def test_either_kind_is_accepted_and_a_one_kind_tuple_is_that_kind() -> None:
    app, manager = either_kind_app()
    with app.app_context():
        refresh = manager.refresh_token("alice")
        auth = manager.auth_token("alice", session=refresh)
        other_refresh = manager.refresh_token("bob")
    client = app.test_client()
    assert json_body(client.get("/verify", headers=bearer(auth.signed))) == {"kind": "auth"}
    assert json_body(client.get("/verify", headers=bearer(refresh.signed))) == {"kind": "refresh"}
    assert client.get("/auth-only", headers=bearer(auth.signed)).status_code == 200
    refused = client.get("/auth-only", headers=bearer(other_refresh.signed))
    assert (refused.status_code, json_body(refused)["code"]) == (401, "token_type_invalid")
    assert json_body(client.post("/logout", headers=bearer(refresh.signed))) == {"kind": "refresh"}
    assert json_body(client.post("/logout", headers=bearer(other_refresh.signed))) == {
        "kind": "refresh"
    }
    # The session ended: its auth token is refused from now on.
    again = client.post("/logout", headers=bearer(auth.signed))
    assert (again.status_code, json_body(again)["code"]) == (401, "token_revoked")


@pytest.mark.parametrize(
    ("token_type", "message"),
    [((), "accepts no token"), (("auth", "auth"), "names a kind twice"), (("access",), "must be")],
)
def test_bad_kind_tuples_are_refused_when_decorating(token_type: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        require_token(token_type=token_type)  # type: ignore[arg-type]


def test_scope_and_fresh_need_auth_only() -> None:
    with pytest.raises(ValueError, match="carry no scope"):
        require_token(token_type=("auth", "refresh"), scope="admin")
    with pytest.raises(ValueError, match="never fresh"):
        require_token(token_type=("auth", "refresh"), fresh=True)


def test_current_token_get_with_a_tuple_checks_membership() -> None:
    app, manager = either_kind_app()

    @app.get("/kinds")
    @require_token(token_type=("auth", "refresh"))
    def kinds() -> dict[str, bool]:
        token = current_token.get(("auth", "refresh"))
        return {"auth": isinstance(token, AuthToken), "refresh": isinstance(token, RefreshToken)}

    with app.app_context():
        refresh = manager.refresh_token("alice")
    client = app.test_client()
    assert json_body(client.get("/kinds", headers=bearer(refresh.signed))) == {
        "auth": False,
        "refresh": True,
    }


# -- 7. CSRF in plain HTML forms -------------------------------------------------------------


def form_app(**config: object) -> tuple[Flask, str]:
    app, manager, _ = make_clocked_app(
        "csrf_form", JWT_TOKEN_LOCATION="cookies", JWT_COOKIE_SECURE=False, **config
    )

    @app.post("/transfer")
    @require_token()
    def transfer() -> str:
        return "done"

    @app.get("/form")
    def form() -> str:
        from flask import render_template_string

        return render_template_string("{{ jwt_csrf_token() }}")

    with app.app_context():
        token = manager.auth_token("alice").signed
    return app, token


def test_a_form_post_may_carry_the_csrf_value_in_a_field() -> None:
    app, token = form_app()
    client = app.test_client()
    client.set_cookie("auth_token", token)
    value = client.get("/form").get_data(as_text=True)
    assert len(value) == 43
    assert client.post("/transfer", data={"csrf_token": value}).status_code == 200
    multipart = client.post(
        "/transfer", data={"csrf_token": value}, content_type="multipart/form-data"
    )
    assert multipart.status_code == 200
    # Refusals: no field, a wrong value, two values, or a field in a JSON body.
    for data in ({}, {"csrf_token": value[:-1] + ("A" if value[-1] != "A" else "B")},
                 {"csrf_token": [value, value]}):  # fmt: skip
        refused = client.post("/transfer", data=data)
        assert (refused.status_code, json_body(refused)["code"]) == (403, "csrf_failed")
    as_json = client.post("/transfer", json={"csrf_token": value})
    assert (as_json.status_code, json_body(as_json)["code"]) == (403, "csrf_failed")


def test_the_header_is_read_before_the_form_field() -> None:
    app, token = form_app()
    client = app.test_client()
    client.set_cookie("auth_token", token)
    value = client.get("/form").get_data(as_text=True)
    wrong_header = client.post(
        "/transfer", data={"csrf_token": value}, headers={"X-CSRF-Token": "wrong"}
    )
    assert json_body(wrong_header)["message"] == (
        "The X-CSRF-Token header does not match the token cookie."
    )


def test_the_form_field_name_is_configurable() -> None:
    app, token = form_app(JWT_CSRF_FORM_FIELD="_csrf")
    client = app.test_client()
    client.set_cookie("auth_token", token)
    value = client.get("/form").get_data(as_text=True)
    assert client.post("/transfer", data={"_csrf": value}).status_code == 200
    assert client.post("/transfer", data={"csrf_token": value}).status_code == 403


def test_the_template_helper_is_empty_without_a_cookie() -> None:
    app, _ = form_app()
    assert app.test_client().get("/form").get_data(as_text=True) == ""


@pytest.mark.parametrize(
    ("framing", "headers", "expected"),
    [
        (HeaderFraming("Authorization", "DPoP"), {"Authorization": "DPoP a.b.c"}, "a.b.c"),
        (HeaderFraming("Authorization", "DPoP"), {"Authorization": "Bearer a.b.c"}, "other"),
        (HeaderFraming("x-goog-iap-jwt-assertion", ""), {"X-Goog-IAP-JWT-Assertion": "a.b.c"},
         "a.b.c"),
        (HeaderFraming("Cf-Access-Jwt-Assertion", ""), {}, None),
    ],
)  # fmt: skip
def test_the_header_reader_takes_any_name_and_scheme(
    framing: HeaderFraming, headers: dict[str, str], expected: str | None
) -> None:
    # What issue 22 (a proxy's header per provider) and issue 24 (DPoP) call it with.
    app = Flask("framing")
    with app.test_request_context(headers=headers) as context:
        environ: Mapping[str, object] = context.request.environ
        found = read_header(environ, framing)
        fast = header_token(environ, framing)
    if expected == "other":
        assert (isinstance(found, str), found is None, fast) == (False, False, None)
    else:
        assert (found, fast) == (expected, expected)


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data; boundary=xyz",
         b'--xyz\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\nabc'),
        ("multipart/form-data", b"no boundary"),
        ("multipart/form-data; boundary=xyz", b"--xyz\r\ngarbage\r\n\r\n--xyz--"),
        ("application/x-www-form-urlencoded", b"csrf_token=%ff%fe&csrf_token"),
        ("application/x-www-form-urlencoded", "csrf_token=\udcff".encode("utf-8", "surrogatepass")),
        ("application/x-www-form-urlencoded", b"csrf_token=" + b"A" * 100_000),
    ],
)  # fmt: skip
def test_hostile_form_bodies_are_a_403_never_a_500(content_type: str, body: bytes) -> None:
    app, token = form_app()
    client = app.test_client()
    client.set_cookie("auth_token", token)
    response = client.post("/transfer", data=body, content_type=content_type)
    assert (response.status_code, json_body(response)["code"]) == (403, "csrf_failed")


def test_a_form_werkzeug_refuses_to_parse_is_a_json_403() -> None:
    # Werkzeug answers a form over MAX_FORM_MEMORY_SIZE (and, in 3.0, undecodable bytes)
    # with its own HTML 413; the CSRF check treats it as no value and answers first.
    app, token = form_app()
    app.config["MAX_FORM_MEMORY_SIZE"] = 16
    client = app.test_client()
    client.set_cookie("auth_token", token)
    form = {"csrf_token": "A" * 64}
    response = client.post("/transfer", data=form, content_type="multipart/form-data")
    assert (response.status_code, json_body(response)["code"]) == (403, "csrf_failed")
    # control: a form within the limit is read (a wrong value is refused as a mismatch)
    app.config["MAX_FORM_MEMORY_SIZE"] = 500_000
    response = client.post("/transfer", data=form, content_type="multipart/form-data")
    assert json_body(response)["message"].startswith("The csrf_token form field")
