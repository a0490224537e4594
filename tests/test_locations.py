"""Where tokens travel (issue 11, item 1): header, cookies, query string and JSON body,
one location or several tried in order, the app's default and the names of each.

Every request goes through a real app; a refusal is checked for its status, JSON code,
challenge and that the view did not run.
"""

from __future__ import annotations

import json
from typing import cast

import pytest
from flask import request
from werkzeug.test import TestResponse

from flask_pyjwt import current_token, require_token
from flask_pyjwt._core.csrf import csrf_value
from tests.support import ISSUER, bearer, forge, json_body, make_app


class Served:
    """An app with one route per location form; ``calls`` records each view that ran."""

    def __init__(self, **config: object) -> None:
        self.app, self.manager = make_app("HS256", **config)
        self.calls: list[str] = []
        app = self.app

        def ran(name: str) -> dict[str, str]:
            self.calls.append(name)
            return {"view": name, "sub": current_token.sub}

        @app.route("/default", methods=["GET", "POST"])
        @require_token()
        def default() -> dict[str, str]:
            return ran("default")

        @app.get("/header")
        @require_token(location="header")
        def header() -> dict[str, str]:
            return ran("header")

        @app.route("/cookies", methods=["GET", "POST"])
        @require_token(location="cookies")
        def cookies() -> dict[str, str]:
            return ran("cookies")

        @app.get("/named")
        @require_token(cookie_name="session_jwt")  # the seed's cookie_name= alone
        def named() -> dict[str, str]:
            return ran("named")

        @app.get("/seed")
        @require_token("auth", "cookies", cookie_name="legacy")  # the seed's full form
        def seed() -> dict[str, str]:
            return ran("seed")

        @app.get("/query")
        @require_token(location="query")
        def query() -> dict[str, str]:
            return ran("query")

        @app.post("/json")
        @require_token(location="json")
        def json_view() -> dict[str, str]:
            body = cast("dict[str, object]", request.get_json())  # still readable here
            return {**ran("json"), "note": str(body.get("note"))}

        @app.route("/cookies-then-header", methods=["GET", "POST"])
        @require_token(location=("cookies", "header"))
        def cookies_then_header() -> dict[str, str]:
            return ran("cookies-then-header")

        @app.post("/json-then-header")
        @require_token(location=["json", "header"])
        def json_then_header() -> dict[str, str]:
            return ran("json-then-header")

        @app.post("/all")
        @require_token(location=("header", "cookies", "query", "json"))
        def every() -> dict[str, str]:
            return ran("all")

        @app.post("/refresh")
        @require_token("refresh", ("cookies", "json"))
        def refresh() -> dict[str, str]:
            return ran("refresh")

    def auth(self, subject: str = "alice") -> str:
        with self.app.app_context():
            return self.manager.auth_token(subject).signed

    def refresh(self, subject: str = "alice") -> str:
        with self.app.app_context():
            return self.manager.refresh_token(subject).signed


@pytest.fixture
def served() -> Served:
    return Served()


