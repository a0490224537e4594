"""OpenID Connect discovery's I/O: fetch ``<issuer>/.well-known/openid-configuration``,
then the JWK Set its ``jwks_uri`` names, as one
:class:`~flask_pyjwt._core.key_source.KeyFetcher` for the core's key cache. The
document's checks are the core's (:func:`~flask_pyjwt._core.discovery.jwks_uri_of`).
No Flask here.
"""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

from flask_pyjwt._core.discovery import jwks_uri_of
from flask_pyjwt._core.key_source import FetchError, KeyFetcher
from flask_pyjwt._core.uri import is_loopback_host

from .jwks import fetch_url


class DiscoveryFetcher:
    """A :class:`~flask_pyjwt._core.key_source.KeyFetcher` whose ``url`` is the discovery
    document: the first call reads it (with the same HTTP client, limits and deadline
    as a JWK Set) and remembers its ``jwks_uri``; every call then fetches the key set
    from there. A document that fails its checks is a failed fetch (the cache logs it,
    keeps any keys held and backs off), so a lying document never installs keys.

    Args:
        issuer: the issuer the document must name exactly.
        fetch: does each GET (``fetch_url``; tests may pass their own).
    """

    def __init__(self, issuer: str, fetch: KeyFetcher = fetch_url) -> None:
        self._issuer = issuer
        self._fetch = fetch
        self._lock = threading.Lock()
        self._jwks_uri: str | None = None

    @property
    def jwks_uri(self) -> str | None:
        """The ``jwks_uri`` read from the document (``None`` until it was)."""
        return self._jwks_uri

    def __call__(self, url: str, timeout: float, /) -> tuple[bytes, str | None]:
        """The JWK Set, after reading the discovery document at ``url`` if not yet done.

        Raises:
            FetchError: either fetch failed, or the document failed its checks.
        """
        with self._lock:
            jwks_uri = self._jwks_uri
        if jwks_uri is None:
            body, _ = self._fetch(url, timeout)
            jwks_uri = _fetchable(jwks_uri_of(body, self._issuer), url)
            with self._lock:
                self._jwks_uri = jwks_uri
        return self._fetch(jwks_uri, timeout)


def _fetchable(uri: str, document_url: str) -> str:
    """``uri`` if keys may be fetched from it: ``https://``, or ``http://`` on a loopback
    address (the rule ``JWT_JWKS_URL`` follows) named by a document that was itself
    fetched from loopback, without credentials. A remote document never sends this
    server to its own loopback interface.

    Raises:
        FetchError: any other URL (the document is refused).
    """
    shown = repr(uri)[:120]
    try:
        parts = urlsplit(uri)
        host = parts.hostname
    except ValueError:
        raise FetchError(f"the discovery document's jwks_uri {shown} is not a URL") from None
    if host is None or parts.username is not None or parts.password is not None:
        raise FetchError(f"the discovery document's jwks_uri {shown} is not a URL")
    if parts.scheme != "https" and not (parts.scheme == "http" and is_loopback_host(host)):
        raise FetchError(
            f"the discovery document's jwks_uri {shown} is not https:// (http:// is "
            "accepted on loopback addresses only)"
        )
    if is_loopback_host(host) and not is_loopback_host(urlsplit(document_url).hostname or ""):
        raise FetchError(
            f"the discovery document's jwks_uri {shown} is on loopback, but the document is not"
        )
    return uri
