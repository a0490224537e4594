"""Turning configured key material into ready key objects, once, with every check up front.

A key is checked against the algorithm it will be used with: an RSA key for ``ES256``, a
P-384 key for ``ES256``, a 1024-bit RSA key or a PEM public key used as an HMAC secret
are all refused here, at start-up, instead of surprising a request later.
Messages name the problem, never the key.
"""

from __future__ import annotations

import json
import os
import re
from typing import Final, TypeAlias, TypeGuard, Union, cast

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.ec import (
    EllipticCurvePrivateKey,
    EllipticCurvePublicKey,
)
from cryptography.hazmat.primitives.asymmetric.ed448 import Ed448PrivateKey, Ed448PublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_der_private_key,
    load_der_public_key,
    load_pem_private_key,
    load_pem_public_key,
    load_ssh_public_key,
)

from .algorithms import EC_CURVES, MIN_RSA_BITS, AuthType
from .errors import InvalidKeyError, WeakSecretWarning
from .hints import warn_at_caller

PrivateKey: TypeAlias = Union[
    RSAPrivateKey, EllipticCurvePrivateKey, Ed25519PrivateKey, Ed448PrivateKey
]
"""A private key object from :mod:`cryptography` that can sign for some algorithm."""

PublicKey: TypeAlias = Union[RSAPublicKey, EllipticCurvePublicKey, Ed25519PublicKey, Ed448PublicKey]
"""A public key object from :mod:`cryptography` that can verify for some algorithm."""

KeyMaterial: TypeAlias = Union[str, bytes, PrivateKey, PublicKey]
"""What a key may be configured as: PEM text or bytes, an OpenSSH public key line, or a
ready :mod:`cryptography` key object."""

# What load_ssh_public_key reads: "<type> <base64>", the type one of these.
_SSH_PREFIXES = (b"ssh-rsa ", b"ssh-ed25519 ", b"ssh-ed448 ", b"ecdsa-sha2-")

# Every OpenSSH key type name, followed by any separator (a tab, too) or none: as a key
# guard, broader than what the loader accepts (PyJWT's HMAC guard refuses all of these).
_SSH_KEY_TYPES = (b"ssh-rsa", b"ssh-dss", b"ssh-ed25519", b"ssh-ed448", b"ecdsa-sha2-", b"sk-")

# PEM armour (RFC 7468: five dashes) and RFC 4716 SSH2 armour (four dashes and a space).
_PEM_ARMOUR: Final = re.compile(rb"-----BEGIN [A-Z0-9 ]+-----")
_SSH2_ARMOUR: Final = re.compile(rb"---- BEGIN SSH2 [A-Z ]+----")

# File extensions of key files: a value ending in one is the file's name, not its contents.
_KEY_FILE_SUFFIXES: Final = (
    ".pem", ".key", ".pub", ".crt", ".cer", ".der", ".p8", ".pk8", ".jwk", ".jwks", ".json",
)  # fmt: skip

_MAX_PATH_LENGTH: Final = 4096


def _as_bytes(material: str | bytes) -> bytes:
    return material.encode("utf-8") if isinstance(material, str) else material


def _pem_text(data: bytes) -> bytes:
    """``data`` with ``\\n`` escapes turned into newlines, when it holds PEM armour.

    An environment variable or a ``.env`` line often carries a PEM with its line breaks
    written as the two characters ``\\n``. PEM text never contains a backslash (RFC 7468:
    base64 lines and ``-----`` labels), so for text with PEM armour this cannot change a
    key that was right; anything else is left as it is.
    """
    stripped = data.strip()
    if b"\\" in stripped and b"-----BEGIN" in stripped:
        return stripped.replace(b"\\r\\n", b"\n").replace(b"\\n", b"\n").strip()
    return stripped


