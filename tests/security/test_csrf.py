"""Cross-site request forgery against cookie-carried tokens (issue 11, item 3).

A browser attaches cookies to every request to the site, whoever's page sends it. A
token read from a cookie on POST, PUT, PATCH or DELETE must therefore come with the
``X-CSRF-Token`` header holding the CSRF value bound to that very token, which only the
site's own pages can read (from the ``csrf_auth_token`` cookie) and send. Each attack
below goes through a real app and asserts the 403 ``csrf_failed`` a client sees (JSON
body, no ``WWW-Authenticate`` challenge), and that the view did not run.
"""

from __future__ import annotations

import pytest
from flask import Flask, Response, jsonify
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from flask_pyjwt import AuthManager, current_token, require_token
from tests.support import bearer, config_for, configure, json_body, set_cookies

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


class Site:
    """An app with a login that sets the cookies, and views that record their calls."""

    def __init__(self, **config: object) -> None:
        self.app = Flask("csrf")
        configure(self.app, {**config_for("HS256"), **config})
        self.manager = AuthManager(self.app)
        self.calls: list[str] = []
        app, manager = self.app, self.manager

        @app.post("/login/<name>")
        def login(name: str) -> Response:
            response = jsonify(user=name)
            manager.set_token_cookies(
                response, auth=manager.auth_token(name), refresh=manager.refresh_token(name)
            )
            return response

        @app.route("/transfer", methods=["GET", "HEAD", *UNSAFE])
        @require_token(location=("cookies", "header", "json", "query"))
        def transfer() -> dict[str, str]:
            self.calls.append(current_token.sub)
            return {"transferred_by": current_token.sub}

        @app.post("/comment")
        @require_token(location="cookies", optional=True)
        def comment() -> dict[str, str]:
            self.calls.append(current_token.sub if current_token else "anonymous")
            return {"by": current_token.sub if current_token else "anonymous"}

        @app.post("/refresh")
        @require_token("refresh", "cookies")
        def refresh() -> dict[str, str]:
            self.calls.append("refresh")
            return {"refreshed": current_token.sub}

    def logged_in(self, name: str = "alice") -> tuple[FlaskClient, dict[str, str]]:
        """A browser with ``name``'s cookies, and the CSRF values its page can read."""
        client = self.app.test_client()
        response = client.post(f"/login/{name}")
        values = {cookie.name: cookie.value for cookie in set_cookies(response).values()}
        return client, values

    def refused(self, response: TestResponse) -> dict[str, object]:
        assert response.status_code == 403, response.data
        body = json_body(response)
        assert body["code"] == "csrf_failed"
        assert body["error"] == "forbidden"
        assert "WWW-Authenticate" not in response.headers  # another token would not help
        assert response.headers["Cache-Control"] == "no-store"
        assert self.calls == []
        return body


@pytest.fixture
def site() -> Site:
    return Site()


@pytest.mark.parametrize("method", UNSAFE)
def test_a_forged_request_without_the_header_is_refused(site: Site, method: str) -> None:
    # What a cross-site form or an <img>/<script> cannot avoid: the cookies go along,
    # the header cannot be added.
    client, _ = site.logged_in()
    body = site.refused(client.open("/transfer", method=method))
    assert body["message"] == (
        "A token cookie on this request method needs the X-CSRF-Token header (or, in a "
        "form post, the csrf_token field): send the value of the csrf_auth_token cookie in it."
    )


@pytest.mark.parametrize(
    "wrong",
    [
        "guess",
        "A" * 43,  # the right shape, the wrong value
        "none",
        " ",
        "\u00e9t\u00e9",  # non-ASCII (latin-1 bytes on the wire)
        "x" * 10_000,
    ],
)
def test_a_wrong_header_is_refused(site: Site, wrong: str) -> None:
    client, _ = site.logged_in()
    response = client.post("/transfer", headers={"X-CSRF-Token": wrong})
    body = site.refused(response)
    assert body["message"] == "The X-CSRF-Token header does not match the token cookie."


def test_near_misses_of_the_right_value_are_refused(site: Site) -> None:
    client, values = site.logged_in()
    right = values["csrf_auth_token"]
    auth = values["auth_token"]
    for near in (right[:-1], right + "A", right.swapcase(), f"{right},{right}", auth):
        site.refused(client.post("/transfer", headers={"X-CSRF-Token": near}))
    # Two headers (one right): servers join them, which matches nothing.
    twice = client.post(
        "/transfer", headers=[("X-CSRF-Token", right), ("X-CSRF-Token", "attacker")]
    )
    site.refused(twice)


def test_another_sessions_token_cookie_with_this_sessions_csrf_value_is_refused(
    site: Site,
) -> None:
    # An attacker who can write cookies for the site (a sibling subdomain, plain http
    # on the network) but not read them plants their own token cookie; the victim's page
    # sends the victim's CSRF value. The value is bound to a token, so it does not fit.
    victim, victim_values = site.logged_in("victim")
    _, attacker_values = site.logged_in("mallory")
    victim.set_cookie("auth_token", attacker_values["auth_token"])
    site.refused(
        victim.post("/transfer", headers={"X-CSRF-Token": victim_values["csrf_auth_token"]})
    )
    # And the other way round: the victim's token with the attacker's own CSRF value.
    victim.set_cookie("auth_token", victim_values["auth_token"])
    site.refused(
        victim.post("/transfer", headers={"X-CSRF-Token": attacker_values["csrf_auth_token"]})
    )


