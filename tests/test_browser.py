"""The browser example in a real browser (issue 11, item 8): headless Chromium, driven by
Selenium, against ``examples/browser_app.py`` served on loopback.

This is where the cookie attributes are decided for real: whether Chromium stores a
``Secure`` cookie from plain http, whether the page's script can read an ``HttpOnly``
one, which cross-origin requests carry ``SameSite=Lax`` cookies, and that the page's own
script (not the test) reads the CSRF cookie and sends the header.

Chromium and its driver are OS packages (Debian/Ubuntu: ``chromium``, ``chromium-driver``;
``.ci/run`` installs them when missing). Without them the tests fail and say so: they
are never skipped. Selenium is pointed at both binaries, so Selenium Manager never
downloads anything.
"""

from __future__ import annotations

import importlib
import json
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, cast

import pytest
from flask import Flask, Response
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import BaseWSGIServer, make_server

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

INSTALL = (
    "the browser tests need Chromium and its WebDriver, which were not found on PATH "
    "(looked for 'chromium' or 'chromium-browser', and 'chromedriver'). Install them: "
    "on Debian/Ubuntu `sudo apt-get install chromium chromium-driver` (.ci/run does this); "
    "elsewhere install Chromium or Chrome and the matching chromedriver and put both on PATH"
)

# A name that is not loopback to the browser (so not a secure context), though it
# resolves to 127.0.0.1 here: what a plain-http development server on a LAN address or
# a hostname looks like to Chromium. *.test never resolves on the internet (RFC 6761).
PLAIN_HTTP_HOST = "devbox.test"
CROSS_SITE_HOST = "attacker.test"

FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP *.test 127.0.0.1",
)


def example_app(config: Mapping[str, object] | None = None) -> Flask:
    """``examples/browser_app.py``'s app (the examples directory is not a package the
    type checkers import from), its demo accounts reset to no notes."""
    module = importlib.import_module("examples.browser_app")
    reset: object = module.reset_users
    create: object = module.create_app
    assert callable(reset)
    assert callable(create)
    reset()
    app = create(config)
    assert isinstance(app, Flask)
    return app


