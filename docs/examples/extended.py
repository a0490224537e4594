"""Flask-JWT-Extended's last patterns, in flask_pyjwt: user objects in, the identity
claim, expired tokens read on purpose and seen by error handlers, either kind on one
route, and the header's name and scheme."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import Flask, request
from flask.typing import ResponseReturnValue

from flask_pyjwt import AuthenticationFailed, AuthManager, Token, current_token, require_token
from flask_pyjwt.typing import JSONInput

app = Flask(__name__)
app.config["JWT_ISSUER"] = "extended-example"
app.config["JWT_AUTHTYPE"] = "HS256"
app.config["JWT_SECRET"] = "a-32-byte-or-longer-secret-for-hs256!"


@dataclass(frozen=True)
class User:
    id: int
    email: str
    admin: bool = False


USERS = {7: User(7, "ada@example.com", admin=True)}


# [start user-objects]
auth_manager: AuthManager[User] = AuthManager(app)  # auth_token takes a User


@auth_manager.identity_loader
def identity(user: User) -> str:
    return str(user.id)  # the token's sub


@auth_manager.claims_loader
def claims(user: User) -> Mapping[str, JSONInput]:
    return {"admin": user.admin}  # added to every auth token issued for a User


@auth_manager.user_loader
def load_user(token: Token) -> User | None:
    return USERS.get(int(auth_manager.identity(token)))


@app.post("/login")
def login() -> dict[str, str]:
    user = USERS[7]  # after checking the password
    return {"auth_token": auth_manager.auth_token(user).signed}  # a Team here: type error


# [end user-objects]


# [start logout]
@app.post("/logout")
@require_token(token_type=("auth", "refresh"))  # Flask-JWT-Extended's verify_type=False
def logout() -> dict[str, str]:
    token = current_token.get(("auth", "refresh"))  # AuthToken | RefreshToken
    auth_manager.revoke(token, end_session=True)
    return {"logged_out": token.token_type.value}


# [end logout]


# [start expired]
@app.post("/refresh-after-expiry")
def refresh_after_expiry() -> dict[str, str]:
    # Signature, issuer, kind, audience and revocation are all checked; only exp is not.
    old = auth_manager.convert_token(request.get_data(as_text=True), "auth", allow_expired=True)
    user = USERS[int(old.sub)]
    return {
        "auth_token": auth_manager.auth_token(user).signed,
        "was_expired": str(old.is_expired()),
    }


@app.errorhandler(AuthenticationFailed)
def on_401(error: AuthenticationFailed) -> ResponseReturnValue:
    # Set only for a token refused for its expiry alone, after its signature verified;
    # None for a forged one, so nothing a client made up reaches this line.
    expired = error.expired_token
    if expired is not None:
        return {"code": "token_expired", "hint": f"welcome back, user {expired.sub}"}, 401
    return {"code": error.error_code}, 401


# [end expired]

# [start proxy-header]
proxied = Flask("behind_cloudflare_access")
proxied.config["JWT_HEADER_NAME"] = "Cf-Access-Jwt-Assertion"  # the proxy's header ...
proxied.config["JWT_HEADER_SCHEME"] = ""  # ... holds the bare token, no "Bearer "
# [end proxy-header]
