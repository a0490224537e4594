"""Walk through a whole flow against the demo app, printing each request and response.

Run with ``make demo`` (or ``python examples/demo.py`` inside the virtual environment).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import cast

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from examples.app import create_app  # the repository root is on sys.path above


def _short(token: str) -> str:
    return f"{token[:24]}...{token[-8:]}" if len(token) > 40 else token


def _show(
    step: str, method: str, path: str, response: TestResponse, headers: dict[str, str]
) -> None:
    print(f"\n== {step}")
    print(f"   {method} {path}")
    for name, value in headers.items():
        shown = value if not value.startswith("Bearer ") else f"Bearer {_short(value[7:])}"
        print(f"   {name}: {shown}")
    print(f"-> {response.status}")
    if "WWW-Authenticate" in response.headers:
        print(f"   WWW-Authenticate: {response.headers['WWW-Authenticate']}")
    body = _json_body(response)
    if body:
        shortened = {
            key: _short(value) if isinstance(value, str) and key.endswith("token") else value
            for key, value in body.items()
        }
        print("   " + json.dumps(shortened, indent=2).replace("\n", "\n   "))


def _json_body(response: TestResponse) -> dict[str, object]:
    body: object = response.get_json(silent=True)
    return cast("dict[str, object]", body) if isinstance(body, dict) else {}


def _get(client: FlaskClient, step: str, path: str, token: str | None = None) -> TestResponse:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.get(path, headers=headers)
    _show(step, "GET", path, response, headers)
    return response


def _json_field(response: TestResponse, name: str) -> str:
    value = _json_body(response).get(name)
    if not isinstance(value, str):
        raise SystemExit(f"no {name} in the response")
    return value


def main() -> int:
    """Run the flow; exit non-zero if any step answers unexpectedly."""
    client = create_app().test_client()
    expected: list[tuple[str, int, int]] = []
    steps = iter(range(1, 100))

    def check(name: str, want: int, what: str, path: str, token: str | None = None) -> None:
        step = f"{next(steps)}. {what}"
        expected.append((name, want, _get(client, step, path, token).status_code))

    def post(name: str, want: int, what: str, path: str, token: str) -> TestResponse:
        headers = {"Authorization": f"Bearer {token}"}
        response = client.post(path, headers=headers)
        _show(f"{next(steps)}. {what}", "POST", path, response, headers)
        expected.append((name, want, response.status_code))
        return response

    def log_in(username: str, password: str) -> tuple[str, str]:
        login = client.post("/login", data={"username": username, "password": password})
        _show(
            f"{next(steps)}. {username} logs in", "POST", f"/login (username={username})", login, {}
        )
        expected.append((f"login {username}", 200, login.status_code))
        return _json_field(login, "auth_token"), _json_field(login, "refresh_token")

    auth, refresh = log_in("bob", "builder")
    check("me", 200, "bob reads /me with his auth token", "/me", auth)
    check("own profile", 200, "bob reads his own profile", "/users/bob", auth)

    rotated = post("refresh", 200, "bob rotates his refresh token: a new pair", "/refresh", refresh)
    new_auth, new_refresh = (
        _json_field(rotated, "auth_token"),
        _json_field(rotated, "refresh_token"),
    )
    check("rotated auth", 200, "bob reads /me with the new auth token", "/me", new_auth)

    check("no token", 401, "no token at all -> 401", "/me")
    tampered = new_auth[:-4] + ("AAAA" if not new_auth.endswith("AAAA") else "BBBB")
    check("tampered", 401, "a tampered token -> 401", "/me", tampered)
    check(
        "refresh as auth", 401, "a refresh token used as an auth token -> 401", "/me", new_refresh
    )
    check("admin area", 403, "bob (no admin scope) opens /admin -> 403", "/admin", new_auth)
    check("other profile", 403, "bob opens alice's profile -> 403", "/users/alice", new_auth)

    post(
        "reuse", 401, "someone replays bob's OLD refresh token -> 401, session revoked",
        "/refresh", refresh,
    )  # fmt: skip
    check(
        "after reuse", 401, "bob's newest auth token died with the session -> 401", "/me", new_auth
    )

    auth, refresh = log_in("bob", "builder")
    post("logout", 200, "bob logs out (his refresh token ends the session)", "/logout", refresh)
    check("after logout", 401, "the session's auth token is refused -> 401", "/me", auth)
    post("refresh after logout", 401, "and so is its refresh token -> 401", "/refresh", refresh)

    alice, _ = log_in("alice", "wonderland")
    check("admin", 200, "alice opens /admin", "/admin", alice)
    check("override", 200, "alice's admin claim overrides the owner check", "/users/bob", alice)
    post("everywhere", 200, "alice logs out everywhere", "/logout-everywhere", alice)
    check("after everywhere", 401, "every token alice held is refused -> 401", "/admin", alice)

    failures = [
        f"{name}: expected {want}, got {got}" for name, want, got in expected if want != got
    ]
    print(
        "\n"
        + (
            "Demo finished: every step answered as expected."
            if not failures
            else "\n".join(failures)
        )
    )
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
