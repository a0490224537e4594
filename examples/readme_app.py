"""The README's example, exactly (tests/test_readme.py keeps the two equal)."""

import hmac
from collections.abc import Mapping

from flask import Flask, request

from flask_pyjwt import AuthManager, current_token, require_token

USERS = {"alice": "wonderland", "bob": "builder"}  # your user store


def valid_login(username: str, password: str) -> bool:
    expected = USERS.get(username)
    return expected is not None and hmac.compare_digest(expected, password)


def get_user_authorizations(username: str) -> dict[str, bool]:
    return {"admin": username == "alice"}


app = Flask(__name__)
app.config["JWT_ISSUER"] = "Flask_PyJWT"  # Issuer of tokens
app.config["JWT_AUTHTYPE"] = "HS256"  # HS256/384/512, RS*, PS*, ES*, EdDSA
app.config["JWT_SECRET"] = "SECRETKEY"  # HMAC secret, or a PEM private key (str or bytes)
app.config["JWT_AUTHMAXAGE"] = 3600
app.config["JWT_REFRESHMAXAGE"] = 604800
auth_manager = AuthManager(app)


@app.route("/login", methods=["POST"])
def post_token() -> tuple[dict[str, str], int]:
    username = request.form["username"]
    if not valid_login(username, request.form["password"]):
        return {"error": "Invalid login credentials"}, 401
    auth_token = auth_manager.auth_token(username, get_user_authorizations(username))
    refresh_token = auth_manager.refresh_token(username)
    return {"auth_token": auth_token.signed, "refresh_token": refresh_token.signed}, 200


@app.route("/refresh", methods=["POST"])
@require_token("refresh")
def refresh_token_route() -> tuple[dict[str, str], int]:
    new_auth_token = auth_manager.auth_token(
        current_token.sub, get_user_authorizations(current_token.sub)
    )
    return {"auth_token": new_auth_token.signed}, 200


@app.route("/user_specific_route/<username>")
@require_token(sub="username")  # the token's sub must equal <username>
def user_specific_route(username: str) -> tuple[dict[str, str], int]:
    return {"message": f"Hello, {username}!"}, 200


@app.route("/admin_dashboard")
@require_token(scope={"admin": True})  # 403 unless the token's scope holds it
def admin_dashboard() -> dict[str, str]:
    return {"message": "Hello admin!"}


@app.route("/overridable_route/<username>")
@require_token(sub="username", override={"scope": {"admin": True}})  # admins: any user
def overridable_route(username: str) -> tuple[dict[str, str], int]:
    scope = current_token.scope  # what /login put in the token: {"admin": True} for alice
    is_admin = isinstance(scope, Mapping) and scope.get("admin") is True
    return {"message": f"Hello, {'admin' if is_admin else username}!"}, 200
