"""current_token: every attribute typed, and get() for narrowing."""

from __future__ import annotations

from typing_extensions import assert_type

from flask_pyjwt import AuthToken, RefreshToken, Token, TokenType, current_token
from flask_pyjwt.typing import CurrentToken, JSONObject, JSONValue


def attributes() -> None:
    assert_type(current_token, CurrentToken)
    assert_type(current_token.get(), Token)
    assert_type(current_token.token_type, TokenType)
    assert_type(current_token.sub, str)
    assert_type(current_token.iss, str)
    assert_type(current_token.iat, int)
    assert_type(current_token.exp, int)
    assert_type(current_token.jti, str)
    assert_type(current_token.aud, str | tuple[str, ...] | None)
    assert_type(current_token.max_age, int)
    assert_type(current_token.scope, JSONValue)
    assert_type(current_token.rid, str | None)
    assert_type(current_token.claims, JSONObject)
    assert_type(current_token.header, JSONObject)
    assert_type(current_token.alg, str)
    assert_type(current_token.signed, str)
    assert_type(current_token.is_signed(), bool)


def narrowing() -> None:
    token = current_token.get()
    if isinstance(token, RefreshToken):
        assert_type(token.rid, str)
    else:
        assert_type(token, AuthToken)
        assert_type(token.scope, JSONValue)


def narrowing_by_kind() -> None:
    # A refresh view gets its RefreshToken typed, without assert isinstance.
    assert_type(current_token.get("refresh"), RefreshToken)
    assert_type(current_token.get(TokenType.REFRESH), RefreshToken)
    assert_type(current_token.get("refresh").rid, str)
    assert_type(current_token.get("auth"), AuthToken)
    assert_type(current_token.get(TokenType.AUTH).scope, JSONValue)


def kinds_are_literals() -> None:
    current_token.get("access")  # type: ignore[call-overload]
