"""Funnel benchmark: the built-in social funnel through ``run_funnel`` vs hand-written SQL.

The funnel: impression → click → product_view → add_to_cart → checkout → purchase, unit
visitor, ordered, 14-day window from the entry, unique counting; the period is the whole
generated span (2025-01-01 .. 2025-03-31, shop-local), so every row of the store is in
scope.

``run_funnel`` is per shop, so two comparisons, both timed in the same run:

* **all shops** (the target): ``run_funnel`` for every shop in turn (50 M rows at full
  scale) against one hand-written statement that computes every shop's step counts;
* **largest shop**: ``run_funnel`` for the largest shop against the same statement
  restricted to that shop.

The hand-written SQL (``ORACLE_SQL``) is written from docs/funnels.md, not from the
runner's Ibis: events ordered per visitor by (time, step) — at equal times funnel order
decides, events of the same step at the same instant do not follow each other — and, for
every event position, the next position of each step strictly after it, by window
functions (``min(...) OVER (... RANGE BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)``); an
entry's chain is then followed with lookups of those "next" columns (the earliest match of
each step after the previous one), cut at 14 days after the entry; each visitor counts
once at the furthest step of its entries. The runner instead joins candidate events per
step and aggregates. Per-step counts of every shop are compared before any timing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
from rich.console import Console
from rich.table import Table

from benchmarks.common import MismatchError, Timing, target, timed
from benchmarks.funnel_data import DAYS, FUNNEL_SCALES, START, STEPS, build_store, read_meta

TARGET = 1.5  # socialscope <= 1.5 x the hand-written SQL
WINDOW = timedelta(days=14)
RUNS = {"full": 3, "small": 5, "tiny": 1}

_STEP_CASE = " ".join(f"WHEN '{e}' THEN {k}" for k, e in enumerate(STEPS, 1))
_NEXT = ",\n    ".join(
    f"min(CASE WHEN step = {k} THEN pos END) OVER later AS n{k}" for k in range(2, len(STEPS) + 1)
)
_N = len(STEPS)

ORACLE_SQL = f"""
WITH ev AS (
  -- pos orders a visitor's events by time, then funnel order (8 > the 6 steps)
  SELECT shop_id, visitor_id, ts_local, CASE event {_STEP_CASE} END AS step,
    epoch_us(ts) * 8 + CASE event {_STEP_CASE} END AS pos
  FROM touchpoints
  WHERE event IN ({", ".join(f"'{e}'" for e in STEPS)}) AND ($shop IS NULL OR shop_id = $shop)
),
nxt AS (
  SELECT shop_id, visitor_id, pos, step, ts_local,
    {_NEXT}
  FROM ev
  WINDOW later AS (PARTITION BY shop_id, visitor_id ORDER BY pos
                   RANGE BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)
),
nx AS (  -- one row per (visitor, position): the "next" columns are the same for peers
  SELECT DISTINCT shop_id, visitor_id, pos, {", ".join(f"n{k}" for k in range(3, _N + 1))}
  FROM nxt
),
chain AS (
  SELECT e.shop_id, e.visitor_id, e.pos AS p1, e.n2 AS p2, a2.n3 AS p3, a3.n4 AS p4,
    a4.n5 AS p5, a5.n6 AS p6
  FROM nxt e
  LEFT JOIN nx a2 ON a2.shop_id = e.shop_id AND a2.visitor_id = e.visitor_id AND a2.pos = e.n2
  LEFT JOIN nx a3 ON a3.shop_id = e.shop_id AND a3.visitor_id = e.visitor_id AND a3.pos = a2.n3
  LEFT JOIN nx a4 ON a4.shop_id = e.shop_id AND a4.visitor_id = e.visitor_id AND a4.pos = a3.n4
  LEFT JOIN nx a5 ON a5.shop_id = e.shop_id AND a5.visitor_id = e.visitor_id AND a5.pos = a4.n5
  WHERE e.step = 1 AND e.ts_local >= $lo AND e.ts_local < $hi
),
reached AS (  -- steps reached: the chain stops at the first step past the window
  SELECT shop_id, visitor_id,
    1 + {
    " + ".join(
        "("
        + " AND ".join(
            f"p{j} IS NOT NULL AND p{j} // 8 <= p1 // 8 + $window_us" for j in range(2, k + 1)
        )
        + ")::INTEGER"
        for k in range(2, _N + 1)
    )
} AS f
  FROM chain
),
best AS (SELECT shop_id, visitor_id, max(f) AS f FROM reached GROUP BY ALL)
SELECT shop_id, {", ".join(f"count(*) FILTER (WHERE f >= {k}) AS s{k}" for k in range(1, _N + 1))}
FROM best GROUP BY shop_id ORDER BY shop_id
"""


def _period(scale_name: str) -> tuple[date, date]:
    return START, START + timedelta(days=DAYS - 1)


def sql_counts(
    con: duckdb.DuckDBPyConnection, first: date, last: date, shop: str | None = None
) -> dict[str, list[int]]:
    """shop_id → step counts, by the hand-written statement."""
    rows = con.execute(
        ORACLE_SQL,
        {
            "shop": shop,
            "lo": first.isoformat(),
            "hi": (last + timedelta(days=1)).isoformat(),
            "window_us": WINDOW // timedelta(microseconds=1),
        },
    ).fetchall()
    return {str(r[0]): [int(x) for x in r[1:]] for r in rows}


def runner_counts(client: Any, shops: list[str], first: date, last: date) -> dict[str, list[int]]:
    """shop_id → step counts, by socialscope's runner (one call per shop)."""
    from socialscope.funnels import FunnelRequest, run_funnel
    from socialscope.funnels.builtin import builtin

    social = builtin("social")
    out: dict[str, list[int]] = {}
    for shop in shops:
        result = run_funnel(
            client,
            FunnelRequest(
                steps=social.steps, shop=shop, date_from=first, date_to=last, unit=social.unit
            ),
        )
        out[shop] = [s.count for s in result.overall.steps]
    return out


