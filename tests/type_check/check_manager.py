"""AuthManager, the token values, Settings and the errors: their exact public types."""

from __future__ import annotations

import warnings
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from flask import Flask
from typing_extensions import assert_type

from flask_pyjwt import (
    AuthenticationFailed,
    AuthManager,
    AuthToken,
    FlaskPyJWTError,
    InvalidConfigError,
    InvalidTokenError,
    MissingConfigError,
    PermissionDenied,
    RefreshToken,
    Token,
    TokenType,
)
from flask_pyjwt._core.policy import Settings
from flask_pyjwt._settings.catalogue import CONFIG_KEYS
from flask_pyjwt.errors import (
    ClaimInvalidError,
    ConfigError,
    CustomErrorCode,
    HTTPAuthError,
    IgnoredConfigWarning,
    WeakSecretWarning,
)
from flask_pyjwt.typing import AuthType, ErrorCode, FrozenJSONObject, JSONObject, JSONValue


def manager_methods(app: Flask, claims: dict[str, JSONValue], pem: Path) -> None:
    manager = AuthManager(app)
    AuthManager(app, dotenv_path=".env", clock=lambda: 0.0)
    AuthManager(dotenv_path=pem.parent / ".env")
    AuthManager(app, clock=lambda: "now")  # type: ignore[arg-type, return-value]
    AuthManager(app, ".env")  # type: ignore[call-arg]
    assert_type(manager.init_app(app), None)

    auth = manager.auth_token("alice", {"admin": True}, tenant="acme", roles=["a", "b"])
    assert_type(auth, AuthToken)
    assert_type(manager.auth_token("alice", "read write"), AuthToken)
    assert_type(manager.refresh_token("alice", device="phone"), RefreshToken)

    # Per-token options, keyword-only; claims= holds claims named like an option.
    assert_type(manager.auth_token("alice", max_age=60), AuthToken)
    assert_type(
        manager.auth_token(
            "alice",
            {"admin": True},
            max_age=timedelta(minutes=5),
            audience="billing",
            headers={"cty": "demo", "x5t#S256": "abc"},
            claims={"max_age": 1, "audience": ["x"], "headers": None},
            tenant="acme",
        ),
        AuthToken,
    )
    assert_type(manager.auth_token("alice", audience=["billing", "search"]), AuthToken)
    assert_type(manager.auth_token("alice", audience=("billing",)), AuthToken)
    assert_type(manager.auth_token("alice", claims=claims), AuthToken)
    assert_type(
        manager.refresh_token(
            "alice", max_age=timedelta(days=30), audience="api", headers={}, claims=claims
        ),
        RefreshToken,
    )
    manager.auth_token("alice", max_age="1h")  # type: ignore[arg-type]
    manager.auth_token("alice", max_age=1.5)  # type: ignore[arg-type]
    manager.refresh_token("alice", max_age=datetime(2030, 1, 1))  # type: ignore[arg-type]
    manager.auth_token("alice", audience=42)  # type: ignore[arg-type]
    manager.auth_token("alice", audience=["api", 1])  # type: ignore[list-item]
    manager.auth_token("alice", audience=b"api")  # type: ignore[arg-type]
    manager.auth_token("alice", headers={"cty": object()})  # type: ignore[dict-item]
    manager.auth_token("alice", headers=[("cty", "x")])  # type: ignore[arg-type]
    manager.auth_token("alice", claims=[("tenant", "acme")])  # type: ignore[arg-type]
    manager.refresh_token("alice", claims={"tenant": {1, 2}})  # type: ignore[dict-item]
    manager.auth_token("alice", None, 60)  # type: ignore[call-arg]
    # A dict of claims unpacked with ** could set an option (its keys are not known to
    # the checkers): pass it as claims= instead.
    manager.auth_token("alice", **claims)  # type: ignore[arg-type]

    assert_type(manager.verify_token(auth.signed), bool)
    assert_type(manager.verify_token(auth), bool)

    # convert_token: the literal token_type picks the overload and the narrow type.
    assert_type(manager.convert_token(auth.signed), Token)
    assert_type(manager.convert_token(auth.signed), AuthToken | RefreshToken)
    assert_type(manager.convert_token(auth.signed, "auth"), AuthToken)
    assert_type(manager.convert_token(auth.signed, TokenType.AUTH), AuthToken)
    assert_type(manager.convert_token(auth.signed, "refresh"), RefreshToken)
    assert_type(manager.convert_token(auth.signed, TokenType.REFRESH), RefreshToken)


