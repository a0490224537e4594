"""Identity providers: the presets return the frozen dataclass, its fields are typed, and
the source of a token is a str everywhere it is read."""

from __future__ import annotations

import dataclasses

from flask import Flask
from typing_extensions import assert_type

from flask_pyjwt import AuthManager, IdentityProvider, Token, current_token, require_token


def presets() -> None:
    auth0 = IdentityProvider.auth0(domain="acme.eu.auth0.com", audience="https://api")
    assert_type(auth0, IdentityProvider)
    assert_type(dataclasses.replace(auth0, jwks_url="http://127.0.0.1/jwks"), IdentityProvider)
    assert_type(IdentityProvider.discover("https://idp/", audience="a", name="c"), IdentityProvider)
    assert_type(auth0.issuer, str | tuple[str, ...])
    assert_type(auth0.audience, str | tuple[str, ...] | None)
    assert_type(auth0.algorithms, tuple[str, ...])
    assert_type(auth0.header, str | None)
    entra = IdentityProvider.entra(tenant="organizations", audience="api://x", version=1)
    AuthManager(Flask(__name__), providers=[auth0, entra])


def sources(token: Token) -> None:
    assert_type(current_token.provider, str)
    assert_type(token.provider, str)
    require_token(providers=("corp", "self"))


def misuse() -> None:
    IdentityProvider.entra(tenant="t", audience="a", version=3)  # type: ignore[arg-type]
    IdentityProvider.cognito(region="r", user_pool_id="p", client_id="c", token_use="refresh")  # type: ignore[arg-type]
    IdentityProvider(name="c", issuer="i", audience="a", jwks_url="u", algorithms="RS256")  # type: ignore[arg-type]
    auth0 = IdentityProvider.auth0(domain="d", audience="a")
    auth0.name = "other"  # type: ignore[misc]
