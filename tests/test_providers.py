"""Several token sources at once: the app's own tokens ("self") and identity providers,
each preset against a stand-in provider on loopback.

The stand-in is :mod:`tests.idp` (keys and tokens made with joserfc, its JWK Set served
by a real HTTP server on 127.0.0.1 that counts requests). Each preset is pointed at it
with ``dataclasses.replace(preset, jwks_url=...)``, and its tokens carry the issuer
exactly as the real provider writes it. Every request goes through a real Flask app; a
refusal is checked for its status and JSON ``code``.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Generator, Sequence
from typing import Any, Final

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from flask_pyjwt import (
    AuthManager,
    IdentityProvider,
    InvalidConfigError,
    MissingConfigError,
    Token,
    current_token,
    require_token,
    verify_request,
)
from flask_pyjwt._flask.state import app_state
from flask_pyjwt.errors import MissingSignerError
from tests import idp as standin
from tests.support import (
    HMAC_KID,
    HMAC_SECRET,
    Clock,
    b64url,
    bearer,
    configure,
    forge,
    json_body,
)

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
OTHER_TENANT = "5b7f2d1e-0c3a-4e7b-9f21-3a4c5d6e7f80"
OWN_ISSUER = "https://api.example.com"


@pytest.fixture(scope="module")
def idp() -> Generator[standin.IdentityProvider, None, None]:
    """One stand-in serving an RSA key (k1) and an EC key (e1) for every preset."""
    provider = standin.IdentityProvider()
    provider.add_key("k1")
    provider.add_key("e1", "EC")
    provider.start()
    yield provider
    provider.stop()


class Site:
    """An app accepting ``providers`` (and its own HS256 tokens with ``own=True``)."""

    def __init__(
        self,
        providers: Sequence[IdentityProvider],
        *,
        own: bool = False,
        clock: Clock | None = None,
        **config: object,
    ) -> None:
        app = Flask("providers")
        if own:
            config = {
                "JWT_ISSUER": OWN_ISSUER,
                "JWT_AUTHTYPE": "HS256",
                "JWT_SECRET": HMAC_SECRET,
                **config,
            }
        configure(app, config)
        self.manager = AuthManager(app, providers=providers, clock=clock)
        self.app = app
        self.users: list[tuple[str, str]] = []

        @self.manager.user_loader
        def load(token: Token) -> str:
            self.users.append((token.provider, token.sub))
            return token.sub

        @app.route("/any")
        @require_token()
        def any_source() -> dict[str, Any]:
            return {"provider": current_token.provider, "sub": current_token.sub}

        @app.route("/corp")
        @require_token(providers=("corp",))
        def corp_only() -> dict[str, Any]:
            return {"provider": current_token.provider}

        @app.route("/orders")
        @require_token(scope="orders:read")
        def orders() -> dict[str, Any]:
            return {"provider": current_token.provider}

        self.client = app.test_client()

    def get(self, path: str, token: str, **headers: str) -> TestResponse:
        return self.client.get(path, headers={**bearer(token), **headers})

    def get_bare(self, path: str, header: str, token: str) -> TestResponse:
        return self.client.get(path, headers={header: token})


def ok(response: TestResponse) -> dict[str, Any]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return json_body(response)


def refused(response: TestResponse, status: int, code: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    assert json_body(response)["code"] == code


def pointed(provider: IdentityProvider, idp: standin.IdentityProvider) -> IdentityProvider:
    return dataclasses.replace(provider, jwks_url=idp.url)


# -- the presets, each against the stand-in ---------------------------------------------


def test_auth0_accepts_both_token_profiles(idp: standin.IdentityProvider) -> None:
    # Before: the documented Auth0 config set JWT_REQUIRE_AT_JWT and refused "JWT".
    auth0 = IdentityProvider.auth0(domain="acme.eu.auth0.com", audience="https://api.example.com")
    assert auth0.issuer == "https://acme.eu.auth0.com/"
    assert auth0.jwks_url == "https://acme.eu.auth0.com/.well-known/jwks.json"
    site = Site([pointed(auth0, idp)])
    claims = {"iss": "https://acme.eu.auth0.com/", "aud": ["https://api.example.com", "x"]}
    default_profile = idp.token("k1", header={"typ": "JWT"}, claims=claims)
    rfc9068 = idp.token("k1", claims=claims)
    for token in (default_profile, rfc9068):
        assert ok(site.get("/any", token)) == {"provider": "auth0", "sub": "user-42"}
    refused(site.get("/any", idp.token("k1", header={"typ": "dpop+jwt"}, claims=claims)), 401,
            "token_type_invalid")  # fmt: skip
    no_slash = idp.token("k1", claims={**claims, "iss": "https://acme.eu.auth0.com"})
    refused(site.get("/any", no_slash), 401, "claim_invalid")


def test_cognito_access_tokens_use_client_id_and_token_use(idp: standin.IdentityProvider) -> None:
    # Before: Cognito access tokens carry no aud, and JWT_AUDIENCE was required.
    cognito = IdentityProvider.cognito(
        region="eu-west-1", user_pool_id="eu-west-1_AbC", client_id="abc"
    )
    issuer = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC"
    assert cognito.jwks_url == f"{issuer}/.well-known/jwks.json"
    site = Site([pointed(cognito, idp)])
    base = {"iss": issuer, "client_id": "abc", "token_use": "access", "scope": "orders:read"}
    access = idp.token("k1", header={"typ": None}, drop=("aud", "jti"), claims=base)
    assert ok(site.get("/orders", access)) == {"provider": "cognito"}
    for wrong in ({"client_id": "other"}, {"token_use": "id"}):
        token = idp.token("k1", header={"typ": None}, drop=("aud",), claims={**base, **wrong})
        refused(site.get("/any", token), 401, "claim_invalid")
    with_aud = idp.token("k1", claims={**base, "aud": "someone-else"})
    refused(site.get("/any", with_aud), 401, "claim_invalid")
    # ID tokens: the client is the audience.
    id_tokens = pointed(
        IdentityProvider.cognito(
            region="eu-west-1", user_pool_id="eu-west-1_AbC", client_id="abc", token_use="id"
        ),
        idp,
    )
    site = Site([id_tokens])
    id_token = idp.token(
        "k1", header={"typ": None}, claims={**base, "aud": "abc", "token_use": "id"}
    )
    assert ok(site.get("/any", id_token))["provider"] == "cognito"
    refused(site.get("/any", access), 401, "claim_invalid")


def test_entra_multi_tenant_matches_the_issuer_template_with_tid(
    idp: standin.IdentityProvider,
) -> None:
    # Before: the issuer had to be one exact string, but it holds the tenant id.
    entra = IdentityProvider.entra(tenant="organizations", audience="api://orders")
    assert entra.issuer == "https://login.microsoftonline.com/{tid}/v2.0"
    assert entra.jwks_url == "https://login.microsoftonline.com/organizations/discovery/v2.0/keys"
    site = Site([pointed(entra, idp)])

    def token(iss_tenant: str, tid: str) -> str:
        return idp.token(
            "k1", header={"typ": "JWT"}, drop=("scope",), scp="orders:read", tid=tid,
            aud="api://orders", iss=f"https://login.microsoftonline.com/{iss_tenant}/v2.0",
        )  # fmt: skip

    for tenant in (TENANT, OTHER_TENANT):
        assert ok(site.get("/orders", token(tenant, tenant))) == {"provider": "entra"}
    refused(site.get("/any", token(TENANT, OTHER_TENANT)), 401, "claim_invalid")
    refused(site.get("/any", token("evil.example/x", "evil.example/x")), 401, "claim_invalid")
    narrowed = dataclasses.replace(pointed(entra, idp), allowed_tenants=(TENANT,))
    site = Site([narrowed])
    assert ok(site.get("/any", token(TENANT, TENANT)))["provider"] == "entra"
    refused(site.get("/any", token(OTHER_TENANT, OTHER_TENANT)), 401, "claim_invalid")
    # Version 1 tokens: sts.windows.net, with the slash.
    v1 = IdentityProvider.entra(tenant=TENANT, audience="api://orders", version=1)
    assert v1.issuer == f"https://sts.windows.net/{TENANT}/"
    site = Site([pointed(v1, idp)])
    v1_token = idp.token("k1", iss=f"https://sts.windows.net/{TENANT}/", aud="api://orders")
    assert ok(site.get("/any", v1_token))["provider"] == "entra"


def test_google_accepts_both_issuer_spellings(idp: standin.IdentityProvider) -> None:
    # Before: JWT_ISSUER took one spelling; Google documents two.
    google = pointed(IdentityProvider.google(audience="my-client.apps.googleusercontent.com"), idp)
    site = Site([google])
    for issuer in ("https://accounts.google.com", "accounts.google.com"):
        token = idp.token(
            "k1", header={"typ": "JWT"}, iss=issuer, aud="my-client.apps.googleusercontent.com"
        )
        assert ok(site.get("/any", token))["provider"] == "google"
    third = idp.token(
        "k1", iss="http://accounts.google.com", aud="my-client.apps.googleusercontent.com"
    )
    refused(site.get("/any", third), 401, "claim_invalid")


def test_google_iap_reads_its_header_and_signs_with_es256(idp: standin.IdentityProvider) -> None:
    # Before: x-goog-iap-jwt-assertion (bare, no scheme) was not read.
    audience = "/projects/1/global/backendServices/2"
    iap = pointed(IdentityProvider.google_iap(audience=audience), idp)
    site = Site([iap], own=True)
    claims = {"iss": "https://cloud.google.com/iap", "aud": audience,
              "sub": "accounts.google.com:1234", "email": "ann@example.com"}  # fmt: skip
    token = idp.token("e1", header={"typ": "JWT"}, drop=("scope", "jti"), claims=claims)
    response = site.get_bare("/any", "x-goog-iap-jwt-assertion", token)
    assert ok(response) == {"provider": "google_iap", "sub": "accounts.google.com:1234"}
    # The allow-list is ES256 only: the same claims signed RS256 are refused.
    rs256 = idp.token("k1", header={"typ": "JWT"}, claims=claims)
    refused(site.get_bare("/any", "x-goog-iap-jwt-assertion", rs256), 401, "algorithm_not_allowed")
    # The identity claim is required.
    no_email = idp.token("e1", header={"typ": "JWT"}, claims=claims, drop=("email",))
    refused(site.get_bare("/any", "x-goog-iap-jwt-assertion", no_email), 401, "claim_invalid")
    # The app's own token in IAP's header is not IAP's token.
    with site.app.app_context():
        own = site.manager.auth_token("mallory")
    refused(site.get_bare("/any", "x-goog-iap-jwt-assertion", own.signed), 401, "claim_invalid")
    # Without any token: the usual 401.
    refused(site.client.get("/any"), 401, "token_missing")


def test_cloudflare_access_reads_its_header(idp: standin.IdentityProvider) -> None:
    cloudflare = IdentityProvider.cloudflare_access(
        team_domain="acme.cloudflareaccess.com", audience="4714c1358e65fe4b408ad6d432a5f878"
    )
    assert cloudflare.jwks_url == "https://acme.cloudflareaccess.com/cdn-cgi/access/certs"
    site = Site([pointed(cloudflare, idp)])
    token = idp.token(
        "k1", header={"typ": "JWT"}, iss="https://acme.cloudflareaccess.com",
        aud=["4714c1358e65fe4b408ad6d432a5f878"], email="ann@example.com",
    )  # fmt: skip
    response = site.get_bare("/any", "Cf-Access-Jwt-Assertion", token)
    assert ok(response)["provider"] == "cloudflare_access"
    assert site.users == [("cloudflare_access", "user-42")]  # the loader learns the source


def test_keycloak_accepts_azp_for_its_client(idp: standin.IdentityProvider) -> None:
    # Before: a real Keycloak access token has no aud without an audience mapper.
    keycloak = IdentityProvider.keycloak(
        base_url="https://kc.example.com", realm="acme", audience="orders-api",
        client_id="shop-frontend",
    )  # fmt: skip
    issuer = "https://kc.example.com/realms/acme"
    assert keycloak.jwks_url == f"{issuer}/protocol/openid-connect/certs"
    site = Site([pointed(keycloak, idp)])
    real = idp.token("k1", header={"typ": "JWT"}, iss=issuer, drop=("aud",), azp="shop-frontend")
    assert ok(site.get("/any", real))["provider"] == "keycloak"
    # aud naming another client only: meant for it, whatever the azp.
    account = idp.token("k1", iss=issuer, aud="account", azp="shop-frontend")
    refused(site.get("/any", account), 401, "claim_invalid")
    other_client = idp.token("k1", iss=issuer, drop=("aud",), azp="another-client")
    refused(site.get("/any", other_client), 401, "claim_invalid")
    mapped = idp.token("k1", iss=issuer, aud="orders-api", azp="another-client")
    assert ok(site.get("/any", mapped))["provider"] == "keycloak"
    # Without client_id, the audience is required as before.
    strict = Site([dataclasses.replace(pointed(keycloak, idp), client_id=None)])
    refused(strict.get("/any", real), 401, "claim_invalid")


def test_okta_scopes_in_an_scp_list(idp: standin.IdentityProvider) -> None:
    okta = IdentityProvider.okta(domain="acme.okta.com", audience="api://default")
    assert okta.issuer == "https://acme.okta.com/oauth2/default"
    assert okta.jwks_url == "https://acme.okta.com/oauth2/default/v1/keys"
    site = Site([pointed(okta, idp)])
    claims = {"iss": "https://acme.okta.com/oauth2/default", "aud": "api://default"}
    token = idp.token("k1", drop=("scope",), claims=claims, scp=["orders:read", "profile"])
    assert ok(site.get("/orders", token)) == {"provider": "okta"}
    no_scope = idp.token("k1", drop=("scope",), claims=claims, scp=["profile"])
    refused(site.get("/orders", no_scope), 403, "insufficient_scope")


def test_entra_roles_and_keycloak_realm_roles_are_claim_requirements(
    idp: standin.IdentityProvider,
) -> None:
    entra = pointed(IdentityProvider.entra(tenant=TENANT, audience="api://orders"), idp)
    keycloak = pointed(
        IdentityProvider.keycloak(
            base_url="https://kc.example.com", realm="acme", audience="orders-api"
        ),
        idp,
    )
    site = Site([entra, keycloak])

    @site.app.route("/app-only")
    @require_token(roles=["Orders.Read"])
    def app_only() -> str:
        return "ok"

    @site.app.route("/realm-admin")
    @require_token(realm_access={"roles": ["admin"]})
    def realm_admin() -> str:
        return "ok"

    issuer = f"https://login.microsoftonline.com/{TENANT}/v2.0"
    daemon = idp.token("k1", iss=issuer, aud="api://orders", roles=["Orders.Read"], tid=TENANT)
    assert site.get("/app-only", daemon).status_code == 200
    reader = idp.token("k1", iss=issuer, aud="api://orders", roles=["Orders.Write"])
    refused(site.get("/app-only", reader), 403, "claim_mismatch")
    kc = "https://kc.example.com/realms/acme"
    admin = idp.token("k1", iss=kc, realm_access={"roles": ["admin", "user"]})
    assert site.get("/realm-admin", admin).status_code == 200
    user = idp.token("k1", iss=kc, realm_access={"roles": ["user"]})
    refused(site.get("/realm-admin", user), 403, "claim_mismatch")


# -- several sources --------------------------------------------------------------------


def corp(idp: standin.IdentityProvider, **changes: Any) -> IdentityProvider:
    provider = IdentityProvider(
        name="corp", issuer="https://idp.corp.example/", jwks_url=idp.url, audience="my-api"
    )
    return dataclasses.replace(provider, **changes)


def corp_token(idp: standin.IdentityProvider, **claims: object) -> str:
    return idp.token("k1", claims={"iss": "https://idp.corp.example/", "aud": "my-api", **claims})


def test_three_sources_with_per_route_narrowing(idp: standin.IdentityProvider) -> None:
    # Before: JWT_JWKS_URL was one provider and forbade the app's own keys.
    google = pointed(IdentityProvider.google(audience="client-1"), idp)
    site = Site([corp(idp), google], own=True)
    with site.app.app_context():
        own = site.manager.auth_token("alice", "orders:read").signed
    google_token = idp.token("k1", iss="accounts.google.com", aud="client-1", sub="g-7")
    tokens = {"self": own, "corp": corp_token(idp), "google": google_token}
    for name, token in tokens.items():
        assert ok(site.get("/any", token))["provider"] == name
    assert ok(site.get("/corp", tokens["corp"])) == {"provider": "corp"}
    for name in ("self", "google"):
        refused(site.get("/corp", tokens[name]), 401, "claim_invalid")
    stranger = idp.token("k1", iss="https://elsewhere.example/", aud="my-api")
    refused(site.get("/any", stranger), 401, "claim_invalid")
    assert [provider for provider, _ in site.users] == ["self", "corp", "google", "corp"]
    with site.app.app_context():
        sources = app_state(site.app).codec.sources
    assert [(s.name, s.issuers) for s in sources] == [
        ("self", (OWN_ISSUER,)),
        ("corp", ("https://idp.corp.example/",)),
        ("google", ("https://accounts.google.com", "accounts.google.com")),
    ]


def test_each_source_has_its_own_verified_token_cache_and_revocation_works(
    idp: standin.IdentityProvider,
) -> None:
    site = Site([corp(idp)], own=True)
    token = corp_token(idp, jti="corp-1")
    for _ in range(3):
        assert ok(site.get("/any", token))["provider"] == "corp"
    with site.app.app_context():
        codec = app_state(site.app).codec
        corp_source = codec.source("corp")
        assert corp_source is not None
        assert corp_source.cache is not None
        assert token in corp_source.cache
        assert codec.cache is not None
        assert token not in codec.cache
        verified = site.manager.convert_token(token)
        assert verified.provider == "corp"
        site.manager.revoke(token)
    refused(site.get("/any", token), 401, "token_revoked")
    assert ok(site.get("/any", corp_token(idp, jti="corp-2")))["provider"] == "corp"


def test_one_provider_down_never_breaks_another() -> None:
    clock = Clock()
    with standin.running_idp("k1", clock=clock) as up, standin.running_idp("k9") as down:
        down.stop()  # never answered: its first fetch fails
        google = dataclasses.replace(IdentityProvider.google(audience="client-1"), jwks_url=up.url)
        site = Site([corp(down), google], own=True, clock=clock)
        with site.app.app_context():
            own = site.manager.auth_token("alice").signed
        response = site.get("/any", down.token("k9", iss="https://idp.corp.example/", aud="my-api"))
        refused(response, 503, "keys_unavailable")
        assert response.headers["Retry-After"]
        google_token = up.token("k1", iss="accounts.google.com", aud="client-1")
        assert ok(site.get("/any", google_token))["provider"] == "google"
        assert ok(site.get("/any", own))["provider"] == "self"
        assert up.hits == 1


def test_overlapping_issuers_are_refused_at_init_app(idp: standin.IdentityProvider) -> None:
    entra_any = IdentityProvider.entra(tenant="organizations", audience="a")
    entra_one = IdentityProvider.entra(tenant=TENANT, audience="b", name="entra_one")
    cases: list[tuple[list[IdentityProvider], dict[str, object]]] = [
        ([corp(idp), corp(idp, name="corp2")], {}),
        ([entra_any, entra_one], {}),
        ([corp(idp, issuer=("https://idp.corp.example/", OWN_ISSUER))], {"own": True}),
    ]
    for providers, options in cases:
        with pytest.raises(InvalidConfigError, match="both accept the issuer"):
            Site(providers, own=bool(options.get("own")))
    # Controls: disjoint tenants on one template, and distinct issuers.
    a = dataclasses.replace(entra_any, allowed_tenants=(TENANT,))
    b = dataclasses.replace(entra_any, name="entra_b", allowed_tenants=(OTHER_TENANT,))
    Site([a, b])
    Site([corp(idp), corp(idp, name="other", issuer="https://idp.other.example/")], own=True)


def test_configuration_errors_at_init_app(idp: standin.IdentityProvider) -> None:
    with pytest.raises(InvalidConfigError, match="names two providers 'corp'"):
        Site([corp(idp), corp(idp, issuer="https://x.example/")])
    with pytest.raises(InvalidConfigError, match=r"providers\['corp'\].jwks_url"):
        Site([corp(idp, jwks_url="http://idp.corp.example/jwks.json")])
    with pytest.raises(InvalidConfigError, match="one-provider shorthand"):
        Site([corp(idp)], JWT_JWKS_URL=idp.url, JWT_ISSUER="x", JWT_AUTHTYPE="RS256",
             JWT_AUDIENCE="a")  # fmt: skip
    with pytest.raises(InvalidConfigError, match="not an IdentityProvider"):
        Site(["corp"])  # type: ignore[list-item]
    # With own keys, JWT_ISSUER is still required for them.
    with pytest.raises(MissingConfigError, match="JWT_ISSUER"):
        Site([corp(idp)], JWT_SECRET=HMAC_SECRET, JWT_AUTHTYPE="HS256")


def test_a_providers_only_app_needs_no_issuer_algorithm_or_secret(
    idp: standin.IdentityProvider,
) -> None:
    site = Site([corp(idp)])
    assert idp.hits >= 0
    hits = idp.hits
    assert ok(site.get("/any", corp_token(idp)))["provider"] == "corp"
    assert idp.hits <= hits + 1
    with site.app.app_context():
        assert site.manager.jwks() == {"keys": []}
        with pytest.raises(MissingSignerError):
            site.manager.auth_token("alice")


def test_pinned_keys_need_no_fetch(idp: standin.IdentityProvider) -> None:
    # Before: JWT_PUBLICKEY could hold the provider's JWK Set, but its tokens were then
    # read as the app's own and refused (401 token_type_invalid).
    pinned = corp(idp, jwks_url=None, jwks={"keys": [standin.public_jwk(idp.keys["k1"])]})
    site = Site([pinned])
    hits = idp.hits
    assert ok(site.get("/any", corp_token(idp)))["provider"] == "corp"
    assert idp.hits == hits
    other_key = idp.token("e1", claims={"iss": "https://idp.corp.example/", "aud": "my-api"})
    refused(site.get("/any", other_key), 401, "algorithm_not_allowed")
    with pytest.raises(InvalidConfigError, match=r"providers\['corp'\].jwks: .*no key usable"):
        Site([corp(idp, jwks_url=None, jwks={"keys": []})])
    with pytest.raises(InvalidConfigError, match=r"unusable key: keys\[1\] \(kid 'e1'\)"):
        Site([corp(idp, jwks_url=None, jwks=idp.document())])


def test_discovery_is_lazy_and_refuses_a_lying_document() -> None:
    with standin.running_idp("k1") as idp:
        issuer = idp.base_url
        idp.discovery = {"issuer": issuer, "jwks_uri": idp.url}
        provider = IdentityProvider.discover(issuer, audience="my-api", name="corp")
        assert provider.discovery_url == f"{issuer}/.well-known/openid-configuration"
        site = Site([provider])
        assert idp.hits == 0  # nothing at init_app
        token = idp.token("k1", iss=issuer, aud="my-api")
        assert ok(site.get("/any", token))["provider"] == "corp"
        assert idp.hits == 2  # the document, then the keys
        # A document naming another issuer is refused: its keys are never installed.
        idp.discovery = {"issuer": "https://attacker.example", "jwks_uri": idp.url}
        liar = Site([provider])
        refused(liar.get("/any", token), 503, "keys_unavailable")
        # Nor one sending the keys to plain http elsewhere.
        idp.discovery = {"issuer": issuer, "jwks_uri": "http://keys.example/jwks.json"}
        refused(Site([provider]).get("/any", token), 503, "keys_unavailable")


@pytest.mark.parametrize(
    ("issuer", "jwks_uri", "allowed"),
    [
        ("https://idp.example", "http://127.0.0.1:8080/keys", False),
        ("https://idp.example", "https://localhost/keys", False),
        ("https://idp.example", "http://[::ffff:127.0.0.1]/keys", False),
        ("https://idp.example", "https://idp.example/keys", True),
        ("http://127.0.0.1:9000", "http://127.0.0.1:9000/keys", True),
        ("http://localhost:9000", "http://127.0.0.2:9001/keys", True),
    ],
)
def test_a_remote_discovery_document_cannot_send_the_key_fetch_to_loopback(
    issuer: str, jwks_uri: str, allowed: bool
) -> None:
    # A remote HTTPS identity provider cannot be served on loopback here: the fetcher's
    # own seam stands in for the network, and what it is asked to fetch is the result.
    from flask_pyjwt._backends.discovery import DiscoveryFetcher
    from flask_pyjwt._core.key_source import FetchError

    asked: list[str] = []

    def fetch(url: str, timeout: float, /) -> tuple[bytes, str | None]:
        asked.append(url)
        document = {"issuer": issuer, "jwks_uri": jwks_uri}
        return json.dumps(document).encode(), "application/json"

    fetcher = DiscoveryFetcher(issuer, fetch)
    document_url = f"{issuer}/.well-known/openid-configuration"
    if allowed:
        fetcher(document_url, 1.0)
        assert asked == [document_url, jwks_uri]
    else:
        with pytest.raises(FetchError, match="on loopback, but the document is not"):
            fetcher(document_url, 1.0)
        assert asked == [document_url]


def test_identity_provider_refuses_bad_fields() -> None:
    def make(name: str = "corp", **fields: Any) -> IdentityProvider:
        url = None if "jwks" in fields else "https://i/k"
        return IdentityProvider(name=name, issuer="https://i/", jwks_url=url, **fields)

    with pytest.raises(ValueError, match="needs an audience"):
        make()
    with pytest.raises(ValueError, match="exactly one of"):
        IdentityProvider(name="c", issuer="https://i/", jwks_url="https://i/k", audience="a",
                         jwks={"keys": []})  # fmt: skip
    with pytest.raises(ValueError, match="is taken"):
        make("self", audience="a")
    with pytest.raises(ValueError, match="asymmetric"):
        make(audience="a", algorithms=("HS256",))
    with pytest.raises(ValueError, match="token_use needs client_id"):
        make(audience="a", token_use="access")
    with pytest.raises(ValueError, match="allowed_tenants"):
        make(audience="a", allowed_tenants=("t",))
    with pytest.raises(ValueError, match="header"):
        make(audience="a", header="bad header")
    with pytest.raises(TypeError, match="issuer"):
        IdentityProvider(name="c", issuer=(), jwks_url="https://i/k", audience="a")
    moved = dataclasses.replace(make(audience="a"), jwks_url="http://127.0.0.1:1/k")
    assert moved.jwks_url == "http://127.0.0.1:1/k"
    assert "keys" not in repr(make(audience="a", jwks={"keys": []}))


def test_jwks_url_tokens_come_from_the_default_source(idp: standin.IdentityProvider) -> None:
    app = Flask("shorthand")
    configure(app, {"JWT_ISSUER": standin.ISSUER, "JWT_AUTHTYPE": "RS256",
                    "JWT_JWKS_URL": idp.url, "JWT_AUDIENCE": standin.AUDIENCE})  # fmt: skip
    AuthManager(app)

    @app.route("/p")
    @require_token()
    def view() -> str:
        return current_token.provider

    response = app.test_client().get("/p", headers=bearer(idp.token("k1")))
    assert response.get_data(as_text=True) == "default"


def test_require_token_checks_providers_at_decoration() -> None:
    with pytest.raises(TypeError, match="sequence of source names"):
        require_token(providers="corp")
    with pytest.raises(ValueError, match="empty"):
        require_token(providers=())
    with pytest.raises(ValueError, match="source names"):
        require_token(providers=("a b",))


def test_the_payload_peek_never_crashes_on_junk(idp: standin.IdentityProvider) -> None:
    site = Site([corp(idp)], own=True)
    for junk in ("a.b.c", "e30.e30.e30", "x" * 10, "e30." + "W10" + ".e30", "é.é.é"):
        response = site.get("/any", junk)
        assert response.status_code == 401, (junk, response.status_code)


def test_a_route_naming_an_unknown_source_fails_loudly(idp: standin.IdentityProvider) -> None:
    site = Site([corp(idp)], own=True)

    @site.app.route("/typo")
    @require_token(providers=("crop",))
    def typo() -> str:
        return "never"

    site.app.config["PROPAGATE_EXCEPTIONS"] = True
    with pytest.raises(InvalidConfigError, match=r"names crop, .* its sources are corp, self"):
        site.get("/typo", corp_token(idp))
    assert site.get("/corp", corp_token(idp)).status_code == 200  # control


def test_each_source_has_its_own_leeway_and_expiry_holds_on_cache_hits() -> None:
    clock = Clock()
    with standin.running_idp("k1", clock=clock) as idp:
        lenient = corp(idp, leeway=30)
        site = Site([lenient], own=True, clock=clock)
        with site.app.app_context():
            own = site.manager.auth_token("alice", max_age=60).signed
        token = corp_token(idp)  # valid for 300 s from now
        for _ in range(3):  # verified twice: kept in corp's cache
            assert ok(site.get("/any", token))["provider"] == "corp"
        clock.now += 310  # 10 s past exp: within corp's 30 s leeway
        assert ok(site.get("/any", token))["provider"] == "corp"
        refused(site.get("/any", own), 401, "token_expired")  # the app's own leeway is 0
        clock.now += 25  # 35 s past exp
        refused(site.get("/any", token), 401, "token_expired")


def test_the_factory_pattern_and_an_optional_route_with_a_provider_header(
    idp: standin.IdentityProvider,
) -> None:
    manager = AuthManager(providers=[pointed(IdentityProvider.google_iap(audience="/p/1"), idp)])
    app = Flask("factory")
    manager.init_app(app)

    @app.route("/maybe")
    @require_token(optional=True)
    def maybe() -> dict[str, Any]:
        token = current_token.get_or_none()
        return {"provider": None if token is None else token.provider}

    client = app.test_client()
    assert ok(client.get("/maybe")) == {"provider": None}
    token = idp.token("e1", iss="https://cloud.google.com/iap", aud="/p/1", email="a@b.example")
    response = client.get("/maybe", headers={"X-Goog-IAP-JWT-Assertion": token})
    assert ok(response) == {"provider": "google_iap"}
    twice = client.get(
        "/maybe",
        headers=[("x-goog-iap-jwt-assertion", token), ("x-goog-iap-jwt-assertion", token)],
    )
    assert twice.status_code == 401


def test_no_source_checks_another_sources_tokens(idp: standin.IdentityProvider) -> None:
    site = Site([corp(idp)], own=True)
    now = int(time.time())
    provider_claims = {"iss": "https://idp.corp.example/", "aud": "my-api", "sub": "eve",
                       "iat": now, "exp": now + 60}  # fmt: skip
    # The provider's issuer, signed with the app's own HMAC secret (and its kid).
    with_own_secret = forge({"alg": "HS256", "typ": "at+jwt", "kid": HMAC_KID}, provider_claims)
    refused(site.get("/any", with_own_secret), 401, "algorithm_not_allowed")
    # The app's issuer and claims, signed with the provider's key.
    own_claims = {**provider_claims, "iss": OWN_ISSUER, "type": "auth", "jti": "j1"}
    with_provider_key = idp.token("k1", claims=own_claims)
    refused(site.get("/any", with_provider_key), 401, "algorithm_not_allowed")
    # Controls: each signed by its own source passes.
    assert ok(site.get("/any", corp_token(idp)))["provider"] == "corp"
    with site.app.app_context():
        assert ok(site.get("/any", site.manager.auth_token("ann").signed))["provider"] == "self"


_ISSUERS = st.sampled_from([
    OWN_ISSUER, "https://idp.corp.example/", "https://login.microsoftonline.com/t1/v2.0",
    "https://login.microsoftonline.com/{tid}/v2.0", "", "accounts.google.com",
])  # fmt: skip
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=60, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(
    iss=_ISSUERS | _JSON,
    tid=st.sampled_from(["t1", "t2", "../x", "", "a/b"]) | _JSON,
    alg=st.sampled_from(["HS256", "RS256", "ES256", "none"]),
    extra=st.dictionaries(st.text(max_size=6), _JSON, max_size=3),
    signature=st.binary(max_size=80),
)
def test_random_tokens_across_sources_are_refused_never_a_500(
    iss: object, tid: object, alg: str, extra: dict[str, object], signature: bytes
) -> None:
    site = _FUZZ_SITE
    now = int(time.time())
    payload = {**extra, "iss": iss, "tid": tid, "aud": "my-api", "sub": "s", "iat": now,
               "exp": now + 60, "type": "auth", "jti": "j"}  # fmt: skip
    head = {"alg": alg, "typ": "at+jwt", "kid": "k1"}
    token = ".".join(
        b64url(part)
        for part in (json.dumps(head).encode(), json.dumps(payload).encode(), signature)
    )
    response = site.get("/any", token)
    assert response.status_code == 401, response.get_data(as_text=True)


def _fuzz_site() -> Site:
    key = standin.public_jwk(standin.rsa_key("k1"))
    pinned = IdentityProvider(
        name="corp", issuer="https://idp.corp.example/", jwks={"keys": [key]}, audience="my-api"
    )
    entra = dataclasses.replace(
        IdentityProvider.entra(tenant="organizations", audience="my-api"),
        jwks_url=None, jwks={"keys": [key]},
    )  # fmt: skip
    return Site([pinned, entra], own=True)


_FUZZ_SITE: Final = _fuzz_site()


def test_verify_request_narrows_by_source_too(idp: standin.IdentityProvider) -> None:
    site = Site([corp(idp)], own=True)

    @site.app.route("/checked")
    def checked() -> dict[str, str]:
        token = verify_request(providers=("self",))
        return {"provider": token.provider}

    with site.app.app_context():
        own = site.manager.auth_token("ann").signed
    assert ok(site.get("/checked", own)) == {"provider": "self"}
    refused(site.get("/checked", corp_token(idp)), 401, "claim_invalid")


def test_the_identity_claim_per_source(idp: standin.IdentityProvider) -> None:
    """A provider's ``identity_claim`` names its users; one that sets none follows the
    app's ``JWT_IDENTITY_CLAIM``, which a token without that claim then fails (401)."""
    iap = pointed(IdentityProvider.google_iap(audience="/projects/1/apps/2"), idp)
    site = Site([corp(idp), iap], own=True, JWT_IDENTITY_CLAIM="preferred_username")

    @site.app.route("/who")
    @require_token()
    def who() -> dict[str, Any]:
        return {
            "identity": current_token.identity,
            "loader_sees": site.manager.identity(current_token.get()),
            "provider": current_token.provider,
        }

    # corp sets no identity_claim: the app's preferred_username names the user.
    token = corp_token(idp, preferred_username="ann")
    assert ok(site.get("/who", token)) == {
        "identity": "ann",
        "loader_sees": "ann",
        "provider": "corp",
    }
    refused(site.get("/who", corp_token(idp)), 401, "claim_invalid")
    # IAP's own identity_claim ("email") wins over the app's setting.
    claims = {"iss": "https://cloud.google.com/iap", "aud": "/projects/1/apps/2",
              "sub": "accounts.google.com:1", "email": "bob@example.com"}  # fmt: skip
    iap_token = idp.token("e1", header={"typ": "JWT"}, drop=("scope", "jti"), claims=claims)
    response = site.get_bare("/who", "x-goog-iap-jwt-assertion", iap_token)
    assert ok(response) == {
        "identity": "bob@example.com",
        "loader_sees": "bob@example.com",
        "provider": "google_iap",
    }