def _is_der_key(data: bytes) -> bool:
    # The binary forms of what PEM armour wraps: SubjectPublicKeyInfo, a certificate or
    # an unencrypted PKCS#8 / traditional private key.
    try:
        load_der_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        pass
    else:
        return True
    try:
        x509.load_der_x509_certificate(data)
    except ValueError:
        pass
    else:
        return True
    try:
        load_der_private_key(data, password=None)
    except TypeError:  # encrypted: a private key all the same
        return True
    except (ValueError, UnsupportedAlgorithm):
        return False
    return True


def _is_json_key(data: bytes) -> bool:
    # A JWK is a JSON object, a JWKS an object holding an array; a JSON object or array
    # is never a random secret. (json.loads also reads UTF-16/32 bytes, as PyJWT does.)
    try:
        value = cast("object", json.loads(data))
    except RecursionError:  # nothing but nested brackets: no secret looks like that
        return True
    except ValueError:
        return False
    return isinstance(value, (dict, list))


def _looks_like_path(data: bytes) -> bool:
    """One line naming a key file (by its extension), or the path of an existing file."""
    if len(data) > _MAX_PATH_LENGTH:
        return False
    try:
        text = data.decode("utf-8").strip()
    except UnicodeDecodeError:
        return False
    if not text or any(char in text for char in "\r\n\0"):
        return False
    if text.lower().endswith(_KEY_FILE_SUFFIXES):
        return True
    return ("/" in text or "\\" in text) and os.path.isfile(os.path.expanduser(text))


_PATH_ADVICE: Final = (
    "looks like a file path, not the key itself; pass the file's contents "
    "(for example Path(path).read_bytes())"
)


_JSON_KIND: Final = "a JWK or JWKS (JSON text)"


def _key_like(data: bytes) -> str | None:
    """What key material ``data`` looks like, if it looks like any (never the value)."""
    stripped = data.strip()
    if _SSH2_ARMOUR.search(stripped):
        return "an SSH2 public key block (RFC 4716)"
    if _PEM_ARMOUR.search(stripped) or b"-----BEGIN" in stripped:
        return "a PEM key or certificate"
    if stripped.startswith(_SSH_KEY_TYPES):
        return "an OpenSSH public key line"
    # Checked for JSON-looking text only (json.loads reads UTF-16/32 bytes too, as PyJWT).
    if (stripped.startswith((b"{", b"[")) or not stripped.isascii()) and _is_json_key(data):
        return _JSON_KIND
    if _is_der_key(data):
        return "a DER-encoded key or certificate"
    return None


def is_json_text(data: bytes) -> bool:
    """Whether ``data`` is JSON text holding an object or array (a JWK or JWKS, say)."""
    return _key_like(data) == _JSON_KIND


def hmac_secret(algorithm: AuthType, material: object) -> bytes:
    """The raw HMAC key for ``algorithm``.

    Raises:
        InvalidKeyError: empty, not ``str``/``bytes``, key text of any kind (PEM, SSH,
            DER, a JWK: a public key used as an HMAC secret is algorithm confusion), or
            a key file's path instead of the secret.
    """
    alg = algorithm.value
    if not isinstance(material, (str, bytes)):
        raise InvalidKeyError(
            f"must be a str or bytes secret for {alg}, got {type(material).__name__}"
        )
    secret = _as_bytes(material)
    if not secret:
        raise InvalidKeyError(f"is empty; {alg} needs a secret")
    kind = _key_like(secret)
    if kind == "a JWK or JWKS (JSON text)":
        raise InvalidKeyError(
            f"looks like a JWK or JWKS (JSON text), which is not accepted as the {alg} "
            'secret: pass the raw secret bytes instead (an oct JWK\'s "k" member, '
            f"base64url-decoded), or make a new secret with: flask jwt keygen --alg {alg}"
        )
    if kind is not None:
        raise InvalidKeyError(
            f"looks like {kind}, which is not a secret for {alg}: for a key pair, set "
            "JWT_AUTHTYPE to an RS/PS/ES/EdDSA algorithm and JWT_SECRET to the private "
            f"key; for {alg}, make a random secret with: flask jwt keygen --alg {alg}"
        )
    if _looks_like_path(secret):
        raise InvalidKeyError(f"{_PATH_ADVICE}, or Path(path).read_text().strip()")
    return secret


