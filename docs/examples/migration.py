"""Migration: the 2.0 way of doing what changed since Flask_PyJWT 1.x, and the
equivalent of a typical Flask-JWT-Extended app."""

from __future__ import annotations

from flask import Flask, request

from flask_pyjwt import (
    AuthManager,
    AuthToken,
    InvalidTokenError,
    Token,
    current_token,
    require_token,
)

app = Flask(__name__)
app.config["JWT_ISSUER"] = "migration-example"
app.config["JWT_AUTHTYPE"] = "HS256"
app.config["JWT_SECRET"] = "a-32-byte-or-longer-secret-for-hs256!"
auth_manager = AuthManager(app)


# [start convert]
def read_token(raw: str) -> Token | None:
    # 1.x: AuthManager.convert_token(raw) decoded without checking the signature.
    # 2.0: it verifies first, and says why it refuses.
    try:
        return auth_manager.convert_token(raw)
    except InvalidTokenError as error:
        app.logger.info("refused token: %s (%s)", error.message, error.code)
        return None


# [end convert]


# [start extended]
# Flask-JWT-Extended:                    flask_pyjwt:
#   jwt = JWTManager(app)                  auth_manager = AuthManager(app)
#   create_access_token(identity=...)      auth_manager.auth_token(...)
#   @jwt_required()                        @require_token()
#   get_jwt_identity()                     current_token.sub
@app.route("/login", methods=["POST"])
def login() -> tuple[dict[str, str], int]:
    username = request.form.get("username", "")
    if username != "test" or request.form.get("password") != "test":
        return {"msg": "Bad username or password"}, 401
    access = auth_manager.auth_token(username, "profile:read", department="sales")
    refresh = auth_manager.refresh_token(username)
    return {"access_token": access.signed, "refresh_token": refresh.signed}, 200


@app.route("/protected")
@require_token(scope="profile:read")  # Flask-JWT-Extended checks scopes in the view
def protected() -> dict[str, object]:
    return {"logged_in_as": current_token.sub, "claims": current_token.claims}


@app.route("/refresh", methods=["POST"])
@require_token("refresh")  # @jwt_required(refresh=True)
def refresh() -> dict[str, str]:
    token: AuthToken = auth_manager.auth_token(current_token.sub, "profile:read")
    return {"access_token": token.signed}


# [end extended]
