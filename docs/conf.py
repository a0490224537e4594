"""Sphinx configuration. Built by ``make docs`` with ``-n -W``: every reference resolves."""

from __future__ import annotations

import inspect
import re
import sys
import typing
from pathlib import Path

from sphinx.application import Sphinx

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))

import flask_pyjwt  # noqa: E402 - needs the path above
import flask_pyjwt.apispec  # noqa: E402
import flask_pyjwt.claims  # noqa: E402
import flask_pyjwt.errors  # noqa: E402
import flask_pyjwt.redis  # noqa: E402
import flask_pyjwt.signals  # noqa: E402
import flask_pyjwt.testing  # noqa: E402
import flask_pyjwt.typing  # noqa: E402
from docs.examples import generated  # noqa: E402

project = "flask_pyjwt"
author = "flask_pyjwt developers"
copyright = "flask_pyjwt developers"
release = flask_pyjwt.__version__  # the one version, from pyproject.toml via the metadata

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
    "docs.python_blocks",  # every Python block is a tested file or names the one it is from
]

exclude_patterns = ["_build", "dev", "_generated", "_inventories", "examples"]
nitpicky = True
html_theme = "furo"
html_title = "flask_pyjwt"
html_static_path = ["_static"] if (DOCS / "_static").is_dir() else []
pygments_style = "sphinx"
pygments_dark_style = "monokai"

# -- API docs --------------------------------------------------------------------------

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_preserve_defaults = True
python_use_unqualified_type_names = True
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False
# Attribute types are in the signatures; the Attributes sections would repeat them
# (and name private aliases such as the Literal behind InvalidTokenError.code).
napoleon_attr_annotations = False

# The type variables of require_token's signature (the view's parameters and return
# type) are not objects with a page of their own.
nitpick_ignore = [
    ("py:class", "P"),
    ("py:class", "flask_pyjwt._flask.decorator.R"),
    ("py:class", "flask_pyjwt._core.claim_requirements.R"),
    ("py:class", "flask_pyjwt._core.typed_claims.C"),
    ("py:class", "flask_pyjwt._flask.manager.U"),
    ("py:class", "flask_pyjwt._flask.users.U"),
    ("py:class", "flask_pyjwt._flask.users.M"),
    # verify_request's **options: Unpack[RequireOptions] (PEP 692); typing_extensions has
    # no Sphinx inventory, and RequireOptions itself is linked.
    ("py:class", "typing_extensions.Unpack"),
    # FlaskPyJWTPlugin.init_spec's parameter: apispec publishes no Sphinx inventory.
    ("py:class", "apispec.core.APISpec"),
]

# The public modules, each name's canonical one last: a name a submodule also holds
# (RedisRevocationStore, the base errors) is documented there, and re-exported here.
PUBLIC_MODULES = (
    flask_pyjwt,
    flask_pyjwt.claims,
    flask_pyjwt.redis,
    flask_pyjwt.typing,
    flask_pyjwt.errors,
    flask_pyjwt.signals,
    flask_pyjwt.testing,
    flask_pyjwt.apispec,
)
HOME = {name: module.__name__ for module in PUBLIC_MODULES for name in module.__all__}

# The public type aliases keep their names in signatures (and link to their entries
# on the API page) instead of being expanded into long unions.
_ALIASES = (
    "ClaimRequirement",
    "ErrorCode",
    "JSONArray",
    "JSONInput",
    "JSONObject",
    "JSONScalar",
    "JSONValue",
    "KeyMaterial",
    "Location",
    "PrivateKey",
    "PublicKey",
    "Token",
)
autodoc_type_aliases = {name: f"{HOME[name]}.{name}" for name in _ALIASES}

# Public objects live in private modules; document each where users import it from.
for _name, _home in HOME.items():
    _obj = getattr(sys.modules[_home], _name)
    if (
        isinstance(_obj, (type, typing.NewType)) or inspect.isfunction(_obj)
    ) and _obj.__module__.startswith("flask_pyjwt._"):
        _obj.__module__ = _home

# -- Cross-project references, offline -------------------------------------------------

# Each inventory is a small file written by _inventories/make_inventories.py: the
# objects we reference, mapped to their real pages. Nothing is downloaded.
intersphinx_mapping = {
    "python": ("https://docs.python.org/3/", "_inventories/python.inv"),
    "flask": ("https://flask.palletsprojects.com/en/stable/", "_inventories/flask.inv"),
    "pyjwt": ("https://pyjwt.readthedocs.io/en/stable/", "_inventories/pyjwt.inv"),
    "werkzeug": ("https://werkzeug.palletsprojects.com/en/stable/", "_inventories/werkzeug.inv"),
    "cryptography": ("https://cryptography.io/en/latest/", "_inventories/cryptography.inv"),
}
intersphinx_timeout = 1

# -- Generated pages --------------------------------------------------------------------

# Tables whose every cell comes from running the library (error messages, matching
# results, CLI output) are written here before the build reads the sources.
generated.write_all(DOCS / "_generated")


# Sphinx 9 leaves an alias un-rendered when it sits inside a subscript within a union
# (``Mapping[str, JSONInput] | None`` shows ``TypeAliasForwardRef('flask_pyjwt.JSONInput')``);
# put the alias name back so it renders and links like the others.
_FORWARD_REF = re.compile(r"TypeAliasForwardRef\('([\w.]+)'\)")


def _fix_alias_refs(
    app: Sphinx,
    what: str,
    name: str,
    obj: object,
    options: object,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str | None, str | None]:
    def fix(text: str | None) -> str | None:
        return None if text is None else _FORWARD_REF.sub(r"\1", text)

    return fix(signature), fix(return_annotation)


# AuthToken and RefreshToken inherit their common fields (sub, iss, exp, claims, ...)
# from a private base class whose docstring lists them; show that list on both.
def _inherit_token_fields(
    app: Sphinx, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    if what == "class" and name in ("flask_pyjwt.AuthToken", "flask_pyjwt.RefreshToken"):
        base = inspect.getdoc(flask_pyjwt.AuthToken.__mro__[1]) or ""  # the shared base
        lines.extend(["", *base[base.index("Attributes:") :].splitlines()])


def setup(app: Sphinx) -> None:
    app.connect("autodoc-process-signature", _fix_alias_refs)
    # Before napoleon (priority 500), which turns the Attributes section into entries.
    app.connect("autodoc-process-docstring", _inherit_token_fields, priority=400)
