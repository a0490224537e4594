"""A testing kit for apps that use flask_pyjwt: tokens, keys and time, without glue.

* :func:`auth_header`: the ``Authorization`` header of a token the app itself issued.
* :class:`TokenClock`: a clock for ``AuthManager(app, clock=clock)`` that tests move
  with :meth:`~TokenClock.advance` instead of sleeping.
* :class:`FakeIdentityProvider`: a JWKS on 127.0.0.1 and tokens in an identity
  provider's shape, with key rotation.
* :class:`DPoPKey`: a DPoP client's key, its thumbprint and its proofs (RFC 9449), and
  :func:`dpop_auth_header`, the headers of a token the app issued bound to it.

With pytest, two fixtures wrap the last two: :func:`token_clock` (a :class:`TokenClock`
at the current second) and :func:`fake_idp` (a serving :class:`FakeIdentityProvider`
whose tokens follow ``token_clock``). They are opt-in, never loaded on their own (no
``pytest11`` entry point): name this module in your top-level ``conftest.py``::

    pytest_plugins = ["flask_pyjwt.testing"]

Without pytest installed, this module still imports, without the two fixtures. The
marker PYTEST_DONT_REWRITE tells pytest not to rewrite this module's assertions (it has
none): a ``conftest.py`` may import from it before naming it as a plugin, without
pytest's "already imported" warning.
"""

import contextlib

from flask_pyjwt._testing.dpop import DPoPAlgorithm, DPoPKey, dpop_auth_header
from flask_pyjwt._testing.fake_idp import FakeAlgorithm, FakeIdentityProvider
from flask_pyjwt._testing.kit import TokenClock, auth_header

# Without pytest, no fixtures (pytest is installed wherever the tests run).
with contextlib.suppress(ImportError):
    from flask_pyjwt._testing.fixtures import fake_idp, token_clock

__all__ = [
    "DPoPAlgorithm",
    "DPoPKey",
    "FakeAlgorithm",
    "FakeIdentityProvider",
    "TokenClock",
    "auth_header",
    "dpop_auth_header",
    "fake_idp",
    "token_clock",
]
