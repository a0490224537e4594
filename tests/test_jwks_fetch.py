"""Fetching an identity provider's keys when the provider, the network or the
configuration works against the app: a hung or slow provider, a proxy in the
environment, a look-alike loopback URL, and the manager's methods during an outage.

Providers are real loopback servers: :mod:`tests.idp` for JWK Sets, and
:class:`ScriptedServer` below for one that answers byte by byte, or not at all.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Generator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from flask import Flask

from flask_pyjwt import AuthManager, InvalidConfigError, current_token, require_token
from flask_pyjwt._backends.jwks import fetch_url
from flask_pyjwt._core.algorithms import AuthType
from flask_pyjwt._core.key_source import CachedKeySet, FetchError
from flask_pyjwt._core.signing import JWSHeader
from flask_pyjwt.errors import KeysUnavailableError
from tests.idp import AUDIENCE, ISSUER, IdentityProvider, running_idp
from tests.loopback import LoopbackServer
from tests.support import Clock, bearer, concurrently, configure, json_body, load_private_key


class ScriptedServer(LoopbackServer):
    """A loopback HTTP server that reads each request, then sends ``pieces`` with
    ``gap`` seconds before each one (``hang``: sends nothing until stopped). Its
    ``connections`` are the fetches it saw."""

    def __init__(self, pieces: Sequence[bytes] = (), *, gap: float = 0.0, hang: bool = False):
        super().__init__()
        self.pieces = pieces
        self.gap = gap
        self.hang = hang
        self.url = f"http://127.0.0.1:{self.port}/jwks.json"

    def serve(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(5)
            request = b""
            try:
                while b"\r\n\r\n" not in request:
                    data = connection.recv(4096)
                    if not data:
                        return
                    request += data
                if self.hang:
                    self.stopped(10)
                    return
                for piece in self.pieces:
                    if self.stopped(self.gap):
                        return
                    connection.sendall(piece)
            except OSError:
                return  # the client gave up: what the deadline tests want


@contextmanager
def scripted(
    pieces: Sequence[bytes] = (), *, gap: float = 0.0, hang: bool = False
) -> Generator[ScriptedServer]:
    server = ScriptedServer(pieces, gap=gap, hang=hang)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _split(data: bytes, size: int) -> list[bytes]:
    return [data[start : start + size] for start in range(0, len(data), size)]


BODY = b'{"keys": []}'
HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
    + b"Content-Length: %d\r\n\r\n" % len(BODY)
)
# Every piece comes well within the per-read timeout; only the whole is too slow.
DRIBBLES = {
    "status line": [*_split(HEAD[:17], 2), HEAD[17:] + BODY],
    "headers": [HEAD[:17], *_split(HEAD[17:], 6), BODY],
    "body chunks": [HEAD, *_split(BODY, 1)],
}


def _resource_server(url: str, *, clock: Clock | None = None, **config: object) -> Flask:
    app = Flask("resource_server")
    configure(
        app,
        {
            "JWT_ISSUER": ISSUER,
            "JWT_AUTHTYPE": "RS256",
            "JWT_JWKS_URL": url,
            "JWT_AUDIENCE": AUDIENCE,
            **config,
        },
    )
    AuthManager(app, clock=clock)

    @app.get("/orders")
    @require_token()
    def orders() -> dict[str, str]:
        return {"sub": current_token.sub}

    return app


def _status(app: Flask, token: str) -> int:
    return app.test_client().get("/orders", headers=bearer(token)).status_code


# -- 12: a hung provider is asked once, and the queue gets its 503 at once --------------


@pytest.mark.slow  # real waiting on a slow or hung loopback server
def test_requests_queued_behind_a_hung_fetch_get_their_503_at_once() -> None:
    # timeout == back-off, as with the defaults (5 s and 5 s): the back-off must count
    # from the end of the failed fetch, or each queued request fetches again in turn.
    with scripted(hang=True) as provider:
        keys = CachedKeySet(
            provider.url,
            (AuthType.RS256,),
            timeout=0.3,
            min_refresh=0.3,
            max_cache=60,
            clock=time.monotonic,
            fetcher=fetch_url,
        )
        header = JWSHeader(alg="RS256", kid="k1", typ=None, fields={})

        def verify() -> int:
            try:
                keys.verify(header, b"x", b"y")
            except KeysUnavailableError:
                return 503
            return 200

        started = time.monotonic()
        statuses = concurrently(6, lambda _: verify())
        elapsed = time.monotonic() - started
    assert statuses == [503] * 6
    assert provider.connections == 1
    assert elapsed < 0.3 * 4, f"{elapsed:.2f}s for one 0.3 s timeout (6 waiters: 1.8 s before)"


@pytest.mark.slow
def test_a_hung_provider_costs_queued_requests_one_timeout_end_to_end() -> None:
    with scripted(hang=True) as provider, running_idp("k1") as idp:
        app = _resource_server(provider.url, JWT_JWKS_TIMEOUT=1, JWT_JWKS_MIN_REFRESH=1)
        token = idp.token("k1")
        started = time.monotonic()
        statuses = concurrently(4, lambda _: _status(app, token))
        elapsed = time.monotonic() - started
    assert statuses == [503] * 4
    assert provider.connections == 1
    assert elapsed < 2.0, f"{elapsed:.2f}s for one 1 s timeout"


# -- 13: the timeout is a deadline for the whole response -------------------------------


@pytest.mark.slow  # real waiting on a slow or hung loopback server
@pytest.mark.parametrize("phase", list(DRIBBLES))
def test_the_timeout_bounds_a_response_sent_slowly(phase: str) -> None:
    # Each piece comes 0.15 s after the last (well within a 0.4 s socket timeout); the
    # whole response would take 1.5 s or more.
    with scripted(DRIBBLES[phase], gap=0.15) as provider:
        assert len(DRIBBLES[phase]) * 0.15 >= 1.5
        started = time.monotonic()
        with pytest.raises(FetchError, match=r"within 0\.4 seconds"):
            fetch_url(provider.url, 0.4)
        elapsed = time.monotonic() - started
    assert elapsed < 1.0, f"{elapsed:.2f}s with a 0.4 s timeout"


def test_a_response_within_the_deadline_is_read() -> None:
    with scripted([HEAD, BODY], gap=0.01) as provider:
        assert fetch_url(provider.url, 2) == (BODY, None)


@pytest.mark.slow
def test_jwt_jwks_timeout_bounds_a_dribbled_response_end_to_end() -> None:
    with scripted(DRIBBLES["headers"], gap=0.25) as provider, running_idp("k1") as idp:
        app = _resource_server(provider.url, JWT_JWKS_TIMEOUT=1)
        started = time.monotonic()
        assert _status(app, idp.token("k1")) == 503
        assert time.monotonic() - started < 1.6


# -- 14: http:// for loopback addresses only, by address --------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.attacker.example/jwks.json",
        "http://127.0.0.1.nip.io/jwks.json",
        "http://localhost.attacker.example/jwks.json",
        "http://127.1/jwks.json",  # not an address ipaddress reads: a name to resolve
        "http://10.0.0.1/jwks.json",
        "http://[::ffff:a00:1]/jwks.json",  # 10.0.0.1, IPv4-mapped
    ],
)
def test_plain_http_to_a_name_that_only_looks_loopback_is_refused(url: str) -> None:
    with pytest.raises(InvalidConfigError, match="loopback addresses only"):
        _resource_server(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/jwks.json",
        "http://127.10.20.30/jwks.json",
        "http://[::1]:8080/jwks.json",
        "http://localhost/jwks.json",
        "http://LOCALHOST:5000/jwks.json",
        "http://[::ffff:7f00:1]/jwks.json",  # 127.0.0.1, IPv4-mapped: the same on every Python
        "https://127.attacker.example/jwks.json",
    ],
)
def test_plain_http_to_a_loopback_address_is_accepted(url: str) -> None:
    _resource_server(url)


# -- 15: proxy variables are not used ---------------------------------------------------


PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy")


def test_a_proxy_in_the_environment_does_not_supply_the_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with running_idp("k1") as idp, running_idp() as proxy:
        proxy.add_key("spare", publish=False)
        proxy.add_key("k1")  # the attacker's own key under the provider's kid
        base = proxy.url.removesuffix("/.well-known/jwks.json")
        for name in PROXY_VARIABLES:
            monkeypatch.setenv(name, base)
            monkeypatch.setenv(name.upper(), base)
        for name in ("no_proxy", "NO_PROXY"):
            monkeypatch.delenv(name, raising=False)
        app = _resource_server(idp.url)
        forged = proxy.token("k1")
        response = app.test_client().get("/orders", headers=bearer(forged))
        assert response.status_code == 401, response.get_data(as_text=True)
        assert json_body(response)["code"] == "signature_invalid"
        assert _status(app, idp.token("k1")) == 200
        assert proxy.hits == 0
        assert idp.hits == 1


_CLIENT_PROCESS = f"""
import sys
from flask import Flask
from flask_pyjwt import AuthManager, require_token
url, token = sys.argv[1], sys.argv[2]
app = Flask("fresh")
app.config.update(JWT_ISSUER={ISSUER!r}, JWT_AUTHTYPE="RS256", JWT_JWKS_URL=url,
                  JWT_AUDIENCE={AUDIENCE!r})
