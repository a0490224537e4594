"""Upgrading from Flask_PyJWT 1.x: code written for 1.x, and tokens 1.x issued, keep working.

- what 1.x code and its own test suite rely on: ``__version__``,
  ``app.extensions["pyjwt_authmanager"]``, the manager used outside an app context (scripts,
  fixtures, tasks), ``require_token("auth", "header", ...)`` with positional arguments;
- ``JWT_ACCEPT_LEGACY_TOKENS``: tokens byte for byte as 1.0.0 wrote them (three of them
  issued by the real Flask_PyJWT 1.0.0 with PyJWT 2.15.1, the rest built the way 1.0.0
  builds them) are accepted when it is on, refused when it is off, and never accepted
  when anything else about them is wrong.
"""

from __future__ import annotations

import gc
from importlib import metadata
from typing import Any

import jwt
import pytest
from flask import Flask, request

import flask_pyjwt
from flask_pyjwt import AuthManager, AuthToken, RefreshToken, current_token, require_token
from flask_pyjwt.errors import ContextError, NotInitializedError
from tests.support import bearer, config_for, configure, make_app, pair_for, settings_of

# Issued by Flask_PyJWT 1.0.0 itself (JWT_ISSUER "Flask_PyJWT", HS256, the secret below,
# max ages of 100 years so they stay valid): an auth token with a scope and a custom
# claim, a refresh token, and an auth token whose subject is the int 42.
V1_SECRET = "a-1.x-test-secret-that-is-32-bytes-or-more"
V1_AUTH = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJGbGFza19QeUpXVCIsImlhdCI6MTc5NjAxNDA0MSwi"
    "ZXhwIjo0OTQ5NjE0MDQxLCJzdWIiOiJhbGljZSIsInR5cGUiOiJhdXRoIiwic2NvcGUiOnsiYWRtaW4iOnRydWV9"
    "LCJjdXN0b21fY2xhaW0iOiJGbGFza19QeUpXVCJ9.W1dL_vlvP7PxY681_ReYMqmvFlef90FuRz-Lav6K1YU"
)
V1_REFRESH = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyaWQiOiJnTzgzWVk2QklZeUd0bk90T1ZCMUdnIiwiaXNzIjoiR"
    "mxhc2tfUHlKV1QiLCJpYXQiOjE3OTYwMTQwNDEsImV4cCI6NDk0OTYxNDA0MSwic3ViIjoiYWxpY2UiLCJ0eXBlIjo"
    "icmVmcmVzaCJ9.4ProJLCorSRjRDfkpqk0VwT6Y9Mv7N3o5JLHWbmuSIg"
)
V1_INT_SUBJECT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJGbGFza19QeUpXVCIsImlhdCI6MTc5NjAxNDA0MSwi"
    "ZXhwIjo0OTQ5NjE0MDQxLCJzdWIiOjQyLCJ0eXBlIjoiYXV0aCJ9.n616dNqcBwafErCqaP_JtZxjmMEKq88o6-NbO"
    "Aj-tqs"
)


def v1_app(*, accept_legacy: bool | None = True, algorithm: str = "HS256") -> Flask:
    """An app configured as a 1.x app was, with the 1.x routes of its own test suite."""
    app = Flask("upgraded")
    config: dict[str, object] = {**config_for(algorithm), "JWT_ISSUER": "Flask_PyJWT"}
    if algorithm == "HS256":
        config["JWT_SECRET"] = V1_SECRET
    if accept_legacy is not None:
        config["JWT_ACCEPT_LEGACY_TOKENS"] = accept_legacy
    configure(app, config)
    manager = AuthManager(app)

    @app.post("/token")
    def issue() -> dict[str, object]:
        body = request.get_json()
        token = manager.auth_token(body.pop("sub"), body.pop("scope", None), **body)
        return {"token": token.signed}

    @app.get("/auth")
    @require_token("auth", "header")  # 1.x's own suite passes the location positionally
    def auth_view() -> dict[str, object]:
        return {"sub": current_token.sub, "claims": current_token.claims}

    @app.get("/admin")
    @require_token("auth", "header", scope={"admin": True})
    def admin_view() -> dict[str, object]:
        return {"sub": current_token.sub}

    @app.get("/users/<int:user_id>")
    @require_token(sub="user_id")
    def user_view(user_id: int) -> dict[str, object]:
        return {"user_id": user_id}

    @app.get("/refresh")
    @require_token("refresh")
    def refresh_view() -> dict[str, object]:
        return {"sub": current_token.sub, "rid": current_token.rid}

    return app


