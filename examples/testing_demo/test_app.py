"""The app's tests: no token minting, key server or sleep of their own."""

from __future__ import annotations

from flask_pyjwt.testing import (
    DPoPKey,
    FakeIdentityProvider,
    TokenClock,
    auth_header,
    dpop_auth_header,
)

from .app import OWN_TOKENS, create_app


# [start own tokens]
def test_admin_needs_the_admin_scope(token_clock: TokenClock) -> None:
    app = create_app(OWN_TOKENS, clock=token_clock)
    client = app.test_client()

    admin = client.get("/admin", headers=auth_header(app, "alice", scope={"admin": True}))
    assert admin.status_code == 200

    refused = client.get("/admin", headers=auth_header(app, "bob"))
    assert refused.status_code == 403
    assert refused.get_json()["code"] == "insufficient_scope"


# [end own tokens]


# [start clock]
def test_tokens_expire_after_an_hour(token_clock: TokenClock) -> None:
    app = create_app(OWN_TOKENS, clock=token_clock)
    client = app.test_client()
    headers = auth_header(app, "alice")  # JWT_AUTHMAXAGE: 3600 s by default

    token_clock.advance(3599)
    assert client.get("/me", headers=headers).status_code == 200
    token_clock.advance(2)
    expired = client.get("/me", headers=headers)
    assert expired.status_code == 401
    assert expired.get_json()["code"] == "token_expired"


# [end clock]


# [start provider]
def test_tokens_of_the_identity_provider(
    fake_idp: FakeIdentityProvider, token_clock: TokenClock
) -> None:
    app = create_app(fake_idp.config(), clock=token_clock)  # JWT_JWKS_URL, JWT_ISSUER, ...
    client = app.test_client()

    token = fake_idp.token("alice", scope="orders:read", tid="t1")
    response = client.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert response.get_json() == {"sub": "alice"}


# [end provider]


# [start rotation]
def test_a_key_rotation_at_the_provider(token_clock: TokenClock) -> None:
    with FakeIdentityProvider(
        issuer="https://idp.test/", audience="orders", clock=token_clock
    ) as idp:
        app = create_app(idp.config(), clock=token_clock)
        client = app.test_client()
        before = idp.auth_header("alice")
        assert client.get("/me", headers=before).status_code == 200

        idp.rotate_keys()  # a new kid; the old key is no longer published
        assert client.get("/me", headers=idp.auth_header("alice")).status_code == 200
        retired = client.get("/me", headers=before)
        assert retired.status_code == 401
        assert retired.get_json()["code"] == "unknown_key"


# [end rotation]


# [start providers]
def test_the_apps_own_tokens_beside_a_provider(token_clock: TokenClock) -> None:
    with FakeIdentityProvider(
        issuer="https://idp.test/", audience="orders", clock=token_clock
    ) as idp:
        app = create_app(OWN_TOKENS, clock=token_clock, providers=[idp.provider])
        client = app.test_client()

        theirs = client.get("/whoami", headers=idp.auth_header("alice", tid="t1"))
        assert theirs.get_json() == {"sub": "alice", "source": "fake"}
        ours = client.get("/whoami", headers=auth_header(app, "bob"))
        assert ours.get_json() == {"sub": "bob", "source": "self"}


# [end providers]


# [start dpop]
def test_orders_need_a_dpop_bound_token(token_clock: TokenClock) -> None:
    app = create_app(OWN_TOKENS, clock=token_clock)
    client = app.test_client()
    key = DPoPKey(clock=token_clock)  # the client's key pair (ES256); proofs follow the clock
    url = "http://localhost/orders"  # what the test client requests for "/orders"

    headers = dpop_auth_header(app, key, "alice", "GET", url)  # a bound token and a proof
    assert client.get("/orders", headers=headers).get_json() == {"orders_of": "alice"}

    replayed = client.get("/orders", headers=headers)  # a proof is good for one request
    assert replayed.get_json()["code"] == "invalid_dpop_proof"
    token = headers["Authorization"].removeprefix("DPoP ")
    assert client.get("/orders", headers=key.headers("GET", url, token)).status_code == 200

    bearer = client.get("/orders", headers=auth_header(app, "alice"))  # an unbound token
    assert bearer.get_json()["code"] == "dpop_required"


# [end dpop]
