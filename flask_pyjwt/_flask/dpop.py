"""DPoP on the request (RFC 9449): the ``DPoP`` header checked against this request, its
replay refused through the revocation store, server nonces, the ``DPoP`` challenge, and
:func:`dpop_proof`, the verified proof of the current request.

The checks themselves are the pure :class:`~flask_pyjwt._core.dpop.ProofChecker`'s; this
module feeds it the request's method and URI (percent-encoded; behind a proxy,
Werkzeug's ``ProxyFix`` decides what the app sees as its scheme and host, as it does for
``url_for``).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Final
from urllib.parse import quote

from flask_pyjwt._core.dpop import DPoPProof, DPoPRuntime, replay_key
from flask_pyjwt._core.errors import InvalidDpopProofError, UnavailableError, UseDpopNonceError

from .context import get_request
from .http_errors import AuthenticationFailed, HTTPAuthError, TemporarilyUnavailable
from .state import AppState, current_state

_PROOF: Final = "flask_pyjwt.dpop_proof"
"""The environ key of the current request's verified proof."""

NEXT_NONCE: Final = "flask_pyjwt.dpop_next_nonce"
"""The environ key of the nonce a successful answer hands the client (it rotated)."""


_PATH_SAFE: Final = "/!$&'()*+,;=:@"
"""RFC 3986 3.3's pchar (and "/") besides the unreserved characters: left as they are."""


def _target_uri(scheme: str, host: str, root_path: str, path: str) -> str:
    """The request's target URI without query (RFC 9110 7.1), percent-encoded: the
    WSGI path is decoded, and ``request.base_url`` is an IRI (Werkzeug leaves ``é``,
    ``[`` and a lone ``%`` as they are), which no client's ``htu`` is."""
    full = root_path.rstrip("/") + "/" + path.lstrip("/")
    return f"{scheme}://{host}{quote(full, safe=_PATH_SAFE)}"


def uses_dpop_scheme(environ: MutableMapping[str, object]) -> bool:
    """Whether the request's ``Authorization`` header uses the ``DPoP`` scheme."""
    header = environ.get("HTTP_AUTHORIZATION")
    return isinstance(header, str) and header.lstrip(" \t")[:5].lower() == "dpop "


def dpop_challenge(error: HTTPAuthError, runtime: DPoPRuntime) -> HTTPAuthError:
    """``error`` answered with the ``DPoP`` challenge (RFC 9449 7.1), ``algs`` included."""
    error.challenge_scheme = "DPoP"
    error.dpop_algs = runtime.algs
    return error


def _refusal(error: InvalidDpopProofError, runtime: DPoPRuntime) -> AuthenticationFailed:
    answer = AuthenticationFailed.from_token_error(error)
    if isinstance(error, UseDpopNonceError) and runtime.nonces is not None:
        answer.dpop_nonce = runtime.nonces.current()
    dpop_challenge(answer, runtime)
    return answer


def check_request_proof(
    state: AppState,
    environ: MutableMapping[str, object],
    *,
    access_token: str | None,
    expected_jkt: str | None,
) -> DPoPProof:
    """Check the current request's ``DPoP`` header and remember its ``jti``.

    Raises:
        AuthenticationFailed: 401 ``invalid_dpop_proof`` / ``use_dpop_nonce``, with the
            ``DPoP`` challenge (and a fresh ``DPoP-Nonce`` for the latter).
        TemporarilyUnavailable: 503, the store could not say whether it is a replay.
    """
    runtime = state.dpop
    request = get_request()
    values = request.headers.getlist("DPoP")
    try:
        if len(values) != 1 or "," in values[0]:
            raise InvalidDpopProofError(
                "A DPoP proof is required: send exactly one DPoP header."
                if not values
                else "Send exactly one DPoP header."
            )
        nonces = runtime.nonces
        proof = runtime.checker.check(
            values[0].strip(" \t"),
            method=request.method,
            uri=_target_uri(request.scheme, request.host, request.root_path, request.path),
            access_token=access_token,
            expected_jkt=expected_jkt,
            nonce=None if nonces is None else lambda nonce: nonces.state(nonce) is not None,
        )
        if not state.sessions.remember_once(
            replay_key(proof), ttl=runtime.checker.replay_ttl(proof)
        ):
            raise InvalidDpopProofError("The DPoP proof was already used.")
    except InvalidDpopProofError as error:
        raise _refusal(error, runtime) from None
    except UnavailableError as error:
        raise TemporarilyUnavailable.from_unavailable(error) from None
    if nonces is not None and nonces.state(proof.nonce) != "current":
        environ[NEXT_NONCE] = nonces.current()
    environ[_PROOF] = proof
    return proof


def dpop_proof() -> DPoPProof | None:
    """The verified DPoP proof of the current request (RFC 9449), or ``None`` when it
    sends no ``DPoP`` header (or ``JWT_DPOP`` is ``"disabled"``).

    In a view protected by ``require_token``, the proof that came with a DPoP-bound
    token; in any other view (a login), the ``DPoP`` header is checked now, as for a
    protected view but without an access token: its ``jkt`` is what
    ``auth_token(..., dpop_jkt=...)`` binds the tokens it issues to.

    Raises:
        AuthenticationFailed: 401 ``invalid_dpop_proof`` (or ``use_dpop_nonce``), with
            the ``DPoP`` challenge: the header is there but not a valid proof for this
            request.
        TemporarilyUnavailable: 503: the revocation store did not answer.
        RuntimeError: called outside a request (Flask's).
    """
    request = get_request()
    environ: MutableMapping[str, object] = request.environ
    proof = environ.get(_PROOF)
    if isinstance(proof, DPoPProof):
        return proof
    state = current_state()
    if state.codec.settings.dpop.mode == "disabled" or "DPoP" not in request.headers:
        return None
    return check_request_proof(state, environ, access_token=None, expected_jkt=None)
