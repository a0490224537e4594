"""An app's own 401/403 error codes (issue 10, item 19): raised with ``CustomErrorCode``,
answered with the library's JSON body and RFC 6750 challenge, checked for format."""

from __future__ import annotations

import json

import pytest
from flask import Flask

from flask_pyjwt import (
    AuthenticationFailed,
    AuthManager,
    PermissionDenied,
    UnavailableError,
    current_token,
    require_token,
)
from flask_pyjwt.errors import (
    CustomErrorCode,
    KeysUnavailableError,
    RevocationUnavailableError,
    TemporarilyUnavailable,
)
from tests.support import bearer, json_body, make_app


def _app() -> tuple[Flask, AuthManager, list[str]]:
    app, manager = make_app()
    calls: list[str] = []

    @app.get("/workspace")
    @require_token()
    def workspace() -> str:
        if current_token.claims.get("suspended") is True:
            raise PermissionDenied(
                error_code=CustomErrorCode("tenant_suspended"),
                message="This tenant is suspended; contact billing.",
            )
        calls.append("workspace")
        return "ok"

    @app.post("/login")
    def login() -> str:
        raise AuthenticationFailed(
            error_code=CustomErrorCode("account_locked"),
            message="This account is locked; reset your password.",
        )

    return app, manager, calls


def test_a_custom_403_code_gets_the_library_body_and_challenge() -> None:
    app, manager, calls = _app()
    with app.app_context():
        token = manager.auth_token("alice", suspended=True).signed
    response = app.test_client().get("/workspace", headers=bearer(token))
    assert response.status_code == 403
    assert json_body(response) == {
        "status": 403,
        "error": "insufficient_scope",
        "code": "tenant_suspended",
        "message": "This tenant is suspended; contact billing.",
    }
    assert response.headers["WWW-Authenticate"] == (
        'Bearer error="insufficient_scope", '
        'error_description="This tenant is suspended; contact billing."'
    )
    assert response.headers["Cache-Control"] == "no-store"
    assert calls == []


def test_a_custom_401_code_gets_the_library_body_and_challenge() -> None:
    app, _, _ = _app()
    response = app.test_client().post("/login")
    assert response.status_code == 401
    assert response.content_type == "application/json"
    assert json_body(response) == {
        "status": 401,
        "error": "invalid_token",
        "code": "account_locked",
        "message": "This account is locked; reset your password.",
    }
    assert response.headers["WWW-Authenticate"] == (
        'Bearer error="invalid_token", '
        'error_description="This account is locked; reset your password."'
    )


def test_an_apps_error_handler_sees_the_custom_code() -> None:
    app, _, _ = _app()

    @app.errorhandler(AuthenticationFailed)
    def handler(error: AuthenticationFailed) -> tuple[dict[str, str], int]:
        return {"problem": error.error_code}, 401

    assert json_body(app.test_client().post("/login")) == {"problem": "account_locked"}


@pytest.mark.parametrize(
    "code",
    ["Account_Locked", "account-locked", "account locked", "", "1st_try", "_locked",
     "locked_", "account__locked", "lock\u00e9", "a" * 65, "locked\n"],
)  # fmt: skip
def test_a_malformed_code_is_refused_where_it_is_written(code: str) -> None:
    with pytest.raises(ValueError, match="lowercase snake_case"):
        CustomErrorCode(code)
    # Code that does not type-check may pass a plain str: checked by the error too.
    for cls in (AuthenticationFailed, PermissionDenied):
        with pytest.raises(ValueError, match="lowercase snake_case"):
            cls(error_code=code, message="m")  # type: ignore[arg-type]  # deliberately wrong


def test_a_code_that_is_not_a_string_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="error_code must be a str"):
        AuthenticationFailed(error_code=401, message="m")  # type: ignore[arg-type]  # deliberately wrong
    with pytest.raises(TypeError, match="error_code must be a str"):
        CustomErrorCode(401)  # type: ignore[arg-type]  # deliberately wrong


def test_a_custom_code_is_a_str_equal_to_its_text() -> None:
    code = CustomErrorCode("account_locked")
    assert isinstance(code, str)
    assert code == "account_locked"
    assert json.dumps({"code": code}) == '{"code": "account_locked"}'


def test_built_in_codes_keep_their_challenge() -> None:
    missing = AuthenticationFailed(error_code="token_missing", message="m")
    assert missing.www_authenticate_value() == "Bearer"
    custom = AuthenticationFailed(error_code=CustomErrorCode("a1_b2"), message="m")
    assert custom.www_authenticate_value() == 'Bearer error="invalid_token", error_description="m"'


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (
            RevocationUnavailableError("The store did not answer.", retry_after=3),
            "revocation_unavailable",
        ),
        (KeysUnavailableError("No keys yet.", retry_after=3), "keys_unavailable"),
    ],
)
def test_a_service_that_did_not_answer_is_a_503_with_retry_after(
    error: UnavailableError, code: str
) -> None:
    app = Flask("unavailable")

    @app.get("/")
    def view() -> str:
        raise TemporarilyUnavailable.from_unavailable(error)

    response = app.test_client().get("/")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "3"
    assert response.headers["Cache-Control"] == "no-store"
    assert "WWW-Authenticate" not in response.headers
    assert json_body(response) == {
        "status": 503,
        "error": "temporarily_unavailable",
        "code": code,
        "message": error.message,
    }