# What 1.x code reads -------------------------------------------------------------------


def test_version_is_the_installed_distributions() -> None:
    from flask_pyjwt import __version__

    assert __version__ == metadata.version("flask_pyjwt")
    assert isinstance(flask_pyjwt.__version__, str)


def test_the_manager_is_in_app_extensions_under_its_1x_name() -> None:
    app, manager = make_app()
    assert app.extensions["pyjwt_authmanager"] is manager


def test_a_manager_serving_one_app_works_outside_an_app_context() -> None:
    # 1.x's own suite: POST /token through the client, then verify_token with no context.
    app = v1_app(accept_legacy=None)
    response = app.test_client().post("/token", json={"sub": "test", "scope": {"admin": True}})
    signed = response.get_json()["token"]
    manager: AuthManager = app.extensions["pyjwt_authmanager"]
    assert manager.verify_token(signed)
    assert not manager.verify_token(signed + "x")
    assert manager.convert_token(signed).sub == "test"
    auth = manager.auth_token("alice", {"admin": True})
    refresh = manager.refresh_token("alice")
    assert isinstance(auth, AuthToken)
    assert isinstance(refresh, RefreshToken)
    assert manager.convert_token(refresh.signed, "refresh").rid == refresh.rid
    assert settings_of(app).issuer == "Flask_PyJWT"
    status = app.test_client().get("/admin", headers=bearer(auth.signed)).status_code
    assert status == 200


def test_a_manager_serving_several_apps_names_them_outside_a_context() -> None:
    manager = AuthManager()
    first, second = Flask("first"), Flask("second")
    configure(first, config_for("HS256"))
    configure(second, config_for("HS256"))
    manager.init_app(first)
    manager.init_app(second)
    with pytest.raises(ContextError, match=r"serves 2 apps \('first', 'second'\)") as info:
        manager.auth_token("alice")
    assert "with app.app_context()" in str(info.value)
    with pytest.raises(ContextError, match="serves 2 apps"):
        manager.verify_token("a.b.c")
    with first.app_context():
        assert manager.auth_token("alice").iss == config_for("HS256")["JWT_ISSUER"]


def test_a_manager_serving_no_app_says_to_call_init_app() -> None:
    with pytest.raises(NotInitializedError, match="did you forget"):
        AuthManager().auth_token("alice")


def test_the_manager_does_not_keep_an_app_alive() -> None:
    manager = AuthManager()
    first, second = Flask("first"), Flask("second")
    configure(first, config_for("HS256"))
    configure(second, config_for("ES256"))
    manager.init_app(first)
    manager.init_app(second)
    del first
    gc.collect()
    assert manager.auth_token("alice").alg == "ES256"  # only "second" is left


# Tokens issued by 1.x --------------------------------------------------------------------


def v1_token(
    kind: str = "auth",
    *,
    algorithm: str = "HS256",
    key: Any = V1_SECRET,
    sub: object = "alice",
    scope: object = None,
    iat: int = 1796014041,
    exp: int = 4949614041,
    issuer: str = "Flask_PyJWT",
    headers: dict[str, object] | None = None,
    **extra: object,
) -> str:
    """A token as 1.0.0 builds one: its claim order, then PyJWT's encode (as 1.0.0 does)."""
    claims: dict[str, object] = {"rid": "r1"} if kind == "refresh" else {}
    claims.update(iss=issuer, iat=iat, exp=exp, sub=sub, type=kind)
    if scope:
        claims["scope"] = scope
    claims.update(extra)
    return jwt.encode(claims, key, algorithm=algorithm, headers=headers)


def test_the_builder_matches_what_1x_issued_byte_for_byte() -> None:
    # The fixtures below are only as good as this: the real 1.0.0 tokens, rebuilt exactly.
    assert v1_token(scope={"admin": True}, custom_claim="Flask_PyJWT") == V1_AUTH
    rebuilt = v1_token("refresh")
    assert rebuilt.split(".")[0] == V1_REFRESH.split(".")[0]
    assert v1_token(sub=42) == V1_INT_SUBJECT


def test_real_1x_tokens_are_accepted_when_legacy_tokens_are_on() -> None:
    client = v1_app().test_client()
    response = client.get("/auth", headers=bearer(V1_AUTH))
    assert response.status_code == 200
    assert response.get_json() == {
        "sub": "alice",
        "claims": {
            "iss": "Flask_PyJWT",
            "iat": 1796014041,
            "exp": 4949614041,
            "sub": "alice",
            "type": "auth",
            "scope": {"admin": True},
            "custom_claim": "Flask_PyJWT",
        },
    }
    assert client.get("/admin", headers=bearer(V1_AUTH)).status_code == 200
    refreshed = client.get("/refresh", headers=bearer(V1_REFRESH))
    assert refreshed.get_json() == {"sub": "alice", "rid": "gO83YY6BIYyGtnOtOVB1Gg"}


