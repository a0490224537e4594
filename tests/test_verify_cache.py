"""The verified-token cache (``JWT_VERIFY_CACHE_SIZE``), end to end through real apps.

A token is admitted on its second successful verification; from then on a request with
it skips parsing and the signature, and everything that can change is still checked:
times against the app's clock (with ``JWT_LEEWAY``), freshness, revocation, the route's
kind and requirements. Clocks are the app's own (``AuthManager(clock=...)``) wherever
time matters.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Callable

from flask import Flask

from flask_pyjwt import (
    AuthManager,
    AuthToken,
    CacheableVerifier,
    RefreshToken,
    current_token,
    require_token,
)
from flask_pyjwt._core.verify_cache import MAX_CACHED_TOKEN_LENGTH, VerifiedTokenCache
from flask_pyjwt._flask.state import app_state
from flask_pyjwt.errors import SignatureInvalidError
from flask_pyjwt.typing import JWSHeader

from .idp import ISSUER as IDP_ISSUER
from .idp import running_idp
from .support import HMAC_SECRET, ISSUER, NOW, Clock, bearer, config_for, configure, json_body


class Site:
    """An HS256 app with a clock, routes of every kind, and a count of view runs."""

    def __init__(self, *, clock: Clock | None = None, **config: object) -> None:
        self.clock = clock or Clock()
        app = Flask("cached")
        configure(app, {**config_for("HS256"), **config})
        self.manager = AuthManager(app, clock=self.clock)
        self.app = app
        self.calls = 0

        def ran() -> dict[str, str]:
            self.calls += 1
            return {"sub": current_token.sub}

        app.add_url_rule("/me", "me", require_token()(ran))
        app.add_url_rule("/fresh", "fresh", require_token(fresh=True)(ran))
        app.add_url_rule("/admin", "admin", require_token(scope={"admin": True})(ran))
        app.add_url_rule("/refresh", "refresh", require_token("refresh")(ran))
        self.client = app.test_client()

    @property
    def cache(self) -> VerifiedTokenCache:
        cache = app_state(self.app).codec.cache
        assert cache is not None
        return cache

    def auth(self, **options: object) -> AuthToken:
        with self.app.app_context():
            return self.manager.auth_token("alice", **options)  # type: ignore[arg-type]

    def refresh(self) -> RefreshToken:
        with self.app.app_context():
            return self.manager.refresh_token("alice")

    def get(self, path: str, token: str) -> tuple[int, str | None]:
        response = self.client.get(path, headers=bearer(token))
        body = json_body(response)
        code = body.get("code")
        return response.status_code, code if isinstance(code, str) else None

    def cached(self, token: str, path: str = "/me") -> None:
        """Send ``token`` until it is cached (twice), checking it was accepted."""
        for _ in range(2):
            assert self.get(path, token) == (200, None)
        assert token in self.cache


# -- admission --------------------------------------------------------------------------


def test_a_token_is_cached_on_its_second_verification_and_then_served_from_it() -> None:
    site = Site()
    token = site.auth().signed
    assert site.get("/me", token) == (200, None)
    assert token not in site.cache  # seen once: only a fingerprint
    assert site.cache.remembered == 1
    assert site.get("/me", token) == (200, None)
    assert token in site.cache
    assert site.get("/me", token) == (200, None)
    assert site.calls == 3


def test_refused_tokens_are_never_cached_nor_remembered() -> None:
    site = Site()
    token = site.auth().signed
    head, payload, signature = token.split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    tampered = f"{head}.{payload}.{flipped}"
    for _ in range(5):
        assert site.get("/me", tampered) == (401, "signature_invalid")
        assert site.get("/me", "not.a.token") == (401, "token_malformed")
    site.clock.now = NOW + 7200  # the genuine token is now expired
    for _ in range(3):
        assert site.get("/me", token) == (401, "token_expired")
    assert len(site.cache) == 0
    assert site.cache.remembered == 0  # refusals do not even reach the filter
    assert site.calls == 0


def test_a_valid_token_of_the_wrong_kind_is_refused_cached_or_not() -> None:
    site = Site()
    auth, refresh = site.auth().signed, site.refresh().signed
    uncached = site.get("/refresh", auth)
    site.cached(auth)
    assert site.get("/refresh", auth) == uncached == (401, "token_type_invalid")
    with site.app.app_context():
        messages: list[str] = []
        for _ in range(2):
            try:
                site.manager.convert_token(auth, "refresh")
            except Exception as error:
                messages.append(str(error))
    assert messages == ["This requires a refresh token, not an auth token."] * 2
    site.cached(refresh, "/refresh")
    assert site.get("/me", refresh) == (401, "token_type_invalid")


# -- what a hit still checks ------------------------------------------------------------


def test_a_cached_token_is_refused_once_revoked() -> None:
    site = Site()
    token = site.auth()
    site.cached(token.signed)
    with site.app.app_context():
        site.manager.revoke(token)
    assert site.get("/me", token.signed) == (401, "token_revoked")
    with site.app.app_context():
        assert site.manager.verify_token(token.signed) is False


def test_a_cached_token_is_refused_once_its_subject_is_logged_out_everywhere() -> None:
    site = Site()
    token = site.auth().signed
    site.cached(token)
    with site.app.app_context():
        site.manager.revoke_subject("alice")
    assert site.get("/me", token) == (401, "token_revoked")


def test_a_cached_token_expires_on_the_clock_with_the_leeway() -> None:
    site = Site(JWT_LEEWAY=10, JWT_AUTHMAXAGE=60)
    token = site.auth().signed
    site.cached(token)
    site.clock.now = NOW + 60  # at exp: still inside the leeway
    assert site.get("/me", token) == (200, None)
    site.clock.now = NOW + 69.5
    assert site.get("/me", token) == (200, None)
    site.clock.now = NOW + 70  # exp + leeway: expired, and the entry dies with it
    assert site.get("/me", token) == (401, "token_expired")
    assert token not in site.cache
    assert site.get("/me", token) == (401, "token_expired")


def test_a_cached_token_is_not_yet_valid_if_the_clock_goes_back() -> None:
    site = Site(JWT_LEEWAY=5)
    token = site.auth().signed
    site.cached(token)
    site.clock.now = NOW - 5  # iat - leeway: fine
    assert site.get("/me", token) == (200, None)
    site.clock.now = NOW - 6
    assert site.get("/me", token) == (401, "token_not_yet_valid")


def test_freshness_is_decided_on_every_request() -> None:
    site = Site()
    token = site.auth(fresh=30).signed
    site.cached(token, "/fresh")
    site.clock.now = NOW + 29
    assert site.get("/fresh", token) == (200, None)
    site.clock.now = NOW + 30
    assert site.get("/fresh", token) == (401, "fresh_token_required")
    assert site.get("/me", token) == (200, None)  # still a valid token


def test_the_routes_requirements_are_checked_on_every_request() -> None:
    site = Site()
    plain, admin = site.auth().signed, site.auth(scope={"admin": True}).signed
    site.cached(plain)
    site.cached(admin)
    assert site.get("/admin", plain) == (403, "insufficient_scope")
    assert site.get("/admin", admin) == (200, None)


def test_csrf_is_checked_on_every_request_for_a_cached_cookie_token() -> None:
    site = Site(JWT_TOKEN_LOCATION="cookies", JWT_COOKIE_SECURE=False)

    @site.app.post("/change")
    @require_token()
    def change() -> dict[str, str]:
        return {"sub": current_token.sub}

    token = site.auth().signed
    client = site.app.test_client()
    client.set_cookie("auth_token", token)
    for _ in range(3):
        assert client.get("/me").status_code == 200
    assert token in site.cache
    refused = client.post("/change")
    assert refused.status_code == 403
    assert json_body(refused)["code"] == "csrf_failed"


# -- keys ------------------------------------------------------------------------------


def resource_server(jwks_url: str, clock: Clock) -> tuple[Flask, AuthManager]:
    """A verify-only app for the test identity provider, refreshing its keys every second."""
    app = Flask("resource_server")
    configure(
        app,
        {
            "JWT_ISSUER": IDP_ISSUER,
            "JWT_AUTHTYPE": "RS256",
            "JWT_JWKS_URL": jwks_url,
            "JWT_AUDIENCE": "orders-api",
            "JWT_JWKS_MIN_REFRESH": 1,
        },
    )
    return app, AuthManager(app, clock=clock)


def test_a_new_key_set_from_the_identity_provider_drops_the_cache() -> None:
    clock = Clock()
    with running_idp("k1", "k2", clock=clock) as idp:
        idp.cache_control = "max-age=1"
        app, _ = resource_server(idp.url, clock)

        @app.get("/orders")
        @require_token()
        def orders() -> dict[str, str]:
            return {"sub": current_token.sub}

        client = app.test_client()
        cache = app_state(app).codec.cache
        assert cache is not None
        old = idp.token("k1")
        for _ in range(3):
            assert client.get("/orders", headers=bearer(old)).status_code == 200
        assert old in cache
        idp.remove_key("k1")  # the provider retires k1
        assert client.get("/orders", headers=bearer(old)).status_code == 200  # keys held
        clock.now += 1  # the keys held expire: the next request refreshes them
        refused = client.get("/orders", headers=bearer(old))
        assert refused.status_code == 401
        assert json_body(refused)["code"] == "unknown_key"
        assert old not in cache
        assert client.get("/orders", headers=bearer(idp.token("k2"))).status_code == 200


def test_a_refresh_with_the_same_keys_keeps_the_cache() -> None:
    clock = Clock()
    with running_idp("k1", clock=clock) as idp:
        idp.cache_control = "max-age=1"
        app, manager = resource_server(idp.url, clock)
        token = idp.token("k1")
        with app.app_context():
            # The first verification fetched the keys (a new generation), so the token is
            # admitted on its third.
            for _ in range(3):
                manager.convert_token(token)
        cache = app_state(app).codec.cache
        assert cache is not None
        assert token in cache
        hits = idp.hits
        clock.now += 1
        with app.app_context():
            assert manager.verify_token(token)
        assert idp.hits == hits + 1  # refreshed ...
        assert token in cache  # ... to the same document: the verdicts stand


def test_each_app_has_its_own_cache_for_its_own_keys() -> None:
    manager = AuthManager()
    first, second = Flask("first"), Flask("second")
    configure(first, config_for("HS256"))
    configure(second, {**config_for("HS256"), "JWT_SECRET": HMAC_SECRET[::-1]})
    manager.init_app(first)
    manager.init_app(second)
    with first.app_context():
        token = manager.auth_token("alice").signed
        for _ in range(2):
            assert manager.verify_token(token)
    with second.app_context():
        assert manager.verify_token(token) is False  # another key: never from first's cache
    assert token in (app_state(first).codec.cache or ())
    assert len(app_state(second).codec.cache or ()) == 0


class CountingVerifier:
    """A custom verifier (HMAC with a key it can replace) that counts its calls."""

    def __init__(self, secret: bytes) -> None:
        self.secret = secret
        self.calls = 0

    @property
    def algorithms(self) -> frozenset[str]:
        return frozenset({"HS256"})

    def verify(self, header: JWSHeader, signing_input: bytes, signature: bytes) -> None:
        self.calls += 1
        expected = hmac.digest(self.secret, signing_input, hashlib.sha256)
        if not hmac.compare_digest(expected, signature):
            raise SignatureInvalidError("bad signature")


class RotatingVerifier(CountingVerifier):
    """The same, opted into the cache: its generation changes with its key."""

    def __init__(self, secret: bytes) -> None:
        super().__init__(secret)
        self.generation = 0

    def rotate(self, secret: bytes) -> None:
        self.secret = secret
        self.generation += 1

    def key_generation(self) -> int:
        return self.generation


def _custom_site(verifier: CountingVerifier) -> tuple[Flask, AuthManager]:
    app = Flask("custom")
    configure(app, {"JWT_ISSUER": ISSUER, "JWT_AUTHTYPE": "HS256", "JWT_SECRET": HMAC_SECRET})
    return app, AuthManager(app, verifier=verifier)


def test_a_custom_verifier_is_not_cached_unless_it_opts_in() -> None:
    verifier = CountingVerifier(HMAC_SECRET.encode())
    app, manager = _custom_site(verifier)
    assert not isinstance(verifier, CacheableVerifier)
    assert app_state(app).codec.cache is None
    with app.app_context():
        token = manager.auth_token("alice").signed
        for _ in range(5):
            assert manager.verify_token(token)
    assert verifier.calls == 5


def test_a_custom_verifier_that_opts_in_invalidates_by_its_generation() -> None:
    verifier = RotatingVerifier(HMAC_SECRET.encode())
    app, manager = _custom_site(verifier)
    assert isinstance(verifier, CacheableVerifier)
    with app.app_context():
        token = manager.auth_token("alice").signed
        for _ in range(5):
            assert manager.verify_token(token)
        assert verifier.calls == 2  # the third on were hits
        verifier.rotate(b"another-secret-" * 4)
        assert manager.verify_token(token) is False  # verified again, with the new key
        assert verifier.calls == 3


# -- bounds ------------------------------------------------------------------------------


def test_the_size_bound_and_least_recently_used_eviction() -> None:
    site = Site(JWT_VERIFY_CACHE_SIZE=3)
    tokens = [site.auth(max_age=60 + index).signed for index in range(5)]
    for token in tokens[:3]:
        site.cached(token)
    assert site.cache.tokens() == tokens[:3]
    assert site.get("/me", tokens[0]) == (200, None)  # a hit: now the most recent
    assert site.cache.tokens() == [tokens[1], tokens[2], tokens[0]]
    site.cached(tokens[3])  # admitted: the least recently used (tokens[1]) goes
    assert site.cache.tokens() == [tokens[2], tokens[0], tokens[3]]
    site.cached(tokens[4])
    assert site.cache.tokens() == [tokens[0], tokens[3], tokens[4]]
    assert len(site.cache) == 3


def test_the_admission_filter_is_bounded_and_a_stream_of_new_tokens_allocates_no_entry() -> None:
    site = Site(JWT_VERIFY_CACHE_SIZE=8)
    with site.app.app_context():
        for _ in range(100):  # each verified once: only fingerprints, at most 2 x 8
            assert site.manager.verify_token(site.manager.auth_token("alice").signed)
            assert site.cache.remembered <= 16
    assert len(site.cache) == 0


def test_long_tokens_are_never_cached() -> None:
    site = Site()
    long = site.auth(pad="x" * MAX_CACHED_TOKEN_LENGTH).signed
    assert len(long) > MAX_CACHED_TOKEN_LENGTH
    for _ in range(3):
        assert site.get("/me", long) == (200, None)
    assert len(site.cache) == 0


def test_zero_turns_the_cache_off() -> None:
    site = Site(JWT_VERIFY_CACHE_SIZE=0)
    assert app_state(site.app).codec.cache is None
    token = site.auth()
    for _ in range(3):
        assert site.get("/me", token.signed) == (200, None)
    with site.app.app_context():
        site.manager.revoke(token)
    assert site.get("/me", token.signed) == (401, "token_revoked")


def test_concurrent_requests_with_revocations_and_evictions() -> None:
    site = Site(JWT_VERIFY_CACHE_SIZE=4)  # 12 tokens: constant admission and eviction
    tokens = [site.auth(max_age=100 + index).signed for index in range(12)]
    revoked = set(range(0, 12, 3))

    def hammer(expected: Callable[[int], int]) -> list[str]:
        errors: list[str] = []
        barrier = threading.Barrier(8)

        def worker(offset: int) -> None:
            client = site.app.test_client()
            barrier.wait()
            for round_ in range(48):
                index = (offset + round_) % len(tokens)
                status = client.get("/me", headers=bearer(tokens[index])).status_code
                if status != expected(index):
                    errors.append(f"token {index}: {status}")

        threads = [threading.Thread(target=worker, args=(offset,)) for offset in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return errors

    assert hammer(lambda index: 200) == []
    assert len(site.cache) <= 4
    with site.app.app_context():
        for index in revoked:
            site.manager.revoke(tokens[index])
    assert hammer(lambda index: 401 if index in revoked else 200) == []
    assert len(site.cache) <= 4
    assert site.calls == 8 * 48 * 2 - 8 * 48 * len(revoked) // len(tokens)
