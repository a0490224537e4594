"""Typing tests: checked by mypy --strict and pyright strict (``make typecheck``), never run.

Each ``check_*.py`` file states what the public API's types are with ``assert_type``, and
holds lines that must *not* type-check, each with ``# type: ignore[<mypy code>]``. An ignore
that is no longer needed is an error for both checkers (mypy ``warn_unused_ignores`` via
``strict``; pyright ``reportUnnecessaryTypeIgnoreComment``), so a misuse that starts to
type-check fails the run. pytest never collects these files (they are not ``test_*.py``).
"""
