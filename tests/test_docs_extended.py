"""docs/examples/extended.py (issue 21's patterns, shown in the docs) runs as written."""

from __future__ import annotations

import time

from docs.examples import extended
from flask_pyjwt import AuthManager, require_token
from tests.support import HMAC_KID, configure, forge, hmac_kid, json_body


def _login() -> str:
    response = extended.app.test_client().post("/login")
    assert response.status_code == 200
    token = json_body(response)["auth_token"]
    assert isinstance(token, str)
    return token


def test_login_with_a_user_object_and_logout_with_either_kind() -> None:
    token = _login()
    with extended.app.app_context():
        verified = extended.auth_manager.convert_token(token, "auth")
        refresh = extended.auth_manager.refresh_token(extended.USERS[7])
    assert (verified.sub, verified.claims["admin"]) == ("7", True)
    client = extended.app.test_client()
    bye = client.post("/logout", headers={"Authorization": f"Bearer {token}"})
    assert json_body(bye) == {"logged_out": "auth"}
    bye = client.post("/logout", headers={"Authorization": f"Bearer {refresh.signed}"})
    assert json_body(bye) == {"logged_out": "refresh"}
    # Refusal: the revoked auth token no longer logs out.
    again = client.post("/logout", headers={"Authorization": f"Bearer {token}"})
    assert (again.status_code, json_body(again)) == (401, {"code": "token_revoked"})


def _expired(key: bytes | None = None) -> str:
    now = int(time.time())  # the example app runs on the real clock
    claims = {"iss": "extended-example", "sub": "7", "type": "auth", "jti": "k" * 22,
              "iat": now - 7200, "exp": now - 3600}  # fmt: skip
    secret = b"a-32-byte-or-longer-secret-for-hs256!"
    header = {"alg": "HS256", "typ": "at+jwt", "kid": hmac_kid(secret)}
    assert header["kid"] != HMAC_KID  # this example's own secret
    return forge(header, claims, key=key or secret)


def test_an_expired_token_is_read_on_purpose_and_shown_to_the_handler() -> None:
    client = extended.app.test_client()
    token = _expired()
    again = client.post("/refresh-after-expiry", data=token)
    assert again.status_code == 200
    assert json_body(again)["was_expired"] == "True"
    seen = client.post("/logout", headers={"Authorization": f"Bearer {token}"})
    assert (seen.status_code, json_body(seen)) == (
        401,
        {"code": "token_expired", "hint": "welcome back, user 7"},
    )
    # Refusal: a forged one (another key) is neither read nor shown.
    forged = _expired(key=b"not-the-example-secret-but-long-enough!!")
    refused = client.post("/logout", headers={"Authorization": f"Bearer {forged}"})
    assert json_body(refused) == {"code": "signature_invalid"}
    refused = client.post("/refresh-after-expiry", data=forged)
    assert json_body(refused) == {"code": "signature_invalid"}


def test_the_proxy_header_configuration() -> None:
    app = extended.proxied
    configure(app, {"JWT_ISSUER": "proxy", "JWT_AUTHTYPE": "HS256", "JWT_SECRET": "s" * 40})
    manager = AuthManager(app)

    with app.app_context():
        token = manager.auth_token("alice").signed

    @app.get("/private")
    @require_token()
    def private() -> str:
        return "ok"

    client = app.test_client()
    assert client.get("/private", headers={"Cf-Access-Jwt-Assertion": token}).status_code == 200
    refused = client.get("/private", headers={"Authorization": f"Bearer {token}"})
    assert (refused.status_code, json_body(refused)["code"]) == (401, "token_missing")
