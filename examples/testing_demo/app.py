"""The app under test: its own tokens, or an identity provider's when configured."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from flask import Flask

from flask_pyjwt import AuthManager, IdentityProvider, current_token, require_token


# [start app]
def create_app(
    config: Mapping[str, object],
    *,
    clock: Callable[[], float] | None = None,
    providers: Sequence[IdentityProvider] = (),
) -> Flask:
    app = Flask("orders")
    app.config.from_mapping(config)
    AuthManager(app, clock=clock, providers=providers)  # tests pass a TokenClock

    @app.route("/whoami")
    @require_token()
    def whoami() -> dict[str, str]:
        return {"sub": current_token.sub, "source": current_token.provider}

    @app.route("/me")
    @require_token()
    def me() -> dict[str, str]:
        return {"sub": current_token.sub}

    @app.route("/admin")
    @require_token(scope={"admin": True})
    def admin() -> dict[str, str]:
        return {"admin": current_token.sub}

    @app.route("/orders")
    @require_token(dpop="required")  # DPoP-bound tokens only (RFC 9449)
    def orders() -> dict[str, str]:
        return {"orders_of": current_token.sub}

    return app


# [end app]

OWN_TOKENS: dict[str, object] = {
    "JWT_ISSUER": "orders",
    "JWT_AUTHTYPE": "HS256",
    "JWT_SECRET": "a-test-only-secret-of-at-least-thirty-two-bytes",
}
"""The configuration of the app when it issues its own tokens."""
