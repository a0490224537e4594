"""``JWT_JWKS_ROUTE``: serve the app's public keys (:meth:`AuthManager.jwks`) as a JWK Set."""

from __future__ import annotations

import json
from typing import Final

from flask import Flask, Response

from flask_pyjwt._core.jwks import JWKSet

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
