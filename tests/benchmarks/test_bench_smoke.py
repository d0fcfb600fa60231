"""`make bench` end to end at a tiny scale: every runner once, and the three agree.

Runs ``python -m benchmarks.run --scale tiny`` in a subprocess (the repository root is not
on the test's import path, and the CLI is what `make bench` runs). Before timing anything
the runner compares socialscope, hand-written SQL and pandas (the service runner: socialscope
and its hand-written SQL oracle) and exits with code 2 on any difference, so a zero exit code
plus the recorded checks mean the implementations agreed.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def test_bench_tiny_end_to_end(tmp_path: Path) -> None:
    results_dir = tmp_path / "results"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.run",
            "--scale",
            "tiny",
            "--runs",
            "1",
            "--only",
            "import,overview_all,overview_one,service",
            "--data-root",
            str(tmp_path / "data"),
            "--results-dir",
            str(results_dir),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    (out,) = results_dir.glob("*.json")
    results = json.loads(out.read_text())
    bench = results["benchmarks"]
    assert set(bench) == {"import", "overview_all", "overview_one", "service"}

    imp = bench["import"]
    assert imp["rows"] == results["data"]["rows"]["messages_import"] > 0
    for timing in imp["timings"].values():
        assert timing["n"] == 1
        assert timing["median_s"] >= 0

    overview_all = bench["overview_all"]
    assert overview_all["check"]["equal"] is True
    assert overview_all["check"]["rows_compared"] > 0
    assert set(overview_all["timings"]) == {"socialscope", "socialscope_sparse", "sql", "pandas"}

    shops = bench["overview_one"]["shops"]
    assert set(shops) == {"small", "median", "largest"}
    for shop in shops.values():
        assert shop["check"]["equal"] is True
        assert shop["check"]["rows_compared"] > 0

    svc = bench["service"]
    assert svc["all_shops"]["check"]["equal"] is True
    covered = svc["all_shops"]["check"]
    assert covered["rows_compared"] > 0
    assert 0 < covered["good_conversations"] < covered["eligible_conversations"]
    assert covered["rows_with_first_response"] > 0
    assert set(svc["all_shops"]["timings"]) == {"socialscope", "sql"}
    data = svc["data_coverage"]  # rounds in and out of service hours, replies around 180 s
    assert data["in_service_hours"] > 0 and data["out_of_service_hours"] > 0
    assert data["replied_at_180s"] > 0 and data["replied_at_181s"] > 0
    assert set(svc["one_shop"]["shops"]) == {"small", "median", "largest"}
    for shop in svc["one_shop"]["shops"].values():
        assert shop["check"]["equal"] is True
        assert shop["check"]["rows_compared"] > 0
        assert shop["timings"]["socialscope"]["n"] == 1
    assert all("met" in t for b in bench.values() for t in b["targets"])


def _run_tiny(tmp_path: Path, only: str) -> dict[str, Any]:
    results_dir = tmp_path / "results"
    proc = subprocess.run(
        [
            sys.executable, "-m", "benchmarks.run", "--scale", "tiny", "--runs", "1",
            "--only", only, "--data-root", str(tmp_path / "data"),
            "--results-dir", str(results_dir),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    (out,) = results_dir.glob("*.json")
    results: dict[str, Any] = json.loads(out.read_text())
    return results


def test_bench_tiny_funnel_and_attribution(tmp_path: Path) -> None:
    """run_funnel agrees with the hand-written SQL for every shop; attribution agrees with
    each reference library that is installed (the bench extra), and says why one was
    skipped when it is not (make test does not install them)."""
    bench = _run_tiny(tmp_path, "funnel,attribution")["benchmarks"]
    assert set(bench) == {"funnel", "attribution"}

    fun = bench["funnel"]
    assert fun["check"]["equal"] is True
    assert fun["check"]["shops_compared"] == fun["shops"] == 4
    totals = fun["check"]["step_totals"]
    # the generated visitors drop off at every step, and some buy
    assert len(totals) == 6
    assert all(a > b for a, b in itertools.pairwise(totals)) and totals[-1] > 0
    assert int(fun["data"]["touchpoints"]) > 15_000
    for scope in ("all_shops", "largest_shop"):
        assert set(fun["timings"][scope]) == {"socialscope", "sql"}
        assert fun["timings"][scope]["socialscope"]["n"] == 1

    att = bench["attribution"]
    assert att["data"]["journeys"] == 5_000
    assert 0.03 <= att["data"]["conversions"] / att["data"]["journeys"] <= 0.05
    assert att["timings"]["socialscope"]["all_models"]["n"] == 1
    for dist, module in (
        ("ChannelAttribution", "ChannelAttribution"),
        ("marketing_attribution_models", "mam"),
    ):
        if importlib.util.find_spec(module) is None:
            assert "not installed" in att["skipped"][dist]
            assert dist not in att["timings"]
            continue
        checks = att["checks"][dist]
        assert checks and all(c["max_abs_diff"] <= c["tolerance"] for c in checks.values())
        assert dist in att["comparisons"]
    if importlib.util.find_spec("ChannelAttribution") is not None:
        assert {"first_touch.value", "markov_o3.conversions"} <= set(
            att["checks"]["ChannelAttribution"]
        )
    if importlib.util.find_spec("mam") is not None:
        assert {"shapley.value", "time_decay.value", "markov_o1.removal_effect_share"} <= set(
            att["checks"]["marketing_attribution_models"]
        )
    assert all("met" in t for b in bench.values() for t in b["targets"])


def test_generator_is_deterministic(tmp_path: Path) -> None:
    """Same parameters, same bytes of data: hashes, not random(), drive every choice."""
    code = (
        "import sys, hashlib; from pathlib import Path; "
        "from benchmarks.generate import SCALES, generate; "
        "d = generate(SCALES['tiny'], Path(sys.argv[1]), force=True); "
        "import duckdb; "
        "print(duckdb.sql(f\"SELECT md5(string_agg(event_id || ts || sender, ',' ORDER BY "
        "event_id)) FROM read_csv('{d}/messages_import.csv')\").fetchone()[0])"
    )
    digests = [
        subprocess.run(
            [sys.executable, "-c", code, str(tmp_path / f"d{i}")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.strip()
        for i in range(2)
    ]
    assert digests[0] == digests[1] != ""
