"""Small peer shops for the demo: a real peer benchmark and real loss destinations.

`add_peers` appends PEER_COUNT shops of alley_closet's tier and category (L3 apparel,
TWD, Asia/Taipei) with their own customers, products and orders over the demo window,
so `socialscope peers sales_amount --shop alley_closet` has ≥ 5 peers. Some of
alley_closet's lost users of the last complete month (click users without a paid order,
linked by LINE/Messenger identities) also buy in those shops that month — enough of them
in two category × price-band groups to pass k = 5, a few alone in theirs (hidden).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from socialscope.demo._util import rng_for

HOME = "alley_closet"
PEER_COUNT = 8
CATEGORIES: tuple[tuple[str, int], ...] = (
    ("tops", 690),
    ("shoes", 1800),
    ("bags", 3200),
    ("accessories", 390),
)
"""Each peer sells one product per category at about this TWD price."""
GROUPS: tuple[tuple[str, int], ...] = (("shoes", 12), ("bags", 8))
"""Lost users of alley_closet sent to a category together (≥ k: shown)."""
SINGLES = 4
ORDERS_PER_DAY = 30
"""Lost users who buy alone in a category × band of their own (hidden)."""


def destination_month(end: date) -> tuple[date, date]:
    """The last complete calendar month before `end`'s month (the dashboard's default)."""
    first = (end.replace(day=1) - timedelta(days=1)).replace(day=1)
    last = end.replace(day=1) - timedelta(days=1)
    return first, last


def add_peers(tables: dict[str, pa.Table], seed: int, end: date, days: int) -> dict[str, pa.Table]:
    """`tables` with the peer shops' rows appended (the same schemas)."""
    rng = rng_for(seed, 900)
    rows: dict[str, list[dict[str, Any]]] = {
        n: [] for n in ("shops", "customers", "identities", "products", "orders", "order_items")
    }
    start = end - timedelta(days=days - 1)
    daily = _home_daily_sales(tables, start, end)
    for p in range(1, PEER_COUNT + 1):
        shop = f"peer_apparel_{p}"
        rows["shops"].append(
            {
                "shop_id": shop,
                "name": f"Peer apparel {p}",
                "timezone": "Asia/Taipei",
                "currency": "TWD",
                "tier": "L3",
                "category": "apparel",
                "service_hours": "09:00-22:00",
            }
        )
        for cat, price in CATEGORIES:
            rows["products"].append(
                {
                    "shop_id": shop,
                    "product_id": f"{shop}-{cat}",
                    "title": f"{cat.title()} by peer {p}",
                    "category": cat,
                    "price": Decimal(price),
                    "currency": "TWD",
                }
            )
        # 30 orders a day, worth together 0.4–1.5 × the home shop's daily sales
        per_order = daily * float(rng.uniform(0.4, 1.5)) / ORDERS_PER_DAY
        n_orders = ORDERS_PER_DAY * days
        for i in range(n_orders):
            cust = f"{shop}-c{int(rng.integers(0, n_orders // 3)):05d}"
            day = start + timedelta(days=i // ORDERS_PER_DAY)
            cat, price = CATEGORIES[int(rng.integers(0, len(CATEGORIES)))]
            qty = max(1, round(per_order * float(rng.uniform(0.5, 1.5)) / price))
            _order(rows, shop, f"{shop}-o{i:06d}", cust, day, cat, price, qty, rng.random() < 0.9)
    _cross_shop(tables, rows, rng, end)
    customers = sorted({(r["shop_id"], r["customer_id"]) for r in rows["orders"]})
    rows["customers"] = [{"shop_id": s, "customer_id": c} for s, c in customers]
    out = dict(tables)
    for name, new in rows.items():
        schema = tables[name].schema
        table = pa.Table.from_pylist([{f: r.get(f) for f in schema.names} for r in new], schema)
        out[name] = pa.concat_tables([tables[name], table])
    return out


def _order(
    rows: dict[str, list[dict[str, Any]]],
    shop: str,
    order_id: str,
    customer: str,
    day: date,
    category: str,
    price: int,
    qty: int,
    paid: bool,
) -> None:
    created = datetime(day.year, day.month, day.day, 4, 0, tzinfo=UTC)  # 12:00 Taipei
    amount = Decimal(price * qty)
    rows["orders"].append(
        {
            "shop_id": shop,
            "order_id": order_id,
            "customer_id": customer,
            "created_at": created,
            "updated_at": created,
            "paid_at": created + timedelta(minutes=5) if paid else None,
            "currency": "TWD",
            "amount": amount,
            "source": "web",
            "traffic_source": "search",
            "status": "paid" if paid else "open",
        }
    )
    rows["order_items"].append(
        {
            "shop_id": shop,
            "order_id": order_id,
            "line_id": "1",
            "product_id": f"{shop}-{category}",
            "quantity": qty,
            "unit_price": Decimal(price),
            "amount": amount,
        }
    )


def _cross_shop(
    tables: dict[str, pa.Table],
    rows: dict[str, list[dict[str, Any]]],
    rng: np.random.Generator,
    end: date,
) -> None:
    """Some of alley_closet's lost users of the destination month buy in peer shops."""
    first, last = destination_month(end)
    lost = _lost_identities(tables, first, last)
    order = rng.permutation(len(lost))
    picked = [lost[int(i)] for i in order]
    plan: list[tuple[str, int]] = [(cat, n) for cat, n in GROUPS]
    # singles: a category at a price band nobody else buys in (hidden below k)
    plan += [("accessories", 1)] * SINGLES
    mid = first + timedelta(days=12)
    k = 0
    for g, (cat, n) in enumerate(plan):
        price = dict(CATEGORIES)[cat] if g < len(GROUPS) else 90 * (g + 1)
        for _ in range(n):
            if k >= len(picked):
                return
            channel, user = picked[k]
            shop = f"peer_apparel_{1 + k % 3}"
            cust = f"{shop}-x{k:04d}"
            rows["identities"].append(
                {"shop_id": shop, "channel": channel, "channel_user_id": user, "customer_id": cust}
            )
            day = min(mid + timedelta(days=k % 10), last)
            _order(rows, shop, f"{shop}-x{k:05d}", cust, day, cat, price, 1, True)
            k += 1


def _home_daily_sales(tables: dict[str, pa.Table], start: date, end: date) -> float:
    """The home shop's mean paid TWD sales per day over the window (1 when none)."""
    con = duckdb.connect()
    try:
        con.register("orders", tables["orders"])
        total = con.execute(
            "SELECT sum(amount) FROM orders WHERE shop_id = $shop AND currency = 'TWD' "
            "AND paid_at IS NOT NULL AND cancelled_at IS NULL",
            {"shop": HOME},
        ).fetchone()
    finally:
        con.close()
    days = (end - start).days + 1
    return max(float(total[0] or 0) / days, 1.0) if total else 1.0


def _lost_identities(tables: dict[str, pa.Table], first: date, last: date) -> list[tuple[str, str]]:
    """(channel, channel_user_id) of alley_closet customers who clicked between the 2nd
    and the 27th of the month and have no order in the month (± a day): lost users by
    any reading of the time zone."""
    con = duckdb.connect()
    try:
        for name in ("touchpoints", "orders", "identities"):
            con.register(name, tables[name])
        sql = """
        WITH link AS (
            SELECT visitor_id, arg_max(customer_id, ts) AS customer_id FROM touchpoints
            WHERE shop_id = $shop AND customer_id IS NOT NULL GROUP BY visitor_id
        ), clicks AS (
            SELECT DISTINCT link.customer_id FROM touchpoints t JOIN link USING (visitor_id)
            WHERE t.shop_id = $shop AND t.event = 'click'
              AND t.ts >= $c_lo AND t.ts < $c_hi
        ), buyers AS (
            SELECT DISTINCT customer_id FROM orders
            WHERE shop_id = $shop AND customer_id IS NOT NULL
              AND created_at >= $o_lo AND created_at < $o_hi
        )
        SELECT min(i.channel) AS channel, min(i.channel_user_id) AS user_id
        FROM identities i JOIN clicks c ON i.customer_id = c.customer_id
        WHERE i.shop_id = $shop AND i.customer_id NOT IN (SELECT customer_id FROM buyers)
        GROUP BY i.customer_id ORDER BY i.customer_id
        """

        def utc(d: date) -> datetime:
            return datetime(d.year, d.month, d.day, tzinfo=UTC)

        params = {
            "shop": HOME,
            "c_lo": utc(first + timedelta(days=1)),
            "c_hi": utc(first + timedelta(days=27)),
            "o_lo": utc(first - timedelta(days=1)),
            "o_hi": utc(last + timedelta(days=2)),
        }
        return [(str(a), str(b)) for a, b in con.execute(sql, params).fetchall()]
    finally:
        con.close()
