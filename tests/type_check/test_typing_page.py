"""The typing page's transcripts and numbers are what the checkers print today.

docs/typing.rst shows docs/typing_demo/app.py with what mypy and pyright print for it
(docs/typing_demo/*.txt, written by tests/type_check/typing_transcripts.py). Here both checkers
run on it again; and the type completeness the page states for Flask and PyJWT is
measured again when the versions it names are the ones installed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from tests.type_check import typing_transcripts

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "typing.rst"
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.slow  # runs both checkers in subprocesses


def test_transcripts_are_what_the_checkers_print() -> None:
    for name, text in typing_transcripts.transcripts().items():
        committed = (typing_transcripts.DEMO / f"{name}.txt").read_text(encoding="utf-8")
        assert text == committed, (
            f"{name}'s output changed: run .venv/bin/python -m tests.type_check.typing_transcripts "
            "and read the typing page again"
        )


def test_page_includes_the_demo_and_its_transcripts() -> None:
    page = PAGE.read_text(encoding="utf-8")
    for name in ("app.py", "mypy.txt", "pyright.txt"):
        assert f".. literalinclude:: typing_demo/{name}\n" in page


@pytest.mark.parametrize(("distribution", "module"), [("Flask", "flask"), ("PyJWT", "jwt")])
def test_stated_type_completeness_of_peers(distribution: str, module: str) -> None:
    page = " ".join(PAGE.read_text(encoding="utf-8").split())
    stated = re.search(rf"{distribution} ([\d.]+) ([\d.]+) %", page)
    assert stated is not None, f"the typing page states no score for {distribution}"
    version, score = stated.groups()
    if metadata.version(distribution) != version:
        pytest.skip(f"{distribution} {metadata.version(distribution)} installed, page: {version}")
    completed = subprocess.run(
        [str(BIN / "pyright"), "--verifytypes", module, "--ignoreexternal"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        # pyright --verifytypes resolves imports with the first python on PATH.
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"},
    )
    measured = re.search(r"Type completeness score: ([\d.]+)%", completed.stdout)
    assert measured is not None, completed.stdout
    assert measured.group(1) == score
