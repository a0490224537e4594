"""Reading the Redis store's answers: anything but what the store writes is a store
failure (a 503), never "valid". No Flask here."""

from __future__ import annotations

from typing import Final, cast

from flask_pyjwt._core.errors import RevocationUnavailableError
from flask_pyjwt._core.revocation import RETIRED, REVOKED, VALID, RevocationQuery, RevocationState

UNAVAILABLE_MESSAGE: Final = "The service is temporarily unavailable; try again shortly."
"""What a client is told when the store fails: nothing about the backend (the cause is
chained to the exception, for the app's logs)."""


def read_state(query: RevocationQuery, keys: list[str], values: object) -> RevocationState:
    """What an ``MGET`` of ``keys`` (laid out as :meth:`RedisRevocationStore.status` does)
    says about ``query``."""
    answers = cast("list[object]", values) if isinstance(values, list) else None
    if answers is None or len(answers) != len(keys):
        raise unreadable("MGET answered with something other than one value per key")
    cutoff = _cutoff(answers[0])
    if cutoff is not None and query.issued_at <= cutoff:
        return REVOKED
    index = 1
    if query.family is not None:
        if answers[index] is not None:
            return REVOKED
        index += 1
    if query.jti is not None:
        if answers[index] is not None:
            return REVOKED
        if query.refresh and answers[index + 1] is not None:
            return RETIRED
    return VALID


def read_text(value: object) -> str | None:
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return value if isinstance(value, str) else None


def _cutoff(value: object) -> int | None:
    """A subject's cut-off (``None``: there is none); anything else but the decimal
    integer the store writes is unreadable, a store failure, never "no cut-off"."""
    if value is None:
        return None
    if isinstance(value, (bytes, str)) and len(value) <= 20:  # int() is slow on long text
        try:
            return int(value)
        except ValueError:
            pass
    raise unreadable("a subject's cut-off is not an integer")


def unreadable(what: str) -> RevocationUnavailableError:
    """The error for an answer the store cannot read (what it was, chained for logs)."""
    error = unavailable()
    error.__cause__ = ValueError(f"Redis answered: {what}")
    return error


def unavailable() -> RevocationUnavailableError:
    # Raised from the client's error (its class and message may name hosts), chained
    # for the app's logs; the client of the app is told only that the service is
    # unavailable.
    return RevocationUnavailableError(UNAVAILABLE_MESSAGE)
