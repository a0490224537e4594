"""The throughput harness starts gunicorn, drives it with wrk and stops cleanly.

``benchmarks/throughput.py --smoke``: this interpreter's gunicorn serving the demo app
(HS256), one second of wrk per route, no virtual environment built. No timing is
asserted. Skipped where wrk is not installed (``apt-get install wrk``; CI installs it).
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import cast

import pytest

# gunicorn and wrk in subprocesses for a few seconds.
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_the_harness_serves_measures_and_stops(tmp_path: Path) -> None:
    pytest.importorskip("gunicorn")
    output = tmp_path / "throughput.json"
    completed = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "throughput.py"), "--smoke",
         "--output", str(output)],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    document = cast("dict[str, object]", json.loads(output.read_text()))
    results = cast("dict[str, dict[str, dict[str, float]]]", document["results"])
    assert list(results) == ["self/HS256/none"]
    for mode in ("open", "warm", "cold"):
        result = results["self/HS256/none"][mode]
        assert result["requests"] > 0
        assert result["errors_status"] == 0
        assert 0 < result["p50_us"] <= result["p99_us"]
    # Stopped cleanly: the server's port is free again.
    port = int(str(document.get("last_port", 0)))
    if port:
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0
