"""A loopback server that speaks just enough RESP (the Redis protocol) to answer a
client's commands with whatever bytes a test sets, at whatever pace it sets: malformed
replies, and replies that trickle in one byte at a time. For what a real Redis cannot be
made to do; everything else in the tests talks to a real redis-server."""

from __future__ import annotations

import socket
import time
from types import TracebackType
from typing import BinaryIO

from tests.loopback import LoopbackServer


class RespServer(LoopbackServer):
    """Answers ``HELLO`` with protocol 3, and ``+OK`` to every other command except
    those in :attr:`replies`.

    Attributes:
        replies: raw reply bytes by command name (``"MGET"``), sent as given.
        trickle: seconds to wait before each byte of a reply from :attr:`replies`.
    """

    def __init__(self) -> None:
        super().__init__()
        self.replies: dict[str, bytes] = {}
        self.trickle = 0.0

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def __enter__(self) -> RespServer:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def serve(self, connection: socket.socket) -> None:
        with connection, connection.makefile("rb") as reader:
            while not self.stopped():
                command = _read_command(reader)
                if command is None:
                    return
                reply = self.replies.get(command)
                try:
                    if reply is None:
                        connection.sendall(_HELLO if command == "HELLO" else b"+OK\r\n")
                    elif self.trickle:
                        for index in range(len(reply)):
                            if self.stopped(self.trickle):
                                return
                            connection.sendall(reply[index : index + 1])
                    else:
                        connection.sendall(reply)
                except OSError:
                    return


_HELLO = b"%1\r\n$5\r\nproto\r\n:3\r\n"  # RESP3, which redis-py asks for first


def _read_command(reader: BinaryIO) -> str | None:
    """The name of the next command (``*<n>`` then ``n`` bulk strings), or ``None``."""
    header = reader.readline()
    if not header.startswith(b"*"):
        return None
    arguments: list[bytes] = []
    for _ in range(int(header[1:])):
        length = int(reader.readline()[1:])
        arguments.append(reader.read(length + 2)[:-2])
    return arguments[0].decode().upper() if arguments else None


def elapsed(started: float) -> float:
    """Seconds since ``started`` (a ``time.monotonic()``)."""
    return time.monotonic() - started
