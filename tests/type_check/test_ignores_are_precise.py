"""The typing tests' must-fail lines fail for pyright on their own, and nothing else does.

mypy checks each ``# type: ignore[code]`` by its code. pyright honours such a comment as a
blanket ignore, so here pyright runs once more with ``enableTypeIgnoreComments`` off:
every line with an ignore must then have a pyright error, and no other line may.
(``reportUnnecessaryTypeIgnoreComment`` in the normal run covers the opposite direction.)
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# pyright in a subprocess over the whole tree.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CHECK_FILES = sorted(HERE.glob("check_*.py"))
PYRIGHT = Path(sys.executable).with_name("pyright")


def _ignore_lines(path: Path) -> set[int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {number for number, line in enumerate(lines, 1) if "# type: ignore[" in line}


@pytest.mark.skipif(not PYRIGHT.exists() and shutil.which("pyright") is None, reason="no pyright")
def test_every_ignore_is_a_pyright_error_too(tmp_path: Path) -> None:
    assert CHECK_FILES, "no typing tests found"
    config = {
        "typeCheckingMode": "strict",
        "pythonVersion": "3.10",
        "stubPath": str(ROOT / "stubs"),
        "extraPaths": [str(ROOT)],
        "enableTypeIgnoreComments": False,
    }
    (tmp_path / "pyrightconfig.json").write_text(json.dumps(config), encoding="utf-8")
    executable = str(PYRIGHT) if PYRIGHT.exists() else "pyright"
    completed = subprocess.run(
        [
            executable,
            "--pythonpath",
            sys.executable,
            "-p",
            str(tmp_path / "pyrightconfig.json"),
            "--outputjson",
            *map(str, CHECK_FILES),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    report = json.loads(completed.stdout)
    errors: dict[tuple[str, int], list[str]] = {}
    for diagnostic in report["generalDiagnostics"]:
        if diagnostic["severity"] == "error":
            key = (Path(diagnostic["file"]).name, diagnostic["range"]["start"]["line"] + 1)
            errors.setdefault(key, []).append(diagnostic["message"].splitlines()[0])
    expected = {(path.name, line) for path in CHECK_FILES for line in _ignore_lines(path)}
    assert sorted(expected - errors.keys()) == [], "lines pyright accepts despite an ignore"
    unexpected = {key: errors[key] for key in errors.keys() - expected}
    assert unexpected == {}, "pyright errors outside the must-fail lines"
