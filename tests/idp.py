"""A stand-in identity provider: keys and tokens made with joserfc, an independent JOSE
implementation, and its JWK Set served by a real HTTP server on 127.0.0.1.

The server counts every request it answers, so tests can say how often the library
fetched. Nothing here uses flask_pyjwt. The keys are the committed ones under
``tests/keys/`` (imported into joserfc), so no outcome depends on random key bytes: a
fresh EC key's ``y`` lost its leading zero byte under joserfc 1.7.7 about once in 128.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import ssl
import threading
import time
from collections.abc import Callable, Generator, Mapping
from contextlib import contextmanager
from typing import Final, Literal, cast

from joserfc import jwt
from joserfc.jwk import ECKey, KeyParameters, KeySet, KeySetSerialization, RSAKey

from .support import ec_pair, rsa_pair

ISSUER = "https://idp.test/realms/shop"
AUDIENCE = "orders-api"

SigningKey = RSAKey | ECKey


COMMITTED_KEYS: Final = 10
"""How many RSA-2048 and P-256 keys ``tests/keys/`` holds (indexes 0-9 of each)."""

POLL_INTERVAL: Final = 0.01
"""``serve_forever``'s poll interval: :meth:`IdentityProvider.stop` waits about this
long (the default 0.5 s made every test wait half a second)."""


def rsa_key(kid: str, index: int = 0) -> RSAKey:
    """The committed key ``rsa-2048-<index>`` as a joserfc RS256 signing key named ``kid``."""
    # The PEM, not the key object: joserfc before 1.6 (the lowest-bounds run) imports
    # text only.
    pem = rsa_pair(2048, index).private_pem
    parameters: KeyParameters = {"kid": kid, "alg": "RS256", "use": "sig"}
    # joserfc's import_key returns Self, unresolved on the classmethod (Unknown for
    # pyright, Any for mypy).
    imported: object = RSAKey.import_key(pem, parameters)  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    assert isinstance(imported, RSAKey)
    return imported


def ec_key(kid: str, index: int = 0) -> ECKey:
    """The committed key ``ec-P-256-<index>`` as a joserfc ES256 signing key named ``kid``."""
    pem = ec_pair("P-256", index).private_pem
    parameters: KeyParameters = {"kid": kid, "alg": "ES256", "use": "sig"}
    imported: object = ECKey.import_key(pem, parameters)  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    assert isinstance(imported, ECKey)
    return imported


def public_jwk(key: SigningKey) -> dict[str, object]:
    """The public JWK of ``key`` as joserfc writes it."""
    return dict(key.as_dict(private=False))


def joserfc_key_set(document: Mapping[str, object]) -> KeySet:
    """joserfc's reading of a JWK Set (through JSON, as a client would get it)."""
    serialised = cast("KeySetSerialization", json.loads(json.dumps(document)))
    # joserfc leaves import_key_set's return type unannotated (Unknown for pyright).
    return cast(
        "KeySet",
        KeySet.import_key_set(serialised),  # pyright: ignore[reportUnknownMemberType]
    )


def joserfc_thumbprint(jwk: Mapping[str, object]) -> str:
    """The RFC 7638 thumbprint joserfc computes for a public JWK."""
    return joserfc_key_set({"keys": [jwk]}).keys[0].thumbprint()


