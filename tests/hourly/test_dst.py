"""`compare=yesterday` on DST change days: rows by local wall-clock hour 0-23; the hour a
spring-forward day skips adds nothing (its cumulative value is the hour before's); the hour
a fall-back day repeats holds both of its passes."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from tests.seedstore import SeedStore


def hours(store: SeedStore, shop: str, day: str) -> dict[int, dict[str, Any]]:
    rows = store.rows(["order_count", "sales_amount"], shop=shop, date_to=day, compare="yesterday")
    assert [r["hour"] for r in rows] == list(range(24))
    return {r["hour"]: r for r in rows}


def pair(row: dict[str, Any]) -> tuple[Any, Any]:
    return row["order_count"], row["order_count__previous"]


@pytest.mark.parametrize(("shop", "day"), [("nyc", "2026-03-08"), ("waw", "2026-03-29")])
def test_spring_forward_day_has_23_hours(store: SeedStore, shop: str, day: str) -> None:
    # nyc: s0 03-07 07:30Z = 02:30 EST (yesterday hour 2); s1 03-08 06:30Z = 01:30 EST;
    #      s2 03-08 07:30Z = 03:30 EDT (02:00-02:59 does not exist that day).
    # waw: w0 03-28 01:30Z = 02:30 CET (yesterday hour 2); w1 03-29 00:30Z = 01:30 CET;
    #      w2 03-29 01:30Z = 03:30 CEST.
    h = hours(store, shop, day)
    assert pair(h[0]) == (0, 0)
    assert h[0]["order_count__change_pct"] is None
    assert pair(h[1]) == (1, 0)
    assert pair(h[2]) == (1, 1)  # the skipped hour: today's value carries, yesterday's rises
    assert pair(h[3]) == (2, 1)
    assert pair(h[23]) == (2, 1)
    assert h[3]["sales_amount"] == Decimal(6)
    assert h[3]["order_count__change_pct"] == 1.0


def test_fall_back_day_new_york(store: SeedStore) -> None:
    # f0 10-31 05:10Z = 01:10 EDT (yesterday hour 1); f1 11-01 05:30Z = 01:30 EDT and
    # f2 11-01 06:30Z = 01:30 EST are both wall-clock hour 1; f3 07:30Z = 02:30 EST.
    h = hours(store, "nyc", "2026-11-01")
    assert pair(h[0]) == (0, 0)
    assert pair(h[1]) == (2, 1)
    assert h[1]["order_count__change_pct"] == 1.0
    assert pair(h[2]) == (3, 1)
    assert h[2]["sales_amount"] == Decimal(14)
    assert pair(h[23]) == (3, 1)


def test_fall_back_day_warsaw_with_empty_yesterday(store: SeedStore) -> None:
    # w3 10-25 00:30Z = 02:30 CEST and w4 01:30Z = 02:30 CET: both wall-clock hour 2
    h = hours(store, "waw", "2026-10-25")
    assert pair(h[1]) == (0, 0)
    assert pair(h[2]) == (2, 0)
    assert h[2]["sales_amount"] == Decimal(24)
    assert h[2]["order_count__change_pct"] is None


def test_now_during_the_repeated_hour(store: SeedStore) -> None:
    # 11-01 06:45Z = 01:45 EST, the second pass of hour 1: hour 1 holds both passes so
    # far, hour 2 has not begun
    runner = store.client.runner
    before = runner.now
    runner.now = lambda: datetime(2026, 11, 1, 6, 45, tzinfo=UTC)
    try:
        rows = store.rows(["order_count"], shop="nyc", compare="yesterday")
    finally:
        runner.now = before
    h = {r["hour"]: r for r in rows}
    assert pair(h[1]) == (2, 1)
    assert pair(h[2]) == (None, 1)


def test_now_just_after_the_skipped_hour(store: SeedStore) -> None:
    # 03-08 07:45Z = 03:45 EDT: hours 0-3 have begun (2 by the clock), 4 not
    runner = store.client.runner
    before = runner.now
    runner.now = lambda: datetime(2026, 3, 8, 7, 45, tzinfo=UTC)
    try:
        rows = store.rows(["order_count"], shop="nyc", compare="yesterday")
    finally:
        runner.now = before
    h = {r["hour"]: r for r in rows}
    assert pair(h[2]) == (1, 1)
    assert pair(h[3]) == (2, 1)
    assert pair(h[4]) == (None, 1)


def test_distinct_customers_across_the_repeated_hour(store: SeedStore) -> None:
    # cX writes at 01:30 EDT (05:30Z) and 01:30 EST (06:30Z): both wall-clock hour 1, one
    # customer; cY at 02:30 EST. Distinct customers to date: 1 at hour 1, 2 at hour 2;
    # messages to date: 2, 3. Nothing on 10-31.
    rows = store.rows(
        ["inquiring_customers", "inbound_messages"],
        shop="nyc",
        date_to="2026-11-01",
        compare="yesterday",
    )
    h = {r["hour"]: r for r in rows}
    assert [h[k]["inquiring_customers"] for k in (0, 1, 2, 23)] == [0, 1, 2, 2]
    assert [h[k]["inbound_messages"] for k in (0, 1, 2, 23)] == [0, 2, 3, 3]
    assert h[23]["inquiring_customers__previous"] == 0
    assert h[23]["inquiring_customers__change_pct"] is None
