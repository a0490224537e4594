"""Keys configured for a key-pair algorithm (RS/PS/ES/EdDSA): a private key in
``JWT_SECRET`` (its public half verifies, or ``JWT_PUBLICKEY``'s, which must match), or
only a public key in ``JWT_PUBLICKEY`` (verify-only); either as PEM/DER/SSH or a JWK, and
``JWT_PUBLICKEY`` as a JWK Set. No Flask here.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_pyjwt._core.algorithms import AuthType
from flask_pyjwt._core.errors import InvalidConfigError, MissingConfigError
from flask_pyjwt._core.key_signers import KeySetVerifier, KeySigner, KeyVerifier
from flask_pyjwt._core.keys import KeyMaterial
from flask_pyjwt._core.policy import Settings
from flask_pyjwt._core.signing import Signer, Verifier

from .key_material import SIGNING_KEY_PLACES, jwk_document, key_error, key_material
from .keys_jwk import jwk_object_quiet, signer_in_key_set, signing_jwk, verification_jwks
from .sources import ConfigLookup


def _check_several_algorithms(settings: Settings, secret: object, public: object) -> None:
    if len(settings.algorithms) < 2 or settings.jwks_url is not None:
        return
    if secret is None and public is not None and jwk_object_quiet(public) is not None:
        return
    raise InvalidConfigError(
        "JWT_AUTHTYPE",
        f"lists {len(settings.algorithms)} algorithms, which only a verify-only app whose keys "
        "come as a JWK Set (JWT_JWKS_URL, or a JWK Set in JWT_PUBLICKEY without JWT_SECRET) "
        "accepts, each key bound to one by its alg; an app that issues tokens signs with one",
    )


def pair_keys(
    lookup: ConfigLookup,
    settings: Settings,
    algorithm: AuthType,
    secret: KeyMaterial | Mapping[str, object] | None,
) -> tuple[Signer | None, Verifier]:
    """The signer (``None``: verify-only) and verifier of a key-pair app.

    Raises:
        MissingConfigError: neither ``JWT_SECRET`` nor ``JWT_PUBLICKEY`` is set.
        InvalidConfigError: a key does not fit ``algorithm``, or the two keys disagree.
    """
    key_id = settings.key_id
    public = key_material(lookup, "JWT_PUBLICKEY")
    _check_several_algorithms(settings, secret, public)
    if secret is None and public is None:
        raise MissingConfigError(
            "JWT_SECRET",
            f"is required for {algorithm.value}: the PEM private key that signs tokens. Make "
            f"a key pair with: flask jwt keygen --alg {algorithm.value}, and put the private "
            f"key's contents in {SIGNING_KEY_PLACES}. A verify-only service sets JWT_PUBLICKEY "
            "(the public key) instead",
        )
    signing_key, key_id = _signing_key(algorithm, secret, key_id)
    public_document = None if public is None else jwk_document("JWT_PUBLICKEY", public)
    if public_document is not None:
        verifiers = verification_jwks(public_document, settings.algorithms, key_id)
        key_set = KeySetVerifier(verifiers)
        if signing_key is None:
            return None, key_set
        return signer_in_key_set(algorithm, signing_key, key_id, key_set), key_set
    return _pem_keys(algorithm, signing_key, public, key_id)


def _signing_key(
    algorithm: AuthType, secret: KeyMaterial | Mapping[str, object] | None, key_id: str | None
) -> tuple[KeyMaterial | None, str | None]:
    """``JWT_SECRET``'s private key (``None``: verify-only) and the ``kid`` it signs with."""
    if secret is None:
        return None, key_id
    document = jwk_document("JWT_SECRET", secret)
    if document is not None:
        configured = signing_jwk(document, algorithm, key_id)
        assert configured.jwk.private is not None
        return configured.jwk.private, configured.kid
    if isinstance(secret, Mapping):  # pragma: no cover - a mapping is always a document
        raise InvalidConfigError("JWT_SECRET", "is a mapping but not a JWK")
    return secret, key_id


def _pem_keys(
    algorithm: AuthType,
    signing_key: KeyMaterial | None,
    public: KeyMaterial | Mapping[str, object] | None,
    key_id: str | None,
) -> tuple[Signer | None, Verifier]:
    """A PEM (or DER, SSH) private key, public key, or matching pair."""
    signer_or_none: KeySigner | None = None
    if signing_key is not None:
        try:
            signer_or_none = KeySigner(algorithm, signing_key, key_id=key_id)
        except ValueError as error:
            raise key_error("JWT_SECRET", error) from None
    if public is None:
        assert signer_or_none is not None
        return signer_or_none, signer_or_none.verifier()
    assert not isinstance(public, Mapping)
    try:
        verifier = KeyVerifier(algorithm, public, key_id=key_id)
    except ValueError as error:
        raise key_error("JWT_PUBLICKEY", error) from None
    if signer_or_none is None:
        return None, verifier
    if not signer_or_none.matches(verifier):
        raise InvalidConfigError(
            "JWT_PUBLICKEY", "is not the public half of JWT_SECRET; give the matching pair"
        )
    return signer_or_none, signer_or_none.verifier()
