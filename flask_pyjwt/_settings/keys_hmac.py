"""Keys configured for an HMAC algorithm (``HS*``): ``JWT_SECRET`` signs and verifies, as raw
bytes or text, or as an ``oct`` JWK. No Flask here.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_pyjwt._core.algorithms import AuthType
from flask_pyjwt._core.errors import IgnoredConfigWarning, InvalidKeyError, MissingConfigError
from flask_pyjwt._core.hints import warn_at_caller
from flask_pyjwt._core.key_signers import configured_signer
from flask_pyjwt._core.keys import KeyMaterial, hmac_secret
from flask_pyjwt._core.policy import Settings
from flask_pyjwt._core.signing import Signer, Verifier

from .key_material import SIGNING_KEY_PLACES, jwk_document, key_error
from .keys_jwk import signing_jwk
from .sources import ConfigLookup


def hmac_keys(
    lookup: ConfigLookup,
    settings: Settings,
    algorithm: AuthType,
    secret: KeyMaterial | Mapping[str, object] | None,
) -> tuple[Signer, Verifier]:
    """The signer and verifier of an ``HS*`` app, from ``JWT_SECRET``.

    Warns:
        IgnoredConfigWarning: ``JWT_PUBLICKEY`` is set too (an HMAC secret has no public
            half).

    Raises:
        MissingConfigError: ``JWT_SECRET`` is not set.
        InvalidConfigError: the secret is not usable for ``algorithm``.
    """
    key_id = settings.key_id
    if lookup("JWT_PUBLICKEY") is not None:
        warn_at_caller(
            f"JWT_PUBLICKEY: is ignored with {algorithm.value}, which signs and verifies "
            "with JWT_SECRET alone; remove it, or set JWT_AUTHTYPE to the algorithm of "
            "its key pair",
            IgnoredConfigWarning,
        )
    if secret is None:
        raise MissingConfigError(
            "JWT_SECRET",
            f"is required for {algorithm.value}: the HMAC secret. Set {SIGNING_KEY_PLACES}; "
            f"make a random secret with: flask jwt keygen --alg {algorithm.value}",
        )
    document = jwk_document("JWT_SECRET", secret)
    if document is not None:
        configured = signing_jwk(document, algorithm, key_id)
        assert configured.jwk.secret is not None
        raw = configured.jwk.secret
        key_id = configured.kid
    else:
        try:
            raw = hmac_secret(algorithm, secret)
        except InvalidKeyError as error:
            raise key_error("JWT_SECRET", error) from None
    try:
        signer = configured_signer(
            algorithm, raw, key_id=key_id, require_strong_secret=settings.require_strong_secret
        )
    except ValueError as error:
        raise key_error("JWT_SECRET", error) from None
    return signer, signer.verifier()
