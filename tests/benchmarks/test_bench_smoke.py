"""`make bench` end to end at a tiny scale: every runner once, and the three agree.

Runs ``python -m benchmarks.run --scale tiny`` in a subprocess (the repository root is not
on the test's import path, and the CLI is what `make bench` runs). Before timing anything
the runner compares socialscope, hand-written SQL and pandas (the service runner: socialscope
and its hand-written SQL oracle) and exits with code 2 on any difference, so a zero exit code
plus the recorded checks mean the implementations agreed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
