"""The ``flask jwt`` command group: issue, inspect and generate keys from the shell.

The package registers the group as a Flask CLI plugin (the ``flask.commands`` entry
point), and :meth:`AuthManager.init_app <flask_pyjwt.AuthManager.init_app>` adds it to
the app's CLI too (for ``app.test_cli_runner()`` and uninstalled checkouts)::

    flask jwt issue --sub alice [--scope JSON-or-string] [--claim k=v ...] [--refresh]
    flask jwt inspect TOKEN
    flask jwt keygen --alg ES256 [--out DIR]

``issue`` and ``inspect`` load the app (``flask --app``, ``FLASK_APP``, or ``app.py`` /
``wsgi.py`` here) and use its configuration (keys, issuer, lifetimes); ``keygen`` needs
no app. Every failure is one ``Error: ...`` line on stderr and exit status 1 (2 for a
usage error click itself detects), never a traceback. What ``inspect`` prints from a
token is escaped where a terminal could act on it (control, bidi and invisible
characters).
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Final, Protocol, cast

import click
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from flask import Flask
from flask.cli import AppGroup, NoAppException, ScriptInfo
from typing_extensions import ParamSpec

from flask_pyjwt._core.algorithms import EC_CURVES, AuthType, parse_auth_type
from flask_pyjwt._core.errors import FlaskPyJWTError, InvalidTokenError, NotInitializedError
from flask_pyjwt._core.keys import PrivateKey
from flask_pyjwt._core.strict_json import JSONInput, JSONValue, freeze
from flask_pyjwt._core.tokens import AuthToken, Token

from .state import AppState, app_state

PRIVATE_KEY_FILE: Final = "jwt-private.pem"
"""The file name ``keygen`` writes a private key to."""

PUBLIC_KEY_FILE: Final = "jwt-public.pem"
"""The file name ``keygen`` writes a public key to."""

SECRET_FILE: Final = "jwt-secret"  # noqa: S105 - a file name, not a secret
"""The file name ``keygen --out`` writes an HMAC secret to."""

RSA_KEY_BITS: Final = 3072
"""The size of the RSA keys ``keygen`` makes (RFC 7518 requires 2048 or more)."""

_JSON_OPENERS: Final = ("{", "[", '"')

jwt_cli = AppGroup(
    "jwt",
    help="Issue and inspect JSON Web Tokens with this app's configuration, and make keys.",
)

_P = ParamSpec("_P")


def _command(name: str) -> Callable[[Callable[_P, None]], click.Command]:
    # A command's docstring is its --help text, read in a terminal: plain text, no
    # reStructuredText markup (tests/test_cli.py checks).
    # click types its command decorator as taking Callable[..., Any]; this one cast keeps
    # that Any out of the package (mypy's disallow_any_expr for flask_pyjwt.*).
    # No command gets Flask's automatic app context: keygen needs no app, and issue and
    # inspect load theirs with _load_app, which turns "no app" into one error line.
    return cast(
        "Callable[[Callable[_P, None]], click.Command]",
        jwt_cli.command(name, with_appcontext=False),
    )


# What ScriptInfo.load_app tries in the current directory when no app is named.
_DEFAULT_APP_FILES: Final = ("wsgi.py", "app.py", "wsgi", "app")


class _AppLoader(Protocol):
    """The part of :class:`flask.cli.ScriptInfo` used here, without the ``Any`` of its
    ``create_app`` type (``Callable[..., Flask]``)."""

    @property
    def app_import_path(self) -> str | None: ...

    @property
    def create_app(self) -> object: ...

    def load_app(self) -> Flask: ...


_SCRIPT_INFO: Final = cast("type[object]", ScriptInfo)


def _load_app(command: str) -> Flask:
    """The app ``flask`` was pointed at, or a one-line error saying how to name one."""
    info = cast("_AppLoader", click.get_current_context().ensure_object(_SCRIPT_INFO))
    try:
        return info.load_app()
    except NoAppException as error:
        named = info.app_import_path is not None or info.create_app is not None
        if named or any(Path(name).exists() for name in _DEFAULT_APP_FILES):
            raise click.ClickException(str(error)) from None  # Flask says what went wrong
        raise click.ClickException(
            f"flask jwt {command} uses the configuration of your app, and no Flask app was "
            f"found here: name it with flask --app MODULE jwt {command} ..., the FLASK_APP "
            "environment variable, or an app.py or wsgi.py in this directory (flask jwt "
            "keygen needs no app)"
        ) from None


def _state(app: Flask) -> AppState:
    try:
        return app_state(app)
    except NotInitializedError as error:
        raise click.ClickException(str(error)) from None


def _parse_json_or_text(text: str, *, what: str) -> JSONValue:
    """``text`` as JSON when it parses, else as a plain string.

    Text that starts like a JSON object, array or string but does not parse is an error,
    not a string: ``{"admin": tru}`` is a typo, not a scope.
    """
    try:
        value: object = json.loads(text)
    except ValueError:
        if text.lstrip().startswith(_JSON_OPENERS):
            raise click.ClickException(
                f"{what} is not valid JSON: {text!r} (quote it for the shell, e.g. "
                """'{"admin": true}')"""
            ) from None
        return text
    try:
        return freeze(value, path=what)
    except TypeError as error:  # NaN and Infinity parse, but are not JSON values
        raise click.ClickException(str(error)) from None


def _parse_claims(pairs: tuple[str, ...]) -> dict[str, JSONInput]:
    claims: dict[str, JSONInput] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise click.ClickException(
                f"--claim {pair!r} is not NAME=VALUE (e.g. --claim tenant=acme or --claim level=3)"
            )
        if name in claims:
            raise click.ClickException(f"--claim {name} is given twice")
        claims[name] = _parse_json_or_text(raw, what=f"--claim {name}")
    return claims


@_command("issue")
@click.option("--sub", required=True, help="The subject (user id) of the token.")
@click.option(
    "--scope",
    default=None,
    help="""The auth token's scope: JSON ('{"admin": true}') or an OAuth string ('read write').""",
)
@click.option(
    "--claim",
    "claim_pairs",
    multiple=True,
    metavar="NAME=VALUE",
    help="A further claim; VALUE is JSON when it parses (3, true, [1,2]), else a string.",
)
@click.option("--refresh", is_flag=True, help="Issue a refresh token instead of an auth token.")
@click.option(
    "--fresh",
    "fresh_seconds",
    type=click.IntRange(min=0),
    default=None,
    metavar="SECONDS",
    help="Make the auth token fresh (as after a login, for require_token(fresh=True)) for "
    "this many seconds after it is issued; 0: for as long as it is valid.",
)
def issue_command(
    sub: str,
    scope: str | None,
    claim_pairs: tuple[str, ...],
    refresh: bool,
    fresh_seconds: int | None,
) -> None:
    """Print a new token signed with this app's key (stdout: the token only)."""
    claims = _parse_claims(claim_pairs)
    # --fresh 0 means fresh for the token's whole life (auth_token(fresh=True)).
    fresh: bool | int = False if fresh_seconds is None else (fresh_seconds or True)
    app = _load_app("issue")
    manager = _state(app).manager
    try:
        with app.app_context():
            if refresh:
                if scope is not None:
                    raise click.ClickException(
                        "--scope is for auth tokens; a refresh token carries no scope"
                    )
                if fresh_seconds is not None:
                    raise click.ClickException(
                        "--fresh is for auth tokens; a refresh token is never fresh"
                    )
                token: Token = manager.refresh_token(sub, claims=claims)
            else:
                parsed_scope = None if scope is None else _parse_json_or_text(scope, what="--scope")
                token = manager.auth_token(sub, parsed_scope, claims=claims, fresh=fresh)
    except (FlaskPyJWTError, ValueError, TypeError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(token.signed)


def _when(timestamp: int, now: float) -> str:
    moment = datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    delta = int(timestamp - now)
    relative = "now" if delta == 0 else f"in {delta} s" if delta > 0 else f"{-delta} s ago"
    return f"{moment} ({relative})"


def _json_escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)  # as JSON spells it: a surrogate pair
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


