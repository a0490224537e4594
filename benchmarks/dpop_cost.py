"""What checking a DPoP proof costs, beside a cold ES256 token verification.

    .venv/bin/python -m benchmarks.dpop_cost

A cold verification is ``TokenCodec.decode`` of an ES256 token with the verified-token
cache off: parse, signature, claims. A proof check is ``ProofChecker.check`` of an
ES256 proof with ``ath`` and the expected ``jkt`` (parse, signature, every RFC 9449 4.3
claim, the access token's hash): "known key" is the usual case, a client whose proof
header (its ``jwk``) was seen before; "new key" parses and thumbprints the ``jwk`` too.
The store's replay write is not counted (one ``SET NX`` round trip, or a dict write in
memory). Best of several rounds, microseconds per call.
"""

from __future__ import annotations

import time
import timeit
from collections.abc import Callable

from cryptography.hazmat.primitives.asymmetric import ec

from flask_pyjwt import KeySigner, KeyVerifier
from flask_pyjwt._core.algorithms import AuthType
from flask_pyjwt._core.codec import TokenCodec
from flask_pyjwt._core.dpop import ProofChecker
from flask_pyjwt._core.issuing import issue_options
from flask_pyjwt._core.policy import Settings
from tests.dpop_client import DPoPKey

NOW = 1_900_000_000.0
URI = "https://api.example.com/resource"


def _interleaved(
    actions: list[Callable[[], object]], number: int = 500, rounds: int = 30
) -> list[float]:
    """Best time per call of each action, in microseconds, the actions measured in turn
    within each round (a busy shared machine slows them alike)."""
    best = [float("inf")] * len(actions)
    for _ in range(rounds):
        for index, action in enumerate(actions):
            best[index] = min(best[index], timeit.timeit(action, number=number) / number * 1e6)
    return best


def main() -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    settings = Settings(issuer="bench", algorithm=AuthType.ES256, algorithms=(AuthType.ES256,),
                        verify_cache_size=0)  # fmt: skip
    codec = TokenCodec(
        settings,
        KeySigner("ES256", private),
        KeyVerifier("ES256", private.public_key()),
        clock=lambda: NOW,
    )
    key = DPoPKey("ec-P-256-3", "ES256")
    token = codec.issue_auth("alice", options=issue_options(dpop_jkt=key.jkt)).signed
    proof = key.proof("GET", URI, token=token, iat=NOW)
    jkt = key.jkt  # once: the test client's thumbprint is not part of the check
    checker = ProofChecker((AuthType.ES256,), clock=lambda: NOW)

    def check() -> object:
        return checker.check(proof, method="GET", uri=URI, access_token=token, expected_jkt=jkt)

    def check_new_key() -> object:
        checker._keys.clear()  # pyright: ignore[reportPrivateUsage]
        return check()

    cold_token, known, new = _interleaved([lambda: codec.decode(token), check, check_new_key])
    print(f"cold ES256 token verification: {cold_token:6.1f} us")
    print(f"ES256 proof check, known key:  {known:6.1f} us  ({known / cold_token:.2f}x)")
    print(f"ES256 proof check, new key:    {new:6.1f} us  ({new / cold_token:.2f}x)")
    print(f"(measured {time.strftime('%Y-%m-%d %H:%M')})")


if __name__ == "__main__":
    main()
