"""Configuration: the seed's keys and defaults, env and .env fallbacks, clear errors."""

from __future__ import annotations

import inspect
import os
import warnings
from datetime import timedelta
from pathlib import Path
from typing import cast

import pytest
from flask import Flask

from flask_pyjwt import AuthManager, InvalidConfigError, MissingConfigError
from flask_pyjwt._settings import catalogue as config_module
from flask_pyjwt._settings.catalogue import CONFIG_KEYS
from flask_pyjwt.errors import IgnoredConfigWarning, TokenExpiredError, WeakSecretWarning
from tests.support import HMAC_SECRET, ISSUER, configure, make_clocked_app, settings_of

VALID: dict[str, object] = {
    "JWT_ISSUER": ISSUER,
    "JWT_AUTHTYPE": "HS256",
    "JWT_SECRET": HMAC_SECRET,
}


def app_with(**config: object) -> Flask:
    app = Flask("config")
    configure(app, {**VALID, **config})
    return app


def test_defaults_match_the_seed() -> None:
    app = app_with()
    manager = AuthManager(app)
    with app.app_context():
        settings = settings_of(app)
        auth = manager.auth_token("alice")
        refresh = manager.refresh_token("alice")
    assert settings.auth_max_age == 3600
    assert settings.refresh_max_age == 604800
    assert settings.leeway == 0
    assert settings.max_token_length == 8192
    assert auth.max_age == 3600
    assert refresh.max_age == 604800
    assert HMAC_SECRET not in repr(settings)


@pytest.mark.parametrize("key", ["JWT_ISSUER", "JWT_AUTHTYPE", "JWT_SECRET"])
def test_each_required_key_is_named_when_missing(key: str) -> None:
    with pytest.raises(MissingConfigError) as info:
        AuthManager(app_with(**{key: None}))
    assert info.value.key == key
    assert info.value.config_value == key
    assert key in str(info.value)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("JWT_ISSUER", 42, "got int 42; expected a non-empty str"),
        ("JWT_AUTHTYPE", "hs256", "got str 'hs256'; expected one of HS256, HS384"),
        ("JWT_AUTHTYPE", "none", "expected one of"),
        ("JWT_AUTHTYPE", 256, "got int 256"),
        ("JWT_AUTHMAXAGE", "an hour", "got str 'an hour'; expected a whole number >= 1"),
        ("JWT_AUTHMAXAGE", 0, "got int 0"),
        ("JWT_AUTHMAXAGE", True, "got bool True"),
        ("JWT_AUTHMAXAGE", 1.5, "got float 1.5"),
        ("JWT_REFRESHMAXAGE", -5, "got int -5"),
        # str.isdigit() is true for these, but they are not ASCII digits.
        ("JWT_AUTHMAXAGE", "\uff13\uff16\uff10\uff10", "got str '\uff13\uff16\uff10\uff10'; "),
        ("JWT_AUTHMAXAGE", "\u00b2", "got str '\u00b2'; expected a whole number >= 1"),
        ("JWT_REFRESHMAXAGE", "\u0663\u0660", "got str '\u0663\u0660'; expected a whole number"),
        ("JWT_LEEWAY", "\u2075", "got str '\u2075'; expected a whole number >= 0"),
        ("JWT_MAX_TOKEN_LENGTH", "\U0001d7e1\U0001d7e2\U0001d7e2", "expected a whole number"),
        (
            "JWT_AUTHMAXAGE",
            timedelta(seconds=1.5),
            "got timedelta datetime.timedelta\\(seconds=1, microseconds=500000\\); expected a "
            "whole number >= 1 \\(seconds\\) or a datetime.timedelta of whole seconds, at least 1",
        ),
        ("JWT_REFRESHMAXAGE", timedelta(0), "datetime.timedelta of whole seconds, at least 1"),
        ("JWT_REFRESHMAXAGE", timedelta(days=-1), "got timedelta datetime.timedelta\\(days=-1\\)"),
        (
            "JWT_LEEWAY",
            timedelta(milliseconds=500),
            "got timedelta .*; expected a whole number >= 0 \\(seconds\\) or a "
            "datetime.timedelta of whole seconds, at least 0",
        ),
        ("JWT_LEEWAY", timedelta(seconds=-1), "got timedelta datetime.timedelta\\(days=-1"),
        ("JWT_LEEWAY", -1, "expected a whole number >= 0"),
        ("JWT_MAX_TOKEN_LENGTH", 10, "expected a whole number >= 64 \\(characters\\)"),
        ("JWT_AUDIENCE", ["a", 1], "got list"),
        ("JWT_AUDIENCE", [], "got list \\[\\]; expected a non-empty str or a non-empty list"),
        ("JWT_REQUIRE_STRONG_SECRET", "maybe", "expected True or False"),
        ("JWT_SECRET", 12345, "got int"),
    ],
)
def test_malformed_values_name_key_type_and_what_is_accepted(
    key: str, value: object, message: str
) -> None:
    with pytest.raises(InvalidConfigError, match=message) as info:
        AuthManager(app_with(**{key: value}))
    assert info.value.key == key


