"""`make bench`: socialscope against hand-written DuckDB SQL and pandas, on generated data.

    python -m benchmarks.run [--scale full|small|tiny]
        [--only import,overview_all,overview_one,service,webhooks,funnel,attribution,products,
                peers,engines]

Benchmarks (see benchmarks/README.md):

* ``import`` — the messages CSV through socialscope's importer (validation on) against
  DuckDB's own ``INSERT INTO t SELECT * FROM read_csv(...)`` into a fresh table;
* ``overview_all`` — the whole overview for all shops by day;
* ``overview_one`` — the overview of one shop over 30 days (small, median, largest shop);
* ``service`` — the 3-minute reply rate (with its counts) and first response time (mean,
  median, p90) for all shops by day and for one shop over 30 days (no pandas side);
* ``webhooks`` — signed LINE and Meta webhook batches posted to a live ``socialscope
  serve`` on loopback (benchmarks/webhooks.py): req/s, latency, zero loss, ingest lag and
  server CPU, against a bare FastAPI app under the same uvicorn settings. Needs no
  generated data.
* ``funnel`` — the built-in social funnel (6 steps, visitors, ordered, 14 days, unique)
  through ``run_funnel`` for every shop of a 50 M-row touchpoints store, against one
  hand-written DuckDB statement (benchmarks/funnel.py);
* ``attribution`` — every model with Markov orders 1–3 over 1 M journeys, against the
  ChannelAttribution and marketing_attribution_models libraries when installed
  (benchmarks/attribution.py);
* ``products`` — product traffic (METRICS.md section 9) by product and traffic source for
  the largest shop over 30 days, on the funnel benchmark's touchpoints (50 M at full
  scale) plus orders, against one hand-written DuckDB statement, p95
  (benchmarks/products.py).
* ``peers`` — peer benchmarks (sales_amount, aov) on a store of 1,000 shops against one
  hand-written DuckDB statement (benchmarks/peers.py);
* ``engines`` — the service and overview metrics on DuckDB, on PySpark (local[2], or
  ``--spark-master``) over the Parquet export, and as hand-written DuckDB SQL, at 1 M,
  10 M and 50 M messages: time per engine and the crossover (benchmarks/engines.py).

Before any timing, the three implementations' numbers are compared; a difference stops
the run (exit code 2). Results go to ``benchmarks/results/<UTC timestamp>.json``.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import os
import platform
import pstats
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
from rich.console import Console
from rich.table import Table

from benchmarks import (
    attribution,
    engines,
    funnel,
    overview_pandas,
    overview_sql,
    peers,
    products,
    service,
    service_sql,
    webhooks,
)
from benchmarks.common import MismatchError, Timing, target, timed
from benchmarks.generate import DATA_ROOT, SCALES, Scale, generate, read_meta
from benchmarks.overview import Overview, diff, normalise_socialscope, row_count
from benchmarks.overview import socialscope_overview as ss_overview

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).parent / "results"
BENCHMARKS = (
    "import",
    "overview_all",
    "overview_one",
    "service",
    "webhooks",
    "funnel",
    "attribution",
    "products",
    "peers",
    "engines",
)
# need no generated messages (or generate their own)
OWN_DATA = frozenset({"webhooks", "funnel", "attribution", "products", "peers", "engines"})
STORE_BENCHMARKS = frozenset({"overview_all", "overview_one", "service"})

IMPORT_TARGET = 0.40  # socialscope rows/s >= 40 % of DuckDB's raw insert
ALL_TARGET = 1.3  # socialscope <= 1.3 x hand-written SQL
ONE_P95_MS = 100.0  # median-sized shop, whole overview p95
ONE_TARGET = 2.0  # socialscope <= 2 x hand-written SQL, every shop size
ONE_DAYS = 30
SERVICE_ALL_TARGET = 1.3  # socialscope <= 1.3 x hand-written SQL, all shops by day (median)
SERVICE_ONE_P95_MS = 150.0  # one shop over 30 days, p95, every shop size
QUIET = "SET enable_progress_bar = false"


@dataclass(frozen=True)
class Runs:
    """How many timed repetitions each benchmark gets."""

    imports: int
    overview_all: int
    overview_one: int
    pandas_one: int


RUNS: dict[str, Runs] = {
    "full": Runs(3, 5, 50, 20),
    "small": Runs(3, 5, 50, 50),
    "tiny": Runs(1, 1, 2, 2),
}


# -- environment ---------------------------------------------------------------------------
def machine_info() -> dict[str, Any]:
    import ibis
    import pandas as pd

    mem_gib: float | None = None
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    mem_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cpu_count": os.cpu_count(),
        "memory_gib": mem_gib,
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "ibis": ibis.__version__,
        "pandas": pd.__version__,
        "git_commit": _git("rev-parse", "HEAD"),
        "git_dirty": bool(_git("status", "--porcelain", "--", "src")),
    }


def _git(*args: str) -> str | None:
    try:
        out = subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


def _source_hash() -> str:
    """Hash of the socialscope code that shapes a store's tables (contract, store).

    Importer changes do not invalidate a store (they should not change what is stored);
    use --rebuild-store after one that does.
    """
    import socialscope

    pkg = Path(socialscope.__file__).parent
    h = hashlib.sha256()
    for sub in ("contract", "store"):
        for path in sorted((pkg / sub).glob("*.py")):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:10]


@contextmanager
def refresh_replaced(fn: Callable[..., None]) -> Iterator[None]:
    """Temporarily replace socialscope.store.derive.refresh (as the loader calls it)."""
    from socialscope.store import derive

    original = derive.refresh
    derive.refresh = fn
    try:
        yield
    finally:
        derive.refresh = original


def _remove_db(path: Path) -> None:
    path.unlink(missing_ok=True)
    Path(str(path) + ".wal").unlink(missing_ok=True)


def build_store(
    data: Path, console: Console, *, force: bool = False
) -> tuple[Path, dict[str, Any]]:
    """The store holding the whole data set (cached per data set and socialscope code).

    Loaded through socialscope's importer; the derived tables are refreshed once at the end
    (the loader would refresh them after every file — six full rebuilds; see README).
    """
    from socialscope.ingest.loader import ingest_paths
    from socialscope.store import derive
    from socialscope.store.duckdb import Store

    path = data / f"store-{_source_hash()}.duckdb"
    info_path = path.with_suffix(".json")
    if not force and path.is_file() and info_path.is_file():
        info: dict[str, Any] = json.loads(info_path.read_text())
        info["cached"] = True
        return path, info
    for old in data.glob("store-*.duckdb"):
        _remove_db(old)
    _remove_db(path)
    console.print(f"[bold]building store[/] {path} ...")
    store = Store(path)
    store.con.execute(QUIET)
    try:
        with refresh_replaced(lambda *_a, **_k: None):
            load_s, report = timed(lambda: ingest_paths(store, [data / "tables"]))
        refresh_s, _ = timed(lambda: derive.refresh(store, None))
        store.con.execute("CHECKPOINT")
        counts = {
            name: int(row[0])
            for name in ("d_messages", "d_conversations", "d_rounds", "d_orders", "d_interactions")
            if (row := store.con.execute(f"SELECT count(*) FROM {name}").fetchone())
        }
    finally:
        store.close()
    info = {
        "load_s": round(load_s, 3),
        "refresh_all_s": round(refresh_s, 3),
        "imported": report.to_dict()["tables"],
        "derived_rows": counts,
    }
    info_path.write_text(json.dumps(info, indent=2))
    info["cached"] = False
    return path, info


# -- benchmark (a): import -------------------------------------------------------------------
def _import_socialscope(data: Path, csv: Path, db: Path) -> tuple[float, float, Any]:
    """(total seconds, seconds inside derive.refresh, report) of importing `csv`."""
    from socialscope.ingest.loader import ingest_paths
    from socialscope.store import derive
    from socialscope.store.duckdb import Store

    _remove_db(db)
    store = Store(db)
    store.con.execute(QUIET)
    try:
        with refresh_replaced(lambda *_a, **_k: None):  # shops + identities: set-up, untimed
            ingest_paths(store, [data / "tables" / "shops.parquet"])
            ingest_paths(store, [data / "tables" / "identities.parquet"])
        inside: list[float] = []
        original = derive.refresh

        def counted(store_: Any, shops: Any = None) -> None:
            t0 = time.perf_counter()
            original(store_, shops)
            inside.append(time.perf_counter() - t0)

        with refresh_replaced(counted):
            t0 = time.perf_counter()
            report = ingest_paths(store, [csv], table="messages")
            total = time.perf_counter() - t0
    finally:
        store.close()
        _remove_db(db)
    return total, sum(inside), report


def _import_raw(csv: Path, db: Path) -> tuple[float, int]:
    """(seconds, rows) of DuckDB's own INSERT INTO t SELECT * FROM read_csv into a fresh table."""
    _remove_db(db)
    con = duckdb.connect(str(db))
    try:
        con.execute(QUIET)
        con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{csv}') LIMIT 0")
        t0 = time.perf_counter()
        con.execute(f"INSERT INTO t SELECT * FROM read_csv('{csv}')")
        seconds = time.perf_counter() - t0
        got = con.execute("SELECT count(*) FROM t").fetchone()
    finally:
        con.close()
        _remove_db(db)
    return seconds, int(got[0]) if got else 0


