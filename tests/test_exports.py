"""The public surface: __all__ is exactly what the package exports, and nothing leaks."""

from __future__ import annotations

import flask_pyjwt


def test_all_matches_public_names() -> None:
    public = {name for name in vars(flask_pyjwt) if not name.startswith("_")}
    assert set(flask_pyjwt.__all__) == public


def test_all_is_sorted_constants_first() -> None:
    names = flask_pyjwt.__all__
    constants = [name for name in names if name.isupper()]
    others = [name for name in names if not name.isupper()]
    assert names == sorted(constants) + sorted(others)


def test_every_exception_derives_from_the_root() -> None:
    for name in flask_pyjwt.__all__:
        value = getattr(flask_pyjwt, name)
        if (
            isinstance(value, type)
            and issubclass(value, Exception)
            and not issubclass(value, Warning)
        ):
            assert issubclass(value, flask_pyjwt.FlaskPyJWTError), name
