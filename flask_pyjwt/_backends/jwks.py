"""The HTTP fetch of an identity provider's JWKS document: the I/O behind the core's
:class:`~flask_pyjwt._core.key_source.KeyFetcher`.

Only the standard library speaks HTTP here (:mod:`http.client`): redirects are not
followed, proxy environment variables are not read, ``timeout`` is a deadline for the
whole response, the body is read in chunks up to :data:`MAX_JWKS_BYTES`. What is done
with the document (parsing, caching, refetching) is the core's
:class:`~flask_pyjwt._core.key_source.CachedKeySet`. No Flask here.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
from typing import Final
from urllib.parse import urlsplit

from flask_pyjwt._core.key_source import FetchError

MAX_JWKS_BYTES: Final = 256 * 1024
"""The largest JWKS document read; a longer one is a failed fetch. Real ones are a few KB."""

_CHUNK: Final = 16 * 1024
_ACCEPT: Final = "application/jwk-set+json, application/json"


def fetch_url(url: str, timeout: float) -> tuple[bytes, str | None]:
    """GET ``url``: the body (at most :data:`MAX_JWKS_BYTES`) and its ``Cache-Control``.

    ``timeout`` is a deadline for the whole exchange (connecting, the TLS handshake,
    the status line, the headers and every chunk of the body): a provider that sends
    its answer a byte at a time is abandoned when it runs out, as is one that hangs.
    The exchange runs in a daemon thread that this call waits on; at the deadline the
    connection is shut down and the thread ends with it.

    Redirects are not followed (the configured URL is the one trusted for keys) and
    proxy environment variables (``http_proxy``, ``https_proxy``, ``all_proxy``) are not
    read: a proxy would choose the trusted keys. The standard library's
    :mod:`http.client` is used directly for that reason (:mod:`urllib.request` reads
    them).

    Raises:
        FetchError: a network error, the deadline, a status other than 200 (redirects
            included), or a body too large.
    """
    exchange = _Exchange(url, timeout)
    worker = threading.Thread(target=exchange.run, name="flask_pyjwt JWKS fetch", daemon=True)
    worker.start()
    worker.join(timeout)
    return exchange.outcome()


class _Exchange:
    """One GET, run by a worker thread and abandoned by the caller at its deadline."""

    def __init__(self, url: str, timeout: float) -> None:
        self._url = url
        self._timeout = timeout
        self._lock = threading.Lock()
        self._connection: http.client.HTTPConnection | None = None
        self._result: tuple[bytes, str | None] | FetchError | None = None
        self._abandoned = False

    def run(self) -> None:
        """The worker: GET the URL and keep the outcome (never raises)."""
        result: tuple[bytes, str | None] | FetchError
        try:
            result = self._get()
        except FetchError as error:
            result = error
        except (OSError, http.client.HTTPException, ValueError) as error:
            result = FetchError(f"{type(error).__name__}: {_reason(error)}")
        except Exception as error:  # anything else is a failed fetch too, never a 500
            result = FetchError(f"unexpected {type(error).__name__}")
        with self._lock:
            self._result = result

    def outcome(self) -> tuple[bytes, str | None]:
        """The caller, at the deadline or before: the body, or why there is none."""
        with self._lock:
            result = self._result
            self._abandoned = result is None
            connection = self._connection
        if result is None:
            if connection is not None:
                _shut_down(connection)
            raise FetchError(f"no complete answer within {self._timeout:g} seconds")
        if isinstance(result, FetchError):
            raise result
        return result

    def _get(self) -> tuple[bytes, str | None]:
        parts = urlsplit(self._url)
        host = parts.hostname
        if host is None or parts.scheme not in ("https", "http"):  # pragma: no cover
            raise FetchError("not an http(s) URL")  # checked at init_app
        connection: http.client.HTTPConnection
        if parts.scheme == "https":
            port = parts.port or 443
            context = ssl.create_default_context()
            connection = http.client.HTTPSConnection(
                host, port, timeout=self._timeout, context=context
            )
        else:
            connection = http.client.HTTPConnection(host, parts.port or 80, timeout=self._timeout)
        with self._lock:
            if self._abandoned:  # pragma: no cover - the caller gave up before this
                raise FetchError("abandoned")
            self._connection = connection
        try:
            try:
                connection.connect()
            except OSError as error:
                raise FetchError(f"cannot connect: {_reason(error)}") from None
            path = parts.path or "/"
            if parts.query:
                path += "?" + parts.query
            connection.request("GET", path, headers={"Accept": _ACCEPT})
            with connection.getresponse() as response:  # closing it releases the socket
                if response.status != 200:
                    raise FetchError(f"HTTP status {response.status}")
                cache_control = response.getheader("Cache-Control")
                body = bytearray()
                while chunk := response.read1(_CHUNK):
                    body += chunk
                    if len(body) > MAX_JWKS_BYTES:
                        raise FetchError(f"the document is larger than {MAX_JWKS_BYTES} bytes")
            return bytes(body), cache_control
        finally:
            connection.close()


def _shut_down(connection: http.client.HTTPConnection) -> None:
    # Wakes the worker blocked on the socket (connect, handshake or read); the worker
    # closes it. The plain socket's shutdown, so a TLS socket's state is left alone.
    sock = connection.sock
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _reason(reason: object) -> str:
    return str(reason)[:200]
