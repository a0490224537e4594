"""The current Flask app and request, each reached through one call.

``flask.current_app`` and ``flask.request`` are Werkzeug context proxies: every attribute
read through one looks the object up again, through several Python-level calls, which
made finding the app's state and the request's WSGI environ a noticeable share of a
protected request. Flask documents how to get the object behind a proxy once ("Notes On
Proxies" in its request-context guide, and Werkzeug's :class:`~werkzeug.local.LocalProxy`):
its ``_get_current_object()`` method, a plain function set on each proxy when it is
made, which these wrap. Outside an app (request) context they raise Flask's
:class:`RuntimeError`, as the proxies do.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Final, cast

from flask import Flask, Request, current_app, request
from werkzeug.local import LocalProxy

get_app: Final[Callable[[], Flask]] = cast("LocalProxy[Flask]", current_app)._get_current_object  # pyright: ignore[reportPrivateUsage]
"""The current app (the object ``current_app`` stands for)."""

get_request: Final[Callable[[], Request]] = cast("LocalProxy[Request]", request)._get_current_object  # pyright: ignore[reportPrivateUsage]
"""The current request (the object ``request`` stands for)."""


def request_environ() -> MutableMapping[str, object] | None:
    """The current request's WSGI environ, or ``None`` outside a request.

    One proxy lookup: outside a request the proxy raises Flask's :class:`RuntimeError`.
    Werkzeug types the environ as ``dict[str, Any]``; its values are read as ``object``
    and narrowed where they are read (a declared type costs nothing, a cast is a call).
    """
    try:
        environ: MutableMapping[str, object] = get_request().environ
    except RuntimeError:
        return None
    return environ
