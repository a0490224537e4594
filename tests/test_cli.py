"""The ``flask jwt`` command group, driven through ``app.test_cli_runner()``."""

from __future__ import annotations

import json
import os
import stat
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask

from flask_pyjwt import AuthManager, RefreshToken
from tests.support import ISSUER, ec_pair, forge, make_app


def configure(app: Flask, **values: object) -> None:
    for key, value in values.items():
        app.config[key] = value


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


def test_the_group_is_absent_without_the_extension() -> None:
    app = Flask("no_extension")
    result = app.test_cli_runner().invoke(args=["jwt", "--help"])
    assert result.exit_code == 2
    assert "No such command 'jwt'" in result.output


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


@pytest.mark.parametrize(
    ("args", "message"),
    [
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
            "(reserved: aud, exp, iat, iss, jti, nbf, rid, scope, sub, type)",
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


def test_issue_from_a_verify_only_app_fails_cleanly() -> None:
    app = Flask("verify_only")
    configure(
        app, JWT_ISSUER=ISSUER, JWT_AUTHTYPE="ES256", JWT_PUBLICKEY=ec_pair("P-256").public_pem
    )
    AuthManager(app)
    assert_error(
        run(app, "issue", "--sub", "alice"),
        "this app is verify-only (JWT_PUBLICKEY without JWT_SECRET) and cannot issue tokens; "
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
    assert header == {"alg": "HS256", "typ": "at+jwt"}
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
    verify_only = Flask("verify_only")
    configure(
        verify_only,
        JWT_ISSUER=ISSUER,
        JWT_AUTHTYPE="ES256",
        JWT_PUBLICKEY=ec_pair("P-256").public_pem,
    )
    AuthManager(verify_only)
    assert_ok(run(verify_only, "inspect", token))


# -- keygen --------------------------------------------------------------------------


def _app_from_keygen(algorithm: str, directory: Path, *, verify_only: bool) -> Flask:
    app = Flask(f"keygen_{algorithm}_{verify_only}")
    configure(app, JWT_ISSUER=ISSUER, JWT_AUTHTYPE=algorithm)
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
    # Long enough for JWT_REQUIRESTRONGSECRET, and usable as printed.
    usable = Flask("hs512")
    configure(
        usable,
        JWT_ISSUER=ISSUER,
        JWT_AUTHTYPE="HS512",
        JWT_SECRET=secret,
        JWT_REQUIRESTRONGSECRET=True,
    )
    AuthManager(usable)
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
