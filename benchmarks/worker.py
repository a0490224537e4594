"""One benchmark worker: builds the scenarios of ONE implementation, then runs timed batches.

Run as ``python worker.py IMPLEMENTATION``, in the virtual environment that has that
implementation installed (two of them import as ``flask_pyjwt``). Protocol, one JSON object
per line:

* on start the worker prints ``{"ready": true, "scenarios": [...], "versions": {...}}``;
* it then reads ``{"id": SCENARIO, "iters": N}`` and answers ``{"id": ..., "ns": TOTAL}``,
  the wall time of N back-to-back calls measured with ``time.perf_counter_ns``;
* an empty line or end of input stops it.

Every scenario is checked once at set-up (an issued token verifies, a tampered one is
rejected, a protected request answers 200, every token of a cold pool verifies), so no
error path is ever timed by mistake.

Warm and cold: ``verify`` and ``request`` present the same token on every call (what a
client does during a token's life); ``verify_cold`` and ``request_cold`` a different
token on every call, cycling through a pool of :data:`COLD_POOL` distinct valid tokens,
four times this library's default verified-token cache, and one pool per scenario, so
that no cold scenario warms the cache for another.
Only the standard library is imported at the top: each implementation imports its own
dependencies.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hmac
import itertools
import json
import os
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

ALGORITHMS = ("HS256", "RS256", "ES256", "EdDSA")
ISSUER = "bench-issuer"
SECRET = "bench-hmac-secret-" + "k" * 46  # 64 bytes: long enough for every HS algorithm
SUB = "alice"
SCOPE = {"admin": True}
KEY_COUNTS = (1, 100)
TOKEN_SIZES = (512, 1024, 2048, 4096, 8192)  # 8192 = the default JWT_MAX_TOKEN_LENGTH
CLAIM_COUNTS = (0, 1, 10, 50, 100)
# Distinct tokens per cold scenario: four times the default cache (2048), and more than
# the admission filter remembers (at most 2 x 2048), so no pool token is ever admitted.
# The smoke run (run.py --smoke) sets a small pool: it checks that scenarios run.
COLD_POOL = int(os.environ.get("FLASK_PYJWT_BENCH_POOL", "8192"))
# run.py --focus: only this library's HS256 and RS256 scenarios (what the floor targets
# compare), for quick comparisons of code variants; no scale, revocation or cache-off sets.
FOCUS = os.environ.get("FLASK_PYJWT_BENCH_FOCUS") == "1"
FOCUS_ALGORITHMS = ("HS256", "RS256")


@dataclass
class Scenario:
    """A zero-argument operation, run inside ``context`` (an app context, usually)."""

    call: Callable[[], object]
    context: Callable[[], contextlib.AbstractContextManager[object]] = contextlib.nullcontext
    check: Callable[[], None] | None = None


@dataclass
class Suite:
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    packages: tuple[str, ...] = ()


# --------------------------------------------------------------------------- keys


@dataclass(frozen=True)
class Keys:
    private: Any
    private_pem: bytes
    public: Any
    public_pem: bytes


_KEYS: dict[str, Keys] = {}


def keys_for(algorithm: str) -> Keys:
    """A key pair for an asymmetric algorithm, generated once per worker."""
    if algorithm not in _KEYS:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

        private: Any
        if algorithm.startswith("RS"):
            private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        elif algorithm == "ES256":
            private = ec.generate_private_key(ec.SECP256R1())
        else:
            private = ed25519.Ed25519PrivateKey.generate()
        private_pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        public = private.public_key()
        public_pem = public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        _KEYS[algorithm] = Keys(private, private_pem, public, public_pem)
    return _KEYS[algorithm]


def tamper(token: str) -> str:
    """The same token with one payload character changed (still valid base64url)."""
    header, payload, signature = token.split(".")
    index = len(payload) // 2
    replacement = "A" if payload[index] != "A" else "B"
    payload = payload[:index] + replacement + payload[index + 1 :]
    return f"{header}.{payload}.{signature}"


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(f"benchmark set-up check failed: {what}")


def cycling(pool: list[Any]) -> Callable[[], Any]:
    """A zero-argument callable returning the pool's items in turn, forever (C-level)."""
    return functools.partial(next, itertools.cycle(pool))


def resigned_pool(token: str, key: Any, algorithm: str, count: int = COLD_POOL) -> list[str]:
    """``count`` distinct valid tokens like ``token``: its header and claims, ``exp`` moved
    on by one second per token, signed with PyJWT and the key object (no PEM parsing).

    For the peers, whose own issuing re-parses a PEM per token (about 40 ms for RSA).
    """
    import jwt

    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, options={"verify_signature": False})
    extra = {name: value for name, value in header.items() if name not in ("alg", "typ")}
    pool = []
    for index in range(count):
        payload = {**claims, "exp": claims["exp"] + index + 1}
        pool.append(
            jwt.encode(payload, key, algorithm=algorithm, headers={"typ": header["typ"], **extra})
        )
    return pool


