"""What the docs' pages state, held to what the library does.

Beside tests/test_docs_examples.py (which runs the examples the pages include): the
statements of the tokens and migration pages, and the rule that every Python block of the
built docs is a whole tested file or names the tested file it is from
(``docs/python_blocks.py``, run by every docs build).
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path
from typing import cast

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from docs import python_blocks
from docs.examples import migration, tokens
from flask_pyjwt import AuthManager, require_token
from flask_pyjwt._core.transport import TransportSettings
from tests.support import bearer, json_body

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def get(client: FlaskClient, path: str, token: str) -> TestResponse:
    return client.get(path, headers=bearer(token))


def test_tokens_page_header_fields() -> None:
    # Every token names its key, with or without JWT_KEY_ID (docs/keys.rst says which).
    auth, refresh = tokens.issue_pair()
    assert "JWT_KEY_ID" not in tokens.app.config
    for token in (auth, refresh):
        assert sorted(token.header) == ["alg", "kid", "typ"]
    page = " ".join((DOCS / "tokens.rst").read_text(encoding="utf-8").split())
    assert "protected header (``alg``, ``typ`` and ``kid``: every token names its key" in page
    assert "with ``JWT_KEY_ID``, ``kid``" not in page


def _fje_table() -> str:
    page = (DOCS / "migration.rst").read_text(encoding="utf-8")
    return " ".join(page.split("From Flask-JWT-Extended\n", 1)[1].split())


def test_migration_table_fje_defaults_renamed() -> None:
    # What the row says flask_pyjwt's defaults are, and that it names the old ones.
    table = _fje_table()
    defaults = TransportSettings()
    ours = (
        (defaults.auth_cookie, defaults.refresh_cookie),
        (defaults.auth_csrf_cookie, defaults.refresh_csrf_cookie),
        (defaults.auth_json_key, defaults.refresh_json_key),
    )
    assert ours == (
        ("auth_token", "refresh_token"),
        ("csrf_auth_token", "csrf_refresh_token"),
        ("auth_token", "refresh_token"),
    )
    assert (defaults.query_param, defaults.csrf_header) == ("jwt", "X-CSRF-Token")
    for old_name in ("access_token_cookie", "csrf_access_token", "``access_token``"):
        assert old_name in table
    assert (
        "cookies ``auth_token`` / ``refresh_token``, CSRF cookies ``csrf_auth_token`` / "
        "``csrf_refresh_token``, JSON body members ``auth_token`` / ``refresh_token``" in table
    )


def test_migration_table_fje_statuses_and_audience() -> None:
    client = migration.app.test_client()
    auth_manager = migration.auth_manager
    with migration.app.app_context():
        good = auth_manager.auth_token("test", "profile:read")
        refresh = auth_manager.refresh_token("test").signed
        billing = auth_manager.auth_token("test", "profile:read", audience="billing").signed
        no_scope = auth_manager.auth_token("test").signed
    # Flask-JWT-Extended answers 422 to these; here each is a 401.
    tampered = good.signed[:-2] + ("AE" if good.signed.endswith("AA") else "AA")
    for token, code in (
        (tampered, "signature_invalid"),
        ("not-a-token", "token_malformed"),
        (refresh, "token_type_invalid"),
        (billing, "claim_invalid"),  # an aud, and the app has no JWT_AUDIENCE
    ):
        response = get(client, "/protected", token)
        assert (response.status_code, json_body(response)["code"]) == (401, code)
    assert get(client, "/protected", no_scope).status_code == 403
    table = _fje_table()
    assert "**422** for a token that is malformed" in table
    assert "without ``JWT_AUDIENCE``, a token that has an ``aud`` is refused" in table


def test_migration_table_fje_rows_of_features_built_in_issue_21() -> None:
    # These rows said "not yet" until issue 21 built them; no row says it any more.
    table = _fje_table()
    assert "not yet" not in table
    assert "verify_type" not in inspect.signature(require_token).parameters  # a tuple instead
    assert '``@require_token(token_type=("auth", "refresh"))``' in table
    assert hasattr(AuthManager, "identity_loader")
    assert not hasattr(AuthManager, "user_identity_loader")
    assert "``@auth_manager.identity_loader``" in table
    with migration.app.app_context(), pytest.raises(TypeError):
        migration.auth_manager.auth_token(42)  # type: ignore[arg-type]  # no identity loader


_USERS = DOCS / "examples" / "users.py"


@pytest.mark.parametrize(
    ("block", "fault"),
    [
        # literalinclude of a whole file: complete, run by the tests.
        (python_blocks.Block("python", _USERS.read_text(), _USERS, None), None),
        # a part of one, captioned with it (what the directive does by itself).
        (python_blocks.Block("python", "app = Flask(__name__)", _USERS, "From x"), "caption"),
        (python_blocks.Block("python", "app = Flask(__name__)", _USERS, None), "caption"),
        (
            python_blocks.Block(
                "python", "app = Flask(__name__)", _USERS, "From docs/examples/users.py"
            ),
            None,
        ),
        (
            python_blocks.Block(
                "python", "app = Flask(__name__)", _USERS, "From docs/examples/routes.py"
            ),
            "but it is from docs/examples/users.py",
        ),
        # a code-block or a docstring's example: its lines must be in the file it names.
        (
            python_blocks.Block(
                "python",
                "current_user = load_user.current  # typed User: no cast, no Any",
                None,
                "From docs/examples/users.py",
            ),
            None,
        ),
        (
            python_blocks.Block("python", "current_user = 1", None, "From docs/examples/users.py"),
            "not in docs/examples/users.py",
        ),
        (python_blocks.Block("default", "x = f()", None, None), "caption"),  # a :: block
        (python_blocks.Block("shell", "make docs", None, None), None),
        (python_blocks.Block("text", "x = f()", None, None), None),
    ],
)
def test_python_block_rule(block: python_blocks.Block, fault: str | None) -> None:
    found = python_blocks.problem(block)
    assert (found is None) if fault is None else (found is not None and fault in found), found


def test_literalinclude_captions_python_files_with_their_path() -> None:
    # Read from the directive's own code: a part is "From <path>", a whole file "<path>".
    source = inspect.getsource(python_blocks.CaptionedLiteralInclude.run)
    assert 'f"From {repo_path(path)}" if part else repo_path(path)' in source
    assert python_blocks.repo_path(_USERS) == "docs/examples/users.py"


# The build runs in its own process: docs/conf.py gives the package's objects their
# public __module__ and autodoc replaces their signatures' defaults, which in this
# process would change what later tests see (typing_extensions.get_overloads looks
# functions up by module).
_BUILD_AND_CHECK = """
import json, sys, warnings
from pathlib import Path
import sphinx.application
from docs import python_blocks

