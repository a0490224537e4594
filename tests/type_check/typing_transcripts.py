"""What mypy and pyright print for docs/typing_demo/app.py, as the typing page shows it.

The page includes ``docs/typing_demo/mypy.txt`` and ``pyright.txt``;
``tests/type_check/test_typing_page.py`` runs both checkers and fails when what they
print is no longer what those files say (a new checker version, a changed signature).
Run this to write them again::

    .venv/bin/python -m tests.type_check.typing_transcripts

Each checker runs on a copy of the file in an empty temporary directory, with no
configuration but strict mode, as in a new project; the only edit to their output is
that directory taken out of pyright's paths.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parents[2]
DEMO: Final = ROOT / "docs" / "typing_demo"
BIN: Final = Path(sys.executable).parent


def _run(command: list[str], cwd: Path) -> str:
    completed = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, check=False, timeout=300
    )
    return completed.stdout


def _version(tool: str) -> str:
    return _run([str(BIN / tool), "--version"], ROOT).split("(")[0].strip()


def transcripts() -> dict[str, str]:
    """``{"mypy": ..., "pyright": ...}``: each command line and what it printed."""
    with tempfile.TemporaryDirectory() as scratch:
        here = Path(scratch)
        shutil.copyfile(DEMO / "app.py", here / "app.py")
        mypy = _run(
            [str(BIN / "mypy"), "--strict", "--no-incremental", "--config-file=", "app.py"],
            here,
        )
        (here / "pyrightconfig.json").write_text(
            json.dumps({"typeCheckingMode": "strict"}), encoding="utf-8"
        )
        pyright = _run([str(BIN / "pyright"), "--pythonpath", sys.executable, "app.py"], here)
        prefix = f"{here.resolve()}/"
    pyright_lines = [
        line.removeprefix("  ").replace(prefix, "")
        for line in pyright.splitlines()
        if line.strip() != f"{prefix}app.py"
    ]
    return {
        "mypy": f"$ mypy --strict app.py    # {_version('mypy')}\n{mypy}",
        "pyright": f"$ pyright app.py    # {_version('pyright')}, strict\n"
        + "\n".join(pyright_lines)
        + "\n",
    }


def main() -> None:
    """Write the transcripts next to the demo."""
    for name, text in transcripts().items():
        (DEMO / f"{name}.txt").write_text(text, encoding="utf-8")
        print(f"wrote docs/typing_demo/{name}.txt")


if __name__ == "__main__":
    main()