def check_secret_strength(
    algorithm: AuthType, secret: bytes, *, required: bool, subject: str
) -> None:
    """Warn about, or with ``required`` refuse, an HMAC secret shorter than RFC 7518 3.2
    requires for ``algorithm`` (as many bytes as the hash's output). ``subject`` names
    the secret in the warning (``"KeySigner's HS256 secret"``, ``"JWT_SECRET: the HS256
    secret"``).

    The one place this policy lives: ``KeySigner``, ``KeyVerifier`` and the
    configuration (``JWT_SECRET`` with ``JWT_REQUIRE_STRONG_SECRET``) all come here.

    Warns:
        WeakSecretWarning: too short, and not ``required``; at the caller's line.

    Raises:
        InvalidKeyError: too short, and ``required``.
    """
    needed = algorithm.min_secret_bytes
    if len(secret) >= needed:
        return
    detail = (
        f"is {len(secret)} bytes; RFC 7518 3.2 requires at least {needed} for "
        f"{algorithm.value} (generate one with: python -c 'import secrets; "
        f"print(secrets.token_urlsafe({needed}))')"
    )
    if required:
        raise InvalidKeyError(detail)
    warn_at_caller(f"{subject} {detail}.", WeakSecretWarning)


def check_key_fits(algorithm: AuthType, key: PrivateKey | PublicKey) -> None:
    """Check that ``key`` is of the type and size ``algorithm`` needs.

    Raises:
        InvalidKeyError: it is not.
    """
    family = algorithm.family
    if family == "RSA":
        if not isinstance(key, (RSAPrivateKey, RSAPublicKey)):
            raise InvalidKeyError(f"is a {_describe(key)}, but {algorithm.value} needs an RSA key")
        if key.key_size < MIN_RSA_BITS:
            raise InvalidKeyError(
                f"is a {key.key_size}-bit RSA key; {algorithm.value} needs {MIN_RSA_BITS} bits "
                "or more (RFC 7518 3.3)"
            )
    elif family == "EC":
        if not isinstance(key, (EllipticCurvePrivateKey, EllipticCurvePublicKey)):
            raise InvalidKeyError(f"is a {_describe(key)}, but {algorithm.value} needs an EC key")
        expected = EC_CURVES[algorithm]().name
        if key.curve.name != expected:
            raise InvalidKeyError(
                f"is on curve {key.curve.name}, but {algorithm.value} needs {expected} "
                "(RFC 7518 3.4)"
            )
    elif family == "OKP":
        if not isinstance(
            key, (Ed25519PrivateKey, Ed25519PublicKey, Ed448PrivateKey, Ed448PublicKey)
        ):
            raise InvalidKeyError(f"is a {_describe(key)}, but EdDSA needs an Ed25519 or Ed448 key")
    else:
        raise InvalidKeyError(
            f"is a {_describe(key)}; {algorithm.value} needs a secret, not a key pair"
        )


def _describe(key: object) -> str:
    if isinstance(key, (RSAPrivateKey, RSAPublicKey)):
        return "RSA key"
    if isinstance(key, (EllipticCurvePrivateKey, EllipticCurvePublicKey)):
        return "EC key"
    if isinstance(key, (Ed25519PrivateKey, Ed25519PublicKey)):
        return "Ed25519 key"
    if isinstance(key, (Ed448PrivateKey, Ed448PublicKey)):
        return "Ed448 key"
    return type(key).__name__


_PRIVATE_TYPES = (RSAPrivateKey, EllipticCurvePrivateKey, Ed25519PrivateKey, Ed448PrivateKey)
_PUBLIC_TYPES = (RSAPublicKey, EllipticCurvePublicKey, Ed25519PublicKey, Ed448PublicKey)