class IdentityProvider:
    """Signing keys by ``kid``, the JWK Set it publishes, and the HTTP server for it.

    Attributes:
        keys: every signing key, by kid (a key may be held without being published).
        published: the kids the JWK Set lists, in order.
        cache_control: the ``Cache-Control`` header of the JWK Set response, if any.
        status: the HTTP status the server answers with (200 for the document).
        body: a raw body to serve instead of the JWK Set, if set.
        delay: seconds the server waits before answering.
        redirect_to: answer 302 to this location instead.
        discovery: the OpenID configuration served at
            ``/.well-known/openid-configuration`` (404 there while ``None``).
        clock: seconds since the epoch for the tokens' ``iat``/``exp`` (the app's clock,
            when the test moves one).
    """

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.keys: dict[str, SigningKey] = {}
        self.published: list[str] = []
        self.cache_control: str | None = "public, max-age=300"
        self.status = 200
        self.body: bytes | None = None
        self.delay = 0.0
        self.redirect_to: str | None = None
        self.discovery: dict[str, object] | None = None
        self._hits = 0
        self._lock = threading.Lock()
        self._server: http.server.ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._port = 0
        self._tls: ssl.SSLContext | None = None

    # -- keys and tokens ---------------------------------------------------------------

    def add_key(
        self, kid: str, kind: Literal["RSA", "EC"] = "RSA", *, publish: bool = True
    ) -> SigningKey:
        """A signing key (RS256 or ES256) of its own, published in the JWK Set unless told
        not to: the next committed key of its kind not yet used by this provider."""
        index = sum(1 for held in self.keys.values() if (kind == "RSA") == isinstance(held, RSAKey))
        assert index < COMMITTED_KEYS, f"tests/keys/ holds {COMMITTED_KEYS} keys of each kind"
        key: SigningKey = rsa_key(kid, index) if kind == "RSA" else ec_key(kid, index)
        self.keys[kid] = key
        if publish:
            self.published.append(kid)
        return key

    def remove_key(self, kid: str) -> None:
        """Stop publishing ``kid`` (the IdP retired it)."""
        self.published.remove(kid)

    def document(self) -> dict[str, object]:
        """The JWK Set: public members only, as joserfc writes them."""
        return {"keys": [public_jwk(self.keys[kid]) for kid in self.published]}

    def token(
        self,
        kid: str,
        *,
        signed_by: str | None = None,
        header: Mapping[str, object] | None = None,
        drop: tuple[str, ...] = (),
        claims: Mapping[str, object] | None = None,
        **more_claims: object,
    ) -> str:
        """An RFC 9068 access token naming ``kid``, signed by ``signed_by``'s key (default
        ``kid``'s), with ``claims`` and ``more_claims`` replacing the defaults and
        ``drop`` removed (a header field set to ``None`` is left out)."""
        key = self.keys[signed_by or kid]
        alg = "RS256" if isinstance(key, RSAKey) else "ES256"
        now = int(self.clock())
        body: dict[str, object] = {
            "iss": ISSUER,
            "sub": "user-42",
            "aud": AUDIENCE,
            "client_id": "shop-frontend",
            "iat": now,
            "exp": now + 300,
            "jti": f"jti-{now}-{kid}",
            "scope": "orders:read profile",
        }
        body.update(claims or {})
        body.update(more_claims)
        for name in drop:
            body.pop(name, None)
        fields: dict[str, object] = {"alg": alg, "typ": "at+jwt", "kid": kid}
        fields.update(header or {})
        return jwt.encode(
            {name: value for name, value in fields.items() if value is not None}, body, key
        )

    # -- the HTTP server ---------------------------------------------------------------

    @property
    def hits(self) -> int:
        """How many requests the server has answered."""
        with self._lock:
            return self._hits

    @property
    def url(self) -> str:
        """The JWK Set URL."""
        assert self._port, "start() the server first"
        scheme = "http" if self._tls is None else "https"
        return f"{scheme}://127.0.0.1:{self._port}/.well-known/jwks.json"

    @property
    def base_url(self) -> str:
        """``scheme://127.0.0.1:port`` of the server (an issuer for discovery tests)."""
        return self.url.removesuffix("/.well-known/jwks.json")

    def _count(self) -> None:
        with self._lock:
            self._hits += 1

    def start(self, tls: ssl.SSLContext | None = None) -> None:
        """Serve on 127.0.0.1 (the same port again after :meth:`stop`), over TLS with
        ``tls`` (a server-side context holding the certificate)."""
        self._tls = tls
        provider = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                provider._count()
                if provider.delay:
                    time.sleep(provider.delay)
                if provider.redirect_to is not None:
                    self.send_response(302)
                    self.send_header("Location", provider.redirect_to)
                    self.end_headers()
                    return
                body = provider.body
                if self.path.endswith("/.well-known/openid-configuration"):
                    if provider.discovery is None:
                        self.send_error(404)
                        return
                    body = json.dumps(provider.discovery).encode()
                if body is None:
                    body = json.dumps(provider.document()).encode()
                self.send_response(provider.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                if provider.cache_control is not None:
                    self.send_header("Cache-Control", provider.cache_control)
                self.end_headers()
                # The client may have given up waiting (the timeout tests).
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                del format, args  # quiet: the tests count hits instead

        server = http.server.ThreadingHTTPServer(("127.0.0.1", self._port), Handler)
        server.daemon_threads = True
        if tls is not None:
            server.socket = tls.wrap_socket(server.socket, server_side=True)
        self._port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": POLL_INTERVAL}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving: connections are refused (the IdP is down)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None


@contextmanager
def running_idp(
    *kids: str, clock: Callable[[], float] = time.time
) -> Generator[IdentityProvider, None, None]:
    """An IdP with an RSA key for each of ``kids``, serving until the block ends."""
    provider = IdentityProvider(clock)
    for kid in kids:
        provider.add_key(kid)
    provider.start()
    try:
        yield provider
    finally:
        provider.stop()