def bench_import(data: Path, work: Path, runs: int, console: Console) -> dict[str, Any]:
    csv = data / "messages_import.csv"
    rows_row = duckdb.sql(f"SELECT count(*) FROM read_csv('{csv}')").fetchone()
    rows = int(rows_row[0]) if rows_row else 0
    incl, excl, refresh_t, raw = Timing(), Timing(), Timing(), Timing()
    work.mkdir(parents=True, exist_ok=True)
    for i in range(runs):
        console.print(f"  import run {i + 1}/{runs}: socialscope ...")
        total, in_refresh, report = _import_socialscope(data, csv, work / "import.duckdb")
        counts = report.tables["messages"]
        if counts.stored != rows or counts.quarantined:
            raise MismatchError(f"importer stored {counts.stored} of {rows} rows: {counts}")
        incl.add(total)
        excl.add(total - in_refresh)
        refresh_t.add(in_refresh)
        console.print(f"  import run {i + 1}/{runs}: duckdb raw ...")
        seconds, got = _import_raw(csv, work / "raw.duckdb")
        if got != rows:
            raise MismatchError(f"raw insert stored {got} of {rows} rows")
        raw.add(seconds)

    def rps(tm: Timing) -> float:
        return rows / tm.median

    ratio_excl = rps(excl) / rps(raw)
    ratio_incl = rps(incl) / rps(raw)
    return {
        "rows": rows,
        "file": csv.name,
        "file_mib": round(csv.stat().st_size / 2**20, 1),
        "timings": {
            "socialscope_incl_refresh": incl.to_dict(rows_per_s=round(rps(incl))),
            "socialscope_excl_refresh": excl.to_dict(rows_per_s=round(rps(excl))),
            "derived_refresh_only": refresh_t.to_dict(),
            "duckdb_raw_insert": raw.to_dict(rows_per_s=round(rps(raw))),
        },
        "ratios": {
            "excl_refresh_vs_raw_speed": round(ratio_excl, 4),
            "incl_refresh_vs_raw_speed": round(ratio_incl, 4),
        },
        "compared": "socialscope_excl_refresh (validation, quarantine check, upsert, commit) "
        "vs duckdb_raw_insert; incl_refresh adds the derived-table rebuild for the shops "
        "touched",
        "targets": [
            target(
                "import rows/s >= 40% of DuckDB raw insert (excl. refresh)",
                ratio_excl,
                IMPORT_TARGET,
                at_most=False,
                unit="ratio",
            ),
        ],
    }


