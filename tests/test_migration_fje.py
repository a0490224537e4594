"""The Flask-JWT-Extended table of docs/migration.rst (issue 21): every one of its 78
options, loaders and functions has exactly one row with a status, and the closing note's
count is the table's."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"

# Flask-JWT-Extended 4.7.1: the keys config.py reads, JWTManager's loaders, and
# flask_jwt_extended.__all__-equivalent (the names __init__.py re-exports).
FJE_OPTIONS = frozenset(
    [
        "JWT_ACCESS_COOKIE_NAME",
        "JWT_ACCESS_COOKIE_PATH",
        "JWT_ACCESS_CSRF_COOKIE_NAME",
        "JWT_ACCESS_CSRF_COOKIE_PATH",
        "JWT_ACCESS_CSRF_FIELD_NAME",
        "JWT_ACCESS_CSRF_HEADER_NAME",
        "JWT_ACCESS_TOKEN_EXPIRES",
        "JWT_ALGORITHM",
        "JWT_COOKIE_CSRF_PROTECT",
        "JWT_COOKIE_DOMAIN",
        "JWT_COOKIE_SAMESITE",
        "JWT_COOKIE_SECURE",
        "JWT_CSRF_CHECK_FORM",
        "JWT_CSRF_IN_COOKIES",
        "JWT_CSRF_METHODS",
        "JWT_DECODE_ALGORITHMS",
        "JWT_DECODE_AUDIENCE",
        "JWT_DECODE_ISSUER",
        "JWT_DECODE_LEEWAY",
        "JWT_ENCODE_AUDIENCE",
        "JWT_ENCODE_ISSUER",
        "JWT_ENCODE_NBF",
        "JWT_ERROR_MESSAGE_KEY",
        "JWT_HEADER_NAME",
        "JWT_HEADER_TYPE",
        "JWT_IDENTITY_CLAIM",
        "JWT_JSON_KEY",
        "JWT_PRIVATE_KEY",
        "JWT_PUBLIC_KEY",
        "JWT_QUERY_STRING_NAME",
        "JWT_QUERY_STRING_VALUE_PREFIX",
        "JWT_REFRESH_COOKIE_NAME",
        "JWT_REFRESH_COOKIE_PATH",
        "JWT_REFRESH_CSRF_COOKIE_NAME",
        "JWT_REFRESH_CSRF_COOKIE_PATH",
        "JWT_REFRESH_CSRF_FIELD_NAME",
        "JWT_REFRESH_CSRF_HEADER_NAME",
        "JWT_REFRESH_JSON_KEY",
        "JWT_REFRESH_TOKEN_EXPIRES",
        "JWT_SECRET_KEY",
        "JWT_SESSION_COOKIE",
        "JWT_TOKEN_LOCATION",
        "JWT_VERIFY_SUB",
    ]
)
FJE_LOADERS = frozenset(
    [
        "additional_claims_loader",
        "additional_headers_loader",
        "decode_key_loader",
        "encode_key_loader",
        "expired_token_loader",
        "invalid_token_loader",
        "needs_fresh_token_loader",
        "revoked_token_loader",
        "token_in_blocklist_loader",
        "token_verification_failed_loader",
        "token_verification_loader",
        "unauthorized_loader",
        "user_identity_loader",
        "user_lookup_error_loader",
        "user_lookup_loader",
    ]
)
FJE_FUNCTIONS = frozenset(
    [
        "JWTManager",
        "create_access_token",
        "create_refresh_token",
        "current_user",
        "decode_token",
        "get_csrf_token",
        "get_current_user",
        "get_jti",
        "get_jwt",
        "get_jwt_header",
        "get_jwt_identity",
        "get_jwt_request_location",
        "get_unverified_jwt_headers",
        "set_access_cookies",
        "set_refresh_cookies",
        "unset_access_cookies",
        "unset_jwt_cookies",
        "unset_refresh_cookies",
        "jwt_required",
        "verify_jwt_in_request",
    ]
)
FJE_NAMES = FJE_OPTIONS | FJE_LOADERS | FJE_FUNCTIONS

_SECTION = re.compile(r"\nFrom Flask-JWT-Extended\n-+\n(.*?)\nFlask-JWT-Extended's basic", re.S)
_CELLS = re.compile(r"^(.*?)\n     - (.*?)\n     - (yes|partial|no|—)\s*$", re.S)
_LITERAL = re.compile(r"``([^`]*)``")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _rows() -> list[tuple[frozenset[str], str]]:
    page = (DOCS / "migration.rst").read_text(encoding="utf-8")
    found = _SECTION.search(page)
    assert found is not None
    table = found.group(1).split(".. list-table::", 1)[1].split("\n\n", 2)[1]
    header, *rows = table.split("   * - ")[1:]
    assert header.split() == ["Flask-JWT-Extended", "-", "flask_pyjwt", "-", "Status"]
    result: list[tuple[frozenset[str], str]] = []
    for row in rows:
        cells = _CELLS.match(row)
        assert cells is not None, f"a row without its three cells: {row[:60]!r}"
        first, _, status = cells.groups()
        names = {name for literal in _LITERAL.findall(first) for name in _NAME.findall(literal)}
        result.append((frozenset(names & FJE_NAMES), status))
    return result


def recount() -> Counter[str]:
    """Each of the 78 names' status, from the one counted row that names it."""
    status_of: dict[str, str] = {}
    for names, status in _rows():
        if status == "—":
            continue
        for name in names:
            assert name not in status_of, f"{name} has two counted rows"
            status_of[name] = status
    assert set(status_of) == FJE_NAMES, sorted(FJE_NAMES - set(status_of))
    return Counter(status_of.values())


def test_the_78_names_are_flask_jwt_extendeds() -> None:
    assert (len(FJE_OPTIONS), len(FJE_LOADERS), len(FJE_FUNCTIONS)) == (43, 15, 20)


def test_every_name_has_one_counted_row_and_the_note_states_the_count() -> None:
    counts = recount()
    assert sum(counts.values()) == 78
    page = " ".join((DOCS / "migration.rst").read_text(encoding="utf-8").split())
    note = f"Of the 78: **{counts['yes']} yes, {counts['partial']} partial, {counts['no']} no**"
    assert note in page


def test_a_row_without_a_status_does_not_parse() -> None:
    assert _CELLS.match("``JWT_X``\n     - something\n") is None
    assert _CELLS.match("``JWT_X``\n     - something\n     - yes\n") is not None
