"""The HTTP errors: built-in codes are a closed Literal, an app's own codes are spelled
``CustomErrorCode(...)`` on purpose. Lines with an ignore must fail to type-check."""

from __future__ import annotations

from typing_extensions import assert_type

from flask_pyjwt import AuthenticationFailed, PermissionDenied
from flask_pyjwt.errors import CustomErrorCode
from flask_pyjwt.typing import ErrorCode


def built_in_and_custom_codes(reason: ErrorCode, label: str) -> None:
    locked = AuthenticationFailed(error_code=CustomErrorCode("account_locked"), message="m")
    assert_type(locked.error_code, ErrorCode | CustomErrorCode)
    expired = AuthenticationFailed(error_code="token_expired", message="m")
    assert_type(expired.error_code, ErrorCode | CustomErrorCode)
    PermissionDenied(error_code=reason, message="m")
    PermissionDenied(error_code=CustomErrorCode(label), message="m")
    assert_type(CustomErrorCode(label), CustomErrorCode)


def misuse(label: str) -> None:
    AuthenticationFailed(error_code="token_expird", message="m")  # type: ignore[arg-type]
    PermissionDenied(error_code="tenant_suspended", message="m")  # type: ignore[arg-type]
    PermissionDenied(error_code=label, message="m")  # type: ignore[arg-type]
    AuthenticationFailed(error_code=CustomErrorCode(401), message="m")  # type: ignore[arg-type]
    AuthenticationFailed(CustomErrorCode("account_locked"), "m")  # type: ignore[call-arg]
