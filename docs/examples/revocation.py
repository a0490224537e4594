"""Logout, logout everywhere and refresh rotation (the docs' "Logout and revocation")."""

from __future__ import annotations

from flask import Flask, request
from redis import Redis
from redis.backoff import NoBackoff
from redis.cluster import RedisCluster
from redis.retry import Retry

from flask_pyjwt import AuthManager, RedisRevocationStore, current_token, require_token

app = Flask(__name__)
app.config["JWT_ISSUER"] = "revocation-example"
app.config["JWT_AUTHTYPE"] = "HS256"
app.config["JWT_SECRET"] = "a-32-byte-or-longer-secret-for-hs256!"
# [start redis]
# Every process of the app shares its revocations through one Redis:
#     app.config["JWT_REVOCATION_REDIS_URL"] = "redis://127.0.0.1:6379/0"
#     app.config["JWT_REVOCATION_PREFIX"] = "my-api:"  # if other apps share this Redis
# [end redis]
auth_manager = AuthManager(app)  # without Redis: revocations kept in this process

SCOPES = {"alice": "read write", "bob": "read"}


def scopes_of(user_id: str) -> str:
    return SCOPES[user_id]


# [start views]
@app.post("/login")
def login() -> dict[str, str]:
    user_id = request.form["username"]  # check the password here
    refresh = auth_manager.refresh_token(user_id)  # starts a session (its sid)
    auth = auth_manager.auth_token(user_id, scopes_of(user_id), session=refresh)
    return {"auth_token": auth.signed, "refresh_token": refresh.signed}


@app.post("/refresh")
@require_token("refresh")
def refresh() -> dict[str, str]:
    # Single use: the presented refresh token is retired; a replay revokes the session.
    auth, new_refresh = auth_manager.rotate(current_token.signed, scopes_of(current_token.sub))
    return {"auth_token": auth.signed, "refresh_token": new_refresh.signed}


@app.post("/logout")
@require_token("refresh")
def logout() -> dict[str, str]:
    auth_manager.revoke(current_token.get())  # the whole session
    return {"message": "logged out"}


@app.post("/password")
@require_token()
def change_password() -> dict[str, str]:
    # ... store the new password, then:
    auth_manager.revoke_subject(current_token.sub)  # every device, every session
    return {"message": "password changed; log in again"}


@app.get("/me")
@require_token()
def me() -> dict[str, str]:
    return {"sub": current_token.sub}


@app.get("/status")
@require_token(check_revocation=False)  # works while the store is down; a revoked token too
def status() -> dict[str, str]:
    return {"status": "ok"}


# [end views]


# [start client]
def shared_store(host: str, port: int) -> RedisRevocationStore:
    """A Redis store whose client gives up within a quarter of a second, without retrying:
    an unreachable Redis is then a quick 503, not a request held for seconds."""
    client = Redis(
        host=host,
        port=port,
        socket_timeout=0.25,
        socket_connect_timeout=0.25,
        retry=Retry(NoBackoff(), 0),
    )
    return RedisRevocationStore(client, prefix="my-api:")


# [end client]


# [start cluster]
def cluster_store(host: str, port: int) -> RedisRevocationStore:
    """A store on Redis Cluster whose logouts survive a failover: each write returns
    once a replica has it (else a 503)."""
    client = RedisCluster(host=host, port=port, socket_timeout=0.25, retry=Retry(NoBackoff(), 1))
    return RedisRevocationStore(client, prefix="my-api:", min_replicas=1)


# [end cluster]
