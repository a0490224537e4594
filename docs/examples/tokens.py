"""What a token carries: issuing tokens and reading their typed fields."""

from __future__ import annotations

from datetime import timedelta

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
    assert (auth.header["alg"], auth.header["typ"]) == ("HS256", "at+jwt")
    assert isinstance(auth.header["kid"], str)  # the signing key's id: see "Keys and rotation"
    assert auth.signed.count(".") == 2  # the compact JWT to send to the client

    assert refresh.token_type is TokenType.REFRESH
    assert refresh.header["typ"] == "refresh+jwt"
    assert len(refresh.rid) >= 16  # a random id, new for every refresh token
    assert "scope" not in refresh.claims
    # [end issue]
    return auth, refresh


def issue_with_options() -> tuple[AuthToken, RefreshToken]:
    # [start options]
    with app.app_context():
        # A short-lived token for a sensitive action, meant for the billing service.
        auth = auth_manager.auth_token(
            "alice",
            {"payments": "write"},
            max_age=timedelta(minutes=2),  # or max_age=120 (seconds)
            audience="billing",  # or a list: ["billing", "search"]
            headers={"cty": "payment-approval"},
        )
        # A claim named like an option goes in claims=; keywords still work beside it.
        refresh = auth_manager.refresh_token(
            "alice", max_age=timedelta(days=2), claims={"audience": "mobile"}, device="phone"
        )

    assert (auth.max_age, auth.aud) == (120, "billing")
    assert auth.header["cty"] == "payment-approval"
    assert refresh.max_age == 2 * 24 * 3600
    assert (refresh.claims["audience"], refresh.claims["device"]) == ("mobile", "phone")
    # [end options]
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
