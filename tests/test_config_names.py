"""Configuration key names (issue 20, item 2): the snake-case keys new in 2.0, the
refused development spellings, the 1.x keys' snake-case aliases and their conflicts, and
one rule for an empty value: ``""`` is unset, in every source, for every key."""

from __future__ import annotations

import os
import warnings
from collections.abc import Generator, Mapping
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import jwt
import pytest
from flask import Flask

from flask_pyjwt import AuthManager, InvalidConfigError, MissingConfigError
from flask_pyjwt._core.policy import Settings
from flask_pyjwt._settings.catalogue import CONFIG_KEYS, KEY_ALIASES, RENAMED_KEYS
from flask_pyjwt._settings.sources import EMPTY_IS_A_VALUE
from flask_pyjwt.errors import IgnoredConfigWarning
from tests.support import HMAC_SECRET, ISSUER, config_for, configure, settings_of

VALID: dict[str, object] = {
    "JWT_ISSUER": ISSUER,
    "JWT_AUTHTYPE": "HS256",
    "JWT_SECRET": HMAC_SECRET,
}

RENAMED = {
    "JWT_MAXTOKENLENGTH": "JWT_MAX_TOKEN_LENGTH",
    "JWT_KEYID": "JWT_KEY_ID",
    "JWT_REQUIRESTRONGSECRET": "JWT_REQUIRE_STRONG_SECRET",
}
ALIASES = {
    "JWT_AUTHTYPE": "JWT_AUTH_TYPE",
    "JWT_PUBLICKEY": "JWT_PUBLIC_KEY",
    "JWT_AUTHMAXAGE": "JWT_AUTH_MAX_AGE",
    "JWT_REFRESHMAXAGE": "JWT_REFRESH_MAX_AGE",
}
SOURCES = ("app.config", "environ", ".env")


