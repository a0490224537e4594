"""Several token sources: the app's own tokens and identity providers, with the presets."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Flask

from flask_pyjwt import AuthManager, IdentityProvider, current_token, require_token


# [start presets]
def presets() -> list[IdentityProvider]:
    """One of each preset, with the values each provider's console shows."""
    return [
        # Auth0: Applications > APIs > your API. "Identifier" is the audience; the domain is
        # the tenant's (Settings > Domain) or your custom domain. Either token profile.
        IdentityProvider.auth0(domain="acme.eu.auth0.com", audience="https://api.example.com"),
        # Keycloak: the realm, and the client your frontend signs in with (client_id, the
        # token's azp). Tokens name this API in aud only with an "Audience" mapper.
        IdentityProvider.keycloak(
            base_url="https://kc.example.com",
            realm="acme",
            audience="orders-api",
            client_id="shop-frontend",
        ),
        # Okta: Security > API > Authorization Servers: the server's name ("default")
        # and its Audience.
        IdentityProvider.okta(domain="acme.okta.com", audience="api://default"),
        # Entra ID: the API's app registration. Supported account types "any
        # organizational directory" is tenant="organizations"; its manifest's
        # accessTokenAcceptedVersion 2 is version=2, and then aud is the application
        # (client) id.
        IdentityProvider.entra(
            tenant="organizations", audience="6e74172b-be56-4843-9ff4-e66a39bb12e3", version=2
        ),
        # Google ID tokens: the OAuth client id (APIs & Services > Credentials).
        IdentityProvider.google(audience="1234-abc.apps.googleusercontent.com"),
        # Cognito: the user pool's region and id, and the app client id.
        IdentityProvider.cognito(
            region="eu-west-1", user_pool_id="eu-west-1_AbC", client_id="4kq7s0example"
        ),
        # Google IAP: Security > Identity-Aware Proxy > the backend service's
        # "Signed header JWT audience".
        IdentityProvider.google_iap(audience="/projects/123456/global/backendServices/789"),
        # Cloudflare Access: Zero Trust > Access > Applications > your app: its
        # "Application Audience (AUD) Tag"; the team domain from Settings.
        IdentityProvider.cloudflare_access(
            team_domain="acme.cloudflareaccess.com",
            audience="4714c1358e65fe4b408ad6d432a5f878f2b9a3b8fa11d1d8aa2a0a0c13e8c07b",
        ),
    ]


# [end presets]


# [start several]
def create_app(providers: Sequence[IdentityProvider]) -> Flask:
    app = Flask("orders_api")
    app.config["JWT_ISSUER"] = "https://orders.example.com"  # the app's own tokens ("self")
    app.config["JWT_AUTHTYPE"] = "HS256"
    app.config["JWT_SECRET"] = "a-long-random-secret-kept-out-of-the-code-0123456789"
    auth_manager = AuthManager(app, providers=providers)  # nothing fetched yet

    @app.route("/login", methods=["POST"])
    def login() -> dict[str, str]:
        return {"token": auth_manager.auth_token("alice", "orders:read").signed}

    @app.route("/orders")
    @require_token(scope="orders:read")  # any source: "scope" string or "scp" list
    def orders() -> dict[str, str]:
        return {"orders_of": current_token.sub, "via": current_token.provider}

    @app.route("/staff")
    @require_token(providers=("corp",))  # only the corporate provider's tokens
    def staff() -> dict[str, str]:
        return {"staff": current_token.sub}

    return app


corp = IdentityProvider(
    name="corp",
    issuer="https://idp.corp.example/",
    jwks_url="https://idp.corp.example/.well-known/jwks.json",
    audience="orders-api",
)
# app = create_app([corp, IdentityProvider.google(audience="1234-abc.apps.googleusercontent.com")])
# [end several]


# [start discover]
def discovered(issuer: str) -> IdentityProvider:
    # Reads <issuer>/.well-known/openid-configuration when the first token arrives.
    return IdentityProvider.discover(issuer, audience="orders-api", name="corp")


# [end discover]


# [start roles]
def register_role_routes(app: Flask) -> None:
    @app.route("/reports")
    @require_token(roles=["Reports.Read"])  # Entra ID app roles: a daemon's token
    def reports() -> str:
        return "reports"

    @app.route("/realm-admin")
    @require_token(realm_access={"roles": ["admin"]})  # Keycloak realm roles
    def realm_admin() -> str:
        return "admin"


# [end roles]