def _terminal_safe(text: str) -> str:
    """``text`` with every character a terminal could act on as a JSON ``\\u`` escape.

    ``json.dumps`` escapes C0 controls only; a token may also carry C1 controls (U+009B
    starts an escape sequence on many terminals), bidi overrides (U+202E reverses what
    follows), line separators and invisible format characters. Anything that is not
    printable (``str.isprintable``) but a newline is escaped, so the JSON shown stays
    valid and reads back as what the token holds.
    """
    return "".join(
        char if char == "\n" or char.isprintable() else _json_escape(char) for char in text
    )


def _pretty(value: object) -> str:
    return _terminal_safe(json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False))


@_command("inspect")
@click.argument("token")
def inspect_command(token: str) -> None:
    """Verify TOKEN with this app's configuration and show its header and claims.

    A token that is refused is not decoded: the error line says why it was refused and
    gives its stable code (the "code" of the JSON error a protected view would send).
    """
    codec = _state(_load_app("inspect")).codec
    try:
        verified = codec.decode(token.strip())
    except InvalidTokenError as error:
        raise click.ClickException(f"token rejected ({error.code}): {error.message}") from None
    now = time.time()
    kind = "auth" if isinstance(verified, AuthToken) else "refresh"
    click.echo(f"Valid {kind} token for {verified.sub!r}, issued by {verified.iss!r}")
    click.echo(f"issued:  {_when(verified.iat, now)}")
    click.echo(f"expires: {_when(verified.exp, now)}")
    click.echo("header:")
    click.echo(_pretty(verified.header))
    click.echo("claims:")
    click.echo(_pretty(verified.claims))