# -- benchmarks (b) and (c): the overview -----------------------------------------------------
def _check(where: str, results: dict[str, Overview]) -> dict[str, Any]:
    names = list(results)
    base = names[0]
    problems: list[str] = []
    for other in names[1:]:
        problems += diff(base, results[base], other, results[other])
    if problems:
        raise MismatchError(f"{where}: implementations disagree:\n  " + "\n  ".join(problems))
    return {"equal": True, "rows_compared": row_count(results[base])}


def _check_all(
    client: Any, frames: Any, start: date, end: date, shop: str | None, where: str
) -> dict[str, Any]:
    con = client.store.con
    return _check(
        where,
        {
            "socialscope": normalise_socialscope(ss_overview(client, start, end, shop), shop),
            "sql": overview_sql.normalise_sql(overview_sql.run(con, start, end, shop), shop),
            "pandas": overview_pandas.normalise_pandas(
                overview_pandas.compute(frames, start, end, shop), shop
            ),
        },
    )


def _returned(raw: dict[str, Any]) -> int:
    """Rows an implementation hands back (socialscope fills empty time buckets)."""
    return sum(len(v) for v in raw.values())


def bench_overview_all(
    client: Any, frames: Any, scale: Scale, runs: int, console: Console
) -> dict[str, Any]:
    start, end = date.fromisoformat(scale.start), scale.end
    con = client.store.con
    check = _check_all(client, frames, start, end, None, "overview_all")  # also warms up
    impls: dict[str, Callable[[], Any]] = {
        # dense: every shop x day x dimension bucket, empty ones too (the default output)
        "socialscope": lambda: ss_overview(client, start, end),
        # sparse: only non-empty buckets, i.e. the rows the SQL and pandas return
        "socialscope_sparse": lambda: ss_overview(client, start, end, dense=False),
        "sql": lambda: overview_sql.run(con, start, end),
        "pandas": lambda: overview_pandas.compute(frames, start, end),
    }
    sparse_same = normalise_socialscope(impls["socialscope_sparse"](), None)
    dense_same = normalise_socialscope(impls["socialscope"](), None)
    if sparse_same != dense_same:
        raise SystemExit("overview_all: sparse and dense socialscope results differ")
    returned = {name: _returned(fn()) for name, fn in impls.items()}
    timings = {name: Timing() for name in impls}
    for i in range(runs):
        console.print(f"  overview_all run {i + 1}/{runs}")
        for name, fn in impls.items():
            timings[name].add(timed(fn)[0])
    sql_med = timings["sql"].median
    ratio = timings["socialscope_sparse"].median / sql_med
    dense_ratio = timings["socialscope"].median / sql_med
    return {
        "period": [start.isoformat(), end.isoformat()],
        "check": check,
        "timings": {
            n: t.to_dict(vs_sql=round(t.median / sql_med, 3), rows_returned=returned[n])
            for n, t in timings.items()
        },
        "ratios": {
            "socialscope_sparse_vs_sql": round(ratio, 4),
            "socialscope_dense_vs_sql": round(dense_ratio, 4),
            "pandas_vs_sql": round(timings["pandas"].median / sql_med, 4),
            "socialscope_vs_pandas": round(
                timings["socialscope"].median / timings["pandas"].median, 4
            ),
        },
        "targets": [
            target(
                "overview_all socialscope (same rows as SQL: --sparse) <= 1.3 x SQL (median)",
                ratio,
                ALL_TARGET,
                at_most=True,
                unit="x",
            )
        ],
    }


