"""DPoP: dpop_proof() typed, dpop= a Literal, dpop_jkt= a str; misuse that must not check."""

from __future__ import annotations

from flask import Flask
from typing_extensions import assert_type

from flask_pyjwt import AuthManager, AuthToken, RefreshToken, dpop_proof, require_token
from flask_pyjwt.errors import InvalidDpopProofError, InvalidTokenError, UseDpopNonceError
from flask_pyjwt.typing import AuthType, DPoPMode, DPoPProof, FrozenJSONObject

app = Flask(__name__)
auth_manager = AuthManager(app)


def proof_value() -> None:
    proof = dpop_proof()
    assert_type(proof, DPoPProof | None)
    if proof is not None:
        assert_type(proof.jkt, str)
        assert_type(proof.jti, str)
        assert_type(proof.htm, str)
        assert_type(proof.htu, str)
        assert_type(proof.iat, int | float)
        assert_type(proof.alg, AuthType)
        assert_type(proof.nonce, str | None)
        assert_type(proof.ath, str | None)
        assert_type(proof.claims, FrozenJSONObject)
        assert_type(proof.jwk, FrozenJSONObject)
        assert_type(auth_manager.auth_token("alice", dpop_jkt=proof.jkt), AuthToken)
        assert_type(auth_manager.refresh_token("alice", dpop_jkt=proof.jkt), RefreshToken)
        proof.jkt = "x"  # type: ignore[misc]


def modes(mode: DPoPMode) -> None:
    require_token(dpop="required")
    require_token(dpop="allowed")
    require_token(dpop="disabled")
    require_token(dpop=None)
    require_token(dpop=mode)
    require_token(dpop="sometimes")  # type: ignore[arg-type]
    require_token(dpop=True)  # type: ignore[arg-type]


def binding_needs_a_thumbprint(raw: bytes) -> None:
    auth_manager.auth_token("alice", dpop_jkt=raw)  # type: ignore[arg-type]


def errors(error: InvalidDpopProofError) -> None:
    caught: InvalidTokenError = error
    nonce: InvalidDpopProofError = UseDpopNonceError("retry")
    del caught, nonce
