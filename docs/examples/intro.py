"""The front page's example."""

from __future__ import annotations

from flask import Flask

from flask_pyjwt import AuthManager, current_token, require_token

app = Flask(__name__)
app.config["JWT_ISSUER"] = "my-api"
app.config["JWT_AUTHTYPE"] = "HS256"
app.config["JWT_SECRET"] = "a-32-byte-or-longer-secret-for-hs256!"
auth_manager = AuthManager(app)


@app.route("/admin")
@require_token(scope={"admin": True})
def admin() -> dict[str, str]:
    return {"hello": current_token.sub}
