"""Rename the exception classes whose names disagreed with their codes (issue 20, item 2).

Run from the repository root: ``python scripts/rename_errors.py`` (``--check`` only lists
what would change). Idempotent: a second run changes nothing. It rewrites whole words
only, in the package, the tests, the docs (``.rst`` and ``.py``), the examples, the
benchmarks and the top-level Markdown files. It leaves alone:

* PyJWT's own classes (``jwt.InvalidSignatureError``, ``jwt.exceptions.…``);
* lines between an ``rename-map: begin`` and a ``rename-map: end`` marker, which hold
  the old names on purpose (the migration page's and the changelog's rename tables);
* ``docs/dev/`` (plans that record the old names) and ``stubs/`` (PyJWT's stubs).

``KeyMaterialError`` was a private alias of ``InvalidKeyError`` in ``_core/keys.py``:
after the rename, an import of ``InvalidKeyError`` from ``_core.keys`` must import it
from ``_core.errors`` instead (mypy's strict re-export check points at each).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Final

RENAMES: Final[dict[str, str]] = {
    "MalformedTokenError": "TokenMalformedError",
    "DisallowedAlgorithmError": "AlgorithmNotAllowedError",
    "InvalidSignatureError": "SignatureInvalidError",
    "ExpiredTokenError": "TokenExpiredError",
    "ImmatureTokenError": "TokenNotYetValidError",
    "InvalidClaimError": "ClaimInvalidError",
    "WrongTokenTypeError": "TokenTypeInvalidError",
    "RevocationStoreError": "RevocationUnavailableError",
    "KeySetUnavailableError": "KeysUnavailableError",
    "KeyMaterialError": "InvalidKeyError",
}

# Whole words, not after "jwt." or "exceptions." (PyJWT's InvalidSignatureError).
_PATTERN: Final = re.compile(
    r"(?<!\bjwt\.)(?<!\bexceptions\.)\b(" + "|".join(map(re.escape, RENAMES)) + r")\b"
)
_BEGIN: Final = "rename-map: begin"
_END: Final = "rename-map: end"

_TREES: Final = {
    "flask_pyjwt": (".py", ".pyi", ".rst", ".md"),
    "tests": (".py", ".pyi", ".rst", ".md", ".txt", ".toml"),
    "docs": (".rst", ".py"),
    "examples": (".py", ".pyi", ".rst", ".md", ".html", ".txt"),
    "benchmarks": (".py", ".rst", ".md", ".txt"),
}
_FILES: Final = ("README.md", "CONTRIBUTING.md", "SECURITY.md")
_SKIP_PARTS: Final = frozenset({"_build", ".venv", ".venvs", "__pycache__", "dev"})


def targets(root: Path) -> list[Path]:
    """Every file the rename covers, sorted."""
    found = [root / name for name in _FILES if (root / name).is_file()]
    for tree, suffixes in _TREES.items():
        for path in (root / tree).rglob("*"):
            relative = path.relative_to(root).parts
            if path.is_file() and path.suffix in suffixes and _SKIP_PARTS.isdisjoint(relative):
                found.append(path)
    return sorted(found)


def renamed(text: str) -> str:
    """``text`` with every old name replaced, outside the rename-map blocks."""
    lines = text.splitlines(keepends=True)
    inside = False
    for index, line in enumerate(lines):
        if _BEGIN in line:
            inside = True
        elif _END in line:
            inside = False
        elif not inside:
            lines[index] = _PATTERN.sub(lambda match: RENAMES[match.group(1)], line)
    return "".join(lines)


def main(argv: list[str]) -> int:
    """Rewrite the files (or, with ``--check``, list those that would change)."""
    check = "--check" in argv
    changed = 0
    for path in targets(Path.cwd()):
        text = path.read_text(encoding="utf-8")
        new = renamed(text)
        if new != text:
            changed += 1
            print(path)
            if not check:
                path.write_text(new, encoding="utf-8")
    print(f"{changed} file(s) {'would change' if check else 'changed'}", file=sys.stderr)
    return 1 if check and changed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
