"""The ``flask jwt`` command group, driven through ``app.test_cli_runner()``."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import pytest
from click.testing import Result
from flask import Flask
from flask.cli import ScriptInfo

from flask_pyjwt import (
    AuthManager,
    KeySigner,
    KeyVerifier,
    RefreshToken,
    current_token,
    require_token,
)
from tests.support import HMAC_KID, ISSUER, configure, ec_pair, forge, make_app


def run(app: Flask, *args: str) -> Result:
    """Invoke ``flask jwt ARGS`` on ``app``."""
    return app.test_cli_runner().invoke(args=["jwt", *args])


def assert_ok(result: Result) -> None:
    assert result.exception is None, result.output
    assert result.exit_code == 0
    assert result.stderr == ""


def assert_error(result: Result, message: str, *, exit_code: int = 1) -> None:
    """One ``Error: ...`` line on stderr, nothing on stdout, no traceback."""
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == exit_code
    assert result.stdout == ""
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert lines == [f"Error: {message}"]


def issue(app: Flask, *args: str) -> str:
    result = run(app, "issue", *args)
    assert_ok(result)
    token = result.stdout.strip()
    assert result.stdout == f"{token}\n"
    return token


# -- registration --------------------------------------------------------------------


def test_init_app_registers_the_jwt_group() -> None:
    app, _ = make_app()
    result = run(app, "--help")
    assert_ok(result)
    for command in ("issue", "inspect", "keygen"):
        assert command in result.stdout


@pytest.mark.slow  # the installed flask command in a subprocess
def test_the_installed_package_adds_the_group_to_the_flask_command(tmp_path: Path) -> None:
    """A Flask CLI plugin (entry point ``flask.commands``): no app needed to list it."""
    result = run_flask("--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "  jwt " in result.stdout  # (Flask also says on stderr that it found no app)


# -- issue ---------------------------------------------------------------------------


def test_issue_prints_an_auth_token_signed_with_the_app_config() -> None:
    app, manager = make_app("ES256")
    token = issue(app, "--sub", "alice")
    with app.app_context():
        verified = manager.convert_token(token, "auth")
    assert verified.sub == "alice"
    assert verified.iss == ISSUER
    assert verified.alg == "ES256"
    assert verified.scope is None
    assert verified.max_age == 3600


def test_issue_scope_as_json() -> None:
    app, manager = make_app()
    token = issue(app, "--sub", "alice", "--scope", '{"admin": true, "teams": ["a", "b"]}')
    with app.app_context():
        verified = manager.convert_token(token, "auth")
    assert verified.scope == {"admin": True, "teams": ("a", "b")}


def test_issue_scope_as_oauth_string() -> None:
    app, manager = make_app()
    token = issue(app, "--sub", "alice", "--scope", "read write")
    with app.app_context():
        assert manager.convert_token(token, "auth").scope == "read write"


@pytest.mark.parametrize(
    ("argument", "name", "value"),
    [
        ("tenant=acme", "tenant", "acme"),
        ("level=3", "level", 3),
        ("admin=true", "admin", True),
        ("tags=[1, 2]", "tags", (1, 2)),
        ('code="7"', "code", "7"),
        ("empty=", "empty", ""),
        ("eq=a=b", "eq", "a=b"),
    ],
)
def test_issue_claims_are_json_or_text(argument: str, name: str, value: object) -> None:
    app, manager = make_app()
    token = issue(app, "--sub", "alice", "--claim", argument)
    with app.app_context():
        claims = manager.convert_token(token).claims
    assert claims[name] == value
    assert type(claims[name]) is type(value)


@pytest.mark.parametrize("name", ["max_age", "audience", "headers", "claims"])
def test_issue_claims_named_like_issuing_options_stay_claims(name: str) -> None:
    app, manager = make_app()
    token = issue(app, "--sub", "alice", "--claim", f"{name}=5")
    with app.app_context():
        verified = manager.convert_token(token, "auth")
    assert verified.claims[name] == 5
    assert verified.max_age == 3600
    assert verified.aud is None


def test_issue_several_claims() -> None:
    app, manager = make_app()
    token = issue(app, "--sub", "bob", "--claim", "a=1", "--claim", "b=x")
    with app.app_context():
        claims = manager.convert_token(token).claims
    assert (claims["a"], claims["b"]) == (1, "x")


def test_issue_refresh() -> None:
    app, manager = make_app()
    token = issue(app, "--sub", "alice", "--refresh", "--claim", "device=laptop")
    with app.app_context():
        verified = manager.convert_token(token, "refresh")
    assert isinstance(verified, RefreshToken)
    assert verified.claims["device"] == "laptop"
    assert verified.max_age == 604800


def test_issue_fresh_makes_a_token_that_fresh_routes_accept() -> None:
    app, manager = make_app()

    @app.post("/password")
    @require_token(fresh=True)
    def change_password() -> dict[str, str]:
        return {"sub": current_token.sub}

    client = app.test_client()
    plain = issue(app, "--sub", "alice")
    refused = client.post("/password", headers={"Authorization": f"Bearer {plain}"})
    assert refused.status_code == 401
    assert refused.get_json()["code"] == "fresh_token_required"
    for seconds, lasts in (("300", 300), ("0", 3600)):
        token = issue(app, "--sub", "alice", "--fresh", seconds)
        accepted = client.post("/password", headers={"Authorization": f"Bearer {token}"})
        assert accepted.status_code == 200
        with app.app_context():
            verified = manager.convert_token(token, "auth")
        assert verified.fresh_until == verified.iat + lasts


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--refresh", "--fresh", "60"],
            "--fresh is for auth tokens; a refresh token is never fresh",
        ),
        (
            ["--scope", '{"admin": tru}'],
            """--scope is not valid JSON: '{"admin": tru}' (quote it for the shell, """
            """e.g. '{"admin": true}')""",
        ),
        (
            ["--claim", "[1,"],
            "--claim '[1,' is not NAME=VALUE (e.g. --claim tenant=acme or --claim level=3)",
        ),
        (
            ["--claim", "tenant"],
            "--claim 'tenant' is not NAME=VALUE (e.g. --claim tenant=acme or --claim level=3)",
        ),
        (
            ["--claim", "=acme"],
            "--claim '=acme' is not NAME=VALUE (e.g. --claim tenant=acme or --claim level=3)",
        ),
        (
            ["--claim", "x={bad"],
            "--claim x is not valid JSON: '{bad' (quote it for the shell, "
            """e.g. '{"admin": true}')""",
        ),
        (["--claim", "x=NaN"], "--claim x is nan, which JSON cannot represent"),
        (["--claim", "a=1", "--claim", "a=2"], "--claim a is given twice"),
        (
            ["--claim", "exp=1"],
            "claim(s) exp are set by flask_pyjwt and cannot be passed as custom claims "
            "(reserved: aud, cnf, exp, fresh, iat, iss, jti, nbf, rid, scope, sid, sub, type)",
        ),
        (
            ["--refresh", "--scope", "read"],
            "--scope is for auth tokens; a refresh token carries no scope",
        ),
        (["--sub", ""], "sub is an empty string; it must be a non-empty str (the user's id)"),
    ],
)
def test_issue_errors_are_one_line(args: Sequence[str], message: str) -> None:
    app, _ = make_app()
    assert_error(run(app, "issue", "--sub", "alice", *args), message)


def verify_only_app() -> Flask:
    """An ES256 app with the public key alone: it verifies tokens and cannot issue any."""
    app, _ = make_app("ES256", JWT_SECRET=None, JWT_PUBLICKEY=ec_pair("P-256").public_pem)
    return app


def test_issue_from_a_verify_only_app_fails_cleanly() -> None:
    app = verify_only_app()
    assert_error(
        run(app, "issue", "--sub", "alice"),
        "this app is verify-only (JWT_PUBLICKEY without JWT_SECRET, or JWT_JWKS_URL) and cannot "
        "issue tokens; "
        "configure JWT_SECRET with the private key to issue them",
    )


def test_issue_without_sub_is_a_usage_error() -> None:
    app, _ = make_app()
    result = run(app, "issue")
    assert result.exit_code == 2
    assert "Missing option '--sub'" in result.stderr
    assert "Traceback" not in result.output


# -- inspect -------------------------------------------------------------------------


def test_inspect_shows_header_and_claims() -> None:
    app, _ = make_app()
    token = issue(app, "--sub", "alice", "--scope", '{"admin": true}')
    result = run(app, "inspect", token)
    assert_ok(result)
    lines = result.stdout.splitlines()
    assert lines[0] == f"Valid auth token for 'alice', issued by {ISSUER!r}"
    assert lines[1].startswith("issued:  ")
    assert lines[2].startswith("expires: ")
    assert lines[2].endswith("UTC (in 3600 s)") or lines[2].endswith("UTC (in 3599 s)")
    header_start, claims_start = lines.index("header:"), lines.index("claims:")
    header = json.loads("\n".join(lines[header_start + 1 : claims_start]))
    claims = json.loads("\n".join(lines[claims_start + 1 :]))
    assert header == {"alg": "HS256", "typ": "at+jwt", "kid": HMAC_KID}
    assert claims["sub"] == "alice"
    assert claims["scope"] == {"admin": True}
    assert claims["type"] == "auth"


def test_inspect_refresh_token() -> None:
    app, _ = make_app("EdDSA")
    token = issue(app, "--sub", "alice", "--refresh")
    result = run(app, "inspect", token)
    assert_ok(result)
    assert result.stdout.startswith(f"Valid refresh token for 'alice', issued by {ISSUER!r}\n")
    assert '"rid": ' in result.stdout


def _claims(**changes: object) -> dict[str, object]:
    now = int(time.time())
    claims: dict[str, object] = {
        "iss": ISSUER,
        "sub": "alice",
        "iat": now - 10,
        "exp": now + 3600,
        "jti": "j1",
        "type": "auth",
    }
    claims.update(changes)
    return claims


HEADER = {"alg": "HS256", "typ": "at+jwt"}


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (
            forge(HEADER, _claims(exp=int(time.time()) - 5)),
            "token rejected (token_expired): The token has expired.",
        ),
        (
            forge(HEADER, _claims(iss="someone-else")),
            "token rejected (claim_invalid): The token was not issued by this server.",
        ),
        (
            forge(HEADER, _claims(), key=b"another secret that is long enough!!"),
            "token rejected (signature_invalid): The token's signature is not valid.",
        ),
        (
            forge({"alg": "none", "typ": "at+jwt"}, _claims()),
            "token rejected (algorithm_not_allowed): The token's algorithm is not allowed.",
        ),
        (
            "not-a-token",
            "token rejected (token_malformed): "
            "The token is not a compact JWS (header.payload.signature).",
        ),
        (
            forge({"alg": "HS256", "typ": "JWT"}, _claims()),
            "token rejected (token_type_invalid): The token's typ header does not match its kind.",
        ),
        (
            "a" * 9000,
            "token rejected (token_too_large): The token is longer than this server accepts.",
        ),
    ],
)
def test_inspect_says_why_a_token_is_rejected(token: str, message: str) -> None:
    app, _ = make_app()
    assert_error(run(app, "inspect", token), message)


def test_inspect_with_a_verify_only_app() -> None:
    issuer_app, _ = make_app("ES256")
    token = issue(issuer_app, "--sub", "alice")
    assert_ok(run(verify_only_app(), "inspect", token))


def test_inspect_escapes_what_a_terminal_would_act_on() -> None:
    """Bidi overrides, C1 controls (a CSI that starts an escape sequence), line and
    paragraph separators and invisible tag characters from the token are shown as JSON
    escapes, never written raw to the terminal."""
    hostile = ["\u202e", "\u2066", "\x9b", "\x1b[2J", "\u2028", "\U000e0041", "\x85", "\ufeff"]
    text = "moc.elgoog\u202e" + "".join(hostile)
    token = forge(
        {**HEADER, "note": text},
        _claims(sub=f"al\u202eice{hostile[2]}", label=text, nested={f"k{hostile[0]}": [text]}),
    )
    app, _ = make_app()
    result = run(app, "inspect", token)
    assert_ok(result)
    for char in [*hostile, "\x1b"]:
        assert char not in result.stdout, repr(char)
    assert all(char == "\n" or char.isprintable() for char in result.stdout)
    lines = result.stdout.splitlines()
    assert lines[0] == "Valid auth token for 'al\\u202eice\\x9b', issued by 'test-issuer'"
    header_start, claims_start = lines.index("header:"), lines.index("claims:")
    header = json.loads("\n".join(lines[header_start + 1 : claims_start]))
    claims = json.loads("\n".join(lines[claims_start + 1 :]))
    # Escaped, not dropped: the JSON printed reads back as exactly what the token holds.
    assert header["note"] == text
    assert (claims["label"], claims["nested"]) == (text, {"k\u202e": [text]})
    assert "\\u202e" in result.stdout
    assert "\\ud83f\\udc41" not in result.stdout  # astral characters as one surrogate pair:
    assert "\\udb40\\udc41" in result.stdout  # U+E0041 TAG LATIN CAPITAL LETTER A


def test_inspect_keeps_printable_text_as_it_is() -> None:
    token = forge(HEADER, _claims(name="Zoë Ångström, 東京 🚀", sub="zoë"))
    app, _ = make_app()
    result = run(app, "inspect", token)
    assert_ok(result)
    assert "Zoë Ångström, 東京 🚀" in result.stdout
    assert result.stdout.startswith("Valid auth token for 'zoë'")


# -- without an app: the flask command in an empty directory --------------------------

FLASK: Final = Path(sys.executable).with_name("flask")


def run_flask(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The installed ``flask`` command, with no FLASK_* or JWT_* variable set."""
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith(("FLASK_", "JWT_"))
    }
    return subprocess.run(
        [str(FLASK), *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.slow  # the installed flask command in a subprocess
def test_keygen_runs_in_an_empty_directory_without_an_app(tmp_path: Path) -> None:
    result = run_flask(
        "jwt", "keygen", "--alg", "ES256", "--out", str(tmp_path / "keys"), cwd=tmp_path
    )
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    assert result.stdout.startswith("Wrote a new ES256 key pair:\n")
    assert sorted(os.listdir(tmp_path)) == ["keys"]
    private = (tmp_path / "keys" / "jwt-private.pem").read_bytes()
    public = (tmp_path / "keys" / "jwt-public.pem").read_bytes()
    assert KeySigner("ES256", private).matches(KeyVerifier("ES256", public))


@pytest.mark.slow  # the installed flask command in a subprocess
def test_keygen_of_an_hmac_secret_without_an_app(tmp_path: Path) -> None:
    result = run_flask("jwt", "keygen", "--alg", "HS256", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    assert result.stdout.splitlines()[1] == "JWT_AUTHTYPE=HS256"
    assert os.listdir(tmp_path) == []


@pytest.mark.slow  # the installed flask command in a subprocess
@pytest.mark.parametrize(
    ("args", "command"),
    [(["issue", "--sub", "alice"], "issue"), (["inspect", "a.b.c"], "inspect")],
)
def test_issue_and_inspect_without_an_app_say_so_in_one_line(
    tmp_path: Path, args: list[str], command: str
) -> None:
    result = run_flask("jwt", *args, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"Error: flask jwt {command} uses the configuration of your app, and no Flask app "
        f"was found here: name it with flask --app MODULE jwt {command} ..., the FLASK_APP "
        "environment variable, or an app.py or wsgi.py in this directory (flask jwt keygen "
        "needs no app)"
    ]


_APP_WITHOUT_EXTENSION = """
from flask import Flask

app = Flask(__name__)
"""

_APP_WITH_EXTENSION = """
from flask import Flask
from flask_pyjwt import AuthManager

app = Flask(__name__)
app.config["JWT_ISSUER"] = "cli-app"
app.config["JWT_AUTHTYPE"] = "HS256"
app.config["JWT_SECRET"] = "a-32-byte-or-longer-secret-for-hs256!"
AuthManager(app)
"""


@pytest.mark.parametrize(
    ("info", "message"),
    [
        (
            ScriptInfo(),
            "flask jwt issue uses the configuration of your app, and no Flask app was found "
            "here: name it with flask --app MODULE jwt issue ..., the FLASK_APP environment "
            "variable, or an app.py or wsgi.py in this directory (flask jwt keygen needs no app)",
        ),
        (ScriptInfo(app_import_path="missing_module"), "Could not import 'missing_module'."),
        (
            ScriptInfo(create_app=lambda: Flask("plain")),
            "the Flask app 'plain' has no AuthManager; did you forget AuthManager(app) or "
            "auth_manager.init_app(app)?",
        ),
    ],
    ids=["no app", "app not found", "app without AuthManager"],
)
def test_the_app_issue_and_inspect_load_and_what_they_say_without_one(
    info: ScriptInfo, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In process (the subprocess tests below run the installed flask command)."""
    monkeypatch.chdir(tmp_path)
    runner = make_app()[0].test_cli_runner()
    assert_error(runner.invoke(args=["jwt", "issue", "--sub", "alice"], obj=info), message)
    inspected = runner.invoke(args=["jwt", "inspect", "a.b.c"], obj=info)
    assert_error(inspected, message.replace("jwt issue", "jwt inspect"))


@pytest.mark.slow  # the installed flask command in a subprocess
def test_issue_with_an_app_that_has_no_auth_manager(tmp_path: Path) -> None:
    (tmp_path / "plain.py").write_text(_APP_WITHOUT_EXTENSION)
    result = run_flask("--app", "plain", "jwt", "issue", "--sub", "alice", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Error: the Flask app 'plain' has no AuthManager; did you forget AuthManager(app) "
        "or auth_manager.init_app(app)?"
    ]


@pytest.mark.slow  # the installed flask command in a subprocess
def test_an_app_named_but_not_found_gets_flasks_own_message(tmp_path: Path) -> None:
    result = run_flask("--app", "missing_module", "jwt", "inspect", "a.b.c", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == ["Error: Could not import 'missing_module'."]


@pytest.mark.slow  # the installed flask command in a subprocess
def test_issue_and_inspect_with_the_app_found_here(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(_APP_WITH_EXTENSION)
    issued = run_flask("jwt", "issue", "--sub", "alice", cwd=tmp_path)
    assert (issued.returncode, issued.stderr) == (0, ""), issued.stderr
    token = issued.stdout.strip()
    inspected = run_flask("jwt", "inspect", token, cwd=tmp_path)
    assert (inspected.returncode, inspected.stderr) == (0, ""), inspected.stderr
    assert inspected.stdout.startswith("Valid auth token for 'alice', issued by 'cli-app'\n")


# -- keygen --------------------------------------------------------------------------


def _app_from_keygen(algorithm: str, directory: Path, *, verify_only: bool) -> Flask:
    app = Flask(f"keygen_{algorithm}_{verify_only}")
    configure(app, {"JWT_ISSUER": ISSUER, "JWT_AUTHTYPE": algorithm})
    if verify_only:
        app.config["JWT_PUBLICKEY"] = (directory / "jwt-public.pem").read_bytes()
    else:
        app.config["JWT_SECRET"] = (directory / "jwt-private.pem").read_bytes()
    AuthManager(app)
    return app


@pytest.mark.parametrize("algorithm", ["ES256", "ES384", "ES512", "RS256", "PS512", "EdDSA"])
def test_keygen_writes_a_working_key_pair(algorithm: str, tmp_path: Path) -> None:
    out = tmp_path / "keys"
    app, _ = make_app()
    result = run(app, "keygen", "--alg", algorithm, "--out", str(out))
    assert_ok(result)
    private, public = out / "jwt-private.pem", out / "jwt-public.pem"
    assert private.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert public.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert result.stdout.splitlines() == [
        f"Wrote a new {algorithm} key pair:",
        f"  private key: {private} (keep it secret)",
        f"  public key:  {public}",
        "Configuration of the issuing app:",
        f'app.config["JWT_AUTHTYPE"] = "{algorithm}"',
        f'app.config["JWT_SECRET"] = Path("{private}").read_bytes()',
        "A verify-only service sets JWT_AUTHTYPE and, instead of JWT_SECRET:",
        f'app.config["JWT_PUBLICKEY"] = Path("{public}").read_bytes()',
    ]
    # The printed configuration works: the issuer signs, the verify-only app accepts.
    token = issue(_app_from_keygen(algorithm, out, verify_only=False), "--sub", "alice")
    assert_ok(run(_app_from_keygen(algorithm, out, verify_only=True), "inspect", token))


def test_keygen_defaults_to_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app, _ = make_app()
    assert_ok(run(app, "keygen", "--alg", "EdDSA"))
    assert sorted(os.listdir(tmp_path)) == ["jwt-private.pem", "jwt-public.pem"]


def test_keygen_hmac_secret_printed() -> None:
    app, _ = make_app()
    result = run(app, "keygen", "--alg", "HS512")
    assert_ok(result)
    comment, authtype, secret_line = result.stdout.splitlines()
    assert comment.startswith("# A new HS512 secret.")
    assert authtype == "JWT_AUTHTYPE=HS512"
    secret = secret_line.removeprefix("JWT_SECRET=")
    assert len(secret.encode()) >= 64
    # Long enough for JWT_REQUIRE_STRONG_SECRET, and usable as printed.
    usable, _ = make_app("HS512", JWT_SECRET=secret, JWT_REQUIRE_STRONG_SECRET=True)
    issue(usable, "--sub", "alice")


def test_keygen_hmac_secret_to_a_file(tmp_path: Path) -> None:
    app, _ = make_app()
    result = run(app, "keygen", "--alg", "HS256", "--out", str(tmp_path))
    assert_ok(result)
    path = tmp_path / "jwt-secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(path.read_bytes()) >= 32
    assert result.stdout.splitlines() == [
        f"Wrote a new HS256 secret to {path} (keep it secret).",
        "Configuration:",
        'app.config["JWT_AUTHTYPE"] = "HS256"',
        f'app.config["JWT_SECRET"] = Path("{path}").read_text()',
    ]


def test_keygen_never_overwrites(tmp_path: Path) -> None:
    app, _ = make_app()
    assert_ok(run(app, "keygen", "--alg", "ES256", "--out", str(tmp_path)))
    before = (tmp_path / "jwt-private.pem").read_bytes()
    assert_error(
        run(app, "keygen", "--alg", "ES256", "--out", str(tmp_path)),
        f"{tmp_path / 'jwt-public.pem'} already exists; remove it or choose another --out "
        "directory",
    )
    (tmp_path / "jwt-public.pem").unlink()
    assert_error(
        run(app, "keygen", "--alg", "ES256", "--out", str(tmp_path)),
        f"{tmp_path / 'jwt-private.pem'} already exists; remove it or choose another --out "
        "directory",
    )
    assert (tmp_path / "jwt-private.pem").read_bytes() == before
    assert_ok(run(app, "keygen", "--alg", "HS256", "--out", str(tmp_path)))
    assert_error(
        run(app, "keygen", "--alg", "HS256", "--out", str(tmp_path)),
        f"{tmp_path / 'jwt-secret'} already exists; remove it or choose another --out directory",
    )


def test_keygen_unusable_directory(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    app, _ = make_app()
    assert_error(
        run(app, "keygen", "--alg", "ES256", "--out", str(blocker / "keys")),
        f"cannot create directory {blocker / 'keys'}: Not a directory",
    )


@pytest.mark.parametrize("name", ["ES257", "hs256", "none", ""])
def test_keygen_unknown_algorithm(name: str) -> None:
    app, _ = make_app()
    assert_error(
        run(app, "keygen", "--alg", name),
        f"--alg: got str {name!r}; expected one of HS256, HS384, HS512, RS256, RS384, RS512, "
        "PS256, PS384, PS512, ES256, ES384, ES512, EdDSA",
    )


def test_keygen_unwritable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path: object, flags: int, mode: int = 0o777) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    app, _ = make_app()
    assert_error(
        run(app, "keygen", "--alg", "HS256", "--out", str(tmp_path)),
        f"cannot write {tmp_path / 'jwt-secret'}: Permission denied",
    )


_RST_MARKUP: Final = re.compile(r"``|:[a-z]+:`|`_\b|^\.\. ", re.MULTILINE)


@pytest.mark.parametrize("command", [(), ("issue",), ("inspect",), ("keygen",)])
def test_help_is_plain_text(command: tuple[str, ...]) -> None:
    # --help is read in a terminal: no reStructuredText markup from the docstrings.
    app, _ = make_app()
    result = run(app, *command, "--help")
    assert_ok(result)
    assert result.output.startswith("Usage: ")
    assert _RST_MARKUP.findall(result.output) == [], result.output
