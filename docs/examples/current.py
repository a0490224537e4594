"""``current_token``: the verified token of the current request."""

from __future__ import annotations

from flask import Flask

from flask_pyjwt import AuthManager, AuthToken, RefreshToken, current_token, require_token
from flask_pyjwt.errors import NoCurrentTokenError
from flask_pyjwt.typing import JSONObject

app = Flask(__name__)
app.config["JWT_ISSUER"] = "current-example"
app.config["JWT_AUTHTYPE"] = "HS256"
app.config["JWT_SECRET"] = "a-32-byte-or-longer-secret-for-hs256!"
auth_manager = AuthManager(app)


# [start attributes]
@app.route("/whoami")
@require_token()
def whoami() -> dict[str, object]:
    return {
        "sub": current_token.sub,  # str
        "type": current_token.token_type,  # TokenType.AUTH, serialised as "auth"
        "scope": current_token.scope,  # the scope claim (JSON), None if absent
        "expires": current_token.exp,  # int, seconds since the epoch
        "lifetime": current_token.max_age,  # exp - iat
        "alg": current_token.alg,
        "claims": current_token.claims,  # read-only; JSON-serialisable as is
    }


# [end attributes]


# [start narrowing]
@app.route("/session", methods=["POST"])
@require_token("refresh")
def session_info() -> dict[str, str]:
    token = current_token.get("refresh")  # a RefreshToken, to the type checker too
    return {"kind": "refresh", "rid": token.rid}


@app.route("/kind")
@require_token(location="header")
def kind() -> dict[str, str]:
    token = current_token.get()  # AuthToken | RefreshToken: narrow it yourself
    if isinstance(token, RefreshToken):
        return {"kind": "refresh"}
    return {"kind": "auth"}


# [end narrowing]


def scope_of(token: AuthToken) -> JSONObject | None:
    scope = token.scope
    return scope if isinstance(scope, dict) else None


# [start outside]
def outside_a_request() -> str:
    assert not current_token  # falsy where no token was verified; never raises
    try:
        return current_token.sub
    except NoCurrentTokenError as error:
        return str(error)


# [end outside]
