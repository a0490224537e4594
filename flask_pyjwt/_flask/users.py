"""The current user: an app's own user object, loaded from the verified token.

``@auth_manager.user_loader`` registers a function that turns a verified token into the
app's user (or ``None``); it returns a :class:`UserLoader` whose :attr:`UserLoader.current`
is the user of the current request, typed as the app's own class.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Final, Generic, TypeVar, cast

from werkzeug.local import LocalProxy

from flask_pyjwt._core.tokens import Token

from .context import request_environ
from .current import get_current_token, peek_current_token
from .http_errors import AuthenticationFailed

U = TypeVar("U")

# Kept in the request's WSGI environ, like current_token: (loader, token string, user).
_ENVIRON_KEY: Final = "flask_pyjwt.current_user"


class UserLoader(Generic[U]):
    """A registered user loader, returned by :meth:`AuthManager.user_loader
    <flask_pyjwt.AuthManager.user_loader>`.

    Every request that a ``require_token`` view or :func:`~flask_pyjwt.verify_request`
    accepts runs the loader once, after the token passed every check and before the
    view: a loader that returns ``None`` (no such user any more) answers 401
    ``user_not_found`` and the view never runs; one that raises an
    :class:`~flask_pyjwt.errors.HTTPAuthError` (an account locked: a 403 with a
    :class:`~flask_pyjwt.errors.CustomErrorCode`) answers that. The loader gets the verified
    token as its argument (``current_token`` is set only once the user is loaded). The
    user is kept with the request, so the loader runs at most once per request however
    often the user is read.

    Still callable as the function it wraps: ``load_user(token)``.

    Attributes:
        current: the user of the current request, typed as the loader's user class
            (a proxy: ``current_user = load_user.current`` at module level, then
            ``current_user.email`` in a view). Reading it where no token was verified
            (outside a protected request, or with no token on an ``optional=True``
            route) raises :class:`~flask_pyjwt.errors.NoCurrentTokenError`; use
            :meth:`get_or_none` there.
    """

    def __init__(self, load: Callable[[Token], U | None]) -> None:
        self._load = load
        name = cast("object", getattr(load, "__qualname__", None))
        self._name = name if isinstance(name, str) else repr(load)
        # Flask's own request and current_app are proxies typed as their target class;
        # this one is too, so that current_user.email type-checks without a cast.
        self.current: U = cast("U", LocalProxy(self.get))
        functools.update_wrapper(self, load)

    def __call__(self, token: Token) -> U | None:
        """Call the wrapped loader directly (no caching, no 401)."""
        return self._load(token)

    def load_for(self, token: Token) -> U:
        """The user of ``token`` for this request: loaded on the first call, then kept.

        Raises:
            AuthenticationFailed: 401 ``user_not_found``: the loader returned ``None``.
        """
        store = request_environ()
        cached = None if store is None else store.get(_ENVIRON_KEY)
        if isinstance(cached, tuple):
            loader, signed, user = cast("tuple[object, object, object]", cached)
            if loader is self and signed == token.signed:
                # Stored below by this very loader for this token: a U.
                return cast("U", user)
        loaded = self._load(token)
        if loaded is None:
            raise AuthenticationFailed(
                error_code="user_not_found", message="The token's subject is not a known user."
            )
        if store is not None:
            store[_ENVIRON_KEY] = (self, token.signed, loaded)
        return loaded

    def get(self) -> U:
        """The user of the current request.

        Raises:
            NoCurrentTokenError: no token was verified for this request.
            AuthenticationFailed: 401 ``user_not_found`` (only if the loader did not run
                for this request yet: a loader registered on another manager).
        """
        return self.load_for(get_current_token())

    def get_or_none(self) -> U | None:
        """The user of the current request, or ``None`` where no token was verified (an
        ``optional=True`` route that got no token, or outside a protected request)."""
        token = peek_current_token()
        return None if token is None else self.load_for(token)

    def __repr__(self) -> str:
        return f"<UserLoader {self._name}>"
