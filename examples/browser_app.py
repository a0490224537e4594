"""A browser app: tokens in cookies, CSRF protection, fresh tokens and a typed user.

Serve it and open http://127.0.0.1:5000/ (or http://localhost:5000/) in a browser::

    .venv/bin/flask --app examples/browser_app.py run

Sign in as ``alice`` / ``wonderland``. The page is one HTML document whose script talks
to the JSON API below; the tests drive it in a real (headless) Chromium.

- ``POST /api/login`` (JSON ``username``/``password``) sets the token cookies: the auth
  token (fresh for 5 minutes) and the refresh token, each ``HttpOnly``, with a readable
  CSRF cookie beside it.
- ``GET /api/me`` and ``GET /api/notes`` need the auth cookie; ``POST /api/notes`` needs
  it *and* the ``X-CSRF-Token`` header, which the page's script copies from the
  ``csrf_auth_token`` cookie.
- ``POST /api/password`` also needs a fresh token: a refreshed one is not.
- ``GET /notes`` is a plain HTML page (no script) whose ``<form>`` posts to ``POST
  /notes``: the CSRF value travels in the form's hidden ``csrf_token`` field, which the
  template fills with ``jwt_csrf_token()``.
- ``POST /api/session/refresh`` (the refresh cookie, sent only under ``/api/session``,
  and its CSRF value) replaces the auth cookie; ``POST /api/session/logout`` ends the
  session on the server (by the refresh cookie, so also once the auth cookie has
  expired) and expires every cookie.

Cookies are ``Secure`` by default (``JWT_COOKIE_SECURE``). Browsers keep ``Secure``
cookies from ``http://localhost`` and ``http://127.0.0.1`` (loopback counts as a secure
context), but not from plain http on any other name or address: to try the app from
another machine over http, pass ``JWT_COOKIE_SECURE=False`` (see the browser apps guide).
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import cast

from flask import Flask, Response, jsonify, redirect, render_template_string, request
from werkzeug.wrappers import Response as WerkzeugResponse

from flask_pyjwt import AuthManager, Token, current_token, require_token
from flask_pyjwt.typing import JSONInput

DEMO_CONFIG: Mapping[str, object] = {
    "JWT_ISSUER": "flask-pyjwt-browser-demo",
    "JWT_AUTHTYPE": "HS256",
    # A throw-away demo secret (64 bytes). Real apps read it from the environment.
    "JWT_SECRET": "browser-demo-secret-5d0c2b7e9a14f3c6b8e1d7a2f4c9e0b3-not-for-production",
    "JWT_AUTHMAXAGE": 900,
    "JWT_REFRESHMAXAGE": 86400,
    # [start config]
    "JWT_TOKEN_LOCATION": "cookies",  # every route reads its token from a cookie
    # The refresh cookie goes nowhere but refresh and logout: logout needs it to end
    # the session once the auth cookie has expired.
    "JWT_REFRESH_COOKIE_PATH": "/api/session",
    # JWT_COOKIE_SECURE (True), JWT_COOKIE_SAMESITE ("Lax") and the CSRF check
    # (JWT_CSRF_PROTECT, on POST/PUT/PATCH/DELETE) keep their safe defaults.
    # [end config]
}


@dataclass
class User:
    """A demo account."""

    name: str
    email: str
    password: str
    notes: list[str] = field(default_factory=list[str])


USERS: dict[str, User] = {}


def reset_users() -> None:
    """Start from the two demo accounts (the tests call it between runs)."""
    USERS.clear()
    USERS["alice"] = User("alice", "alice@example.com", "wonderland")
    USERS["bob"] = User("bob", "bob@example.com", "builder")


reset_users()

# [start user-loader]
auth_manager: AuthManager[User] = AuthManager()  # tokens are issued for Users


@auth_manager.identity_loader
def identity(user: User) -> str:
    return user.name  # the sub of the user's tokens: auth_token(user) takes a User


@auth_manager.claims_loader
def claims(user: User) -> Mapping[str, JSONInput]:
    return {"email": user.email}  # custom claims of every auth token issued for a User


@auth_manager.user_loader
def load_user(token: Token) -> User | None:
    return USERS.get(auth_manager.identity(token))  # None (deleted): 401 user_not_found


current_user = load_user.current  # a User to the type checker: current_user.email is a str
# [end user-loader]


def create_app(config: Mapping[str, object] | None = None) -> Flask:
    """Build the app (``config`` overrides the embedded defaults)."""
    app = Flask(__name__)
    for key, value in {**DEMO_CONFIG, **(config or {})}.items():
        app.config[key] = value
    auth_manager.init_app(app)

    @app.get("/")
    def page() -> Response:
        return Response(PAGE, content_type="text/html; charset=utf-8")

    # [start login]
    @app.post("/api/login")
    def login() -> Response | tuple[Response, int]:
        # JSON only: a cross-site form cannot send it, so no other site can log a
        # visitor in to an account of its choosing (login CSRF).
        body = cast("object", request.get_json(silent=True))
        fields = cast("dict[str, object]", body) if isinstance(body, dict) else {}
        name, password = fields.get("username"), fields.get("password")
        user = USERS.get(name) if isinstance(name, str) else None
        if (
            user is None
            or not isinstance(password, str)
            or not hmac.compare_digest(
                user.password.encode(), password.encode("utf-8", "surrogatepass")
            )
        ):
            return jsonify(error="invalid username or password"), 401
        response = jsonify(user=user.name)
        refresh = auth_manager.refresh_token(user)  # starts a session
        auth = auth_manager.auth_token(user, fresh=300, session=refresh)  # a password now
        auth_manager.set_token_cookies(response, auth=auth, refresh=refresh)
        return response

    # [end login]

    @app.get("/api/me")
    @require_token()
    def me() -> dict[str, object]:
        return {
            "user": current_user.name,
            "email": current_user.email,
            "fresh": current_token.is_fresh(),
        }

    # [start notes]
    @app.get("/api/notes")
    @require_token()
    def notes() -> dict[str, list[str]]:
        return {"notes": current_user.notes}

    @app.post("/api/notes")
    @require_token()  # a cookie on POST: the X-CSRF-Token header is required
    def add_note() -> dict[str, list[str]]:
        body = cast("object", request.get_json(silent=True))
        text = cast("dict[str, object]", body).get("text") if isinstance(body, dict) else None
        if isinstance(text, str) and text:
            current_user.notes.append(text[:200])
        return {"notes": current_user.notes}

    # [end notes]

    # [start form]
    @app.get("/notes")
    @require_token()
    def notes_page() -> str:
        return render_template_string(NOTES_PAGE, notes=current_user.notes)

    @app.post("/notes")
    @require_token()  # a cookie on POST: the form's csrf_token field (or the header)
    def add_note_from_form() -> WerkzeugResponse:
        text = request.form.get("text", "")
        if text:
            current_user.notes.append(text[:200])
        return redirect("/notes", code=303)

    # [end form]

    @app.post("/api/password")
    @require_token(fresh=True)  # 401 fresh_token_required after a refresh
    def change_password() -> dict[str, str]:
        return {"changed": current_user.name}

    # [start refresh-logout]
    @app.post("/api/session/refresh")
    @require_token("refresh")  # the refresh cookie, and csrf_refresh_token's value
    def refresh() -> Response:
        response = jsonify(refreshed=current_user.name)
        # Rotation: the refresh token is single use (a replay revokes the session); the
        # new auth token is not fresh.
        new_auth, new_refresh = auth_manager.rotate(current_token.signed)
        auth_manager.set_token_cookies(response, auth=new_auth, refresh=new_refresh)
        return response

    @app.post("/api/session/logout")
    # The refresh cookie (with csrf_refresh_token's value), not the auth cookie: it
    # outlives the auth cookie, so it is there whenever the browser still has a
    # session. check_revocation=False: a retired or revoked one still logs out.
    @require_token("refresh", optional=True, check_revocation=False)
    def logout() -> Response:
        response = jsonify(logged_out=True)
        refresh = current_token.get_or_none()
        if refresh is not None:  # the session ends on the server too, not only the cookies
            auth_manager.revoke(refresh)  # the whole session: its auth tokens too
        auth_manager.unset_token_cookies(response)
        return response

    # [end refresh-logout]

    return app


NOTES_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Notes</title></head>
<body>
<ul id="form-notes">{% for note in notes %}<li>{{ note }}</li>{% endfor %}</ul>
<form id="plain-form" method="post" action="/notes">
  <input type="hidden" name="csrf_token" value="{{ jwt_csrf_token() }}">
  <input id="form-note" name="text" placeholder="a note">
  <button id="form-submit" type="submit">Add note</button>
</form>
</body>
</html>
"""

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>flask_pyjwt browser demo</title>
</head>
<body>
<h1>flask_pyjwt browser demo</h1>
<p id="status">Signed out.</p>
<form id="login">
  <input id="username" name="username" autocomplete="username" placeholder="username">
  <input id="password" name="password" type="password" autocomplete="current-password"
         placeholder="password">
  <button id="sign-in" type="submit">Sign in</button>
