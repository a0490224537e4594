"""DPoP sender-constrained tokens (RFC 9449) through a real app and the test client.

The proofs come from tests/dpop_client.py (joserfc, not this library). Every rule of
RFC 9449 4.3 and 7.1 has a refusal beside a passing control that differs from it only
in the rule's subject.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from flask_pyjwt import AuthManager, current_token, dpop_proof, require_token
from flask_pyjwt.errors import InvalidDpopProofError, UseDpopNonceError
from flask_pyjwt.typing import DPoPProof
from tests.dpop_client import DROP, DPoPKey, ath_of, b64url, sign_es256_raw
from tests.support import Clock, config_for, configure, json_body

URL = "http://localhost/resource"
KEY = DPoPKey("ec-P-256-3", "ES256")
OTHER_KEY = DPoPKey("ec-P-256-4", "ES256")


class Api:
    """An app with a DPoP-aware login and routes of each mode, on a settable clock."""

    def __init__(self, **config: object) -> None:
        self.app = Flask("dpop_api")
        configure(self.app, {**config_for("HS256"), **config})
        self.clock = Clock()
        self.manager = AuthManager(self.app, clock=self.clock)
        self.client: FlaskClient = self.app.test_client()
        self.ran: list[str] = []
        manager = self.manager

        @self.app.route("/resource", methods=["GET", "POST"])
        @require_token()
        def resource() -> dict[str, str]:
            self.ran.append("resource")
            proof = dpop_proof()
            return {"sub": current_token.sub, "jkt": proof.jkt if proof else ""}

        @self.app.route("/strict")
        @require_token(dpop="required")
        def strict() -> dict[str, str]:
            self.ran.append("strict")
            return {"sub": current_token.sub}

        @self.app.route("/plain")
        @require_token(dpop="disabled")
        def plain() -> dict[str, str]:
            self.ran.append("plain")
            return {"sub": current_token.sub}

        @self.app.route("/cookie")
        @require_token(location="cookies")
        def cookie() -> dict[str, str]:
            self.ran.append("cookie")
            return {"sub": current_token.sub}

        @self.app.route("/login", methods=["POST"])
        def login() -> dict[str, str]:
            proof = dpop_proof()
            jkt = None if proof is None else proof.jkt
            refresh = manager.refresh_token("alice", dpop_jkt=jkt)
            auth = manager.auth_token("alice", session=refresh, dpop_jkt=jkt)
            return {"auth": auth.signed, "refresh": refresh.signed, "jkt": jkt or ""}

        @self.app.route("/refresh", methods=["POST"])
        @require_token("refresh")
        def refresh() -> dict[str, str]:
            assert current_token.token_type.value == "refresh"
            auth, new_refresh = manager.rotate(current_token.signed)
            return {"auth": auth.signed, "refresh": new_refresh.signed}

    def bound_token(self, key: DPoPKey = KEY) -> str:
        with self.app.app_context():
            return self.manager.auth_token("alice", dpop_jkt=key.jkt).signed

    def bearer_token(self) -> str:
        with self.app.app_context():
            return self.manager.auth_token("alice").signed

    def proof(self, token: str | None, *, key: DPoPKey = KEY, method: str = "GET",
              uri: str = URL, **options: object) -> str:  # fmt: skip
        iat = options.pop("iat", self.clock.now)
        assert isinstance(iat, (int, float))
        nonce = options.pop("nonce", None)
        assert nonce is None or isinstance(nonce, str)
        claims = options.pop("claims", None)
        header = options.pop("header", None)
        assert not options
        return key.proof(method, uri, token=token, iat=iat, nonce=nonce,
                         claims=claims, header=header)  # type: ignore[arg-type]  # fmt: skip

    def get(self, path: str, headers: Mapping[str, str] | list[tuple[str, str]]) -> TestResponse:
        return self.client.get(path, headers=headers)


@pytest.fixture
def api() -> Api:
    return Api()


def _refused(response: TestResponse, code: str = "invalid_dpop_proof") -> str:
    assert response.status_code == 401, response.data
    assert json_body(response)["code"] == code
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith("DPoP "), challenge
    return challenge


def _dpop(token: str, proof: str) -> dict[str, str]:
    return {"Authorization": f"DPoP {token}", "DPoP": proof}


# -- the whole flow -------------------------------------------------------------------


def test_login_binds_the_tokens_to_the_key_of_its_proof(api: Api) -> None:
    proof = KEY.proof("POST", "http://localhost/login", iat=api.clock.now)
    body = json_body(api.client.post("/login", headers={"DPoP": proof}))
    assert body["jkt"] == KEY.jkt  # the RFC 7638 thumbprint, computed independently
    with api.app.app_context():
        auth = api.manager.convert_token(body["auth"])
        refresh = api.manager.convert_token(body["refresh"])
    assert auth.claims["cnf"] == {"jkt": KEY.jkt}
    assert refresh.claims["cnf"] == {"jkt": KEY.jkt}
    response = api.get("/resource", _dpop(body["auth"], api.proof(body["auth"])))
    assert response.status_code == 200
    assert json_body(response) == {"sub": "alice", "jkt": KEY.jkt}


def test_login_without_a_proof_issues_bearer_tokens(api: Api) -> None:
    body = json_body(api.client.post("/login"))
    assert body["jkt"] == ""
    with api.app.app_context():
        assert "cnf" not in api.manager.convert_token(body["auth"]).claims
    assert api.get("/resource", {"Authorization": f"Bearer {body['auth']}"}).status_code == 200


def test_login_with_a_bad_proof_is_refused(api: Api) -> None:
    proof = KEY.proof("GET", "http://localhost/login", iat=api.clock.now)  # wrong method
    response = api.client.post("/login", headers={"DPoP": proof})
    _refused(response)


def test_rotation_keeps_the_binding(api: Api) -> None:
    login = KEY.proof("POST", "http://localhost/login", iat=api.clock.now)
    refresh = json_body(api.client.post("/login", headers={"DPoP": login}))["refresh"]
    uri = "http://localhost/refresh"
    # the bound refresh token needs its proof too
    assert (
        api.client.post("/refresh", headers={"Authorization": f"Bearer {refresh}"}).status_code
        == 401
    )
    proof = api.proof(refresh, method="POST", uri=uri)
    body = json_body(api.client.post("/refresh", headers=_dpop(refresh, proof)))
    with api.app.app_context():
        assert api.manager.convert_token(body["auth"]).claims["cnf"] == {"jkt": KEY.jkt}
        assert api.manager.convert_token(body["refresh"]).claims["cnf"] == {"jkt": KEY.jkt}


def test_a_bound_token_as_bearer_is_refused_on_every_route(api: Api) -> None:
    token = api.bound_token()
    for path in ("/resource", "/strict"):
        challenge = _refused(api.get(path, {"Authorization": f"Bearer {token}"}), "dpop_required")
        assert 'error="invalid_token"' in challenge
        assert 'algs="RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 EdDSA"' in challenge
    api.client.set_cookie("auth_token", token)
    _refused(api.client.get("/cookie"), "dpop_required")
    assert api.ran == []
    # control: the same token with its proof
    assert api.get("/resource", _dpop(token, api.proof(token))).status_code == 200


def test_disabled_refuses_bound_tokens_and_keeps_bearer_ones(api: Api) -> None:
    token = api.bound_token()
    for headers in ({"Authorization": f"Bearer {token}"}, _dpop(token, api.proof(token))):
        response = api.get("/plain", headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert json_body(response)["code"] in ("claim_invalid", "token_missing")
    assert api.ran == []
    assert api.get("/plain", {"Authorization": f"Bearer {api.bearer_token()}"}).status_code == 200


def test_the_app_wide_setting_disabled() -> None:
    api = Api(JWT_DPOP="disabled")
    token = api.bound_token()
    response = api.get("/resource", {"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert json_body(response)["code"] == "claim_invalid"
    assert (
        api.get("/resource", {"Authorization": f"Bearer {api.bearer_token()}"}).status_code == 200
    )


def test_required_refuses_bearer_tokens_with_a_dpop_challenge(api: Api) -> None:
    challenge = _refused(
        api.get("/strict", {"Authorization": f"Bearer {api.bearer_token()}"}), "dpop_required"
    )
    assert challenge.startswith('DPoP error="invalid_token"')
    missing = api.get("/strict", {})
    assert json_body(missing)["code"] == "token_missing"
    assert missing.headers["WWW-Authenticate"] == (
        'DPoP algs="RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 EdDSA"'
    )
    token = api.bound_token()
    assert (
        api.get(
            "/strict", _dpop(token, api.proof(token, uri="http://localhost/strict"))
        ).status_code
        == 200
    )
    assert api.ran == ["strict"]


def test_the_app_wide_setting_required() -> None:
    api = Api(JWT_DPOP="required")
    _refused(
        api.get("/resource", {"Authorization": f"Bearer {api.bearer_token()}"}), "dpop_required"
    )
    token = api.bound_token()
    assert api.get("/resource", _dpop(token, api.proof(token))).status_code == 200


def test_an_unbound_token_sent_as_dpop_is_refused(api: Api) -> None:
    token = api.bearer_token()
    response = api.get("/resource", _dpop(token, api.proof(token)))
    assert response.status_code == 401
    assert json_body(response)["code"] == "claim_invalid"
    assert response.headers["WWW-Authenticate"].startswith('DPoP error="invalid_token"')


def test_a_bound_tokens_own_problems_keep_their_codes(api: Api) -> None:
    token = api.bound_token()
    api.clock.now += 3601
    response = api.get("/resource", _dpop(token, api.proof(token)))
    assert json_body(response)["code"] == "token_expired"
    assert response.headers["WWW-Authenticate"].startswith('DPoP error="invalid_token"')


# -- RFC 9449 4.3, one rule at a time -------------------------------------------------


def test_exactly_one_dpop_header(api: Api) -> None:
    token = api.bound_token()
    _refused(api.get("/resource", {"Authorization": f"DPoP {token}"}))
    two = [
        ("Authorization", f"DPoP {token}"),
        ("DPoP", api.proof(token)),
        ("DPoP", api.proof(token)),
    ]
    _refused(api.get("/resource", two))
    assert api.get("/resource", two[:2]).status_code == 200


@pytest.mark.parametrize(
    ("header", "ok"),
    [({}, True), ({"typ": "jwt"}, False), ({"typ": "JWT"}, False), ({"typ": DROP}, False),
     ({"typ": "dpop+JWT"}, False)],
)  # fmt: skip
def test_typ_is_dpop_jwt(api: Api, header: dict[str, object], ok: bool) -> None:
    token = api.bound_token()
    response = api.get("/resource", _dpop(token, api.proof(token, header=header)))
    assert (response.status_code == 200) is ok


def test_an_unknown_critical_header_is_refused(api: Api) -> None:
    token = api.bound_token()
    claims = {
        "jti": "j1",
        "htm": "GET",
        "htu": URL,
        "iat": int(api.clock.now),
        "ath": ath_of(token),
    }
    header = {"typ": "dpop+jwt", "alg": "ES256", "jwk": KEY.public_jwk}
    crit = sign_es256_raw(KEY.name, {**header, "crit": ["ext"], "ext": 1}, claims)
    _refused(api.get("/resource", _dpop(token, crit)))
    plain = sign_es256_raw(KEY.name, header, claims)
    assert api.get("/resource", _dpop(token, plain)).status_code == 200


@pytest.mark.parametrize(
    ("key", "allowed", "ok"),
    [
        (DPoPKey("ec-P-256-3", "ES256"), None, True),
        (DPoPKey("rsa-2048-3", "PS256"), None, True),
        (DPoPKey("ed25519-1", "EdDSA"), None, True),
        (DPoPKey("ec-P-384-1", "ES384"), None, True),
        (DPoPKey("rsa-2048-3", "RS256"), ["ES256"], False),
        (DPoPKey("ec-P-256-3", "ES256"), "ES256 PS256", True),
    ],
)
def test_alg_from_the_allow_list(key: DPoPKey, allowed: object, ok: bool) -> None:
    api = Api() if allowed is None else Api(JWT_DPOP_ALGORITHMS=allowed)
    token = api.bound_token(key)
    response = api.get("/resource", _dpop(token, api.proof(token, key=key)))
    assert (response.status_code == 200) is ok
    if not ok:
        assert 'algs="ES256"' in _refused(response)


def test_alg_none_and_hmac_are_refused(api: Api) -> None:
    token = api.bound_token()
    proof = api.proof(token)
    header, payload, _ = proof.split(".")
    for alg, jwk in (("none", KEY.public_jwk), ("HS256", {"kty": "oct", "k": "c2VjcmV0"})):
        forged_header = _b64json({"typ": "dpop+jwt", "alg": alg, "jwk": jwk})
        _refused(api.get("/resource", _dpop(token, f"{forged_header}.{payload}.")))
        _refused(api.get("/resource", _dpop(token, f"{forged_header}.{payload}.c2ln")))
    assert header  # the control: the unmodified proof
    assert api.get("/resource", _dpop(token, proof)).status_code == 200


def _b64json(value: object) -> str:
    from tests.dpop_client import b64url

    return b64url(json.dumps(value).encode())


def test_a_private_jwk_is_refused(api: Api) -> None:
    token = api.bound_token()
    private = dict(KEY.key.as_dict(private=True))
    _refused(api.get("/resource", _dpop(token, api.proof(token, header={"jwk": private}))))
    _refused(api.get("/resource", _dpop(token, api.proof(token, header={"jwk": DROP}))))
    assert (
        api.get(
            "/resource", _dpop(token, api.proof(token, header={"jwk": KEY.public_jwk}))
        ).status_code
        == 200
    )


def test_a_jwk_for_another_algorithm_or_use_is_refused(api: Api) -> None:
    # RFC 7517 4.2-4.4: a key's own "use", "key_ops" and "alg" say what it is for.
    token = api.bound_token()
    refused = ({"alg": "ES384"}, {"alg": "RS256"}, {"use": "enc"}, {"key_ops": ["encrypt"]})
    for members in refused:
        jwk = {**KEY.public_jwk, **members}
        _refused(api.get("/resource", _dpop(token, api.proof(token, header={"jwk": jwk}))))
    for members in ({"alg": "ES256"}, {"use": "sig"}, {"key_ops": ["verify"]}):
        jwk = {**KEY.public_jwk, **members}
        response = api.get("/resource", _dpop(token, api.proof(token, header={"jwk": jwk})))
        assert response.status_code == 200, members


def test_the_signature_must_verify_with_the_jwk(api: Api) -> None:
    token = api.bound_token()
    # the header names OTHER_KEY's public key, the signature is KEY's
    proof = api.proof(token, header={"jwk": OTHER_KEY.public_jwk})
    _refused(api.get("/resource", _dpop(token, proof)))
    header, payload, signature = api.proof(token).split(".")
    tampered = _b64json({**json.loads(_unb64(payload)), "htm": "GET "})
    _refused(api.get("/resource", _dpop(token, f"{header}.{tampered}.{signature}")))
    assert api.get("/resource", _dpop(token, f"{header}.{payload}.{signature}")).status_code == 200


def _unb64(segment: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def test_htm_is_the_request_method(api: Api) -> None:
    token = api.bound_token()
    _refused(api.get("/resource", _dpop(token, api.proof(token, method="POST"))))
    _refused(api.get("/resource", _dpop(token, api.proof(token, method="get"))))
    _refused(api.get("/resource", _dpop(token, api.proof(token, claims={"htm": DROP}))))
    response = api.client.post("/resource", headers=_dpop(token, api.proof(token, method="POST")))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("htu", "ok"),
    [
        ("http://localhost/resource", True),
        ("HTTP://LOCALHOST/resource", True),  # scheme and host case
        ("http://localhost:80/resource", True),  # the default port
        ("http://localhost/resource?x=1#f", True),  # query and fragment ignored
        ("http://localhost/%72esource", True),  # an unreserved character percent-encoded
        ("http://localhost/a/../resource", True),  # dot segments
        ("http://localhost/Resource", False),  # the path is case-sensitive
        ("https://localhost/resource", False),
        ("http://localhost:8080/resource", False),
        ("http://evil.example/resource", False),
        ("http://localhost/resource/", False),
        ("http://user@localhost/resource", False),
        ("/resource", False),
        ("", False),
    ],
)
def test_htu_is_the_request_uri_after_normalisation(api: Api, htu: str, ok: bool) -> None:
    token = api.bound_token()
    response = api.get("/resource", _dpop(token, api.proof(token, uri=htu)))
    assert (response.status_code == 200) is ok, response.data


@pytest.mark.parametrize(
    ("path", "htu", "ok"),
    [
        ("/files/caf%C3%A9", "http://localhost/files/caf%C3%A9", True),  # as sent
        ("/files/caf%C3%A9", "http://localhost/files/caf%c3%a9", True),  # hex case
        ("/files/caf%C3%A9", "http://localhost/files/caf\u00e9", True),  # as an IRI (RFC 3987 3.1)
        ("/files/x%5By%5D", "http://localhost/files/x[y]", True),
        ("/files/x%5By%5D", "http://localhost/files/x%5By%5D", True),
        ("/files/100%25", "http://localhost/files/100%25", True),  # an encoded "%"
        ("/files/caf%C3%A9", "http://localhost/files/caf%C3%A8", False),  # another name
        ("/files/100%25", "http://localhost/files/100", False),
    ],
)
def test_htu_is_the_percent_encoded_uri_the_client_sent(path: str, htu: str, ok: bool) -> None:
    # RFC 9449 4.2/4.3: htu is the request's target URI (RFC 9110 7.1), a URI: what an
    # HTTP client puts on the wire for a path outside ASCII or with a reserved character.
    api = Api()

    @api.app.route("/files/<path:name>")
    @require_token()
    def files(name: str) -> dict[str, str]:
        return {"name": name}

    token = api.bound_token()
    response = api.client.get(path, headers=_dpop(token, api.proof(token, uri=htu)))
    assert (response.status_code == 200) is ok, response.data


@pytest.mark.parametrize(
    ("offset", "ok"), [(0, True), (60, True), (-60, True), (61, False), (-61, False)]
)
def test_iat_within_the_window(api: Api, offset: int, ok: bool) -> None:
    token = api.bound_token()
    response = api.get("/resource", _dpop(token, api.proof(token, iat=api.clock.now + offset)))
    assert (response.status_code == 200) is ok


@pytest.mark.parametrize("iat", [10**400, -(10**400), 10**309], ids=["1e400", "-1e400", "1e309"])
def test_an_iat_too_large_for_a_float_is_a_401_not_a_500(api: Api, iat: int) -> None:
    # A JSON integer has no size limit; the proof is signed with the client's own key,
    # so anyone can send one: at a login (no token needed) as at a protected route.
    token = api.bound_token()
    _refused(api.get("/resource", _dpop(token, api.proof(token, claims={"iat": iat}))))
    login = KEY.proof("POST", "http://localhost/login", iat=api.clock.now, claims={"iat": iat})
    _refused(api.client.post("/login", headers={"DPoP": login}))
    # control: the same proofs with an iat in the window
    assert api.get("/resource", _dpop(token, api.proof(token))).status_code == 200
    login = KEY.proof("POST", "http://localhost/login", iat=api.clock.now)
    assert api.client.post("/login", headers={"DPoP": login}).status_code == 200


def test_the_iat_window_is_configurable() -> None:
    api = Api(JWT_DPOP_IAT_WINDOW=5)
    token = api.bound_token()
    _refused(api.get("/resource", _dpop(token, api.proof(token, iat=api.clock.now - 6))))
    assert (
        api.get("/resource", _dpop(token, api.proof(token, iat=api.clock.now - 5))).status_code
        == 200
    )


def test_a_proof_is_used_once(api: Api) -> None:
    token = api.bound_token()
    proof = api.proof(token)
    assert api.get("/resource", _dpop(token, proof)).status_code == 200
    assert "already used" in json_body(api.get("/resource", _dpop(token, proof)))["message"]
    # still refused as long as its iat is in the window, from anywhere in it
    api.clock.now += 59
    _refused(api.get("/resource", _dpop(token, proof)))
    assert api.ran == ["resource"]


def test_jti_is_required(api: Api) -> None:
    token = api.bound_token()
    for jti in (DROP, "", 7, "x" * 257):
        _refused(api.get("/resource", _dpop(token, api.proof(token, claims={"jti": jti}))))
    assert (
        api.get("/resource", _dpop(token, api.proof(token, claims={"jti": "x" * 256}))).status_code
        == 200
    )


def test_ath_is_the_hash_of_the_access_token(api: Api) -> None:
    token, other = api.bound_token(), api.bound_token()
    _refused(api.get("/resource", _dpop(token, api.proof(None))))
    _refused(api.get("/resource", _dpop(token, api.proof(other))))
    _refused(
        api.get("/resource", _dpop(token, api.proof(token, claims={"ath": ath_of(token)[:-1]})))
    )
    assert api.get("/resource", _dpop(token, api.proof(token))).status_code == 200


def test_the_key_is_the_one_the_token_is_bound_to(api: Api) -> None:
    token = api.bound_token(KEY)
    message = json_body(api.get("/resource", _dpop(token, api.proof(token, key=OTHER_KEY))))[
        "message"
    ]
    assert "bound" in message
    assert api.get("/resource", _dpop(token, api.proof(token, key=KEY))).status_code == 200


@pytest.mark.parametrize(
    "proof",
    ["", "x", "a.b", "a.b.c", "..", "é.é.é", "a" * 9000, "eyJ9.eyJ9.eyJ9", "e30.e30.e30"],
)
def test_garbage_is_a_401_never_a_500(api: Api, proof: str) -> None:
    token = api.bound_token()
    response = api.get("/resource", {"Authorization": f"DPoP {token}", "DPoP": proof})
    assert response.status_code == 401
    assert json_body(response)["code"] == "invalid_dpop_proof"
    assert proof[:20] not in json_body(response)["message"] or not proof


# -- nonces (RFC 9449 8) --------------------------------------------------------------


def test_nonces() -> None:
    api = Api(JWT_DPOP_NONCE=True)
    token = api.bound_token()
    first = api.get("/resource", _dpop(token, api.proof(token)))
    assert "use_dpop_nonce" in _refused(first, "use_dpop_nonce")
    nonce = first.headers["DPoP-Nonce"]
    _refused(
        api.get("/resource", _dpop(token, api.proof(token, nonce=nonce + "x"))), "use_dpop_nonce"
    )
    ok = api.get("/resource", _dpop(token, api.proof(token, nonce=nonce)))
    assert ok.status_code == 200
    assert "DPoP-Nonce" not in ok.headers  # still current
    api.clock.now += 300  # it rotates: the previous one is still accepted, and replaced
    ok = api.get("/resource", _dpop(token, api.proof(token, nonce=nonce)))
    assert ok.status_code == 200
    assert ok.headers["DPoP-Nonce"] not in ("", nonce)
    api.clock.now += 300  # two steps on: refused, with the current nonce to retry with
    stale = api.get("/resource", _dpop(token, api.proof(token, nonce=nonce)))
    _refused(stale, "use_dpop_nonce")
    fresh = stale.headers["DPoP-Nonce"]
    assert api.get("/resource", _dpop(token, api.proof(token, nonce=fresh))).status_code == 200


def test_nonces_are_shared_by_the_apps_processes() -> None:
    one, two = Api(JWT_DPOP_NONCE=True), Api(JWT_DPOP_NONCE=True)
    token = one.bound_token()
    nonce = one.get("/resource", _dpop(token, one.proof(token))).headers["DPoP-Nonce"]
    assert two.get("/resource", _dpop(token, two.proof(token, nonce=nonce))).status_code == 200
    other = Api(JWT_DPOP_NONCE=True, JWT_SECRET="another-secret-that-is-long-enough-for-hs256-xx")
    other_token = other.bound_token()
    response = other.get("/resource", _dpop(other_token, other.proof(other_token, nonce=nonce)))
    _refused(response, "use_dpop_nonce")


# -- the value and the errors -----------------------------------------------------------


def test_dpop_proof_is_a_frozen_typed_value(api: Api) -> None:
    token = api.bound_token()
    seen: list[DPoPProof | None] = []

    @api.app.route("/inspect")
    @require_token()
    def inspect() -> str:
        seen.append(dpop_proof())
        return ""

    assert (
        api.get(
            "/inspect", _dpop(token, api.proof(token, uri="http://localhost/inspect"))
        ).status_code
        == 200
    )
    proof = seen[0]
    assert proof is not None
    assert (proof.jkt, proof.htm, proof.htu, proof.alg.value) == (
        KEY.jkt,
        "GET",
        "http://localhost/inspect",
        "ES256",
    )
    assert proof.ath == ath_of(token)
    assert proof.jwk == KEY.public_jwk
    with pytest.raises(AttributeError):
        proof.jkt = "x"  # type: ignore[misc]
    assert api.get("/inspect", {"Authorization": f"Bearer {api.bearer_token()}"}).status_code == 200
    assert seen[1] is None


def test_error_classes() -> None:
    assert issubclass(UseDpopNonceError, InvalidDpopProofError)
    assert (InvalidDpopProofError.code, UseDpopNonceError.code) == (
        "invalid_dpop_proof",
        "use_dpop_nonce",
    )


def test_dpop_jkt_is_checked() -> None:
    api = Api()
    with api.app.app_context():
        with pytest.raises(ValueError, match="43 base64url"):
            api.manager.auth_token("alice", dpop_jkt="short")
        with pytest.raises(TypeError, match="dpop_jkt must be a str"):
            api.manager.auth_token("alice", dpop_jkt=b"x" * 43)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="cnf"):
            api.manager.auth_token("alice", cnf={"jkt": KEY.jkt})


def test_require_token_checks_dpop() -> None:
    with pytest.raises(ValueError, match="dpop must be"):
        require_token(dpop="sometimes")  # type: ignore[arg-type]


def test_the_resource_is_the_audience() -> None:
    api = Api(JWT_RESOURCE="https://api.example.com")
    with api.app.app_context():
        token = api.manager.auth_token("alice")
        other = api.manager.auth_token("alice", audience="https://other.example.com")
    assert token.aud == "https://api.example.com"
    assert api.get("/resource", {"Authorization": f"Bearer {token.signed}"}).status_code == 200
    response = api.get("/resource", {"Authorization": f"Bearer {other.signed}"})
    assert json_body(response)["code"] == "claim_invalid"


# -- an identity provider's bound tokens ------------------------------------------------


def test_an_identity_providers_bound_token() -> None:
    from tests.idp import AUDIENCE, ISSUER, running_idp

    with running_idp("k1") as idp:
        app = Flask("idp_dpop")
        configure(app, {"JWT_ISSUER": ISSUER, "JWT_AUTHTYPE": "RS256",
                        "JWT_JWKS_URL": idp.url, "JWT_AUDIENCE": AUDIENCE})  # fmt: skip
        AuthManager(app)

        @app.route("/orders")
        @require_token()
        def orders() -> dict[str, str]:
            return {"sub": current_token.sub}

        client = app.test_client()
        url = "http://localhost/orders"
        now = time.time()
        token = idp.token("k1", cnf={"jkt": KEY.jkt})
        proof = KEY.proof("GET", url, token=token, iat=now)
        assert client.get("/orders", headers=_dpop(token, proof)).status_code == 200
        refused = client.get("/orders", headers={"Authorization": f"Bearer {token}"})
        assert json_body(refused)["code"] == "dpop_required"
        stolen = OTHER_KEY.proof("GET", url, token=token, iat=now)
        _refused(client.get("/orders", headers=_dpop(token, stolen)))
        # bound by another confirmation method (mTLS, RFC 8705): cannot be honoured
        mtls = idp.token("k1", cnf={"x5t#S256": "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"})
        answer = client.get("/orders", headers={"Authorization": f"Bearer {mtls}"})
        assert (answer.status_code, json_body(answer)["code"]) == (401, "claim_invalid")
        # RFC 7800 3.1: cnf is an object; a null one is malformed, not "unbound"
        malformed: tuple[object, ...] = (None, "jkt", [])
        for cnf in malformed:
            odd = idp.token("k1", cnf=cnf)
            answer = client.get("/orders", headers={"Authorization": f"Bearer {odd}"})
            assert (answer.status_code, json_body(answer)["code"]) == (401, "claim_invalid"), cnf
        plain = idp.token("k1")
        assert (
            client.get("/orders", headers={"Authorization": f"Bearer {plain}"}).status_code == 200
        )


def test_verify_request_takes_dpop(api: Api) -> None:
    from flask_pyjwt import verify_request

    @api.app.route("/checked")
    def checked() -> str:
        return verify_request(dpop="required").sub

    bearer = api.get("/checked", {"Authorization": f"Bearer {api.bearer_token()}"})
    assert json_body(bearer)["code"] == "dpop_required"
    token = api.bound_token()
    proof = api.proof(token, uri="http://localhost/checked")
    assert api.get("/checked", _dpop(token, proof)).status_code == 200


@pytest.mark.parametrize(
    ("claims", "header"),
    [
        ({"htu": DROP}, {}),
        ({"htu": 7}, {}),
        ({"nonce": 7}, {}),
        ({"iat": "now"}, {}),
        ({"iat": True}, {}),
        ({"iat": DROP}, {}),
        ({"ath": 7}, {}),
        ({}, {"jwk": DPoPKey("ec-P-384-1", "ES384").public_jwk}),  # a P-384 key for ES256
        ({}, {"jwk": {**KEY.public_jwk, "x": KEY.public_jwk["y"]}}),  # not on the curve
        ({}, {"jwk": {**KEY.public_jwk, "kty": "RSA"}}),
    ],
)
def test_malformed_members_are_refused(
    api: Api, claims: dict[str, object], header: dict[str, object]
) -> None:
    token = api.bound_token()
    _refused(api.get("/resource", _dpop(token, api.proof(token, claims=claims, header=header))))


P521_PRIME = 2**521 - 1


def test_a_jwk_coordinate_is_below_the_field_prime(api: Api) -> None:
    # A P-521 coordinate has 66 bytes of room: y + p still fits, and names the same point
    # to an affine-coordinates reader. It is refused: one key, one spelling, one jkt.
    key = DPoPKey("ec-P-521-0", "ES512")
    token = api.bound_token(key)
    jwk = key.public_jwk
    assert isinstance(jwk["y"], str)
    y = int.from_bytes(_unb64(jwk["y"]), "big")
    aliased = {**jwk, "y": b64url((y + P521_PRIME).to_bytes(66, "big"))}
    _refused(api.get("/resource", _dpop(token, api.proof(token, key=key, header={"jwk": aliased}))))
    response = api.get("/resource", _dpop(token, api.proof(token, key=key)))
    assert (response.status_code, json_body(response)["jkt"]) == (200, key.jkt)


def test_a_store_that_does_not_answer() -> None:
    from flask_pyjwt import RedisRevocationStore

    down = RedisRevocationStore.from_url("redis://127.0.0.1:1/0", timeout=0.1)
    app = Flask("down_app")
    configure(app, config_for("HS256"))
    manager = AuthManager(app, revocation_store=down)

    @app.route("/r")
    @require_token(check_revocation=False)
    def r() -> str:
        return "ran"

    with app.app_context():
        token = manager.auth_token("alice", dpop_jkt=KEY.jkt).signed
    proof = KEY.proof("GET", "http://localhost/r", token=token, iat=time.time())
    answer = app.test_client().get("/r", headers=_dpop(token, proof))
    assert (answer.status_code, json_body(answer)["code"]) == (503, "revocation_unavailable")
    # failing open, as the app chose for revocation: accepted, and logged
    app2 = Flask("open_app")
    configure(app2, {**config_for("HS256"), "JWT_REVOCATION_FAIL_OPEN": True})
    open_manager = AuthManager(app2, revocation_store=down)
    app2.add_url_rule("/r", endpoint="r", view_func=r)
    with app2.app_context():
        token = open_manager.auth_token("alice", dpop_jkt=KEY.jkt).signed
    proof = KEY.proof("GET", "http://localhost/r", token=token, iat=time.time())
    assert app2.test_client().get("/r", headers=_dpop(token, proof)).status_code == 200