def token_fields(auth: AuthToken, refresh: RefreshToken, token: Token) -> None:
    for each in (auth, refresh):
        assert_type(each.sub, str)
        assert_type(each.iss, str)
        assert_type(each.iat, int)
        assert_type(each.exp, int)
        assert_type(each.jti, str)
        assert_type(each.aud, str | tuple[str, ...] | None)
        assert_type(each.signed, str)
        assert_type(each.alg, str)
        assert_type(each.header, JSONObject)
        assert_type(each.claims, JSONObject)
        assert_type(each.max_age, int)
        assert_type(each.is_signed(), bool)
    assert_type(auth.scope, JSONValue)
    assert_type(refresh.rid, str)
    assert_type(auth.token_type, Literal[TokenType.AUTH])
    assert_type(refresh.token_type, Literal[TokenType.REFRESH])
    assert_type(token.token_type, Literal[TokenType.AUTH, TokenType.REFRESH])

    # A claim value is a JSON value; nested objects stay read-only mappings.
    # pyright prints a claim's type expanded (not as the alias JSONValue), so its
    # assert_type would fail on spelling alone; assignability states the same fact.
    claim: JSONValue = auth.claims["tenant"]
    maybe: JSONValue = auth.claims.get("tenant")
    del claim, maybe
    tenant = auth.claims["tenant"]
    if isinstance(tenant, str):
        assert_type(tenant, str)

    # Narrowing a Token by its class.
    if isinstance(token, AuthToken):
        assert_type(token, AuthToken)
    else:
        assert_type(token, RefreshToken)
    match token:
        case RefreshToken(rid=rid):
            assert_type(rid, str)
        case AuthToken(scope=scope):
            assert_type(scope, JSONValue)


def settings_fields(settings: Settings) -> None:
    assert_type(settings.issuer, str)
    assert_type(settings.algorithm, AuthType | None)
    assert_type(settings.auth_max_age, int)
    assert_type(settings.refresh_max_age, int)
    assert_type(settings.audience, str | tuple[str, ...] | None)
    assert_type(settings.leeway, int)
    assert_type(settings.max_token_length, int)
    assert_type(settings.key_id, str | None)
    assert_type(settings.require_strong_secret, bool)
    assert_type(CONFIG_KEYS[0], Literal["JWT_ISSUER"])
    assert_type(AuthType.RS256.family, Literal["HMAC", "RSA", "EC", "OKP"])
    assert_type(AuthType.HS256.is_symmetric, bool)


def error_attributes(
    config: ConfigError,
    missing: MissingConfigError,
    invalid: InvalidConfigError,
    token_error: InvalidTokenError,
    claim_error: ClaimInvalidError,
    http: HTTPAuthError,
    unauthorized: AuthenticationFailed,
    forbidden: PermissionDenied,
) -> None:
    assert_type(config.key, str)
    assert_type(config.message, str)
    assert_type(missing.config_value, str)
    assert_type(invalid.config_value, str)
    assert_type(token_error.message, str)
    assert_type(claim_error.claim, str)
    assert_type(http.error_code, ErrorCode | CustomErrorCode)
    assert_type(http.message, str)
    assert_type(http.cause, InvalidTokenError | None)
    assert_type(http.body(), dict[str, str | int])
    assert_type(http.www_authenticate_value(), str)
    assert_type(
        unauthorized.bearer_error,
        Literal[
            "invalid_token",
            "insufficient_scope",
            "invalid_request",
            "insufficient_user_authentication",
            "invalid_dpop_proof",
            "use_dpop_nonce",
        ]
        | None,
    )
    assert_type(AuthenticationFailed.from_token_error(token_error), AuthenticationFailed)
    # Werkzeug's class-level `code = 403` is inferred as int by mypy and read as the
    # declared HTTPException.code (int | None) by pyright: both accept int | None.
    statuses: tuple[int | None, int | None] = (forbidden.code, unauthorized.code)
    del statuses


def config_warnings() -> None:
    # Warnings to filter (warnings.filterwarnings(category=...)), not errors to catch.
    for category in (IgnoredConfigWarning, WeakSecretWarning):
        warnings.filterwarnings("error", category=category)
        as_user_warning: type[UserWarning] = category
        del as_user_warning
    as_error: type[FlaskPyJWTError] = IgnoredConfigWarning  # type: ignore[assignment]
    del as_error


def frozen_json(value: FrozenJSONObject) -> None:
    item: JSONValue = value["key"]
    maybe: JSONValue = value.get("key")
    read_only: JSONObject = value  # a FrozenJSONObject is a JSONObject (a Mapping)
    del item, maybe, read_only
