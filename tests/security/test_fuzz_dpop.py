"""Property-based fuzzing of the DPoP header (RFC 9449): a random or mutated proof
beside a valid DPoP-bound token never answers 5xx and is never accepted.

Same profiles as :mod:`tests.security.test_fuzz` (quick in the normal run, ``make fuzz``
for 10,000 examples). Every example goes through a real Flask app; proofs of the
controls are made by joserfc (:mod:`tests.dpop_client`), not by this library.
"""

from __future__ import annotations

from typing import Final

from flask import Flask
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from flask_pyjwt import AuthManager, require_token
from tests.dpop_client import DPoPKey
from tests.security.test_fuzz import HEADER_TEXT, MUTATION_CHARS, PROFILE
from tests.support import Clock, config_for, configure, json_body

URL: Final = "http://localhost/orders"
CLOCK: Final = Clock()
KEY: Final = DPoPKey()


def _app() -> tuple[Flask, str]:
    app = Flask("dpop-fuzz")
    configure(app, config_for("HS256"))
    manager = AuthManager(app, clock=CLOCK)

    @app.get("/orders")
    @require_token(dpop="required")
    def orders() -> str:
        return "ok"

    with app.app_context():
        token = manager.auth_token("alice", dpop_jkt=KEY.jkt).signed
    return app, token


APP, TOKEN = _app()


def _proof() -> str:
    return KEY.proof("GET", URL, token=TOKEN, iat=CLOCK())


def _send(proof: str, scheme: str = "DPoP", token: str = TOKEN) -> TestResponse:
    return APP.test_client().get(
        "/orders", headers={"Authorization": f"{scheme} {token}", "DPoP": proof}
    )


def _refused(response: TestResponse) -> None:
    assert response.status_code == 401, response.get_data(as_text=True)
    assert json_body(response)["code"] in {"invalid_dpop_proof", "dpop_required"}
    assert response.headers["WWW-Authenticate"].startswith("DPoP")


@PROFILE
@given(HEADER_TEXT)
def test_random_proof_text_is_refused(text: str) -> None:
    _refused(_send(text))


@PROFILE
@given(st.data())
def test_single_character_mutations_of_a_valid_proof_are_refused(data: st.DataObject) -> None:
    proof = _proof()
    index = data.draw(st.integers(min_value=0, max_value=len(proof) - 1))
    replacement = data.draw(MUTATION_CHARS.filter(lambda char: char != proof[index]))
    _refused(_send(proof[:index] + replacement + proof[index + 1 :]))


@PROFILE
@given(HEADER_TEXT)
def test_random_text_as_the_dpop_token_is_refused(text: str) -> None:
    response = _send(_proof(), token=text)
    assert response.status_code == 401, response.get_data(as_text=True)


def test_control_a_fresh_valid_proof_is_accepted_once() -> None:
    proof = _proof()
    assert _send(proof).status_code == 200
    _refused(_send(proof))  # a replay
    _refused(_send(_proof(), scheme="Bearer"))  # a bound token as a bearer token