def pick_shops(con: Any) -> dict[str, tuple[str, int]]:
    """Largest, median-sized and a small shop (by messages): label -> (shop_id, messages)."""
    rows = con.execute(
        "SELECT shop_id, count(*) AS n FROM messages GROUP BY shop_id ORDER BY n DESC, shop_id"
    ).fetchall()
    n = len(rows)
    picks = {"small": rows[min(n - 1, int(n * 0.9))], "median": rows[n // 2], "largest": rows[0]}
    return {label: (str(r[0]), int(r[1])) for label, r in picks.items()}


def bench_overview_one(
    client: Any, frames: Any, scale: Scale, runs: Runs, console: Console
) -> dict[str, Any]:
    end = scale.end
    start = end - timedelta(days=ONE_DAYS - 1)
    con = client.store.con
    out: dict[str, Any] = {"period": [start.isoformat(), end.isoformat()], "shops": {}}
    targets = []
    for label, (shop, n_messages) in pick_shops(con).items():
        console.print(f"  overview_one {label} shop {shop} ({n_messages:,} messages)")
        check = _check_all(client, frames, start, end, shop, f"overview_one {label} {shop}")
        impls: dict[str, Callable[[], Any]] = {
            "socialscope": partial(ss_overview, client, start, end, shop),
            "sql": partial(overview_sql.run, con, start, end, shop),
            "pandas": partial(overview_pandas.compute, frames, start, end, shop),
        }
        timings = {name: Timing() for name in impls}
        for i in range(runs.overview_one):
            for name, fn in impls.items():
                if name == "pandas" and i >= runs.pandas_one:
                    continue
                timings[name].add(timed(fn)[0])
        ss, sq = timings["socialscope"], timings["sql"]
        ratio_p95, ratio_p50 = ss.p95 / sq.p95, ss.median / sq.median
        out["shops"][label] = {
            "shop_id": shop,
            "messages": n_messages,
            "check": check,
            "timings": {
                n: t.to_dict(vs_sql_p50=round(t.median / sq.median, 3)) for n, t in timings.items()
            },
            "ratios": {
                "socialscope_vs_sql_p95": round(ratio_p95, 4),
                "socialscope_vs_sql_p50": round(ratio_p50, 4),
            },
        }
        if label == "median":
            targets.append(
                target(
                    "overview_one median shop: socialscope p95 <= 100 ms",
                    ss.p95 * 1000,
                    ONE_P95_MS,
                    at_most=True,
                    unit="ms",
                )
            )
        targets.append(
            target(
                f"overview_one {label} shop: socialscope p95 <= 2 x SQL p95",
                ratio_p95,
                ONE_TARGET,
                at_most=True,
                unit="x",
            )
        )
    out["targets"] = targets
    return out


# -- benchmark (d): service quality ------------------------------------------------------
def _check_service(
    client: Any, start: date, end: date, shop: str | None, where: str
) -> dict[str, Any]:
    """Compare socialscope with the hand-written SQL (counts exact, floats within 1e-9)."""
    ours = service.from_arrow(service.socialscope_service(client, start, end, shop), shop)
    oracle = service.from_arrow(service_sql.run(client.store.con, start, end, shop))
    problems = service.diff("socialscope", ours, "sql", oracle)
    if problems:
        raise MismatchError(f"{where}: implementations disagree:\n  " + "\n  ".join(problems))
    return {"equal": True, "rows_compared": len(oracle), **service.summary(oracle)}


def _time_pair(impls: dict[str, Callable[[], Any]], runs: int) -> dict[str, Timing]:
    """Time each implementation `runs` times, interleaved (same machine state for both)."""
    timings = {name: Timing() for name in impls}
    for _ in range(runs):
        for name, fn in impls.items():
            timings[name].add(timed(fn)[0])
    return timings


def bench_service(client: Any, scale: Scale, runs: Runs, console: Console) -> dict[str, Any]:
    """3-minute reply rate + first response time: all shops by day, and one shop 30 days."""
    con = client.store.con
    first, last = date.fromisoformat(scale.start), scale.end
    console.print("  service all shops: checking ...")
    check = _check_service(client, first, last, None, "service all shops")  # also warms up
    impls: dict[str, Callable[[], Any]] = {
        "socialscope": partial(service.socialscope_service, client, first, last),
        "sql": partial(service_sql.run, con, first, last),
    }
    returned = {name: int(fn().num_rows) for name, fn in impls.items()}
    console.print(f"  service all shops: {runs.overview_all} runs")
    timings = _time_pair(impls, runs.overview_all)
    sql_med = timings["sql"].median
    ratio = timings["socialscope"].median / sql_med
    all_shops = {
        "period": [first.isoformat(), last.isoformat()],
        "check": check,
        "timings": {
            n: t.to_dict(vs_sql=round(t.median / sql_med, 3), rows_returned=returned[n])
            for n, t in timings.items()
        },
        "ratios": {"socialscope_vs_sql": round(ratio, 4)},
    }
    targets = [
        target(
            "service all shops: socialscope <= 1.3 x SQL (median)",
            ratio,
            SERVICE_ALL_TARGET,
            at_most=True,
            unit="x",
        )
    ]
    end = scale.end
    start = end - timedelta(days=ONE_DAYS - 1)
    one: dict[str, Any] = {"period": [start.isoformat(), end.isoformat()], "shops": {}}
    for label, (shop, n_messages) in pick_shops(con).items():
        console.print(f"  service one shop {label} {shop} ({n_messages:,} messages)")
        shop_check = _check_service(client, start, end, shop, f"service one {label} {shop}")
        timings = _time_pair(
            {
                "socialscope": partial(service.socialscope_service, client, start, end, shop),
                "sql": partial(service_sql.run, con, start, end, shop),
            },
            runs.overview_one,
        )
        ss, sq = timings["socialscope"], timings["sql"]
        one["shops"][label] = {
            "shop_id": shop,
            "messages": n_messages,
            "check": shop_check,
            "timings": {
                n: t.to_dict(vs_sql_p50=round(t.median / sq.median, 3)) for n, t in timings.items()
            },
            "ratios": {
                "socialscope_vs_sql_p95": round(ss.p95 / sq.p95, 4),
                "socialscope_vs_sql_p50": round(ss.median / sq.median, 4),
            },
        }
        targets.append(
            target(
                f"service one shop 30 d {label}: socialscope p95 <= 150 ms",
                ss.p95 * 1000,
                SERVICE_ONE_P95_MS,
                at_most=True,
                unit="ms",
            )
        )
    return {
        "metrics": list(service.METRICS),
        "data_coverage": service_sql.coverage(con),
        "compared": "socialscope client.query(...).to_arrow() vs one hand-written DuckDB "
        "statement over d_rounds, d_conversations and shops (service_sql.py); counts exact, "
        "floats within rel 1e-9",
        "all_shops": all_shops,
        "one_shop": one,
        "targets": targets,
    }


def profile_calls(fn: Callable[[], Any], runs: int = 20) -> list[str]:
    """Top functions (cumulative time) of `runs` calls of `fn`."""
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(runs):
        fn()
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(25)
    return buf.getvalue().splitlines()


def profile_one(client: Any, shop: str, start: date, end: date, runs: int = 20) -> list[str]:
    """Top functions (cumulative time) of socialscope's one-shop overview."""
    return profile_calls(partial(ss_overview, client, start, end, shop), runs)


def _profile_service(client: Any, scale: Scale, svc: dict[str, Any]) -> dict[str, list[str]]:
    first, last = (date.fromisoformat(d) for d in svc["all_shops"]["period"])
    start, end = (date.fromisoformat(d) for d in svc["one_shop"]["period"])
    largest = svc["one_shop"]["shops"]["largest"]["shop_id"]
    return {
        "all_shops": profile_calls(
            partial(service.socialscope_service, client, first, last), runs=3
        ),
        "one_shop_largest": profile_calls(
            partial(service.socialscope_service, client, start, end, largest), runs=20
        ),
    }


# -- reporting --------------------------------------------------------------------------------
def _fmt_s(s: float) -> str:
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def print_report(console: Console, results: dict[str, Any]) -> None:
    table = Table(title=f"socialscope benchmarks — scale {results['scale']['name']}")
    for col in (
        "benchmark",
        "implementation",
        "n",
        "median",
        "p95",
        "min … max",
        "vs SQL / raw",
        "rows/s",
    ):
        table.add_column(col, justify="left" if col in ("benchmark", "implementation") else "right")
    bench = results["benchmarks"]
    if "import" in bench:
        b = bench["import"]
        raw = b["timings"]["duckdb_raw_insert"]["median_s"]
        for name, t in b["timings"].items():
            table.add_row(
                f"import {b['rows']:,}",
                name,
                str(t["n"]),
                _fmt_s(t["median_s"]),
                _fmt_s(t["p95_s"]),
                f"{_fmt_s(t['min_s'])} … {_fmt_s(t['max_s'])}",
                f"{t['median_s'] / raw:.2f}×",
                f"{t.get('rows_per_s', 0):,}" if "rows_per_s" in t else "",
            )
    if "overview_all" in bench:
        b = bench["overview_all"]
        for name, t in b["timings"].items():
            table.add_row(
                "all shops × day",
                name,
                str(t["n"]),
                _fmt_s(t["median_s"]),
                _fmt_s(t["p95_s"]),
                f"{_fmt_s(t['min_s'])} … {_fmt_s(t['max_s'])}",
                f"{t['vs_sql']:.2f}×",
                "",
            )
    if "overview_one" in bench:
        for label, s in bench["overview_one"]["shops"].items():
            for name, t in s["timings"].items():
                table.add_row(
                    f"1 shop 30 d {label} ({s['messages']:,} msgs)",
                    name,
                    str(t["n"]),
                    _fmt_s(t["median_s"]),
                    _fmt_s(t["p95_s"]),
                    f"{_fmt_s(t['min_s'])} … {_fmt_s(t['max_s'])}",
                    f"{t['vs_sql_p50']:.2f}×",
                    "",
                )
    if "service" in bench:
        b = bench["service"]
        for name, t in b["all_shops"]["timings"].items():
            table.add_row(
                "service all shops × day",
                name,
                str(t["n"]),
                _fmt_s(t["median_s"]),
                _fmt_s(t["p95_s"]),
                f"{_fmt_s(t['min_s'])} … {_fmt_s(t['max_s'])}",
                f"{t['vs_sql']:.2f}×",
                "",
            )
        for label, s in b["one_shop"]["shops"].items():
            for name, t in s["timings"].items():
                table.add_row(
                    f"service 1 shop 30 d {label} ({s['messages']:,} msgs)",
                    name,
                    str(t["n"]),
                    _fmt_s(t["median_s"]),
                    _fmt_s(t["p95_s"]),
                    f"{_fmt_s(t['min_s'])} … {_fmt_s(t['max_s'])}",
                    f"{t['vs_sql_p50']:.2f}×",
                    "",
                )
    if table.row_count:
        console.print(table)
    if "webhooks" in bench:
        if "error" in bench["webhooks"]:
            console.print(f"[red bold]webhooks failed[/] {bench['webhooks']['error']}")
        else:
            webhooks.print_summary(console, bench["webhooks"])
    if "funnel" in bench:
        funnel.print_summary(console, bench["funnel"])
    if "peers" in bench:
        peers.print_summary(console, bench["peers"])
    if "attribution" in bench:
        attribution.print_summary(console, bench["attribution"])
    if "products" in bench:
        products.print_summary(console, bench["products"])
    if "engines" in bench:
        engines.print_summary(console, bench["engines"])
    tt = Table(title="targets")
    for col in ("target", "value", "limit", "met"):
        tt.add_column(col)
    for b in bench.values():
        for t in b.get("targets", []):
            tt.add_row(
                t["target"],
                f"{t['value']:g} {t['unit']}",
                f"{t['comparison']} {t['limit']:g}",
                "[green]yes[/]" if t["met"] else "[red]NO[/]",
            )
    console.print(tt)


# -- main --------------------------------------------------------------------------------------
def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    p.add_argument("--scale", choices=sorted(SCALES), default="full")
    p.add_argument(
        "--only",
        default=",".join(BENCHMARKS),
        help=f"comma-separated subset of: {', '.join(BENCHMARKS)}",
    )
    p.add_argument("--runs", type=int, default=None, help="override the number of timed runs")
    p.add_argument("--data-root", type=Path, default=DATA_ROOT)
    p.add_argument("--results-dir", type=Path, default=RESULTS_DIR)
    p.add_argument(
        "--profile",
        action="store_true",
        help="also cProfile socialscope's one-shop overview (median shop) and, with "
        "service, its all-shops and largest-shop service queries",
    )
    p.add_argument("--regenerate", action="store_true", help="ignore cached data and store")
    p.add_argument("--spark-master", default=None, help="engines: the Spark master (local[2])")
    p.add_argument("--rebuild-store", action="store_true", help="ignore the cached store")
    args = p.parse_args(argv)
    only = [b.strip() for b in args.only.split(",") if b.strip()]
    unknown = [b for b in only if b not in BENCHMARKS]
    if unknown:
        p.error(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    args.only = only
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console(width=None if sys.stdout.isatty() else 150)
    scale = SCALES[args.scale]
    runs = RUNS[scale.name]
    if args.runs is not None:
        runs = Runs(args.runs, args.runs, args.runs, args.runs)
    started = datetime.now(UTC)
    results: dict[str, Any] = {
        "started_utc": started.isoformat(timespec="seconds"),
        "machine": machine_info(),
        "load_average_start": list(os.getloadavg()),
        "scale": {**scale.__dict__, "end": scale.end.isoformat()},
        "benchmarks": {},
    }
    data = args.data_root
    if set(args.only) - OWN_DATA:  # these benchmarks generate their own data (or none)
        console.print(f"[bold]data[/] scale={scale.name} ...")
        gen_s, data = timed(lambda: generate(scale, args.data_root, force=args.regenerate))
        meta = read_meta(data)
        results["data"] = {
            "dir": str(data),
            "rows": meta["rows"],
            "generate_s": meta["seconds"],
            "cached": gen_s < float(str(meta["seconds"])),
        }
    try:
        if "import" in args.only:
            console.print("[bold]import[/]")
            results["benchmarks"]["import"] = bench_import(
                data, data / "work", runs.imports, console
            )
        if STORE_BENCHMARKS & set(args.only):
            import socialscope

            store_path, store_info = build_store(
                data, console, force=args.rebuild_store or args.regenerate
            )
            results["store"] = store_info
            client = socialscope.connect(store_path, read_only=True)
            client.store.con.execute(QUIET)
            try:
                frames: Any = None
                if {"overview_all", "overview_one"} & set(args.only):
                    load_s, frames = timed(lambda: overview_pandas.load(client.store.con))
                    results["pandas_load"] = {"seconds": round(load_s, 3), "rows": frames.rows}
                if "overview_all" in args.only:
                    console.print("[bold]overview_all[/]")
                    results["benchmarks"]["overview_all"] = bench_overview_all(
                        client, frames, scale, runs.overview_all, console
                    )
                if "overview_one" in args.only:
                    console.print("[bold]overview_one[/]")
                    one = bench_overview_one(client, frames, scale, runs, console)
                    results["benchmarks"]["overview_one"] = one
                    if args.profile:
                        med = one["shops"]["median"]["shop_id"]
                        p_from, p_to = (date.fromisoformat(d) for d in one["period"])
                        lines = profile_one(client, med, p_from, p_to)
                        results["profile_overview_one_median"] = lines
                        console.print("\n".join(lines[:60]))
                if "service" in args.only:
                    console.print("[bold]service[/]")
                    svc = bench_service(client, scale, runs, console)
                    results["benchmarks"]["service"] = svc
                    if args.profile:
                        results["profile_service"] = _profile_service(client, scale, svc)
                        for lines in results["profile_service"].values():
                            console.print("\n".join(lines[:60]))
            finally:
                client.close()
        if "webhooks" in args.only:
            console.print("[bold]webhooks[/]")
            try:
                results["benchmarks"]["webhooks"] = webhooks.bench_webhooks(scale.name, console)
            except (RuntimeError, OSError) as exc:  # the server did not start or died
                results["benchmarks"]["webhooks"] = {"error": str(exc), "targets": []}
        if "funnel" in args.only:
            console.print("[bold]funnel[/]")
            results["benchmarks"]["funnel"] = funnel.bench_funnel(
                scale.name, args.data_root, console, runs=args.runs, force=args.regenerate
            )
        if "attribution" in args.only:
            console.print("[bold]attribution[/]")
            results["benchmarks"]["attribution"] = attribution.bench_attribution(
                scale.name, args.data_root, console, runs=args.runs, force=args.regenerate
            )
        if "products" in args.only:
            console.print("[bold]products[/]")
            results["benchmarks"]["products"] = products.bench_products(
                scale.name, args.data_root, console, runs=args.runs, force=args.regenerate
            )
        if "peers" in args.only:
            console.print("[bold]peers[/]")
            results["benchmarks"]["peers"] = peers.bench_peers(scale.name, console, runs=args.runs)
        if "engines" in args.only:
            console.print("[bold]engines[/]")
            results["benchmarks"]["engines"] = engines.bench_engines(
                scale,
                args.data_root,
                console,
                runs=args.runs or 3,
                spark_master=args.spark_master,
                force=args.regenerate,
            )
    except MismatchError as exc:
        console.print(f"[red bold]MISMATCH[/] {exc}")
        return 2
    results["load_average_end"] = list(os.getloadavg())
    results["seconds"] = round((datetime.now(UTC) - started).total_seconds(), 1)
    print_report(console, results)
    args.results_dir.mkdir(parents=True, exist_ok=True)
    out = args.results_dir / f"{started.strftime('%Y%m%dT%H%M%SZ')}-{scale.name}.json"
    out.write_text(json.dumps(results, indent=2, default=str))
    console.print(f"results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
