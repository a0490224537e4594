"""The README's demo command runs the whole flow successfully."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow  # the demo in a subprocess
def test_demo_runs_every_step_as_expected() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "demo.py")],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Demo finished: every step answered as expected." in result.stdout
    for status in ("200 OK", "401 UNAUTHORIZED", "403 FORBIDDEN"):
        assert status in result.stdout
    assert 'WWW-Authenticate: Bearer error="invalid_token"' in result.stdout
    for code in ("refresh_token_reused", "token_revoked"):
        assert f'"code": "{code}"' in result.stdout
