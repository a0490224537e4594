"""An identity provider whose tokens an app accepts: :class:`IdentityProvider`, a frozen
value with a constructor per provider people use (presets) and OIDC discovery.

Constructing one reads nothing from the network: a preset computes its URLs, and
:meth:`IdentityProvider.discover` only records where the OpenID configuration is; the
app fetches it (then the keys) when the first token from that provider arrives. No
Flask and no I/O here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal, cast

from .algorithms import AuthType
from .issuers import TENANT_PLACEHOLDER, IssuerRule
from .locations import is_http_token
from .strict_json import FrozenJSONObject, freeze_object

SELF: Final = "self"
"""The source name of the app's own tokens (``JWT_SECRET`` / ``JWT_PUBLICKEY``)."""

DEFAULT_SOURCE: Final = "default"
"""The source name of the identity provider configured by ``JWT_JWKS_URL``."""

_ENTRA_MULTI_TENANT: Final = frozenset({"organizations", "common"})
_ENTRA_CONSUMERS_TID: Final = "9188040d-6c67-4c5b-b112-36a304b66dad"


def _unchecked(value: object) -> object:
    """``value`` as ``object``: a field checked at run time for untyped callers (its
    annotation would make the type checkers call the check unnecessary)."""
    return value


def _strings(value: object, what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, tuple) or not value:
        raise TypeError(f"{what} must be a string or a non-empty tuple of strings, got {value!r}")
    items = cast("tuple[object, ...]", value)
    strings: list[str] = []
    for item in items:
        if not isinstance(item, str) or not item:
            raise TypeError(f"{what} must hold non-empty strings, got {item!r}")
        strings.append(item)
    return tuple(strings)


