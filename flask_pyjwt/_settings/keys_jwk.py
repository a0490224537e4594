"""Keys configured as a JWK or a JWK Set (JSON text or a mapping) in ``JWT_SECRET`` /
``JWT_PUBLICKEY``. No Flask here.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_pyjwt._core.algorithms import AuthType
from flask_pyjwt._core.errors import InvalidConfigError, InvalidKeyError
from flask_pyjwt._core.jwk import (
    JWK,
    bind,
    has_private_members,
    jwk_object,
    key_set_members,
    parse_jwk,
)
from flask_pyjwt._core.key_signers import KeySetVerifier, KeySigner, KeyVerifier
from flask_pyjwt._core.keys import KeyMaterial
from flask_pyjwt._core.strict_json import FrozenJSONObject

from .key_material import (
    key_error,
)


@dataclass(frozen=True, slots=True)
class JWKKey:
    """A configured JWK and the ``kid`` it answers to (``None``: derived from the key)."""

    jwk: JWK
    kid: str | None


def signing_jwk(document: FrozenJSONObject, algorithm: AuthType, key_id: str | None) -> JWKKey:
    """``JWT_SECRET`` given as a JWK: its key, bound to ``algorithm``, and its ``kid``."""
    try:
        if key_set_members(document) is not None:
            raise InvalidKeyError(
                "is a JWK Set; JWT_SECRET is the one key that signs: give that JWK alone "
                "(the keys that verify go in JWT_PUBLICKEY)"
            )
        jwk = parse_jwk(document)
        if not jwk.is_private:
            raise InvalidKeyError(
                f"is a public {jwk.kty} JWK; signing with {algorithm.value} needs the private "
                "key (its 'd' member); a verify-only service sets JWT_PUBLICKEY instead"
            )
        bind(jwk, (algorithm,), "sign")
    except InvalidKeyError as error:
        raise key_error("JWT_SECRET", error) from None
    if key_id is not None and jwk.kid is not None and key_id != jwk.kid:
        raise InvalidConfigError(
            "JWT_KEY_ID",
            f"is {key_id!r}, but the JWK in JWT_SECRET has kid {jwk.kid!r}; set one of them",
        )
    return JWKKey(jwk=jwk, kid=key_id or jwk.kid)


def verification_jwks(
    document: FrozenJSONObject, algorithms: tuple[AuthType, ...], key_id: str | None
) -> list[KeyVerifier]:
    """``JWT_PUBLICKEY`` given as a JWK or a JWK Set: one verifier per key."""
    members = key_set_members_or_error(document)
    single = members is None
    objects = (document,) if members is None else members
    if not objects:
        raise InvalidConfigError("JWT_PUBLICKEY", "is a JWK Set without keys")
    verifiers: list[KeyVerifier] = []
    for index, obj in enumerate(objects):
        where = "is a JWK that" if single else f"holds a JWK (keys[{index}]) that"
        if has_private_members(obj):
            raise InvalidConfigError(
                "JWT_PUBLICKEY",
                f"{where} carries private or secret key material; it must hold public keys "
                "only (a JWK Set is published: drop 'd', 'p', 'q', 'dp', 'dq', 'qi', 'k')",
            )
        try:
            jwk = parse_jwk(obj)
            algorithm = bind(jwk, algorithms, "verify")
        except InvalidKeyError as error:
            prefix = "" if single else f"keys[{index}] "
            raise InvalidConfigError("JWT_PUBLICKEY", f"{prefix}{error.detail}") from None
        assert jwk.public is not None
        kid = jwk.kid or (key_id if single else None)
        if single and key_id is not None and jwk.kid is not None and key_id != jwk.kid:
            raise InvalidConfigError(
                "JWT_KEY_ID",
                f"is {key_id!r}, but the JWK in JWT_PUBLICKEY has kid {jwk.kid!r}; set one of them",
            )
        verifiers.append(KeyVerifier(algorithm, jwk.public, key_id=kid))
    seen: set[str] = set()
    for verifier in verifiers:
        if verifier.key_id in seen:
            raise InvalidConfigError(
                "JWT_PUBLICKEY", f"holds two keys with kid {verifier.key_id!r}; kids must be unique"
            )
        seen.add(verifier.key_id)
    return verifiers


def key_set_members_or_error(document: FrozenJSONObject) -> tuple[FrozenJSONObject, ...] | None:
    """:func:`key_set_members`, its error as ``JWT_PUBLICKEY``'s."""
    try:
        return key_set_members(document)
    except InvalidKeyError as error:
        raise key_error("JWT_PUBLICKEY", error) from None


def jwk_object_quiet(material: object) -> FrozenJSONObject | None:
    """:func:`jwk_object`, or ``None`` where it would raise."""
    try:
        return jwk_object(material)
    except InvalidKeyError:
        return None


def signer_in_key_set(
    algorithm: AuthType, signing_key: KeyMaterial, key_id: str | None, key_set: KeySetVerifier
) -> KeySigner:
    """The signer for ``signing_key``, whose public half must be in ``key_set``.

    Without a configured ``kid`` (``JWT_KEY_ID`` or the JWK's own), the signer takes the
    ``kid`` its public key has in the set, so tokens name the key the set verifies with.
    """
    try:
        signer = KeySigner(algorithm, signing_key, key_id=key_id)
    except ValueError as error:
        raise key_error("JWT_SECRET", error) from None
    listed = key_set.get(signer.key_id)
    if listed is None and key_id is None:
        for kid in sorted(key_set.key_ids):
            candidate = key_set.get(kid)
            if candidate is not None and signer.matches(candidate):
                return KeySigner(algorithm, signing_key, key_id=kid)
    if listed is None:
        raise InvalidConfigError(
            "JWT_PUBLICKEY",
            f"has no key with kid {signer.key_id!r}, the kid of JWT_SECRET; add JWT_SECRET's "
            "public key to the JWK Set (the tokens it signs could not be verified otherwise)",
        )
    if not signer.matches(listed):
        raise InvalidConfigError(
            "JWT_PUBLICKEY",
            f"holds another key than JWT_SECRET's under kid {signer.key_id!r}; give the "
            "matching public key, or another kid",
        )
    return signer