def _refused(served: Served, response: TestResponse, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.data
    body = json_body(response)
    assert body["code"] == code
    assert response.content_type == "application/json"
    assert served.calls == []
    return body


def test_each_location_carries_a_token(served: Served) -> None:
    client = served.app.test_client()
    token = served.auth()
    assert json_body(client.get("/header", headers=bearer(token)))["view"] == "header"
    client.set_cookie("auth_token", token)
    assert json_body(client.get("/cookies"))["sub"] == "alice"
    client.delete_cookie("auth_token")
    assert json_body(client.get("/query", query_string={"jwt": token}))["view"] == "query"
    answer = client.post("/json", json={"auth_token": token, "note": "hi"})
    assert json_body(answer) == {"view": "json", "sub": "alice", "note": "hi"}
    vendor = client.post(
        "/json",
        data=json.dumps({"auth_token": token, "note": 1}),
        content_type="application/merge-patch+json",
    )
    assert json_body(vendor)["note"] == "1"  # application/*+json is JSON too
    assert served.calls == ["header", "cookies", "query", "json", "json"]


def test_the_default_location_is_the_header(served: Served) -> None:
    client = served.app.test_client()
    client.set_cookie("auth_token", served.auth())
    response = client.get("/default", query_string={"jwt": served.auth()})
    body = _refused(served, response, 401, "token_missing")
    assert body["message"] == "A bearer token is required."
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert client.get("/default", headers=bearer(served.auth())).status_code == 200


def test_jwt_token_location_is_the_default_of_routes_that_name_none() -> None:
    served = Served(JWT_TOKEN_LOCATION=["cookies", "header"])
    client = served.app.test_client()
    assert json_body(client.get("/default", headers=bearer(served.auth())))["sub"] == "alice"
    client.set_cookie("auth_token", served.auth("bob"))
    assert json_body(client.get("/default", headers=bearer(served.auth())))["sub"] == "bob"
    # A route that names its location keeps it.
    assert json_body(client.get("/header", headers=bearer(served.auth())))["sub"] == "alice"
    from_env = Served(JWT_TOKEN_LOCATION="query, json")  # a string, as from the environment
    answer = from_env.app.test_client().post("/default", json={"auth_token": from_env.auth()})
    assert answer.status_code == 200


def test_no_token_anywhere_names_every_place_to_send_one(served: Served) -> None:
    client = served.app.test_client()
    response = client.post("/all")
    body = _refused(served, response, 401, "token_missing")
    assert body["message"] == (
        "A token is required: send it as 'Authorization: Bearer <token>', or in the "
        "auth_token cookie, or in the jwt query parameter, or as auth_token in a JSON body."
    )
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert json_body(client.get("/cookies"))["message"] == "The auth_token cookie is required."
    assert json_body(client.get("/query"))["message"] == (
        "A token is required: send it in the jwt query parameter."
    )
    basic = client.get("/cookies-then-header", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert json_body(basic)["message"] == (
        "A token is required: send it in the auth_token cookie, or as 'Authorization: "
        "Bearer <token>' (the Authorization header sent does not use the Bearer scheme)."
    )


def test_the_first_location_that_carries_a_token_decides(served: Served) -> None:
    client = served.app.test_client()
    valid = served.auth()
    # A bad token in the cookie is refused, never skipped for the valid header token.
    client.set_cookie("auth_token", valid + "x")
    response = client.get("/cookies-then-header", headers=bearer(valid))
    _refused(served, response, 401, "signature_invalid")
    expired = forge(
        {"alg": "HS256", "typ": "at+jwt"},
        {"iss": ISSUER, "sub": "bob", "iat": 1000, "exp": 2000, "jti": "j", "type": "auth"},
    )
    client.set_cookie("auth_token", expired)
    response = client.get("/cookies-then-header", headers=bearer(valid))
    _refused(served, response, 401, "token_expired")
    client.set_cookie("auth_token", served.auth("bob"))
    assert json_body(client.get("/cookies-then-header", headers=bearer(valid)))["sub"] == "bob"
    # No cookie: the header is next.
    client.delete_cookie("auth_token")
    assert json_body(client.get("/cookies-then-header", headers=bearer(valid)))["sub"] == "alice"


def test_a_bad_json_token_is_not_skipped_for_the_header(served: Served) -> None:
    client = served.app.test_client()
    response = client.post(
        "/json-then-header", json={"auth_token": "not.a.token"}, headers=bearer(served.auth())
    )
    _refused(served, response, 401, "token_malformed")


def test_another_scheme_or_no_json_carries_no_token_there(served: Served) -> None:
    client = served.app.test_client()
    bob = served.auth("bob")
    client.set_cookie("auth_token", bob)
    # Header first on /all: Basic carries no bearer token, so the cookie decides (and, on
    # a POST, needs its CSRF header).
    basic = client.post(
        "/all", headers={"Authorization": "Basic dXNlcjpwYXNz", "X-CSRF-Token": csrf_value(bob)}
    )
    assert json_body(basic)["sub"] == "bob"
    client.delete_cookie("auth_token")
    token = served.auth()
    # The same JSON text without a JSON content type is no JSON body: the header decides.
    as_text = client.post(
        "/json-then-header",
        data=json.dumps({"auth_token": "garbage"}),
        content_type="text/plain",
        headers=bearer(token),
    )
    assert json_body(as_text)["sub"] == "alice"
    served.calls.clear()
    as_form = client.post("/json", data={"auth_token": token})  # forms are never read
    _refused(served, as_form, 401, "token_missing")
    empty = client.post("/json", data=b"", content_type="application/json")
    _refused(served, empty, 401, "token_missing")  # an empty body carries nothing


def test_an_empty_bearer_header_decides(served: Served) -> None:
    client = served.app.test_client()
    client.set_cookie("auth_token", served.auth())
    response = client.post("/all", headers={"Authorization": "Bearer  "})
    _refused(served, response, 401, "token_malformed")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"[]", "application/json"),
        (b'"a string"', "application/json"),
        (b"42", "application/json"),
        (b"null", "application/json"),
        (b"{not json", "application/json"),
        (b'{"auth_token": "a", "auth_token": "b"}', "application/json"),  # duplicate member
        (b'{"n": NaN}', "application/json"),
        (b"\xef\xbb\xbf{}", "application/json"),  # byte-order mark
        (b'{"a": "\xff"}', "application/json"),  # invalid UTF-8
        (b"[" * 5000 + b"]" * 5000, "application/json"),  # nested far too deep
        (json.dumps({"x": 1}).encode("utf-16"), "application/json; charset=utf-16"),
        (b"{}{}", "application/vnd.api+json"),
    ],
)
def test_a_json_body_that_is_not_one_object_is_a_401_not_a_400(
    served: Served, body: bytes, content_type: str
) -> None:
    client = served.app.test_client()
    response = client.post("/json", data=body, content_type=content_type)
    answer = _refused(served, response, 401, "json_body_invalid")
    assert answer["message"] == "The request body is declared as JSON but is not one JSON object."
    assert response.headers["WWW-Authenticate"].startswith('Bearer error="invalid_request"')
    # Also where the header would have a token: the first location decides.
    response = client.post(
        "/json-then-header", data=body, content_type=content_type, headers=bearer(served.auth())
    )
    _refused(served, response, 401, "json_body_invalid")


