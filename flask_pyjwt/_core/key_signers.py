"""The built-in signers and verifiers, backed by PyJWT: :class:`KeySigner`,
:class:`KeyVerifier`, :class:`KeySetVerifier` (the Protocols they implement are in
:mod:`.signing`).

The library owns the token format (strict parsing, the header, the claims); a signer or
verifier only does the cryptography over the JWS signing input. That keeps every parsing
and claim check in one audited place, and makes a KMS signer or a JWKS verifier a few
lines long (see the docs' "Custom signers and verifiers").
"""

from __future__ import annotations

from collections.abc import Iterable

from .algorithms import AuthType, parse_auth_type
from .errors import (
    AlgorithmNotAllowedError,
    InvalidKeyError,
    SignatureInvalidError,
    UnknownKeyError,
)
from .jwks import JWKSet, PublicJWK, hmac_key_id, public_jwk, thumbprint
from .key_ops import KeyOps, asymmetric_ops, hmac_ops
from .keys import (
    KeyMaterial,
    check_secret_strength,
    hmac_secret,
    load_private_key,
    load_public_key,
)
from .signing import JWSHeader, Verifier


class _BoundKey:
    """A key parsed once and bound to one algorithm (shared by signer and verifier)."""

    __slots__ = ("_algorithm", "_algorithms", "_key_id", "_name", "_ops")

    def __init__(self, algorithm: AuthType, ops: KeyOps, key_id: str) -> None:
        self._algorithm = algorithm
        self._name = algorithm.value  # the alg string, as a token's header spells it
        self._algorithms = frozenset((algorithm.value,))
        self._ops = ops
        self._key_id = key_id

    @property
    def key_id(self) -> str:
        """The ``kid`` of this key: the one given, or the one derived from the key (see
        :class:`KeySigner`)."""
        return self._key_id

    def public_jwk(self) -> PublicJWK | None:
        """This key as a public JWK, or ``None`` for an HMAC secret (never published)."""
        public = self._ops.public_key()
        return None if public is None else public_jwk(public, self._algorithm, self._key_id)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(algorithm={self._algorithm.value!r}, "
            f"key_id={self._key_id!r}, key=<redacted>)"
        )


def _checked_key_id(key_id: object) -> str | None:
    if key_id is None:
        return None
    if not isinstance(key_id, str) or not key_id:
        raise ValueError(f"key_id must be a non-empty str or None, got {key_id!r}")
    return key_id


def _prepare(
    algorithm: AuthType | str,
    key: KeyMaterial,
    key_id: str | None,
    *,
    private: bool,
    require_strong_secret: bool,
    subject: str | None = None,
) -> tuple[AuthType, KeyOps, str]:
    """Parse ``key`` for ``algorithm``; the key id given, or the key's default one.

    A key that does not fit is an :class:`InvalidKeyError` said of ``subject`` in a full
    sentence (``KeySigner's RS256 key is not a PEM private key, ...``); a weak secret's
    warning names it too.
    """
    alg = parse_auth_type(algorithm)
    given = _checked_key_id(key_id)
    owner = "KeySigner" if private else "KeyVerifier"
    kind = "secret" if alg.is_symmetric else "key"
    named = subject or f"{owner}'s {alg.value} {kind}"
    try:
        if alg.is_symmetric:
            secret = hmac_secret(alg, key)
            check_secret_strength(alg, secret, required=require_strong_secret, subject=named)
            return alg, hmac_ops(alg, secret), given or hmac_key_id(secret)
        if private:
            private_key = load_private_key(alg, key)
            public = private_key.public_key()
            ops = asymmetric_ops(alg, public, private_key)
        else:
            public = load_public_key(alg, key)
            ops = asymmetric_ops(alg, public, None)
    except InvalidKeyError as error:
        raise error.about(named) from None
    return alg, ops, given or thumbprint(public)