def add_cold_verify(suite: Suite, prefix: str, verify: Callable[[str], object], pool: list[str],
                    context: Any = contextlib.nullcontext) -> None:  # fmt: skip
    """``verify_cold``: ``verify`` on the next token of ``pool``; every one checked first."""
    expect(len(set(pool)) == len(pool) >= COLD_POOL, f"{prefix}: a pool of distinct tokens")
    with context():
        for token in pool:
            verify(token)
    following = cycling(pool)
    suite.scenarios[f"{prefix}/verify_cold"] = Scenario(lambda: verify(following()), context)


def add_request_scenarios(
    suite: Suite, prefix: str, client: Any, token: str, pool: list[str] | None = None
) -> None:
    """``request`` (protected route with the token), ``request_cold`` (with the next token
    of ``pool``) and ``open`` (same app, no auth)."""
    headers = {"Authorization": f"Bearer {token}"}
    if pool is not None:
        expect(len(set(pool)) == len(pool) >= COLD_POOL, f"{prefix}: a pool of distinct tokens")
        every = [{"Authorization": f"Bearer {each}"} for each in pool]
        for each in every:
            response = client.get("/protected", headers=each)
            expect(response.status_code == 200, f"{prefix}: every cold token answered 200")
        following = cycling(every)
        suite.scenarios[f"{prefix}/request_cold"] = Scenario(
            lambda: client.get("/protected", headers=following())
        )

    def protected() -> object:
        return client.get("/protected", headers=headers)

    def open_route() -> object:
        return client.get("/open")

    def check() -> None:
        response = client.get("/protected", headers=headers)
        expect(response.status_code == 200, f"{prefix}: protected route answered 200")
        expect(response.get_json() == {"sub": SUB}, f"{prefix}: protected route body")
        unauthenticated = client.get("/protected")
        expect(unauthenticated.status_code in (401, 422), f"{prefix}: no token is refused")
        expect(client.get("/open").status_code == 200, f"{prefix}: open route answered 200")

    suite.scenarios[f"{prefix}/request"] = Scenario(protected, check=check)
    suite.scenarios[f"{prefix}/open"] = Scenario(open_route)


def new_app(name: str) -> Any:
    from flask import Flask

    app = Flask(name)

    @app.get("/open")
    def open_route() -> dict[str, str]:
        return {"sub": SUB}

    return app


# --------------------------------------------------------------------------- this library


def self_app(
    algorithm: str, name: str, config: dict[str, Any] | None = None, **kwargs: Any
) -> tuple[Any, Any]:
    """An app of this library with ``/open`` and ``/protected``, and its manager."""
    from flask_pyjwt import AuthManager, current_token, require_token

    app = new_app(name)
    app.config.update(config or {})
    app.config["JWT_ISSUER"] = ISSUER
    app.config["JWT_AUTHTYPE"] = algorithm
    if algorithm.startswith("HS"):
        app.config["JWT_SECRET"] = SECRET
    else:
        pair = keys_for(algorithm)
        app.config["JWT_SECRET"] = pair.private_pem
        app.config["JWT_PUBLICKEY"] = pair.public_pem
    manager = AuthManager(app, **kwargs)

    @app.get("/protected")
    @require_token()
    def protected() -> dict[str, str]:
        return {"sub": current_token.sub}

    return app, manager


