"""Reading a configured key's raw value (``JWT_SECRET``, ``JWT_PUBLICKEY``): unset, key
material, or a JWK document; and the configuration error a bad key becomes. No Flask here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, cast

from flask_pyjwt._core.errors import InvalidConfigError, InvalidKeyError
from flask_pyjwt._core.jwk import (
    jwk_object,
)
from flask_pyjwt._core.keys import KeyMaterial, is_key_material
from flask_pyjwt._core.strict_json import FrozenJSONObject

from .readers import (
    describe,
)
from .sources import ConfigLookup


def key_error(key: str, error: InvalidKeyError | ValueError) -> InvalidConfigError:
    detail = error.detail if isinstance(error, InvalidKeyError) else str(error)
    return InvalidConfigError(key, detail)


SIGNING_KEY_PLACES: Final = (
    "app.config['JWT_SECRET'], the JWT_SECRET environment variable or a JWT_SECRET line "
    "in the .env file (AuthManager(dotenv_path=...))"
)


def signing_key_configured(lookup: ConfigLookup) -> bool:
    """Whether ``JWT_SECRET`` is set (to anything) anywhere ``lookup`` looks."""
    return lookup("JWT_SECRET") is not None


def key_material(lookup: ConfigLookup, key: str) -> KeyMaterial | Mapping[str, object] | None:
    value = lookup(key)
    if value is None:
        return None
    if isinstance(value, Mapping):
        return cast("Mapping[str, object]", value)
    if not is_key_material(value):
        raise InvalidConfigError(
            key,
            f"got {describe(value)}; expected PEM text (str or bytes), a JWK (JSON text or a "
            "mapping) or a cryptography key",
        )
    return value


def jwk_document(key: str, material: object) -> FrozenJSONObject | None:
    try:
        return jwk_object(material)
    except InvalidKeyError as error:
        raise key_error(key, error) from None
