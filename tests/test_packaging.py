"""How the package is built, installed and layered, checked as a user's machine sees it.

- The pure core (``flask_pyjwt._core``) loads and works with Flask, Werkzeug and click
  made unimportable (``lint-imports`` checks the static imports; this checks what
  actually runs, dynamic imports included).
- A contributor's plain ``pip install -e .`` gives mypy and pyright the package's types
  from outside the repository (no ``PYTHONPATH``): the editable install is a path entry.
- ``__version__`` comes from the installed distribution, the one place the version lives.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from importlib import metadata
from pathlib import Path

import pytest

import flask_pyjwt

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

_BLOCKED_CORE_RUN = textwrap.dedent(
    """
    import importlib, pkgutil, sys, types
    from importlib.abc import MetaPathFinder

    class Block(MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {"flask", "werkzeug", "click"}:
                raise ImportError(f"blocked: {name}")
            return None

    sys.meta_path.insert(0, Block())
    # The package's __init__ is the Flask layer; load only the _core and _settings packages.
    package = types.ModuleType("flask_pyjwt")
    package.__path__ = [sys.argv[1]]
    sys.modules["flask_pyjwt"] = package
    core = importlib.import_module("flask_pyjwt._core")
    names = sorted(m.name for m in pkgutil.iter_modules(core.__path__))
    for name in names:
        importlib.import_module(f"flask_pyjwt._core.{name}")
    from flask_pyjwt._core.codec import TokenCodec
    from flask_pyjwt._settings.keys import load_keys
    from flask_pyjwt._settings.settings import load_settings
    from flask_pyjwt._settings.sources import layered_lookup
    lookup = layered_lookup(
        {"JWT_ISSUER": "i", "JWT_AUTHTYPE": "HS256", "JWT_SECRET": "s" * 32}, environ={}
    )
    settings = load_settings(lookup)
    signer, verifier = load_keys(lookup, settings)
    codec = TokenCodec(settings, signer, verifier)
    token = codec.issue_auth("alice", {"admin": True})
    assert codec.decode(token.signed).sub == "alice"
    assert not any(m.split(".")[0] in {"flask", "werkzeug", "click"} for m in sys.modules)
    print(",".join(names))
    """
)


def test_the_core_runs_with_flask_werkzeug_and_click_unimportable() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _BLOCKED_CORE_RUN, str(ROOT / "flask_pyjwt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    loaded = set(result.stdout.strip().split(","))
    assert {"codec", "policy", "errors", "jws", "signing", "strict_json", "tokens"} <= loaded


def _environment_without_pythonpath() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def _installed_editable() -> bool:
    direct_url = metadata.distribution("flask_pyjwt").read_text("direct_url.json")
    if direct_url is None:
        return False
    info = json.loads(direct_url)
    return bool(info.get("dir_info", {}).get("editable"))


_USER_MODULE = """\
from typing_extensions import assert_type

from flask_pyjwt import AuthManager, AuthToken, current_token

manager = AuthManager()
assert_type(manager.auth_token("alice"), AuthToken)
assert_type(current_token.sub, str)
"""


@pytest.mark.slow  # mypy and pyright in subprocesses
@pytest.mark.skipif(not _installed_editable(), reason="flask_pyjwt is not installed with -e")
def test_an_editable_install_gives_mypy_and_pyright_the_types(tmp_path: Path) -> None:
    # Outside the repository, without PYTHONPATH: only the installed package can be found.
    (tmp_path / "user_app.py").write_text(_USER_MODULE)
    env = _environment_without_pythonpath()
    mypy = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / ".mypy"),
            "--no-incremental",
            "user_app.py",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    pyright = subprocess.run(
        [str(BIN / "pyright"), "--pythonpath", sys.executable, "user_app.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert pyright.returncode == 0, pyright.stdout + pyright.stderr
    assert "0 errors" in pyright.stdout


def test_the_version_comes_from_the_installed_distribution() -> None:
    assert flask_pyjwt.__version__ == metadata.version("flask_pyjwt")
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert f'version = "{flask_pyjwt.__version__}"' in pyproject
