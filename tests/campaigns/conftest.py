"""Hand-built stores for the campaign review (CSV tables ingested into a fresh DuckDB).

`funnel` (seeds/funnel, written by hand): warsaw_shop (Europe/Warsaw, PLN) with a post
and a live funnel in the 14 days before 2026-04-01, for the target chains.

`lift` (CSV written here from the day tables below, so the pattern is readable):
taipei_shop (Asia/Taipei, TWD), 2026-02-16 (Mon) .. 2026-03-08 (Sun); the launch is
2026-03-02 (Mon): two weeks of history, one week after.
- sessions per day: week 1 Mon..Sun 3 1 2 2 2 4 4, week 2 1 3 2 2 2 4 4 (weekday 2,
  weekend 4, with ±1 on Mon/Tue), after 3 3 3 3 3 5 5; of which social (channel
  instagram): 1 a day before, 2 a day after; one social session a day after the launch
  is tagged campaign `spring`, the first at 2026-03-01T17:00Z = 03-02 01:00 local.
- clicks (touchpoints, one visitor per click): before, each day 2 instagram click users
  (one buys within 30 minutes) and 1 facebook click user (no purchase); after, all three
  buy.
- orders (TWD, web, paid): before, weekdays one of 100, weekend days two of 100; after,
  weekdays one of 150, weekend days two of 100. Plus a USD order (2026-02-18) and a
  cancelled TWD order (2026-03-03), both outside every metric used.
- post P (instagram, published 2026-03-01T20:30Z = 03-02 04:30 local) and live L
  (facebook, started 2026-03-02 20:00 local); neither has comments or content counters.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

import socialscope
from socialscope.client import Client

SEEDS = Path(__file__).parent / "seeds"

FIRST_DAY = date(2026, 2, 16)
LAUNCH = date(2026, 3, 2)
SESSIONS = [3, 1, 2, 2, 2, 4, 4, 1, 3, 2, 2, 2, 4, 4, 3, 3, 3, 3, 3, 5, 5]
SOCIAL = [1] * 14 + [2] * 7
SHOP = "taipei_shop"


def _write(folder: Path, table: str, rows: Sequence[dict[str, Any]]) -> None:
    with (folder / f"{table}.csv").open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _at(day: date, clock: str) -> str:
    return f"{day.isoformat()}T{clock}+08:00"


def _sessions() -> list[dict[str, Any]]:
    rows = []
    for i, (total, social) in enumerate(zip(SESSIONS, SOCIAL, strict=True)):
        day = FIRST_DAY + timedelta(days=i)
        after = day >= LAUNCH
        for k in range(total):
            is_social = k < social
            started = _at(day, f"10:{k:02d}:00")
            campaign = "spring" if after and k == 0 else ""
            if after and k == 0 and day == LAUNCH:
                started = "2026-03-01T17:00:00Z"  # 01:00 on 03-02 in Taipei
            rows.append(
                {
                    "shop_id": SHOP,
                    "session_id": f"s{i}_{k}",
                    "visitor_id": f"web{i}_{k}",
                    "started_at": started,
                    "source": "instagram" if is_social else "google",
                    "medium": "social" if is_social else "organic",
                    "campaign": campaign,
                    "channel": "instagram" if is_social else "",
                }
            )
    return rows


def _touchpoints() -> list[dict[str, Any]]:
    rows = []
    for i in range(len(SESSIONS)):
        day = FIRST_DAY + timedelta(days=i)
        after = day >= LAUNCH
        clickers = [("ig1", "instagram", True), ("ig2", "instagram", after)]
        clickers.append(("fb1", "facebook", after))
        for name, channel, buys in clickers:
            visitor = f"v{i}_{name}"
            events = [("click", "11:00:00")] + ([("purchase", "11:30:00")] if buys else [])
            for event, clock in events:
                rows.append(
                    {
                        "shop_id": SHOP,
                        "event_id": f"{visitor}_{event}",
                        "visitor_id": visitor,
                        "ts": _at(day, clock),
                        "event": event,
                        "channel": channel,
                        "campaign": "",
                    }
                )
    return rows


def _order(order_id: str, day: date, amount: int, **extra: str) -> dict[str, Any]:
    return {
        "shop_id": SHOP,
        "order_id": order_id,
        "customer_id": f"cust_{order_id}",
        "created_at": _at(day, "12:00:00"),
        "paid_at": _at(day, "12:05:00"),
        "cancelled_at": extra.get("cancelled_at", ""),
        "currency": extra.get("currency", "TWD"),
        "amount": amount,
        "source": "web",
    }


def _orders() -> list[dict[str, Any]]:
    rows = []
    for i in range(len(SESSIONS)):
        day = FIRST_DAY + timedelta(days=i)
        weekend = day.weekday() >= 5
        amount = 150 if day >= LAUNCH and not weekend else 100
        for k in range(2 if weekend else 1):
            rows.append(_order(f"o{i}_{k}", day, amount))
    rows.append(_order("usd", date(2026, 2, 18), 999, currency="USD"))
    rows.append(
        _order("gone", date(2026, 3, 3), 5000, cancelled_at=_at(date(2026, 3, 3), "13:00:00"))
    )
    return rows


def _build_lift(folder: Path) -> None:
    _write(
        folder,
        "shops",
        [{"shop_id": SHOP, "name": "Taipei", "timezone": "Asia/Taipei", "currency": "TWD"}],
    )
    _write(folder, "web_sessions", _sessions())
    _write(folder, "touchpoints", _touchpoints())
    _write(folder, "orders", _orders())
    _write(
        folder,
        "posts",
        [
            {
                "shop_id": SHOP,
                "post_id": "P",
                "channel": "instagram",
                "kind": "reel",
                "published_at": "2026-03-01T20:30:00Z",
            }
        ],
    )
    _write(
        folder,
        "live_sessions",
        [
            {
                "shop_id": SHOP,
                "live_id": "L",
                "channel": "facebook",
                "started_at": "2026-03-02T20:00:00+08:00",
                "unique_viewers": 100,
            }
        ],
    )


def _open(tmp: Path, source: Path) -> Iterator[Client]:
    with socialscope.connect(tmp / "t.duckdb") as client:
        report = client.ingest([source])
        assert report.quarantined_total == 0, report.to_dict()
        yield client


@pytest.fixture(scope="module")
def lift_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The lift store as a DuckDB file (closed), for the CLI."""
    tmp = tmp_path_factory.mktemp("campaign_lift")
    folder = tmp / "csv"
    folder.mkdir()
    _build_lift(folder)
    for _ in _open(tmp, folder):
        pass
    return tmp / "t.duckdb"


@pytest.fixture(scope="module")
def lift(lift_db: Path) -> Iterator[Client]:
    with socialscope.connect(lift_db) as client:
        yield client


@pytest.fixture(scope="module")
def funnel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    yield from _open(tmp_path_factory.mktemp("campaign_funnel"), SEEDS / "funnel")