def _check(where: str, ours: Mapping[str, list[int]], oracle: Mapping[str, list[int]]) -> None:
    # a shop nobody entered has no SQL row; the runner reports zeros for it
    zeros = [0] * _N
    problems = [
        f"{shop}: socialscope {ours.get(shop, zeros)} vs SQL {oracle.get(shop, zeros)}"
        for shop in sorted(set(ours) | set(oracle))
        if ours.get(shop, zeros) != oracle.get(shop, zeros)
    ]
    if problems:
        raise MismatchError(f"funnel {where}: step counts differ:\n  " + "\n  ".join(problems))


def bench_funnel(
    scale_name: str,
    data_root: Path,
    console: Console,
    *,
    runs: int | None = None,
    force: bool = False,
) -> dict[str, Any]:
    """Build (or reuse) the store, check both sides agree for every shop, then time them."""
    import socialscope

    scale = FUNNEL_SCALES[scale_name]
    n = RUNS[scale_name] if runs is None else runs
    console.print(f"  touchpoints: ~{scale.rows:,} rows, {scale.shops} shops ...")
    t_build, path = timed(lambda: build_store(scale, data_root, force=force))
    meta = read_meta(path)
    first, last = _period(scale_name)
    client = socialscope.connect(path, read_only=True)
    try:
        con = client.store.con
        con.execute("SET enable_progress_bar = false")
        sizes = con.execute(
            "SELECT shop_id, count(*) FROM touchpoints GROUP BY 1 ORDER BY 2 DESC, 1"
        ).fetchall()
        shops = sorted(str(r[0]) for r in sizes)
        largest, largest_rows = str(sizes[0][0]), int(sizes[0][1])
        console.print("  checking run_funnel against the hand-written SQL, every shop ...")
        ours = runner_counts(client, shops, first, last)  # also the warm-up
        oracle = sql_counts(con, first, last)
        _check("all shops", ours, oracle)
        _check(
            f"largest shop {largest}",
            {largest: ours[largest]},
            sql_counts(con, first, last, largest),
        )
        totals = [sum(c[k] for c in ours.values()) for k in range(_N)]
        console.print(f"  timing ({n} runs, interleaved) ...")
        timings = {
            "all_shops": {"socialscope": Timing(), "sql": Timing()},
            "largest_shop": {"socialscope": Timing(), "sql": Timing()},
        }
        for _ in range(n):
            timings["all_shops"]["socialscope"].add(
                timed(lambda: runner_counts(client, shops, first, last))[0]
            )
            timings["all_shops"]["sql"].add(timed(lambda: sql_counts(con, first, last))[0])
            timings["largest_shop"]["socialscope"].add(
                timed(lambda: runner_counts(client, [largest], first, last))[0]
            )
            timings["largest_shop"]["sql"].add(
                timed(lambda: sql_counts(con, first, last, largest))[0]
            )
    finally:
        client.close()
    out: dict[str, Any] = {
        "data": {**meta, "cached": t_build < float(str(meta["seconds"])), "path": str(path)},
        "funnel": {
            "steps": list(STEPS),
            "unit": "visitor",
            "mode": "ordered",
            "window_days": WINDOW.days,
            "counting": "unique",
            "period": [first.isoformat(), last.isoformat()],
        },
        "shops": len(shops),
        "largest_shop": {"shop_id": largest, "rows": largest_rows},
        "check": {"equal": True, "shops_compared": len(shops), "step_totals": totals},
        "timings": {},
        "ratios": {},
        "targets": [],
    }
    for what, pair in timings.items():
        ratio = pair["socialscope"].median / pair["sql"].median
        out["timings"][what] = {name: t.to_dict() for name, t in pair.items()}
        out["ratios"][f"{what}_socialscope_vs_sql"] = round(ratio, 4)
        out["targets"].append(
            target(
                f"funnel {what.replace('_', ' ')}: socialscope <= 1.5 x hand-written SQL (median)",
                ratio,
                TARGET,
                at_most=True,
                unit="x",
            )
        )
    return out


def print_summary(console: Console, result: Mapping[str, Any]) -> None:
    data = result["data"]
    table = Table(
        title=f"social funnel — {int(str(data['touchpoints'])):,} touchpoints, "
        f"{result['shops']} shops (largest {result['largest_shop']['rows']:,} rows)"
    )
    for col in ("scope", "implementation", "n", "median", "min … max", "vs SQL"):
        table.add_column(col, justify="left" if col in ("scope", "implementation") else "right")
    for what, pair in result["timings"].items():
        sql = pair["sql"]["median_s"]
        for name, t in pair.items():
            table.add_row(
                what.replace("_", " "),
                name,
                str(t["n"]),
                f"{t['median_s']:.3f} s",
                f"{t['min_s']:.3f} … {t['max_s']:.3f} s",
                f"{t['median_s'] / sql:.2f}×",
            )
    console.print(table)
