"""Product traffic benchmark (METRICS.md section 9): the registered metrics by product and
traffic source for one shop over 30 days, vs a hand-written DuckDB statement.

Store: benchmarks/products_data.py (the funnel benchmark's touchpoints — 50 M at full
scale — plus orders and lines from its purchases). The shop is the largest one; the period
its last 30 local days (2025-03-02 .. 2025-03-31). socialscope answers with one
`Client.query` of exposure_users, product_click_users, product_clicks,
returning_click_users, lost_users, product_gmv, product_buyers and repeat_buyers by
(product_id, traffic_source) — the query behind `socialscope products` — and
``ORACLE_SQL`` computes the same numbers, written from docs/products.md, not from the
engine's Ibis. Every slice's numbers are compared before timing (a difference stops the
run); then both are timed interleaved, and the target is socialscope's p95 ≤ 2 × the
SQL's p95.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
from rich.console import Console
from rich.table import Table

from benchmarks.common import MismatchError, Timing, target, timed
from benchmarks.products_data import build_store, read_meta

TARGET = 2.0  # socialscope p95 <= 2 x the hand-written SQL p95
DAYS = 30
LAST = date(2025, 3, 31)
RUNS = {"full": 10, "small": 20, "tiny": 10}
METRICS = (
    "exposure_users",
    "product_click_users",
    "product_clicks",
    "returning_click_users",
    "lost_users",
    "product_gmv",
    "product_buyers",
    "repeat_buyers",
)

ORACLE_SQL = """
WITH tp AS (  -- product exposures and clicks of the shop in the period (local time)
  SELECT visitor_id, event, product_id, source, ts FROM touchpoints
  WHERE shop_id = $shop AND product_id IS NOT NULL AND event IN ('impression', 'click')
    AND ts_local >= $lo::TIMESTAMP AND ts_local < $hi::TIMESTAMP
),
links AS (  -- visitor -> customer: any customer_id seen with the visitor
  SELECT DISTINCT visitor_id, customer_id FROM (
    SELECT visitor_id, customer_id FROM web_sessions
    WHERE shop_id = $shop AND customer_id IS NOT NULL AND trim(customer_id) <> ''
    UNION ALL
    SELECT visitor_id, customer_id FROM touchpoints
    WHERE shop_id = $shop AND customer_id IS NOT NULL AND trim(customer_id) <> '')
),
paid AS (  -- paid, not cancelled orders of known customers
  SELECT order_id, customer_id, created_at, created_at_local, paid_at, traffic_source
  FROM orders WHERE shop_id = $shop AND paid_at IS NOT NULL AND cancelled_at IS NULL
),
first_click AS (SELECT visitor_id, min(ts) AS first_ts FROM tp WHERE event = 'click' GROUP BY 1),
flags AS (
  SELECT f.visitor_id,
    bool_or(p.paid_at >= f.first_ts - INTERVAL 365 DAY AND p.paid_at < f.first_ts) AS is_returning,
    bool_or(p.created_at_local >= $lo::TIMESTAMP AND p.created_at_local < $hi::TIMESTAMP)
      AS bought
  FROM first_click f JOIN links l USING (visitor_id)
  JOIN paid p ON p.customer_id = l.customer_id
  GROUP BY 1
),
traffic AS (
  SELECT product_id, source AS traffic_source,
    count(DISTINCT visitor_id) FILTER (WHERE event = 'impression') AS exposure_users,
    count(DISTINCT visitor_id) FILTER (WHERE event = 'click') AS click_users,
    count(*) FILTER (WHERE event = 'click') AS clicks,
    count(DISTINCT visitor_id) FILTER (WHERE event = 'click' AND coalesce(is_returning, false))
      AS returning_click_users,
    count(DISTINCT visitor_id) FILTER (WHERE event = 'click' AND NOT coalesce(bought, false))
      AS lost_users
  FROM tp LEFT JOIN flags USING (visitor_id)
  GROUP BY 1, 2
),
period_paid AS (
  SELECT * FROM paid WHERE created_at_local >= $lo::TIMESTAMP AND created_at_local < $hi::TIMESTAMP
),
repeaters AS (  -- a paid order created before their first paid order of the period
  SELECT DISTINCT f.customer_id
  FROM (SELECT customer_id, min(created_at) AS first_created FROM period_paid
        WHERE customer_id IS NOT NULL GROUP BY 1) f
  JOIN paid p ON p.customer_id = f.customer_id AND p.created_at < f.first_created
),
items AS (
  SELECT i.product_id, o.traffic_source,
    sum(coalesce(i.amount, i.quantity * i.unit_price)) AS gmv,
    count(DISTINCT o.customer_id) AS buyers,
    count(DISTINCT o.customer_id) FILTER (WHERE r.customer_id IS NOT NULL) AS repeat_buyers
  FROM order_items i JOIN period_paid o ON o.order_id = i.order_id
  LEFT JOIN repeaters r ON r.customer_id = o.customer_id
  WHERE i.shop_id = $shop
  GROUP BY 1, 2
)
SELECT coalesce(t.product_id, i.product_id), coalesce(t.traffic_source, i.traffic_source),
  coalesce(exposure_users, 0), coalesce(click_users, 0), coalesce(clicks, 0),
  coalesce(returning_click_users, 0), coalesce(lost_users, 0),
  coalesce(gmv, 0), coalesce(buyers, 0), coalesce(repeat_buyers, 0)
