# Stub for jwt.algorithms (PyJWT 2.13+) with no Any in it.
#
# PyJWT's own annotations type the Algorithm ABC's keys as Any (prepare_key(key: Any) -> Any,
# sign(msg, key: Any), ...), HMAC hash factories as Callable[..., Any], JWKs as dict[str, Any]
# and OKPAlgorithm(**kwargs: Any). Here:
#   * the ABC takes keys typed Never: code holding only an `Algorithm` cannot pass a key of
#     the wrong family (it must know the concrete class), and every concrete class keeps the
#     exact key types of its own implementation (parameters may widen in subclasses);
#   * hash factories are a small Protocol that hashlib.sha256/384/512 satisfy;
#   * JWK dictionaries are dict[str, object] (read them with isinstance checks);
#   * OKPAlgorithm() takes no arguments (the runtime ignores any).
# Checked against the installed PyJWT with `python -m mypy.stubtest` (make typecheck).

from abc import ABC, abstractmethod
from typing import ClassVar, Literal, NoReturn, Protocol, TypeAlias, overload, type_check_only

from cryptography.hazmat.primitives.asymmetric.ec import (
    EllipticCurve,
    EllipticCurvePrivateKey,
    EllipticCurvePublicKey,
)
from cryptography.hazmat.primitives.asymmetric.ed448 import Ed448PrivateKey, Ed448PublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes, PublicKeyTypes
from cryptography.hazmat.primitives.hashes import HashAlgorithm
from typing_extensions import Never

_JWKDict: TypeAlias = dict[str, object]

@type_check_only
class _HashObject(Protocol):
    @property
    def digest_size(self) -> int: ...
    def digest(self) -> bytes: ...

@type_check_only
class _HashFactory(Protocol):
    def __call__(self, data: bytes = ..., /) -> _HashObject: ...

AllowedRSAKeys: TypeAlias = RSAPrivateKey | RSAPublicKey
AllowedECKeys: TypeAlias = EllipticCurvePrivateKey | EllipticCurvePublicKey
AllowedOKPKeys: TypeAlias = Ed25519PrivateKey | Ed25519PublicKey | Ed448PrivateKey | Ed448PublicKey
AllowedKeys: TypeAlias = AllowedRSAKeys | AllowedECKeys | AllowedOKPKeys
AllowedPrivateKeys: TypeAlias = (
    RSAPrivateKey | EllipticCurvePrivateKey | Ed25519PrivateKey | Ed448PrivateKey
)
AllowedPublicKeys: TypeAlias = (
    RSAPublicKey | EllipticCurvePublicKey | Ed25519PublicKey | Ed448PublicKey
)

has_crypto: bool
requires_cryptography: set[str]

def get_default_algorithms() -> dict[str, Algorithm]: ...

class Algorithm(ABC):
    def compute_hash_digest(self, bytestr: bytes) -> bytes: ...
    def check_crypto_key_type(self, key: PublicKeyTypes | PrivateKeyTypes) -> None: ...
    @abstractmethod
    def prepare_key(self, key: Never) -> object: ...
    @abstractmethod
    def sign(self, msg: bytes, key: Never) -> bytes: ...
    @abstractmethod
    def verify(self, msg: bytes, key: Never, sig: bytes) -> bool: ...
    @overload
    @staticmethod
    @abstractmethod
    def to_jwk(key_obj: Never, as_dict: Literal[True]) -> _JWKDict: ...
    @overload
    @staticmethod
    @abstractmethod
    def to_jwk(key_obj: Never, as_dict: Literal[False] = False) -> str: ...
    @staticmethod
    @abstractmethod
    def from_jwk(jwk: str | _JWKDict) -> object: ...
    def check_key_length(self, key: Never) -> str | None: ...

class NoneAlgorithm(Algorithm):
    def prepare_key(self, key: str | None) -> None: ...
    def sign(self, msg: bytes, key: None) -> bytes: ...
    def verify(self, msg: bytes, key: None, sig: bytes) -> bool: ...
    @staticmethod
    def to_jwk(key_obj: object, as_dict: bool = False) -> NoReturn: ...
    @staticmethod
    def from_jwk(jwk: str | _JWKDict) -> NoReturn: ...