class Served:
    """A WSGI app served on 127.0.0.1 in a thread, recording every request it gets."""

    def __init__(self, app: WSGIApplication) -> None:
        self.requests: list[tuple[str, str, str]] = []
        self._app = app
        self._server: BaseWSGIServer = make_server("127.0.0.1", 0, self._record, threaded=True)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def _record(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        host = cast("str", environ.get("HTTP_HOST", ""))
        method, path = cast("str", environ["REQUEST_METHOD"]), cast("str", environ["PATH_INFO"])
        self.requests.append((method, path, host.partition(":")[0]))
        return self._app(environ, start_response)

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


def attacker_app(target: str) -> Flask:
    """Another site's pages that try to use the victim's session at ``target``."""
    app = Flask("attacker")

    @app.get("/form")
    def form() -> Response:
        # A classic forged POST: a form that submits itself. text/plain lets it send a
        # body that looks like JSON; it cannot add a header.
        html = f"""<!doctype html><form id="f" method="post" action="{target}/api/notes"
            enctype="text/plain"><input name='{{"text": "forged", "x": "' value='"}}'>
            </form><script>document.getElementById("f").submit();</script>"""
        return Response(html, content_type="text/html")

    @app.get("/script")
    def script() -> Response:
        # A script may try to send the header too: a cross-origin request with a custom
        # header needs the target's CORS permission first (a preflight), never given.
        html = f"""<!doctype html><pre id="result">pending</pre><script>
            fetch("{target}/api/notes", {{method: "POST", credentials: "include",
                headers: {{"X-CSRF-Token": "guessed", "Content-Type": "application/json"}},
                body: JSON.stringify({{text: "forged"}})}})
              .then((r) => r.text().then((t) => "answered " + r.status + " " + t))
              .catch((e) => "blocked: " + e.name)
              .then((t) => {{ document.getElementById("result").textContent = t; }});
            </script>"""
        return Response(html, content_type="text/html")

    return app


def _chromium() -> tuple[str, str]:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if binary is None or driver is None:
        pytest.fail(INSTALL)
    return binary, driver


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    binary, driver = _chromium()
    with tempfile.TemporaryDirectory(prefix="flask-pyjwt-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = binary
        for flag in FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={profile}")
        chrome = webdriver.Chrome(service=Service(driver), options=options)
        chrome.set_page_load_timeout(30)
        try:
            yield chrome
        finally:
            chrome.quit()


@pytest.fixture
def site() -> Iterator[Served]:
    served = Served(example_app())
    yield served
    served.close()


@pytest.fixture(autouse=True)
def _no_cookies_between_tests(browser: WebDriver) -> None:
    cdp(browser, "Network.clearBrowserCookies")


def script(browser: WebDriver, source: str, *, wait: bool = False) -> object:
    """Run ``source`` in the page; with ``wait``, until it calls its last argument."""
    if wait:
        result: object = browser.execute_async_script(source)  # pyright: ignore[reportUnknownMemberType]
    else:
        result = browser.execute_script(source)  # pyright: ignore[reportUnknownMemberType]
    return result


def cdp(browser: WebDriver, command: str) -> dict[str, object]:
    """A Chrome DevTools Protocol command without arguments (its result is Any)."""
    result: object = browser.execute_cdp_cmd(command, {})  # pyright: ignore[reportUnknownMemberType]
    assert isinstance(result, dict)
    return cast("dict[str, object]", result)


def wait_for(browser: WebDriver, what: str, check: Callable[[], bool]) -> None:
    # An element read while the page navigates (a form's 303, then the GET) goes stale,
    # and one not rendered yet is missing: both mean "not yet", checked again.
    WebDriverWait(
        browser,
        15,
        poll_frequency=0.05,
        ignored_exceptions=(StaleElementReferenceException, NoSuchElementException),
    ).until(lambda _: check(), message=f"timed out waiting for {what}")


def text(browser: WebDriver, element_id: str) -> str:
    return browser.find_element(By.ID, element_id).text


def answers(browser: WebDriver) -> list[dict[str, object]]:
    """Every API answer the page's script logged ({"request", "status", "body"})."""
    lines = text(browser, "log").splitlines()
    return [cast("dict[str, object]", json.loads(line)) for line in lines if line]


def click_and_wait(browser: WebDriver, element_id: str, request: str) -> dict[str, object]:
    """Click, wait for the page's answer to ``request`` ("POST /api/notes"), return it
    without the request line."""
    before = len(answers(browser))
    browser.find_element(By.ID, element_id).click()

    def answered() -> dict[str, object] | None:
        new = [a for a in answers(browser)[before:] if a["request"] == request]
        return new[0] if new else None

    wait_for(browser, request, lambda: answered() is not None)
    answer = answered()
    assert answer is not None
    return {"status": answer["status"], "body": answer["body"]}


def sign_in(browser: WebDriver, url: str, password: str = "wonderland") -> None:
    browser.get(url)
    wait_for(browser, "the page's first /api/me", lambda: "Signed out" in text(browser, "status"))
    browser.find_element(By.ID, "username").send_keys("alice")
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.ID, "sign-in").click()


def stored_cookies(browser: WebDriver) -> dict[str, dict[str, object]]:
    """Every cookie the browser holds, with its attributes (all paths and hosts)."""
    cookies = cast("list[dict[str, object]]", cdp(browser, "Network.getAllCookies")["cookies"])
    return {str(cookie["name"]): cookie for cookie in cookies}


@pytest.mark.slow  # a real headless Chromium
def test_sign_in_write_refresh_and_sign_out_in_a_real_browser(
    browser: WebDriver, site: Served
) -> None:
    sign_in(browser, site.url())
    wait_for(browser, "signed in", lambda: text(browser, "status") == "Signed in as alice (fresh).")

    # What Chromium stored, as it stored it: Secure was kept on http://127.0.0.1.
    cookies = stored_cookies(browser)
    assert set(cookies) == {"auth_token", "csrf_auth_token", "refresh_token", "csrf_refresh_token"}
    for name in cookies:
        assert cookies[name]["secure"] is True, name
        assert cookies[name]["sameSite"] == "Lax", name
        assert cookies[name]["domain"] == "127.0.0.1", name
        assert cookies[name]["httpOnly"] is (not name.startswith("csrf_")), name
    assert cookies["refresh_token"]["path"] == "/api/session"
    assert cookies["auth_token"]["path"] == "/"
    assert cookies["csrf_refresh_token"]["path"] == "/"

    # HttpOnly, decided by the browser: the page's script sees only the CSRF cookies.
    visible = cast("str", script(browser, "return document.cookie"))
    assert sorted(part.partition("=")[0] for part in visible.split("; ")) == [
        "csrf_auth_token",
        "csrf_refresh_token",
    ]

    # The page's own script reads csrf_auth_token and sends X-CSRF-Token.
    browser.find_element(By.ID, "note").send_keys("buy milk")
    answer = click_and_wait(browser, "add-note", "POST /api/notes")
    assert answer == {"status": 200, "body": {"notes": ["buy milk"]}}
    wait_for(browser, "the note listed", lambda: text(browser, "notes") == "buy milk")

    # The same request without the header, from the same page: refused.
    forged = cast(
        "dict[str, object]",
        script(
            browser,
            """const done = arguments[arguments.length - 1];
            fetch("/api/notes", {method: "POST", credentials: "same-origin",
                headers: {"Content-Type": "application/json"}, body: '{"text": "x"}'})
              .then((r) => r.json().then((b) => done({status: r.status, code: b.code})));""",
            wait=True,
        ),
    )
    assert forged == {"status": 403, "code": "csrf_failed"}

    # A fresh token (a password just now) may change the password.
    assert click_and_wait(browser, "password-change", "POST /api/password")["status"] == 200

    # Refresh: the refresh cookie (sent under /api/session only) and its own CSRF value.
    old_auth = stored_cookies(browser)["auth_token"]["value"]
    answer = click_and_wait(browser, "refresh", "POST /api/session/refresh")
    assert answer == {"status": 200, "body": {"refreshed": "alice"}}
    wait_for(
        browser, "the refreshed session", lambda: text(browser, "status") == "Signed in as alice."
    )
    assert stored_cookies(browser)["auth_token"]["value"] != old_auth
    refresh_requests = [r for r in site.requests if r[1] == "/api/session/refresh"]
    assert refresh_requests == [("POST", "/api/session/refresh", "127.0.0.1")]

    # A refreshed token is not fresh.
    answer = click_and_wait(browser, "password-change", "POST /api/password")
    assert answer["status"] == 401
    assert cast("dict[str, object]", answer["body"])["code"] == "fresh_token_required"

    # Sign out: every cookie is gone from the browser, on every path.
    answer = click_and_wait(browser, "logout", "POST /api/session/logout")
    assert answer == {"status": 200, "body": {"logged_out": True}}
    wait_for(
        browser, "signed out", lambda: text(browser, "status") == "Signed out (token_missing)."
    )
    assert stored_cookies(browser) == {}


@pytest.mark.slow  # a real headless Chromium
def test_a_plain_html_form_posts_its_csrf_value_in_a_field(
    browser: WebDriver, site: Served
) -> None:
    sign_in(browser, site.url())
    wait_for(browser, "signed in", lambda: text(browser, "status").startswith("Signed in"))
    # A page without script: the template put the CSRF value in a hidden field.
    browser.get(site.url("/notes"))
    field = browser.find_element(By.NAME, "csrf_token")
    csrf_cookie = stored_cookies(browser)["csrf_auth_token"]["value"]
    assert field.get_attribute("value") == csrf_cookie
    browser.find_element(By.ID, "form-note").send_keys("from a form")
    browser.find_element(By.ID, "form-submit").click()
    wait_for(browser, "the note listed", lambda: "from a form" in text(browser, "form-notes"))
    assert ("POST", "/notes") in [(m, p) for m, p, _ in site.requests]
    assert browser.current_url == site.url("/notes")  # 303 back to the page: it worked
    # Refusal: the same form with its field emptied (as a forged form would have it).
    script(browser, 'document.querySelector("[name=csrf_token]").value = "";')
    browser.find_element(By.ID, "form-note").send_keys("forged")
    browser.find_element(By.ID, "form-submit").click()
    wait_for(browser, "the refusal", lambda: "csrf_failed" in browser.page_source)
    body = json.loads(browser.find_element(By.TAG_NAME, "body").text)
    assert (body["status"], body["code"]) == (403, "csrf_failed")
    # And a wrong value in the field.
    browser.get(site.url("/notes"))
    script(browser, 'document.querySelector("[name=csrf_token]").value = "x".repeat(43);')
    browser.find_element(By.ID, "form-note").send_keys("forged")
    browser.find_element(By.ID, "form-submit").click()
    wait_for(browser, "the refusal", lambda: "csrf_failed" in browser.page_source)
    browser.get(site.url("/notes"))
    assert text(browser, "form-notes") == "from a form"


@pytest.mark.slow  # a real headless Chromium
def test_forged_requests_from_other_pages(browser: WebDriver, site: Served) -> None:
    sign_in(browser, site.url())
    wait_for(browser, "signed in", lambda: text(browser, "status").startswith("Signed in"))
    attacker = Served(attacker_app(site.url("").rstrip("/")))
    try:
        # 1. Same site, another origin (another port on 127.0.0.1; a sibling subdomain
        #    in production): SameSite=Lax lets the cookies go along. The CSRF check
        #    stops it: the form cannot send the header.
        browser.get(attacker.url("/form"))
        wait_for(browser, "the forged POST's answer", lambda: "csrf_failed" in browser.page_source)
        body = json.loads(browser.find_element(By.TAG_NAME, "body").text)
        assert (body["status"], body["code"]) == (403, "csrf_failed")

        # 2. Another site: SameSite=Lax keeps the cookies back on a cross-site POST.
        browser.get(attacker.url("/form", host=CROSS_SITE_HOST))
        wait_for(
            browser, "the cross-site POST's answer", lambda: "token_missing" in browser.page_source
        )
        body = json.loads(browser.find_element(By.TAG_NAME, "body").text)
        assert (body["status"], body["code"]) == (401, "token_missing")

        # 3. A script on another origin cannot add the header: the preflight gets no CORS
        #    permission, so the browser never sends the POST.
        browser.get(attacker.url("/script"))
        wait_for(browser, "the script's fetch", lambda: text(browser, "result") != "pending")
        assert text(browser, "result") == "blocked: TypeError"
        note_requests = [(m, p) for m, p, _ in site.requests if p == "/api/notes"]
        assert ("POST", "/api/notes") in note_requests  # the two forms' POSTs
        assert note_requests.count(("POST", "/api/notes")) == 2  # none from the script
        assert ("OPTIONS", "/api/notes") in note_requests  # its preflight, refused
    finally:
        attacker.close()
    # Back on the site, as the user: none of it added a note.
    browser.get(site.url())
    wait_for(browser, "the notes", lambda: "GET /api/notes" in text(browser, "log"))
    listed = [a["body"] for a in answers(browser) if a["request"] == "GET /api/notes"]
    assert listed == [{"notes": []}]


@pytest.mark.slow  # a real headless Chromium
def test_secure_cookies_on_plain_http(browser: WebDriver, site: Served) -> None:
    # localhost is loopback too: Chromium keeps Secure cookies from http://localhost.
    sign_in(browser, site.url(host="localhost"))
    wait_for(
        browser, "signed in on localhost", lambda: text(browser, "status").startswith("Signed in")
    )
    assert {c["domain"] for c in stored_cookies(browser).values()} == {"localhost"}
    cdp(browser, "Network.clearBrowserCookies")

    # Any other name over plain http: Chromium drops every Secure cookie. The login
    # answers 200 with its Set-Cookie headers, and the next request has no cookie.
    sign_in(browser, site.url(host=PLAIN_HTTP_HOST))
    wait_for(browser, "the failed session", lambda: "token_missing" in text(browser, "status"))
    assert stored_cookies(browser) == {}
    login = [r for r in site.requests if r[:2] == ("POST", "/api/login")]
    assert login[-1][2] == PLAIN_HTTP_HOST

    # JWT_COOKIE_SECURE = False, for plain-http development on such a host.
    plain = Served(example_app({"JWT_COOKIE_SECURE": False}))
    try:
        sign_in(browser, plain.url(host=PLAIN_HTTP_HOST))
        wait_for(
            browser,
            "signed in over plain http",
            lambda: text(browser, "status").startswith("Signed in"),
        )
        cookies = stored_cookies(browser)
        assert len(cookies) == 4
        assert all(cookie["secure"] is False for cookie in cookies.values())
        browser.find_element(By.ID, "note").send_keys("over http")
        assert click_and_wait(browser, "add-note", "POST /api/notes")["status"] == 200
    finally:
        plain.close()


@pytest.mark.parametrize(
    "body",
    [
        b'{"username": "alice", "password": "\\ud800"}',  # a lone surrogate
        b'{"username": "alice", "password": "builder"}',  # bob's
        b'{"username": 3, "password": "wonderland"}',
        b"[1]",
        b"garbage",
    ],
)
def test_the_example_sign_in_refuses_bad_input_without_a_cookie(body: bytes) -> None:
    client = example_app().test_client()
    response = client.post("/api/login", data=body, content_type="application/json")
    assert response.status_code == 401
    assert response.headers.getlist("Set-Cookie") == []
    form = client.post("/api/login", data={"username": "alice", "password": "wonderland"})
    assert form.status_code == 401  # a form (as another site could post) signs nobody in


@pytest.mark.slow  # waits (by polling) a second of wall time for the auth cookie to expire
def test_sign_out_after_the_auth_cookie_expired_ends_the_session(browser: WebDriver) -> None:
    # A one-second auth token: Chromium drops its cookie a second after sign-in, and the
    # refresh cookie (a day) is all the browser has left of its session.
    app = example_app({"JWT_AUTHMAXAGE": 1})
    site = Served(app)
    try:
        sign_in(browser, site.url())
        wait_for(browser, "the refresh cookie", lambda: "refresh_token" in stored_cookies(browser))
        copied = stored_cookies(browser)  # what a thief (or malware) takes from the browser
        refresh = str(copied["refresh_token"]["value"])
        csrf = str(copied["csrf_refresh_token"]["value"])
        wait_for(
            browser,
            "the auth cookie to expire",
            lambda: "auth_token" not in stored_cookies(browser),
        )

        answer = click_and_wait(browser, "logout", "POST /api/session/logout")
        assert answer == {"status": 200, "body": {"logged_out": True}}
        assert stored_cookies(browser) == {}
        logouts = [r for r in site.requests if r[1] == "/api/session/logout"]
        assert logouts == [("POST", "/api/session/logout", "127.0.0.1")]

        # The session ended on the server: the copied refresh token no longer works.
        thief = app.test_client()
        thief.set_cookie("refresh_token", refresh, path="/api/session")
        stolen = thief.post("/api/session/refresh", headers={"X-CSRF-Token": csrf})
        assert stolen.status_code == 401
        assert cast("dict[str, object]", stolen.get_json())["code"] == "token_revoked"
    finally:
        site.close()


def test_logout_after_the_auth_cookie_expired_ends_the_session() -> None:
    """The same flow through the test client (which never expires cookies by itself: it
    drops the auth cookies as a browser does once they expire)."""
    app = example_app()
    browser, thief = app.test_client(), app.test_client()
    login = browser.post("/api/login", json={"username": "alice", "password": "wonderland"})
    assert login.status_code == 200
    refresh = browser.get_cookie("refresh_token", path="/api/session")
    csrf = browser.get_cookie("csrf_refresh_token")
    assert refresh is not None
    assert csrf is not None
    thief.set_cookie("refresh_token", refresh.value, path="/api/session")
    browser.delete_cookie("auth_token")
    browser.delete_cookie("csrf_auth_token")

    # The page sends csrf_refresh_token's value with the logout.
    logout = browser.post("/api/session/logout", headers={"X-CSRF-Token": csrf.value})
    assert logout.status_code == 200
    assert logout.get_json() == {"logged_out": True}
    assert browser.get_cookie("refresh_token", path="/api/session") is None

    stolen = thief.post("/api/session/refresh", headers={"X-CSRF-Token": csrf.value})
    assert stolen.status_code == 401
    assert cast("dict[str, object]", stolen.get_json())["code"] == "token_revoked"


def test_logout_needs_the_refresh_cookies_csrf_value_and_works_without_cookies() -> None:
    app = example_app()
    client = app.test_client()
    assert client.post("/api/session/logout").get_json() == {"logged_out": True}  # nothing
    client.post("/api/login", json={"username": "alice", "password": "wonderland"})
    forged = client.post("/api/session/logout")  # no X-CSRF-Token: not from the page
    assert forged.status_code == 403
    assert cast("dict[str, object]", forged.get_json())["code"] == "csrf_failed"
    assert client.get("/api/me").status_code == 200  # still signed in
