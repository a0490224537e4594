"""Which claim names a token's user, and reading it. No Flask here.

Flask-JWT-Extended's ``JWT_IDENTITY_CLAIM``: ``sub`` for this app's own tokens, and for an
identity provider's often another (``email``, ``oid``, ``preferred_username``).
:func:`identity_claim` is the one place that picks the claim, so that a per-provider
choice can take precedence over the app's setting there.
"""

from __future__ import annotations

from .errors import ClaimInvalidError
from .policy import Settings
from .tokens import Token


def identity_claim(settings: Settings) -> str:
    """The claim that names the user of a token verified under ``settings``
    (``JWT_IDENTITY_CLAIM``, default ``sub``)."""
    return settings.identity_claim


def identity_of(token: Token, claim: str) -> str:
    """The value of ``token``'s identity ``claim``: its user's name or id.

    Raises:
        ClaimInvalidError: the claim is missing or not a non-empty string (``sub``
            never is: verification already refused such a token).
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