@pytest.mark.parametrize("value", [42, True, ["a.b.c"], {"token": "a.b.c"}])
def test_a_json_token_that_is_not_a_string_is_malformed(served: Served, value: object) -> None:
    response = served.app.test_client().post("/json", json={"auth_token": value})
    body = _refused(served, response, 401, "token_malformed")
    assert body["message"] == "The auth_token member of the JSON body is not a string."


@pytest.mark.parametrize("value", [None, ""])
def test_a_null_or_empty_json_token_is_no_token(served: Served, value: object) -> None:
    client = served.app.test_client()
    response = client.post("/json", json={"auth_token": value})
    _refused(served, response, 401, "token_missing")
    answer = client.post(
        "/json-then-header", json={"auth_token": value}, headers=bearer(served.auth())
    )
    assert json_body(answer)["view"] == "json-then-header"


def test_query_string_framing(served: Served) -> None:
    client = served.app.test_client()
    token = served.auth()
    twice = client.get(f"/query?jwt={token}&jwt={token}")
    body = _refused(served, twice, 401, "token_malformed")
    assert body["message"] == "Several jwt query parameters were sent; exactly one is accepted."
    empty = client.get("/query?jwt=")
    _refused(served, empty, 401, "token_missing")
    mangled = client.get("/query?jwt=%ff%fe.%00.x")
    _refused(served, mangled, 401, "token_malformed")


def test_several_cookies_of_the_token_name_stay_refused_in_every_location_list(
    served: Served,
) -> None:
    client = served.app.test_client(use_cookies=False)
    token = served.auth()
    for path in ("/cookies", "/cookies-then-header"):
        response = client.get(
            path, headers={"Cookie": f"auth_token={token}; auth_token={token}", **bearer(token)}
        )
        _refused(served, response, 401, "token_malformed")