AuthManager(app)
app.add_url_rule("/orders", view_func=require_token()(lambda: "ok"))
print(app.test_client().get("/orders", headers={{"Authorization": "Bearer " + token}}).status_code)
"""


@pytest.mark.slow
def test_a_proxy_set_before_the_process_starts_is_not_used_either() -> None:
    # A proxy variable exported in the shell is in the environment before the library is
    # imported (read then, a monkeypatched one after import would not show it).
    with running_idp("k1") as idp, running_idp() as proxy:
        proxy.add_key("spare", publish=False)
        proxy.add_key("k1")
        base = proxy.url.removesuffix("/.well-known/jwks.json")
        env = {name: value for name, value in os.environ.items() if "proxy" not in name.lower()}
        env.update(dict.fromkeys((*PROXY_VARIABLES, "HTTP_PROXY", "ALL_PROXY"), base))
        command = [sys.executable, "-c", _CLIENT_PROCESS, idp.url, proxy.token("k1")]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
        assert done.stdout.strip() == "401", done.stderr
        assert proxy.hits == 0
        assert idp.hits == 1


# -- 16: the manager's methods during an outage -----------------------------------------


@contextmanager
def provider_down() -> Generator[tuple[Flask, AuthManager, str]]:
    """An app whose provider refuses connections, and a token of that provider."""
    idp = IdentityProvider()
    idp.add_key("k1")
    idp.start()
    url = idp.url
    idp.stop()
    app = Flask("outage")
    configure(app, {"JWT_ISSUER": ISSUER, "JWT_AUTHTYPE": "RS256", "JWT_JWKS_URL": url,
                    "JWT_AUDIENCE": AUDIENCE})  # fmt: skip
    manager = AuthManager(app)
    yield app, manager, idp.token("k1")


def test_verify_and_convert_token_raise_the_documented_unavailable_error() -> None:
    with provider_down() as (app, manager, token), app.app_context():
        with pytest.raises(KeysUnavailableError) as raised:
            manager.verify_token(token)
        assert raised.value.code == "keys_unavailable"
        assert raised.value.retry_after >= 1
        with pytest.raises(KeysUnavailableError):
            manager.convert_token(token)


def test_a_logout_view_answers_503_when_the_keys_cannot_be_fetched() -> None:
    with provider_down() as (app, manager, token):

        @app.post("/logout")
        def logout() -> dict[str, bool]:
            manager.revoke(token)
            return {"ok": True}

        with app.app_context(), pytest.raises(KeysUnavailableError):
            manager.revoke(token)
        response = app.test_client().post("/logout")
        assert response.status_code == 503
        assert json_body(response)["code"] == "keys_unavailable"
        assert int(response.headers["Retry-After"]) >= 1


# -- issue 18: the manager's clock moves the key cache ----------------------------------


def test_the_managers_clock_expires_the_keys_held() -> None:
    clock = Clock()
    with running_idp("k1", "k2", clock=clock) as idp:
        idp.cache_control = "max-age=60"
        app = _resource_server(idp.url, clock=clock, JWT_JWKS_MIN_REFRESH=60)
        old = idp.token("k1")
        assert _status(app, old) == 200
        idp.remove_key("k1")
        clock.now += 59
        assert _status(app, old) == 200  # held for max-age
        assert idp.hits == 1
        clock.now += 1
        assert _status(app, old) == 401  # expired by the app's clock: refreshed
        assert idp.hits == 3  # the refresh, then the refetch its first unknown kid makes


# -- https: the production path, with certificate checks --------------------------------


def _tls_files(directory: Path) -> tuple[Path, ssl.SSLContext]:
    """A test CA (its certificate written to a file) and a server context whose
    certificate, signed by it, names the address 127.0.0.1. Committed keys; the
    certificates are made now (valid for a day around the real time)."""
    ca_key, server_key = load_private_key("ec-P-256-8"), load_private_key("ec-P-256-9")
    assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
    assert isinstance(server_key, ec.EllipticCurvePrivateKey)
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "flask_pyjwt test CA")])

    def certificate(subject: x509.Name, key: ec.EllipticCurvePrivateKey) -> x509.CertificateBuilder:
        return (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(ca_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=1))
        )

    ca = (
        certificate(ca_name, ca_key)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    server_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    server = (
        certificate(server_name, server_key)
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_file = directory / "ca.pem"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    chain = directory / "server.pem"
    chain.write_bytes(
        server.public_bytes(serialization.Encoding.PEM)
        + server_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(chain)
    return ca_file, context


def test_https_keys_are_fetched_only_from_a_certificate_the_system_trusts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ca_file, context = _tls_files(tmp_path)
    idp = IdentityProvider()
    idp.add_key("k1")
    idp.start(tls=context)
    try:
        token = idp.token("k1")
        assert idp.url.startswith("https://127.0.0.1:")
        # Our test CA is not among the trusted ones: the certificate is refused.
        assert _status(_resource_server(idp.url), token) == 503
        # Trusted (OpenSSL reads SSL_CERT_FILE when the default context is made).
        monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
        assert _status(_resource_server(idp.url), token) == 200
        # Trusted, but issued to 127.0.0.1, not to localhost: refused.
        localhost = idp.url.replace("127.0.0.1", "localhost")
        assert _status(_resource_server(localhost), token) == 503
        assert idp.hits == 1  # the two refused handshakes never reached HTTP
    finally:
        idp.stop()
