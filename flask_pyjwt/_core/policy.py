"""The parsed configuration of one app as a value: :class:`Settings`, its defaults, and the
revocation horizon it implies.

The codec and the Flask layer read this value at request time; reading it from
``app.config``, the environment and ``.env`` is ``flask_pyjwt._settings``' job. Holds no
secret. No Flask and no I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Final

from .algorithms import AuthType
from .dpop import DEFAULT_DPOP_SETTINGS, DPoPSettings
from .jws import DEFAULT_MAX_TOKEN_LENGTH
from .revocation import DEFAULT_REVOCATION_PREFIX
from .transport import TransportSettings
from .verify_cache import DEFAULT_VERIFY_CACHE_SIZE

DEFAULT_AUTH_MAX_AGE: Final = 3600
"""Default ``JWT_AUTHMAXAGE``: one hour."""

DEFAULT_REFRESH_MAX_AGE: Final = 604800
"""Default ``JWT_REFRESHMAXAGE``: one week."""

FOREIGN_TOKEN_HORIZON: Final = 86400
"""Default ``JWT_REVOCATION_HORIZON`` floor, one day, for an app that accepts tokens it
does not issue (verify-only, or an identity provider's), whose lifetimes its own
``JWT_AUTHMAXAGE``/``JWT_REFRESHMAXAGE`` do not bound."""


DEFAULT_JWKS_MIN_REFRESH: Final = 60
"""Default ``JWT_JWKS_MIN_REFRESH``: at most one refetch a minute for an unknown ``kid``."""

DEFAULT_JWKS_MAX_CACHE: Final = 3600
"""Default ``JWT_JWKS_MAX_CACHE``: an identity provider's keys are refreshed hourly at least."""

DEFAULT_JWKS_TIMEOUT: Final = 5
"""Default ``JWT_JWKS_TIMEOUT``: seconds a JWKS fetch may wait on the network."""

DEFAULT_TRANSPORT: Final = TransportSettings()
"""Where tokens travel when nothing is configured (a frozen value: safe to share)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """The parsed, validated configuration of one app. Holds no secret.

    Attributes:
        issuer: ``JWT_ISSUER``, the ``iss`` of issued tokens and the only one accepted.
        algorithm: ``JWT_AUTHTYPE`` (``None`` when a custom signer and verifier are used
            and no algorithm is configured).
        auth_max_age: ``JWT_AUTHMAXAGE``, seconds an auth token is valid (a
            :class:`~datetime.timedelta` in the configuration is read as its seconds).
        refresh_max_age: ``JWT_REFRESHMAXAGE``, seconds a refresh token is valid.
        audience: ``JWT_AUDIENCE``, required in tokens when set.
        leeway: ``JWT_LEEWAY``, seconds of tolerated clock skew (a
            :class:`~datetime.timedelta` in the configuration is read as its seconds).
        max_token_length: ``JWT_MAX_TOKEN_LENGTH``, longest token accepted, in characters.
        key_id: ``JWT_KEY_ID``, the ``kid`` put on issued tokens.
        require_strong_secret: ``JWT_REQUIRE_STRONG_SECRET``: a short HMAC secret is an
            error instead of a warning.
        accept_legacy_tokens: ``JWT_ACCEPT_LEGACY_TOKENS``: also accept tokens in the
            Flask_PyJWT 1.x format (``typ`` ``JWT`` or none, no ``jti``) during an upgrade.
        revocation_redis_url: ``JWT_REVOCATION_REDIS_URL``: keep revocations in this Redis
            (when no store is given to the manager). Not in ``repr``: it may hold a
            password.
        revocation_prefix: ``JWT_REVOCATION_PREFIX``, the Redis key prefix (by default
            ``flask_pyjwt:<issuer>:``).
        revocation_horizon: ``JWT_REVOCATION_HORIZON``, seconds a session or subject
            revocation is kept (leeway added); ``None``: the app's longest token lifetime,
            at least a day for tokens it does not issue (verify-only, identity provider).
        revocation_fail_open: ``JWT_REVOCATION_FAIL_OPEN``: accept tokens when the
            revocation store does not answer (logging a warning each time) instead of
            answering 503.
        rotation_grace: ``JWT_ROTATION_GRACE``, seconds after a rotation during which
            the rotated refresh token presented again gets the same successor instead
            of being reuse (0: no window).
        algorithms: every algorithm of ``JWT_AUTHTYPE``, the first being
            :attr:`algorithm` (several only for a verify-only app whose keys come as a
            JWK Set).
        jwks_route: ``JWT_JWKS_ROUTE``, the path that serves :meth:`AuthManager.jwks`.
        jwks_url: ``JWT_JWKS_URL``, the identity provider's JWK Set: tokens are its
            access tokens, verified with the keys fetched from there.
        jwks_min_refresh: ``JWT_JWKS_MIN_REFRESH``, the shortest time between two
            fetches of ``JWT_JWKS_URL`` for an unknown ``kid``, and the shortest time its
            keys are cached.
        jwks_max_cache: ``JWT_JWKS_MAX_CACHE``, the longest time its keys are cached.
        jwks_timeout: ``JWT_JWKS_TIMEOUT``, seconds one fetch may wait on the network.
        require_at_jwt: ``JWT_REQUIRE_AT_JWT``: identity provider tokens must be typed
            ``at+jwt`` (RFC 9068); ``JWT`` or no ``typ`` is refused.
        transport: where tokens travel (``JWT_TOKEN_LOCATION``), and the cookie and CSRF
            settings.
        verify_cache_size: ``JWT_VERIFY_CACHE_SIZE``, the most verified tokens kept for
            reuse (``0``: none).
        dpop: the ``JWT_DPOP*`` keys: sender-constrained tokens (RFC 9449).
        resource: ``JWT_RESOURCE``, this API's resource identifier (RFC 8707, RFC 9728).
        resource_metadata_route: ``JWT_RESOURCE_METADATA_ROUTE``, the path that serves
            the protected-resource metadata (RFC 9728).
        identity_claim: ``JWT_IDENTITY_CLAIM``, the claim that names the user (``sub``;
            ``email``, ``oid``, ``preferred_username`` for some identity providers).
    """

    issuer: str
    algorithm: AuthType | None
    auth_max_age: int = DEFAULT_AUTH_MAX_AGE
    refresh_max_age: int = DEFAULT_REFRESH_MAX_AGE
    audience: str | tuple[str, ...] | None = None
    leeway: int = 0
    max_token_length: int = DEFAULT_MAX_TOKEN_LENGTH
    key_id: str | None = None
    require_strong_secret: bool = False
    accept_legacy_tokens: bool = False
    algorithms: tuple[AuthType, ...] = ()
    jwks_route: str | None = None
    jwks_url: str | None = None
    jwks_min_refresh: int = DEFAULT_JWKS_MIN_REFRESH
    jwks_max_cache: int = DEFAULT_JWKS_MAX_CACHE
    jwks_timeout: int = DEFAULT_JWKS_TIMEOUT
    require_at_jwt: bool = False
    revocation_redis_url: str | None = field(default=None, repr=False)
    revocation_prefix: str = DEFAULT_REVOCATION_PREFIX
    revocation_fail_open: bool = False
    revocation_horizon: int | None = None
    rotation_grace: int = 0
    transport: TransportSettings = DEFAULT_TRANSPORT
    verify_cache_size: int = DEFAULT_VERIFY_CACHE_SIZE
    dpop: DPoPSettings = DEFAULT_DPOP_SETTINGS
    resource: str | None = None
    resource_metadata_route: str | None = None
    identity_claim: str = "sub"

    @property
    def longest_max_age(self) -> int:
        """The longest configured token lifetime in seconds (revocations are kept that long)."""
        return max(self.auth_max_age, self.refresh_max_age)


def revocation_horizon(settings: Settings, *, issues: bool) -> int:
    """Seconds a session or subject revocation is kept (before leeway): the longest a
    token the app accepts can live. Never shorter than the longest configured lifetime:
    ``JWT_REVOCATION_HORIZON`` when set and longer; otherwise that lifetime for an app
    that ``issues`` the tokens it accepts (it issues none longer), and
    at least a day (``FOREIGN_TOKEN_HORIZON``) for one that accepts tokens issued elsewhere
    (verify-only, or an identity provider's), whose lifetimes it does not choose."""
    longest = settings.longest_max_age  # a horizon never shortens it
    if settings.revocation_horizon is not None:
        return max(settings.revocation_horizon, longest)
    if issues and settings.jwks_url is None:
        return longest  # the codec refuses to issue longer-lived tokens
    return max(longest, FOREIGN_TOKEN_HORIZON)


_ONE_SECOND: Final = timedelta(seconds=1)


def whole_seconds(duration: timedelta) -> int | None:
    """``duration`` in seconds, or ``None`` if it is not a whole number of seconds."""
    seconds, remainder = divmod(duration, _ONE_SECOND)
    return None if remainder else seconds