class KeySigner(_BoundKey):
    """The built-in :class:`Signer`: one secret or private key, parsed and checked once.

    Every token it signs carries its ``kid``: ``key_id`` when given, else one derived
    from the key, the same in every process that holds it: the RFC 7638 JWK thumbprint
    of the public key for a key pair, and for an HMAC secret an HMAC of a fixed label
    under the secret (never a hash of the secret itself).

    Args:
        algorithm: the algorithm to sign with.
        key: an HMAC secret (``str``/``bytes``) for ``HS*``; otherwise a PEM private key
            (``str``/``bytes``) or a :mod:`cryptography` private key object.
        key_id: the ``kid`` to put in the header of every token signed, instead of the
            derived one.
        require_strong_secret: refuse an HMAC secret shorter than RFC 7518 3.2
            requires, instead of warning (what ``JWT_REQUIRE_STRONG_SECRET`` sets).

    Warns:
        WeakSecretWarning: an HMAC secret shorter than RFC 7518 3.2 requires (as the
            configuration warns about a short ``JWT_SECRET``).

    Raises:
        InvalidKeyError: the key does not fit the algorithm (type, curve, size), is not
            one, or is too short a secret with ``require_strong_secret`` (a
            :class:`ValueError` too).
        ValueError: an unknown algorithm, or ``key_id`` is an empty string.
    """

    __slots__ = ()

    def __init__(
        self,
        algorithm: AuthType | str,
        key: KeyMaterial,
        *,
        key_id: str | None = None,
        require_strong_secret: bool = False,
    ) -> None:
        super().__init__(
            *_prepare(
                algorithm, key, key_id, private=True, require_strong_secret=require_strong_secret
            )
        )

    @property
    def algorithm(self) -> str:
        """The ``alg`` of the tokens it signs."""
        return self._name

    def sign(self, signing_input: bytes) -> bytes:
        """The signature of ``signing_input``."""
        return self._ops.sign(signing_input)

    def matches(self, verifier: KeyVerifier) -> bool:
        """Whether ``verifier`` checks what this signer signs (same algorithm and key)."""
        return verifier.algorithm is self._algorithm and self._ops.same_key(verifier._ops)

    def verifier(self) -> KeyVerifier:
        """A verifier for what this signer signs (the same secret, or the public key)."""
        verifier = KeyVerifier.__new__(KeyVerifier)
        _BoundKey.__init__(verifier, self._algorithm, self._ops.public_only(), self._key_id)
        return verifier


def configured_signer(
    algorithm: AuthType, key: KeyMaterial, *, key_id: str | None, require_strong_secret: bool
) -> KeySigner:
    """A :class:`KeySigner` for ``JWT_SECRET``: the same checks, and a weak secret's
    warning names the setting (``JWT_SECRET: the HS256 secret is 9 bytes; ...``)."""
    signer = KeySigner.__new__(KeySigner)
    subject = f"JWT_SECRET: the {algorithm.value} secret"
    prepared = _prepare(
        algorithm,
        key,
        key_id,
        private=True,
        require_strong_secret=require_strong_secret,
        subject=subject,
    )
    _BoundKey.__init__(signer, *prepared)
    return signer


class KeyVerifier(_BoundKey):
    """The built-in :class:`Verifier`: one key bound to one algorithm, parsed once.

    A token whose header names a ``kid`` must name this key's; a token without ``kid``
    (issued before tokens carried one) is checked with this key.

    Args:
        algorithm: the one algorithm this key verifies; the allow-list is just that.
        key: an HMAC secret for ``HS*``; otherwise a PEM public key, an X.509 certificate,
            an OpenSSH public key line, or a :mod:`cryptography` key object.
        key_id: the ``kid`` this key answers to, instead of the one derived from the key
            as :class:`KeySigner` derives it.
        require_strong_secret: as for :class:`KeySigner`.

    Warns:
        WeakSecretWarning: as for :class:`KeySigner`.

    Raises:
        InvalidKeyError: as for :class:`KeySigner`.
        ValueError: an unknown algorithm, or ``key_id`` is an empty string.
    """

    __slots__ = ()

    def __init__(
        self,
        algorithm: AuthType | str,
        key: KeyMaterial,
        *,
        key_id: str | None = None,
        require_strong_secret: bool = False,
    ) -> None:
        super().__init__(
            *_prepare(
                algorithm, key, key_id, private=False, require_strong_secret=require_strong_secret
            )
        )

    @property
    def algorithm(self) -> AuthType:
        """The one algorithm this key is bound to."""
        return self._algorithm

    @property
    def algorithms(self) -> frozenset[str]:
        """The allow-list, exactly :attr:`algorithm`."""
        return self._algorithms

    def key_generation(self) -> int:
        """Always ``0``: the key never changes (see :class:`CacheableVerifier`)."""
        return 0

    def verify(self, header: JWSHeader, signing_input: bytes, signature: bytes) -> None:
        """Raise unless ``header.kid`` is absent or this key's, ``header.alg`` is this
        key's algorithm, and the signature is valid."""
        if header.kid is not None and header.kid != self._key_id:
            raise UnknownKeyError("No configured key matches the token's key id.")
        # the checks of verify_signature
        if header.alg != self._name:
            raise AlgorithmNotAllowedError("The token's algorithm is not allowed for this key.")
        if not self._ops.verify(signing_input, signature):
            raise SignatureInvalidError("The token's signature is not valid.")

    def verify_signature(self, header: JWSHeader, signing_input: bytes, signature: bytes) -> None:
        """Like :meth:`verify`, once the key was selected (the ``kid`` is not looked at)."""
        if header.alg != self._name:
            raise AlgorithmNotAllowedError("The token's algorithm is not allowed for this key.")
        if not self._ops.verify(signing_input, signature):
            raise SignatureInvalidError("The token's signature is not valid.")


