"""Each app's extension state, at the bottom of the Flask layer.

``init_app`` stores an :class:`AppState` in ``app.extensions["flask_pyjwt"]``; the
request flow, ``current_token``, the user loader and the CLI read it from here, so none of
them imports the manager (which imports them). What they need of the manager is typed by
the Protocols below, and the user loader, which ``@auth_manager.user_loader`` may register
after ``init_app``, lives in a :class:`UserLoaderSlot` the manager shares with the state of
every app it serves.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Final, Protocol, cast

from flask import Flask, current_app, has_app_context

from flask_pyjwt._core.codec import TokenCodec
from flask_pyjwt._core.dpop import DPoPRuntime
from flask_pyjwt._core.errors import ContextError, NotInitializedError
from flask_pyjwt._core.requirements import Requirements
from flask_pyjwt._core.sessions import Sessions
from flask_pyjwt._core.strict_json import JSONInput
from flask_pyjwt._core.tokens import AuthToken, RefreshToken, Token

from .context import get_app

EXTENSION_NAME: Final = "flask_pyjwt"
"""The key of this extension's state in ``app.extensions``."""

LEGACY_EXTENSION_NAME: Final = "pyjwt_authmanager"
"""Where Flask_PyJWT 1.x code finds the manager: ``app.extensions["pyjwt_authmanager"]``."""


class LoadsUsers(Protocol):
    """What the request flow needs of a registered loader (any
    :class:`~flask_pyjwt.typing.UserLoader`)."""

    def load_for(self, token: Token) -> object:
        """The user of ``token`` for this request, loaded at most once."""
        ...


class IssuesTokens(Protocol):
    """What ``flask jwt issue`` needs of the :class:`~flask_pyjwt.AuthManager` that owns
    an app: its two issuing methods, with the options the command (and
    :mod:`flask_pyjwt.testing`) passes."""

    def auth_token(
        self,
        subject: str,
        scope: JSONInput = None,
        *,
        claims: Mapping[str, JSONInput] | None = None,
        fresh: bool | int | timedelta = False,
        dpop_jkt: str | None = None,
    ) -> AuthToken:
        """Issue a signed auth token (see ``AuthManager.auth_token``)."""
        ...

    def refresh_token(
        self, subject: str, *, claims: Mapping[str, JSONInput] | None = None
    ) -> RefreshToken:
        """Issue a signed refresh token (see ``AuthManager.refresh_token``)."""
        ...


@dataclass(slots=True)
class UserLoaderSlot:
    """The user loader registered on one manager, if any.

    Mutable, and shared by the :class:`AppState` of every app the manager serves:
    ``@auth_manager.user_loader`` usually runs after ``AuthManager(app)``.
    """

    loader: LoadsUsers | None = None


@dataclass(frozen=True, slots=True)
class AppState:
    """What ``init_app`` stores in ``app.extensions["flask_pyjwt"]``.

    Attributes:
        manager: the :class:`~flask_pyjwt.AuthManager` that owns the app.
        codec: the app's prepared keys and settings.
        sessions: the app's revocation store and what it does with it.
        users: the manager's user loader slot (read on every protected request).
        dpop: the app's DPoP proof checker and nonces.
    """

    manager: IssuesTokens
    codec: TokenCodec
    sessions: Sessions
    users: UserLoaderSlot
    dpop: DPoPRuntime


_REQUIREMENTS: Final[weakref.WeakKeyDictionary[object, tuple[Requirements, ...]]] = (
    weakref.WeakKeyDictionary()
)


def remember_requirements(protected: object, requirements: Requirements, *, inner: object) -> None:
    """Record what ``protected`` (a view ``require_token`` returned) requires: its own
    ``requirements``, then those of ``inner`` (the view it wraps, when that is itself
    protected by a stacked ``require_token``). Read by the resource metadata's
    ``scopes_supported`` and by the OpenAPI plugin."""
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


def extensions(app: Flask) -> MutableMapping[str, object]:
    """``app.extensions``, its values read as ``object`` (to be narrowed)."""
    # Flask types app.extensions as dict[str, Any]; read it as object values, and narrow
    # ours with isinstance in app_state.
    return cast("MutableMapping[str, object]", app.extensions)


def app_state(app: Flask) -> AppState:
    """The extension state of ``app``, narrowed to its type.

    Raises:
        NotInitializedError: ``init_app`` was not called for ``app``.
    """
    # Flask types app.extensions as dict[str, Any]: read it as object values, and narrow
    # ours with isinstance (a declared type costs nothing at run time; cast is a call).
    app_extensions: Mapping[str, object] = app.extensions
    state = app_extensions.get(EXTENSION_NAME)
    if not isinstance(state, AppState):
        raise NotInitializedError(
            f"the Flask app {app.name!r} has no AuthManager; did you forget "
            "AuthManager(app) or auth_manager.init_app(app)?"
        )
    return state


_NO_APP_CONTEXT: Final = (
    "flask_pyjwt needs an application context: call this inside a request or "
    "within `with app.app_context():`"
)


def current_extension() -> object:
    """``current_app.extensions["flask_pyjwt"]`` (``None`` if absent); outside an
    application context, Flask's :class:`RuntimeError`."""
    app_extensions: Mapping[str, object] = get_app().extensions
    return app_extensions.get(EXTENSION_NAME)


def current_state() -> AppState:
    """The state of the current app.

    Raises:
        ContextError: there is no application context.
        NotInitializedError: the current app was not initialised.
    """
    try:
        state = current_extension()
    except RuntimeError:
        if has_app_context():  # pragma: no cover - not the missing context: re-raise
            raise
        raise ContextError(_NO_APP_CONTEXT) from None
    if isinstance(state, AppState):
        return state
    return app_state(current_app)  # raises NotInitializedError


def manager_state(manager: IssuesTokens, apps: Iterable[Flask]) -> AppState:
    """The state of the app ``manager`` acts on: the current app's, or outside an
    application context the one app of ``apps`` (those ``manager`` serves).

    Raises:
        NotInitializedError: the current app has no state of ``manager``'s, or
            ``manager`` serves no app yet.
        ContextError: no application context, and ``manager`` serves several apps.
    """
    try:
        state = current_extension()
    except RuntimeError:
        if has_app_context():  # pragma: no cover - not the missing context: re-raise
            raise
        return app_state(_only_app(list(apps)))
    if not isinstance(state, AppState):
        state = app_state(current_app)  # raises NotInitializedError
    if state.manager is not manager:
        raise NotInitializedError(
            "this AuthManager was not initialised for the current app (another one was); "
            "did you forget init_app?"
        )
    return state


def _only_app(apps: list[Flask]) -> Flask:
    if len(apps) == 1:
        return apps[0]
    if not apps:
        raise NotInitializedError(
            "this AuthManager serves no app yet; did you forget AuthManager(app) or "
            "auth_manager.init_app(app)?"
        )
    names = ", ".join(sorted(repr(app.name) for app in apps))
    raise ContextError(
        f"this AuthManager serves {len(apps)} apps ({names}), so outside an application "
        "context it cannot tell which one to use; call it within "
        "`with app.app_context():` of the app you mean"
    )
