"""require_token's options are declared once (issue 20, item 4): ``RequireOptions`` says
their names and types, ``Requirements`` their defaults, and ``build_requirements`` checks
them, for the decorator and for ``verify_request`` alike.

``require_token`` still lists the options as keyword parameters (beside 1.x's ``**claims``,
which mypy cannot combine with ``Unpack`` until it supports PEP 728), so a test holds that
list equal to the one declaration; ``verify_request`` takes them as
``**options: Unpack[RequireOptions]``.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from typing import get_type_hints

import pytest
from flask import Flask
from typing_extensions import Unpack, get_overloads

from flask_pyjwt import AuthManager, current_token, require_token, verify_request
from flask_pyjwt._core.requirements import (
    OPTION_NAMES,
    Requirements,
    RequireOptions,
    authorize,
    build_requirements,
)
from tests.support import bearer, json_body, make_app

OPTIONS = tuple(get_type_hints(RequireOptions))
VERIFY_REQUEST: list[tuple[str, Callable[..., object]]] = [
    ("verify_request", verify_request),
    *((f"verify_request overload {n}", f) for n, f in enumerate(get_overloads(verify_request))),
]


def _field_defaults() -> dict[str, object]:
    return {f.name: f.default for f in dataclasses.fields(Requirements) if f.name in OPTION_NAMES}


def test_verify_request_has_its_six_overloads_registered() -> None:
    # Otherwise the loop below would check no overload at all (get_overloads needs
    # typing_extensions.overload on Python 3.10).
    assert len(get_overloads(verify_request)) == 6


def test_require_token_lists_the_declared_options_with_their_types() -> None:
    # require_token keeps 1.x's **claims beside the options, which a TypedDict can join
    # only through PEP 728's extra_items (not in mypy yet): it lists them, held equal here.
    hints = get_type_hints(require_token)
    parameters = inspect.signature(require_token).parameters
    keyword_only = [p.name for p in parameters.values() if p.kind is p.KEYWORD_ONLY]
    # The declared options in their declared order, with optional (not one of them)
    # in its 1.x place after cookie_name; then **claim_requirements.
    assert keyword_only == ["cookie_name", "optional", *OPTIONS[1:]]
    assert {option: hints[option] for option in OPTIONS} == get_type_hints(RequireOptions)
    assert list(parameters)[-1] == "claim_requirements"
    assert parameters["claim_requirements"].kind is inspect.Parameter.VAR_KEYWORD


@pytest.mark.parametrize(
    ("name", "function"), VERIFY_REQUEST, ids=[name for name, _ in VERIFY_REQUEST]
)
def test_verify_request_takes_exactly_the_declared_options(
    name: str, function: Callable[..., object]
) -> None:
    # verify_request is new in 2.0 and takes no claim keywords: each overload varies
    # only what changes the return type (token_type, optional) and takes the options
    # themselves as **options: Unpack[RequireOptions].
    parameters = inspect.signature(function).parameters
    assert list(parameters) == ["token_type", "location", "optional", "options"]
    assert parameters["options"].kind is inspect.Parameter.VAR_KEYWORD
    assert get_type_hints(function)["options"] == Unpack[RequireOptions]


def test_each_default_is_the_requirements_default() -> None:
    parameters = inspect.signature(require_token).parameters
    defaults = {option: parameters[option].default for option in (*OPTIONS, "optional")}
    assert defaults == _field_defaults()
    for function in (require_token, verify_request):
        parameters = inspect.signature(function).parameters
        assert parameters["token_type"].default == Requirements().kind
        assert parameters["location"].default is Requirements().locations
        assert parameters["optional"].default is Requirements().optional


def test_build_requirements_without_options_is_the_default_requirements() -> None:
    assert build_requirements() == Requirements()
    assert build_requirements("auth", None, optional=False) == Requirements()


def test_every_option_name_is_known_to_the_misspelling_check() -> None:
    named = [n for n in inspect.signature(require_token).parameters if n != "claim_requirements"]
    assert sorted(OPTION_NAMES) == sorted(named)
    with pytest.warns(UserWarning, match=r"did you mean check_revocation=\?"):
        require_token(check_revocations=False)


def test_unbound_claim_requirements_fail_closed() -> None:
    app, manager = make_app()
    with app.app_context():
        token = manager.auth_token("alice", level=1)
    unbound = build_requirements(claims={"level": 3})
    assert unbound.requires_claims
    with pytest.raises(RuntimeError, match="bound"):
        authorize(unbound, token, {})
    bound = unbound.bound_outside_a_view("verify_request")
    refusal = authorize(bound, token, {})
    assert refusal is not None
    assert refusal.code == "claim_mismatch"


def _admin_only(
    **options: Unpack[RequireOptions],
) -> Callable[[Callable[[], str]], Callable[[], str]]:
    """An app's own decorator that passes the options on."""
    return require_token("auth", "header", **options)


def _forwarding_app() -> tuple[Flask, AuthManager]:
    app, manager = make_app()

    @app.get("/admin")
    @_admin_only(scope="admin", check_revocation=False, claims={"team": "ops"})
    def admin() -> str:
        return current_token.sub

    @app.get("/checked")
    def checked() -> dict[str, str]:
        options: RequireOptions = {"fresh": True}
        return {"sub": verify_request("auth", **options).sub}

    return app, manager


def test_options_forwarded_through_require_options_apply() -> None:
    app, manager = _forwarding_app()
    client = app.test_client()
    with app.app_context():
        ops = manager.auth_token("alice", scope="admin", team="ops").signed
        dev = manager.auth_token("bob", scope="admin", team="dev").signed
        fresh = manager.auth_token("carol", fresh=True).signed
        stale = manager.auth_token("dave").signed
    ok = client.get("/admin", headers=bearer(ops))
    assert (ok.status_code, ok.text) == (200, "alice")
    refused = client.get("/admin", headers=bearer(dev))
    assert (refused.status_code, json_body(refused)["code"]) == (403, "claim_mismatch")
    assert client.get("/checked", headers=bearer(fresh)).json == {"sub": "carol"}
    stale_response = client.get("/checked", headers=bearer(stale))
    assert stale_response.status_code == 401
    assert json_body(stale_response)["code"] == "fresh_token_required"
