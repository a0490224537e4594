"""Reading an OpenID Connect discovery document (OpenID Connect Discovery 1.0, 4): the
pure half of ``IdentityProvider.discover``; ``flask_pyjwt._backends.discovery`` fetches.

The document is hostile input like a token: bounded (by the fetcher), parsed strictly,
and trusted only if its ``issuer`` is exactly the one configured (4.3: a document
naming another issuer is refused, so that a compromised or misrouted document cannot
substitute its keys). Whether its ``jwks_uri`` may be fetched (``https://``, ``http://``
on loopback only) is the fetcher's check, with the URL parser. No Flask and no I/O here.
"""

from __future__ import annotations

from .key_source import FetchError
from .strict_json import JSONDecodeError, loads_object


def _shown(value: object) -> str:
    return repr(value)[:120]


def jwks_uri_of(body: bytes, issuer: str) -> str:
    """The ``jwks_uri`` of the discovery document ``body``, for the provider ``issuer``.

    Raises:
        FetchError: not a strict JSON object, an ``issuer`` other than ``issuer``, or
            no ``jwks_uri`` string.
    """
    try:
        document = loads_object(body)
    except JSONDecodeError:
        raise FetchError("the discovery document is not a strict JSON object") from None
    named = document.get("issuer")
    if named != issuer:
        raise FetchError(
            f"the discovery document names the issuer {_shown(named)}, not {issuer!r}; "
            "refused (OpenID Connect Discovery 4.3)"
        )
    uri = document.get("jwks_uri")
    if not isinstance(uri, str):
        raise FetchError("the discovery document has no jwks_uri string")
    return uri
