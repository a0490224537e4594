"""Typed custom claims: declare a token's custom claims once, as a frozen dataclass.

:func:`dump_claims` turns such a dataclass into the ``claims=`` mapping of
:meth:`~flask_pyjwt.AuthManager.auth_token`; :func:`load_claims` (and
``current_token.claims_as``, ``require_token(claims_as=...)``) checks a token's claims
against the shape and builds the dataclass. :doc:`/typing` shows the pattern.
"""

from flask_pyjwt._core.typed_claims import ClaimsDataclass, dump_claims, load_claims

__all__ = ["ClaimsDataclass", "dump_claims", "load_claims"]
