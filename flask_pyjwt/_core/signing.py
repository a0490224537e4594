"""What signs and what verifies: the :class:`Signer`, :class:`Verifier` and
:class:`CacheableVerifier` Protocols (a KMS key, an HSM, any custom one fits), and the
:class:`JWSHeader` a verifier is shown. The built-in implementations are in
:mod:`.key_signers`. No Flask here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from .strict_json import JSONObject


@dataclass(frozen=True, slots=True, kw_only=True)
class JWSHeader:
    """The protected header of a token being verified, already strictly parsed.

    Attributes:
        alg: the ``alg`` the token claims; already checked against the verifier's
            :attr:`~flask_pyjwt.Verifier.algorithms` before a verifier sees it.
        kid: the ``kid``, an opaque string, if the token has one.
        typ: the ``typ``, if any.
        fields: every header parameter, read-only.
    """

    alg: str
    kid: str | None
    typ: str | None
    fields: JSONObject


class Signer(Protocol):
    """Signs the JWS signing input (``BASE64URL(header) '.' BASE64URL(payload)``).

    An implementation must:

    * return the raw signature bytes for :attr:`algorithm` as RFC 7518 defines them
      (ECDSA as ``R || S``, not DER);
    * keep its key to itself: no key bytes in ``repr``, ``str`` or exceptions.
    """

    @property
    def algorithm(self) -> str:
        """The ``alg`` header value of the tokens it signs (``"RS256"``, ...)."""
        ...

    @property
    def key_id(self) -> str | None:
        """The ``kid`` header value to put on tokens, or ``None`` for none."""
        ...

    def sign(self, signing_input: bytes) -> bytes:
        """Sign ``signing_input`` and return the signature."""
        ...


class Verifier(Protocol):
    """Checks the signature of a token whose structure the library has already verified.

    An implementation must:

    * only ever select keys from its own configuration: ``header.kid`` may pick among
      configured keys, nothing in the header may supply one (no ``jwk``/``jku``/``x5u``);
    * bind each key to one algorithm, and refuse an ``alg`` that key is not for;
    * raise :class:`~flask_pyjwt.errors.SignatureInvalidError` (bad signature) or
      :class:`~flask_pyjwt.errors.UnknownKeyError` (no key for this ``kid``), and return
      ``None`` only when the signature is valid.
    """

    @property
    def algorithms(self) -> frozenset[str]:
        """The allow-list of ``alg`` values. Tokens naming any other are rejected first."""
        ...

    def verify(self, header: JWSHeader, signing_input: bytes, signature: bytes) -> None:
        """Raise unless ``signature`` is valid for ``signing_input`` under ``header``."""
        ...


@runtime_checkable
class CacheableVerifier(Verifier, Protocol):
    """A :class:`Verifier` that says when its keys change, so that tokens it accepted may
    be cached (``JWT_VERIFY_CACHE_SIZE``).

    The app keeps what a full verification of a token proved and reuses it for the same
    token string until :meth:`key_generation` returns another value. The built-in
    :class:`KeyVerifier` and :class:`KeySetVerifier` (whose keys never change) and the
    identity provider's key set (``JWT_JWKS_URL``) are cacheable; any other custom
    verifier is verified in full on every token unless it implements this. An
    implementation must:

    * return a new value from :meth:`key_generation` (any ``int`` it has not returned
      since the keys were last the same) whenever a key it accepted before might no
      longer be accepted: a key removed or replaced, an algorithm no longer allowed;
    * be cheap and thread-safe there, and never raise: it is called on every request
      that has a token, before the cache is consulted.
    """

    def key_generation(self) -> int:
        """A number that changes whenever a key it accepted may no longer be accepted."""
        ...
