"""An identity provider for tests: a JWKS served on loopback, and tokens in its shape."""

from __future__ import annotations

import contextlib
import http.server
import json
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import Final, Literal

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from typing_extensions import Self

from flask_pyjwt._core.algorithms import AuthType
from flask_pyjwt._core.b64 import b64url_encode
from flask_pyjwt._core.identity_provider import IdentityProvider
from flask_pyjwt._core.jwks import JWKSet, PublicJWK, public_jwk
from flask_pyjwt._core.key_signers import KeySigner
from flask_pyjwt._core.strict_json import JSONInput

FakeAlgorithm = Literal["ES256", "RS256"]
"""The algorithms a :class:`FakeIdentityProvider` signs with."""

JWKS_PATH: Final = "/.well-known/jwks.json"
DISCOVERY_PATH: Final = "/.well-known/openid-configuration"
_POLL_INTERVAL: Final = 0.01  # how soon serve_forever notices stop()


def _plain(value: JSONInput) -> object:
    """``value`` with every mapping a dict and every sequence a list (what JSON writes)."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_plain(item) for item in value]
    return value


class _Key:
    __slots__ = ("jwk", "kid", "signer")

    def __init__(self, algorithm: FakeAlgorithm, kid: str) -> None:
        self.kid = kid
        private: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey = (
            ec.generate_private_key(ec.SECP256R1())
            if algorithm == "ES256"
            else rsa.generate_private_key(public_exponent=65537, key_size=2048)
        )
        self.signer = KeySigner(algorithm, private, key_id=kid)
        self.jwk: PublicJWK = public_jwk(private.public_key(), AuthType(algorithm), kid)

    def sign(self, header: Mapping[str, object], payload: Mapping[str, object]) -> str:
        """The compact JWS of ``payload`` under ``header``."""
        signing_input = ".".join(
            b64url_encode(json.dumps(part, separators=(",", ":")).encode())
            for part in (header, payload)
        )
        signature = self.signer.sign(signing_input.encode("ascii"))
        return f"{signing_input}.{b64url_encode(signature)}"


class FakeIdentityProvider:
    """An identity provider for tests: it serves its JWKS (and an OpenID discovery
    document) over HTTP on 127.0.0.1, and signs access tokens in the shape an app
    behind a real provider receives (RFC 9068: ``typ`` ``at+jwt``, ``iss``, ``aud``,
    ``sub``, ``iat``, ``exp``, ``jti``, ``client_id``).

    Use it as a context manager (the server runs inside the block), or call
    :meth:`start` and :meth:`stop`. Its keys are generated when it is made, never
    written anywhere.

    Args:
        issuer: the tokens' ``iss`` (the app's ``JWT_ISSUER``).
        audience: the tokens' ``aud`` (the app's ``JWT_AUDIENCE``); ``None`` for none.
        algorithm: what it signs with: ``"ES256"`` (the default, fast to generate) or
            ``"RS256"`` (as most providers; generating a key takes a moment).
        clock: the time its tokens are stamped with: give it the app's
            :class:`TokenClock`, so that moving one moves both.
        lifetime: seconds a token lives (``exp - iat``).
        client_id: the tokens' ``client_id``.
        name: the name of its :attr:`provider` (what ``current_token.provider`` says).

    Attributes:
        issuer, audience, algorithm, lifetime, client_id, name: as given.
    """

    def __init__(
        self,
        *,
        issuer: str = "https://idp.test/",
        audience: str | None = "my-api",
        algorithm: FakeAlgorithm = "ES256",
        clock: Callable[[], float] = time.time,
        lifetime: int = 300,
        client_id: str = "test-client",
        name: str = "fake",
    ) -> None:
        if algorithm not in ("ES256", "RS256"):
            raise ValueError(f"algorithm must be 'ES256' or 'RS256', got {algorithm!r}")
        self.issuer = issuer
        self.audience = audience
        self.algorithm: FakeAlgorithm = algorithm
        self.lifetime = lifetime
        self.client_id = client_id
        self.name = name
        self._clock = clock
        self._generation = 1
        self._key = _Key(algorithm, self._kid())
        self._lock = threading.Lock()
        self._requests = 0
        self._server: http.server.ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def _kid(self) -> str:
        return f"fake-key-{self._generation}"

    # -- keys and tokens ----------------------------------------------------------------

    @property
    def kid(self) -> str:
        """The ``kid`` of the key it signs with now (the one its JWKS publishes)."""
        return self._key.kid

    def jwks(self) -> JWKSet:
        """The JWK Set it publishes: the public half of its current key."""
        return {"keys": [self._key.jwk]}

    def rotate_keys(self) -> str:
        """Sign with a new key from now on, under a new ``kid``, and retire the old one
        (its tokens no longer verify once the app fetches the new JWKS, which it does
        when the first token with the new ``kid`` arrives). Returns the new ``kid``."""
        self._generation += 1
        key = _Key(self.algorithm, self._kid())
        with self._lock:
            self._key = key
        return key.kid

    def token(self, sub: str, /, **claims: JSONInput) -> str:
        """A signed access token for ``sub`` with ``claims`` added (``scope="read"``,
        ``tid="t1"``), or replacing the defaults (``exp=...``, ``aud=...``; ``None``
        leaves that claim out).

        Returns:
            The compact JWT, as a client would send it.
        """
        now = int(self._clock())
        body: dict[str, object] = {
            "iss": self.issuer,
            "sub": sub,
            "aud": self.audience,
            "iat": now,
            "exp": now + self.lifetime,
            "jti": uuid.uuid4().hex,
            "client_id": self.client_id,
        }
        body.update({name: _plain(value) for name, value in claims.items()})
        payload = {name: value for name, value in body.items() if value is not None}
        key = self._key
        return key.sign({"alg": self.algorithm, "typ": "at+jwt", "kid": key.kid}, payload)

    def auth_header(self, sub: str, /, **claims: JSONInput) -> dict[str, str]:
        """``{"Authorization": "Bearer <token>"}`` for :meth:`token` ``(sub, **claims)``."""
        return {"Authorization": f"Bearer {self.token(sub, **claims)}"}

    # -- where the app finds it ---------------------------------------------------------

    @property
    def url(self) -> str:
        """The server's base URL, ``http://127.0.0.1:<port>``.

        Raises:
            RuntimeError: the server is not running.
        """
        server = self._server
        if server is None:
            raise RuntimeError(
                "the FakeIdentityProvider is not serving: use it as a context manager "
                "(with FakeIdentityProvider(...) as idp:) or call start()"
            )
        return f"http://127.0.0.1:{server.server_address[1]}"

    @property
    def jwks_url(self) -> str:
        """Where its JWKS is served (the app's ``JWT_JWKS_URL``)."""
        return self.url + JWKS_PATH

    @property
    def discovery_url(self) -> str:
        """Where its OpenID discovery document is served."""
        return self.url + DISCOVERY_PATH

    @property
    def requests(self) -> int:
        """How many HTTP requests it has answered (each JWKS fetch is one)."""
        with self._lock:
            return self._requests

    @property
    def provider(self) -> IdentityProvider:
        """An :class:`~flask_pyjwt.IdentityProvider` for it, for
        ``AuthManager(app, providers=[idp.provider])``: its issuer, its JWKS URL on
        loopback, its audience and its algorithm.

        Raises:
            RuntimeError: the server is not running.
            ValueError: it has no audience (an identity provider needs one).
        """
        if self.audience is None:
            raise ValueError("an IdentityProvider needs an audience: give the fake one")
        return IdentityProvider(
            name=self.name,
            issuer=self.issuer,
            jwks_url=self.jwks_url,
            audience=self.audience,
            algorithms=(self.algorithm,),
        )

    def config(self) -> dict[str, object]:
        """The ``app.config`` entries of an app that accepts its tokens:
        ``JWT_ISSUER``, ``JWT_AUTHTYPE``, ``JWT_JWKS_URL``, and ``JWT_AUDIENCE`` if it
        has an audience (``app.config.from_mapping(idp.config())``)."""
        config: dict[str, object] = {
            "JWT_ISSUER": self.issuer,
            "JWT_AUTHTYPE": self.algorithm,
            "JWT_JWKS_URL": self.jwks_url,
        }
        if self.audience is not None:
            config["JWT_AUDIENCE"] = self.audience
        return config

    # -- the server ---------------------------------------------------------------------

    def _document(self, path: str) -> bytes | None:
        with self._lock:
            self._requests += 1
            key = self._key
        document: Mapping[str, object]
        if path == JWKS_PATH:
            document = {"keys": [key.jwk]}
        elif path == DISCOVERY_PATH:
            document = {"issuer": self.issuer, "jwks_uri": self.jwks_url}
        else:
            return None
        return json.dumps(document).encode()

    def start(self) -> None:
        """Serve on a free port of 127.0.0.1 until :meth:`stop`.

        Raises:
            RuntimeError: it is serving already.
        """
        if self._server is not None:
            raise RuntimeError("the FakeIdentityProvider is serving already")
        provider = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = provider._document(self.path)
                status = 200 if body is not None else 404
                body = b'{"error": "not_found"}' if body is None else body
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                del format, args  # quiet in test output

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(
            target=lambda: server.serve_forever(poll_interval=_POLL_INTERVAL),
            name="FakeIdentityProvider",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving (fetches are refused from now on, as from a provider that is
        down); the keys are kept, and :meth:`start` serves again on a new port."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return (
            f"FakeIdentityProvider(issuer={self.issuer!r}, audience={self.audience!r}, "
            f"algorithm={self.algorithm!r}, kid={self.kid!r})"
        )
