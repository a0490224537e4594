"""Write the docs' generated include files (called by ``docs/conf.py``).

Each file holds a table or transcript computed by running the library, so the docs
state what the code does, not what someone remembered it doing.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from flask_pyjwt._settings.catalogue import CONFIG_KEYS

from . import cli_session, config_errors, errors, matching, telemetry_demo


def _literal(text: str) -> str:
    return "``" + text.replace("``", "`\u200b`") + "``"


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]], widths: str) -> str:
    lines = [".. list-table::", "   :header-rows: 1", f"   :widths: {widths}", ""]
    for row in [header, *rows]:
        for index, cell in enumerate(row):
            bullet = "   * - " if index == 0 else "     - "
            lines.append(bullet + cell)
    return "\n".join(lines) + "\n"


def config_error_table(key: str) -> str:
    rows: list[tuple[str, ...]] = []
    for case in config_errors.CASES:
        if case.key != key:
            continue
        raised, message = config_errors.outcome(case)
        if raised is None:
            raise AssertionError(f"{case} raised nothing")
        cell = f":class:`~flask_pyjwt.errors.{raised.__name__}`: {_literal(message)}"
        if case.note:
            cell += f" ({case.note})"
        rows.append((case.shown, cell))
    if not rows:
        return ""
    return _table(("Value", "What ``init_app`` raises"), rows, "30 70")


def matching_table() -> str:
    rows: list[tuple[str, ...]] = []
    for case in matching.CASES:
        status = matching.status_of(case)
        result = "✅ 200" if status == 200 else f"⛔ {status}"
        rows.append((_literal(case.requirement), case.token, result, case.why))
    return _table(("``require_token(...)``", "Token", "Result", "Rule"), rows, "28 30 8 34")


def cli_transcripts() -> dict[str, str]:
    pages: dict[str, str] = {}
    for name, steps in cli_session.session().items():
        body = "\n".join(f"{step.command}\n{step.output}" for step in steps)
        pages[name] = ".. code-block:: console\n\n" + textwrap.indent(body, "   ") + "\n"
    return pages


def error_responses() -> str:
    app = errors.create_app(custom_handlers=False)
    client = app.test_client()
    requests: list[tuple[str, str | None]] = [
        ("no token", None),
        ("an expired token", errors.issue(app, scope={"admin": True}, age=7200)),
        ("a valid token without the admin scope", errors.issue(app, scope={"admin": False})),
    ]
    blocks: list[str] = []
    for what, token in requests:
        headers = {} if token is None else {"Authorization": f"Bearer {token}"}
        response = client.get("/admin", headers=headers)
        shown_headers = "".join(
            f"{name}: {response.headers[name]}\n"
            for name in ("Content-Type", "WWW-Authenticate", "Cache-Control")
        )
        auth_line = "" if token is None else "Authorization: Bearer eyJhbGciOi...\n"
        text = (
            f"GET /admin HTTP/1.1\n{auth_line}\n"
            f"HTTP/1.1 {response.status}\n{shown_headers}\n"
            f"{response.get_data(as_text=True)}\n"
        )
        blocks.append(f"With {what}:\n\n.. code-block:: text\n\n" + textwrap.indent(text, "   "))
    return "\n".join(blocks)


def demo_metrics_table() -> str:
    rows: list[tuple[str, ...]] = [
        (_literal(name), _literal(attributes) if attributes else "", value)
        for name, attributes, value in telemetry_demo.demo_metrics()
    ]
    return _table(("Metric", "Attributes", "Value"), rows, "30 55 15")


def write_all(directory: Path) -> None:
    directory.mkdir(exist_ok=True)
    files: dict[str, str] = {
        "matching-table.rst": matching_table(),
        "error-responses.rst": error_responses(),
        "demo-metrics.rst": demo_metrics_table(),
    }
    for key in CONFIG_KEYS:
        files[f"config-errors-{key}.rst"] = config_error_table(key)
    for name, text in cli_transcripts().items():
        files[f"cli-{name}.rst"] = text
    for name, text in files.items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
