"""The public surface: eight public modules, each ``__all__`` exactly its public names.

``flask_pyjwt`` holds what a typical app imports (at most 30 names); every exception and
warning is in ``flask_pyjwt.errors``, annotation-only names in ``flask_pyjwt.typing``,
the Redis store's protocols in ``flask_pyjwt.redis``, typed claims in
``flask_pyjwt.claims``, signals in ``flask_pyjwt.signals``, the testing kit in
``flask_pyjwt.testing``, the OpenAPI plugin in ``flask_pyjwt.apispec``. The API page
documents exactly these names, each once, under its module, and the migration page says
where every name that left the top level went.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import flask_pyjwt
import flask_pyjwt.apispec
import flask_pyjwt.claims
import flask_pyjwt.errors
import flask_pyjwt.redis
import flask_pyjwt.signals
import flask_pyjwt.testing
import flask_pyjwt.typing

DOCS = Path(__file__).resolve().parent.parent / "docs"

PUBLIC_MODULES = (
    flask_pyjwt,
    flask_pyjwt.errors,
    flask_pyjwt.typing,
    flask_pyjwt.redis,
    flask_pyjwt.claims,
    flask_pyjwt.signals,
    flask_pyjwt.testing,
    flask_pyjwt.apispec,
)
SUBMODULES = PUBLIC_MODULES[1:]
NEW_IN_2 = (flask_pyjwt.signals, flask_pyjwt.testing, flask_pyjwt.apispec)
"""Modules new in 2.0: none of their names left the top level."""
REMOVED = ("CONFIG_KEYS", "Settings", "TransportSettings", "AuthManager.settings")

by_name = pytest.mark.parametrize("module", PUBLIC_MODULES, ids=lambda module: module.__name__)


def _public_names(module: ModuleType) -> set[str]:
    return {
        name
        for name, value in vars(module).items()
        if not name.startswith("_") and not isinstance(value, ModuleType)
    }


@by_name
def test_all_is_exactly_the_public_names(module: ModuleType) -> None:
    assert set(module.__all__) == _public_names(module)
    assert len(module.__all__) == len(set(module.__all__))


@by_name
def test_all_is_sorted(module: ModuleType) -> None:
    assert module.__all__ == sorted(module.__all__)


@by_name
def test_each_module_says_what_it_is_for(module: ModuleType) -> None:
    assert module.__doc__
    assert len(module.__doc__.split()) >= 10


def test_the_top_level_is_small() -> None:
    assert len(flask_pyjwt.__all__) <= 30
    assert flask_pyjwt.__version__


def test_the_only_public_submodules_are_the_documented_ones() -> None:
    package = Path(flask_pyjwt.__file__).parent
    public = {path.stem for path in package.glob("*.py") if not path.stem.startswith("_")}
    public |= {path.name for path in package.iterdir() if path.is_dir() and path.name[0] != "_"}
    assert {f"flask_pyjwt.{name}" for name in public} == {m.__name__ for m in SUBMODULES}


def test_top_level_names_in_a_submodule_are_the_same_objects() -> None:
    for module in SUBMODULES:
        for name in set(module.__all__) & set(flask_pyjwt.__all__):
            assert getattr(module, name) is getattr(flask_pyjwt, name), name


def test_every_exception_and_warning_is_in_errors_under_its_base() -> None:
    errors = flask_pyjwt.errors
    for module in PUBLIC_MODULES:
        for name in module.__all__:
            value = getattr(module, name)
            if isinstance(value, type) and issubclass(value, BaseException):
                assert name in errors.__all__, f"{module.__name__}.{name}"
    for name in errors.__all__:
        value = getattr(errors, name)
        assert isinstance(value, type), name
        if issubclass(value, Warning):
            assert issubclass(value, errors.FlaskPyJWTWarning), name
        elif issubclass(value, Exception):
            assert issubclass(value, errors.FlaskPyJWTError), name
        else:
            assert name == "CustomErrorCode"  # the one non-exception: an error's code


def test_removed_names_are_gone() -> None:
    for name in REMOVED[:3]:
        assert not hasattr(flask_pyjwt, name)
    assert not hasattr(flask_pyjwt.AuthManager, "settings")


@pytest.mark.slow
def test_importing_flask_pyjwt_redis_does_not_import_redis_py() -> None:
    code = "import sys, flask_pyjwt.redis; print('redis' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def _api_page_sections() -> dict[str, list[str]]:
    """Each ``.. module::`` section of docs/api.rst: the names its directives document."""
    page = (DOCS / "api.rst").read_text(encoding="utf-8")
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    directive = re.compile(
        r"^\.\. (?:auto)?(?:class|function|exception|data)::\s+(\w+)\s*$"
        r"|^\.\. module::\s+([\w.]+)\s*$"
    )
    for line in page.splitlines():
        match = directive.match(line)
        if match is None:
            continue
        if match.group(2):
            current = sections.setdefault(match.group(2), [])
        else:
            assert current is not None, f"{line!r} before any module directive"
            current.append(match.group(1))
    return sections


def test_api_page_documents_each_module_exactly_once_per_name() -> None:
    sections = _api_page_sections()
    assert list(sections) == [module.__name__ for module in PUBLIC_MODULES]
    documented = [name for names in sections.values() for name in names]
    assert len(documented) == len(set(documented)), "a name documented twice"
    for module in PUBLIC_MODULES:
        expected = set(module.__all__)
        if module is flask_pyjwt:  # re-exports are documented in their submodule
            expected -= {name for sub in SUBMODULES for name in sub.__all__}
        assert set(sections[module.__name__]) == expected, module.__name__


def test_migration_table_lists_every_name_that_left_the_top_level() -> None:
    page = (DOCS / "migration.rst").read_text(encoding="utf-8")
    table = page.split("Where did X go\n", 1)[1].split("\nFrom Flask-JWT-Extended\n", 1)[0]
    rows = dict(re.findall(r"^   \* - ``([\w.]+)``\n     - (.+)$", table, re.MULTILINE))
    moved = {
        name: module.__name__
        for module in SUBMODULES
        if module not in NEW_IN_2
        for name in module.__all__
        if name not in flask_pyjwt.__all__ and name != "RequireOptions"  # new in 2.0
    }
    assert set(rows) == set(moved) | set(REMOVED)
    for name, module in moved.items():
        assert f"`{module}.{name}`" in rows[name], name
    for name in REMOVED:
        assert rows[name].startswith("removed"), name
