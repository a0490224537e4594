"""The extension's signals (blinker, in a namespace of their own as Flask's are).

Connect a receiver as to any of Flask's signals; each is sent with the Flask app as the
sender and the keyword arguments of its ``*Args`` :class:`~typing.TypedDict`, which a
receiver can use to annotate them::

    from typing_extensions import Unpack
    from flask_pyjwt import signals

    @signals.refresh_token_reused.connect_via(app)
    def alert(sender: Flask, **kwargs: Unpack[signals.RefreshTokenReusedArgs]) -> None:
        security_log.warning("refresh token reuse: %s", kwargs["sub"])

No signal carries token text, a secret or a key. A signal nobody is connected to costs
nothing (the sender checks for receivers before building its arguments).
"""

from flask_pyjwt._flask.signals import (
    AuthenticationFailedArgs,
    KeyFetchFailedArgs,
    KeysRefreshedArgs,
    RefreshTokenReusedArgs,
    SubjectLoggedOutArgs,
    TokenKind,
    TokenRevokedArgs,
    TokenVerifiedArgs,
    authentication_failed,
    key_fetch_failed,
    keys_refreshed,
    refresh_token_reused,
    subject_logged_out,
    token_revoked,
    token_verified,
)

__all__ = [
    "AuthenticationFailedArgs",
    "KeyFetchFailedArgs",
    "KeysRefreshedArgs",
    "RefreshTokenReusedArgs",
    "SubjectLoggedOutArgs",
    "TokenKind",
    "TokenRevokedArgs",
    "TokenVerifiedArgs",
    "authentication_failed",
    "key_fetch_failed",
    "keys_refreshed",
    "refresh_token_reused",
    "subject_logged_out",
    "token_revoked",
    "token_verified",
]
