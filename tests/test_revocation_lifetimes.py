"""How long revocations last, and what a store failure looks like to a client.

Each revocation must live exactly as long as a token it concerns can be accepted: on
Redis's clock whatever the app's clock says (skew), to the end of a fractional ``exp``,
and on apps that only verify tokens (whose lifetimes they do not choose). Anything a
Redis client raises, and anything unreadable in the store, is the documented 503 within
the documented time. Failures that a real redis-server cannot be made to produce come
from a loopback server that speaks just enough RESP (tests/resp_server.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from datetime import timedelta

import pytest
import redis.connection
from flask import Flask
from redis.exceptions import RedisClusterException
from werkzeug.test import TestResponse

from flask_pyjwt import AuthManager, RedisRevocationStore, current_token, require_token
from flask_pyjwt._backends.redis_deadline import deadline_connection
from flask_pyjwt.errors import RevocationUnavailableError
from flask_pyjwt.redis import RedisClient, RedisScript
from tests.idp import AUDIENCE, running_idp
from tests.idp import ISSUER as IDP_ISSUER
from tests.redis_server import RedisServer
from tests.resp_server import RespServer, elapsed
from tests.support import HMAC_KID, ISSUER, Clock, bearer, configure, forge, json_body, pair_for
from tests.test_sessions import Site, build_site, refused

STORE_PREFIX = "flask_pyjwt:"  # of a RedisRevocationStore made by hand


@pytest.fixture
def resp() -> Iterator[RespServer]:
    with RespServer() as server:
        yield server


# 5. Clock skew: facts live as long as their token on Redis's clock --------------------------


def test_an_app_clock_behind_redis_still_detects_reuse_and_keeps_revocations(
    redis: RedisServer,
) -> None:
    # The app's clock is an hour behind Redis's; its tokens live ten minutes. Absolute
    # expiries from the app's clock are already past for Redis, which would drop them.
    clock = Clock(time.time() - 3600)
    site = build_site(
        RedisRevocationStore(redis.client()),
        clock,
        JWT_AUTHMAXAGE=600,
        JWT_REFRESHMAXAGE=600,
    )
    auth, refresh = site.login()
    rotated = json_body(site.post("/refresh", refresh.signed))
    refused(site.post("/refresh", refresh.signed), "refresh_token_reused")
    refused(site.post("/refresh", rotated["refresh_token"]), "token_revoked")
    other_auth, _ = site.login("bob")
    site.manager.revoke(other_auth)
    refused(site.get("/me", other_auth.signed), "token_revoked")
    ttls = redis.ttls()
    assert ttls
    assert all(0 < ttl <= 600 for ttl in ttls.values()), ttls
    del auth


# 6. A fractional exp is kept to its very end ------------------------------------------------


def _auth_token(clock: Clock, exp: float, *, sub: str = "alice", jti: str = "frac") -> str:
    payload = {
        "iss": ISSUER, "sub": sub, "iat": int(clock()), "exp": exp, "jti": jti, "type": "auth",
    }  # fmt: skip
    return forge({"alg": "HS256", "typ": "at+jwt", "kid": HMAC_KID}, payload)


@pytest.mark.parametrize("store", ["memory", "redis"])
def test_a_revoked_token_with_a_fractional_exp_stays_revoked_to_its_end(
    store: str, request: pytest.FixtureRequest
) -> None:
    clock = Clock(time.time())
    backend = (
        RedisRevocationStore(request.getfixturevalue("redis").client())
        if store == "redis"
        else None
    )
    site = build_site(backend, clock)
    token = _auth_token(clock, clock() + 10.75)
    assert site.get("/me", token).status_code == 200
    site.manager.revoke(token)
    if store == "redis":  # Redis's clock cannot be moved: the lifetime it got, rounded up
        assert request.getfixturevalue("redis").ttls()[f"{STORE_PREFIX}{{alice}}:jti:frac"] == 11
    clock.now += 10.5  # still within exp: a 0.25 s window a revocation must cover
    refused(site.get("/me", token), "token_revoked")


# 7. Apps that only verify keep facts as long as the tokens they accept ----------------------


def _verify_only_sites(clock: Clock) -> tuple[Site, Site]:
    """An issuing app, and an app that only verifies its tokens, whose own lifetimes
    (60 s) say nothing about the tokens it accepts."""
    pair = pair_for("RS256")
    issuer = build_site(None, clock, JWT_AUTHTYPE="RS256", JWT_SECRET=pair.private_pem,
                        JWT_PUBLICKEY=pair.public_pem)  # fmt: skip
    verifier = build_site(None, clock, JWT_AUTHTYPE="RS256", JWT_SECRET=None,
                          JWT_PUBLICKEY=pair.public_pem, JWT_AUTHMAXAGE=60,
                          JWT_REFRESHMAXAGE=60)  # fmt: skip
    return issuer, verifier


def test_a_verify_only_app_keeps_a_subject_revocation_while_tokens_it_accepts_live() -> None:
    clock = Clock()
    issuer, verifier = _verify_only_sites(clock)
    token = issuer.manager.auth_token("alice", max_age=3600)
    verifier.manager.revoke_subject("alice")
    clock.now += 61
    refused(verifier.get("/me", token.signed), "token_revoked")
    clock.now += 3500
    refused(verifier.get("/me", token.signed), "token_revoked")


def test_a_verify_only_app_keeps_a_session_revocation_while_its_tokens_live() -> None:
    clock = Clock()
    issuer, verifier = _verify_only_sites(clock)
    refresh = issuer.manager.refresh_token("alice", max_age=7200)
    auth = issuer.manager.auth_token("alice", session=refresh, max_age=7200)
    verifier.manager.revoke(refresh)
    clock.now += 3600
    refused(verifier.get("/me", auth.signed), "token_revoked")


def test_the_horizon_can_be_set_for_tokens_longer_than_the_configured_lifetimes() -> None:
    clock = Clock()
    site = build_site(None, clock, JWT_AUTHMAXAGE=60, JWT_REFRESHMAXAGE=60,
                      JWT_REVOCATION_HORIZON=timedelta(hours=2))  # fmt: skip
    token = site.manager.auth_token("alice", max_age=3600)  # an override beyond both
    site.manager.revoke_subject("alice")
    clock.now += 3599
    refused(site.get("/me", token.signed), "token_revoked")


def test_an_identity_provider_app_keeps_a_subject_revocation_for_its_horizon() -> None:
    with running_idp("k1") as idp:
        clock = Clock(time.time())
        app = Flask("idp_horizon")
        configure(app, {"JWT_ISSUER": IDP_ISSUER, "JWT_AUTHTYPE": "RS256",
                        "JWT_JWKS_URL": idp.url, "JWT_AUDIENCE": AUDIENCE,
                        "JWT_AUTHMAXAGE": 60, "JWT_REFRESHMAXAGE": 60})  # fmt: skip
        manager = AuthManager(app, clock=clock)

        @app.get("/me")
        @require_token()
        def me() -> dict[str, str]:
            return {"sub": current_token.sub}

        token = idp.token("k1", exp=int(clock()) + 3600)  # a one-hour IdP token
        assert app.test_client().get("/me", headers=bearer(token)).status_code == 200
        manager.revoke_subject("user-42")
        clock.now += 61
        response = app.test_client().get("/me", headers=bearer(token))
        assert response.status_code == 401
        assert json_body(response)["code"] == "token_revoked"


# 8. An unreadable subject cut-off is a store failure ----------------------------------------


@pytest.mark.parametrize("value", [b"not-a-number", b"12.5", b"", b"1" * 5000])
def test_an_unreadable_subject_cutoff_is_a_503_never_valid(
    redis: RedisServer, value: bytes
) -> None:
    client = redis.client()
    site = build_site(RedisRevocationStore(client))
    auth, _ = site.login()
    client.set(f"{STORE_PREFIX}{{alice}}:sub", value)
    response = site.get("/me", auth.signed)
    assert response.status_code == 503, response.get_data(as_text=True)
    assert json_body(response)["code"] == "revocation_unavailable"
    assert site.calls == []


# 9. Anything the client raises is a store failure, within the documented time ---------------


_MALFORMED: dict[str, dict[str, bytes]] = {
    "ValueError": {"MGET": b"*2\r\n:abc\r\n_\r\n"},
    "AttributeError": {"HELLO": b"+OK\r\n"},  # a handshake answered with a plain OK
    "an infinite cut-off": {"MGET": b"*2\r\n,inf\r\n_\r\n"},
    "an integer reply": {"MGET": b"*2\r\n:5\r\n_\r\n"},
}


@pytest.mark.parametrize("fail_open", [False, True])
@pytest.mark.parametrize("malformed", sorted(_MALFORMED))
def test_a_malformed_reply_is_a_503_or_fails_open(
    resp: RespServer, malformed: str, fail_open: bool
) -> None:
    resp.replies.update(_MALFORMED[malformed])
    site = build_site(RedisRevocationStore.from_url(resp.url), JWT_REVOCATION_FAIL_OPEN=fail_open)
    auth, _ = site.login()
    response = site.get("/me", auth.signed)
    if fail_open:
        assert response.status_code == 200, response.get_data(as_text=True)
    else:
        unavailable(response)


class _ClusterClient:
    """A client that fails as redis-py's cluster client does when no node serves a slot
    (its exceptions are not ``RedisError``s)."""

    def mget(self, keys: list[str], /) -> object:
        raise RedisClusterException("no node serves this slot")

    def set(self, name: str, value: bytes, /, **options: int | bool | None) -> object:
        raise RedisClusterException("no node serves this slot")

    def eval(self, script: str, numkeys: int, /, *keys_and_args: str) -> object:
        raise RedisClusterException("no node serves this slot")

    def register_script(self, script: str, /) -> RedisScript:
        def run(keys: Sequence[str], args: Sequence[int]) -> object:
            raise RedisClusterException("no node serves this slot")

        return run


def test_a_cluster_client_failure_is_a_503_or_fails_open() -> None:
    client: RedisClient = _ClusterClient()
    site = build_site(RedisRevocationStore(client))
    auth, refresh = site.login()
    unavailable(site.get("/me", auth.signed))
    unavailable(site.post("/refresh", refresh.signed))
    with pytest.raises(RevocationUnavailableError):
        site.manager.revoke_subject("alice")
    with pytest.raises(RevocationUnavailableError):
        site.manager.revoke(auth)
    open_site = build_site(RedisRevocationStore(client), JWT_REVOCATION_FAIL_OPEN=True)
    assert open_site.get("/me", open_site.login()[0].signed).status_code == 200


@pytest.mark.slow  # a reply trickling in for real
def test_a_trickling_reply_is_a_503_within_a_quarter_second_and_a_bit(resp: RespServer) -> None:
    store = RedisRevocationStore.from_url(resp.url, local_cache=False)  # every check asks
    site = build_site(store)
    auth, _ = site.login()
    resp.replies["MGET"] = b"*3\r\n_\r\n_\r\n_\r\n"  # nothing revoked (sub, sid, jti)
    assert site.get("/me", auth.signed).status_code == 200  # connected, answering
    resp.trickle = 0.15  # the same answer, one byte per 0.15 s: 2.4 s in all
    started = time.monotonic()
    response = site.get("/me", auth.signed)
    assert elapsed(started) < 0.6
    unavailable(response)
    resp.replies["EVAL"] = b":1\r\n"  # a revocation's answer, trickling too
    started = time.monotonic()
    with pytest.raises(RevocationUnavailableError):
        store.revoke_token("j", ttl=60, subject="alice")
    assert elapsed(started) < 0.6


def test_a_redis_py_without_the_private_connect_hook_keeps_its_own_connection_class() -> None:
    # The whole-answer deadline wraps redis-py's private Connection._connect; if a
    # release renames it, the store must fall back to the per-read timeout rather
    # than fail every connection (every protected request a 503).
    class Renamed:
        pass

    assert deadline_connection(Renamed, 0.25) is Renamed
    wrapped = deadline_connection(redis.connection.Connection, 0.25)
    assert wrapped is not redis.connection.Connection
    assert issubclass(wrapped, redis.connection.Connection)


# 10. The default prefix keeps apps with different issuers apart -----------------------------


def test_apps_with_different_issuers_on_one_redis_do_not_share_revocations(
    redis: RedisServer,
) -> None:
    first = build_site(JWT_REVOCATION_REDIS_URL=redis.url, JWT_ISSUER="app-a")
    second = build_site(JWT_REVOCATION_REDIS_URL=redis.url, JWT_ISSUER="app-b")
    same_issuer = build_site(JWT_REVOCATION_REDIS_URL=redis.url, JWT_ISSUER="app-a")
    first_auth, _ = first.login("42")
    second_auth, _ = second.login("42")
    first.manager.revoke_subject("42")
    refused(first.get("/me", first_auth.signed), "token_revoked")
    refused(same_issuer.get("/me", first_auth.signed), "token_revoked")
    assert second.get("/me", second_auth.signed).status_code == 200


# 11. The 503 names no backend ---------------------------------------------------------------


def unavailable(response: TestResponse) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)
    body = json_body(response)
    assert body["code"] == "revocation_unavailable"
    assert body["message"] == "The service is temporarily unavailable; try again shortly."
    assert "redis" not in response.get_data(as_text=True).lower()
    assert response.headers["Retry-After"] == "1"


def test_the_503_of_an_unreachable_redis_names_no_backend(redis: RedisServer) -> None:
    site = build_site(RedisRevocationStore.from_url(redis.url))
    auth, _ = site.login()
    redis.stop()
    unavailable(site.get("/me", auth.signed))
