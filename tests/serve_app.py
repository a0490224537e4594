"""Serve the demo app (examples/app.py) over HTTP on 127.0.0.1, as a second app process.

    python -m tests.serve_app REDIS_URL

Prints ``PORT <n>`` once the server listens on its free port, then serves until it is
terminated. Revocations go to the Redis at ``REDIS_URL`` (``JWT_REVOCATION_REDIS_URL``),
which the test process shares.
"""

from __future__ import annotations

import sys

from werkzeug.serving import make_server

from examples.app import create_app


def main(redis_url: str) -> None:
    app = create_app({"JWT_REVOCATION_REDIS_URL": redis_url})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(f"PORT {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1])
