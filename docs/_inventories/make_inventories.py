"""Write the small intersphinx inventories the docs use, for builds without a network.

Sphinx's intersphinx normally downloads each project's ``objects.inv``. CI and the
developers' machines have no network, so ``docs/conf.py`` points intersphinx at the
files this script writes instead: one per project, listing exactly the objects our
pages and docstrings reference, each mapped to its real URL on that project's site.

Run it after adding a reference to an object not listed below::

    .venv/bin/python docs/_inventories/make_inventories.py

``tests/test_docs_examples.py`` checks that the committed files are what this script
writes, so the two cannot drift apart.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Final, NamedTuple


class Entry(NamedTuple):
    """One object: its name, ``domain:role``, and its page relative to the base URL.

    A page ending in ``#$`` anchors on the object's own name (Sphinx's convention).
    """

    name: str
    role: str
    page: str


class Project(NamedTuple):
    name: str
    version: str
    base_url: str
    entries: tuple[Entry, ...]


def _py(role: str, page: str, *names: str) -> tuple[Entry, ...]:
    return tuple(Entry(name, f"py:{role}", f"{page}#$") for name in names)


PYTHON: Final = Project(
    "Python",
    "3",
    "https://docs.python.org/3/",
    (
        *_py(
            "class",
            "library/functions.html",
            "bool",
            "bytes",
            "dict",
            "float",
            "frozenset",
            "int",
            "object",
            "str",
            "tuple",
            "type",
            "list",
        ),
        *_py("data", "library/constants.html", "None", "True", "False", "NotImplemented"),
        *_py(
            "exception",
            "library/exceptions.html",
            "Exception",
            "RuntimeError",
            "TypeError",
            "UserWarning",
            "ValueError",
        ),
        *_py("function", "library/functions.html", "isinstance"),
        *_py(
            "class",
            "library/collections.abc.html",
            "collections.abc.Callable",
            "collections.abc.Iterable",
            "collections.abc.Mapping",
            "collections.abc.Sequence",
            "collections.abc.Awaitable",
        ),
        *_py(
            "data",
            "library/typing.html",
            "typing.Any",
            "typing.ClassVar",
            "typing.Final",
            "typing.Literal",
            "typing.Union",
            "typing.Optional",
        ),
        *_py(
            "class",
            "library/typing.html",
            "typing.Protocol",
            "typing.ParamSpec",
            "typing.TypeVar",
        ),
        *_py("function", "library/typing.html", "typing.assert_type", "typing.cast"),
        *_py("class", "library/os.html", "os.PathLike"),
        *_py("data", "library/os.html", "os.environ"),
        *_py("class", "library/enum.html", "enum.Enum"),
        *_py("class", "library/pathlib.html", "pathlib.Path"),
        *_py("class", "library/datetime.html", "datetime.timedelta"),
        *_py("function", "library/json.html", "json.dumps", "json.loads"),
        *_py("function", "library/secrets.html", "secrets.token_urlsafe"),
        *_py("function", "library/time.html", "time.time"),
        *_py("function", "library/dataclasses.html", "dataclasses.dataclass"),
        *_py("function", "library/warnings.html", "warnings.filterwarnings"),
        *_py("function", "library/functools.html", "functools.wraps"),
        *_py("function", "library/inspect.html", "inspect.signature"),
        Entry("typing", "py:module", "library/typing.html#module-$"),
        Entry("json", "py:module", "library/json.html#module-$"),
    ),
)

FLASK: Final = Project(
    "Flask",
    "3.1.x",
    "https://flask.palletsprojects.com/en/stable/",
    (
        *_py("class", "api/", "flask.Flask"),
        # Where the class is defined; autodoc names it so in signatures.
        Entry("flask.app.Flask", "py:class", "api/#flask.Flask"),
        *_py(
            "method",
            "api/",
            "flask.Flask.errorhandler",
            "flask.Flask.ensure_sync",
            "flask.Flask.test_client",
            "flask.Flask.test_cli_runner",
            "flask.Flask.route",
            "flask.Flask.app_context",
        ),
        *_py("data", "api/", "flask.current_app", "flask.g", "flask.request"),
        *_py("function", "api/", "flask.jsonify", "flask.has_app_context"),
        *_py("class", "api/", "flask.cli.AppGroup", "flask.cli.FlaskGroup"),
        *_py("class", "api/", "flask.testing.FlaskClient", "flask.testing.FlaskCliRunner"),
        *_py("class", "api/", "flask.Response", "flask.Config"),
        Entry("async_await", "std:label", "async-await/"),
    ),
)

PYJWT: Final = Project(
    "PyJWT",
    "2",
    "https://pyjwt.readthedocs.io/en/stable/",
    (
        *_py("function", "api.html", "jwt.encode", "jwt.decode"),
        *_py("class", "api.html", "jwt.PyJWKClient"),
        *_py(
            "exception",
            "api.html",
            "jwt.exceptions.InvalidTokenError",
            "jwt.exceptions.ExpiredSignatureError",
            "jwt.exceptions.InvalidSignatureError",
            "jwt.exceptions.DecodeError",
        ),
    ),
)

WERKZEUG: Final = Project(
    "Werkzeug",
    "3.1.x",
    "https://werkzeug.palletsprojects.com/en/stable/",
    (
        *_py(
            "exception",
            "exceptions/",
            "werkzeug.exceptions.HTTPException",
            "werkzeug.exceptions.Unauthorized",
            "werkzeug.exceptions.Forbidden",
        ),
        *_py(
            "method",
            "exceptions/",
            "werkzeug.exceptions.HTTPException.get_response",
        ),
        *_py("class", "wrappers/", "werkzeug.wrappers.Response"),
        # Where the class is defined; autodoc names it so in signatures.
        Entry(
            "werkzeug.wrappers.response.Response",
            "py:class",
            "wrappers/#werkzeug.wrappers.Response",
        ),
        *_py("class", "local/", "werkzeug.local.LocalProxy"),
    ),
)

_ASYM: Final = "hazmat/primitives/asymmetric/"
_PRIMS: Final = "cryptography.hazmat.primitives"

CRYPTOGRAPHY: Final = Project(
    "Cryptography",
    "latest",
    "https://cryptography.io/en/latest/",
    (
        *_py(
            "class",
            f"{_ASYM}rsa/",
            f"{_PRIMS}.asymmetric.rsa.RSAPrivateKey",
            f"{_PRIMS}.asymmetric.rsa.RSAPublicKey",
        ),
        *_py("function", f"{_ASYM}rsa/", f"{_PRIMS}.asymmetric.rsa.generate_private_key"),
        *_py(
            "class",
            f"{_ASYM}ec/",
            f"{_PRIMS}.asymmetric.ec.EllipticCurvePrivateKey",
            f"{_PRIMS}.asymmetric.ec.EllipticCurvePublicKey",
            f"{_PRIMS}.asymmetric.ec.ECDSA",
        ),
        *_py("function", f"{_ASYM}ec/", f"{_PRIMS}.asymmetric.ec.generate_private_key"),
        *_py(
            "function",
            f"{_ASYM}utils/",
            f"{_PRIMS}.asymmetric.utils.decode_dss_signature",
        ),
        *_py(
            "class",
            f"{_ASYM}ed25519/",
            f"{_PRIMS}.asymmetric.ed25519.Ed25519PrivateKey",
            f"{_PRIMS}.asymmetric.ed25519.Ed25519PublicKey",
        ),
        *_py(
            "class",
            f"{_ASYM}ed448/",
            f"{_PRIMS}.asymmetric.ed448.Ed448PrivateKey",
            f"{_PRIMS}.asymmetric.ed448.Ed448PublicKey",
        ),
        *_py(
            "function",
            f"{_ASYM}serialization/",
            f"{_PRIMS}.serialization.load_pem_private_key",
            f"{_PRIMS}.serialization.load_pem_public_key",
        ),
        Entry("cryptography", "py:module", ""),
    ),
)

PROJECTS: Final = {
    "python": PYTHON,
    "flask": FLASK,
    "pyjwt": PYJWT,
    "werkzeug": WERKZEUG,
    "cryptography": CRYPTOGRAPHY,
}
"""The intersphinx name of each project (as in ``:py:class:`flask:flask.Flask```)."""


def render(project: Project) -> bytes:
    """The ``objects.inv`` (version 2) bytes for ``project``."""
    head = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project.name}\n"
        f"# Version: {project.version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    lines: list[str] = []
    for entry in sorted(project.entries):
        page = entry.page
        display = "-"
        if entry.role == "std:label":
            display = entry.name
        lines.append(f"{entry.name} {entry.role} 1 {page} {display}\n")
    body = "".join(lines).encode("utf-8")
    return head.encode("utf-8") + zlib.compress(body, 9)


HERE: Final = Path(__file__).resolve().parent


def main() -> None:
    for key, project in PROJECTS.items():
        path = HERE / f"{key}.inv"
        path.write_bytes(render(project))
        print(f"wrote {path.relative_to(HERE.parent.parent)} ({len(project.entries)} objects)")


if __name__ == "__main__":
    main()