@dataclass(frozen=True, slots=True, kw_only=True)
class IdentityProvider:
    """An identity provider whose tokens the app accepts: ``AuthManager(app, providers=[...])``.

    Its tokens are told apart by their ``iss``; each is then checked with this
    provider's keys, algorithms, audience (or its documented substitute), ``typ`` rules
    and leeway only. Give exactly one of ``jwks_url``, ``jwks`` and ``discovery_url``.
    The constructors below (:meth:`auth0`, :meth:`entra`, ...) fill every field as the
    provider documents it; ``dataclasses.replace(preset, jwks_url=...)`` changes one.

    Attributes:
        name: the source name: ``current_token.provider``, and what
            ``require_token(providers=(...))`` lists. Not ``"self"`` (the app's own
            tokens) nor ``"default"`` (``JWT_JWKS_URL``).
        issuer: the ``iss`` its tokens carry, exactly; a tuple of accepted spellings;
            a string holding ``{tid}`` is a template matched with the token's ``tid``.
        audience: the ``aud`` a token must name (one of them, for a tuple).
            ``None`` only with ``client_id`` and ``token_use="access"`` (Cognito).
        jwks_url: its JWK Set URL (``https://``; ``http://`` on loopback only).
        jwks: its keys, pinned: a JWK Set (``{"keys": [...]}``) of public keys.
        discovery_url: its OpenID configuration, read when the first token needs keys
            (see :meth:`discover`).
        algorithms: the algorithms its tokens may be signed with (the allow-list for
            this provider only).
        client_id: with ``token_use``: the ``client_id`` claim a Cognito token must
            carry; without: a token with no ``aud`` is accepted when its ``azp`` is this
            client (Keycloak without an audience mapper). A token whose ``aud`` names
            other APIs only is still refused.
        token_use: Cognito's ``token_use`` claim the token must carry: ``"access"``
            (checked with ``client_id`` instead of ``aud``) or ``"id"``.
        allowed_tenants: with a ``{tid}`` template: the only tenants accepted.
        require_at_jwt: refuse tokens not typed ``at+jwt`` (RFC 9068).
        header: a request header its tokens arrive in, bare (no scheme), read in
            addition to the app's configured locations (Google IAP, Cloudflare Access).
        identity_claim: the claim naming the user (``"sub"``, ``"email"``, ``"oid"``):
            it must be a non-empty string; ``sub`` may then be absent (``""``).
            ``None``: the app's ``JWT_IDENTITY_CLAIM`` (``sub`` unless set).
        leeway: seconds of clock skew tolerated on its tokens' times (``None``: the
            app's ``JWT_LEEWAY``).
    """

    name: str
    issuer: str | tuple[str, ...]
    audience: str | tuple[str, ...] | None = None
    jwks_url: str | None = None
    jwks: Mapping[str, object] | None = field(default=None, hash=False)
    discovery_url: str | None = None
    algorithms: tuple[str, ...] = ("RS256",)
    client_id: str | None = None
    token_use: Literal["access", "id"] | None = None
    allowed_tenants: tuple[str, ...] = ()
    require_at_jwt: bool = False
    header: str | None = None
    identity_claim: str | None = None
    leeway: int | None = None

    def __post_init__(self) -> None:
        # Every field is checked at run time too, for untyped callers: read as object.
        name = _unchecked(self.name)
        if not isinstance(name, str) or not is_http_token(name):
            raise ValueError(
                f"name must be a short name (letters, digits, '-', '_', '.'), got {name!r}"
            )
        if name in (SELF, DEFAULT_SOURCE):
            raise ValueError(
                f"name {name!r} is taken: 'self' names the app's own tokens and "
                "'default' the JWT_JWKS_URL provider; choose another"
            )
        issuers = _strings(self.issuer, "issuer")
        for issuer in issuers:
            if issuer.count(TENANT_PLACEHOLDER) > 1:
                raise ValueError(f"issuer {issuer!r} holds {{tid}} more than once")
        object.__setattr__(self, "issuer", issuers[0] if len(issuers) == 1 else issuers)
        templated = any(TENANT_PLACEHOLDER in issuer for issuer in issuers)
        sources = [self.jwks_url, self.jwks, self.discovery_url]
        if sum(source is not None for source in sources) != 1:
            raise ValueError(
                f"provider {name!r}: give exactly one of jwks_url, jwks (pinned keys) "
                "and discovery_url"
            )
        jwks = _unchecked(self.jwks)
        if jwks is not None:
            if not isinstance(jwks, Mapping):
                raise TypeError("jwks must be a JWK Set mapping ({'keys': [...]})")
            document = cast("Mapping[str, object]", jwks)
            object.__setattr__(self, "jwks", freeze_object(document, path="jwks"))
        urls = (_unchecked(self.jwks_url), _unchecked(self.discovery_url))
        for url in urls:
            if url is not None and (not isinstance(url, str) or not url):
                raise TypeError(f"provider {name!r}: a URL must be a non-empty string")
        algorithms = _unchecked(self.algorithms)
        if not isinstance(algorithms, tuple) or not algorithms:
            raise TypeError("algorithms must be a non-empty tuple of algorithm names")
        for item in cast("tuple[object, ...]", algorithms):
            algorithm = AuthType.__members__.get(item) if isinstance(item, str) else None
            if algorithm is None or algorithm.value != item or algorithm.is_symmetric:
                raise ValueError(
                    f"provider {name!r}: {item!r} is not an asymmetric algorithm "
                    "(RS256, ES256, PS256, EdDSA, ...); an identity provider publishes "
                    "public keys"
                )
        if self.audience is not None:
            object.__setattr__(self, "audience", _single(_strings(self.audience, "audience")))
        token_use = _unchecked(self.token_use)
        if token_use not in (None, "access", "id"):
            raise ValueError(f"token_use must be 'access' or 'id', got {token_use!r}")
        if token_use is not None and not self.client_id:
            raise ValueError(f"provider {name!r}: token_use needs client_id")
        if self.audience is None and not (self.client_id and token_use == "access"):  # noqa: S105 - a claim value
            raise ValueError(
                f"provider {name!r} needs an audience: this API's identifier as the "
                "provider puts it in aud (RFC 9068 4); Cognito access tokens, which carry "
                "none, use client_id= and token_use='access'"
            )
        tenants = () if not self.allowed_tenants else _strings(self.allowed_tenants, "tenants")
        if tenants and not templated:
            raise ValueError("allowed_tenants narrows an issuer template holding {tid}")
        object.__setattr__(self, "allowed_tenants", tenants)
        header = _unchecked(self.header)
        if header is not None and (not isinstance(header, str) or not is_http_token(header)):
            raise ValueError(f"header must be an HTTP header name, got {header!r}")
        identity_claim = _unchecked(self.identity_claim)
        if identity_claim is not None and (
            not isinstance(identity_claim, str) or not identity_claim
        ):
            raise ValueError("identity_claim must be a claim name")
        leeway = _unchecked(self.leeway)
        if leeway is not None and (
            isinstance(leeway, bool) or not isinstance(leeway, int) or leeway < 0
        ):
            raise ValueError(f"leeway must be a whole number of seconds, got {leeway!r}")

    def __repr__(self) -> str:
        return (
            f"IdentityProvider(name={self.name!r}, issuer={self.issuer!r}, "
            f"audience={self.audience!r})"
        )

    @property
    def issuers(self) -> tuple[str, ...]:
        """Every accepted ``iss`` spelling (templates with their ``{tid}``)."""
        return (self.issuer,) if isinstance(self.issuer, str) else self.issuer

    @property
    def pinned_keys(self) -> FrozenJSONObject | None:
        """``jwks``, frozen (``None`` when the keys are fetched)."""
        keys = self.jwks
        return keys if isinstance(keys, FrozenJSONObject) else None

    # -- discovery and presets ----------------------------------------------------------

    @classmethod
    def discover(
        cls,
        issuer: str,
        *,
        audience: str | tuple[str, ...] | None,
        name: str,
        algorithms: tuple[str, ...] = ("RS256",),
    ) -> IdentityProvider:
        """A provider found by OpenID Connect discovery.

        Nothing is fetched now: when the first token from ``issuer`` arrives, the app
        reads ``<issuer>/.well-known/openid-configuration``, refuses it unless its
        ``issuer`` is exactly ``issuer``, and fetches the keys at its ``jwks_uri``
        (then as for ``jwks_url``). Until that succeeds, tokens from ``issuer`` are
        answered 503 ``keys_unavailable``.
        """
        given = _unchecked(issuer)
        if not isinstance(given, str) or not given:
            raise TypeError("issuer must be a non-empty string")
        url = issuer.rstrip("/") + "/.well-known/openid-configuration"
        return cls(
            name=name, issuer=issuer, audience=audience, discovery_url=url, algorithms=algorithms
        )

    @classmethod
    def auth0(cls, *, domain: str, audience: str, name: str = "auth0") -> IdentityProvider:
        """Auth0: ``https://<domain>/`` (mind the slash); both token profiles ("Auth0",
        typed ``JWT``, and "RFC 9068", typed ``at+jwt``); the audience is the API
        identifier."""
        return cls(
            name=name,
            issuer=f"https://{domain}/",
            jwks_url=f"https://{domain}/.well-known/jwks.json",
            audience=audience,
        )

    @classmethod
    def keycloak(
        cls,
        *,
        base_url: str,
        realm: str,
        audience: str,
        client_id: str | None = None,
        name: str = "keycloak",
    ) -> IdentityProvider:
        """Keycloak: the realm's issuer ``<base_url>/realms/<realm>``; with
        ``client_id``, a token without ``aud`` passes when its ``azp`` is that client
        (Keycloak's default, without an audience mapper)."""
        issuer = f"{base_url.rstrip('/')}/realms/{realm}"
        return cls(
            name=name,
            issuer=issuer,
            jwks_url=f"{issuer}/protocol/openid-connect/certs",
            audience=audience,
            client_id=client_id,
        )

    @classmethod
    def okta(
        cls,
        *,
        domain: str,
        audience: str,
        authorization_server: str = "default",
        name: str = "okta",
    ) -> IdentityProvider:
        """Okta: a custom authorization server ``https://<domain>/oauth2/<id>`` (scopes
        in ``scp``, a list)."""
        issuer = f"https://{domain}/oauth2/{authorization_server}"
        return cls(name=name, issuer=issuer, jwks_url=f"{issuer}/v1/keys", audience=audience)

    @classmethod
    def entra(
        cls,
        *,
        tenant: str,
        audience: str | tuple[str, ...],
        version: Literal[1, 2] = 2,
        allowed_tenants: tuple[str, ...] = (),
        name: str = "entra",
    ) -> IdentityProvider:
        """Entra ID (Azure AD). ``tenant``: a tenant id, or ``"organizations"`` /
        ``"common"`` (multi-tenant: the issuer is a template matched with the token's
        ``tid``; ``allowed_tenants`` narrows it) or ``"consumers"``. ``version`` is the
        token version the API's app registration asks for (``accessTokenAcceptedVersion``):
        2 is issued by ``login.microsoftonline.com/<tid>/v2.0``, 1 by
        ``sts.windows.net/<tid>/``."""
        if version not in (1, 2):
            raise ValueError(f"version must be 1 or 2, got {version!r}")
        tid = (
            TENANT_PLACEHOLDER
            if tenant in _ENTRA_MULTI_TENANT
            else _ENTRA_CONSUMERS_TID
            if tenant == "consumers"
            else tenant
        )
        issuer = (
            f"https://login.microsoftonline.com/{tid}/v2.0"
            if version == 2
            else f"https://sts.windows.net/{tid}/"
        )
        keys = "discovery/v2.0/keys" if version == 2 else "discovery/keys"
        return cls(
            name=name,
            issuer=issuer,
            jwks_url=f"https://login.microsoftonline.com/{tenant}/{keys}",
            audience=audience,
            allowed_tenants=allowed_tenants,
        )

    @classmethod
    def google(cls, *, audience: str, name: str = "google") -> IdentityProvider:
        """Google ID tokens: both issuer spellings Google documents
        (``https://accounts.google.com`` and ``accounts.google.com``); the audience is
        the OAuth client id."""
        return cls(
            name=name,
            issuer=("https://accounts.google.com", "accounts.google.com"),
            jwks_url="https://www.googleapis.com/oauth2/v3/certs",
            audience=audience,
        )

    @classmethod
    def cognito(
        cls,
        *,
        region: str,
        user_pool_id: str,
        client_id: str,
        token_use: Literal["access", "id"] = "access",
        name: str = "cognito",
    ) -> IdentityProvider:
        """AWS Cognito user pools. Access tokens carry no ``aud``: the app client is in
        ``client_id`` and the kind in ``token_use``, both checked; ID tokens
        (``token_use="id"``) carry the client in ``aud``."""
        issuer = f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"
        return cls(
            name=name,
            issuer=issuer,
            jwks_url=f"{issuer}/.well-known/jwks.json",
            audience=None if token_use == "access" else client_id,  # noqa: S105 - a claim value
            client_id=client_id,
            token_use=token_use,
        )

    @classmethod
    def google_iap(cls, *, audience: str, name: str = "google_iap") -> IdentityProvider:
        """Google Cloud Identity-Aware Proxy: ES256 tokens in the
        ``x-goog-iap-jwt-assertion`` header; the audience is
        ``/projects/<number>/global/backendServices/<id>`` (or ``/projects/<number>/apps/<id>``);
        the user is ``email``."""
        return cls(
            name=name,
            issuer="https://cloud.google.com/iap",
            jwks_url="https://www.gstatic.com/iap/verify/public_key-jwk",
            audience=audience,
            algorithms=("ES256",),
            header="x-goog-iap-jwt-assertion",
            identity_claim="email",
        )

    @classmethod
    def cloudflare_access(
        cls, *, team_domain: str, audience: str, name: str = "cloudflare_access"
    ) -> IdentityProvider:
        """Cloudflare Access: RS256 tokens in the ``Cf-Access-Jwt-Assertion`` header,
        issued by ``https://<team_domain>``; the audience is the application's AUD tag;
        the user is ``email``."""
        return cls(
            name=name,
            issuer=f"https://{team_domain}",
            jwks_url=f"https://{team_domain}/cdn-cgi/access/certs",
            audience=audience,
            header="Cf-Access-Jwt-Assertion",
            identity_claim="email",
        )


def _single(values: tuple[str, ...]) -> str | tuple[str, ...]:
    return values[0] if len(values) == 1 else values


def issuer_rule(provider: IdentityProvider) -> IssuerRule:
    """How a token's ``iss`` is matched to ``provider``."""
    return IssuerRule.of(provider.issuers, provider.allowed_tenants)
