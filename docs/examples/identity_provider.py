"""A resource server behind an identity provider: Auth0- and Keycloak-style settings."""

from __future__ import annotations

from flask import Flask

from flask_pyjwt import AuthManager, current_token, require_token


# [start auth0]
def auth0_config(tenant: str, api_identifier: str) -> dict[str, object]:
    """Auth0: the tenant's issuer ends with a slash; the audience is the API identifier."""
    return {
        "JWT_ISSUER": f"https://{tenant}.auth0.com/",
        "JWT_AUTHTYPE": "RS256",
        "JWT_JWKS_URL": f"https://{tenant}.auth0.com/.well-known/jwks.json",
        "JWT_AUDIENCE": api_identifier,
        # No JWT_REQUIRE_AT_JWT: an API's default token profile ("Auth0") types its
        # tokens JWT, the "RFC 9068" profile at+jwt; both are accepted.
    }


# [end auth0]


# [start keycloak]
def keycloak_config(base_url: str, realm: str, audience: str) -> dict[str, object]:
    """Keycloak: the realm's issuer and certs endpoint; an audience mapper on the client
    puts this API's client id in aud."""
    issuer = f"{base_url}/realms/{realm}"
    return {
        "JWT_ISSUER": issuer,
        "JWT_AUTHTYPE": "RS256",
        "JWT_JWKS_URL": f"{issuer}/protocol/openid-connect/certs",
        "JWT_AUDIENCE": audience,
    }


# [end keycloak]


# [start entra]
def entra_config(tenant_id: str, audience: str, *, token_version: int = 2) -> dict[str, object]:
    """Entra ID: the issuer depends on the token version the API's app registration
    asks for (accessTokenAcceptedVersion in its manifest; unset means 1), not on the
    endpoint the client signed in at."""
    issuer = (
        f"https://login.microsoftonline.com/{tenant_id}/v2.0"
        if token_version == 2
        else f"https://sts.windows.net/{tenant_id}/"  # v1.0 tokens; mind the slash
    )
    return {
        "JWT_ISSUER": issuer,
        "JWT_AUTHTYPE": "RS256",
        "JWT_JWKS_URL": f"https://login.microsoftonline.com/{tenant_id}/discovery/v2.0/keys",
        # v2.0: the API's application (client) id; v1.0: its Application ID URI.
        "JWT_AUDIENCE": audience,
    }


# [end entra]


# [start app]
def create_app(config: dict[str, object]) -> Flask:
    app = Flask("orders_api")
    app.config.from_mapping(config)
    AuthManager(app)  # no request to the provider yet: the first token fetches its keys

    @app.route("/orders")
    @require_token(scope="orders:read")  # a "scope" string or an "scp" list
    def orders() -> dict[str, str]:
        return {"orders_of": current_token.sub}

    return app


# [end app]
