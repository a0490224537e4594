"""A deadline for each whole Redis answer, not for each read of it.

redis-py's ``socket_timeout`` bounds every single read from the socket: a server (or a
proxy, or a congested link) that sends its answer one byte at a time, each byte within
the timeout, holds the request as long as it likes. :func:`deadline_connection` makes
a connection class whose socket gives each command ``budget`` seconds in all, from
the moment it is sent to the last byte of its answer. No Flask here; redis-py is
imported by the caller, which passes in the class to extend.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import Final, cast

_CONNECT: Final = "_connect"
"""The redis-py connection method that opens the socket (private to redis-py, stable
since 2.x): the one place the store reaches into the client."""


class DeadlineSocket:
    """A socket whose reads share one deadline per command sent.

    Sending starts a new deadline ``budget`` seconds away; every read then waits at
    most until it (and at most the socket's own timeout), and a read after it fails
    at once with :class:`socket.timeout`, which redis-py reports as its
    ``TimeoutError``. Everything else is the wrapped socket's.
    """

    __slots__ = ("_budget", "_deadline", "_socket", "_timeout")

    def __init__(self, wrapped: socket.socket, budget: float) -> None:
        self._socket = wrapped
        self._budget = budget
        self._deadline: float | None = None
        self._timeout: float | None = wrapped.gettimeout()

    def sendall(self, data: bytes | memoryview, flags: int = 0, /) -> None:
        """Send a command: its answer has ``budget`` seconds from now."""
        self._deadline = time.monotonic() + self._budget
        self._socket.settimeout(self._timeout)
        self._socket.sendall(data, flags)

    def recv(self, size: int, flags: int = 0, /) -> bytes:
        """Read at most ``size`` bytes before the deadline."""
        self._arm()
        return self._socket.recv(size, flags)

    def recv_into(self, buffer: memoryview | bytearray, size: int = 0, flags: int = 0, /) -> int:
        """Read into ``buffer`` before the deadline."""
        self._arm()
        return self._socket.recv_into(buffer, size, flags)

    def settimeout(self, value: float | None, /) -> None:
        """The socket's own timeout for each read (the deadline may cut it shorter)."""
        self._timeout = value
        self._socket.settimeout(value)

    def gettimeout(self) -> float | None:
        """The socket's own timeout for each read."""
        return self._timeout

    def _arm(self) -> None:
        deadline, timeout = self._deadline, self._timeout
        if deadline is None or timeout == 0:
            return  # nothing sent yet, or a non-blocking poll: nothing to bound
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the answer did not arrive in time")
        self._socket.settimeout(remaining if timeout is None else min(remaining, timeout))

    def __getattr__(self, name: str) -> object:
        return cast("object", getattr(self._socket, name))


def deadline_connection(base: type[object], budget: float) -> type[object]:
    """A subclass of the redis-py connection class ``base`` whose every command's
    answer must arrive within ``budget`` seconds of sending it.

    A redis-py without the private ``_connect`` gets ``base`` itself back, with the
    per-read ``socket_timeout`` only: a renamed hook must cost the whole-answer bound,
    not every connection (which would make each protected request a 503).
    """
    if not callable(cast("object", getattr(base, _CONNECT, None))):
        return base

    def _connect(self: object) -> DeadlineSocket:
        # redis-py's own (private) _connect opens the socket; this wraps it.
        connect = cast("Callable[[object], socket.socket]", getattr(base, _CONNECT))
        return DeadlineSocket(connect(self), budget)

    namespace: dict[str, object] = {_CONNECT: _connect}
    return type(f"Deadline{base.__name__}", (base,), namespace)
