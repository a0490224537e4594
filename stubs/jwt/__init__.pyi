# Stub for PyJWT's top-level package, so that stubs/jwt/algorithms.pyi can replace the
# loosely typed jwt.algorithms. Every other submodule is not stubbed: both checkers fall back
# to PyJWT's own (inline-typed) modules for them, and this file only re-exports from them,
# exactly as jwt/__init__.py does. Checked against the runtime by stubtest (make typecheck).

from .api_jwk import PyJWK as PyJWK, PyJWKSet as PyJWKSet
from .api_jws import (
    PyJWS as PyJWS,
    get_algorithm_by_name as get_algorithm_by_name,
    get_unverified_header as get_unverified_header,
    register_algorithm as register_algorithm,
    unregister_algorithm as unregister_algorithm,
)
from .api_jwt import (
    PyJWT as PyJWT,
    decode as decode,
    decode_complete as decode_complete,
    encode as encode,
)
from .exceptions import (
    DecodeError as DecodeError,
    ExpiredSignatureError as ExpiredSignatureError,
    ImmatureSignatureError as ImmatureSignatureError,
    InvalidAlgorithmError as InvalidAlgorithmError,
    InvalidAudienceError as InvalidAudienceError,
    InvalidIssuedAtError as InvalidIssuedAtError,
    InvalidIssuerError as InvalidIssuerError,
    InvalidKeyError as InvalidKeyError,
    InvalidSignatureError as InvalidSignatureError,
    InvalidTokenError as InvalidTokenError,
    MissingRequiredClaimError as MissingRequiredClaimError,
    PyJWKClientConnectionError as PyJWKClientConnectionError,
    PyJWKClientError as PyJWKClientError,
    PyJWKError as PyJWKError,
    PyJWKSetError as PyJWKSetError,
    PyJWTError as PyJWTError,
)
from .jwks_client import PyJWKClient as PyJWKClient
from .warnings import InsecureKeyLengthWarning as InsecureKeyLengthWarning

__version__: str
__title__: str
__description__: str
__url__: str
__uri__: str
__author__: str
__email__: str
__license__: str
__copyright__: str

__all__ = [
    "PyJWS",
    "PyJWT",
    "PyJWKClient",
    "PyJWK",
    "PyJWKSet",
    "decode",
    "decode_complete",
    "encode",
    "get_unverified_header",
    "register_algorithm",
    "unregister_algorithm",
    "get_algorithm_by_name",
    "InsecureKeyLengthWarning",
    "DecodeError",
    "ExpiredSignatureError",
    "ImmatureSignatureError",
    "InvalidAlgorithmError",
    "InvalidAudienceError",
    "InvalidIssuedAtError",
    "InvalidIssuerError",
    "InvalidKeyError",
    "InvalidSignatureError",
    "InvalidTokenError",
    "MissingRequiredClaimError",
    "PyJWKClientConnectionError",
    "PyJWKClientError",
    "PyJWKError",
    "PyJWKSetError",
    "PyJWTError",
]
