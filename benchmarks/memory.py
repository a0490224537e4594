"""Memory of the verified-token cache: RSS after 1,000,000 distinct valid tokens.

Usage (from the repository root; ``make memory``)::

    python3 benchmarks/memory.py               # 1,000,000 tokens, about a minute
    python3 benchmarks/memory.py --tokens 20000

Runs in the ``self`` benchmark environment (built by ``run.py`` on first use), one
process standing for one worker of an app with the default ``JWT_VERIFY_CACHE_SIZE``
(2048). It issues 1,000,000 distinct auth tokens and verifies each twice in a row
(``AuthManager.convert_token``, the cache's own path): the second verification admits
it, so the cache is full from the 2048th token on and evicts one entry per token after
that; no token is kept anywhere else. It reports the process's RSS (``VmRSS``) once the
cache is first full and at the end, and, measured with :mod:`tracemalloc` on separate
apps, what one entry costs: for a token like the demo app's, and for the worst entry the
cache accepts (a token of the longest cached length, 2048 characters, whose claims are
as many small JSON objects as fit). The documented bound is the cache size times the
worst entry.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SECRET = "memory-hmac-secret-" + "m" * 45


def rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def make_app(size: int | None = None) -> tuple[Any, Any]:
    from flask import Flask

    from flask_pyjwt import AuthManager

    app = Flask("memory")
    app.config.update(JWT_ISSUER="flask-pyjwt-demo", JWT_AUTHTYPE="HS256", JWT_SECRET=SECRET)
    if size is not None:
        app.config["JWT_VERIFY_CACHE_SIZE"] = size
    return app, AuthManager(app)


def demo_token(manager: Any) -> str:
    # What the demo app issues at login: scopes, an admin claim, a session.
    return manager.auth_token(
        "alice", "profile reports:read admin", admin=True, session="s" * 22
    ).signed


def worst_token(manager: Any) -> str:
    """The longest token the cache keeps, made of as many empty JSON objects as fit
    (each ``{},`` costs 4 base64url characters and a whole dict object once parsed)."""
    from flask_pyjwt._core.verify_cache import MAX_CACHED_TOKEN_LENGTH

    count = 400
    while True:
        token = manager.auth_token("alice", filler=[{}] * count).signed
        if len(token) > MAX_CACHED_TOKEN_LENGTH:
            return manager.auth_token("alice", filler=[{}] * (count - 1)).signed
        count += 1


def entry_bytes(make: str, entries: int = 512) -> tuple[float, int]:
    """Bytes per cache entry (tracemalloc), for ``entries`` tokens made by ``make``."""
    app, manager = make_app(entries)
    with app.app_context():
        maker = demo_token if make == "demo" else worst_token
        tokens = [maker(manager) for _ in range(entries)]
        for token in tokens[:2]:  # warm every lazily built structure first
            manager.convert_token(token)
            manager.convert_token(token)
        tracemalloc.start()
        before = tracemalloc.take_snapshot()
        for token in tokens[2:]:
            manager.convert_token(token)
            manager.convert_token(token)
        after = tracemalloc.take_snapshot()
        tracemalloc.stop()
        cache = app.extensions["flask_pyjwt"].codec.cache
        assert len(cache) == entries
        grown = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
        # The tokens list holds the strings too, and they are part of each entry: the
        # strings were allocated before the first snapshot, so add them back.
        strings = sum(sys.getsizeof(token) for token in tokens[2:])
        return (grown + strings) / (entries - 2), len(tokens[0])


def update_docs(page: Path, report: dict[str, Any]) -> None:
    sys.path.insert(0, str(HERE))
    import run

    mb = 2**20
    rows = [
        ["RSS before the first token", f"{report['rss_before_mb']:.1f} MB"],
        [
            f"RSS once the cache first held {report['cache_size']:,} entries",
            f"{report['rss_cache_full_mb']:.1f} MB",
        ],
        [
            f"RSS after {report['tokens']:,} tokens ({report['verifications']:,} verifications)",
            f"{report['rss_end_mb']:.1f} MB "
            f"(+{report['growth_after_full_mb'] * mb / 1024:.0f} KB since full)",
        ],
        [
            f"one entry, a demo-app token ({report['demo_token_chars']} characters)",
            f"{report['demo_entry_bytes'] / 1024:.1f} KB "
            f"(x {report['cache_size']:,} = {report['bound_demo_mb']:.1f} MB)",
        ],
        [
            f"one entry, the worst token kept ({report['worst_token_chars']:,} characters "
            "of empty JSON objects)",
            f"{report['worst_entry_bytes'] / 1024:.1f} KB "
            f"(x {report['cache_size']:,} = {report['bound_worst_mb']:.1f} MB)",
        ],
    ]
    if "filter_worst_mb" in report:
        rows.append(
            [
                "the admission filter, at most",
                f"{report['filter_worst_mb']:.1f} MB (2 x {report['cache_size']:,} token "
                f"strings of {report['worst_token_chars']:,} characters)",
            ]
        )
    table = run.rst_table(
        f"Memory: one process, default cache, {report['tokens']:,} distinct tokens "
        f"({report['seconds']:.0f} s)",
        ["measured", "value"],
        rows,
    )
    run.update_generated(page, {"memory": table})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tokens", type=int, default=1_000_000)
    parser.add_argument("--output", type=Path, default=HERE / "results" / "memory.json")
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--update-docs", type=Path, default=None, help="rewrite the generated block of this page"
    )
    parser.add_argument("--from-json", type=Path, default=None, help="re-render a results file")
    args = parser.parse_args(argv)
    if args.from_json is not None:
        report = json.loads(args.from_json.read_text())
        if args.update_docs is not None:
            update_docs(args.update_docs, report)
        return 0
    if not args.in_process:  # re-run in the benchmark environment, where Flask is
        sys.path.insert(0, str(HERE))
        import run

        python = run.ensure_environment("self", sys.executable)
        command = [str(python), __file__, "--in-process", "--tokens", str(args.tokens)]
        code = subprocess.call([*command, "--output", str(args.output)])  # noqa: S603
        if code == 0 and args.update_docs is not None:
            update_docs(args.update_docs, json.loads(args.output.read_text()))
        return code

    demo_entry, demo_length = entry_bytes("demo")
    worst_entry, worst_length = entry_bytes("worst", 128)
    app, manager = make_app()
    started = time.monotonic()
    with app.app_context():
        cache = app.extensions["flask_pyjwt"].codec.cache
        size = cache.size
        baseline = rss_bytes()
        full_at = None
        for _ in range(args.tokens):
            token = demo_token(manager)
            manager.convert_token(token)
            manager.convert_token(token)
            if full_at is None and len(cache) == size:
                full_at = rss_bytes()
        end = rss_bytes()
        assert len(cache) == min(size, args.tokens)
    report = {
        "tokens": args.tokens,
        "verifications": 2 * args.tokens,
        "cache_size": size,
        "seconds": round(time.monotonic() - started, 1),
        "rss_before_mb": baseline / 2**20,
        "rss_cache_full_mb": (full_at or end) / 2**20,
        "rss_end_mb": end / 2**20,
        "growth_after_full_mb": (end - (full_at or end)) / 2**20,
        "demo_token_chars": demo_length,
        "demo_entry_bytes": demo_entry,
        "worst_token_chars": worst_length,
        "worst_entry_bytes": worst_entry,
        "bound_demo_mb": size * demo_entry / 2**20,
        "bound_worst_mb": size * worst_entry / 2**20,
        # The admission filter: at most 2 x size token strings of the longest cached length.
        "filter_worst_mb": 2 * size * sys.getsizeof("x" * worst_length) / 2**20,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=1) + "\n")
    for key, value in report.items():
        print(f"{key:24s} {value:,.1f}" if isinstance(value, float) else f"{key:24s} {value:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