FROM traffic t FULL JOIN items i
  ON t.product_id IS NOT DISTINCT FROM i.product_id
  AND t.traffic_source IS NOT DISTINCT FROM i.traffic_source
"""

Numbers = dict[tuple[Any, Any], tuple[Any, ...]]


def _period() -> tuple[date, date]:
    return LAST - timedelta(days=DAYS - 1), LAST


def sql_numbers(con: duckdb.DuckDBPyConnection, shop: str, first: date, last: date) -> Numbers:
    rows = con.execute(
        ORACLE_SQL,
        {"shop": shop, "lo": first.isoformat(), "hi": (last + timedelta(days=1)).isoformat()},
    ).fetchall()
    return {(r[0], r[1]): (*r[2:7], Decimal(r[7]), *r[8:]) for r in rows}


def engine_numbers(client: Any, shop: str, first: date, last: date) -> Numbers:
    result = client.query(
        list(METRICS),
        by=["product_id", "traffic_source"],
        shop=shop,
        date_from=first,
        date_to=last,
        dense=False,
    )
    table = result.to_arrow()
    cols = [table.column(c).to_pylist() for c in ("product_id", "traffic_source", *METRICS)]
    return {
        (row[0], row[1]): tuple(
            Decimal(v or 0) if m == "product_gmv" else (v or 0)
            for m, v in zip(METRICS, row[2:], strict=True)
        )
        for row in zip(*cols, strict=True)
    }


def _check(ours: Numbers, oracle: Numbers) -> dict[str, Any]:
    zero = (0, 0, 0, 0, 0, Decimal(0), 0, 0)
    keys = sorted(set(ours) | set(oracle), key=lambda k: (str(k[0]), str(k[1])))
    bad = [
        f"{k}: socialscope {ours.get(k, zero)} vs SQL {oracle.get(k, zero)}"
        for k in keys
        if ours.get(k, zero) != oracle.get(k, zero)
    ]
    if bad:
        raise MismatchError("product traffic differs:\n  " + "\n  ".join(bad[:20]))
    totals = [sum(v[i] for v in ours.values()) for i in range(len(METRICS))]
    return {
        "equal": True,
        "slices": len(keys),
        "totals": {m: str(t) for m, t in zip(METRICS, totals, strict=True)},
    }


def bench_products(
    scale_name: str,
    data_root: Path,
    console: Console,
    *,
    runs: int | None = None,
    force: bool = False,
) -> dict[str, Any]:
    """Build (or reuse) the store, check both sides agree, then time them (p95)."""
    import socialscope

    n = RUNS[scale_name] if runs is None else runs
    t_build, path = timed(lambda: build_store(scale_name, data_root, force=force))
    meta = read_meta(path)
    console.print(f"  touchpoints: {int(str(meta['touchpoints'])):,}, orders: {meta['orders']}")
    first, last = _period()
    client = socialscope.connect(path, read_only=True)
    try:
        con = client.store.con
        con.execute("SET enable_progress_bar = false")
        row = con.execute(
            "SELECT shop_id, count(*) FROM touchpoints GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1"
        ).fetchone()
        assert row is not None
        shop, shop_rows = str(row[0]), int(row[1])
        console.print(f"  checking against the hand-written SQL ({shop}, {first} .. {last}) ...")
        check = _check(
            engine_numbers(client, shop, first, last), sql_numbers(con, shop, first, last)
        )
        console.print(f"  timing ({n} runs, interleaved) ...")
        pair = {"socialscope": Timing(), "sql": Timing()}
        for _ in range(n):
            pair["socialscope"].add(timed(lambda: engine_numbers(client, shop, first, last))[0])
            pair["sql"].add(timed(lambda: sql_numbers(con, shop, first, last))[0])
    finally:
        client.close()
    ratio = pair["socialscope"].p95 / pair["sql"].p95
    return {
        "data": {**meta, "cached": t_build < float(str(meta["seconds"])), "path": str(path)},
        "shop": {"shop_id": shop, "touchpoints": shop_rows},
        "period": [first.isoformat(), last.isoformat()],
        "metrics": list(METRICS),
        "check": check,
        "timings": {name: t.to_dict() for name, t in pair.items()},
        "ratios": {"p95_socialscope_vs_sql": round(ratio, 4)},
        "targets": [
            target(
                "products: socialscope p95 <= 2 x hand-written SQL p95 (one shop, 30 days)",
                ratio,
                TARGET,
                at_most=True,
                unit="x",
            )
        ],
    }


def print_summary(console: Console, result: Mapping[str, Any]) -> None:
    table = Table(
        title=f"product traffic — {int(str(result['data']['touchpoints'])):,} touchpoints, "
        f"shop {result['shop']['shop_id']} ({result['shop']['touchpoints']:,} rows), "
        f"{result['period'][0]} .. {result['period'][1]}"
    )
    for col in ("implementation", "n", "median", "p95", "vs SQL (p95)"):
        table.add_column(col, justify="left" if col == "implementation" else "right")
    sql = result["timings"]["sql"]["p95_s"]
    for name, t in result["timings"].items():
        table.add_row(
            name,
            str(t["n"]),
            f"{t['median_s']:.3f} s",
            f"{t['p95_s']:.3f} s",
            f"{t['p95_s'] / sql:.2f}×",
        )
    console.print(table)
