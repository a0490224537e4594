"""A TCP server on 127.0.0.1 that hands each connection to a thread: the base of the
tests' scripted servers (a RESP server, a slow HTTP server), which differ only in what
they do with a connection."""

from __future__ import annotations

import socket
import threading


class LoopbackServer:
    """Accepts connections on a free loopback port until :meth:`stop`.

    Attributes:
        port: the port it listens on.
        connections: how many connections it accepted.
    """

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        # A short accept timeout, to see a stop soon: close() wakes no accept().
        self._listener.settimeout(0.01)
        self.port: int = self._listener.getsockname()[1]
        self.connections = 0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def start(self) -> None:
        """Begin accepting connections."""
        self._thread.start()

    def stop(self) -> None:
        """Stop accepting; connection threads see the stop through :meth:`stopped`."""
        self._stopping.set()
        self._thread.join(timeout=5)
        self._listener.close()

    def stopped(self, after: float = 0.0) -> bool:
        """Wait ``after`` seconds, or less if the server stops meanwhile; whether it did."""
        return self._stopping.wait(after)

    def serve(self, connection: socket.socket) -> None:
        """Handle one connection (in its own thread); subclasses say how."""
        raise NotImplementedError

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            connection.settimeout(None)
            threading.Thread(target=self.serve, args=(connection,), daemon=True).start()