def _new_private_key(algorithm: AuthType) -> PrivateKey:
    if algorithm.family == "RSA":
        return rsa.generate_private_key(public_exponent=65537, key_size=RSA_KEY_BITS)
    if algorithm.family == "EC":
        return ec.generate_private_key(EC_CURVES[algorithm]())
    return ed25519.Ed25519PrivateKey.generate()


def _write_new(path: Path, data: bytes, mode: int) -> None:
    """Create ``path`` with ``data``; never overwrite a file."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        raise click.ClickException(
            f"{path} already exists; remove it or choose another --out directory"
        ) from None
    except OSError as error:
        raise click.ClickException(f"cannot write {path}: {error.strerror}") from None
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)


def _out_dir(out: str) -> Path:
    directory = Path(out)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise click.ClickException(f"cannot create directory {out}: {error.strerror}") from None
    return directory


def _keygen_hmac(algorithm: AuthType, out: str | None) -> None:
    secret = secrets.token_urlsafe(algorithm.min_secret_bytes)
    if out is None:
        click.echo(f"# A new {algorithm.value} secret. Put these lines in .env or the environment:")
        click.echo(f"JWT_AUTHTYPE={algorithm.value}")
        click.echo(f"JWT_SECRET={secret}")
        return
    path = _out_dir(out) / SECRET_FILE
    _write_new(path, secret.encode("ascii"), 0o600)
    click.echo(f"Wrote a new {algorithm.value} secret to {path} (keep it secret).")
    click.echo("Configuration:")
    click.echo(f'app.config["JWT_AUTHTYPE"] = "{algorithm.value}"')
    click.echo(f'app.config["JWT_SECRET"] = Path("{path}").read_text()')


def _keygen_pair(algorithm: AuthType, out: str) -> None:
    directory = _out_dir(out)
    private = _new_private_key(algorithm)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    private_path = directory / PRIVATE_KEY_FILE
    public_path = directory / PUBLIC_KEY_FILE
    if public_path.exists():
        raise click.ClickException(
            f"{public_path} already exists; remove it or choose another --out directory"
        )
    _write_new(private_path, private_pem, 0o600)
    _write_new(public_path, public_pem, 0o644)
    click.echo(f"Wrote a new {algorithm.value} key pair:")
    click.echo(f"  private key: {private_path} (keep it secret)")
    click.echo(f"  public key:  {public_path}")
    click.echo("Configuration of the issuing app:")
    click.echo(f'app.config["JWT_AUTHTYPE"] = "{algorithm.value}"')
    click.echo(f'app.config["JWT_SECRET"] = Path("{private_path}").read_bytes()')
    click.echo("A verify-only service sets JWT_AUTHTYPE and, instead of JWT_SECRET:")
    click.echo(f'app.config["JWT_PUBLICKEY"] = Path("{public_path}").read_bytes()')


@_command("keygen")
@click.option(
    "--alg",
    "alg_name",
    required=True,
    metavar="ALG",
    help="The JWT_AUTHTYPE: HS256/384/512, RS*, PS*, ES256/384/512 or EdDSA.",
)
@click.option(
    "--out",
    default=None,
    metavar="DIR",
    help="Where to write the files (default: the current directory for key pairs; "
    "HS* secrets are printed unless --out is given).",
)
def keygen_command(alg_name: str, out: str | None) -> None:
    """Make a new key pair (PEM files) or HMAC secret and print the config to use it.

    Existing files are never overwritten.
    """
    try:
        algorithm = parse_auth_type(alg_name)
    except ValueError as error:
        raise click.ClickException(f"--alg: {error}") from None
    if algorithm.is_symmetric:
        _keygen_hmac(algorithm, out)
    else:
        _keygen_pair(algorithm, "." if out is None else out)