def test_a_route_narrowed_to_one_provider_refuses_anothers_token_before_its_keys() -> None:
    """A token of a source the route does not accept is a 401 from its ``iss`` alone:
    never a 503 because that other provider is down, never a fetch of its keys."""
    with standin.running_idp("k1") as up, standin.running_idp("k9") as down:
        down.stop()  # never answered: a fetch of its keys would fail
        google = dataclasses.replace(
            IdentityProvider.google(audience="client-1"), jwks_url=down.url
        )
        site = Site([corp(up), google], own=True)
        google_token = down.token("k9", iss="accounts.google.com", aud="client-1")
        refused(site.get("/corp", google_token), 401, "claim_invalid")
        refused(site.get("/any", google_token), 503, "keys_unavailable")  # control
        assert ok(site.get("/corp", corp_token(up))) == {"provider": "corp"}  # control
        assert up.hits == 1
        other = Site([corp(up), dataclasses.replace(google, jwks_url=up.url)], own=True)
        refused(other.get("/corp", up.token("k1", iss="accounts.google.com", aud="client-1")),
                401, "claim_invalid")  # fmt: skip
        assert up.hits == 1  # google's keys were not fetched for a corp-only route


def test_two_providers_that_use_the_same_header_each_have_their_tokens_read(
    idp: standin.IdentityProvider,
) -> None:
    """Two Cloudflare Access teams (each its own issuer) send their tokens in the same
    header: each team's token is accepted from it, and only a token of one of them."""
    teams = [
        pointed(IdentityProvider.cloudflare_access(team_domain=f"{team}.cloudflareaccess.com",
                                                   audience="aud-tag", name=team), idp)
        for team in ("staging", "prod")
    ]  # fmt: skip
    site = Site(teams, own=True)
    for team in ("staging", "prod"):
        token = idp.token("k1", iss=f"https://{team}.cloudflareaccess.com", aud="aud-tag",
                          email="ann@example.com")  # fmt: skip
        assert ok(site.get_bare("/any", "Cf-Access-Jwt-Assertion", token))["provider"] == team
    with site.app.app_context():
        own = site.manager.auth_token("alice").signed
    refused(site.get_bare("/any", "Cf-Access-Jwt-Assertion", own), 401, "claim_invalid")
