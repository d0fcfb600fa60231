"""A small long-history store for weekly and monthly anomalies (built once per session).

Shop `m1` (Europe/Warsaw, PLN), 2024-01-01 .. 2026-06-30: about 12 orders a day with a
weekday pattern and seeded noise; one ordinary post every Monday. Injected, each on purpose:

* SPIKE_MONTH 2025-10: every day's orders × 1.5;
* SPIKE_WEEK 2026-03-09 .. 03-15: orders × 1.8 — and a big live on its Wednesday, while
  another big live 10 days before the week lies outside its explanation window.

Shop `m2` holds 2026-02-02 .. 2026-04-30 only (warm-up): its 4th week (2026-02-23) has
3 × the orders and its 3rd month (April) 3 × too — neither may be flagged.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow as pa

import socialscope

TZ = ZoneInfo("Europe/Warsaw")
M1_FIRST, M1_LAST = date(2024, 1, 1), date(2026, 6, 30)
M2_FIRST, M2_LAST = date(2026, 2, 2), date(2026, 4, 30)
SPIKE_MONTH = date(2025, 10, 1)
SPIKE_WEEK = date(2026, 3, 9)
BIG_LIVE = date(2026, 3, 11)
EARLY_LIVE = date(2026, 2, 27)
M2_SPIKE_WEEK = date(2026, 2, 23)
M2_SPIKE_MONTH = date(2026, 4, 1)
SEASON = (1.0, 0.9, 0.95, 1.0, 1.2, 1.5, 1.3)
RATE = 12.0


def utc(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), TZ).astimezone(UTC)


def _factor(shop: str, d: date) -> float:
    if shop == "m1":
        if (d.year, d.month) == (SPIKE_MONTH.year, SPIKE_MONTH.month):
            return 1.5
        if SPIKE_WEEK <= d < SPIKE_WEEK + timedelta(days=7):
            return 1.8
        return 1.0
    if M2_SPIKE_WEEK <= d < M2_SPIKE_WEEK + timedelta(days=7) or d >= M2_SPIKE_MONTH:
        return 3.0
    return 1.0


def daily_orders(shop: str) -> dict[date, int]:
    """Orders per local day of a shop (seeded)."""
    first, last = (M1_FIRST, M1_LAST) if shop == "m1" else (M2_FIRST, M2_LAST)
    rnd = random.Random(f"{shop}-orders")
    out = {}
    d = first
    while d <= last:
        mu = RATE * SEASON[d.weekday()] * _factor(shop, d)
        out[d] = max(0, round(rnd.gauss(mu, 0.12 * mu)))
        d += timedelta(days=1)
    return out


def _orders() -> pa.Table:
    rows = []
    for shop in ("m1", "m2"):
        for d, n in daily_orders(shop).items():
            nine = utc(d, 9)  # the day's 09:00 local, once (a DST day shifts by an hour)
            for i in range(n):
                rows.append(
                    {
                        "shop_id": shop,
                        "order_id": f"{shop}-{d:%Y%m%d}-{i:03d}",
                        "created_at": nine + timedelta(hours=i % 12, minutes=(i * 7) % 60),
                        "currency": "PLN",
                        "amount": "100.00",
                        "source": "post",
                        "channel": "facebook",
                        "status": "paid",
                    }
                )
    return pa.Table.from_pylist(rows)


def _lives() -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "shop_id": "m1",
                "live_id": live_id,
                "channel": "facebook",
                "started_at": utc(day, 19),
                "ended_at": utc(day, 21),
                "title": title,
                "unique_viewers": 6000,
            }
            for live_id, day, title in (
                ("early", EARLY_LIVE, "Too early"),
                ("big", BIG_LIVE, "Spring show"),
            )
        ]
    )


def _posts() -> pa.Table:
    rows = []
    d = M1_FIRST
    while d <= M1_LAST:
        rows.append(
            {
                "shop_id": "m1",
                "post_id": f"p{d:%Y%m%d}",
                "channel": "facebook",
                "kind": "photo",
                "published_at": utc(d, 10),
                "caption": "New arrivals",
                "is_paid": False,
                "campaign": None,
            }
        )
        d += timedelta(days=7)
    return pa.Table.from_pylist(rows)


def build_long(path: Path) -> None:
    shops = pa.Table.from_pylist(
        [
            {"shop_id": s, "name": s, "timezone": "Europe/Warsaw", "currency": "PLN"}
            for s in ("m1", "m2")
        ]
    )
    with socialscope.connect(path) as client:
        report = client.ingest_arrow(
            {"shops": shops, "orders": _orders(), "live_sessions": _lives(), "posts": _posts()}
        )
        assert report.quarantined_total == 0, report