def test_cookie_names_follow_the_configuration_and_the_route(served: Served) -> None:
    client = served.app.test_client()
    token = served.auth()
    client.set_cookie("session_jwt", token)
    assert json_body(client.get("/named"))["view"] == "named"
    assert json_body(client.get("/cookies"))["message"] == "The auth_token cookie is required."
    client.set_cookie("legacy", token)
    assert json_body(client.get("/seed"))["view"] == "seed"
    renamed = Served(
        JWT_AUTH_COOKIE="at", JWT_QUERY_PARAM="access_token", JWT_AUTH_JSON_KEY="access"
    )
    other = renamed.app.test_client()
    other.set_cookie("auth_token", renamed.auth())
    assert json_body(other.get("/cookies"))["message"] == "The at cookie is required."
    other.set_cookie("at", renamed.auth())
    assert other.get("/cookies").status_code == 200
    assert other.get("/query", query_string={"access_token": renamed.auth()}).status_code == 200
    assert other.post("/json", json={"access": renamed.auth()}).status_code == 200
    assert renamed.calls == ["cookies", "query", "json"]


def test_a_refresh_route_reads_the_refresh_cookie_and_json_member(served: Served) -> None:
    client = served.app.test_client()
    refresh = served.refresh()
    answer = client.post("/refresh", json={"refresh_token": refresh})
    assert json_body(answer)["view"] == "refresh"
    client.set_cookie("refresh_token", refresh)
    csrf = {"X-CSRF-Token": csrf_value(refresh)}
    assert json_body(client.post("/refresh", headers=csrf))["view"] == "refresh"
    # An auth token under the refresh cookie's name is still an auth token.
    auth = served.auth()
    client.set_cookie("refresh_token", auth)
    served.calls.clear()
    response = client.post("/refresh", headers={"X-CSRF-Token": csrf_value(auth)})
    _refused(served, response, 401, "token_type_invalid")
    client.delete_cookie("refresh_token")
    wrong_kind = client.post("/refresh", json={"refresh_token": served.auth()})
    _refused(served, wrong_kind, 401, "token_type_invalid")
    auth_member = client.post("/refresh", json={"auth_token": refresh})
    _refused(served, auth_member, 401, "token_missing")


def test_messages_never_echo_request_bytes(served: Served) -> None:
    client = served.app.test_client()
    marker = "PLANTED-<script>"
    responses = [
        client.post(
            "/json",
            data=b'{"auth_token": 1, "' + marker.encode() + b'": 2',
            content_type="application/json",
        ),
        client.post("/json", json={"auth_token": [marker]}),
        client.get("/query", query_string={"jwt": marker}),
        client.get("/cookies", headers={"Cookie": f"auth_token={marker}"}),
        client.get("/header", headers={"Authorization": f"{marker} token"}),
    ]
    for response in responses:
        assert response.status_code == 401
        assert marker not in response.get_data(as_text=True)
        assert marker not in response.headers.get("WWW-Authenticate", "")


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"location": ()}, ValueError, "location is empty"),
        ({"location": ("header", "header")}, ValueError, "names 'header' twice"),
        ({"location": ["header", "body"]}, ValueError, "got 'body'"),
        ({"location": "headers"}, ValueError, "got 'headers'"),
        ({"location": 3}, TypeError, "got int"),
        ({"location": b"header"}, TypeError, "got bytes"),
        ({"location": "query", "cookie_name": "c"}, ValueError, "only used with"),
        ({"cookie_name": "a b"}, ValueError, "cookie_name must be a cookie name"),
        ({"cookie_name": ""}, ValueError, "cookie_name must be a cookie name"),
        ({"cookie_name": 3}, ValueError, "cookie_name must be a cookie name"),
    ],
)
def test_location_arguments_are_checked_when_decorating(
    kwargs: dict[str, object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        require_token(**kwargs)  # type: ignore[arg-type]  # deliberately wrong


def test_the_header_location_keeps_its_1x_messages() -> None:
    app, manager = make_app()

    @app.get("/h")
    @require_token("auth", "header")
    def view() -> str:
        return "ok"

    client = app.test_client()
    other = client.get("/h", headers={"Authorization": "JWT abc"})
    assert json_body(other)["message"] == (
        "The Authorization header does not use the Bearer scheme; send the token as "
        "'Authorization: Bearer <token>'."
    )
    with app.app_context():
        token = manager.auth_token("alice").signed
    assert client.get("/h", headers=bearer(token)).get_data(as_text=True) == "ok"
