"""``require_token`` in depth: every way to say what a view requires."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from flask import Blueprint, Flask
from flask.views import MethodView

from flask_pyjwt import (
    AuthManager,
    Exact,
    FromRoute,
    current_token,
    require_token,
    verify_request,
)

app = Flask(__name__)
app.config["JWT_ISSUER"] = "routes-example"
app.config["JWT_AUTHTYPE"] = "HS256"
app.config["JWT_SECRET"] = "a-32-byte-or-longer-secret-for-hs256!"
auth_manager = AuthManager(app)


# [start route-binding]
# A string that names a parameter of the view binds to that route variable:
# the token's sub must equal the <username> in the URL.
@app.route("/users/<username>")
@require_token(sub="username")
def user_profile(username: str) -> dict[str, str]:
    return {"profile": username}


# FromRoute says the same explicitly, and fails at import time if the view
# has no such parameter.
@app.route("/orgs/<int:org_id>/billing")
@require_token(org=FromRoute("org_id"))
def org_billing(org_id: int) -> dict[str, int]:
    return {"org": org_id}


# Exact forces a literal, even a string that happens to name a parameter.
@app.route("/reports/<username>")
@require_token(role=Exact("username"))
def report(username: str) -> dict[str, str]:
    return {"report": username}


# [end route-binding]


# [start method-view]
# A MethodView's view takes the route variables as **kwargs, so a plain string could be
# either: say FromRoute or Exact (a plain string is a ValueError here).
class UserAPI(MethodView):
    decorators: ClassVar[list[Callable[..., object]]] = [
        require_token(sub=FromRoute("username"), role=Exact("member"))
    ]

    def get(self, username: str) -> dict[str, str]:
        return {"user": username}


app.add_url_rule("/api/users/<username>", view_func=UserAPI.as_view("user_api"))
# [end method-view]


# [start claims-mapping]
# claims= states claims by name, any name: "location" and "scope" here are claims of
# the token, compared exactly, not the options of the same names.
@app.route("/eu/reports")
@require_token(claims={"location": "eu", "scope": "reports"}, role="analyst")
def eu_reports() -> dict[str, str]:
    return {"reports": "eu"}


# [end claims-mapping]


# [start scope-forms]
# A mapping: every key must be in the token's scope, with an equal value.
@app.route("/admin")
@require_token(scope={"admin": True})
def admin() -> dict[str, str]:
    return {"area": "admin"}


# An OAuth scope string: a set of space-separated scopes, all required.
@app.route("/documents", methods=["POST"])
@require_token(scope="documents:write")
def write_document() -> dict[str, str]:
    return {"written": "yes"}


# A list of scopes: all of them are required (not any one).
@app.route("/documents/export")
@require_token(scope=["documents:read", "export"])
def export_documents() -> dict[str, str]:
    return {"exported": "yes"}


# [end scope-forms]


# [start override]
# Admins may see anyone's settings; everyone else only their own.
@app.route("/users/<username>/settings")
@require_token(sub="username", override={"admin": True})
def user_settings(username: str) -> dict[str, str | bool]:
    return {"settings_of": username, "as_admin": current_token.claims.get("admin") is True}


# [end override]


# [start refresh-and-cookies]
# A refresh token instead of an auth token.
@app.route("/token/refresh", methods=["POST"])
@require_token("refresh")
def refresh() -> dict[str, str]:
    return {"auth_token": auth_manager.auth_token(current_token.sub).signed}


# The token from a cookie instead of the Authorization header (the seed's form; without
# cookie_name, the cookie is JWT_AUTH_COOKIE's, "auth_token").
@app.route("/dashboard")
@require_token(location="cookies", cookie_name="auth_token")
def dashboard() -> dict[str, str]:
    return {"user": current_token.sub}


# [end refresh-and-cookies]


# [start locations]
# A browser sends its cookie, an API client the header: the cookie is tried first, and
# where a request carries one, the cookie decides.
@app.route("/inbox")
@require_token(location=("cookies", "header"))
def inbox() -> dict[str, str]:
    return {"inbox_of": current_token.sub}


# A link opened where no header can be added (a download in a new tab): a short-lived,
# narrowly scoped token in the query string, /exports/q3.csv?jwt=...
@app.route("/exports/<name>")
@require_token(location="query", scope="export")
def export_file(name: str) -> dict[str, str]:
    return {"file": name}


# A JSON body's member: {"auth_token": "...", "event": ...}
@app.route("/hooks", methods=["POST"])
@require_token(location="json")
def hook() -> dict[str, str]:
    return {"accepted_for": current_token.sub}


# [end locations]


# [start optional]
@app.route("/articles")
@require_token(optional=True)
def articles() -> dict[str, object]:
    token = current_token.get_or_none()  # AuthToken | None
    if token is None:
        return {"articles": ["welcome"]}
    return {"articles": ["welcome", "members-only"], "reader": token.sub}


# [end optional]


# [start fresh]
# Changing the account's email needs a token issued right after a sign-in:
# auth_manager.auth_token(user, fresh=300) at login; a refreshed token is not fresh.
@app.route("/account/email", methods=["POST"])
@require_token(fresh=True)
def change_email() -> dict[str, str]:
    return {"changed_for": current_token.sub}


# [end fresh]


# [start verify-request]
# Every view of the blueprint needs an admin token: one check, before any of them.
admin_area = Blueprint("admin_area", __name__, url_prefix="/admin")


@admin_area.before_request
def admins_only() -> None:
    token = verify_request(scope="admin")  # an AuthToken; current_token from here on
    app.logger.info("admin request by %s", token.sub)


@admin_area.route("/users")
def list_users() -> dict[str, list[str]]:
    return {"users": ["alice", "bob"], "listed_for": [current_token.sub]}


app.register_blueprint(admin_area)
# [end verify-request]