def test_a_legacy_int_subject_is_read_as_its_decimal_string() -> None:
    app = v1_app()
    manager: AuthManager = app.extensions["pyjwt_authmanager"]
    token = manager.convert_token(V1_INT_SUBJECT, "auth")
    assert (token.sub, token.claims["sub"], token.jti, token.legacy) == ("42", 42, "", True)
    client = app.test_client()
    assert client.get("/users/42", headers=bearer(V1_INT_SUBJECT)).status_code == 200
    assert client.get("/users/43", headers=bearer(V1_INT_SUBJECT)).status_code == 403


def test_legacy_tokens_are_refused_by_default_and_when_off() -> None:
    for setting in (None, False):
        client = v1_app(accept_legacy=setting).test_client()
        for path, token in (("/auth", V1_AUTH), ("/refresh", V1_REFRESH)):
            response = client.get(path, headers=bearer(token))
            assert response.status_code == 401
            assert response.get_json()["code"] == "token_type_invalid"


@pytest.mark.parametrize("algorithm", ["RS256", "RS512"])
def test_legacy_rsa_tokens_are_accepted(algorithm: str) -> None:
    pair = pair_for(algorithm)
    client = v1_app(algorithm=algorithm).test_client()
    token = v1_token(algorithm=algorithm, key=pair.private_pem, iat=0, exp=2**40)
    assert client.get("/auth", headers=bearer(token)).status_code == 200


def test_new_tokens_are_always_issued_in_the_new_format() -> None:
    app = v1_app()
    manager: AuthManager = app.extensions["pyjwt_authmanager"]
    token = manager.auth_token("alice")
    assert token.header["typ"] == "at+jwt"
    assert token.jti
    assert not token.legacy


LEGACY_REFUSALS: dict[str, tuple[str, dict[str, Any], str]] = {
    # name: (path, v1_token arguments, code)
    "bad signature": ("/auth", {"key": "another-32-byte-or-longer-secret!"}, "signature_invalid"),
    "foreign issuer": ("/auth", {"issuer": "someone-else"}, "claim_invalid"),
    "expired": ("/auth", {"iat": 1000, "exp": 2000}, "token_expired"),
    "issued in the future": ("/auth", {"iat": 4_000_000_000}, "token_not_yet_valid"),
    "refresh token where auth is required": ("/auth", {"kind": "refresh"}, "token_type_invalid"),
    "auth token where refresh is required": ("/refresh", {}, "token_type_invalid"),
    "unknown type claim": ("/auth", {"kind": "access"}, "token_type_invalid"),
    "typ JWT with a jti (not the 1.x format)": ("/auth", {"jti": "j1"}, "token_type_invalid"),
    "typ of another kind": ("/auth", {"headers": {"typ": "refresh+jwt"}}, "token_type_invalid"),
    "a typ 1.x never wrote": ("/auth", {"headers": {"typ": "JOSE"}}, "token_type_invalid"),
    "empty subject": ("/auth", {"sub": ""}, "claim_invalid"),
    "boolean subject": ("/auth", {"sub": True}, "claim_invalid"),
    "algorithm not configured": (
        "/auth", {"algorithm": "HS384", "key": V1_SECRET * 2}, "algorithm_not_allowed"
    ),
}  # fmt: skip


@pytest.mark.parametrize(
    ("path", "arguments", "code"), LEGACY_REFUSALS.values(), ids=LEGACY_REFUSALS.keys()
)
def test_legacy_mode_still_checks_everything_else(
    path: str, arguments: dict[str, Any], code: str
) -> None:
    token = v1_token(arguments.pop("kind", "auth"), **arguments)
    response = v1_app().test_client().get(path, headers=bearer(token))
    assert response.status_code == 401
    assert response.get_json()["code"] == code


def test_legacy_typ_may_be_absent() -> None:
    token = v1_token(headers={"typ": None})  # PyJWT leaves out a typ set to None
    assert jwt.get_unverified_header(token) == {"alg": "HS256"}
    assert v1_app().test_client().get("/auth", headers=bearer(token)).status_code == 200
    refused = v1_app(accept_legacy=False).test_client().get("/auth", headers=bearer(token))
    assert refused.status_code == 401
