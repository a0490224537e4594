"""The app's own user objects, both ways: token to user, and user to token.

``@auth_manager.user_loader`` registers a function that turns a verified token into the
app's user (or ``None``); it returns a :class:`UserLoader` whose :attr:`UserLoader.current`
is the user of the current request, typed as the app's own class.

``@auth_manager.identity_loader`` (user to ``sub``) and ``@auth_manager.claims_loader``
(user to custom claims) let a login view pass its user object to ``auth_token``; the
manager's type parameter (``AuthManager[User]``) says which class that is, so passing
another is a type error. :class:`UserHooks` holds the three for the manager.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final, Generic, cast

from typing_extensions import Never, TypeVar
from werkzeug.local import LocalProxy

from flask_pyjwt._core.identity import identity_of
from flask_pyjwt._core.issuing import check_subject
from flask_pyjwt._core.strict_json import JSONInput
from flask_pyjwt._core.tokens import Token

from .context import request_environ
from .current import get_current_token, peek_current_token
from .http_errors import AuthenticationFailed
from .state import UserLoaderSlot, current_state

U = TypeVar("U")
M = TypeVar("M", default=Never)  # the manager's user class: AuthManager[User]

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


@dataclass(slots=True)
class IdentityHooks(Generic[M]):
    """The identity and claims loaders registered on one manager, if any."""

    identity: Callable[[M], str] | None = None
    claims: Callable[[M], Mapping[str, JSONInput]] | None = None


class UserHooks(Generic[M]):
    """The user hooks of :class:`~flask_pyjwt.AuthManager`: its three loaders."""

    _users: UserLoaderSlot
    _identity_hooks: IdentityHooks[M]

    def user_loader(self, loader: Callable[[Token], U | None]) -> UserLoader[U]:
        """Register the function that turns a verified token into the app's user.

        Use it as a decorator; it returns a :class:`~flask_pyjwt.typing.UserLoader` whose
        ``current`` is the user of the current request, typed as the class the loader returns:

        .. code-block:: python
            :caption: From docs/examples/users.py

            @auth_manager.user_loader
            def load_user(token: Token) -> User | None:
                return USERS.get(token.sub)  # your database lookup; None answers 401 user_not_found


            current_user = load_user.current  # typed User: no cast, no Any

        Every request a protected view or :func:`~flask_pyjwt.verify_request` accepts
        runs it once, after the token passed every check and before the view; ``None``
        answers 401 ``user_not_found``. With ``JWT_IDENTITY_CLAIM`` set to another claim
        than ``sub``, look the user up by :meth:`identity`.

        Raises:
            ValueError: this manager already has a user loader.
        """
        if self._users.loader is not None:
            raise ValueError(
                "this AuthManager already has a user loader; register one function that "
                "loads the user of any token"
            )
        registered = UserLoader(loader)
        self._users.loader = registered
        return registered

    def identity_loader(self, loader: Callable[[M], str]) -> Callable[[M], str]:
        """Register the function that turns the app's user object into a token's ``sub``
        (Flask-JWT-Extended's ``user_identity_loader``); returns it unchanged.

        Then :meth:`~flask_pyjwt.AuthManager.auth_token` and
        :meth:`~flask_pyjwt.AuthManager.refresh_token` take the user object itself; a
        ``str`` is still the subject as it is. Annotate the manager with the user class
        (``auth_manager: AuthManager[User] = AuthManager(app)``) and passing any other
        object is a type error.

        Raises:
            ValueError: this manager already has an identity loader.
        """
        if self._identity_hooks.identity is not None:
            raise ValueError("this AuthManager already has an identity loader")
        self._identity_hooks.identity = loader
        return loader

    def claims_loader(
        self, loader: Callable[[M], Mapping[str, JSONInput]]
    ) -> Callable[[M], Mapping[str, JSONInput]]:
        """Register the function that gives the custom claims of an auth token issued for
        a user object (Flask-JWT-Extended's ``additional_claims_loader``); returns it.

        Called by ``auth_token(user, ...)`` when given a user object (not a ``str``); the
        claims passed to that call take precedence over the loader's. Refresh tokens do
        not get them: a rotated auth token has the claims ``rotate`` is given.

        Raises:
            ValueError: this manager already has a claims loader.
        """
        if self._identity_hooks.claims is not None:
            raise ValueError("this AuthManager already has a claims loader")
        self._identity_hooks.claims = loader
        return loader

    def identity(self, token: Token) -> str:
        """The identity of ``token``: its ``JWT_IDENTITY_CLAIM`` claim (``sub`` by
        default), what a user loader looks the user up by.

        A protected route refuses a token without it (401 ``claim_invalid``), so in a
        user loader and a view this never raises.

        Raises:
            ClaimInvalidError: the claim is missing or not a non-empty string.
        """
        return identity_of(token, current_state().codec.identity_claim(token))

    def _subject(self, subject: str | M) -> tuple[str, Mapping[str, JSONInput] | None]:
        """The ``sub`` for ``subject`` and, for a user object, its loader's claims."""
        if isinstance(subject, str):
            return subject, None
        hooks = self._identity_hooks
        if hooks.identity is None:
            check_subject(subject)  # the TypeError for a caller without a type checker
            raise AssertionError  # pragma: no cover - check_subject raised
        # Read as object: an untyped loader may return anything.
        sub = cast("object", hooks.identity(subject))
        if not isinstance(sub, str):
            raise TypeError(
                f"the identity loader returned a {type(sub).__name__}; it must return the "
                "sub as a non-empty str"
            )
        return sub, None if hooks.claims is None else hooks.claims(subject)
