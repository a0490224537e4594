"""flask_pyjwt.testing: the kit an app's own tests use, through real apps, a real
loopback JWKS server and an independent JOSE implementation (joserfc)."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path
from typing import cast

import pytest
from flask import Flask
from joserfc import jwt

from examples.testing_demo import test_app as example
from flask_pyjwt import AuthManager, current_token, require_token
from flask_pyjwt.errors import MissingSignerError, NotInitializedError
from flask_pyjwt.testing import FakeAlgorithm, FakeIdentityProvider, TokenClock, auth_header
from tests.idp import joserfc_key_set

ROOT = Path(__file__).resolve().parent.parent


def read(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback http
        document: dict[str, object] = json.loads(response.read())
    return document


def provider_app(idp: FakeIdentityProvider, clock: TokenClock) -> Flask:
    app = Flask("kit")
    app.config.from_mapping(idp.config())
    AuthManager(app, clock=clock)

    @app.route("/me")
    @require_token()
    def me() -> dict[str, object]:
        return {"sub": current_token.sub, "claims": dict(current_token.claims)}

    return app


# -- TokenClock ------------------------------------------------------------------------


def test_token_clock_moves_only_when_told() -> None:
    clock = TokenClock(start=1_700_000_000)
    assert clock() == 1_700_000_000
    assert clock.advance(3601) == 1_700_003_601
    assert clock.advance(timedelta(minutes=1)) == 1_700_003_661
    assert clock() == 1_700_003_661
    assert repr(clock) == "TokenClock(now=1700003661.0)"


def test_token_clock_refuses_to_run_backwards() -> None:
    clock = TokenClock(start=10)
    with pytest.raises(ValueError, match="at least 0 seconds"):
        clock.advance(-1)
    assert clock() == 10


def test_token_clock_fixture_is_now(token_clock: TokenClock) -> None:
    assert abs(token_clock() - time.time()) < 5


# -- auth_header -------------------------------------------------------------------------


def test_auth_header_is_a_token_of_the_apps_manager_with_its_scope() -> None:
    clock = TokenClock()
    app = Flask("own")
    app.config.from_mapping(JWT_ISSUER="own", JWT_AUTHTYPE="HS256", JWT_SECRET="k" * 64)
    manager = AuthManager(app, clock=clock)
    headers = auth_header(app, "alice", scope={"admin": True}, claims={"tenant": "acme"})
    assert set(headers) == {"Authorization"}
    scheme, _, raw = headers["Authorization"].partition(" ")
    assert scheme == "Bearer"
    with app.app_context():
        token = manager.convert_token(raw, "auth")
    assert (token.sub, token.scope, token.claims["tenant"]) == ("alice", {"admin": True}, "acme")
    assert token.iat == int(clock())


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({}, ("Authorization", "Bearer ")),
        ({"JWT_HEADER_SCHEME": "JWT"}, ("Authorization", "JWT ")),
        ({"JWT_HEADER_NAME": "X-Token", "JWT_HEADER_SCHEME": ""}, ("X-Token", "")),
    ],
)
def test_auth_header_is_framed_as_the_app_reads_its_header(
    config: dict[str, str], expected: tuple[str, str]
) -> None:
    app = Flask("framed")
    app.config.from_mapping(
        {"JWT_ISSUER": "own", "JWT_AUTHTYPE": "HS256", "JWT_SECRET": "k" * 64, **config}
    )
    AuthManager(app)

    @app.route("/me")
    @require_token()
    def me() -> dict[str, object]:
        return {"sub": current_token.sub}

    headers = auth_header(app, "alice")
    name, prefix = expected
    assert set(headers) == {name}
    assert headers[name].startswith(prefix)
    response = app.test_client().get("/me", headers=headers)
    assert (response.status_code, response.get_json()) == (200, {"sub": "alice"})
    # The control: the token under another scheme is refused by the same app.
    other = {"Authorization": "Basic " + headers[name].removeprefix(prefix)}
    assert app.test_client().get("/me", headers=other).status_code == 401


def test_auth_header_refuses_an_app_without_a_manager_or_a_signer() -> None:
    with pytest.raises(NotInitializedError):
        auth_header(Flask("bare"), "alice")
    with FakeIdentityProvider() as idp:
        app = Flask("verify_only")
        app.config.from_mapping(idp.config())
        AuthManager(app)
        with pytest.raises(MissingSignerError):
            auth_header(app, "alice")


# -- FakeIdentityProvider ------------------------------------------------------------------


def test_its_tokens_verify_with_an_independent_implementation() -> None:
    with FakeIdentityProvider(issuer="https://idp.test/", audience="api", algorithm="RS256") as idp:
        document = read(idp.jwks_url)
        token = idp.token("alice", scope="read", tid="t1")
    decoded = jwt.decode(token, joserfc_key_set(document), algorithms=["RS256"])
    assert decoded.header == {"alg": "RS256", "typ": "at+jwt", "kid": idp.kid}
    claims = decoded.claims
    assert (claims["iss"], claims["aud"], claims["sub"]) == ("https://idp.test/", "api", "alice")
    assert (claims["scope"], claims["tid"]) == ("read", "t1")
    assert claims["exp"] - claims["iat"] == 300


def test_its_tokens_are_accepted_by_an_app_configured_from_it(
    fake_idp: FakeIdentityProvider, token_clock: TokenClock
) -> None:
    app = provider_app(fake_idp, token_clock)
    response = app.test_client().get("/me", headers=fake_idp.auth_header("alice", tid="t1"))
    assert response.status_code == 200
    body = response.get_json()
    assert body["sub"] == "alice"
    assert body["claims"]["tid"] == "t1"
    assert body["claims"]["iat"] == int(token_clock())  # the fixture shares the clock
    assert fake_idp.requests == 1


def test_an_app_expecting_another_audience_refuses_its_tokens(
    fake_idp: FakeIdentityProvider, token_clock: TokenClock
) -> None:
    app = provider_app(fake_idp, token_clock)
    wrong = fake_idp.token("alice", aud="another-api")
    response = app.test_client().get("/me", headers={"Authorization": f"Bearer {wrong}"})
    assert response.status_code == 401
    dropped = fake_idp.token("alice", exp=None)  # None leaves a claim out
    response = app.test_client().get("/me", headers={"Authorization": f"Bearer {dropped}"})
    assert response.status_code == 401


def test_rotation_publishes_the_new_key_only(
    fake_idp: FakeIdentityProvider, token_clock: TokenClock
) -> None:
    app = provider_app(fake_idp, token_clock)
    client = app.test_client()
    old = fake_idp.auth_header("alice")
    old_kid = fake_idp.kid
    new_kid = fake_idp.rotate_keys()
    assert new_kid != old_kid
    assert fake_idp.kid == new_kid
    assert [key["kid"] for key in fake_idp.jwks()["keys"]] == [new_kid]
    assert client.get("/me", headers=fake_idp.auth_header("alice")).status_code == 200
    token_clock.advance(61)  # past JWT_JWKS_MIN_REFRESH: the app may look again
    response = client.get("/me", headers=old)
    assert response.status_code == 401
    assert response.get_json()["code"] == "unknown_key"


def test_discovery_document_and_unknown_paths(fake_idp: FakeIdentityProvider) -> None:
    assert read(fake_idp.discovery_url) == {
        "issuer": "https://idp.test/",
        "jwks_uri": fake_idp.jwks_url,
    }
    with pytest.raises(urllib.error.HTTPError) as raised:
        read(fake_idp.url + "/nothing")
    assert raised.value.code == 404
    raised.value.close()
    assert fake_idp.url.startswith("http://127.0.0.1:")


def test_a_stopped_provider_is_down_and_says_how_to_start_it() -> None:
    idp = FakeIdentityProvider()
    with pytest.raises(RuntimeError, match="context manager"):
        _ = idp.jwks_url
    with idp:
        url = idp.jwks_url
        with pytest.raises(RuntimeError, match="serving already"):
            idp.start()
    with pytest.raises(urllib.error.URLError):
        read(url)
    assert "secret" not in repr(idp).lower()
    assert repr(idp).startswith("FakeIdentityProvider(issuer='https://idp.test/'")


def test_config_without_an_audience() -> None:
    with FakeIdentityProvider(audience=None) as idp:
        assert idp.config() == {
            "JWT_ISSUER": "https://idp.test/",
            "JWT_AUTHTYPE": "ES256",
            "JWT_JWKS_URL": idp.jwks_url,
        }
        assert (
            "aud"
            not in jwt.decode(
                idp.token("alice"), joserfc_key_set(read(idp.jwks_url)), algorithms=["ES256"]
            ).claims
        )


def test_an_unknown_algorithm_is_refused() -> None:
    with pytest.raises(ValueError, match="'ES256' or 'RS256'"):
        FakeIdentityProvider(algorithm=cast("FakeAlgorithm", "HS256"))


# -- the fixtures are opt-in, and the example project ------------------------------------


def test_no_pytest11_entry_point_loads_the_fixtures_unasked() -> None:
    plugins = importlib.metadata.entry_points(group="pytest11")
    assert not [entry for entry in plugins if entry.value.startswith("flask_pyjwt")]
    assert "pytest11" not in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_the_example_projects_tests_pass_in_this_process() -> None:
    example.test_admin_needs_the_admin_scope(TokenClock())
    example.test_tokens_expire_after_an_hour(TokenClock())
    clock = TokenClock()
    with FakeIdentityProvider(clock=clock) as idp:
        example.test_tokens_of_the_identity_provider(idp, clock)
    example.test_a_key_rotation_at_the_provider(TokenClock())
    example.test_the_apps_own_tokens_beside_a_provider(TokenClock())
    example.test_orders_need_a_dpop_bound_token(TokenClock())


@pytest.mark.slow  # pytest in a subprocess, as the app's developer runs it
def test_the_example_project_runs_under_pytest_with_the_plugin() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
         str(ROOT / "examples" / "testing_demo")],
        capture_output=True, text=True, check=False, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "6 passed" in result.stdout


@pytest.mark.slow  # pytest in a subprocess
def test_a_conftest_may_import_the_kit_before_naming_it(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(
        "from flask_pyjwt.testing import TokenClock\npytest_plugins = ['flask_pyjwt.testing']\n"
    )
    (tmp_path / "test_it.py").write_text(
        "def test_it(token_clock):\n    assert token_clock() > 0\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error",
         "-o", "addopts=", str(tmp_path)],
        capture_output=True, text=True, check=False, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_its_provider_sits_beside_the_apps_own_tokens(token_clock: TokenClock) -> None:
    """``idp.provider`` for ``AuthManager(app, providers=[...])``: its tokens and the
    app's own are both accepted, each named by its source; another issuer is not."""
    with (
        FakeIdentityProvider(
            issuer="https://idp.test/", audience="my-api", clock=token_clock
        ) as idp,
        FakeIdentityProvider(
            issuer="https://other.test/", audience="my-api", clock=token_clock
        ) as other,
    ):
        app = Flask("kit-providers")
        app.config.from_mapping(
            JWT_ISSUER="https://api.test", JWT_AUTHTYPE="HS256", JWT_SECRET="k" * 40
        )
        AuthManager(app, clock=token_clock, providers=[idp.provider])

        @app.route("/who")
        @require_token()
        def who() -> dict[str, object]:
            return {"sub": current_token.sub, "provider": current_token.provider}

        client = app.test_client()
        response = client.get("/who", headers=idp.auth_header("alice", tid="t1"))
        assert response.get_json() == {"sub": "alice", "provider": "fake"}
        response = client.get("/who", headers=auth_header(app, "bob"))
        assert response.get_json() == {"sub": "bob", "provider": "self"}
        refused = client.get("/who", headers=other.auth_header("mallory"))
        assert refused.status_code == 401
    with pytest.raises(ValueError, match="audience"):
        _ = FakeIdentityProvider(audience=None).provider