</form>
<form id="note-form">
  <input id="note" placeholder="a note">
  <button id="add-note" type="submit">Add note</button>
</form>
<ul id="notes"></ul>
<button id="refresh">Refresh the session</button>
<button id="password-change">Change password (needs a fresh sign-in)</button>
<button id="logout">Sign out</button>
<pre id="log"></pre>
<script>
// [start csrf-script]
// The CSRF cookies are readable (not HttpOnly) on purpose: only this site's pages can
// read them, and a request that carries the value proves it came from one of them.
function cookie(name) {
  const prefix = name + "=";
  const found = document.cookie.split("; ").find((c) => c.startsWith(prefix));
  return found === undefined ? "" : decodeURIComponent(found.slice(prefix.length));
}

async function api(method, path, body, csrfCookie = "csrf_auth_token") {
  const headers = {"Content-Type": "application/json"};
  if (method !== "GET") {
    headers["X-CSRF-Token"] = cookie(csrfCookie);
  }
  const response = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = {status: response.status, body: await response.json()};
  const line = JSON.stringify({request: method + " " + path, ...answer});
  document.getElementById("log").textContent += line + "\\n";
  return answer;
}
// [end csrf-script]

async function showUser() {
  const me = await api("GET", "/api/me");
  const status = document.getElementById("status");
  if (me.status !== 200) {
    status.textContent = "Signed out (" + me.body.code + ").";
    return;
  }
  status.textContent = "Signed in as " + me.body.user + (me.body.fresh ? " (fresh)." : ".");
  const notes = await api("GET", "/api/notes");
  const list = document.getElementById("notes");
  list.replaceChildren(...notes.body.notes.map((text) => {
    const item = document.createElement("li");
    item.textContent = text;
    return item;
  }));
}

document.getElementById("login").addEventListener("submit", async (event) => {
  event.preventDefault();
  const answer = await api("POST", "/api/login", {
    username: document.getElementById("username").value,
    password: document.getElementById("password").value,
  });
  if (answer.status === 200) {
    await showUser();
  } else {
    document.getElementById("status").textContent = "Sign-in failed.";
  }
});
document.getElementById("note-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  await api("POST", "/api/notes", {text: document.getElementById("note").value});
  await showUser();
});
document.getElementById("refresh").addEventListener("click", async () => {
  await api("POST", "/api/session/refresh", undefined, "csrf_refresh_token");
  await showUser();
});
document.getElementById("password-change").addEventListener("click", async () => {
  await api("POST", "/api/password");
});
document.getElementById("logout").addEventListener("click", async () => {
  await api("POST", "/api/session/logout", undefined, "csrf_refresh_token");
  await showUser();
});
showUser();
</script>
</body>
</html>
"""

app = create_app()