def test_the_csrf_cookie_alone_proves_nothing(site: Site) -> None:
    # The browser sends the readable CSRF cookie too; only the header counts.
    client, values = site.logged_in()
    assert client.get_cookie("csrf_auth_token") is not None
    site.refused(client.post("/transfer"))
    # Classic double submit compares the header with the cookie, so an attacker who can
    # write cookies plants a CSRF cookie of a chosen value and sends that value: here
    # the header is compared with the value of the token itself, not with the cookie.
    client.set_cookie("csrf_auth_token", "chosen")
    site.refused(client.post("/transfer", headers={"X-CSRF-Token": "chosen"}))
    assert values["csrf_auth_token"] != "chosen"


def test_the_refresh_cookie_needs_the_refresh_tokens_value(site: Site) -> None:
    client, values = site.logged_in()
    site.refused(client.post("/refresh"))
    site.refused(client.post("/refresh", headers={"X-CSRF-Token": values["csrf_auth_token"]}))
    body = site.refused(client.post("/refresh"))
    assert "csrf_refresh_token" in str(body["message"])
    answer = client.post("/refresh", headers={"X-CSRF-Token": values["csrf_refresh_token"]})
    assert json_body(answer) == {"refreshed": "alice"}


def test_a_cookie_without_its_header_is_refused_on_optional_routes_too(site: Site) -> None:
    # A token present but not usable: the view must not run as anonymous either (that
    # would hide a forged request as an anonymous one).
    client, values = site.logged_in()
    site.refused(client.post("/comment"))
    answer = client.post("/comment", headers={"X-CSRF-Token": values["csrf_auth_token"]})
    assert json_body(answer) == {"by": "alice"}
    anonymous = site.app.test_client().post("/comment")
    assert json_body(anonymous) == {"by": "anonymous"}


def test_the_check_comes_before_the_token_is_verified(site: Site) -> None:
    # A forged request learns nothing about the cookie it cannot read: even a garbage
    # token cookie is refused for the missing header first.
    client = site.app.test_client()
    client.set_cookie("auth_token", "garbage")
    site.refused(client.post("/transfer"))
    site.refused(client.post("/transfer", headers={"X-CSRF-Token": "x"}))


# -- controls: what must pass -------------------------------------------------------


@pytest.mark.parametrize("method", UNSAFE)
def test_control_the_pages_own_request_passes(site: Site, method: str) -> None:
    client, values = site.logged_in()
    response = client.open(
        "/transfer", method=method, headers={"x-csrf-token": values["csrf_auth_token"]}
    )
    assert json_body(response) == {"transferred_by": "alice"}


def test_control_safe_methods_need_no_header(site: Site) -> None:
    # GET and HEAD must not change anything; an app whose GET views do has a CSRF hole
    # no header check can close (see the browser apps guide).
    client, _ = site.logged_in()
    assert json_body(client.get("/transfer")) == {"transferred_by": "alice"}
    assert client.head("/transfer").status_code == 200
    assert site.calls == ["alice", "alice"]


def test_control_tokens_outside_cookies_need_no_header(site: Site) -> None:
    # A header, JSON body or query token is never sent by the browser on its own: a
    # forged request cannot carry it, so it needs no CSRF value.
    with site.app.app_context():
        token = site.manager.auth_token("bob").signed
    client = site.app.test_client()
    assert json_body(client.post("/transfer", headers=bearer(token)))["transferred_by"] == "bob"
    assert json_body(client.post("/transfer", json={"auth_token": token}))["transferred_by"]
    assert client.delete("/transfer", query_string={"jwt": token}).status_code == 200


def test_configuration_of_the_check() -> None:
    off = Site(JWT_CSRF_PROTECT=False)
    client, _ = off.logged_in()
    assert json_body(client.post("/transfer")) == {"transferred_by": "alice"}

    get_too = Site(JWT_CSRF_METHODS=["post", "GET"], JWT_CSRF_HEADER="X-XSRF-TOKEN")
    client, values = get_too.logged_in()
    get_too.refused(client.get("/transfer"))
    assert client.put("/transfer").status_code == 200  # PUT is no longer listed
    get_too.calls.clear()
    get_too.refused(client.post("/transfer", headers={"X-CSRF-Token": values["csrf_auth_token"]}))
    answer = client.post("/transfer", headers={"X-XSRF-TOKEN": values["csrf_auth_token"]})
    assert answer.status_code == 200

    from_env = Site(JWT_CSRF_METHODS="POST, DELETE", JWT_CSRF_PROTECT="true")
    client, _ = from_env.logged_in()
    assert client.put("/transfer").status_code == 200
    from_env.calls.clear()
    from_env.refused(client.delete("/transfer"))