docs, out = Path(sys.argv[1]), Path(sys.argv[2])
with warnings.catch_warnings():
    # Sphinx's own deprecation notices (from napoleon) are not this test's business.
    warnings.simplefilter("ignore", DeprecationWarning)
    warnings.simplefilter("ignore", PendingDeprecationWarning)
    app = sphinx.application.Sphinx(
        str(docs), str(docs), str(out / "out"), str(out / "doctrees"), "dummy",
        status=None, warning=None, freshenv=True, warningiserror=False,
    )
    app.build()
found = [
    block
    for docname in sorted(app.env.found_docs)
    for _, block in python_blocks.blocks(app.env.get_doctree(docname))
    if block.language in python_blocks.PYTHON_LANGUAGES
]
whole = [b.caption for b in found if b.caption and not b.caption.startswith("From")]
problems = [str(problem) for problem in python_blocks.problems(found)]
print(json.dumps({"count": len(found), "problems": problems, "whole": whole}))
"""


@pytest.mark.slow  # a whole Sphinx build, about 10 s
def test_every_python_block_of_the_built_docs_keeps_the_rule(tmp_path: Path) -> None:
    # The check runs in the build (a warning, an error under make docs' -W); here it
    # runs again on the doctrees of a fresh build, and counts what it saw.
    completed = subprocess.run(
        [sys.executable, "-c", _BUILD_AND_CHECK, str(DOCS), str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-3000:]
    result = cast("dict[str, object]", json.loads(completed.stdout.splitlines()[-1]))
    count = result["count"]
    assert isinstance(count, int)
    assert count >= 49
    assert result["problems"] == []
    assert result["whole"] == ["docs/typing_demo/app.py"]
