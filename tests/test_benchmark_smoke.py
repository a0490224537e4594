"""The benchmark's smoke mode: every scenario runs and yields a number.

No timing is asserted (machines are noisy); this only keeps ``make bench`` from rotting.
It runs ``benchmarks/run.py --smoke`` in a subprocess with this interpreter, so it needs
neither the network nor the peers' virtual environments.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import cast

import pytest

# The benchmark harness in a subprocess.
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
ALGORITHMS = ("HS256", "RS256", "ES256", "EdDSA")
PER_ALGORITHM = (
    "issue",
    "verify",
    "verify_cold",
    "tampered",
    "request",
    "request_cold",
    "open",
    "overhead",
    "overhead_cold",
)


def _object(value: object) -> dict[str, object]:
    assert isinstance(value, dict)
    mapping = cast("dict[object, object]", value)
    return {str(key): item for key, item in mapping.items()}


def _number(entry: object) -> float:
    value = _object(entry)["median_us"]
    assert isinstance(value, (int, float))
    assert not isinstance(value, bool)
    return float(value)


def test_every_benchmark_scenario_runs_and_yields_a_number(tmp_path: Path) -> None:
    output = tmp_path / "smoke.json"
    completed = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--smoke", "--output", str(output)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    document = _object(json.loads(output.read_text()))
    assert document["mode"] == "smoke"
    results = _object(document["results"])
    assert set(results) == {"flask_pyjwt", "pyjwt_each_call", "pyjwt_prepared", "floor"}

    expected: dict[str, set[str]] = {
        "flask_pyjwt": {f"{alg}/{what}" for alg in ALGORITHMS for what in PER_ALGORITHM},
        "pyjwt_each_call": {f"{alg}/{what}" for alg in ALGORITHMS for what in PER_ALGORITHM},
        "pyjwt_prepared": {f"{alg}/{what}" for alg in ALGORITHMS for what in PER_ALGORITHM},
        # HS256 by hand with hmac; RS256 by hand over cryptography (issue 20's floor).
        "floor": {f"{alg}/{what}" for alg in ("HS256", "RS256") for what in PER_ALGORITHM},
    }
    expected["flask_pyjwt"] |= {
        *(f"nocache/HS256/{what}" for what in PER_ALGORITHM if what not in ("issue", "tampered")),
        "scale/keys/1/verify_cold",
        "scale/keys/100/verify_cold",
        *(f"scale/size/{size}/verify_cold" for size in (512, 1024, 2048, 4096, 8192)),
        *(
            f"scale/claims/{n}/{what}"
            for n in (0, 1, 10, 50, 100)
            for what in ("request", "overhead")
        ),
        "scale/claims/open",
        *(
            f"speedups/{name}/{version}"
            for name in ("hmac", "token", "claims", "header")
            for version in ("fast", "plain")
        ),
        *(
            f"revocation/{store}/{what}"
            for store in ("memory", "memory-10k", "redis")
            for what in (
                "verify",
                "request",
                "baseline",
                "overhead",
                "request_cold",
                "baseline_cold",
                "overhead_cold",
            )
        ),
    }
    for implementation, scenarios in expected.items():
        measured = _object(results[implementation])
        assert set(measured) == scenarios, implementation
        for scenario in scenarios:
            value = _number(measured[scenario])
            assert math.isfinite(value), (implementation, scenario)
            if not scenario.endswith(("/overhead", "/overhead_cold")):  # may dip below 0
                assert value > 0, (implementation, scenario)

    targets = document["targets"]
    assert isinstance(targets, list)
    assert targets, "the target checks ran"
    assert "### Targets" in str(document["markdown"])


def test_a_variant_runs_beside_this_library_with_its_own_floor_targets(tmp_path: Path) -> None:
    output = tmp_path / "variant.json"
    completed = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--smoke", "--focus",
         "--only", "flask_pyjwt,floor", "--variant", f"again={REPO}", "--output", str(output)],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    document = _object(json.loads(output.read_text()))
    results = _object(document["results"])
    assert set(results) == {"flask_pyjwt", "flask_pyjwt@again", "floor"}
    assert "RS256/overhead_cold" in _object(results["flask_pyjwt@again"])
    assert "scale/keys/1/verify_cold" not in _object(results["flask_pyjwt"])  # --focus
    # --focus keeps the in-process revocation check, every store back to back.
    ours = _object(results["flask_pyjwt"])
    assert {"revocation/memory/verify", "revocation/redis/verify"} <= set(ours)
    assert "revocation/redis/request" not in ours
    markdown = str(document["markdown"])
    assert "### Floor targets of flask_pyjwt (again)" in markdown
    assert "RS256 cold verify <= 1.2x hand-written RS256 floor (cold)" in markdown
    assert "Revocation check in-process (flask_pyjwt, HS256): verify_token" in markdown
    assert "warm verify_token, Redis store <= 1.2x memory store (empty) (issue 23)" in markdown


def test_the_performance_page_shows_the_committed_results(tmp_path: Path) -> None:
    """docs/performance.rst's generated tables are what the scripts write from the
    committed results files (benchmarks/results/*.json): nothing typed by hand."""
    page = tmp_path / "performance.rst"
    original = (REPO / "docs" / "performance.rst").read_text()
    page.write_text(original)
    results = REPO / "benchmarks" / "results"
    for script, source in (
        ("run.py", "latest.json"),
        ("throughput.py", "throughput.json"),
        ("memory.py", "memory.json"),
    ):
        completed = subprocess.run(
            [sys.executable, str(REPO / "benchmarks" / script), "--from-json",
             str(results / source), "--update-docs", str(page)],
            cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert completed.returncode == 0, completed.stderr
    assert page.read_text() == original
