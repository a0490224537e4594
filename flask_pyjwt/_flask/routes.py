"""The app's own documents: ``JWT_JWKS_ROUTE`` serves its public keys
(:meth:`AuthManager.jwks`) as a JWK Set, ``JWT_RESOURCE_METADATA_ROUTE`` its OAuth
protected-resource metadata (RFC 9728)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Final, cast
from urllib.parse import urlsplit

from flask import Flask, Response, url_for

from flask_pyjwt._core.jwks import JWKSet
from flask_pyjwt._core.locations import Location
from flask_pyjwt._core.policy import Settings
from flask_pyjwt._core.sources import SourceInfo
from flask_pyjwt._settings.dpop import WELL_KNOWN

from .context import get_request
from .state import requirements_of

JWKS_ENDPOINT: Final = "flask_pyjwt.jwks"
"""The endpoint name of the route (for ``url_for``)."""

JWKS_CACHE_SECONDS: Final = 300
"""``Cache-Control: max-age`` of the served JWK Set: how long other services may keep it.

A rotation waits at least this long between publishing a new key and signing with it
(see the docs' "Keys and rotation")."""


def register_jwks_route(app: Flask, path: str, key_set: JWKSet) -> None:
    """Serve ``key_set`` at ``path`` (GET and HEAD), JSON with a ``Cache-Control``.

    The keys of an app never change after ``init_app``, so the body is built once.
    """
    body = json.dumps(key_set, separators=(",", ":"))

    def jwks() -> Response:
        response = Response(body, mimetype="application/json")
        response.headers["Cache-Control"] = f"public, max-age={JWKS_CACHE_SECONDS}"
        return response

    app.add_url_rule(path, endpoint=JWKS_ENDPOINT, view_func=jwks, methods=("GET",))


RESOURCE_METADATA_ENDPOINT: Final = "flask_pyjwt.resource_metadata"
"""The endpoint name of the protected-resource metadata route (for ``url_for``)."""


def configured_issuers(sources: Sequence[SourceInfo]) -> tuple[str, ...]:
    """The issuers of the tokens this app accepts that are OAuth authorization server
    identifiers (RFC 8414 2: ``https`` URLs, ``http`` for a loopback host): the
    ``authorization_servers`` of the metadata. Every source's spellings (``JWT_ISSUER``
    for the app's own tokens, each identity provider's), once each, in order; an issuer
    template (Entra's ``{tenantid}``) names no one server and is left out."""
    found: dict[str, None] = {}
    for source in sources:
        for issuer in source.issuers:
            if "{" not in issuer and _is_issuer_url(issuer):
                found.setdefault(issuer)
    return tuple(found)


def _is_issuer_url(issuer: str) -> bool:
    try:
        parts = urlsplit(issuer)
    except ValueError:
        return False
    loopback = parts.hostname in ("localhost", "127.0.0.1", "::1")
    return (
        bool(parts.hostname)
        and not parts.query
        and not parts.fragment
        and (parts.scheme == "https" or (parts.scheme == "http" and loopback))
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _absolute(settings: Settings, path: str, endpoint: str) -> str:
    if settings.resource is not None:
        return _origin(settings.resource) + path
    return url_for(endpoint, _external=True)


def resource_metadata_url(settings: Settings) -> str | None:
    """The absolute URL of the metadata route for the current request (``None`` when
    ``JWT_RESOURCE_METADATA_ROUTE`` is unset): from ``JWT_RESOURCE`` when set, else
    from the request's own scheme and host (``ProxyFix`` decides them behind a proxy)."""
    route = settings.resource_metadata_route
    if route is None:
        return None
    return _absolute(settings, route, RESOURCE_METADATA_ENDPOINT)


def _scopes(app: Flask) -> list[str]:
    """Every scope a ``require_token(scope=...)`` of ``app``'s views names."""
    found: set[str] = set()
    # Flask types view_functions with Callable[..., Any] values: read them as objects.
    view_functions = cast("Mapping[str, object]", app.view_functions)
    for view in view_functions.values():
        for requirements in requirements_of(view):  # stacked require_token: each one
            scope = requirements.scope
            if isinstance(scope, str):
                found.update(scope.split())
            elif isinstance(scope, tuple):
                found.update(item for item in scope if isinstance(item, str))
            elif isinstance(scope, Mapping):
                found.update(scope)
    return sorted(found)


_BEARER_METHODS: Final[Mapping[Location, str]] = {"header": "header", "query": "query"}


def resource_metadata(
    app: Flask, settings: Settings, sources: Sequence[SourceInfo]
) -> dict[str, str | bool | list[str]]:
    """The protected-resource metadata document (RFC 9728 2) of ``app``, whose token
    sources are ``sources``, for the current request."""
    resource = settings.resource
    if resource is None:
        # RFC 9728 3.1/3.3: what follows the well-known prefix is the resource's path.
        route = settings.resource_metadata_route or ""
        path = route[len(WELL_KNOWN) :] if route.startswith(WELL_KNOWN + "/") else ""
        resource = get_request().host_url.rstrip("/") + path
    document: dict[str, str | bool | list[str]] = {"resource": resource}
    issuers = configured_issuers(sources)
    if issuers:
        document["authorization_servers"] = list(issuers)
    if settings.jwks_route is not None:
        document["jwks_uri"] = _absolute(settings, settings.jwks_route, JWKS_ENDPOINT)
    scopes = _scopes(app)
    if scopes:
        document["scopes_supported"] = list(scopes)
    locations = settings.transport.locations
    document["bearer_methods_supported"] = [
        _BEARER_METHODS[at] for at in locations if at in _BEARER_METHODS
    ]
    dpop = settings.dpop
    if dpop.mode != "disabled":
        document["dpop_signing_alg_values_supported"] = [a.value for a in dpop.algorithms]
    document["dpop_bound_access_tokens_required"] = dpop.mode == "required"
    return document


def register_resource_metadata_route(
    app: Flask, path: str, settings: Settings, sources: Sequence[SourceInfo]
) -> None:
    """Serve RFC 9728's protected-resource metadata of an app whose token sources are
    ``sources`` at ``path`` (GET), JSON."""

    def metadata() -> Response:
        body = json.dumps(resource_metadata(app, settings, sources), separators=(",", ":"))
        response = Response(body, mimetype="application/json")
        response.headers["Cache-Control"] = f"public, max-age={JWKS_CACHE_SECONDS}"
        return response

    app.add_url_rule(
        path, endpoint=RESOURCE_METADATA_ENDPOINT, view_func=metadata, methods=("GET",)
    )
