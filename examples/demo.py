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

sys.path.insert(0, str(Path(__file__).resolve().parent))

from app import create_app  # the example directory is not a package


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

    def check(name: str, want: int, step: str, path: str, token: str | None = None) -> None:
        expected.append((name, want, _get(client, step, path, token).status_code))

    login = client.post("/login", data={"username": "bob", "password": "builder"})
    _show("1. bob logs in", "POST", "/login (username=bob)", login, {})
    expected.append(("login", 200, login.status_code))
    auth, refresh = _json_field(login, "auth_token"), _json_field(login, "refresh_token")

    check("me", 200, "2. bob reads /me with his auth token", "/me", auth)
    check("own profile", 200, "3. bob reads his own profile", "/users/bob", auth)

    headers = {"Authorization": f"Bearer {refresh}"}
    response = client.post("/refresh", headers=headers)
    _show(
        "4. bob trades his refresh token for an auth token", "POST", "/refresh", response, headers
    )
    expected.append(("refresh", 200, response.status_code))
    auth = _json_field(response, "auth_token")

    check("no token", 401, "5. no token at all -> 401", "/me")
    tampered = auth[:-4] + ("AAAA" if not auth.endswith("AAAA") else "BBBB")
    check("tampered", 401, "6. a tampered token -> 401", "/me", tampered)
    check("refresh as auth", 401, "7. a refresh token used as an auth token -> 401", "/me", refresh)
    check("admin area", 403, "8. bob (no admin scope) opens /admin -> 403", "/admin", auth)
    check("other profile", 403, "9. bob opens alice's profile -> 403", "/users/alice", auth)

    login = client.post("/login", data={"username": "alice", "password": "wonderland"})
    _show("10. alice (admin) logs in", "POST", "/login (username=alice)", login, {})
    alice = _json_field(login, "auth_token")
    check("admin", 200, "11. alice opens /admin", "/admin", alice)
    check("override", 200, "12. alice's admin claim overrides the owner check", "/users/bob", alice)

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
