"""Every Python block in the docs is a whole tested file, or says which tested file it is from.

A reader who copies a fragment needs to know where its imports and setup are. So:

* ``literalinclude`` of a ``.py`` file gets a caption naming the file, repository-relative
  (``docs/examples/routes.py``), unless the page gives one: "From <file>" for a part of
  it, the path alone for the whole file. The file is run or type-checked by the tests
  (``tests/test_docs_examples.py`` checks that every included file is).
* Any other Python block (``code-block:: python``, a ``::`` block in the default Python
  highlighting, a docstring's example) must have a caption naming a ``.py`` file of the
  repository that holds its lines, in order.

Anything else is a warning, which ``make docs`` (``-W``) turns into a failed build.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.directives.code import LiteralInclude
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

ROOT: Final = Path(__file__).resolve().parent.parent

PYTHON_LANGUAGES: Final = frozenset({"python", "python3", "py", "py3", "default", "pycon"})
"""Languages Sphinx highlights as Python (``default`` is what ``::`` blocks get)."""

_SELECTING_OPTIONS: Final = (
    "lines", "start-after", "end-before", "start-at", "end-at", "pyobject", "diff",
)  # fmt: skip

_logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Block:
    """One literal block of the built docs, as far as this check cares.

    Attributes:
        language: its highlighting language.
        text: what it shows.
        source: the file ``literalinclude`` read it from, or ``None``.
        caption: its caption, or ``None``.
    """

    language: str
    text: str
    source: Path | None
    caption: str | None


def repo_path(path: Path) -> str:
    """``path`` relative to the repository, as a caption names it."""
    return path.resolve().relative_to(ROOT).as_posix()


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _contains(whole: str, part: str) -> bool:
    """Whether the non-blank lines of ``part`` appear in ``whole``, in order, together
    (indentation aside: a docstring or a page indents differently)."""
    needle, haystack = _lines(part), _lines(whole)
    return bool(needle) and any(
        haystack[start : start + len(needle)] == needle
        for start in range(len(haystack) - len(needle) + 1)
    )


def _named_file(caption: str | None) -> Path | None:
    """The repository ``.py`` file a caption names, if it names one that exists."""
    for word in (caption or "").replace(",", " ").split():
        if word.endswith(".py") and (ROOT / word).is_file():
            return ROOT / word
    return None


def problem(block: Block) -> str | None:
    """Why ``block`` breaks the rule above, or ``None`` when it keeps it."""
    if block.language not in PYTHON_LANGUAGES:
        return None
    if block.source is not None:
        file_text = block.source.read_text(encoding="utf-8")
        if block.text.strip() == file_text.strip():
            return None  # a whole file, run or checked by the tests
    named = _named_file(block.caption)
    if named is None:
        return (
            "a Python block that is not a whole file needs a caption naming the tested "
            "file it is from (a repository path such as docs/examples/routes.py)"
        )
    if block.source is not None and named.resolve() != block.source.resolve():
        return f"its caption names {repo_path(named)}, but it is from {repo_path(block.source)}"
    if block.source is None and not _contains(named.read_text(encoding="utf-8"), block.text):
        return f"its lines are not in {repo_path(named)}, the file its caption names"
    return None


def blocks(doctree: nodes.Node) -> Iterator[tuple[nodes.literal_block, Block]]:
    """The literal blocks of a doctree, each with what this check reads of it."""
    for node in doctree.findall(nodes.literal_block):
        caption: str | None = None
        parent = node.parent
        if isinstance(parent, nodes.container) and parent.get("literal_block"):
            captions = [child for child in parent.children if isinstance(child, nodes.caption)]
            caption = captions[0].astext() if captions else None
        source: object = node.get("source")
        yield (
            node,
            Block(
                language=str(node.get("language", "default")),
                text=node.astext(),
                source=Path(source) if isinstance(source, str) and source.endswith(".py") else None,
                caption=caption,
            ),
        )


def problems(found: Iterable[Block]) -> list[str]:
    """Every problem of ``found``, one line each."""
    return [f"{why}: {block.text[:60]!r}" for block in found if (why := problem(block))]


class CaptionedLiteralInclude(LiteralInclude):
    """``literalinclude`` that captions a Python file with its repository path."""

    def run(self) -> list[nodes.Node]:
        _, filename = self.env.relfn2path(self.arguments[0])
        path = Path(filename)
        if "caption" not in self.options and path.suffix == ".py" and path.is_file():
            part = any(option in self.options for option in _SELECTING_OPTIONS)
            self.options["caption"] = f"From {repo_path(path)}" if part else repo_path(path)
        return super().run()


def _check(app: Sphinx, env: BuildEnvironment) -> None:
    # Every page on every build, not only the pages read again: an incremental build
    # must not pass because the page with the problem was not re-read.
    for docname in sorted(env.found_docs):
        for node, block in blocks(env.get_doctree(docname)):
            why = problem(block)
            if why is not None:
                _logger.warning(why, location=node)


def setup(app: Sphinx) -> dict[str, bool]:
    """Register the captioning ``literalinclude`` and the check."""
    app.add_directive("literalinclude", CaptionedLiteralInclude, override=True)
    app.connect("env-check-consistency", _check)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
