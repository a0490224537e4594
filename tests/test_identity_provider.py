"""A resource server behind an identity provider (``JWT_JWKS_URL``), end to end.

The provider is :mod:`tests.idp`: keys and tokens made with joserfc, its JWK Set served
by a real HTTP server on 127.0.0.1 that counts the requests it answers. Every request
goes through a real Flask app; each refusal is checked for its status, JSON ``code`` and
that the view did not run.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask
from joserfc import jwt
from werkzeug.test import TestResponse

from flask_pyjwt import AuthManager, InvalidConfigError, KeyVerifier, current_token, require_token
from flask_pyjwt._backends.jwks import MAX_JWKS_BYTES
from flask_pyjwt._core.algorithms import AuthType
from flask_pyjwt._core.errors import KeysUnavailableError
from flask_pyjwt._core.key_source import (
    CachedKeySet,
    FetchError,
    cache_lifetime,
    parse_key_set,
)
from flask_pyjwt._core.signing import JWSHeader
from flask_pyjwt.errors import MissingSignerError
from tests.idp import AUDIENCE, ISSUER, IdentityProvider, public_jwk, rsa_key, running_idp
from tests.support import (
    Clock,
    b64url,
    bearer,
    concurrently,
    configure,
    json_body,
    load_private_key,
)


class Server:
    """A resource server app, and the subjects its views saw (a view ran once each)."""

    def __init__(
        self, idp: IdentityProvider, *, clock: Clock | None = None, **config: object
    ) -> None:
        app = Flask("resource_server")
        configure(
            app,
            {
                "JWT_ISSUER": ISSUER,
                "JWT_AUTHTYPE": "RS256",
                "JWT_JWKS_URL": idp.url,
                "JWT_AUDIENCE": AUDIENCE,
                **config,
            },
        )
        self.manager = AuthManager(app, clock=clock)
        self.calls: list[str] = []
        self.app = app

        @app.route("/orders")
        @require_token(scope="orders:read")
        def orders() -> dict[str, Any]:
            self.calls.append(current_token.sub)
            token = current_token.token_type.value
            return {"sub": current_token.sub, "kind": token, "jti": current_token.jti}

        @app.route("/admin")
        @require_token(scope=["orders:read", "orders:admin"])
        def admin() -> dict[str, str]:
            self.calls.append(current_token.sub)
            return {"sub": current_token.sub}

        @app.route("/refresh", methods=["POST"])
        @require_token("refresh")
        def refresh() -> dict[str, str]:
            self.calls.append(current_token.sub)
            return {"sub": current_token.sub}

        self.client = app.test_client()

    def get(self, path: str, token: str) -> TestResponse:
        return self.client.get(path, headers=bearer(token))

    def refused(self, response: TestResponse, status: int, code: str) -> None:
        """A refusal with ``status`` and ``code``, and no view ran."""
        assert response.status_code == status, response.get_data(as_text=True)
        assert json_body(response)["code"] == code
        assert self.calls == []


# -- the accepted token -----------------------------------------------------------------


def test_an_rfc_9068_token_reaches_the_view_and_init_app_fetches_nothing() -> None:
    with running_idp("k1") as idp:
        server = Server(idp)
        assert idp.hits == 0  # no network at init_app: the first token fetches
        token = idp.token("k1")
        response = server.get("/orders", token)
        assert response.status_code == 200, response.get_data(as_text=True)
        jti = json.loads(_b64decode(token.split(".")[1]))["jti"]
        assert json_body(response) == {"sub": "user-42", "kind": "auth", "jti": jti}
        for _ in range(5):
            assert server.get("/orders", idp.token("k1")).status_code == 200
        assert idp.hits == 1  # cached: one fetch for every request
        with server.app.app_context():
            assert server.manager.jwks() == {"keys": []}  # nothing of its own to publish
            with pytest.raises(MissingSignerError):
                server.manager.auth_token("alice")


@pytest.mark.parametrize(
    ("claims", "drop", "status"),
    [
        ({"scope": "profile orders:read"}, (), 200),
        ({"scp": ["orders:read", "profile"]}, ("scope",), 200),  # Okta: a list
        ({"scp": "profile orders:read"}, ("scope",), 200),  # Entra ID: a string
        ({"scope": "profile"}, (), 403),
        ({"scp": ["profile"]}, ("scope",), 403),
        ({}, ("scope",), 403),
        # scope wins over scp when both are there (RFC 9068 names scope)
        ({"scope": "profile", "scp": ["orders:read"]}, (), 403),
    ],
)
def test_scope_as_a_string_or_an_scp_list(
    claims: dict[str, object], drop: tuple[str, ...], status: int
) -> None:
    with running_idp("k1") as idp:
        server = Server(idp)
        response = server.get("/orders", idp.token("k1", drop=drop, claims=claims))
        assert response.status_code == status
        if status == 403:
            server.refused(response, 403, "insufficient_scope")


def test_jwks_url_and_a_custom_verifier_do_not_mix() -> None:
    app = Flask("both")
    configure(app, {"JWT_ISSUER": ISSUER, "JWT_AUTHTYPE": "RS256", "JWT_AUDIENCE": AUDIENCE,
                    "JWT_JWKS_URL": "https://idp.test/jwks"})  # fmt: skip
    with pytest.raises(InvalidConfigError, match="JWT_JWKS_URL: is set together with a custom"):
        AuthManager(app, verifier=KeyVerifier("HS256", "k" * 32))


def test_a_list_scope_requirement_against_both_forms() -> None:
    with running_idp("k1") as idp:
        server = Server(idp)
        both = "orders:read orders:admin"
        assert server.get("/admin", idp.token("k1", scope=both)).status_code == 200
        scp = idp.token("k1", drop=("scope",), scp=["orders:admin", "orders:read"])
        assert server.get("/admin", scp).status_code == 200
        server.calls.clear()
        server.refused(server.get("/admin", idp.token("k1")), 403, "insufficient_scope")


@pytest.mark.parametrize(
    ("typ", "accepted", "accepted_strict"),
    [
        ("at+jwt", True, True),
        ("application/at+jwt", True, True),
        ("AT+JWT", True, True),
        ("JWT", True, False),
        (None, True, False),
        ("refresh+jwt", False, False),
        ("id_token+jwt", False, False),
        ("dpop+jwt", False, False),
    ],
)
def test_typ_at_jwt_and_plain_jwt(typ: str | None, accepted: bool, accepted_strict: bool) -> None:
    with running_idp("k1") as idp:
        token = idp.token("k1", header={"typ": typ})
        lenient, strict = Server(idp), Server(idp, JWT_REQUIRE_AT_JWT=True)
        for server, ok in ((lenient, accepted), (strict, accepted_strict)):
            response = server.get("/orders", token)
            if ok:
                assert response.status_code == 200
            else:
                server.refused(response, 401, "token_type_invalid")


def test_no_type_claim_jti_optional_and_never_a_refresh_token() -> None:
    with running_idp("k1") as idp:
        server = Server(idp)
        no_jti = server.get("/orders", idp.token("k1", drop=("jti",)))
        assert json_body(no_jti) == {"sub": "user-42", "kind": "auth", "jti": ""}
        # A "type" claim means nothing here: an IdP token is an auth token.
        assert server.get("/orders", idp.token("k1", type="refresh")).status_code == 200
        server.calls.clear()
        response = server.client.post("/refresh", headers=bearer(idp.token("k1")))
        server.refused(response, 401, "token_type_invalid")


@pytest.mark.parametrize(
    ("claims", "drop", "code"),
    [
        ({"aud": "billing-api"}, (), "claim_invalid"),
        ({"aud": ["billing-api", "search-api"]}, (), "claim_invalid"),
        ({}, ("aud",), "claim_invalid"),
        ({"iss": "https://idp.test/realms/other"}, (), "claim_invalid"),
        ({"iss": ISSUER + "/"}, (), "claim_invalid"),
        ({}, ("sub",), "claim_invalid"),
        ({}, ("iat",), "claim_invalid"),
        ({"jti": ""}, (), "claim_invalid"),
        ({"exp": 1_000_000}, (), "token_expired"),
        ({"nbf": 4_000_000_000}, (), "token_not_yet_valid"),
    ],
)
def test_wrong_audience_issuer_and_registered_claims(
    claims: dict[str, object], drop: tuple[str, ...], code: str
) -> None:
    with running_idp("k1") as idp:
        server = Server(idp)
        server.refused(server.get("/orders", idp.token("k1", drop=drop, claims=claims)), 401, code)


def test_an_audience_list_accepts_any_of_its_audiences() -> None:
    with running_idp("k1") as idp:
        server = Server(idp, JWT_AUDIENCE=["orders-api", "https://api.shop.test"])
        for aud in ("orders-api", "https://api.shop.test", ["other", "https://api.shop.test"]):
            assert server.get("/orders", idp.token("k1", aud=aud)).status_code == 200
        server.calls.clear()
        server.refused(server.get("/orders", idp.token("k1", aud="other")), 401, "claim_invalid")


# -- keys: selection by kid, rotation, removal ------------------------------------------


def test_a_known_kid_signed_by_another_key_is_refused() -> None:
    with running_idp("k1") as idp:
        idp.add_key("attacker", publish=False)
        server = Server(idp)
        forged = idp.token("k1", signed_by="attacker")
        server.refused(server.get("/orders", forged), 401, "signature_invalid")
        assert idp.hits == 1


def test_the_algorithm_comes_from_the_configuration_not_the_token() -> None:
    with running_idp("k1") as idp:
        server = Server(idp)
        public_pem = idp.keys["k1"].as_pem(private=False)
        # The classic confusion: HS256 with the RSA public key as the secret.
        header = b64url(json.dumps({"alg": "HS256", "kid": "k1", "typ": "at+jwt"}).encode())
        payload = idp.token("k1").split(".")[1]
        signing_input = f"{header}.{payload}"
        mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
        confused = f"{signing_input}.{b64url(mac)}"
        server.refused(server.get("/orders", confused), 401, "algorithm_not_allowed")
        ec = idp.add_key("ec1", "EC")
        del ec
        es256 = idp.token("ec1")  # published, but JWT_AUTHTYPE is RS256 only
        server.refused(server.get("/orders", es256), 401, "algorithm_not_allowed")


def test_several_algorithms_bind_each_key_to_its_own() -> None:
    with running_idp("rsa") as idp:
        idp.add_key("ec", "EC")
        server = Server(idp, JWT_AUTHTYPE=["RS256", "ES256"])
        assert server.get("/orders", idp.token("rsa")).status_code == 200
        assert server.get("/orders", idp.token("ec")).status_code == 200
        server.calls.clear()
        # An ES256 signature under the RSA key's kid: that key is RS256's only.
        crossed = idp.token("rsa", signed_by="ec", header={"alg": "ES256"})
        server.refused(server.get("/orders", crossed), 401, "algorithm_not_allowed")


def test_rotation_at_the_idp_is_picked_up_at_once() -> None:
    with running_idp("k1") as idp:
        server = Server(idp)
        assert server.get("/orders", idp.token("k1")).status_code == 200
        assert idp.hits == 1
        idp.add_key("k2")  # the IdP rotates: new tokens name k2
        assert server.get("/orders", idp.token("k2")).status_code == 200
        assert idp.hits == 2  # the first unknown kid after a fetch refetches at once
        assert server.get("/orders", idp.token("k1")).status_code == 200  # old tokens too
        assert idp.hits == 2


@pytest.mark.slow
def test_a_removed_key_stops_working_when_the_cache_expires() -> None:
    # The one test of the key cache on real time (the default clock, time.monotonic);
    # the others move the manager's clock.
    with running_idp("k1", "k2") as idp:
        idp.cache_control = "max-age=1"
        server = Server(idp, JWT_JWKS_MIN_REFRESH=1)
        old = idp.token("k1")
        assert server.get("/orders", old).status_code == 200
        idp.remove_key("k1")
        assert server.get("/orders", old).status_code == 200  # cached for max-age
        time.sleep(1.1)
        server.calls.clear()
        server.refused(server.get("/orders", old), 401, "unknown_key")
        assert idp.hits >= 2
        assert server.get("/orders", idp.token("k2")).status_code == 200


def test_cache_control_is_honoured_within_the_bounds() -> None:
    def lifetime(header: str | None) -> float:
        return cache_lifetime(header, min_refresh=60, max_cache=3600)

    assert lifetime("public, max-age=600") == 600
    assert lifetime('max-age="900", must-revalidate') == 900
    assert lifetime("max-age=5") == 60  # never more often than the minimum
    assert lifetime("max-age=31536000") == 3600  # never longer than the maximum
    assert lifetime("no-store") == lifetime("no-cache, max-age=600") == 60
    assert lifetime(None) == lifetime("public") == lifetime("max-age=abc") == 60
    assert lifetime("max-age=600, max-age=700") == 60  # RFC 9111 4.2.1: invalid


# -- the provider down, slow or hostile -------------------------------------------------


def test_server_down_keeps_the_last_good_keys(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    with running_idp("k1", clock=clock) as idp:
        idp.cache_control = "max-age=1"
        server = Server(idp, clock=clock, JWT_JWKS_MIN_REFRESH=1)
        token = idp.token("k1")
        assert server.get("/orders", token).status_code == 200
        idp.stop()
        clock.now += 1  # expired: the refresh fails
        with caplog.at_level(logging.WARNING, logger="flask_pyjwt.jwks"):
            assert server.get("/orders", token).status_code == 200
            server.calls.clear()
            unknown = idp.token("k1", header={"kid": "k9"})
            server.refused(server.get("/orders", unknown), 401, "unknown_key")  # not a 503
        messages = [record.getMessage() for record in caplog.records]
        assert any("failed" in m and "keeping the 1 keys fetched before" in m for m in messages)
        idp.start()  # back up, same port
        clock.now += 1
        assert server.get("/orders", token).status_code == 200
        assert idp.hits == 2


def test_the_first_fetch_failing_is_a_503_and_the_idp_is_not_hammered() -> None:
    clock = Clock()
    with running_idp("k1", clock=clock) as idp:
        idp.status = 500
        server = Server(idp, clock=clock, JWT_JWKS_MIN_REFRESH=1)
        token = idp.token("k1")
        for _ in range(5):
            response = server.get("/orders", token)
            assert response.status_code == 503
            assert response.headers["Retry-After"] == "1"
            assert "WWW-Authenticate" not in response.headers
            assert json_body(response) == {
                "status": 503,
                "error": "temporarily_unavailable",
                "code": "keys_unavailable",
                "message": "The identity provider's signing keys could not be fetched; "
                "try again later.",
            }
        assert server.calls == []
        assert idp.hits == 1  # one try, then the back-off
        idp.status = 200
        clock.now += 1
        assert server.get("/orders", token).status_code == 200
        assert idp.hits == 2


def test_a_refused_connection_on_the_first_fetch_is_a_503() -> None:
    idp = IdentityProvider()
    idp.add_key("k1")
    idp.start()
    server = Server(idp)
    idp.stop()
    response = server.get("/orders", idp.token("k1"))
    server.refused(response, 503, "keys_unavailable")
    assert int(response.headers["Retry-After"]) >= 1


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b'{"keys": [], "keys": []}',  # duplicate member
        b'{"keys": {}}',
        b"[]",
        b'{"keys": []}',  # no usable key
        b'{"keys": [' + b'{"kty": "RSA"},' * 100 + b'{"kty": "RSA"}]}',  # too many
        b'{"keys": ["' + b"a" * MAX_JWKS_BYTES + b'"]}',  # too large
        b"\xff\xfe{}",
    ],
    ids=["text", "duplicate", "keys object", "array", "empty", "101 keys", "too large", "bom"],
)
def test_hostile_documents_are_failed_fetches_never_a_500(body: bytes) -> None:
    with running_idp("k1") as idp:
        idp.body = body
        server = Server(idp)
        server.refused(server.get("/orders", idp.token("k1")), 503, "keys_unavailable")


def test_a_redirect_is_not_followed() -> None:
    with running_idp("k1") as idp, running_idp("k1") as elsewhere:
        idp.redirect_to = elsewhere.url
        server = Server(idp)
        server.refused(server.get("/orders", idp.token("k1")), 503, "keys_unavailable")
        assert elsewhere.hits == 0


@pytest.mark.slow
def test_a_slow_idp_is_abandoned_after_the_timeout() -> None:
    with running_idp("k1") as idp:
        idp.delay = 3
        server = Server(idp, JWT_JWKS_TIMEOUT=1)
        started = time.monotonic()
        server.refused(server.get("/orders", idp.token("k1")), 503, "keys_unavailable")
        assert time.monotonic() - started < 2.5


def test_unusable_keys_are_skipped_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    with running_idp("good") as idp:
        secret_d = "c2VjcmV0LXByaXZhdGUtbWVtYmVy"
        weak_private = load_private_key("rsa-1024-0")  # too short, on purpose
        assert isinstance(weak_private, rsa.RSAPrivateKey)
        weak = weak_private.public_key()
        good = public_jwk(idp.keys["good"])
        hostile: list[object] = [
            {**good, "kid": "enc", "use": "enc"},
            {**good, "kid": "oaep", "alg": "RSA-OAEP"},
            {"kty": "oct", "kid": "hmac", "k": secret_d},
            {**good, "kid": "private", "d": secret_d},
            {
                "kty": "RSA",
                "kid": "weak",
                "alg": "RS256",
                "e": "AQAB",
                "n": b64url(weak.public_numbers().n.to_bytes(128, "big")),
            },
            {**good, "kid": "padded", "e": "AQAB="},
            {**good, "kid": "leading-zero", "n": "AA" + str(good["n"])},
            {"kty": "EC", "kid": "k1\n2026-01-01 forged log line", "crv": "P-256"},
            {"kty": "OKP", "kid": "x25519", "crv": "X25519", "x": "A" * 43},
            {"kid": "no-kty"},
            {**good, "kid": "twin"},
            {**good, "kid": "twin"},
            {**good, "kid": 7},
            good,
        ]
        idp.body = json.dumps({"keys": hostile}).encode()
        server = Server(idp)
        with caplog.at_level(logging.INFO, logger="flask_pyjwt.jwks"):
            assert server.get("/orders", idp.token("good")).status_code == 200
        server.calls.clear()
        for kid in ("enc", "oaep", "hmac", "private", "padded", "twin", "weak"):
            forged = idp.token("good", header={"kid": kid})
            server.refused(server.get("/orders", forged), 401, "unknown_key")
        text = "\n".join(record.getMessage() for record in caplog.records)
        # Logged at each fetch (the first, and the refetch the first unknown kid made).
        skipped = {r.getMessage() for r in caplog.records if "skipped" in r.getMessage()}
        assert len(skipped) == 12, text
        assert secret_d not in text
        assert "forged log line" in text
        assert "\n2026" not in text
        assert "1 keys ('good')" in text


def test_key_set_parsing_never_crashes_on_random_members() -> None:
    # A direct check of the parser on members of every JSON type.
    values: list[object] = [None, True, 1, -1, 1.5, "", "x", [], {}, ["sig"], {"a": 1}]
    members = ("kty", "kid", "use", "alg", "key_ops", "n", "e", "crv", "x", "y", "x5c")
    base = public_jwk(rsa_key("ok"))
    for member in members:
        for value in values:
            document = {"keys": [{**base, member: value}, base | {"kid": "second"}]}
            keys, _ = parse_key_set(json.dumps(document).encode(), (AuthType.RS256,))
            assert "second" in keys.key_ids


# -- many threads: no stampede, and a flood of unknown kids -----------------------------


def _requester(server: Server, token: str) -> Callable[[int], int]:
    def request(index: int) -> int:
        del index
        return server.app.test_client().get("/orders", headers=bearer(token)).status_code

    return request


@pytest.mark.slow  # a provider that really takes 0.3 s, and threads racing for it
def test_concurrent_first_requests_fetch_once() -> None:
    with running_idp("k1") as idp:
        idp.delay = 0.3  # a slow IdP: every thread arrives while the fetch is under way
        server = Server(idp)
        token = idp.token("k1")
        statuses = concurrently(16, _requester(server, token))
        assert statuses == [200] * 16
        assert idp.hits == 1


@pytest.mark.slow  # a provider that really takes 0.3 s, and threads racing for it
def test_concurrent_requests_for_a_new_kid_wait_for_one_refetch() -> None:
    with running_idp("k1") as idp:
        server = Server(idp)
        assert server.get("/orders", idp.token("k1")).status_code == 200
        idp.add_key("k2")
        idp.delay = 0.3
        token = idp.token("k2")
        statuses = concurrently(16, _requester(server, token))
        assert statuses == [200] * 16  # none refused while the refetch was under way
        assert idp.hits == 2


FLOOD_THREADS = 8
FLOOD_REQUESTS = 50  # per thread


@pytest.mark.slow  # a provider that really takes 0.3 s, and threads racing for it
def test_a_flood_of_unknown_kids_is_not_a_flood_of_fetches(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with running_idp("k1") as idp:
        server = Server(idp)  # JWT_JWKS_MIN_REFRESH: the default 60 s
        assert server.get("/orders", idp.token("k1")).status_code == 200
        attacker = "attacker"
        idp.add_key(attacker, publish=False)
        after_first = idp.hits

        def flood(index: int) -> Counter[str]:
            client = server.app.test_client()
            codes: Counter[str] = Counter()
            for _ in range(FLOOD_REQUESTS):
                kid = f"made-up-{index}-{secrets.token_hex(4)}"
                token = idp.token(attacker, header={"kid": kid})
                codes[str(json_body(client.get("/orders", headers=bearer(token)))["code"])] += 1
            return codes

        started = time.monotonic()
        results = concurrently(FLOOD_THREADS, flood)
        elapsed = time.monotonic() - started
        total: Counter[str] = Counter()
        for result in results:
            total.update(result)
        requests = FLOOD_THREADS * FLOOD_REQUESTS
        assert total == {"unknown_key": requests}
        assert server.calls == ["user-42"]  # only the first, valid request ran the view
        fetches = idp.hits - after_first
        assert fetches == 1  # the first unknown kid refetched; the rest within 60 s did not
        with capsys.disabled():
            print(
                f"\n[jwks flood] {requests} requests with made-up kids from {FLOOD_THREADS} "
                f"threads in {elapsed:.2f}s: JWKS fetches {idp.hits} in all (1 first fetch, "
                f"{fetches} refetch for unknown kids)"
            )


def test_unknown_kid_refetch_is_limited_per_interval_by_the_clock() -> None:
    """The rate limit in the key source itself, with a clock the test moves."""
    now = [1000.0]
    fetched: list[str] = []
    key = rsa_key("k1")
    document = json.dumps({"keys": [public_jwk(key)]}).encode()

    def fetch(url: str, timeout: float) -> tuple[bytes, str | None]:
        fetched.append(url)
        return document, "max-age=600"

    source = CachedKeySet(
        "https://idp.test/jwks", (AuthType.RS256,), timeout=1, min_refresh=60,
        max_cache=3600, clock=lambda: now[0], fetcher=fetch,
    )  # fmt: skip
    token = jwt.encode({"alg": "RS256", "kid": "k1"}, {"sub": "a"}, key)
    header_b64, payload_b64, signature_b64 = token.split(".")
    signature = _b64decode(signature_b64)
    signing_input = f"{header_b64}.{payload_b64}".encode()

    def verify(kid: str) -> None:
        header = JWSHeader(alg="RS256", kid=kid, typ=None, fields={})
        source.verify(header, signing_input, signature)

    verify("k1")
    assert len(fetched) == 1  # the first fetch
    for kid in ("x1", "x2", "x3"):
        with pytest.raises(Exception, match="key id"):
            verify(kid)
    assert len(fetched) == 2  # x1 refetched at once; x2, x3 within the interval did not
    now[0] += 59
    with pytest.raises(Exception, match="key id"):
        verify("x4")
    assert len(fetched) == 2
    now[0] += 1  # 60 s after the unknown-kid fetch
    with pytest.raises(Exception, match="key id"):
        verify("x5")
    assert len(fetched) == 3
    now[0] += 600  # expired: a refresh, which does not start the unknown-kid interval
    verify("k1")
    assert len(fetched) == 4
    with pytest.raises(Exception, match="key id"):
        verify("x6")
    assert len(fetched) == 5


def test_first_fetch_failure_through_the_key_source() -> None:
    now = [0.0]

    def fail(url: str, timeout: float) -> tuple[bytes, str | None]:
        raise FetchError("cannot connect")

    source = CachedKeySet(
        "https://idp.test/jwks", (AuthType.RS256,), timeout=1, min_refresh=60,
        max_cache=3600, clock=lambda: now[0], fetcher=fail,
    )  # fmt: skip
    header = JWSHeader(alg="RS256", kid="k1", typ=None, fields={})
    with pytest.raises(KeysUnavailableError) as raised:
        source.verify(header, b"x", b"y")
    assert raised.value.retry_after == 5
    now[0] += 2
    with pytest.raises(KeysUnavailableError) as again:
        source.verify(header, b"x", b"y")
    assert again.value.retry_after == 3
    assert "idp.test" in repr(source)
    assert source.url == "https://idp.test/jwks"


def _b64decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