@pytest.fixture(autouse=True)
def _no_jwt_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own JWT_* variables must not decide these tests."""
    for name in list(os.environ):
        if name.upper().startswith("JWT_"):
            monkeypatch.delenv(name)


def build(
    source: str,
    values: Mapping[str, object],
    base: Mapping[str, object],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Flask:
    """An app with ``base`` in app.config and ``values`` in ``source``; AuthManager(app)."""
    app = Flask("names")
    configure(app, base)
    dotenv: Path | None = None
    if source == "app.config":
        configure(app, values)
    elif source == "environ":
        for key, value in values.items():
            monkeypatch.setenv(key, str(value))
    else:
        dotenv = tmp_path / ".env"
        dotenv.write_text("".join(f"{key}='{value}'\n" for key, value in values.items()))
    AuthManager(app, dotenv_path=dotenv)
    return app


def test_the_catalogue_lists_the_snake_case_keys_and_the_aliases() -> None:
    assert dict(RENAMED_KEYS) == RENAMED
    assert dict(KEY_ALIASES) == ALIASES
    for old, new in RENAMED.items():
        assert new in CONFIG_KEYS
        assert old not in CONFIG_KEYS
    one_x = {"JWT_ISSUER", "JWT_SECRET", *ALIASES}  # the six 1.x keys keep their spelling
    assert one_x <= set(CONFIG_KEYS)


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("old", sorted(RENAMED))
def test_a_development_spelling_is_refused_not_ignored(
    old: str, source: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", IgnoredConfigWarning)
        with pytest.raises(InvalidConfigError) as info:
            build(source, {old: "1"}, VALID, monkeypatch, tmp_path)
    assert info.value.key == old
    assert f"was renamed {RENAMED[old]}" in str(info.value)


def test_the_snake_case_keys_are_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    app = build(
        "app.config",
        {"JWT_MAX_TOKEN_LENGTH": 1000, "JWT_KEY_ID": "key-1"},
        VALID,
        monkeypatch,
        tmp_path,
    )
    assert settings_of(app).max_token_length == 1000
    with app.app_context():
        token = app.extensions["pyjwt_authmanager"].auth_token("alice").signed
    assert jwt.get_unverified_header(token)["kid"] == "key-1"
    with pytest.raises(InvalidConfigError) as info:
        build(
            "environ",
            {"JWT_REQUIRE_STRONG_SECRET": "true"},
            {**VALID, "JWT_SECRET": "short"},
            monkeypatch,
            tmp_path,
        )
    assert info.value.key == "JWT_SECRET"


ALIAS_VALUES: dict[str, tuple[object, str, object]] = {
    # key: (value, Settings field, what it reads as)
    "JWT_AUTHTYPE": ("HS512", "algorithms", None),
    "JWT_AUTHMAXAGE": ("120", "auth_max_age", 120),
    "JWT_REFRESHMAXAGE": ("600", "refresh_max_age", 600),
}


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("key", sorted(ALIAS_VALUES))
def test_a_snake_case_alias_is_read_from_every_source(
    key: str, source: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    value, field, expected = ALIAS_VALUES[key]
    base = {name: v for name, v in VALID.items() if name != key}
    app = build(source, {ALIASES[key]: value}, base, monkeypatch, tmp_path)
    read = getattr(settings_of(app), field)
    if key == "JWT_AUTHTYPE":
        assert [algorithm.value for algorithm in read] == ["HS512"]
    else:
        assert read == expected


@pytest.mark.parametrize("source", SOURCES)
def test_jwt_public_key_is_an_alias_of_jwt_publickey(
    source: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    issuer_app = Flask("issuer")
    configure(issuer_app, config_for("RS256"))
    with issuer_app.app_context():
        token = AuthManager(issuer_app).auth_token("alice").signed
    verify_only = {"JWT_ISSUER": ISSUER, "JWT_AUTHTYPE": "RS256"}
    public_pem = config_for("RS256")["JWT_PUBLICKEY"]
    assert isinstance(public_pem, bytes)
    public = public_pem.decode()
    with warnings.catch_warnings():
        warnings.simplefilter("error", IgnoredConfigWarning)
        app = build(source, {"JWT_PUBLIC_KEY": public}, verify_only, monkeypatch, tmp_path)
    manager: AuthManager = app.extensions["pyjwt_authmanager"]
    with app.app_context():
        assert manager.verify_token(token) is True


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("key", sorted(ALIAS_VALUES))
def test_both_spellings_with_different_values_are_an_error(
    key: str, source: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    value = ALIAS_VALUES[key][0]
    other = "HS384" if key == "JWT_AUTHTYPE" else "7200"
    base = {name: v for name, v in VALID.items() if name != key}
    with pytest.raises(InvalidConfigError) as info:
        build(source, {key: value, ALIASES[key]: other}, base, monkeypatch, tmp_path)
    assert key in str(info.value)
    assert ALIASES[key] in str(info.value)
    assert str(value) not in str(info.value).replace(key, "").replace(ALIASES[key], "")


@pytest.mark.parametrize("source", SOURCES)
def test_both_spellings_with_equal_values_are_fine(
    source: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    app = build(
        source,
        {"JWT_AUTHMAXAGE": "120", "JWT_AUTH_MAX_AGE": "120"},
        VALID,
        monkeypatch,
        tmp_path,
    )
    assert settings_of(app).auth_max_age == 120


def test_an_int_and_an_equal_timedelta_are_equal_values(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    app = build(
        "app.config",
        {"JWT_AUTHMAXAGE": 120, "JWT_AUTH_MAX_AGE": timedelta(seconds=120)},
        VALID,
        monkeypatch,
        tmp_path,
    )
    assert settings_of(app).auth_max_age == 120


def test_the_spellings_of_a_key_follow_the_sources_precedence(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("JWT_AUTHMAXAGE", "300")
    app = build("app.config", {"JWT_AUTH_MAX_AGE": 120}, VALID, monkeypatch, tmp_path)
    assert settings_of(app).auth_max_age == 120  # app.config wins, whatever the spelling
    app = build("environ", {"JWT_REFRESH_MAX_AGE": "900"}, VALID, monkeypatch, tmp_path)
    assert settings_of(app).refresh_max_age == 900


def test_flask_jwt_extended_hints_name_the_snake_case_keys() -> None:
    app = Flask("hints")
    configure(app, {**VALID, "JWT_ALGORITHM": "HS256"})
    with pytest.warns(IgnoredConfigWarning, match="did you mean JWT_AUTH_TYPE\\?"):
        AuthManager(app)


# --- "" means unset ------------------------------------------------------------------------


@contextmanager
def _recorded() -> Generator[list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        messages: list[str] = []
        yield messages
    messages.extend(str(warning.message) for warning in caught)


def _outcome(
    source: str,
    values: Mapping[str, object],
    base: Mapping[str, object],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> tuple[object, ...]:
    with monkeypatch.context() as patch, _recorded() as messages:
        try:
            app = build(source, values, base, patch, tmp_path)
        except (InvalidConfigError, MissingConfigError) as error:
            result: object = (type(error).__name__, error.key, str(error))
        else:
            result = settings_of(app)
    return result, tuple(messages)


EVERY_KEY = sorted({*CONFIG_KEYS, *KEY_ALIASES.values()})


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("key", EVERY_KEY)
def test_an_empty_value_is_the_same_as_unset(
    key: str, source: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    spellings = {key, KEY_ALIASES.get(key, key)} | {k for k, a in KEY_ALIASES.items() if a == key}
    base = {name: value for name, value in VALID.items() if name not in spellings}
    unset = _outcome(source, {}, base, monkeypatch, tmp_path)
    empty = _outcome(source, {key: ""}, base, monkeypatch, tmp_path)
    if key in EMPTY_IS_A_VALUE:
        # The one exception, in every source: JWT_HEADER_SCHEME = "" is the bare token.
        assert isinstance(empty[0], Settings)
        assert isinstance(unset[0], Settings)
        assert (empty[0].transport.header_scheme, unset[0].transport.header_scheme) == (
            "",
            "Bearer",
        )
        return
    assert empty == unset
    if key in ("JWT_ISSUER", "JWT_AUTHTYPE", "JWT_AUTH_TYPE", "JWT_SECRET"):
        assert isinstance(unset[0], tuple)
        assert unset[0][0] == "MissingConfigError"


@pytest.mark.parametrize("key", EVERY_KEY)
def test_empty_bytes_in_app_config_is_the_same_as_unset(
    key: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    spellings = {key, KEY_ALIASES.get(key, key)} | {k for k, a in KEY_ALIASES.items() if a == key}
    base = {name: value for name, value in VALID.items() if name not in spellings}
    unset = _outcome("app.config", {}, base, monkeypatch, tmp_path)
    assert _outcome("app.config", {key: b""}, base, monkeypatch, tmp_path) == unset


@pytest.mark.parametrize(
    ("key", "value", "field", "expected"),
    [
        ("JWT_LEEWAY", "30", "leeway", 30),
        ("JWT_ISSUER", "from-env", "issuer", "from-env"),
        ("JWT_KEY_ID", "env-kid", "key_id", "env-kid"),
        ("JWT_AUTH_MAX_AGE", "99", "auth_max_age", 99),
    ],
)
def test_an_empty_value_in_app_config_lets_the_environment_apply(
    key: str, value: str, field: str, expected: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(key, value)
    app = Flask("empty")
    configure(app, {**VALID, key: ""})
    AuthManager(app)
    assert getattr(settings_of(app), field) == expected


# --- one set of readers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "start"),
    [
        ("JWT_ISSUER", 7, "JWT_ISSUER: got int 7; expected "),
        ("JWT_LEEWAY", "soon", "JWT_LEEWAY: got str 'soon'; expected "),
        (
            "JWT_ACCEPT_LEGACY_TOKENS",
            "maybe",
            "JWT_ACCEPT_LEGACY_TOKENS: got str 'maybe'; expected ",
        ),
        ("JWT_COOKIE_SECURE", "maybe", "JWT_COOKIE_SECURE: got str 'maybe'; expected "),
        (
            "JWT_JWKS_URL",
            "ftp://idp.example",
            "JWT_JWKS_URL: got str 'ftp://idp.example'; expected ",
        ),
        ("JWT_JWKS_ROUTE", "jwks", "JWT_JWKS_ROUTE: got str 'jwks'; expected "),
        ("JWT_AUTH_COOKIE", "a b", "JWT_AUTH_COOKIE: got str 'a b'; expected "),
        ("JWT_CSRF_HEADER", "X:Y", "JWT_CSRF_HEADER: got str 'X:Y'; expected "),
        ("JWT_AUTH_COOKIE_PATH", "api", "JWT_AUTH_COOKIE_PATH: got str 'api'; expected "),
        ("JWT_COOKIE_SAMESITE", "lenient", "JWT_COOKIE_SAMESITE: got str 'lenient'; expected "),
        ("JWT_QUERY_PARAM", 7, "JWT_QUERY_PARAM: got int 7; expected "),
    ],
)
def test_every_reader_words_its_message_the_same_way(key: str, value: object, start: str) -> None:
    app = Flask("format")
    configure(app, {**VALID, key: value})
    with pytest.raises(InvalidConfigError) as info:
        AuthManager(app)
    assert str(info.value).startswith(start)


@pytest.mark.parametrize(
    "key", ["JWT_QUERY_PARAM", "JWT_AUTH_JSON_KEY", "JWT_REFRESH_JSON_KEY", "JWT_AUDIENCE"]
)
def test_a_lone_surrogate_is_refused_in_every_text_key(key: str) -> None:
    app = Flask("surrogate")
    configure(app, {**VALID, key: "token\ud800"})
    with pytest.raises(InvalidConfigError, match="lone UTF-16 surrogate") as info:
        AuthManager(app)
    assert info.value.key == key
