"""require_token's options, declared once in ``RequireOptions`` (issue 20, item 4): an app's
own decorator or guard forwards them with ``Unpack`` and keeps the exact types, and a
wrong value is refused wherever it is written, by both checkers."""

from __future__ import annotations

from collections.abc import Callable

from typing_extensions import ParamSpec, TypeVar, Unpack, assert_type

from flask_pyjwt import (
    AuthToken,
    Exact,
    RefreshToken,
    Token,
    TokenType,
    require_token,
    verify_request,
)
from flask_pyjwt._core.requirements import RequireOptions

P = ParamSpec("P")
R = TypeVar("R")


def staff_only(**options: Unpack[RequireOptions]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """An app's own decorator: require_token with a fixed location, the rest passed on."""
    return require_token("auth", "header", staff=True, **options)


def guard(**options: Unpack[RequireOptions]) -> AuthToken:
    """An app's own before_request check, passing the options on."""
    return verify_request(**options)


@staff_only(scope="admin", fresh=True, claims={"team": Exact("ops")})
def report(year: int) -> str:
    return str(year)


def plain(year: int) -> str:
    return str(year)


def forwarding(options: RequireOptions, kind: TokenType, flag: bool) -> None:
    assert_type(report(2026), str)
    assert_type(guard(fresh=True, check_revocation=False), AuthToken)
    assert_type(require_token(**options)(plain)(2026), str)
    assert_type(verify_request(**options), AuthToken)
    assert_type(verify_request("refresh", **options), RefreshToken)
    assert_type(verify_request(optional=True, **options), AuthToken | None)
    assert_type(verify_request("refresh", "cookies", optional=True, **options), RefreshToken | None)
    assert_type(verify_request(kind, optional=flag, **options), Token | None)
    literal: RequireOptions = {"cookie_name": "auth", "fresh": False, "scope": ["read", "write"]}
    more: RequireOptions = {"override": {"admin": True}, "claims": {"sub": Exact("alice")}}
    require_token("auth", "cookies", **literal)
    require_token(**more)


def misuse(options: RequireOptions) -> None:
    require_token(fresh="yes")  # type: ignore[arg-type]
    verify_request(fresh="yes")  # type: ignore[call-overload]
    guard(fresh="yes")  # type: ignore[arg-type]
    staff_only(check_revocation="no")  # type: ignore[arg-type]
    guard(scopes="admin")  # type: ignore[call-arg]
    wrong: RequireOptions = {"fresh": "yes"}  # type: ignore[typeddict-item]
    unknown: RequireOptions = {"scopes": "read"}  # type: ignore[typeddict-unknown-key]
    require_token(fresh=True, **options)  # type: ignore[misc]
    del wrong, unknown