def test_max_ages_may_be_timedeltas() -> None:
    app = app_with(JWT_AUTHMAXAGE=timedelta(minutes=15), JWT_REFRESHMAXAGE=timedelta(days=1))
    manager = AuthManager(app)
    with app.app_context():
        settings = settings_of(app)
        auth = manager.auth_token("alice")
        refresh = manager.refresh_token("alice")
    assert (settings.auth_max_age, settings.refresh_max_age) == (900, 86400)
    assert (auth.max_age, refresh.max_age) == (900, 86400)


def test_leeway_may_be_a_timedelta_like_the_lifetimes() -> None:
    # JWT_LEEWAY is a duration too: the value reader of the lifetimes reads it.
    app, manager, clock = make_clocked_app(
        "leeway", JWT_LEEWAY=timedelta(seconds=5), JWT_AUTHMAXAGE=60
    )
    assert settings_of(app).leeway == 5
    with app.app_context():
        token = manager.auth_token("alice").signed
        clock.now += 64  # expired 4 s ago: within the leeway
        assert manager.verify_token(token)
        clock.now += 1  # exp + 5 s: past it
        with pytest.raises(TokenExpiredError):
            manager.convert_token(token)
    zero = app_with(JWT_LEEWAY=timedelta(0))
    AuthManager(zero)
    assert settings_of(zero).leeway == 0


def test_numbers_may_come_as_strings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JWT_AUTHMAXAGE", "120")
    app = app_with()
    AuthManager(app)
    assert settings_of(app).auth_max_age == 120


def test_environment_fills_what_app_config_lacks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JWT_ISSUER", "from-env")
    monkeypatch.setenv("JWT_AUTHTYPE", "HS512")
    monkeypatch.setenv("JWT_SECRET", HMAC_SECRET)
    app = Flask("env")
    manager = AuthManager(app)
    with app.app_context():
        token = manager.auth_token("alice")
    assert token.iss == "from-env"
    assert token.alg == "HS512"


def test_app_config_wins_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JWT_ISSUER", "from-env")
    app = app_with()
    manager = AuthManager(app)
    with app.app_context():
        assert manager.auth_token("alice").iss == ISSUER


def test_dotenv_file_is_read_at_init_app_without_touching_os_environ(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(f'JWT_ISSUER=dotenv-issuer\nJWT_AUTHTYPE=HS384\nJWT_SECRET="{HMAC_SECRET}"\n')
    monkeypatch.setenv("JWT_AUTHTYPE", "HS512")  # the environment wins over the file
    app = Flask("dotenv")
    manager = AuthManager(dotenv_path=dotenv)
    manager.init_app(app)
    with app.app_context():
        token = manager.auth_token("alice")
    assert token.iss == "dotenv-issuer"
    assert token.alg == "HS512"
    assert "JWT_ISSUER" not in os.environ


def test_missing_dotenv_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidConfigError, match="not a readable file"):
        AuthManager(app_with(), dotenv_path=tmp_path / "missing.env")


def test_short_hmac_secret_warns_once_at_init_app() -> None:
    with pytest.warns(
        WeakSecretWarning, match="9 bytes; RFC 7518 3.2 requires at least 32"
    ) as record:
        AuthManager(app_with(JWT_SECRET="SECRETKEY"))
    assert len(record) == 1
    assert "SECRETKEY" not in str(record[0].message)


def test_short_hmac_secret_is_an_error_when_strong_secrets_are_required() -> None:
    with pytest.raises(InvalidConfigError, match="requires at least 64") as info:
        AuthManager(
            app_with(JWT_AUTHTYPE="HS512", JWT_SECRET="x" * 40, JWT_REQUIRE_STRONG_SECRET=True)
        )
    assert info.value.key == "JWT_SECRET"


