# Stub for PyJWT's top-level package, so that stubs/jwt/algorithms.pyi can replace the
# loosely typed jwt.algorithms. Every other submodule is not stubbed: both checkers fall back
# to PyJWT's own (inline-typed) modules for them, and this file only re-exports from them,
# exactly as jwt/__init__.py does. Checked against the runtime by stubtest (make typecheck).

from .api_jwk import PyJWK as PyJWK
from .api_jwk import PyJWKSet as PyJWKSet
from .api_jws import (
    PyJWS as PyJWS,
)
from .api_jws import (
    get_algorithm_by_name as get_algorithm_by_name,
)
from .api_jws import (
    get_unverified_header as get_unverified_header,
)
from .api_jws import (
    register_algorithm as register_algorithm,
)
from .api_jws import (
    unregister_algorithm as unregister_algorithm,
)
from .api_jwt import (
    PyJWT as PyJWT,
)
from .api_jwt import (
    decode as decode,
)
from .api_jwt import (
    decode_complete as decode_complete,
)
from .api_jwt import (
    encode as encode,
)
from .exceptions import (
    DecodeError as DecodeError,
)
from .exceptions import (
    ExpiredSignatureError as ExpiredSignatureError,
)
from .exceptions import (
    ImmatureSignatureError as ImmatureSignatureError,
)
from .exceptions import (
    InvalidAlgorithmError as InvalidAlgorithmError,
)
from .exceptions import (
    InvalidAudienceError as InvalidAudienceError,
)
from .exceptions import (
    InvalidIssuedAtError as InvalidIssuedAtError,
)
from .exceptions import (
    InvalidIssuerError as InvalidIssuerError,
)
from .exceptions import (
    InvalidKeyError as InvalidKeyError,
)
from .exceptions import (
    InvalidSignatureError as InvalidSignatureError,
)
from .exceptions import (
    InvalidTokenError as InvalidTokenError,
)
from .exceptions import (
    MissingRequiredClaimError as MissingRequiredClaimError,
)
from .exceptions import (
    PyJWKClientConnectionError as PyJWKClientConnectionError,
)
from .exceptions import (
    PyJWKClientError as PyJWKClientError,
)
from .exceptions import (
    PyJWKError as PyJWKError,
)
from .exceptions import (
    PyJWKSetError as PyJWKSetError,
)
from .exceptions import (
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
