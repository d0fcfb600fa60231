"""A synthetic store for the anomaly runner, generated once per test session.

Shop `s1` (Europe/Warsaw, PLN), 2025-12-01 .. 2026-04-26: orders with a weekly pattern
and seeded noise (70 % facebook, 30 % instagram), a typical Saturday live (~800 viewers),
a post every Monday, three agents online Mon-Fri 09:00-17:00. Injected, each on purpose:

* SPIKE 2026-03-18 (Wed): orders × 2.2 — and that day a big facebook live (5,000 viewers)
  at 19:00, plus an ordinary post at 10:00;
* DROP 2026-04-08 (Wed): orders × 0.35 — two of the three agents offline all day;
* LINE_DAY 2026-04-15: 5 orders on line, a channel with none before (expected 0);
* LAUNCH 2026-04-22 (Wed): orders × 1.9 — campaign "spring_sale" first seen (a post), a
  new product "Spring jacket" first ordered, one order of 4,000 PLN (orders are 80-160)
  and a refund of 3,000 PLN (refunds are 50-100, one every few days);
* DST: 2026-03-29 (spring forward) is an ordinary Sunday.

Shop `s2` holds ten days only (warm-up: never flagged), with a spike on its last day.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow as pa
import pytest

import socialscope
from socialscope.client import Client

TZ = ZoneInfo("Europe/Warsaw")
FIRST = date(2025, 12, 1)
LAST = date(2026, 4, 26)
SPIKE = date(2026, 3, 18)
DROP = date(2026, 4, 8)
LINE_DAY = date(2026, 4, 15)
LAUNCH = date(2026, 4, 22)
DST = date(2026, 3, 29)
EVAL_FROM = date(2026, 3, 2)
SEASON = (1.0, 0.9, 0.95, 1.0, 1.2, 1.5, 1.3)  # Monday .. Sunday
BASE = 60
AGENTS = ("a1", "a2", "a3")


def utc(day: date, hh: int, mm: int = 0) -> datetime:
    """A shop-local wall-clock time as a tz-aware UTC instant (naive ones would be read as
    shop-local by the importer)."""
    return datetime.combine(day, time(hh, mm), TZ).astimezone(UTC)


def days(first: date, last: date) -> Iterator[date]:
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


def order_counts() -> dict[date, int]:
    """Orders per day of s1 (facebook + instagram), with the spike and the drop."""
    rnd = random.Random(20260308)
    out = {}
    for d in days(FIRST, LAST):
        mu = BASE * SEASON[d.weekday()]
        n = max(0, round(rnd.gauss(mu, 0.08 * mu)))
        if d == SPIKE:
            n = round(n * 2.2)
        if d == DROP:
            n = round(n * 0.35)
        if d == LAUNCH:
            n = round(n * 1.9)
        out[d] = n
    return out


def _orders() -> pa.Table:
    rnd = random.Random(7)
    rows = []
    for d, n in order_counts().items():
        for i in range(n):
            channel = "facebook" if i % 10 < 7 else "instagram"
            amount = round(rnd.uniform(80, 160), 2)
            if d == LAUNCH and i == 0:
                amount = 4000.0
            rows.append(
                {
                    "shop_id": "s1",
                    "order_id": f"o{d:%Y%m%d}{i:03d}",
                    "created_at": utc(d, 9 + (i * 7) % 13, (i * 11) % 60),
                    "currency": "PLN",
                    "amount": str(amount),
                    "source": "post",
                    "channel": channel,
                    "status": "paid",
                    "campaign": "spring_sale" if d == LAUNCH and i % 3 == 0 else None,
                }
            )
    for i in range(5):
        rows.append(
            {
                "shop_id": "s1",
                "order_id": f"line{i}",
                "created_at": utc(LINE_DAY, 12, i),
                "currency": "PLN",
                "amount": "100.00",
                "source": "message_center",
                "channel": "line",
                "status": "paid",
            }
        )
    # s2: ten days, the last one a spike
    for j, d in enumerate(days(date(2026, 4, 17), LAST)):
        for i in range(60 if d == LAST else 10):
            rows.append(
                {
                    "shop_id": "s2",
                    "order_id": f"s2-{j}-{i}",
                    "created_at": utc(d, 12),
                    "currency": "PLN",
                    "amount": "50.00",
                    "source": "web",
                    "channel": "facebook",
                    "status": "paid",
                }
            )
    return pa.Table.from_pylist(rows)


def _order_items() -> pa.Table:
    """One line per day's first order (an old product); on LAUNCH the new product."""
    rows = []
    for d, n in order_counts().items():
        if n == 0:
            continue
        product = "spring-jacket" if d == LAUNCH else "basic-tee"
        rows.append(
            {
                "shop_id": "s1",
                "order_id": f"o{d:%Y%m%d}001",
                "line_id": "1",
                "product_id": product,
                "quantity": 1,
                "unit_price": "100.00",
            }
        )
    return pa.Table.from_pylist(rows)


