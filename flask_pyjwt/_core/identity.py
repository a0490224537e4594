"""Reading the claim that names a token's user. No Flask here.

Flask-JWT-Extended's ``JWT_IDENTITY_CLAIM``: ``sub`` for this app's own tokens, and for an
identity provider's often another (``email``, ``oid``, ``preferred_username``). Which
claim it is for a token is its source's choice
(:meth:`~flask_pyjwt._core.codec.TokenCodec.identity_claim`: an identity provider's
``identity_claim``, else the app's setting); the source's claim policy has already
refused a token without it.
"""

from __future__ import annotations

from .errors import ClaimInvalidError
from .tokens import Token


def identity_of(token: Token, claim: str) -> str:
    """The value of ``token``'s identity ``claim``: its user's name or id.

    Raises:
        ClaimInvalidError: the claim is missing or not a non-empty string (a verified
            token never lacks it: its source's policy refused such a token).
    """
    if claim == "sub":
        return token.sub
    value = token.claims.get(claim)
    if not isinstance(value, str) or not value:
        raise ClaimInvalidError(
            claim,
            f"The token's {claim} claim, which names its user (JWT_IDENTITY_CLAIM), must be "
            "a non-empty string.",
        )
    return value
