"""The package's shape: the public names, the largest modules and the import graph.

Prints three sections for ``flask_pyjwt/`` (issue 20's before/after measure):

1. how many names ``flask_pyjwt.__all__`` lists;
2. the ten largest modules, in lines;
3. every import between the package's own modules, marked ``FUNC`` when it is made
   inside a function or class body (grimp and import-linter count those too) and
   ``TYPE_CHECKING`` when it is only made for the type checkers; then every import cycle
   (strongly connected component of more than one module), counting all of them.

Standard library only: it reads the source with :mod:`ast` and imports nothing from the
package, so it runs on a tree that does not import (mid-move) as well::

    .venv/bin/python scripts/shape.py
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

PACKAGE: Final = "flask_pyjwt"
ROOT: Final = Path(__file__).resolve().parent.parent
LARGEST: Final = 10

Kind = Literal["module", "function", "type-checking"]


@dataclass(frozen=True, order=True)
class Edge:
    """One import of a package module by another.

    Attributes:
        importer: The importing module's dotted name.
        imported: The imported module's dotted name (the most specific that exists).
        kind: Where the import statement sits: at module level, inside a function or
            class body, or under ``if TYPE_CHECKING:``.
    """

    importer: str
    imported: str
    kind: Kind


def modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the package, by dotted name (a package by its ``__init__``)."""
    found: dict[str, Path] = {}
    for path in sorted((root / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def line_count(path: Path) -> int:
    """The number of lines in ``path``."""
    return len(path.read_text(encoding="utf-8").splitlines())


def all_count(init: Path) -> int:
    """How many names the literal ``__all__`` in ``init`` lists."""
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            value = ast.literal_eval(node.value)
            if isinstance(value, (list, tuple)):
                return len(value)  # pyright: ignore[reportUnknownArgumentType]
    msg = f"{init} has no literal __all__"
    raise SystemExit(msg)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(
    body: list[ast.stmt], kind: Kind
) -> Iterator[tuple[ast.Import | ast.ImportFrom, Kind]]:
    """Every import statement under ``body``, with where it sits."""
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, kind
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield from _imports(node.body, "function")
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from _imports(node.body, "type-checking" if kind == "module" else kind)
            yield from _imports(node.orelse, kind)
        else:
            for field in ("body", "orelse", "finalbody", "handlers"):
                inner: object = getattr(node, field, None)
                if isinstance(inner, list):
                    statements = [
                        child
                        for child in inner  # pyright: ignore[reportUnknownVariableType]
                        if isinstance(child, ast.stmt)
                    ]
                    yield from _imports(statements, kind)


def _targets(
    node: ast.Import | ast.ImportFrom, importer: str, found: Mapping[str, Path]
) -> Iterator[str]:
    """The package modules an import statement imports.

    ``from x import y`` imports module ``x.y`` when it exists, else module ``x`` (as grimp
    reads it); a relative import is resolved against ``importer``.
    """
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names if alias.name in found)
        return
    base = node.module or ""
    if node.level:
        anchor = importer.split(".")
        if found[importer].name != "__init__.py":
            anchor.pop()
        anchor = anchor[: len(anchor) - (node.level - 1)]
        base = ".".join([*anchor, base] if base else anchor)
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        if submodule in found:
            yield submodule
        elif base in found:
            yield base


def edges(found: Mapping[str, Path]) -> set[Edge]:
    """Every import between two modules of the package."""
    result: set[Edge] = set()
    for importer, path in found.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node, kind in _imports(tree.body, "module"):
            result.update(
                Edge(importer, target, kind)
                for target in _targets(node, importer, found)
                if target != importer
            )
    return result


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph.get(node, set())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(components)


def _short(name: str) -> str:
    return name.removeprefix(f"{PACKAGE}.").replace("_core.", "c.") or PACKAGE


def report(root: Path = ROOT) -> str:
    """The three sections, as printed."""
    found = modules(root)
    lines = [f"__all__: {all_count(found[PACKAGE])} names", ""]
    total = sum(line_count(path) for path in found.values())
    lines.append(f"largest modules ({len(found)} modules, {total} lines in all):")
    sizes = sorted(((line_count(path), name) for name, path in found.items()), reverse=True)
    lines += [f"  {size:5d}  {name}" for size, name in sizes[:LARGEST]]
    lines += ["", "imports between package modules (c. = _core.):"]
    graph: dict[str, set[str]] = {}
    by_importer: dict[str, dict[Kind, list[str]]] = {}
    for edge in sorted(edges(found)):
        graph.setdefault(edge.importer, set()).add(edge.imported)
        by_importer.setdefault(edge.importer, {}).setdefault(edge.kind, []).append(
            _short(edge.imported)
        )
    markers: dict[Kind, str] = {
        "module": "",
        "function": "FUNC: ",
        "type-checking": "TYPE_CHECKING: ",
    }
    for importer in sorted(by_importer):
        kinds = by_importer[importer]
        parts = [markers[kind] + ", ".join(kinds[kind]) for kind in markers if kind in kinds]
        lines.append(f"  {_short(importer)} -> {' | '.join(parts)}")
    found_cycles = cycles(graph)
    lines += ["", f"import cycles (all imports counted): {len(found_cycles)}"]
    lines += [f"  {{{', '.join(_short(name) for name in cycle)}}}" for cycle in found_cycles]
    return "\n".join(lines)


def main() -> int:
    """Print the report."""
    print(report())
    return 0


if __name__ == "__main__":
    sys.exit(main())