class KeySetVerifier:
    """Several keys told apart by ``kid``, for key rotation.

    Lookup is one dictionary access, so the cost of verifying does not grow with the
    number of keys. A token with a ``kid`` no key has is rejected with
    :class:`~flask_pyjwt.errors.UnknownKeyError`; so is a token without ``kid`` when the set
    holds several keys (picking one would be a guess). With a single key, a token
    without ``kid`` is checked with that key, as :class:`KeyVerifier` does.

    Args:
        verifiers: the keys; each must have a distinct ``key_id``.

    Raises:
        ValueError: no keys, or two keys with the same ``key_id``.
    """

    __slots__ = ("_algorithms", "_by_kid", "_only")

    def __init__(self, verifiers: Iterable[KeyVerifier]) -> None:
        by_kid: dict[str, KeyVerifier] = {}
        for verifier in verifiers:
            kid = verifier.key_id
            if kid in by_kid:
                raise ValueError(f"two keys have key_id {kid!r}; key ids must be unique")
            by_kid[kid] = verifier
        if not by_kid:
            raise ValueError("a KeySetVerifier needs at least one key")
        self._by_kid = by_kid
        self._only = next(iter(by_kid.values())) if len(by_kid) == 1 else None
        self._algorithms = frozenset(v.algorithm.value for v in by_kid.values())

    @property
    def algorithms(self) -> frozenset[str]:
        """Every algorithm of the configured keys."""
        return self._algorithms

    @property
    def key_ids(self) -> frozenset[str]:
        """The ``kid`` of every key in the set."""
        return frozenset(self._by_kid)

    def get(self, key_id: str) -> KeyVerifier | None:
        """The key whose ``kid`` is ``key_id``, if the set holds one."""
        return self._by_kid.get(key_id)

    def key_generation(self) -> int:
        """Always ``0``: the keys never change (see :class:`CacheableVerifier`)."""
        return 0

    def verify(self, header: JWSHeader, signing_input: bytes, signature: bytes) -> None:
        """Pick the key by ``kid`` and let it verify."""
        kid = header.kid
        verifier = self._only if kid is None else self._by_kid.get(kid)
        if verifier is None:
            raise UnknownKeyError("No configured key matches the token's key id.")
        verifier.verify_signature(header, signing_input, signature)

    def public_jwks(self) -> list[PublicJWK]:
        """The public keys of the set as JWKs (HMAC secrets are left out)."""
        return [jwk for verifier in self._by_kid.values() if (jwk := verifier.public_jwk())]

    def __repr__(self) -> str:
        return f"KeySetVerifier(key_ids={sorted(self._by_kid)!r})"


def public_key_set(verifier: Verifier) -> JWKSet:
    """The public keys ``verifier`` checks tokens with, as a JWK Set.

    The built-in :class:`KeyVerifier` and :class:`KeySetVerifier` give theirs (an HMAC
    secret is never published); any other verifier (an identity provider's key set, a
    custom one) has no keys of this app to publish: ``{"keys": []}``.
    """
    if isinstance(verifier, KeySetVerifier):
        return {"keys": verifier.public_jwks()}
    if isinstance(verifier, KeyVerifier):
        jwk = verifier.public_jwk()
        return {"keys": [] if jwk is None else [jwk]}
    return {"keys": []}