def build_self(suite: Suite) -> None:
    from flask import Flask

    import flask_pyjwt
    from flask_pyjwt import (
        AuthManager,
        InvalidTokenError,
        KeySetVerifier,
        KeySigner,
        KeyVerifier,
        current_token,
        require_token,
    )

    suite.packages = ("flask_pyjwt", "Flask", "PyJWT", "cryptography")
    expect(hasattr(flask_pyjwt, "KeySetVerifier"), "this library (not 1.0.0) is installed")

    make = self_app

    def add_codec(prefix: str, app: Flask, manager: AuthManager, token: str) -> None:
        def verify() -> object:
            return manager.convert_token(token, "auth")

        def reject() -> object:
            try:
                manager.convert_token(bad, "auth")
            except InvalidTokenError as error:
                return error
            raise AssertionError("tampered token accepted")

        bad = tamper(token)
        with app.app_context():
            expect(verify().sub == SUB, f"{prefix}: verify")  # type: ignore[attr-defined]
            reject()
        suite.scenarios[f"{prefix}/verify"] = Scenario(verify, app.app_context)
        suite.scenarios[f"{prefix}/tampered"] = Scenario(reject, app.app_context)

    def add_algorithm(prefix: str, algorithm: str, config: dict[str, Any] | None = None) -> None:
        app, manager = make(algorithm, f"self_{prefix}", config)

        def issue(manager: AuthManager = manager) -> object:
            return manager.auth_token(SUB, SCOPE).signed

        def convert(token: str, manager: AuthManager = manager) -> object:
            return manager.convert_token(token, "auth")

        with app.app_context():
            token = manager.auth_token(SUB, SCOPE).signed
            expect(manager.verify_token(issue()), f"{prefix}: issued token verifies")  # type: ignore[arg-type]
            pools = [[str(issue()) for _ in range(COLD_POOL)] for _ in range(2)]
        suite.scenarios[f"{prefix}/issue"] = Scenario(issue, app.app_context)
        add_codec(prefix, app, manager, token)
        add_cold_verify(suite, prefix, convert, pools[0], app.app_context)
        add_request_scenarios(suite, prefix, app.test_client(), token, pools[1])

    for algorithm in ALGORITHMS:
        if FOCUS and algorithm not in FOCUS_ALGORITHMS:
            continue
        add_algorithm(algorithm, algorithm)
    add_speedup_scenarios(suite)
    if FOCUS:
        return
    # The same HS256 scenarios with the verified-token cache off: what it costs a cold
    # token (nothing, if admission works) and what it saves a warm one.
    add_algorithm("nocache/HS256", "HS256", {"JWT_VERIFY_CACHE_SIZE": 0})
    del suite.scenarios["nocache/HS256/issue"], suite.scenarios["nocache/HS256/tampered"]

    # Scale: cold tokens (a warm one would be a cache hit, whatever its size or key).
    # 1 vs 100 keys told apart by kid.
    for count in KEY_COUNTS:
        secrets = [f"{SECRET}-{index:04d}" for index in range(count)]
        verifier = KeySetVerifier(
            KeyVerifier("HS256", secret, key_id=f"k{index:04d}")
            for index, secret in enumerate(secrets)
        )
        chosen = count // 2
        signer = KeySigner("HS256", secrets[chosen], key_id=f"k{chosen:04d}")
        app, manager = make("HS256", f"self_keys_{count}", signer=signer, verifier=verifier)
        with app.app_context():
            pool = [manager.auth_token(SUB, SCOPE).signed for _ in range(COLD_POOL)]

        def convert(token: str, manager: AuthManager = manager) -> object:
            return manager.convert_token(token, "auth")

        add_cold_verify(suite, f"scale/keys/{count}", convert, pool, app.app_context)

    # Scale: token size up to the size limit.
    app, manager = make("HS256", "self_sizes")
    with app.app_context():
        for size in TOKEN_SIZES:
            padding = max(0, (size - len(manager.auth_token(SUB, SCOPE).signed)) * 3 // 4)
            while True:
                try:
                    token = manager.auth_token(SUB, SCOPE, pad="x" * padding).signed
                except ValueError:  # longer than JWT_MAX_TOKEN_LENGTH: not issued at all
                    token = None
                if token is not None and len(token) <= size:
                    break
                padding -= 1
            pool = [
                manager.auth_token(SUB, SCOPE, pad="x" * padding).signed for _ in range(COLD_POOL)
            ]

            def convert(token: str, manager: AuthManager = manager) -> object:
                return manager.convert_token(token, "auth")

            add_cold_verify(suite, f"scale/size/{size}", convert, pool, app.app_context)

    # Scale: number of required claims in require_token (full request).
    app, manager = make("HS256", "self_claims")
    requirements = {
        count: {f"c{index:03d}": f"v{index}" for index in range(count)} for count in CLAIM_COUNTS
    }
    for count, required in requirements.items():

        def view() -> dict[str, str]:
            return {"sub": current_token.sub}

        view.__name__ = f"claims_{count}"
        app.add_url_rule(f"/claims/{count}", view_func=require_token(**required)(view))
    client = app.test_client()
    for count, required in requirements.items():
        path = f"/claims/{count}"
        with app.app_context():
            token = manager.auth_token(SUB, SCOPE, **required).signed
            partial = manager.auth_token(SUB, SCOPE, **dict(list(required.items())[:-1])).signed
        headers = {"Authorization": f"Bearer {token}"}
        response = client.get(path, headers=headers)
        expect(response.status_code == 200, f"claims {count}: request answered 200")
        if count:
            refused = client.get(path, headers={"Authorization": f"Bearer {partial}"})
            expect(refused.status_code == 403, f"claims {count}: a missing claim is refused")

        def request_claims(path: str = path, headers: Any = headers) -> object:
            return client.get(path, headers=headers)

        suite.scenarios[f"scale/claims/{count}/request"] = Scenario(request_claims)
    suite.scenarios["scale/claims/open"] = Scenario(lambda: client.get("/open"))


def add_speedup_scenarios(suite: Suite) -> None:
    """``speedups/<name>/fast`` and ``/plain``: each speed-up of ``_core/speedups.py``
    and the plain code it replaces, on what one HS256 auth token needs (run.py times the
    two back to back). Both are checked to give the same result first."""
    import hmac as hmac_module

    from flask_pyjwt import AuthToken

    try:
        from flask_pyjwt._core import speedups
    except ImportError:  # a --variant from before the speed-ups had their module
        return
    from flask_pyjwt._core.issuing import write_header
    from flask_pyjwt._core.strict_json import ENCODER, freeze_object

    key = SECRET.encode()
    digest = speedups.prepared_hmac(key, "sha256")
    claims = freeze_object({**registered_claims(), "scope": SCOPE})
    rest = freeze_object({"scope": SCOPE})
    signing_input = f"eyJhbGciOiJIUzI1NiJ9.{b64url(ENCODER.encode(claims).encode())}".encode()
    fields: dict[str, Any] = {
        "sub": SUB, "iss": ISSUER, "iat": claims["iat"], "exp": claims["exp"],
        "jti": claims["jti"], "aud": None, "signed": signing_input.decode() + ".sig",
        "alg": "HS256", "header": freeze_object({"alg": "HS256"}), "claims": claims,
    }  # fmt: skip
    # The rest by name: a variant's token may have fewer fields (no provider before 2.0's
    # identity providers).
    rest_fields = {"sid": None, "legacy": False, "provider": "self", "scope": claims["scope"],
                   "fresh_until": None}  # fmt: skip
    every = {**fields, **rest_fields}
    segments = speedups.HeaderSegments(write_header)
    pairs: dict[str, tuple[Callable[[], object], Callable[[], object]]] = {
        "hmac": (
            lambda: digest(signing_input),
            lambda: hmac_module.digest(key, signing_input, "sha256"),
        ),
        "claims": (
            lambda: speedups.write_claims(
                ISSUER, SUB, claims["iat"], claims["exp"], claims["jti"], "auth", rest
            ),
            lambda: ENCODER.encode(claims),
        ),
        "header": (
            lambda: segments.get("at+jwt", "HS256", "k1"),
            lambda: write_header("at+jwt", "HS256", "k1"),
        ),
    }
    if hasattr(speedups, "dict_builder"):  # a --variant from before it has no "token" pair
        build_auth = speedups.dict_builder(AuthToken)
        pairs["token"] = (lambda: build_auth(dict(every)), lambda: AuthToken(**every))
    for name, (fast, plain) in pairs.items():
        expect(fast() == plain(), f"speedups/{name}: the same result")
        suite.scenarios[f"speedups/{name}/fast"] = Scenario(fast)
        suite.scenarios[f"speedups/{name}/plain"] = Scenario(plain)


def build_self_stores(suite: Suite) -> None:
    """This library's revocation scenarios, in a worker of their own (run.py reports
    them with ``flask_pyjwt``'s): the Redis store's local cache keeps a listener thread
    and a heartbeat running, which would otherwise share the process, and the GIL, with
    every scenario compared with the floors."""
    suite.packages = ("flask_pyjwt", "Flask", "redis")
    add_revocation_scenarios(suite, self_app, requests=not FOCUS)


def add_revocation_scenarios(
    suite: Suite, make: Callable[..., tuple[Any, Any]], *, requests: bool = True
) -> None:
    """The revocation check, per store: in-process, and on a protected request.

    ``revocation/<store>/verify`` is ``verify_token`` of a warm token in an app context:
    run back to back for every store (run.py), it gives the Redis store's in-process
    ratio to the memory store's. ``revocation/<store>/request`` checks the store,
    ``revocation/<store>/baseline`` is the same route with ``check_revocation=False`` on
    the same app: their difference is what the check costs a request (not built with
    ``requests=False``, as under ``--focus``). Stores: memory, empty (what the
    in-process store costs when nothing was revoked) and holding 10,000 live
    revocations of other tokens (a real app's store is rarely empty), and Redis on
    loopback with its local cache, the default (a redis-server started here, when one
    can be found; the set-up checks that a warm token then makes no round trip).
    """
    import atexit

    from flask_pyjwt import (
        MemoryRevocationStore,
        RedisRevocationStore,
        current_token,
        require_token,
    )

    stores: dict[str, Any] = {"memory": MemoryRevocationStore()}
    crowded = MemoryRevocationStore()
    for index in range(10_000):
        crowded.revoke_token(f"revoked-{index}", ttl=3600)
    stores["memory-10k"] = crowded
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from scripts.redis_server import RedisProcess, find_redis_server

    lookup = find_redis_server()
    redis_url = None
    if lookup.binary is None:
        print(f"[worker] Redis scenarios skipped: {lookup.explain()}", file=sys.stderr, flush=True)
    else:
        server = RedisProcess(lookup.binary)
        server.start()
        atexit.register(server.close)
        redis_url = server.url
        stores["redis"] = RedisRevocationStore.from_url(redis_url)
    for name, store in stores.items():
        app, manager = make("HS256", f"self_revocation_{name}", revocation_store=store)

        @app.get("/unchecked")
        @require_token(check_revocation=False)
        def unchecked() -> dict[str, str]:
            return {"sub": current_token.sub}

        with app.app_context():
            token = manager.auth_token(SUB, SCOPE).signed
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        for route in ("/protected", "/unchecked"):
            response = client.get(route, headers=headers)
            expect(response.status_code == 200, f"revocation {name}: {route} answered 200")
        # A revoked token is refused (for the empty memory store, by a twin app with a
        # store of its own: the one measured stays empty).
        twin_app, twin_manager = (
            make("HS256", "self_revocation_twin", revocation_store=MemoryRevocationStore())
            if name == "memory"
            else (app, manager)
        )
        with twin_app.app_context():
            revoked = twin_manager.auth_token(SUB, SCOPE)
            twin_manager.revoke(revoked)
        refused = twin_app.test_client().get(
            "/protected", headers={"Authorization": f"Bearer {revoked.signed}"}
        )
        expect(refused.status_code == 401, f"revocation {name}: a revoked token is refused")
        expect(name != "memory" or len(store) == 0, "revocation memory: the store is empty")

        def verify(manager: Any = manager, token: str = token) -> object:
            return manager.verify_token(token)

        with app.app_context():
            expect(verify() is True, f"revocation {name}: the token verifies")
            if name == "redis":
                expect(_warm_without_round_trip(verify, redis_url), "redis: a warm check is local")
        suite.scenarios[f"revocation/{name}/verify"] = Scenario(verify, app.app_context)
        if not requests:
            continue

        def checked(client: Any = client, headers: Any = headers) -> object:
            return client.get("/protected", headers=headers)

        def baseline(client: Any = client, headers: Any = headers) -> object:
            return client.get("/unchecked", headers=headers)

        suite.scenarios[f"revocation/{name}/request"] = Scenario(checked)
        suite.scenarios[f"revocation/{name}/baseline"] = Scenario(baseline)
        # Cold: a new token on every request (one pool per route), so the store is read
        # for a token the app has not seen: what a burst of new logins costs.
        for route, scenario in (("/protected", "request_cold"), ("/unchecked", "baseline_cold")):
            with app.app_context():
                pool = [
                    {"Authorization": f"Bearer {manager.auth_token(SUB, SCOPE).signed}"}
                    for _ in range(COLD_POOL)
                ]
            for each in pool:
                response = client.get(route, headers=each)
                expect(response.status_code == 200, f"revocation {name}: cold {route} 200")
            following = cycling(pool)
            suite.scenarios[f"revocation/{name}/{scenario}"] = Scenario(
                lambda client=client, route=route, following=following: client.get(
                    route, headers=following()
                )
            )


def _warm_without_round_trip(verify: Callable[[], object], url: str | None) -> bool:
    """Whether, within 5 s (the store's change feed subscribing), 100 calls of ``verify``
    make no ``MGET``: the Redis scenario measures the local cache, not a round trip."""
    import redis

    admin = redis.Redis.from_url(str(url))

    def mgets() -> int:
        stats = admin.info("commandstats")
        return int(stats.get("cmdstat_mget", {}).get("calls", 0))

    deadline = time.monotonic() + 5
    try:
        while time.monotonic() < deadline:
            before = mgets()
            for _ in range(100):
                verify()
            if mgets() == before:
                return True
            time.sleep(0.01)
        return False
    finally:
        admin.close()


# --------------------------------------------------------------------------- raw PyJWT


def registered_claims() -> dict[str, object]:
    now = int(time.time())
    return {
        "iss": ISSUER,
        "sub": SUB,
        "iat": now,
        "exp": now + 3600,
        "jti": str(uuid.uuid4()),
        "type": "auth",
        "scope": SCOPE,
    }


DECODE_OPTIONS = {"require": ["exp", "iat", "iss", "sub", "jti"]}


def build_pyjwt(suite: Suite, *, prepared: bool) -> None:
    import jwt
    from flask import abort, request

    suite.packages = ("PyJWT", "Flask", "cryptography")
    for algorithm in ALGORITHMS:
        sign_key: Any
        verify_key: Any
        if algorithm.startswith("HS"):
            sign_key = verify_key = SECRET
            if prepared:
                jwk = {"kty": "oct", "k": b64url(SECRET.encode())}
                sign_key = verify_key = jwt.PyJWK(jwk, algorithm)
        else:
            pair = keys_for(algorithm)
            sign_key, verify_key = pair.private_pem, pair.public_pem
            if prepared:
                algo = jwt.get_algorithm_by_name(algorithm)
                sign_key = jwt.PyJWK(algo.to_jwk(pair.private, as_dict=True), algorithm)
                verify_key = jwt.PyJWK(algo.to_jwk(pair.public, as_dict=True), algorithm)

        def issue(key: Any = sign_key, algorithm: str = algorithm) -> object:
            return jwt.encode(registered_claims(), key, algorithm=algorithm)

        def decode(token: str, key: Any = verify_key, algorithm: str = algorithm) -> Any:
            return jwt.decode(
                token, key, algorithms=[algorithm], issuer=ISSUER, options=DECODE_OPTIONS
            )

        token = str(issue())
        bad = tamper(token)

        def verify(token: str = token, decode: Any = decode) -> object:
            return decode(token)

        def reject(bad: str = bad, decode: Any = decode) -> object:
            try:
                decode(bad)
            except jwt.InvalidTokenError as error:
                return error
            raise AssertionError("tampered token accepted")

        expect(verify()["sub"] == SUB, f"{algorithm}: verify")  # type: ignore[index]
        reject()
        suite.scenarios[f"{algorithm}/issue"] = Scenario(issue)
        suite.scenarios[f"{algorithm}/verify"] = Scenario(verify)
        suite.scenarios[f"{algorithm}/tampered"] = Scenario(reject)
        # The pools signed with a key object whatever the scenario's key: the same
        # tokens, without parsing a PEM per token (40 ms for RSA).
        fast_key = SECRET if algorithm.startswith("HS") else keys_for(algorithm).private
        pools = [
            [
                jwt.encode(registered_claims(), fast_key, algorithm=algorithm)
                for _ in range(COLD_POOL)
            ]
            for _ in range(2)
        ]
        add_cold_verify(suite, algorithm, decode, pools[0])

        app = new_app(f"pyjwt_{algorithm}")

        def protected(decode: Any = decode) -> dict[str, str]:
            auth = request.headers.get("Authorization", "")
            if not auth.startswith("Bearer "):
                abort(401)
            try:
                claims = decode(auth[7:])
            except jwt.InvalidTokenError:
                abort(401)
            return {"sub": claims["sub"]}

        app.add_url_rule("/protected", view_func=protected)
        add_request_scenarios(suite, algorithm, app.test_client(), token, pools[1])


# --------------------------------------------------------------------------- hand-rolled floor


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def build_floor(suite: Suite) -> None:
    """HS256 with nothing but hmac + base64url + json: the cost of the cryptography and
    the encoding alone, no checks beyond the signature."""
    suite.packages = ("Flask",)
    key = SECRET.encode()
    header = b64url(json.dumps({"alg": "HS256", "typ": "at+jwt"}, separators=(",", ":")).encode())

    def issue() -> str:
        payload = b64url(json.dumps(registered_claims(), separators=(",", ":")).encode())
        signing_input = f"{header}.{payload}"
        signature = hmac.digest(key, signing_input.encode(), "sha256")
        return f"{signing_input}.{b64url(signature)}"

    def decode(token: str) -> Any:
        signing_input, _, signature = token.rpartition(".")
        expected = hmac.digest(key, signing_input.encode(), "sha256")
        if not hmac.compare_digest(expected, b64url_decode(signature)):
            raise ValueError("bad signature")
        return json.loads(b64url_decode(signing_input.partition(".")[2]))

    add_floor_scenarios(suite, "HS256", "floor", issue, decode)
    build_floor_rs256(suite)


def build_floor_rs256(suite: Suite) -> None:
    """RS256 written by hand over cryptography: base64url, ``json.loads`` of the header
    (``alg`` must be RS256) and, after the signature verified, of the payload, then the
    checks this library makes of every token's registered claims that a hand-written
    verifier would make too: ``exp`` in the future, ``iss`` exact, ``sub`` a non-empty
    string. The floor of issue 20's RS256 targets."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    pair = keys_for("RS256")
    private, public = pair.private, pair.public
    pkcs1, sha256 = padding.PKCS1v15(), hashes.SHA256()
    header = b64url(json.dumps({"alg": "RS256", "typ": "at+jwt"}, separators=(",", ":")).encode())

    def issue() -> str:
        payload = b64url(json.dumps(registered_claims(), separators=(",", ":")).encode())
        signing_input = f"{header}.{payload}"
        signature = private.sign(signing_input.encode(), pkcs1, sha256)
        return f"{signing_input}.{b64url(signature)}"

    def decode(token: str) -> Any:
        signing_input, _, signature = token.rpartition(".")
        header_b64, _, payload_b64 = signing_input.partition(".")
        if json.loads(b64url_decode(header_b64)).get("alg") != "RS256":
            raise ValueError("wrong algorithm")
        try:
            public.verify(b64url_decode(signature), signing_input.encode(), pkcs1, sha256)
        except InvalidSignature:
            raise ValueError("bad signature") from None
        claims = json.loads(b64url_decode(payload_b64))
        sub = claims.get("sub")
        if claims.get("iss") != ISSUER or not isinstance(sub, str) or not sub:
            raise ValueError("wrong issuer or subject")
        if not time.time() < claims["exp"]:
            raise ValueError("expired")
        return claims

    add_floor_scenarios(suite, "RS256", "floor_rs256", issue, decode)


def add_floor_scenarios(
    suite: Suite,
    algorithm: str,
    name: str,
    issue: Callable[[], str],
    decode: Callable[[str], dict[str, Any]],
) -> None:
    """A hand-written floor's scenarios, from its ``issue`` and ``decode``: issue, warm
    and cold verify, a tampered token, and a bare Flask route that checks the bearer
    token with ``decode`` (the request scenarios)."""
    from flask import abort, request

    token = issue()
    bad = tamper(token)

    def verify() -> object:
        return decode(token)

    def reject() -> object:
        try:
            decode(bad)
        except ValueError as error:
            return error
        raise AssertionError("tampered token accepted")

    expect(decode(token)["sub"] == SUB, f"{name}: verify")
    reject()
    suite.scenarios[f"{algorithm}/issue"] = Scenario(issue)
    suite.scenarios[f"{algorithm}/verify"] = Scenario(verify)
    suite.scenarios[f"{algorithm}/tampered"] = Scenario(reject)
    pools = [[issue() for _ in range(COLD_POOL)] for _ in range(2)]
    add_cold_verify(suite, algorithm, decode, pools[0])

    app = new_app(name)

    @app.get("/protected")
    def protected() -> dict[str, str]:
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            abort(401)
        try:
            claims = decode(auth[7:])
        except ValueError:
            abort(401)
        return {"sub": claims["sub"]}

    add_request_scenarios(suite, algorithm, app.test_client(), token, pools[1])


# --------------------------------------------------------------------------- Flask-JWT-Extended


def build_fje(suite: Suite) -> None:
    from flask_jwt_extended import (
        JWTManager,
        create_access_token,
        decode_token,
        get_jwt_identity,
        jwt_required,
    )
    from jwt import InvalidTokenError

    suite.packages = ("Flask-JWT-Extended", "Flask", "PyJWT", "cryptography")
    for algorithm in ALGORITHMS:
        app = new_app(f"fje_{algorithm}")
        app.config["JWT_ALGORITHM"] = algorithm
        if algorithm.startswith("HS"):
            app.config["JWT_SECRET_KEY"] = SECRET
        else:
            pair = keys_for(algorithm)
            app.config["JWT_PRIVATE_KEY"] = pair.private_pem.decode()
            app.config["JWT_PUBLIC_KEY"] = pair.public_pem.decode()
        JWTManager(app)

        @app.get("/protected")
        @jwt_required()
        def protected() -> dict[str, str]:
            return {"sub": get_jwt_identity()}

        def issue() -> object:
            return create_access_token(identity=SUB, additional_claims={"scope": SCOPE})

        with app.app_context():
            token = str(issue())
            bad = tamper(token)

            def verify(token: str = token) -> object:
                return decode_token(token)

            def reject(bad: str = bad) -> object:
                try:
                    decode_token(bad)
                except InvalidTokenError as error:
                    return error
                raise AssertionError("tampered token accepted")

            expect(verify()["sub"] == SUB, f"fje {algorithm}: verify")  # type: ignore[index]
            reject()
        suite.scenarios[f"{algorithm}/issue"] = Scenario(issue, app.app_context)
        suite.scenarios[f"{algorithm}/verify"] = Scenario(verify, app.app_context)
        suite.scenarios[f"{algorithm}/tampered"] = Scenario(reject, app.app_context)
        key = SECRET if algorithm.startswith("HS") else keys_for(algorithm).private
        pools = [resigned_pool(token, key, algorithm)]
        pools.append(resigned_pool(pools[0][-1], key, algorithm))  # later exps: distinct
        add_cold_verify(suite, algorithm, decode_token, pools[0], app.app_context)
        add_request_scenarios(suite, algorithm, app.test_client(), token, pools[1])


# --------------------------------------------------------------------------- Flask_PyJWT 1.0.0


def build_original(suite: Suite) -> None:
    from flask_pyjwt import AuthManager, current_token, require_token

    suite.packages = ("flask_pyjwt", "Flask", "PyJWT", "cryptography")
    expect(metadata.version("flask_pyjwt") == "1.0.0", "Flask_PyJWT 1.0.0 is installed")
    for algorithm in ("HS256", "RS256"):  # 1.0.0 supports HS256/HS512/RS256/RS512 only
        app = new_app(f"orig_{algorithm}")
        app.config["JWT_ISSUER"] = ISSUER
        app.config["JWT_AUTHTYPE"] = algorithm
        if algorithm.startswith("HS"):
            app.config["JWT_SECRET"] = SECRET  # 1.0.0 wants str for HS*
        else:
            pair = keys_for(algorithm)
            app.config["JWT_SECRET"] = pair.private_pem  # and bytes for RS*
            app.config["JWT_PUBLICKEY"] = pair.public_pem
        manager = AuthManager(app)

        @app.get("/protected")
        @require_token()
        def protected() -> dict[str, str]:
            return {"sub": current_token.sub}

        def issue(manager: Any = manager) -> object:
            return manager.auth_token(SUB, SCOPE).signed

        token = str(issue())
        bad = tamper(token)

        def verify(manager: Any = manager, token: str = token) -> object:
            return manager.verify_token(token)

        def reject(manager: Any = manager, bad: str = bad) -> object:
            if manager.verify_token(bad):
                raise AssertionError("tampered token accepted")
            return False

        expect(verify() is True, f"orig {algorithm}: verify")
        reject()
        suite.scenarios[f"{algorithm}/issue"] = Scenario(issue, app.app_context)
        suite.scenarios[f"{algorithm}/verify"] = Scenario(verify, app.app_context)
        suite.scenarios[f"{algorithm}/tampered"] = Scenario(reject, app.app_context)
        key = SECRET if algorithm.startswith("HS") else keys_for(algorithm).private
        pools = [resigned_pool(token, key, algorithm)]
        pools.append(resigned_pool(pools[0][-1], key, algorithm))  # later exps: distinct

        def verify_one(token: str, manager: Any = manager) -> object:
            if manager.verify_token(token) is not True:
                raise AssertionError("a cold token was refused")
            return True

        add_cold_verify(suite, algorithm, verify_one, pools[0], app.app_context)
        add_request_scenarios(suite, algorithm, app.test_client(), token, pools[1])


# --------------------------------------------------------------------------- driver side

BUILDERS: dict[str, Callable[[Suite], None]] = {
    "flask_pyjwt": build_self,
    "flask_pyjwt_stores": build_self_stores,
    "pyjwt_each_call": lambda suite: build_pyjwt(suite, prepared=False),
    "pyjwt_prepared": lambda suite: build_pyjwt(suite, prepared=True),
    "floor": build_floor,
    "flask_jwt_extended": build_fje,
    "flask_pyjwt_1_0_0": build_original,
}


def versions(packages: tuple[str, ...]) -> dict[str, str]:
    found = {"python": sys.version.split()[0]}
    for package in packages:
        with contextlib.suppress(metadata.PackageNotFoundError):
            found[package] = metadata.version(package)
    return found


def run_batch(scenario: Scenario, iterations: int) -> int:
    call = scenario.call
    loop = range(iterations)
    with scenario.context():
        start = time.perf_counter_ns()
        for _ in loop:
            call()
        return time.perf_counter_ns() - start


def lines() -> Iterator[str]:
    for line in sys.stdin:
        line = line.strip()
        if not line:
            return
        yield line


def main() -> None:
    implementation = sys.argv[1]
    suite = Suite()
    BUILDERS[implementation.partition("@")[0]](suite)  # flask_pyjwt@LABEL: a variant
    for scenario in suite.scenarios.values():
        if scenario.check is not None:
            scenario.check()
        run_batch(scenario, 2)  # warm every path once
    out = sys.stdout
    ready = {
        "ready": True,
        "scenarios": sorted(suite.scenarios),
        "versions": versions(suite.packages),
    }
    out.write(json.dumps(ready) + "\n")
    out.flush()
    for line in lines():
        request = json.loads(line)
        elapsed = run_batch(suite.scenarios[request["id"]], int(request["iters"]))
        out.write(json.dumps({"id": request["id"], "ns": elapsed}) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
