"""scripts/shape.py, the package-shape report: its counts agree with the package."""

from __future__ import annotations

from pathlib import Path

import flask_pyjwt
from scripts import shape


def test_all_count_is_the_package_all() -> None:
    """The ``__all__`` count read from the source equals the imported package's."""
    assert shape.all_count(shape.modules()["flask_pyjwt"]) == len(flask_pyjwt.__all__)


def test_cycles_are_strongly_connected_components() -> None:
    """A two-module loop and a three-module loop are found; a chain is not a cycle."""
    graph = {"a": {"b"}, "b": {"a", "c"}, "c": {"d"}, "d": {"e"}, "e": {"c"}, "f": {"a"}}
    assert shape.cycles(graph) == [["a", "b"], ["c", "d", "e"]]


def test_edges_are_marked_by_where_the_import_sits(tmp_path: Path) -> None:
    """Relative, absolute, function-level and ``TYPE_CHECKING`` imports are all edges."""
    package = tmp_path / "flask_pyjwt"
    (package / "_sub").mkdir(parents=True)
    (package / "__init__.py").write_text("from ._a import x\n__all__ = ['x']\n")
    (package / "_a.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from ._sub import b\n"
        "if TYPE_CHECKING:\n    from flask_pyjwt._sub.c import C\n"
        "def f():\n    from . import _sub\n"
    )
    (package / "_sub" / "__init__.py").write_text("")
    (package / "_sub" / "b.py").write_text("from .. import _a\n")
    (package / "_sub" / "c.py").write_text("from .b import y\n")
    found = shape.modules(tmp_path)
    assert shape.edges(found) == {
        shape.Edge("flask_pyjwt", "flask_pyjwt._a", "module"),
        shape.Edge("flask_pyjwt._a", "flask_pyjwt._sub.b", "module"),
        shape.Edge("flask_pyjwt._a", "flask_pyjwt._sub.c", "type-checking"),
        shape.Edge("flask_pyjwt._a", "flask_pyjwt._sub", "function"),
        shape.Edge("flask_pyjwt._sub.b", "flask_pyjwt._a", "module"),
        shape.Edge("flask_pyjwt._sub.c", "flask_pyjwt._sub.b", "module"),
    }
    assert shape.report(tmp_path).endswith(
        "cycles (all imports counted): 1\n  {_a, _sub.b, _sub.c}"
    )
