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
runner's Ibis: events ordered per visitor by a position (time in µs, then funnel order —
at equal times funnel order decides, events of the same step at the same instant do not
follow each other); from every entry a chain of ``ASOF LEFT JOIN``s finds the earliest
event of step k strictly after the one matched for step k-1 (DuckDB's nearest-match join,
a sort-merge per step); the chain is cut at 14 days after the entry; each visitor counts
once at the furthest step of its entries. (The runner instead inner-joins the candidate
events of each step to the attempts still going and takes the minimum.) A first version
computed each event's next position of every step with window functions
(``min(...) OVER (... RANGE BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)``) and chained
lookups: correct, but several times slower than the ASOF joins on the largest full-scale
shop (35 s against 11–22 s, busy machine), so the faster formulation is the reference.
Per-step counts of every shop are compared before any timing.
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

_N = len(STEPS)
_STEP_CASE = " ".join(f"WHEN '{e}' THEN {k}" for k, e in enumerate(STEPS, 1))
_NO_POSITION = 2**63 - 1
"""Stands in for the position of a step not reached: no event comes after it."""


def _chain() -> str:
    """c2..c6: each entry's earliest event of step k after the one of step k-1 (ASOF)."""
    parts, prev = [], "e"
    for k in range(2, _N + 1):
        parts.append(
            f"c{k} AS (\n"
            f"  SELECT c.*, s.pos AS p{k} FROM {prev} c ASOF LEFT JOIN\n"
            f"    (SELECT shop_id, visitor_id, pos FROM ev WHERE step = {k}) s\n"
            f"    ON s.shop_id = c.shop_id AND s.visitor_id = c.visitor_id\n"
            f"    AND s.pos > coalesce(c.p{k - 1}, {_NO_POSITION})\n"
            ")"
        )
        prev = f"c{k}"
    return ",\n".join(parts)


def _reached() -> str:
    """Steps reached: 1 + the steps 2..k all found within the window of the entry."""
    terms = [
        "coalesce("
        + " AND ".join(f"p{j} // 8 <= p1 // 8 + $window_us" for j in range(2, k + 1))
        + ", false)::INTEGER"
        for k in range(2, _N + 1)
    ]
    return "1 + " + " + ".join(terms)


ORACLE_SQL = f"""
WITH ev AS (
  -- pos orders a visitor's events by time (µs), then funnel order (8 > the 6 steps)
  SELECT shop_id, visitor_id, ts_local, CASE event {_STEP_CASE} END AS step,
    epoch_us(ts) * 8 + CASE event {_STEP_CASE} END AS pos
  FROM touchpoints
  WHERE event IN ({", ".join(f"'{e}'" for e in STEPS)}) AND ($shop IS NULL OR shop_id = $shop)
),
e AS (  -- the entries: impressions in the period, shop-local
  SELECT shop_id, visitor_id, pos AS p1 FROM ev
  WHERE step = 1 AND ts_local >= $lo::TIMESTAMP AND ts_local < $hi::TIMESTAMP
),
{_chain()},
best AS (  -- unique counting: each visitor at the furthest step of any of its entries
  SELECT shop_id, visitor_id, max({_reached()}) AS f FROM c{_N} GROUP BY ALL
)
SELECT shop_id, {", ".join(f"count(*) FILTER (WHERE f >= {k}) AS s{k}" for k in range(1, _N + 1))}
FROM best GROUP BY shop_id ORDER BY shop_id
"""


def _period() -> tuple[date, date]:
    """The whole generated span: every row is in scope."""
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


def runner_source() -> dict[str, str]:
    """Which funnel runner was timed: its directory and a hash of its modules."""
    import hashlib

    import socialscope.funnels as funnels

    pkg = Path(funnels.__file__).parent
    h = hashlib.sha256()
    for path in sorted(pkg.glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return {"path": str(pkg), "sha256_12": h.hexdigest()[:12]}


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
    first, last = _period()
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
        "runner": runner_source(),
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
