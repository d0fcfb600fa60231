"""The engines benchmark: the service and overview metrics on DuckDB and on PySpark, and
the hand-written DuckDB SQL reference, at growing message counts in one run.

For each size (full scale: 1 M, 10 M and 50 M messages; small: 50 k and 200 k; tiny:
5 k), a data set is generated (benchmarks/generate.py), loaded into a DuckDB store
(run.build_store) and written in the Parquet export layout; then, all shops by day over
the whole period:

* ``duckdb`` — ``client.query`` on the embedded store (benchmarks/service.py and
  overview.py, the same calls as the ``service`` and ``overview_all`` benchmarks);
* ``sql`` — the hand-written statements of service_sql.py and overview_sql.py;
* ``pyspark`` — the same ``client.query`` calls on ``SparkEngine`` (local[2] by default,
  ``--spark-master`` otherwise) over the Parquet files.

The three answers are compared before any timing (counts exact, floats within 1e-9
relative); a difference stops the run. Reported per size: the median seconds of each
engine, DuckDB against the SQL (target ≤ 1.3 ×), and the crossover: the first size where
PySpark is faster than DuckDB, or, when none is, where straight lines through the
measured times would cross (an extrapolation, flagged as such).

Until `socialscope export --format parquet` is merged, the export is written by
tests/parquet_layout.py (one file per shop and table, the same layout and manifest).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from rich.console import Console

from benchmarks import overview_sql, service, service_sql
from benchmarks.common import MismatchError, target
from benchmarks.generate import Scale, generate
from benchmarks.overview import diff as overview_diff
from benchmarks.overview import normalise_socialscope, socialscope_overview

SIZES: dict[str, tuple[int, ...]] = {
    "full": (1_000_000, 10_000_000, 50_000_000),
    "small": (50_000, 200_000),
    "tiny": (5_000,),
}
DUCKDB_VS_SQL = 1.3


def scale_of(base: Scale, messages: int) -> Scale:
    """A data set of `messages` messages shaped like `base` (orders and comments in the
    same proportion, shops about one per 10 k messages, at least 5, at most 1000)."""
    ratio = messages / base.messages
    return replace(
        base,
        name=f"engines-{messages}",
        shops=max(5, min(1000, messages // 10_000)),
        messages=messages,
        orders=max(100, int(base.orders * ratio)),
        comments=max(100, int(base.comments * ratio)),
        import_rows=min(base.import_rows, 10_000),
    )


def _both(client: Any, first: date, last: date) -> tuple[Any, Any]:
    """What is timed per engine: the service query and the overview's three queries
    (sparse, like overview_all: the rows the SQL returns)."""
    return (
        service.socialscope_service(client, first, last),
        socialscope_overview(client, first, last, dense=False),
    )


def _both_sql(con: Any, first: date, last: date) -> tuple[Any, Any]:
    return service_sql.run(con, first, last), overview_sql.run(con, first, last)


def _median(fn: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _export(con: Any, store: Path) -> Path:
    """The store in the Parquet export layout, beside it (reused while the store is)."""
    from tests.parquet_layout import export_store

    out = store.with_suffix(".parquet")
    if not (out / "manifest.json").exists():
        export_store(con, out)
    return out


def _check(duck: Any, spark: Any, con: Any, first: date, last: date) -> dict[str, Any]:
    """The three answers agree (else MismatchError); returns what was compared."""
    svc = {
        "duckdb": service.from_arrow(service.socialscope_service(duck, first, last)),
        "pyspark": service.from_arrow(service.socialscope_service(spark, first, last)),
        "sql": service.from_arrow(service_sql.run(con, first, last)),
    }
    problems = service.diff("duckdb", svc["duckdb"], "pyspark", svc["pyspark"])
    problems += service.diff("duckdb", svc["duckdb"], "sql", svc["sql"])
    ov_duck = normalise_socialscope(socialscope_overview(duck, first, last, dense=False), None)
    ov_spark = normalise_socialscope(socialscope_overview(spark, first, last, dense=False), None)
    ov_sql = overview_sql.normalise_sql(overview_sql.run(con, first, last), None)
    problems += overview_diff("duckdb", ov_duck, "pyspark", ov_spark)
    problems += overview_diff("duckdb", ov_duck, "sql", ov_sql)
    if problems:
        raise MismatchError("engines: " + "; ".join(problems))
    return {"service_rows": len(svc["duckdb"]), "service": service.summary(svc["duckdb"])}


def crossover(sizes: list[int], duck: list[float], spark: list[float]) -> dict[str, Any]:
    """The first measured size where PySpark beats DuckDB, else the straight-line estimate."""
    for n, d, s in zip(sizes, duck, spark, strict=True):
        if s < d:
            return {"measured": True, "messages": n}
    if len(sizes) < 2:
        return {"measured": False, "messages": None, "note": "one size: no trend to extend"}
    slope_d = (duck[-1] - duck[0]) / (sizes[-1] - sizes[0])
    slope_s = (spark[-1] - spark[0]) / (sizes[-1] - sizes[0])
    if slope_s <= 0:
        return {
            "measured": False,
            "messages": None,
            "note": "PySpark's time does not grow between these sizes (fixed overhead and "
            "noise dominate): no trend to extend; measure larger sizes",
        }
    if slope_d <= slope_s:
        return {
            "measured": False,
            "messages": None,
            "note": "PySpark grows at least as fast as DuckDB here: no crossover on this machine",
        }
    gap = spark[-1] - duck[-1]
    return {
        "measured": False,
        "messages": int(sizes[-1] + gap / (slope_d - slope_s)),
        "note": "ESTIMATE: straight lines through the first and last measured sizes",
    }


def bench_engines(
    base: Scale,
    data_root: Path,
    console: Console,
    *,
    runs: int = 3,
    spark_master: str | None = None,
    force: bool = False,
) -> dict[str, Any]:
    import socialscope
    from benchmarks.run import build_store
    from socialscope.client import Client
    from socialscope.engines.pyspark import DEFAULT_MASTER, SparkEngine

    master = spark_master or DEFAULT_MASTER
    sizes = list(SIZES[base.name])
    rows: list[dict[str, Any]] = []
    targets: list[dict[str, Any]] = []
    for n in sizes:
        scale = scale_of(base, n)
        console.print(f"  engines {n:,} messages: data, store, Parquet ...")
        data = generate(scale, data_root, force=force)
        store_path, _ = build_store(data, console, force=force)
        duck = socialscope.connect(store_path, read_only=True)
        try:
            con = duck.store.con
            parquet = _export(con, store_path)
            spark = Client.over_engine(SparkEngine(parquet, master=master))
            first, last = date.fromisoformat(scale.start), scale.end
            console.print(f"  engines {n:,}: checking the three answers ...")
            check = _check(duck, spark, con, first, last)  # also warms every engine up
            impls: dict[str, Callable[[], Any]] = {
                "duckdb": partial(_both, duck, first, last),
                "sql": partial(_both_sql, con, first, last),
                "pyspark": partial(_both, spark, first, last),
            }
            timings = {}
            for name, fn in impls.items():
                console.print(f"  engines {n:,}: {name} x{runs}")
                timings[name] = round(_median(fn, runs), 4)
            spark.close()
        finally:
            duck.close()
        ratio = timings["duckdb"] / timings["sql"]
        rows.append(
            {
                "messages": n,
                "shops": scale.shops,
                "check": check,
                "median_s": timings,
                "duckdb_vs_sql": round(ratio, 3),
                "pyspark_vs_duckdb": round(timings["pyspark"] / timings["duckdb"], 3),
            }
        )
        targets.append(
            target(
                f"engines {n:,}: duckdb <= 1.3 x SQL",
                ratio,
                DUCKDB_VS_SQL,
                at_most=True,
                unit="x",
            )
        )
    cross = crossover(
        sizes, [r["median_s"]["duckdb"] for r in rows], [r["median_s"]["pyspark"] for r in rows]
    )
    return {
        "compared": "service (3-minute rule, first response time) + overview (reception, "
        "sales, staff) metrics, all shops by day over the whole period: socialscope on "
        "DuckDB, socialscope on PySpark over the Parquet export, hand-written DuckDB SQL",
        "spark_master": master,
        "runs": runs,
        "sizes": rows,
        "crossover": cross,
        "targets": targets,
    }


def print_summary(console: Console, result: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table(title=f"engines (median s, {result['runs']} runs, {result['spark_master']})")
    for col in ("messages", "shops", "duckdb", "sql", "pyspark", "duckdb/sql", "pyspark/duckdb"):
        table.add_column(col, justify="right")
    for row in result["sizes"]:
        t = row["median_s"]
        table.add_row(
            f"{row['messages']:,}",
            str(row["shops"]),
            f"{t['duckdb']:.3f}",
            f"{t['sql']:.3f}",
            f"{t['pyspark']:.3f}",
            f"{row['duckdb_vs_sql']:.2f}x",
            f"{row['pyspark_vs_duckdb']:.2f}x",
        )
    console.print(table)
    cross = result["crossover"]
    where = f"{cross['messages']:,} messages" if cross.get("messages") else "none"
    note = "measured" if cross.get("measured") else cross.get("note", "")
    console.print(f"crossover (PySpark faster than DuckDB): {where} ({note})")
