"""The names flask_pyjwt's signatures use that an app only annotates with.

Type aliases (the JSON shapes, key types, ``Literal`` option values), new types and
protocols: import them to annotate your own code, for example
``def view() -> JSONObject`` or a custom revocation store's ``status(query:
RevocationQuery) -> RevocationState``. Nothing here is needed at run time by an app
that only uses flask_pyjwt's classes and functions.
"""

from flask_pyjwt._core.algorithms import AuthType
from flask_pyjwt._core.claim_requirements import ClaimRequirement
from flask_pyjwt._core.dpop import DPoPMode, DPoPProof
from flask_pyjwt._core.jwks import JWKSet, PublicJWK
from flask_pyjwt._core.keys import KeyMaterial, PrivateKey, PublicKey
from flask_pyjwt._core.locations import Location
from flask_pyjwt._core.requirements import RequireOptions
from flask_pyjwt._core.revocation import RevocationQuery, RevocationState
from flask_pyjwt._core.signing import JWSHeader
from flask_pyjwt._core.strict_json import (
    FrozenJSONObject,
    JSONArray,
    JSONInput,
    JSONObject,
    JSONScalar,
    JSONValue,
)
from flask_pyjwt._core.tokens import SessionId, TokenTypeName
from flask_pyjwt._core.transport import SameSite
from flask_pyjwt._flask.current import CurrentToken
from flask_pyjwt._flask.http_errors import ErrorCode
from flask_pyjwt._flask.users import UserLoader

__all__ = [
    "AuthType",
    "ClaimRequirement",
    "CurrentToken",
    "DPoPMode",
    "DPoPProof",
    "ErrorCode",
    "FrozenJSONObject",
    "JSONArray",
    "JSONInput",
    "JSONObject",
    "JSONScalar",
    "JSONValue",
    "JWKSet",
    "JWSHeader",
    "KeyMaterial",
    "Location",
    "PrivateKey",
    "PublicJWK",
    "PublicKey",
    "RequireOptions",
    "RevocationQuery",
    "RevocationState",
    "SameSite",
    "SessionId",
    "TokenTypeName",
    "UserLoader",
]
