"""DPoP server nonces (RFC 9449 8): stateless, an HMAC of a time step under a key every
process of the app derives alike, so a nonce one process gave out is accepted by the
others. No Flask here.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

from .b64 import b64url_encode

NONCE_PERIOD: Final = 300
"""Seconds one server nonce is current; the previous one is accepted too."""

_NONCE_LABEL: Final = b"flask_pyjwt dpop nonce v1"

NonceState = Literal["current", "previous"]


@dataclass(frozen=True, slots=True, repr=False)
class NonceSource:
    """Server nonces (RFC 9449 8): ``<step>.<MAC>`` of a time step, keyed.

    Args:
        key: the MAC key (the same in every process of an app).
        clock: the current time in seconds since the epoch.
        period: seconds a nonce is current.
    """

    key: bytes
    clock: Callable[[], float]
    period: int = NONCE_PERIOD

    @classmethod
    def derived(cls, material: bytes, clock: Callable[[], float]) -> NonceSource:
        """A source keyed by an HMAC of a fixed label under ``material`` (the app's
        signing key text): never the material itself."""
        return cls(hmac.digest(material, _NONCE_LABEL, "sha256"), clock)

    def _for(self, step: int) -> str:
        mac = hmac.digest(self.key, step.to_bytes(8, "big"), "sha256")[:16]
        return f"{step}.{b64url_encode(mac)}"

    def current(self) -> str:
        """The nonce to give out now."""
        return self._for(int(self.clock() // self.period))

    def state(self, nonce: str | None) -> NonceState | None:
        """Whether ``nonce`` is the current nonce, the previous one, or neither (``None``)."""
        if nonce is None or len(nonce) > 64:
            return None
        step_text, _, _ = nonce.partition(".")
        if not step_text.isascii() or not step_text.isdigit() or len(step_text) > 16:
            return None
        step, now = int(step_text), int(self.clock() // self.period)
        if step not in (now, now - 1) or not hmac.compare_digest(nonce, self._for(step)):
            return None
        return "current" if step == now else "previous"

    def __repr__(self) -> str:
        return f"NonceSource(period={self.period}, key=<redacted>)"
