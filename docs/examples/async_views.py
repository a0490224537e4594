"""``require_token`` on ``async def`` views (needs ``pip install flask[async]``)."""

from __future__ import annotations

import asyncio

from flask import Flask

from flask_pyjwt import AuthManager, current_token, require_token

app = Flask(__name__)
app.config["JWT_ISSUER"] = "async-example"
app.config["JWT_AUTHTYPE"] = "HS256"
app.config["JWT_SECRET"] = "a-32-byte-or-longer-secret-for-hs256!"
auth_manager = AuthManager(app)


async def fetch_orders(user: str) -> list[str]:
    await asyncio.sleep(0)  # stands in for an async database or HTTP call
    return [f"order-1-of-{user}", f"order-2-of-{user}"]


# [start view]
@app.route("/users/<username>/orders")
@require_token(sub="username", scope="orders:read")
async def orders(username: str) -> dict[str, list[str]]:
    # The token was verified before the coroutine started; current_token works here.
    return {"orders": await fetch_orders(current_token.sub)}


# [end view]
