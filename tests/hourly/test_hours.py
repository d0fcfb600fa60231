"""`compare=yesterday` on the Taipei seed: cumulative local hours, the now cap, channels,
ratios from cumulative parts, empty yesterday, refused metrics, the cached statement."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from socialscope.metrics.query import QueryError
from tests.seedstore import SeedStore

D = Decimal


@pytest.fixture
def clock(store: SeedStore) -> Iterator[Any]:
    """Set the runner's clock for one test (restored afterwards)."""
    runner = store.client.runner
    before = runner.now

    def set_now(instant: datetime) -> None:
        runner.now = lambda: instant

    yield set_now
    runner.now = before


def by_hour(rows: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    out = {r["hour"]: r for r in rows}
    assert sorted(out) == list(range(24)), "one row per local hour 0-23"
    return out


def test_cumulative_counts_sums_and_a_ratio_by_local_hour(store: SeedStore) -> None:
    # yesterday 04-01: y1 00:05 (100), y2 09:59 (200), y3 10:00 (300), y4 23:59 (400);
    #   yx 10:00 is cancelled (not an order in the period, as for order_count itself).
    # today 04-02: t1 00:05 (10), t2 09:59 (20, twice in the file = one order),
    #   t3 10:00 (30), t4 23:59 (40); tx 09:00 cancelled. 03-30 and 04-03 00:00 are outside.
    result = store.query(
        ["order_count", "sales_amount", "aov"],
        shop="tpe",
        date_to="2026-04-02",
        compare="yesterday",
    )
    assert result.columns[:2] == ["hour", "currency"]
    assert (result.date_from, result.date_to) == (date(2026, 4, 2), date(2026, 4, 2))
    assert (result.previous_from, result.previous_to) == (date(2026, 4, 1), date(2026, 4, 1))
    h = by_hour(result.rows)
    expected_count = {0: (1, 1), 8: (1, 1), 9: (2, 2), 10: (3, 3), 22: (3, 3), 23: (4, 4)}
    for hour, (now, before) in expected_count.items():
        assert (h[hour]["order_count"], h[hour]["order_count__previous"]) == (now, before)
        assert h[hour]["order_count__change"] == 0
        assert h[hour]["order_count__change_pct"] == 0.0
    sales = {0: (10, 100), 9: (30, 300), 10: (60, 600), 23: (100, 1000)}
    for hour, (now, before) in sales.items():
        assert h[hour]["sales_amount"] == D(now)
        assert h[hour]["sales_amount__previous"] == D(before)
        assert h[hour]["sales_amount__change"] == D(now - before)
        assert h[hour]["sales_amount__change_pct"] == pytest.approx(-0.9)
    # aov from the cumulative parts: 30 / 2 at 09 today, 300 / 2 yesterday; 100/4 vs 1000/4
    assert (h[9]["aov"], h[9]["aov__previous"]) == (D("15.0000"), D("150.0000"))
    assert (h[23]["aov"], h[23]["aov__previous"]) == (D("25.0000"), D("250.0000"))
    assert h[5]["currency"] == "TWD"


def test_matches_the_underlying_metric_by_hour(store: SeedStore) -> None:
    """Duplicates and cancelled orders count exactly as in the plain hourly query: the
    cumulative value at 23 is the day's total, each step the hour's own value."""
    plain = store.rows(
        ["order_count", "sales_amount"],
        ["hour"],
        shop="tpe",
        date_from="2026-04-02",
        date_to="2026-04-02",
    )
    day = store.total(
        ["order_count", "sales_amount"], shop="tpe", date_from="2026-04-02", date_to="2026-04-02"
    )
    h = by_hour(
        store.rows(
            ["order_count", "sales_amount"], shop="tpe", date_to="2026-04-02", compare="yesterday"
        )
    )
    running = 0
    for row in plain:
        running += row["order_count"]
        assert h[row["hour"].hour]["order_count"] == running
    assert h[23]["order_count"] == day["order_count"] == 4
    assert h[23]["sales_amount"] == day["sales_amount"] == D(100)


def test_now_in_the_middle_of_today(store: SeedStore, clock: Any) -> None:
    # 2026-04-02 02:30 UTC = 10:30 in Taipei: hours 0-10 of today have begun, 11-23 not
    clock(datetime(2026, 4, 2, 2, 30, tzinfo=UTC))
    h = by_hour(store.rows(["order_count", "sales_amount"], shop="tpe", compare="yesterday"))
    assert (h[10]["order_count"], h[10]["order_count__previous"]) == (3, 3)
    assert h[10]["sales_amount"] == D(60)
    for hour in range(11, 24):
        assert h[hour]["order_count"] is None, hour  # absent, not 0
        assert h[hour]["sales_amount"] is None
        assert h[hour]["order_count__change"] is None
        assert h[hour]["order_count__change_pct"] is None
    # yesterday is complete up to every hour
    assert h[23]["order_count__previous"] == 4
    assert h[23]["sales_amount__previous"] == D(1000)


def test_today_defaults_to_the_shops_current_date(store: SeedStore, clock: Any) -> None:
    # 2026-04-01 17:00 UTC is already 04-02 01:00 in Taipei
    clock(datetime(2026, 4, 1, 17, 0, tzinfo=UTC))
    result = store.query(["order_count"], shop="tpe", compare="yesterday")
    assert result.date_to == date(2026, 4, 2)
    h = by_hour(result.rows)
    assert (h[1]["order_count"], h[1]["order_count__previous"]) == (1, 1)
    assert h[2]["order_count"] is None


def test_empty_yesterday_gives_null_change_pct(store: SeedStore) -> None:
    # today 04-01 against 03-31, which holds no order (the older one is 03-30)
    h = by_hour(
        store.rows(["order_count", "aov"], shop="tpe", date_to="2026-04-01", compare="yesterday")
    )
    assert (h[0]["order_count"], h[0]["order_count__previous"]) == (1, 0)
    assert h[0]["order_count__change"] == 1
    assert h[0]["order_count__change_pct"] is None
    assert h[0]["aov__previous"] is None  # 0 / 0 orders
    assert h[23]["order_count"] == 4


def test_split_by_channel(store: SeedStore) -> None:
    # line: yesterday y1 00:05, y3 10:00; today t1 00:05, t2 09:59, t4 23:59
    # facebook: yesterday y2 09:59, y4 23:59; today t3 10:00
    rows = store.rows(
        ["order_count"], ["channel"], shop="tpe", date_to="2026-04-02", compare="yesterday"
    )
    assert len(rows) == 48
    got = {(r["channel"], r["hour"]): (r["order_count"], r["order_count__previous"]) for r in rows}
    assert got["line", 0] == (1, 1)
    assert got["line", 9] == (2, 1)
    assert got["line", 10] == (2, 2)
    assert got["line", 23] == (3, 2)
    assert got["facebook", 0] == (0, 0)
    assert got["facebook", 9] == (0, 1)
    assert got["facebook", 10] == (1, 1)
    assert got["facebook", 23] == (1, 2)
    facebook_9 = next(r for r in rows if r["channel"] == "facebook" and r["hour"] == 9)
    assert facebook_9["order_count__change_pct"] == -1.0


def test_hour_may_be_named_and_other_grains_are_refused(store: SeedStore) -> None:
    named = store.rows(
        ["order_count"], ["hour"], shop="tpe", date_to="2026-04-02", compare="yesterday"
    )
    assert [r["hour"] for r in named] == list(range(24))
    with pytest.raises(QueryError, match="drop the 'date' dimension"):
        store.query(["order_count"], ["date"], shop="tpe", compare="yesterday")
    with pytest.raises(QueryError, match="not from"):
        store.query(
            ["order_count"],
            shop="tpe",
            date_from="2026-04-01",
            date_to="2026-04-02",
            compare="yesterday",
        )


def test_distinct_counts_by_cumulative_reaggregation(store: SeedStore) -> None:
    # customer messages: yesterday cA 10:00; today cA 00:05, cB 09:59, cA 10:00 (again),
    # cC 23:59 (facebook); an agent reply at 10:02 is no customer message.
    # Distinct customers to date: 1 at 00-08, 2 at 09, still 2 at 10 (cA again: a sum of
    # hourly distinct counts would say 3), 3 at 23. Yesterday: 0 until 09, 1 from 10.
    rows = store.rows(
        ["inquiring_customers", "inbound_messages"],
        shop="tpe",
        date_to="2026-04-02",
        compare="yesterday",
    )
    h = by_hour(rows)
    got = {k: (h[k]["inquiring_customers"], h[k]["inquiring_customers__previous"]) for k in h}
    assert got[0] == (1, 0)
    assert got[8] == (1, 0)
    assert got[9] == (2, 0)
    assert got[10] == (2, 1)
    assert got[22] == (2, 1)
    assert got[23] == (3, 1)
    assert h[10]["inquiring_customers__change_pct"] == 1.0
    assert h[9]["inquiring_customers__change_pct"] is None  # nothing yesterday yet
    # a count in the same query is the same running total as on its own
    assert [h[k]["inbound_messages"] for k in (0, 9, 10, 23)] == [1, 2, 3, 4]
    assert [h[k]["inbound_messages__previous"] for k in (0, 9, 10, 23)] == [0, 0, 1, 1]
    # the value at 23 is the metric over the whole day
    day = store.total(
        ["inquiring_customers"], shop="tpe", date_from="2026-04-02", date_to="2026-04-02"
    )
    assert day["inquiring_customers"] == h[23]["inquiring_customers"]


def test_distinct_counts_by_channel(store: SeedStore) -> None:
    rows = store.rows(
        ["inquiring_customers"], ["channel"], shop="tpe", date_to="2026-04-02", compare="yesterday"
    )
    got = {(r["channel"], r["hour"]): r["inquiring_customers"] for r in rows}
    assert (got["line", 0], got["line", 9], got["line", 10], got["line", 23]) == (1, 2, 2, 2)
    assert (got["facebook", 22], got["facebook", 23]) == (0, 1)


def test_distinct_counts_with_now_in_the_middle(store: SeedStore, clock: Any) -> None:
    clock(datetime(2026, 4, 2, 2, 30, tzinfo=UTC))  # 10:30 in Taipei
    h = by_hour(store.rows(["inquiring_customers"], shop="tpe", compare="yesterday"))
    assert h[10]["inquiring_customers"] == 2
    assert h[11]["inquiring_customers"] is None
    assert h[23]["inquiring_customers__previous"] == 1


@pytest.mark.parametrize(
    ("metric", "reason"),
    [
        ("silent_orders", "built per query period"),
        ("click_users", "built per query period"),
        ("inquiry_conversion_rate", "its part 'inquiry_converted_customers'"),
        ("queue_waiting", "snapshot"),
        ("impressions", "recorded per day"),
    ],
)
def test_metrics_without_hours_are_refused_by_name(
    store: SeedStore, metric: str, reason: str
) -> None:
    with pytest.raises(QueryError) as err:
        store.query([metric], shop="tpe", date_to="2026-04-02", compare="yesterday")
    message = str(err.value)
    assert f"metric {metric!r} cannot be compared with yesterday by hour" in message
    assert reason in message


def test_several_shops_each_with_its_own_today(store: SeedStore, clock: Any) -> None:
    # 2026-04-02 02:30 UTC: Taipei 04-02 10:30, New York 04-01 22:30 (EDT), Warsaw 04-02
    # 04:30 with no order on either day (no rows, as any split without data).
    clock(datetime(2026, 4, 2, 2, 30, tzinfo=UTC))
    rows = store.rows(["order_count"], ["shop_id"], compare="yesterday")
    got = {(r["shop_id"], r["hour"]): (r["order_count"], r["order_count__previous"]) for r in rows}
    assert {s for s, _ in got} == {"tpe", "nyc"}
    assert got["tpe", 10] == (3, 3)
    assert got["tpe", 11] == (None, 3)
    # nyc: q0 2026-03-31 09:00 EDT (yesterday), q1 2026-04-01 09:00 EDT (today)
    assert got["nyc", 8] == (0, 0)
    assert got["nyc", 9] == (1, 1)
    assert got["nyc", 22] == (1, 1)
    assert got["nyc", 23] == (None, 1)
    with pytest.raises(QueryError, match="several shops"):
        store.query(["order_count"], compare="yesterday")


def test_warm_path_does_not_compile(store: SeedStore, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = store.client.engine
    store.query(
        ["order_count", "aov"], ["channel"], shop="tpe", date_to="2026-04-02", compare="yesterday"
    )
    compiled: list[Any] = []
    original = engine._compile

    def counting(build: Any) -> Any:
        compiled.append(build)
        return original(build)

    monkeypatch.setattr(engine, "_compile", counting)
    for day in ("2026-04-01", "2026-04-02", "2026-03-31"):
        store.query(
            ["order_count", "aov"], ["channel"], shop="tpe", date_to=day, compare="yesterday"
        )
    store.query(
        ["order_count", "aov"], ["channel"], shop="nyc", date_to="2026-03-08", compare="yesterday"
    )
    assert compiled == []


def test_money_of_two_currencies_is_never_added(tmp_path: Any) -> None:
    import socialscope

    seed = tmp_path / "seed"
    seed.mkdir()
    (seed / "shops.csv").write_text("shop_id,name,timezone,currency\ns,S,UTC,EUR\n")
    (seed / "orders.csv").write_text(
        "shop_id,order_id,customer_id,created_at,currency,amount,source\n"
        "s,a,c,2026-04-02T01:00:00Z,EUR,10,web\n"
        "s,b,c,2026-04-02T02:00:00Z,USD,20,web\n"
    )
    with socialscope.connect(tmp_path / "t.duckdb") as client:
        client.ingest([seed])
        with pytest.raises(QueryError, match="2 currencies"):
            client.query("sales_amount", date_to="2026-04-02", compare="yesterday")
        rows = client.query(
            "sales_amount", by="currency", date_to="2026-04-02", compare="yesterday"
        ).rows
        got = {(r["currency"], r["hour"]): r["sales_amount"] for r in rows}
        assert got["EUR", 1] == D(10)
        assert got["USD", 1] == D(0)
        assert got["USD", 2] == D(20)
