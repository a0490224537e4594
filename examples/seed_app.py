"""The example from Flask_PyJWT's front page, with its typos corrected, running for real.

Only the two helpers the original left to the reader (``valid_login`` and
``get_user_authorizations``) are filled in, with an in-memory user table.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from flask import Flask, request

from flask_pyjwt import AuthManager, current_token, require_token

USERS = {"alice": "wonderland", "bob": "builder"}
AUTHORIZATIONS = {"alice": {"admin": True}, "bob": {"admin": False}}


def valid_login(username: str, password: str) -> bool:
    expected = USERS.get(username)
    return expected is not None and hmac.compare_digest(expected, password)


def get_user_authorizations(username: str) -> dict[str, bool]:
    return AUTHORIZATIONS.get(username, {})


app = Flask(__name__)
app.config["JWT_ISSUER"] = "Flask_PyJWT"  # Issuer of tokens
app.config["JWT_AUTHTYPE"] = "HS256"  # HS256, HS512, RS256, RS512, ES256, EdDSA, ...
app.config["JWT_SECRET"] = "SECRETKEY"  # str for HS*, PEM private key for the others
app.config["JWT_AUTHMAXAGE"] = 3600
app.config["JWT_REFRESHMAXAGE"] = 604800

auth_manager = AuthManager(app)


# Create auth and refresh tokens with the auth_manager object
@app.route("/login", methods=["POST"])
def post_token() -> tuple[dict[str, str], int]:
    username = request.form["username"]
    password = request.form["password"]
    # Some user authentication via username/password
    if not valid_login(username, password):
        return {"error": "Invalid login credentials"}, 401
    # Retrieve some authorizations the user has, such as {"admin": True}
    authorizations = get_user_authorizations(username)
    # Create the auth and refresh tokens
    auth_token = auth_manager.auth_token(username, authorizations)
    refresh_token = auth_manager.refresh_token(username)
    return {
        "auth_token": auth_token.signed,
        "refresh_token": refresh_token.signed,
    }, 200


# Protect routes by requiring auth tokens
@app.route("/protected_route")
@require_token()
def protected_route() -> tuple[dict[str, str], int]:
    return {"message": "You've reached the protected route!"}, 200


# Provision new auth tokens by requiring refresh tokens
@app.route("/refresh", methods=["POST"])
@require_token("refresh")
def refresh_token_route() -> tuple[dict[str, str], int]:
    username = current_token.sub
    # Retrieve some authorizations the user has, such as {"admin": True}
    authorizations = get_user_authorizations(username)
    new_auth_token = auth_manager.auth_token(username, authorizations)
    return {"auth_token": new_auth_token.signed}, 200


# Require specific claims in auth or refresh tokens
# to match a route's rule variables
@app.route("/user_specific_route/<username>")
@require_token(sub="username")
def user_specific_route(username: str) -> tuple[dict[str, str], int]:
    return {"message": f"Hello, {username}!"}, 200


# Require arbitrary claims in auth or refresh tokens
@app.route("/custom_claim_route")
@require_token(custom_claim="Arbitrary Required Value")
def custom_claim_route() -> tuple[dict[str, str], int]:
    return {"message": "You've reached the custom claim route!"}, 200


# Require authorizations to be present in an auth token's scope
@app.route("/admin_dashboard")
@require_token(scope={"admin": True})
def admin_dashboard() -> dict[str, str]:
    return {"message": "Hello admin!"}


# Access the current token's information using current_token
@app.route("/token/info")
@require_token()
def extract_token_info() -> dict[str, object]:
    return {
        "token_type": current_token.token_type,
        "subject": current_token.sub,
        "scope": current_token.scope,
        "claims": current_token.claims,
        "is_signed": current_token.is_signed(),
        "signed_token": current_token.signed,
    }


# Require authorization to be present in an auth token's scope or claims, but
# with the option to override those values with other claims. override is matched
# against the token's claims: /login put the admin flag in the "scope" claim.
@app.route("/overridable_route/<username>")
@require_token(sub="username", override={"scope": {"admin": True}})  # admins: any user
def overridable_route(username: str) -> tuple[dict[str, str], int]:
    scope = current_token.scope  # what /login put in the token: {"admin": True} for alice
    is_admin = isinstance(scope, Mapping) and scope.get("admin") is True
    return {"message": f"Hello, {'admin' if is_admin else username}!"}, 200
