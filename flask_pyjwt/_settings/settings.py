"""``JWT_*`` configuration → :class:`~flask_pyjwt._core.policy.Settings`: every key but the
signing keys, read and checked once, at ``init_app``. No Flask here.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import quote

from flask_pyjwt._core.errors import InvalidConfigError, MissingConfigError
from flask_pyjwt._core.jws import DEFAULT_MAX_TOKEN_LENGTH
from flask_pyjwt._core.policy import (
    DEFAULT_AUTH_MAX_AGE,
    DEFAULT_JWKS_MAX_CACHE,
    DEFAULT_JWKS_MIN_REFRESH,
    DEFAULT_JWKS_TIMEOUT,
    DEFAULT_REFRESH_MAX_AGE,
    Settings,
)
from flask_pyjwt._core.revocation import DEFAULT_REVOCATION_PREFIX
from flask_pyjwt._core.verify_cache import DEFAULT_VERIFY_CACHE_SIZE

from .dpop import load_dpop_settings, read_metadata_route, read_resource
from .readers import (
    read_algorithms,
    read_audience,
    read_flag,
    read_jwks_route,
    read_jwks_url,
    read_redis_url,
    read_text,
    read_text_or,
    read_whole_number,
)
from .sources import ConfigLookup
from .transport import load_transport_settings


def default_revocation_prefix(issuer: str) -> str:
    """Default ``JWT_REVOCATION_PREFIX``: ``flask_pyjwt:<issuer>:``, the issuer
    percent-encoded (no ``:`` of its own), so apps with different issuers on one Redis
    never share revocations."""
    return f"{DEFAULT_REVOCATION_PREFIX}{quote(issuer, safe='')}:"


_MAX_JWKS_TIMEOUT: Final = 60


def load_settings(
    lookup: ConfigLookup, *, algorithm_required: bool = True, issuer_required: bool = True
) -> Settings:
    """Read and validate every non-key setting.

    ``issuer_required=False`` (an app whose identity providers are its only token
    sources) leaves ``JWT_ISSUER`` optional: ``""`` when unset.

    Raises:
        MissingConfigError: ``JWT_ISSUER`` (or ``JWT_AUTHTYPE``) is not set, or
            ``JWT_AUDIENCE`` with ``JWT_JWKS_URL``.
        InvalidConfigError: a value has the wrong type or range.
    """
    issuer = read_text(lookup, "JWT_ISSUER", required=issuer_required) or ""
    algorithms = read_algorithms(lookup, required=algorithm_required)
    jwks_url = read_jwks_url(lookup)
    audience = read_audience(lookup)
    resource = read_resource(lookup)
    if resource is not None:
        # RFC 8707: the resource identifier is the audience this API's tokens carry.
        if audience is None:
            audience = resource
        elif audience != resource:
            raise InvalidConfigError(
                "JWT_RESOURCE",
                f"is the audience tokens must carry (RFC 8707), but JWT_AUDIENCE is "
                f"{audience!r}; leave JWT_AUDIENCE unset, or set it to the same value",
            )
    if jwks_url is not None and audience is None:
        raise MissingConfigError(
            "JWT_AUDIENCE",
            "is required with JWT_JWKS_URL: an identity provider's access tokens are for "
            "several APIs, and RFC 9068 4 makes checking aud mandatory. Set it to this API's "
            "identifier as the provider puts it in aud (Auth0: the API identifier; Keycloak: "
            "the client id an audience mapper adds)",
        )
    min_refresh = read_whole_number(
        lookup, "JWT_JWKS_MIN_REFRESH", DEFAULT_JWKS_MIN_REFRESH, minimum=1
    )
    max_cache = read_whole_number(lookup, "JWT_JWKS_MAX_CACHE", DEFAULT_JWKS_MAX_CACHE, minimum=1)
    if max_cache < min_refresh:
        raise InvalidConfigError(
            "JWT_JWKS_MAX_CACHE",
            f"is {max_cache} seconds, shorter than JWT_JWKS_MIN_REFRESH ({min_refresh}); "
            "expected at least that",
        )
    timeout = read_whole_number(
        lookup, "JWT_JWKS_TIMEOUT", DEFAULT_JWKS_TIMEOUT, minimum=1,
        maximum=_MAX_JWKS_TIMEOUT, why="a request waits on the fetch",
    )  # fmt: skip
    return Settings(
        issuer=issuer,
        algorithm=algorithms[0] if algorithms else None,
        algorithms=algorithms,
        auth_max_age=read_whole_number(
            lookup, "JWT_AUTHMAXAGE", DEFAULT_AUTH_MAX_AGE, minimum=1, duration=True
        ),
        refresh_max_age=read_whole_number(
            lookup, "JWT_REFRESHMAXAGE", DEFAULT_REFRESH_MAX_AGE, minimum=1, duration=True
        ),
        audience=audience,
        leeway=read_whole_number(lookup, "JWT_LEEWAY", 0, minimum=0, duration=True),
        max_token_length=read_whole_number(
            lookup, "JWT_MAX_TOKEN_LENGTH", DEFAULT_MAX_TOKEN_LENGTH, minimum=64, unit="characters"
        ),
        key_id=read_text(lookup, "JWT_KEY_ID"),
        require_strong_secret=read_flag(lookup, "JWT_REQUIRE_STRONG_SECRET"),
        accept_legacy_tokens=read_flag(lookup, "JWT_ACCEPT_LEGACY_TOKENS"),
        revocation_redis_url=read_redis_url(lookup),
        revocation_prefix=read_text(lookup, "JWT_REVOCATION_PREFIX")
        or default_revocation_prefix(issuer),
        revocation_fail_open=read_flag(lookup, "JWT_REVOCATION_FAIL_OPEN"),
        revocation_horizon=read_whole_number(
            lookup, "JWT_REVOCATION_HORIZON", 0, minimum=1, duration=True
        )
        or None,
        rotation_grace=read_whole_number(lookup, "JWT_ROTATION_GRACE", 0, minimum=0, duration=True),
        jwks_route=read_jwks_route(lookup),
        jwks_url=jwks_url,
        jwks_min_refresh=min_refresh,
        jwks_max_cache=max_cache,
        jwks_timeout=timeout,
        require_at_jwt=read_flag(lookup, "JWT_REQUIRE_AT_JWT"),
        transport=load_transport_settings(lookup),
        verify_cache_size=read_whole_number(
            lookup, "JWT_VERIFY_CACHE_SIZE", DEFAULT_VERIFY_CACHE_SIZE, minimum=0, unit="tokens"
        ),
        dpop=load_dpop_settings(lookup),
        resource=resource,
        resource_metadata_route=read_metadata_route(lookup, resource),
        identity_claim=read_text_or(lookup, "JWT_IDENTITY_CLAIM", "sub"),
    )
