"""Draw the request-overhead chart from a results file: ``python chart.py RESULTS.json OUT.png``;
with ``--throughput THROUGHPUT.json OUT.png``, the throughput chart.

Runs in the benchmark's own environment (matplotlib is installed only there).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # (after choosing the backend)

ALGORITHMS = ("HS256", "RS256", "ES256", "EdDSA")
ORDER = (
    "floor",
    "flask_pyjwt",
    "pyjwt_prepared",
    "pyjwt_each_call",
    "flask_pyjwt_1_0_0",
    "flask_jwt_extended",
)
COLOURS = {
    "floor": "#9e9e9e",
    "flask_pyjwt": "#1f77b4",
    "pyjwt_prepared": "#2ca02c",
    "pyjwt_each_call": "#98df8a",
    "flask_pyjwt_1_0_0": "#ff7f0e",
    "flask_jwt_extended": "#d62728",
}


def throughput(source: Path, out: Path) -> None:
    """Requests per second per configuration: open route, warm and cold token."""
    document = json.loads(source.read_text())
    results = document["results"]
    names = list(results)
    modes = (("open", "GET /open", "#9e9e9e"), ("warm", "GET /me, warm token", "#1f77b4"),
             ("cold", "GET /me, cold token", "#ff7f0e"))  # fmt: skip
    figure, axes = plt.subplots(figsize=(11, 5.5), dpi=110)
    width = 0.8 / len(modes)
    for index, (mode, label, colour) in enumerate(modes):
        xs = [position - 0.4 + width * (index + 0.5) for position in range(len(names))]
        ys = [results[name][mode]["rps"] for name in names]
        bars = axes.bar(xs, ys, width, label=label, color=colour)
        axes.bar_label(bars, fmt="%.0f", fontsize=7, padding=2)
    axes.set_xticks(
        range(len(names)),
        [results[name]["label"].replace(", ", "\n", 1) for name in names],
        fontsize=7,
    )
    axes.set_ylabel("requests per second (wrk, median of one run)")
    machine = document["machine"]
    axes.set_title(
        f"Throughput: gunicorn, {document['gunicorn_workers']} sync workers, "
        f"wrk {document['connections']} connections on loopback, "
        f"{document['seconds_per_run']:g} s per run\n"
        f"{machine['cpus']} CPUs, {machine['cpu_model']}, Python {machine['python']}",
        fontsize=10,
    )
    axes.legend(fontsize=8, loc="upper right")
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    figure.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out)


def main() -> None:
    if sys.argv[1] == "--throughput":
        throughput(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    document = json.loads(Path(sys.argv[1]).read_text())
    results = document["results"]
    labels = {name: info["label"] for name, info in document["implementations"].items()}
    present = [name for name in ORDER if name in results]
    width = 0.8 / len(present)
    figure, axes = plt.subplots(figsize=(10, 5), dpi=110)
    for index, name in enumerate(present):
        xs, ys = [], []
        for position, algorithm in enumerate(ALGORITHMS):
            entry = results[name].get(f"{algorithm}/overhead")
            if entry is not None:
                xs.append(position - 0.4 + width * (index + 0.5))
                ys.append(entry["median_us"])
        bars = axes.bar(xs, ys, width, label=labels[name], color=COLOURS.get(name))
        axes.bar_label(bars, fmt="%.0f", fontsize=7, padding=2)
    axes.set_xticks(range(len(ALGORITHMS)), ALGORITHMS)
    axes.set_ylabel("µs per request (protected route - open route, median)")
    machine = document["machine"]
    axes.set_title(
        "Request overhead of token checking, Flask test client\n"
        f"{machine['cpus']} CPUs, {machine['cpu_model']}, Python {machine['python']}",
        fontsize=10,
    )
    axes.legend(fontsize=8, loc="upper left")
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    figure.tight_layout()
    out = Path(sys.argv[2])
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out)


if __name__ == "__main__":
    main()