def test_strong_secret_flag_from_environment_string(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JWT_REQUIRE_STRONG_SECRET", "true")
    with pytest.raises(InvalidConfigError):
        AuthManager(app_with(JWT_SECRET="short"))


# -- warnings: unknown JWT_* keys, ignored keys, and where every warning points --------


def _next_line() -> int:
    """The line number of the statement after the caller's."""
    frame = inspect.currentframe()
    assert frame is not None
    assert frame.f_back is not None
    return frame.f_back.f_lineno + 1


def _config_warnings(**config: object) -> list[warnings.WarningMessage]:
    """Every warning ``AuthManager(app)`` gives for ``config`` (on top of a valid one)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        AuthManager(app_with(**config))
    return caught


def _only(caught: list[warnings.WarningMessage], category: type[Warning]) -> str:
    assert [w.category for w in caught] == [category], [str(w.message) for w in caught]
    return str(caught[0].message)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("JWT_AUTHMAX_AGE", "JWT_AUTHMAX_AGE: is not a flask_pyjwt setting and is ignored; "
         "did you mean JWT_AUTH_MAX_AGE?"),
        ("JWT_ISUER", "did you mean JWT_ISSUER?"),
        ("JWT_REFRESH_MAXAGE", "did you mean JWT_REFRESH_MAX_AGE?"),
        ("JWT_KEYIDS", "did you mean JWT_KEY_ID?"),
        ("jwt_secret", "jwt_secret: is not a flask_pyjwt setting and is ignored; did you mean "
         "JWT_SECRET?"),
        ("JWT_SECRET_KEY", "JWT_SECRET_KEY: is a Flask-JWT-Extended setting, which flask_pyjwt "
         "does not read; did you mean JWT_SECRET?"),
        ("JWT_ALGORITHM", "did you mean JWT_AUTH_TYPE?"),
        ("JWT_ACCESS_TOKEN_EXPIRES", "did you mean JWT_AUTH_MAX_AGE?"),
        ("JWT_REFRESH_TOKEN_EXPIRES", "did you mean JWT_REFRESH_MAX_AGE?"),
        ("JWT_DECODE_AUDIENCE", "did you mean JWT_AUDIENCE?"),
        ("JWT_ACCESS_COOKIE_NAME", "JWT_ACCESS_COOKIE_NAME: is a Flask-JWT-Extended setting, "
         "which flask_pyjwt does not read; did you mean JWT_AUTH_COOKIE?"),
        ("JWT_CSRF_IN_COOKIES", "JWT_CSRF_IN_COOKIES: is a Flask-JWT-Extended setting, which "
         "flask_pyjwt does not read; here, always on: set_token_cookies writes the CSRF "
         "cookies"),
        ("JWT_AUTH_COOKIES", "did you mean JWT_AUTH_COOKIE?"),
        ("JWT_FROBNICATE", "JWT_FROBNICATE: is not a flask_pyjwt setting and is ignored "
         "(the Configuration page of the docs lists the settings)"),
    ],
)  # fmt: skip
def test_unknown_jwt_keys_warn_with_a_suggestion(key: str, expected: str) -> None:
    message = _only(_config_warnings(**{key: "s3cr3t-value-never-shown"}), IgnoredConfigWarning)
    assert message == expected or expected in message
    assert "s3cr3t" not in message


def test_every_known_key_is_silent_and_the_check_follows_config_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    every_key: dict[str, object] = {
        "JWT_PUBLICKEY": None, "JWT_AUTHMAXAGE": 60, "JWT_REFRESHMAXAGE": 120,
        "JWT_AUDIENCE": "api", "JWT_LEEWAY": 1, "JWT_MAX_TOKEN_LENGTH": 9000, "JWT_KEY_ID": "k",
        "JWT_REQUIRE_STRONG_SECRET": True, "JWT_ACCEPT_LEGACY_TOKENS": False,
        "JWT_REVOCATION_REDIS_URL": None, "JWT_REVOCATION_PREFIX": "app1:",
        "JWT_REVOCATION_FAIL_OPEN": False, "JWT_REVOCATION_HORIZON": 86400,
        "JWT_JWKS_ROUTE": "/jwks.json", "JWT_JWKS_URL": None, "JWT_JWKS_MIN_REFRESH": 30,
        "JWT_JWKS_MAX_CACHE": 600, "JWT_JWKS_TIMEOUT": 3, "JWT_REQUIRE_AT_JWT": False,
        "JWT_TOKEN_LOCATION": ["cookies", "header"], "JWT_AUTH_COOKIE": "a",
        "JWT_REFRESH_COOKIE": "r", "JWT_AUTH_CSRF_COOKIE": "ca", "JWT_REFRESH_CSRF_COOKIE": "cr",
        "JWT_COOKIE_SECURE": False, "JWT_COOKIE_SAMESITE": "Strict",
        "JWT_COOKIE_DOMAIN": "example.com", "JWT_AUTH_COOKIE_PATH": "/api",
        "JWT_REFRESH_COOKIE_PATH": "/refresh", "JWT_CSRF_PROTECT": True,
        "JWT_CSRF_METHODS": ["POST"], "JWT_CSRF_HEADER": "X-CSRF", "JWT_QUERY_PARAM": "t",
        "JWT_AUTH_JSON_KEY": "access", "JWT_REFRESH_JSON_KEY": "refresh",
        "JWT_VERIFY_CACHE_SIZE": 16, "JWT_DPOP": "required", "JWT_DPOP_ALGORITHMS": ["ES256"],
        "JWT_DPOP_IAT_WINDOW": 30, "JWT_DPOP_NONCE": True, "JWT_RESOURCE": None,
        "JWT_RESOURCE_METADATA_ROUTE": "/.well-known/oauth-protected-resource",
        "JWT_IDENTITY_CLAIM": "email",
        "JWT_HEADER_NAME": "X-Token", "JWT_HEADER_SCHEME": "", "JWT_CSRF_FORM_FIELD": "csrf",
        "JWT_ROTATION_GRACE": 5,
    }  # fmt: skip
    assert set(VALID) | set(every_key) == set(CONFIG_KEYS)
    assert _config_warnings(**every_key) == []
    # A key added to CONFIG_KEYS later is known at once (here: a key no release has).
    assert _config_warnings(JWT_FUTURE_OPTION="on") != []
    monkeypatch.setattr(config_module, "CONFIG_KEYS", (*CONFIG_KEYS, "JWT_FUTURE_OPTION"))
    assert _config_warnings(JWT_FUTURE_OPTION="on") == []


def test_flask_jwt_extended_names_point_at_real_keys() -> None:
    for name, equivalent in config_module.FLASK_JWT_EXTENDED_KEYS.items():
        assert name.startswith("JWT_")
        known = (*CONFIG_KEYS, *config_module.KEY_ALIASES.values())
        assert name not in known
        assert equivalent in known or not equivalent.startswith("JWT_"), name


def test_keys_that_are_not_strings_are_not_looked_at() -> None:
    app = app_with()
    cast("dict[object, object]", app.config)[42] = "JWT_SECRET_KEY"  # a dict takes any key
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        AuthManager(app)
    assert caught == []


def test_every_unknown_key_warns_once_before_a_config_error() -> None:
    app = app_with(JWT_SECRET=None, JWT_SECRET_KEY="x" * 40, JWT_ALGORITHM="HS256")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(MissingConfigError):
            AuthManager(app)
    assert [str(w.message).split(" ")[0] for w in caught] == ["JWT_ALGORITHM:", "JWT_SECRET_KEY:"]


def test_a_public_key_with_an_hmac_algorithm_warns_that_it_is_ignored() -> None:
    message = _only(
        _config_warnings(JWT_PUBLICKEY="-----BEGIN PUBLIC KEY-----"), IgnoredConfigWarning
    )
    assert message == (
        "JWT_PUBLICKEY: is ignored with HS256, which signs and verifies with JWT_SECRET "
        "alone; remove it, or set JWT_AUTHTYPE to the algorithm of its key pair"
    )


@pytest.mark.parametrize(
    ("config", "category"),
    [
        ({"JWT_AUTHMAX_AGE": 60}, IgnoredConfigWarning),
        ({"JWT_PUBLICKEY": "ignored"}, IgnoredConfigWarning),
        ({"JWT_SECRET": "SECRETKEY"}, WeakSecretWarning),
    ],
    ids=["unknown key", "ignored key", "weak secret"],
)
def test_every_warning_points_at_the_users_line(
    config: dict[str, object], category: type[Warning]
) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = _next_line()
        AuthManager(app_with(**config))
    _only(caught, category)
    assert (caught[0].filename, caught[0].lineno) == (__file__, line)

    manager = AuthManager()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = _next_line()
        manager.init_app(app_with(**config))
    _only(caught, category)
    assert (caught[0].filename, caught[0].lineno) == (__file__, line)
