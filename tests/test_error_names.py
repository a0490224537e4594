"""The naming rule for exceptions and warnings (CONTRIBUTING.md, "Naming errors").

A class that defines its own ``code`` is named ``PascalCase(code) + "Error"``: its code
is the snake case of its name without ``Error``. A subclass without its own code
inherits its parent's. Every exception name ends in ``Error`` except the three HTTP
answers, which are named by status as Werkzeug names them; every warning ends in
``Warning`` and derives from ``FlaskPyJWTWarning``; no two classes share a code; every
class of the tree is in ``flask_pyjwt.errors`` under its own name.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from typing import get_args

import pytest
from werkzeug.exceptions import HTTPException

import flask_pyjwt
import flask_pyjwt.errors
from flask_pyjwt._core.errors import InvalidTokenCode, UnavailableCode
from flask_pyjwt.errors import (
    FlaskPyJWTError,
    FlaskPyJWTWarning,
    InvalidTokenError,
    TokenRevokedError,
    UnavailableError,
)
from scripts.rename_errors import renamed, targets

HTTP_ANSWERS = frozenset({"AuthenticationFailed", "PermissionDenied", "TemporarilyUnavailable"})


def _exported() -> dict[str, type[BaseException]]:
    classes: dict[str, type[BaseException]] = {}
    for name in flask_pyjwt.errors.__all__:
        value: object = getattr(flask_pyjwt.errors, name)
        if isinstance(value, type) and issubclass(value, BaseException):
            classes[name] = value
    return classes


EXPORTED = _exported()
EXCEPTIONS = {
    name: cls
    for name, cls in EXPORTED.items()
    if issubclass(cls, Exception) and not issubclass(cls, Warning)
}
WARNINGS = {name: cls for name, cls in EXPORTED.items() if issubclass(cls, Warning)}
# Werkzeug's HTTPException has a `code` of its own: the HTTP status, not a reason.
CODED = {
    name: cls
    for name, cls in EXCEPTIONS.items()
    if "code" in vars(cls) and not issubclass(cls, HTTPException)
}


def _pascal(code: str) -> str:
    return "".join(word.capitalize() for word in code.split("_"))


def _own_code(cls: type[BaseException]) -> str:
    code: object = vars(cls)["code"]
    assert isinstance(code, str)
    return code


def _subclasses(root: type[BaseException]) -> Iterator[type[BaseException]]:
    for sub in root.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _package_modules() -> Iterator[str]:
    for info in pkgutil.walk_packages(flask_pyjwt.__path__, "flask_pyjwt."):
        yield info.name


def test_the_tree_has_codes_to_check() -> None:
    assert len(CODED) >= 12
    assert len(WARNINGS) >= 3


@pytest.mark.parametrize("name", sorted(CODED))
def test_a_class_with_its_own_code_is_named_after_it(name: str) -> None:
    assert name == _pascal(_own_code(CODED[name])) + "Error"


def test_no_two_classes_share_a_code() -> None:
    codes = [_own_code(cls) for cls in CODED.values()]
    assert sorted(codes) == sorted(set(codes))


def test_every_token_and_unavailable_code_has_its_class() -> None:
    by_code = {_own_code(cls): cls for cls in CODED.values()}
    for code in get_args(InvalidTokenCode):
        assert issubclass(by_code[code], InvalidTokenError)
    for code in get_args(UnavailableCode):
        assert issubclass(by_code[code], UnavailableError)


@pytest.mark.parametrize("base", [InvalidTokenError, UnavailableError])
def test_the_two_bases_are_abstract(base: type[InvalidTokenError | UnavailableError]) -> None:
    # No code of their own: a direct instance would answer with no code at all.
    assert "code" not in vars(base)
    with pytest.raises(TypeError, match="raise one of its subclasses"):
        base("m")


def test_a_subclass_without_a_code_inherits_its_parents() -> None:
    uncoded = {
        name
        for name, cls in EXCEPTIONS.items()
        if issubclass(cls, InvalidTokenError | UnavailableError) and name not in CODED
    }
    assert uncoded == {"InvalidTokenError", "UnavailableError", "ClaimsShapeError"}
    assert flask_pyjwt.errors.ClaimsShapeError.code == "claim_invalid"
    assert flask_pyjwt.errors.RefreshTokenReusedError.code != TokenRevokedError.code


@pytest.mark.parametrize("name", sorted(EXCEPTIONS))
def test_every_exception_ends_in_error_but_the_http_answers(name: str) -> None:
    cls = EXCEPTIONS[name]
    assert issubclass(cls, FlaskPyJWTError)
    if name in HTTP_ANSWERS:
        assert issubclass(cls, HTTPException)
    else:
        assert name.endswith("Error")


@pytest.mark.parametrize("name", sorted(WARNINGS))
def test_every_warning_ends_in_warning_under_one_base(name: str) -> None:
    assert name.endswith("Warning")
    assert issubclass(WARNINGS[name], FlaskPyJWTWarning)


def test_every_class_of_the_tree_is_exported_under_its_own_name() -> None:
    modules = [importlib.import_module(name) for name in _package_modules()]
    tree = {*_subclasses(FlaskPyJWTError), *_subclasses(FlaskPyJWTWarning)}
    assert {cls for cls in tree if cls.__module__.startswith("flask_pyjwt")} <= {*EXPORTED.values()}
    # No module binds a class of the tree under another name (an alias such as the
    # alias the core once had for InvalidKeyError, under a private name).
    for module in modules:
        for name, value in vars(module).items():
            if isinstance(value, type) and value in tree:
                assert name == value.__name__, f"{module.__name__}.{name}"


def test_no_old_name_is_left_outside_the_rename_tables() -> None:
    root = Path(__file__).resolve().parent.parent
    texts = {path: path.read_text(encoding="utf-8") for path in targets(root)}
    assert [path for path, text in texts.items() if renamed(text) != text] == []


# rename-map: begin (the old names below are the script's input)
def test_the_rename_script_spares_pyjwt_and_the_rename_tables() -> None:
    begin, end = ".. rename-map" + ": begin\n", ".. rename-map" + ": end\n"
    text = (
        "except jwt.InvalidSignatureError, jwt.exceptions.InvalidSignatureError:\n"
        "    raise InvalidSignatureError(flask_pyjwt.errors.ExpiredTokenError)\n"
        f"{begin}ExpiredTokenError\n{end}"
        "ImmatureTokenErrors KeyMaterialError\n"
    )
    assert renamed(text) == (
        "except jwt.InvalidSignatureError, jwt.exceptions.InvalidSignatureError:\n"
        "    raise SignatureInvalidError(flask_pyjwt.errors.TokenExpiredError)\n"
        f"{begin}ExpiredTokenError\n{end}"
        "ImmatureTokenErrors InvalidKeyError\n"
    )
    assert renamed(renamed(text)) == renamed(text)


# rename-map: end
