"""Peer benchmark: ``peer_benchmark`` on a store of many shops vs one hand-written query.

The store: ``shops`` shops in 5 tiers × 4 categories (about 50 peers each at full scale),
90 % USD and 10 % EUR, each with ``orders`` orders over 60 days (a tenth cancelled, most
paid). The benchmark asks ``sales_amount`` (a money metric: same-currency peers) and
``aov`` (a ratio) for a few shops over 30 days: the metric layer computes every shop's
value (``shop_id`` as a dimension), DuckDB the peer quantiles and rank.

The hand-written reference (``ORACLE_SQL``) computes the same from the ``orders`` table
in one statement: per-shop sums of non-cancelled orders created in the period (local
dates), peers of the same tier, category and currency, ``quantile_cont`` and the
mid-rank. Values are compared before any timing.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
from rich.console import Console
from rich.table import Table

from benchmarks.common import MismatchError, Timing, target, timed

TARGET_S = 1.0
SCALES: dict[str, tuple[int, int]] = {"full": (1000, 200), "small": (400, 50), "tiny": (200, 10)}
RUNS = {"full": 5, "small": 5, "tiny": 2}
END = date(2025, 3, 31)
DAYS = 60
PERIOD = (END - timedelta(days=29), END)

ORACLE_SQL = """
WITH vals AS (
    SELECT o.shop_id, o.currency, sum(o.amount) AS value
    FROM orders o
    WHERE o.cancelled_at IS NULL
      AND o.created_at_local >= $lo AND o.created_at_local < $hi
    GROUP BY 1, 2
), me AS (SELECT tier, category, currency FROM shops WHERE shop_id = $shop),
mine AS (SELECT v.value FROM vals v, me WHERE v.shop_id = $shop AND v.currency = me.currency),
peers AS (
    SELECT v.value FROM vals v JOIN shops s USING (shop_id), me
    WHERE v.shop_id <> $shop AND s.tier = me.tier AND s.category = me.category
      AND v.currency = me.currency
)
SELECT (SELECT count(*) FROM peers),
       (SELECT quantile_cont(value, [0.25, 0.5, 0.75, 0.9]) FROM peers),
       (SELECT 100.0 * (count(*) FILTER (WHERE p.value < m.value)
                        + 0.5 * count(*) FILTER (WHERE p.value = m.value)) / count(*)
          FROM peers p, mine m)
"""


def build_store(shops: int, orders: int, path: Path) -> None:
    """A store of `shops` shops with `orders` orders each (deterministic)."""
    import socialscope

    rnd = random.Random(42)
    shop_rows, order_rows = [], []
    start = datetime.combine(END - timedelta(days=DAYS - 1), datetime.min.time(), UTC)
    for i in range(shops):
        shop = f"s{i:04d}"
        cur = "EUR" if i % 10 == 0 else "USD"
        shop_rows.append(
            {
                "shop_id": shop,
                "timezone": "UTC",
                "currency": cur,
                "tier": f"L{1 + i % 5}",
                "category": ("apparel", "home", "food", "beauty")[i // 5 % 4],
            }
        )
        scale = rnd.uniform(0.5, 3.0)
        for j in range(orders):
            created = start + timedelta(seconds=rnd.randrange(DAYS * 86400))
            order_rows.append(
                {
                    "shop_id": shop,
                    "order_id": f"{shop}-{j}",
                    "customer_id": f"{shop}-c{rnd.randrange(orders)}",
                    "created_at": created,
                    "paid_at": created if rnd.random() < 0.85 else None,
                    "cancelled_at": created if rnd.random() < 0.1 else None,
                    "currency": cur,
                    "amount": Decimal(f"{rnd.uniform(5, 200) * scale:.2f}"),
                    "source": "web",
                }
            )
    with socialscope.connect(path) as client:
        table = pa.Table.from_pylist(order_rows)
        amount = table.column("amount").cast(pa.decimal128(18, 4))
        table = table.set_column(table.schema.get_field_index("amount"), "amount", amount)
        client.ingest_arrow({"shops": pa.Table.from_pylist(shop_rows), "orders": table})


def oracle(con: Any, shop: str) -> tuple[int, list[float] | None, float | None]:
    lo = datetime.combine(PERIOD[0], datetime.min.time())
    hi = datetime.combine(PERIOD[1] + timedelta(days=1), datetime.min.time())
    n, qs, rank = con.execute(ORACLE_SQL, {"shop": shop, "lo": lo, "hi": hi}).fetchone()
    return int(n), None if qs is None else [float(q) for q in qs], rank


def bench_peers(scale_name: str, console: Console, *, runs: int | None = None) -> dict[str, Any]:
    import socialscope
    from socialscope.peers import peer_benchmark

    shops, orders = SCALES[scale_name]
    n = RUNS[scale_name] if runs is None else runs
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "peers.duckdb"
        console.print(f"  building {shops} shops × {orders} orders ...")
        t_build, _ = timed(lambda: build_store(shops, orders, path))
        client = socialscope.connect(path, read_only=True)
        try:
            con = client.store.con
            asked = ["s0001", "s0002", "s0010", f"s{shops // 2:04d}"]
            for shop in asked:  # check (and warm up) before timing
                ours = peer_benchmark(client, "sales_amount", shop, *PERIOD)
                count, qs, rank = oracle(con, shop)
                if count < 5 or qs is None or ours.rank is None:
                    raise MismatchError(f"{shop}: {count} peers, expected ≥ 5")
                got = [float(q) for q in (ours.p25, ours.p50, ours.p75, ours.p90)]
                if [round(q, 2) for q in got] != [round(q, 2) for q in qs] or (
                    abs(ours.rank - float(rank)) > 1e-9
                ):
                    raise MismatchError(f"{shop}: {got} {ours.rank} != {qs} {rank}")
            timings = {"socialscope": Timing(), "sql": Timing(), "socialscope_ratio": Timing()}
            for _ in range(n):
                for shop in asked:
                    timings["socialscope"].add(
                        timed(lambda s=shop: peer_benchmark(client, "sales_amount", s, *PERIOD))[0]
                    )
                    timings["sql"].add(timed(lambda s=shop: oracle(con, s))[0])
                    timings["socialscope_ratio"].add(
                        timed(lambda s=shop: peer_benchmark(client, "aov", s, *PERIOD))[0]
                    )
        finally:
            client.close()
    med = timings["socialscope"].median
    return {
        "shops": shops,
        "orders": shops * orders,
        "build_s": round(t_build, 2),
        "timings": {k: t.to_dict() for k, t in timings.items()},
        "ratio_vs_sql": round(med / timings["sql"].median, 3),
        "targets": [
            target(
                f"peer benchmark over {shops} shops <= {TARGET_S} s (median)",
                med,
                TARGET_S,
                at_most=True,
                unit="s",
            )
        ],
    }


def print_summary(console: Console, result: Mapping[str, Any]) -> None:
    table = Table(title=f"peer benchmark — {result['shops']} shops, {result['orders']:,} orders")
    for col in ("implementation", "n", "median", "p95", "vs SQL"):
        table.add_column(col, justify="left" if col == "implementation" else "right")
    sql = result["timings"]["sql"]["median_s"]
    for name, t in result["timings"].items():
        table.add_row(
            name,
            str(t["n"]),
            f"{t['median_s'] * 1000:.1f} ms",
            f"{t['p95_s'] * 1000:.1f} ms",
            f"{t['median_s'] / sql:.2f}×",
        )
    console.print(table)