def _refunds() -> pa.Table:
    rnd = random.Random(3)
    rows = []
    for k, d in enumerate(days(FIRST, LAST)):
        if k % 4 == 0 and d != LAUNCH:
            rows.append(
                {
                    "shop_id": "s1",
                    "refund_id": f"r{d:%m%d}",
                    "order_id": f"o{d:%Y%m%d}002",
                    "ts": utc(d, 15),
                    "amount": str(round(rnd.uniform(50, 100), 2)),
                }
            )
    rows.append(
        {
            "shop_id": "s1",
            "refund_id": "r-big",
            "order_id": f"o{LAUNCH:%Y%m%d}003",
            "ts": utc(LAUNCH, 16),
            "amount": "3000.00",
        }
    )
    return pa.Table.from_pylist(rows)


def _lives() -> pa.Table:
    rows = []
    rnd = random.Random(11)
    for d in days(FIRST, LAST):
        if d.weekday() == 5:  # Saturday lives, ordinary
            rows.append(
                {
                    "shop_id": "s1",
                    "live_id": f"live{d:%m%d}",
                    "channel": "facebook",
                    "started_at": utc(d, 20),
                    "ended_at": utc(d, 21, 30),
                    "title": "Saturday live",
                    "unique_viewers": 800 + rnd.randint(-80, 80),
                }
            )
    rows.append(
        {
            "shop_id": "s1",
            "live_id": "big-live",
            "channel": "facebook",
            "started_at": utc(SPIKE, 19),
            "ended_at": utc(SPIKE, 21, 10),
            "title": "Winter drop",
            "unique_viewers": 5000,
        }
    )
    return pa.Table.from_pylist(rows)


def _posts() -> pa.Table:
    rows = [
        {
            "shop_id": "s1",
            "post_id": f"p{d:%m%d}",
            "channel": "facebook",
            "kind": "photo",
            "published_at": utc(d, 10),
            "caption": "New arrivals",
            "is_paid": False,
            "campaign": None,
        }
        for d in days(FIRST, LAST)
        if d.weekday() == 0
    ]
    rows.append(
        {
            "shop_id": "s1",
            "post_id": "p-launch",
            "channel": "facebook",
            "kind": "post",
            "published_at": utc(LAUNCH, 8),
            "caption": "Spring sale starts now",
            "is_paid": True,
            "campaign": "spring_sale",
        }
    )
    rows.append(
        {
            "shop_id": "s1",
            "post_id": "p-spike",
            "channel": "instagram",
            "kind": "reel",
            "published_at": utc(SPIKE, 10),
            "caption": "Behind the scenes",
        }
    )
    return pa.Table.from_pylist(rows)


def _agent_status() -> pa.Table:
    rows = []
    for d in days(FIRST, LAST):
        if d.weekday() >= 5:
            continue
        for a in AGENTS:
            if d == DROP and a != "a1":
                continue  # a2 and a3 never came online
            rows.append({"shop_id": "s1", "staff_id": a, "ts": utc(d, 9), "status": "online"})
            rows.append({"shop_id": "s1", "staff_id": a, "ts": utc(d, 17), "status": "offline"})
    return pa.Table.from_pylist(rows)


def build(path: Path) -> None:
    shops = pa.Table.from_pylist(
        [
            {"shop_id": "s1", "name": "Synthetic", "timezone": "Europe/Warsaw", "currency": "PLN"},
            {"shop_id": "s2", "name": "Young", "timezone": "Europe/Warsaw", "currency": "PLN"},
        ]
    )
    staff = pa.Table.from_pylist(
        [{"shop_id": "s1", "staff_id": a, "name": f"Agent {a[-1]}"} for a in AGENTS]
    )
    with socialscope.connect(path) as client:
        report = client.ingest_arrow(
            {
                "shops": shops,
                "staff": staff,
                "orders": _orders(),
                "order_items": _order_items(),
                "products": pa.Table.from_pylist(
                    [
                        {"shop_id": "s1", "product_id": "basic-tee", "title": "Basic tee"},
                        {"shop_id": "s1", "product_id": "spring-jacket", "title": "Spring jacket"},
                    ]
                ),
                "refunds": _refunds(),
                "live_sessions": _lives(),
                "posts": _posts(),
                "agent_status": _agent_status(),
            }
        )
        assert report.quarantined_total == 0, report


@pytest.fixture(scope="session")
def synthetic_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("anomalies") / "synthetic.duckdb"
    build(path)
    return path


@pytest.fixture(scope="module")
def client(synthetic_db: Path) -> Iterator[Client]:
    with socialscope.connect(synthetic_db, read_only=True) as c:
        yield c


@pytest.fixture(scope="session")
def long_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The long-history store of tests/insights/longstore.py (weeks and months)."""
    from tests.insights.longstore import build_long

    path = tmp_path_factory.mktemp("anomalies_long") / "long.duckdb"
    build_long(path)
    return path


@pytest.fixture(scope="module")
def long_client(long_db: Path) -> Iterator[Client]:
    with socialscope.connect(long_db, read_only=True) as c:
        yield c
