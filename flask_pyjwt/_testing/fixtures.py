"""The pytest fixtures of :mod:`flask_pyjwt.testing` (imported there only with pytest)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol, TypeVar, cast

import pytest
from typing_extensions import ParamSpec

from .fake_idp import FakeIdentityProvider
from .kit import TokenClock

_P = ParamSpec("_P")
_T = TypeVar("_T")


class _Decorator(Protocol):
    def __call__(self, function: Callable[_P, _T], /) -> Callable[_P, _T]: ...


# pytest types fixture() with Any: this one cast keeps the fixtures' own signatures.
_fixture = cast("_Decorator", pytest.fixture)


@_fixture
def token_clock() -> TokenClock:
    """A :class:`~flask_pyjwt.testing.TokenClock` at the current second: pass it to
    ``AuthManager(app, clock=token_clock)``."""
    return TokenClock()


@_fixture
def fake_idp(token_clock: TokenClock) -> Iterator[FakeIdentityProvider]:
    """A serving :class:`~flask_pyjwt.testing.FakeIdentityProvider` (issuer
    ``https://idp.test/``, audience ``my-api``, ES256) that stamps its tokens with
    ``token_clock``; configure the app with ``app.config.from_mapping(fake_idp.config())``
    and ``AuthManager(app, clock=token_clock)``."""
    with FakeIdentityProvider(clock=token_clock) as provider:
        yield provider
