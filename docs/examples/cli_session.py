"""A ``flask jwt`` session, run for real when the docs are built.

The CLI page shows the commands below with the output they produce on an app
configured like the quickstart's (see ``generated.py``).
"""

from __future__ import annotations

import os
import shlex
import tempfile
from dataclasses import dataclass

from flask import Flask

from flask_pyjwt import AuthManager

SECRET = "a-32-byte-or-longer-secret-for-hs256!"


def create_app() -> Flask:
    app = Flask("cli_example")
    app.config["JWT_ISSUER"] = "my-api"
    app.config["JWT_AUTHTYPE"] = "HS256"
    app.config["JWT_SECRET"] = SECRET
    AuthManager(app)
    return app


@dataclass(frozen=True)
class Step:
    """One command line and what it printed."""

    command: str
    output: str
    exit_code: int


def _run(app: Flask, *args: str) -> Step:
    result = app.test_cli_runner().invoke(args=["jwt", *args])
    return Step("$ flask jwt " + shlex.join(args), result.output.rstrip("\n"), result.exit_code)


def session() -> dict[str, list[Step]]:
    """The transcripts the CLI page shows, by section."""
    app = create_app()
    issued = _run(app, "issue", "--sub", "alice", "--scope", '{"admin": true}')
    token = issued.output.strip()
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as scratch:
        os.chdir(scratch)  # so the transcript shows a relative "keys" directory
        try:
            keygen = [
                _run(app, "keygen", "--alg", "ES256", "--out", "keys"),
                _run(app, "keygen", "--alg", "HS512"),
            ]
            keygen_again = _run(app, "keygen", "--alg", "ES256", "--out", "keys")
        finally:
            os.chdir(here)
    return {
        "issue": [
            issued,
            _run(app, "issue", "--sub", "alice", "--scope", "read write", "--claim", "tenant=acme"),
            _run(app, "issue", "--sub", "alice", "--fresh", "300"),
            _run(app, "issue", "--sub", "alice", "--refresh"),
        ],
        "inspect": [_run(app, "inspect", token)],
        "rejected": [
            _run(app, "inspect", token[:-2] + ("AE" if token.endswith("AA") else "AA")),
            _run(app, "inspect", "not-a-token"),
        ],
        "issue-errors": [
            _run(app, "issue", "--sub", "alice", "--scope", '{"admin": tru}'),
            _run(app, "issue", "--sub", "alice", "--claim", "tenant"),
            _run(app, "issue", "--sub", "alice", "--claim", "exp=0"),
            _run(app, "issue", "--sub", "alice", "--refresh", "--fresh", "60"),
        ],
        "keygen": keygen,
        "keygen-errors": [keygen_again, _run(app, "keygen", "--alg", "ES257")],
    }