class HMACAlgorithm(Algorithm):
    SHA256: ClassVar[_HashFactory]
    SHA384: ClassVar[_HashFactory]
    SHA512: ClassVar[_HashFactory]
    hash_alg: _HashFactory
    def __init__(self, hash_alg: _HashFactory) -> None: ...
    def prepare_key(self, key: str | bytes) -> bytes: ...
    @overload
    @staticmethod
    def to_jwk(key_obj: str | bytes, as_dict: Literal[True]) -> _JWKDict: ...
    @overload
    @staticmethod
    def to_jwk(key_obj: str | bytes, as_dict: Literal[False] = False) -> str: ...
    @staticmethod
    def from_jwk(jwk: str | _JWKDict) -> bytes: ...
    def check_key_length(self, key: bytes) -> str | None: ...
    def sign(self, msg: bytes, key: bytes) -> bytes: ...
    def verify(self, msg: bytes, key: bytes, sig: bytes) -> bool: ...

class RSAAlgorithm(Algorithm):
    SHA256: ClassVar[type[HashAlgorithm]]
    SHA384: ClassVar[type[HashAlgorithm]]
    SHA512: ClassVar[type[HashAlgorithm]]
    hash_alg: type[HashAlgorithm]
    def __init__(self, hash_alg: type[HashAlgorithm]) -> None: ...
    def check_key_length(self, key: AllowedRSAKeys) -> str | None: ...
    def prepare_key(self, key: AllowedRSAKeys | str | bytes) -> AllowedRSAKeys: ...
    @overload
    @staticmethod
    def to_jwk(key_obj: AllowedRSAKeys, as_dict: Literal[True]) -> _JWKDict: ...
    @overload
    @staticmethod
    def to_jwk(key_obj: AllowedRSAKeys, as_dict: Literal[False] = False) -> str: ...
    @staticmethod
    def from_jwk(jwk: str | _JWKDict) -> AllowedRSAKeys: ...
    def sign(self, msg: bytes, key: RSAPrivateKey) -> bytes: ...
    def verify(self, msg: bytes, key: RSAPublicKey, sig: bytes) -> bool: ...

class ECAlgorithm(Algorithm):
    SHA256: ClassVar[type[HashAlgorithm]]
    SHA384: ClassVar[type[HashAlgorithm]]
    SHA512: ClassVar[type[HashAlgorithm]]
    hash_alg: type[HashAlgorithm]
    expected_curve: type[EllipticCurve] | None
    def __init__(
        self, hash_alg: type[HashAlgorithm], expected_curve: type[EllipticCurve] | None = None
    ) -> None: ...
    def prepare_key(self, key: AllowedECKeys | str | bytes) -> AllowedECKeys: ...
    def sign(self, msg: bytes, key: EllipticCurvePrivateKey) -> bytes: ...
    def verify(self, msg: bytes, key: AllowedECKeys, sig: bytes) -> bool: ...
    @overload
    @staticmethod
    def to_jwk(key_obj: AllowedECKeys, as_dict: Literal[True]) -> _JWKDict: ...
    @overload
    @staticmethod
    def to_jwk(key_obj: AllowedECKeys, as_dict: Literal[False] = False) -> str: ...
    @staticmethod
    def from_jwk(jwk: str | _JWKDict) -> AllowedECKeys: ...

class RSAPSSAlgorithm(RSAAlgorithm):
    def sign(self, msg: bytes, key: RSAPrivateKey) -> bytes: ...
    def verify(self, msg: bytes, key: RSAPublicKey, sig: bytes) -> bool: ...

class OKPAlgorithm(Algorithm):
    def __init__(self) -> None: ...
    def prepare_key(self, key: AllowedOKPKeys | str | bytes) -> AllowedOKPKeys: ...
    def sign(self, msg: str | bytes, key: Ed25519PrivateKey | Ed448PrivateKey) -> bytes: ...
    def verify(self, msg: str | bytes, key: AllowedOKPKeys, sig: str | bytes) -> bool: ...
    @overload
    @staticmethod
    def to_jwk(key: AllowedOKPKeys, as_dict: Literal[True]) -> _JWKDict: ...
    # PyJWT names this parameter `key` where the base class says `key_obj`; the stub follows
    # the runtime (stubtest checks names), so pyright sees a keyword-name mismatch here.
    @overload
    @staticmethod
    def to_jwk(  # pyright: ignore[reportIncompatibleMethodOverride]
        key: AllowedOKPKeys, as_dict: Literal[False] = False
    ) -> str: ...
    @staticmethod
    def from_jwk(jwk: str | _JWKDict) -> AllowedOKPKeys: ...
