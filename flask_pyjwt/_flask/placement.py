"""Catch ``@require_token(...)`` written above ``@app.route(...)``.

Decorators apply bottom-up: above the route, ``require_token`` wraps a function the route
has already registered, and returns a protected wrapper that nothing serves. The view is
then served unprotected, silently. This module remembers every function ``require_token``
wrapped and refuses such a function as a registered view:

- when the decorator is applied to a view already registered on an app a manager
  serves (:func:`refuse_if_registered`), at import time;
- at ``init_app``, for views registered before it (:func:`check_app`);
- before every request until one passed the check (:func:`install_guard`), for views
  registered later, a blueprint typically. Flask refuses new routes once the first
  request was handled, so once the check passed it holds for good.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable, Mapping
from typing import Final, cast

from flask import Flask

from flask_pyjwt._core.errors import DecoratorOrderError
from flask_pyjwt._core.requirements import Requirements

_SERVED_APPS: Final[weakref.WeakSet[Flask]] = weakref.WeakSet()
_WRAPPED: Final[weakref.WeakSet[object]] = weakref.WeakSet()
_REQUIREMENTS: Final[weakref.WeakKeyDictionary[object, tuple[Requirements, ...]]] = (
    weakref.WeakKeyDictionary()
)

_FIX: Final = (
    "put @require_token(...) below @app.route(...) (or @blueprint.route(...)): swap the "
    "two lines, so that the route registers the protected view"
)


def _views(app: Flask) -> Mapping[str, object]:
    # Flask types view_functions with Callable[..., Any] values: read them as objects.
    return cast("Mapping[str, object]", app.view_functions)


def _was_wrapped(function: object) -> bool:
    try:
        return function in _WRAPPED
    except TypeError:  # an unhashable callable object: require_token never saw it
        return False


def remember_wrapped(view: object) -> None:
    """Record that ``require_token`` wrapped ``view`` (which must then not be served)."""
    # A builtin is not weak-referenceable; no route written above a decorator holds one.
    with contextlib.suppress(TypeError):
        _WRAPPED.add(view)


def refuse_if_registered(view: object, name: str) -> None:
    """Raise if ``view`` is already the registered view of an endpoint of a served app.

    Raises:
        DecoratorOrderError: naming the app and endpoint, saying to swap the lines.
    """
    for app in list(_SERVED_APPS):
        views = _views(app)
        # The membership test runs in C; the endpoint is looked up only for a hit. A
        # Python loop over every view of every app made each decoration cost
        # O(apps x views), quadratic for a process that builds many apps (a test suite).
        if view not in views.values():
            continue
        for endpoint, function in views.items():
            if function is view:
                raise DecoratorOrderError(
                    f"@require_token(...) was applied to {name}, which is already registered "
                    f"unprotected as the view of endpoint {endpoint!r} of the app "
                    f"{app.name!r}: the decorator sits above the route decorator. {_FIX}."
                )


def check_app(app: Flask) -> None:
    """Raise if a view of ``app`` is a function ``require_token`` wrapped.

    Raises:
        DecoratorOrderError: naming the endpoints, saying to swap the lines.
    """
    endpoints = sorted(
        endpoint for endpoint, function in _views(app).items() if _was_wrapped(function)
    )
    if endpoints:
        names = ", ".join(f"endpoint {endpoint!r}" for endpoint in endpoints)
        raise DecoratorOrderError(
            f"the app {app.name!r} would serve {names} unprotected: @require_token(...) sits "
            f"above the route decorator, so the route registered the view before it was "
            f"wrapped. {_FIX[0].upper()}{_FIX[1:]}. Every request is refused until then."
        )


def install_guard(app: Flask) -> None:
    """Check ``app`` now, remember it is served, and check it again before each request
    until one check passed (then nothing more is done per request).

    Raises:
        DecoratorOrderError: ``app`` already has such a view.
    """
    check_app(app)
    _SERVED_APPS.add(app)
    passed = False

    def guard() -> None:
        nonlocal passed
        if passed:
            return
        check_app(app)
        passed = True

    before_request: Callable[[Callable[[], None]], object] = app.before_request
    before_request(guard)


def remember_requirements(protected: object, requirements: Requirements, *, inner: object) -> None:
    """Record what ``protected`` (a view ``require_token`` returned) requires: its own
    ``requirements``, then those of ``inner`` (the view it wraps, when that is itself
    protected by a stacked ``require_token``)."""
    with contextlib.suppress(TypeError):  # not weak-referenceable: nothing to describe
        _REQUIREMENTS[protected] = (requirements, *requirements_of(inner))


def requirements_of(view: object) -> tuple[Requirements, ...]:
    """What ``view`` requires of a request's token, every one of them (stacked
    ``require_token`` decorators, outermost first), following ``__wrapped__`` through
    other decorators; ``()`` for a view ``require_token`` does not protect."""
    seen = 0
    current: object = view
    while current is not None and seen < _MAX_WRAPPERS:
        try:
            found = _REQUIREMENTS.get(current)
        except TypeError:  # unhashable or not weak-referenceable
            found = None
        if found is not None:
            return found
        current = getattr(current, "__wrapped__", None)
        seen += 1
    return ()


_MAX_WRAPPERS: Final = 32
"""How many ``__wrapped__`` links :func:`requirements_of` follows (a cycle ends there)."""
