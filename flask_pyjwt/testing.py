"""A testing kit for apps that use flask_pyjwt: tokens, keys and time, without glue.

* :func:`auth_header`: the ``Authorization`` header of a token the app itself issued.
* :class:`TokenClock`: a clock for ``AuthManager(app, clock=clock)`` that tests move
  with :meth:`~TokenClock.advance` instead of sleeping.
* :class:`FakeIdentityProvider`: a JWKS on 127.0.0.1 and tokens in an identity
  provider's shape, with key rotation.

With pytest, two fixtures wrap the last two: ``token_clock`` (a :class:`TokenClock`
at the current time) and ``fake_idp`` (a serving :class:`FakeIdentityProvider` whose
tokens follow ``token_clock``). They are opt-in: name this module in your
``conftest.py``::

    pytest_plugins = ["flask_pyjwt.testing"]

Importing this module never requires pytest: without it, there are no fixtures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol, TypeVar, cast

from typing_extensions import ParamSpec

from flask_pyjwt._testing.fake_idp import FakeAlgorithm, FakeIdentityProvider
from flask_pyjwt._testing.kit import TokenClock, auth_header

__all__ = ["FakeAlgorithm", "FakeIdentityProvider", "TokenClock", "auth_header"]

_P = ParamSpec("_P")
_T = TypeVar("_T")


class _Decorator(Protocol):
    def __call__(self, function: Callable[_P, _T], /) -> Callable[_P, _T]: ...


try:
    import pytest
except ImportError:  # pragma: no cover - pytest is installed wherever the tests run
    pass
else:
    # pytest types fixture() with Any: this one cast keeps the fixtures' own signatures.
    _fixture = cast("_Decorator", pytest.fixture)

    @_fixture
    def token_clock() -> TokenClock:
        """A :class:`TokenClock` at the current second: pass it to
        ``AuthManager(app, clock=token_clock)``."""
        return TokenClock()

    @_fixture
    def fake_idp(token_clock: TokenClock) -> Iterator[FakeIdentityProvider]:
        """A serving :class:`FakeIdentityProvider` (the defaults: issuer
        ``https://idp.test/``, audience ``my-api``, ES256) stamping its tokens with
        ``token_clock``; configure the app with ``app.config.from_mapping(fake_idp.config())``."""
        with FakeIdentityProvider(clock=token_clock) as provider:
            yield provider
