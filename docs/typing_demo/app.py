from dataclasses import dataclass

from flask import Flask

from flask_pyjwt import AuthManager, current_token, require_token

app = Flask(__name__)
auth_manager = AuthManager(app)


@dataclass(frozen=True)
class TenantClaims:
    tenant: str
    roles: tuple[str, ...] = ()


@app.get("/users/<username>")
@require_token(sub="username", claims_as=TenantClaims)
def profile(username: str) -> dict[str, str]:
    claims = current_token.claims_as(TenantClaims)
    reveal_type(current_token.sub)
    reveal_type(claims.roles)
    return {"user": username, "tenant": claims.tenant}


def misuse() -> None:
    token = auth_manager.auth_token("alice", tenant="acme")
    reveal_type(auth_manager.convert_token(token.signed))
    reveal_type(auth_manager.convert_token(token.signed, "refresh"))
    token.sub = "mallory"
    token.claims["admin"] = True
    require_token("access")
    profile(42)
