"""What a token carries: issuing tokens and reading their typed fields."""

from __future__ import annotations

from flask import Flask

from flask_pyjwt import AuthManager, AuthToken, RefreshToken, TokenType

app = Flask(__name__)
app.config["JWT_ISSUER"] = "tokens-example"
app.config["JWT_AUTHTYPE"] = "HS256"
app.config["JWT_SECRET"] = "a-32-byte-or-longer-secret-for-hs256!"
app.config["JWT_AUTHMAXAGE"] = 900
auth_manager = AuthManager(app)


def issue_pair() -> tuple[AuthToken, RefreshToken]:
    # [start issue]
    with app.app_context():
        auth = auth_manager.auth_token("alice", {"admin": True}, tenant="acme")
        refresh = auth_manager.refresh_token("alice")

    assert auth.token_type is TokenType.AUTH
    assert (auth.sub, auth.iss, auth.max_age) == ("alice", "tokens-example", 900)
    assert auth.scope == {"admin": True}
    assert auth.claims["tenant"] == "acme"
    assert auth.header == {"alg": "HS256", "typ": "at+jwt"}
    assert auth.signed.count(".") == 2  # the compact JWT to send to the client

    assert refresh.token_type is TokenType.REFRESH
    assert refresh.header["typ"] == "refresh+jwt"
    assert len(refresh.rid) >= 16  # a random id, new for every refresh token
    assert "scope" not in refresh.claims
    # [end issue]
    return auth, refresh


def read_back(signed: str) -> AuthToken:
    # [start convert]
    with app.app_context():
        assert auth_manager.verify_token(signed)  # bool, never raises
        token = auth_manager.convert_token(signed, "auth")  # verified, typed AuthToken
        assert not auth_manager.verify_token(signed + "x")
    # [end convert]
    return token


def claims_are_read_only(token: AuthToken) -> None:
    # [start frozen]
    try:
        token.claims["admin"] = True  # type: ignore[index]  # a Mapping: checkers refuse it
    except TypeError as error:
        print(error)  # token claims are read-only; copy them with dict(...) to change them
    changed = dict(token.claims)  # a mutable copy, when you need one
    changed["admin"] = True
    # [end frozen]
