"""Misuse that used to fail silently (issue 19, items 17 to 22): each now fails loudly,
at the line that made the mistake, or works as the docs say.

- a misspelt ``require_token`` option warns at decoration time, at the user's line;
- a library error escaping a view is the library's JSON 401/503, never an HTML 500;
- ``KeySigner`` checks its key as the configuration does (weak secret, unreadable key);
- a refresh view gets its :class:`RefreshToken` typed, without ``assert isinstance``;
- the README and quickstart examples' override routes pass for their own admins;
- cookies over plain http to 127.0.0.1 from a scripted client work as the docs say.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Generator
from contextlib import contextmanager
from typing import Final, cast

import pytest
import requests
from flask import Flask, Response, jsonify, request
from werkzeug.serving import make_server

from flask_pyjwt import FlaskPyJWTError, KeySigner, KeyVerifier, current_token, require_token
from flask_pyjwt.errors import (
    FlaskPyJWTWarning,
    InvalidKeyError,
    MisspeltOptionWarning,
    NoCurrentTokenError,
    TokenTypeInvalidError,
    WeakSecretWarning,
)
from tests.support import bearer, json_body, make_app, rsa_pair

# 17. Misspelt require_token options ----------------------------------------------------


MISSPELT: Final[list[tuple[str, str, Callable[[], object]]]] = [
    ("scopes", "scope", lambda: require_token(scopes="read")),
    ("optinal", "optional", lambda: require_token(optinal=True)),
    ("fresh_", "fresh", lambda: require_token(fresh_=True)),
    ("locaton", "location", lambda: require_token(locaton="cookies")),
    ("cookiename", "cookie_name", lambda: require_token(cookiename="auth")),
    ("check_revocations", "check_revocation", lambda: require_token(check_revocations=False)),
    ("overide", "override", lambda: require_token(overide={"admin": True})),
    ("claim", "claims", lambda: require_token(claim={"role": "admin"})),
]


@pytest.mark.parametrize(("keyword", "meant", "decorate"), MISSPELT, ids=[m[0] for m in MISSPELT])
def test_a_misspelt_option_warns_at_the_decorator_line(
    keyword: str, meant: str, decorate: Callable[[], object]
) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        decorate()
    assert [w.category for w in caught] == [MisspeltOptionWarning]
    # The line of the require_token(...) call, in this file: not a line of the library.
    assert (caught[0].filename, caught[0].lineno) == (__file__, decorate.__code__.co_firstlineno)
    message = str(caught[0].message)
    assert f"{keyword}=" in message
    assert f"did you mean {meant}=?" in message
    assert f"claims={{{keyword!r}: ...}}" in message
    assert issubclass(MisspeltOptionWarning, FlaskPyJWTWarning)
    assert issubclass(FlaskPyJWTWarning, UserWarning)


def test_claim_names_like_no_option_and_claims_mapping_stay_silent() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        require_token(role="admin", tenant="acme", sub="alice", scp="read", aud="api")
        require_token(claims={"scopes": "x", "optinal": 1, "fresh_": True})


def test_the_warned_claim_is_still_required_and_claims_mapping_requires_it() -> None:
    app, manager = make_app()

    @app.get("/mapping")
    @require_token(claims={"scopes": ["read"]})
    def mapping() -> str:
        return "ok"

    with app.app_context():
        holder = manager.auth_token("alice", scopes=["read"]).signed
        other = manager.auth_token("alice", "read").signed
    client = app.test_client()
    assert client.get("/mapping", headers=bearer(holder)).status_code == 200
    assert client.get("/mapping", headers=bearer(other)).status_code == 403


def test_all_warnings_share_one_base() -> None:
    from flask_pyjwt.errors import IgnoredConfigWarning

    for category in (WeakSecretWarning, IgnoredConfigWarning, MisspeltOptionWarning):
        assert issubclass(category, FlaskPyJWTWarning)


def _line() -> int:
    import inspect

    frame = inspect.currentframe()
    assert frame is not None
    assert frame.f_back is not None
    return frame.f_back.f_lineno


# 18. A library error escaping a view -----------------------------------------------------


def _convert_app() -> tuple[Flask, str, str]:
    app, manager = make_app()

    @app.post("/convert")
    def convert() -> dict[str, str]:
        body = cast("object", request.get_json())
        assert isinstance(body, dict)
        token = manager.convert_token(str(cast("dict[str, object]", body).get("token")), "auth")
        return {"sub": token.sub}

    with app.app_context():
        auth = manager.auth_token("alice").signed
        refresh = manager.refresh_token("alice").signed
    return app, auth, refresh


def test_convert_token_escaping_a_view_is_the_json_401() -> None:
    app, auth, refresh = _convert_app()
    client = app.test_client()
    assert json_body(client.post("/convert", json={"token": auth})) == {"sub": "alice"}
    for bad, code in (("not.a.token", "token_malformed"), (refresh, "token_type_invalid")):
        response = client.post("/convert", json={"token": bad})
        assert response.status_code == 401
        assert response.mimetype == "application/json"
        assert json_body(response)["code"] == code
        assert response.headers["WWW-Authenticate"].startswith('Bearer error="invalid_token"')


def test_an_unavailable_store_escaping_a_view_is_the_json_503() -> None:
    from flask_pyjwt.errors import RevocationUnavailableError

    app, _ = make_app()

    @app.get("/down")
    def down() -> str:
        raise RevocationUnavailableError("The service is temporarily unavailable.", retry_after=3)

    response = app.test_client().get("/down")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "3"
    assert json_body(response)["code"] == "revocation_unavailable"


def test_the_apps_own_handler_for_the_exception_still_wins() -> None:
    app, _, refresh = _convert_app()

    @app.errorhandler(TokenTypeInvalidError)
    def wrong_type(error: TokenTypeInvalidError) -> tuple[dict[str, str], int]:
        return {"mine": error.code}, 400

    response = app.test_client().post("/convert", json={"token": refresh})
    assert (response.status_code, json_body(response)) == (400, {"mine": "token_type_invalid"})


def test_the_apps_own_401_handler_still_wins() -> None:
    app, _, _ = _convert_app()

    @app.errorhandler(401)
    def unauthorized(error: Exception) -> tuple[dict[str, str], int]:
        return {"mine": type(error).__name__}, 401

    response = app.test_client().post("/convert", json={"token": "x.y.z"})
    assert (response.status_code, json_body(response)) == (
        401,
        {"mine": "AuthenticationFailed"},
    )


def test_an_app_handler_for_the_base_registered_before_init_app_is_kept() -> None:
    from flask_pyjwt import AuthManager
    from tests.support import config_for, configure

    app = Flask("own_base_handler")
    configure(app, config_for("HS256"))

    @app.errorhandler(FlaskPyJWTError)
    def mine(error: FlaskPyJWTError) -> tuple[dict[str, str], int]:
        return {"mine": type(error).__name__}, 418

    manager = AuthManager(app)

    @app.get("/convert")
    def convert() -> str:
        return manager.convert_token("x.y.z").sub

    response = app.test_client().get("/convert")
    assert (response.status_code, json_body(response)) == (418, {"mine": "TokenMalformedError"})


# 19. KeySigner checks its key as the configuration does -------------------------------


def test_key_signer_warns_about_a_weak_secret_at_the_callers_line() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = _line() + 1
        KeySigner("HS256", "short")
    assert [w.category for w in caught] == [WeakSecretWarning]
    assert (caught[0].filename, caught[0].lineno) == (__file__, line)
    message = str(caught[0].message)
    assert "5 bytes; RFC 7518 3.2 requires at least 32" in message
    assert "short" not in message.replace("is 5 bytes", "")


def test_key_signer_refuses_a_weak_secret_when_a_strong_one_is_required() -> None:
    with pytest.raises(InvalidKeyError, match=r"RFC 7518 3\.2 requires at least 64") as info:
        KeySigner("HS512", "x" * 40, require_strong_secret=True)
    assert "x" * 10 not in str(info.value)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        KeySigner("HS256", "y" * 32, require_strong_secret=True)


def test_key_verifier_checks_a_secret_as_key_signer_does() -> None:
    with pytest.warns(WeakSecretWarning, match="5 bytes"):
        KeyVerifier("HS256", "short")


def test_an_unreadable_key_is_a_public_error_in_a_full_sentence() -> None:
    with pytest.raises(InvalidKeyError) as info:
        KeySigner("RS256", "not a key")
    message = str(info.value)
    assert isinstance(info.value, FlaskPyJWTError)
    assert isinstance(info.value, ValueError)  # what KeySigner documented before
    assert message[0].isupper()
    assert message.endswith(".")
    assert "RS256" in message
    assert "PEM private key" in message
    assert "not a key" not in message
    secret_pem = rsa_pair().private_pem.decode()
    with pytest.raises(InvalidKeyError) as public_info:
        KeyVerifier("RS256", secret_pem[:200])
    assert secret_pem[40:80] not in str(public_info.value)


def test_the_config_path_still_names_the_key() -> None:
    from flask_pyjwt import InvalidConfigError

    with pytest.raises(InvalidConfigError, match=r"^JWT_SECRET: is not a PEM private key"):
        make_app("RS256", JWT_SECRET="not a key", JWT_PUBLICKEY="")
    with pytest.warns(WeakSecretWarning, match="9 bytes; RFC 7518 3.2 requires at least 32"):
        make_app("HS256", JWT_SECRET="SECRETKEY")


# 20. A refresh view gets its RefreshToken typed -----------------------------------------


def test_current_token_get_narrows_by_kind() -> None:
    app, manager = make_app()

    @app.post("/refresh")
    @require_token("refresh")
    def refresh() -> dict[str, str]:
        token = current_token.get("refresh")
        return {"rid": token.rid, "kind": type(token).__name__}

    @app.post("/wrong")
    @require_token()
    def wrong() -> dict[str, str]:
        return {"rid": current_token.get("refresh").rid}

    @app.get("/auth")
    @require_token()
    def auth_view() -> dict[str, str]:
        token = current_token.get("auth")
        return {"kind": type(token).__name__}

    with app.app_context():
        auth = manager.auth_token("alice").signed
        refresh_token = manager.refresh_token("alice")
    client = app.test_client()
    body = json_body(client.post("/refresh", headers=bearer(refresh_token.signed)))
    assert body == {"rid": refresh_token.rid, "kind": "RefreshToken"}
    assert json_body(client.get("/auth", headers=bearer(auth))) == {"kind": "AuthToken"}
    wrong_kind = client.post("/wrong", headers=bearer(auth))
    assert wrong_kind.status_code == 401
    assert json_body(wrong_kind)["code"] == "token_type_invalid"
    with app.test_request_context(), pytest.raises(NoCurrentTokenError):
        current_token.get("refresh")


# 22. Cookies over plain http to 127.0.0.1 from a scripted client ------------------------


def _cookie_app() -> Flask:
    app, manager = make_app(JWT_TOKEN_LOCATION="cookies")

    @app.post("/login")
    def login() -> Response:
        response = jsonify(user="alice")
        refresh = manager.refresh_token("alice")
        auth = manager.auth_token("alice", session=refresh)
        manager.set_token_cookies(response, auth=auth, refresh=refresh)
        return response

    @app.get("/me")
    @require_token()
    def me() -> dict[str, str]:
        return {"user": current_token.sub}

    @app.post("/notes")
    @require_token()  # a cookie on POST: the CSRF header is needed
    def notes() -> dict[str, str]:
        return {"noted": current_token.sub}

    return app


@contextmanager
def _served(app: Flask) -> Generator[str, None, None]:
    """``app`` served over plain http on 127.0.0.1 in this process; its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def test_requests_over_loopback_http_with_the_documented_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # docs/configuration.rst (JWT_COOKIE_SECURE) and docs/browser.rst: a scripted
    # client on plain http needs JWT_COOKIE_SECURE=false in the development server's
    # environment; this is that setting.
    monkeypatch.setenv("JWT_COOKIE_SECURE", "false")
    with _served(_cookie_app()) as base, requests.Session() as client:
        assert client.post(f"{base}/login", timeout=5).status_code == 200
        me = client.get(f"{base}/me", timeout=5)
        assert (me.status_code, me.json()) == (200, {"user": "alice"})
        assert client.post(f"{base}/notes", timeout=5).json()["code"] == "csrf_failed"
        csrf_value = client.cookies.get("csrf_auth_token")
        assert isinstance(csrf_value, str)
        csrf = {"X-CSRF-Token": csrf_value}
        noted = client.post(f"{base}/notes", headers=csrf, timeout=5)
        assert (noted.status_code, noted.json()) == (200, {"noted": "alice"})


def test_requests_over_loopback_http_with_the_secure_default() -> None:
    # What the docs say happens without it: requests keeps the Secure cookies but
    # sends them only over https, so every cookie route answers 401 token_missing.
    with _served(_cookie_app()) as base, requests.Session() as client:
        login = client.post(f"{base}/login", timeout=5)
        assert login.status_code == 200
        assert "Secure" in login.headers["Set-Cookie"]
        me = client.get(f"{base}/me", timeout=5)
        assert me.status_code == 401
        assert me.json()["code"] == "token_missing"
