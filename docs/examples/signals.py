"""Signals: an alert on refresh-token reuse, and an audit trail of refusals."""

from __future__ import annotations

import logging

from flask import Flask
from typing_extensions import Unpack

from flask_pyjwt import AuthManager, signals

security_log = logging.getLogger("security")


# [start signals]
def create_app() -> Flask:
    app = Flask("shop")
    app.config.from_mapping(JWT_ISSUER="shop", JWT_AUTHTYPE="HS256", JWT_SECRET="s" * 64)
    AuthManager(app)

    @signals.refresh_token_reused.connect_via(app)
    def alert(sender: Flask, **kwargs: Unpack[signals.RefreshTokenReusedArgs]) -> None:
        # A stolen refresh token, or a client that replays one: page someone.
        security_log.critical(
            "refresh token reuse: subject %s, session %s revoked",
            kwargs["sub"], kwargs["session"],
        )  # fmt: skip

    @signals.authentication_failed.connect_via(app)
    def audit(sender: Flask, **kwargs: Unpack[signals.AuthenticationFailedArgs]) -> None:
        security_log.info(
            "refused: %s %s (token from %s)", kwargs["status"], kwargs["code"], kwargs["source"]
        )

    return app


# [end signals]
