# Stub for PyJWT's top-level package, so that stubs/jwt/algorithms.pyi can replace the
# loosely typed jwt.algorithms. Every other submodule is not stubbed: both checkers fall back
# to PyJWT's own (inline-typed) modules for them, and this file only re-exports from them,
# exactly as jwt/__init__.py does. Checked against the runtime by stubtest (make typecheck).

from jwt.api_jwk import PyJWK as PyJWK
from jwt.api_jwk import PyJWKSet as PyJWKSet
from jwt.api_jws import (
    PyJWS as PyJWS,
)
from jwt.api_jws import (
    get_algorithm_by_name as get_algorithm_by_name,
)
from jwt.api_jws import (
    get_unverified_header as get_unverified_header,
)
from jwt.api_jws import (
    register_algorithm as register_algorithm,
)
from jwt.api_jws import (
    unregister_algorithm as unregister_algorithm,
)
from jwt.api_jwt import (
    PyJWT as PyJWT,
)
from jwt.api_jwt import (
    decode as decode,
)
from jwt.api_jwt import (
    decode_complete as decode_complete,
)
from jwt.api_jwt import (
    encode as encode,
)
from jwt.exceptions import (
    DecodeError as DecodeError,
)
from jwt.exceptions import (
    ExpiredSignatureError as ExpiredSignatureError,
)
from jwt.exceptions import (
    ImmatureSignatureError as ImmatureSignatureError,
)
from jwt.exceptions import (
    InvalidAlgorithmError as InvalidAlgorithmError,
)
from jwt.exceptions import (
    InvalidAudienceError as InvalidAudienceError,
)
from jwt.exceptions import (
    InvalidIssuedAtError as InvalidIssuedAtError,
)
from jwt.exceptions import (
    InvalidIssuerError as InvalidIssuerError,
)
from jwt.exceptions import (
    InvalidKeyError as InvalidKeyError,
)
from jwt.exceptions import (
    InvalidSignatureError as InvalidSignatureError,
)
from jwt.exceptions import (
    InvalidTokenError as InvalidTokenError,
)
from jwt.exceptions import (
    MissingRequiredClaimError as MissingRequiredClaimError,
)
from jwt.exceptions import (
    PyJWKClientConnectionError as PyJWKClientConnectionError,
)
from jwt.exceptions import (
    PyJWKClientError as PyJWKClientError,
)
from jwt.exceptions import (
    PyJWKError as PyJWKError,
)
from jwt.exceptions import (
    PyJWKSetError as PyJWKSetError,
)
from jwt.exceptions import (
    PyJWTError as PyJWTError,
)
from jwt.jwks_client import PyJWKClient as PyJWKClient
from jwt.warnings import InsecureKeyLengthWarning as InsecureKeyLengthWarning

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