def load_private_key(algorithm: AuthType, material: object) -> PrivateKey:
    """Parse a PEM private key (or take a key object) and check it fits ``algorithm``.

    Raises:
        InvalidKeyError: not a usable private key for ``algorithm``.
    """
    key: object
    if isinstance(material, _PRIVATE_TYPES):
        key = material
    elif isinstance(material, _PUBLIC_TYPES):
        raise InvalidKeyError(
            f"is a public key, but signing with {algorithm.value} needs the private key; "
            "a verify-only service sets JWT_PUBLICKEY and leaves JWT_SECRET unset"
        )
    elif isinstance(material, (str, bytes)):
        data = _pem_text(_as_bytes(material))
        if b"PRIVATE KEY-----" not in data:
            if _looks_like_path(data):
                raise InvalidKeyError(_PATH_ADVICE)
            kind = _key_like(data)
            if kind is not None and kind != "a JWK or JWKS (JSON text)":
                raise InvalidKeyError(
                    f"is a public key or certificate, but signing with {algorithm.value} needs "
                    "a PEM private key; a verify-only service sets JWT_PUBLICKEY and leaves "
                    "JWT_SECRET unset"
                )
            raise InvalidKeyError(f"is not a PEM private key, which {algorithm.value} needs")
        try:
            key = load_pem_private_key(data, password=None)
        except TypeError:
            raise InvalidKeyError(
                "is an encrypted PEM private key; decrypt it with cryptography's "
                "load_pem_private_key(data, password) and pass the key object"
            ) from None
        except (ValueError, UnsupportedAlgorithm):
            raise InvalidKeyError("is not a PEM private key that can be read") from None
    else:
        raise InvalidKeyError(
            f"must be PEM text (str or bytes) or a cryptography private key, "
            f"got {type(material).__name__}"
        )
    if not isinstance(key, _PRIVATE_TYPES):
        raise InvalidKeyError(f"is a {_describe(key)}, which {algorithm.value} cannot use")
    check_key_fits(algorithm, key)
    return key


def load_public_key(algorithm: AuthType, material: object) -> PublicKey:
    """Parse a PEM public key, an X.509 certificate or an OpenSSH public key line.

    Raises:
        InvalidKeyError: not a usable public key for ``algorithm``.
    """
    key: object
    if isinstance(material, _PUBLIC_TYPES):
        key = material
    elif isinstance(material, _PRIVATE_TYPES):
        key = material.public_key()
    elif isinstance(material, (str, bytes)):
        data = _pem_text(_as_bytes(material))
        if _looks_like_path(data):
            raise InvalidKeyError(_PATH_ADVICE)
        if b"PRIVATE KEY-----" in data:
            raise InvalidKeyError(
                "is a private key; give only the public key here (it is derived from "
                "JWT_SECRET when that is set)"
            )
        try:
            if data.startswith(_SSH_PREFIXES):
                key = load_ssh_public_key(data)
            elif b"-----BEGIN CERTIFICATE-----" in data:
                key = x509.load_pem_x509_certificate(data).public_key()
            else:
                key = load_pem_public_key(data)
        except (ValueError, UnsupportedAlgorithm):
            raise InvalidKeyError(
                "is not a PEM public key, X.509 certificate or OpenSSH public key that can be read"
            ) from None
    else:
        raise InvalidKeyError(
            f"must be PEM or OpenSSH text (str or bytes) or a cryptography public key, "
            f"got {type(material).__name__}"
        )
    if not isinstance(key, _PUBLIC_TYPES):
        raise InvalidKeyError(f"is a {_describe(key)}, which {algorithm.value} cannot use")
    check_key_fits(algorithm, key)
    return key


def same_public_key(first: PublicKey, second: PublicKey) -> bool:
    """Whether two public keys are the same key."""
    spki = Encoding.DER, PublicFormat.SubjectPublicKeyInfo
    return first.public_bytes(*spki) == second.public_bytes(*spki)


def is_key_material(value: object) -> TypeGuard[KeyMaterial]:
    """Whether ``value`` is of a type a key may be configured as."""
    return isinstance(value, (str, bytes, *_PRIVATE_TYPES, *_PUBLIC_TYPES))
