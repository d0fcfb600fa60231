"""Empty periods, zero denominators and compare mode on the interaction and sales seeds.

The seed contents are listed in the docstrings of test_seed_interaction.py and
test_seed_sales.py; the per-day values used here are derived there.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import socialscope

TP = {"shop": "taipei_shop"}
WA = {"shop": "warsaw_shop"}
JAN = {"date_from": "2026-01-01", "date_to": "2026-01-03"}
JAN_DAYS = [date(2026, 1, d) for d in (1, 2, 3)]
INTERACTION_METRICS = [
    "conversations",
    "human_conversations",
    "inbound_messages",
    "outbound_messages",
    "inquiring_customers",
    "served_customers",
    "interacting_users",
    "comments_received",
    "product_inquiries",
]
ORDER_METRICS = [
    "order_count",
    "sales_amount",
    "paid_order_count",
    "net_paid_amount",
    "refund_amount",
    "aov",
]


# ---------------------------------------------------------------- empty periods


def test_empty_period_interaction_by_date(interaction):
    idx = interaction.index(INTERACTION_METRICS, ["date"], **TP, **JAN)
    # no data in January: every day still appears, every count is 0
    assert sorted(idx) == JAN_DAYS
    for d in JAN_DAYS:
        for m in INTERACTION_METRICS:
            assert idx[d][m] == 0, (d, m)


def test_empty_period_orders_by_date(sales):
    idx = sales.index(ORDER_METRICS, ["date"], **TP, **JAN)
    assert sorted(idx) == JAN_DAYS
    for d in JAN_DAYS:
        row = idx[d]
        assert row["order_count"] == 0
        assert row["paid_order_count"] == 0
        assert row["sales_amount"] == 0
        assert row["net_paid_amount"] == 0
        assert row["refund_amount"] == 0
        assert row["aov"] is None  # 0 / 0 is undefined, not 0


def test_empty_period_orders_total(sales):
    row = sales.total(ORDER_METRICS, **TP, **JAN)
    assert row["order_count"] == 0
    assert row["sales_amount"] == 0
    assert row["aov"] is None


def test_day_with_only_a_cancelled_order(sales):
    idx = sales.index(
        ["order_count", "sales_amount", "aov"],
        ["date"],
        **TP,
        date_from="2026-04-04",
        date_to="2026-04-05",
    )
    # 4/4: o12 (00:00 local) 777 TWD; 4/5: only o13, cancelled -> nothing counts
    assert idx[date(2026, 4, 4)]["order_count"] == 1
    assert idx[date(2026, 4, 4)]["sales_amount"] == Decimal("777")
    assert float(idx[date(2026, 4, 4)]["aov"]) == pytest.approx(777.0)
    assert idx[date(2026, 4, 5)]["order_count"] == 0
    assert idx[date(2026, 4, 5)]["sales_amount"] == 0
    assert idx[date(2026, 4, 5)]["aov"] is None


# ---------------------------------------------------------------- compare


def test_compare_previous_day_decrease(interaction):
    row = interaction.total(
        ["conversations"], **TP, date_from="2026-03-30", date_to="2026-03-30", compare="previous"
    )
    # 3/30: c4, c5 = 2; previous period 3/29: c2, c3, B, C = 4
    assert row["conversations"] == 2
    assert row["conversations__previous"] == 4
    assert row["conversations__change"] == -2
    assert row["conversations__change_pct"] == pytest.approx(-0.5)


def test_compare_previous_zero_gives_null_pct(interaction):
    row = interaction.total(
        ["conversations", "inbound_messages"],
        **TP,
        date_from="2026-03-28",
        date_to="2026-03-30",
        compare="previous",
    )
    # previous period of equal length: 3/25-3/27, no data
    assert row["conversations"] == 8
    assert row["conversations__previous"] == 0
    assert row["conversations__change"] == 8
    assert row["conversations__change_pct"] is None
    assert row["inbound_messages"] == 16
    assert row["inbound_messages__previous"] == 0
    assert row["inbound_messages__change_pct"] is None


def test_compare_previous_distinct_customers(interaction):
    row = interaction.total(
        ["inquiring_customers"],
        **TP,
        date_from="2026-03-29",
        date_to="2026-03-30",
        compare="previous",
    )
    # 3/29-3/30: amy, bob, cat, eve, dan = 5 (distinct over both days; 4 + 3 if summed)
    # previous 3/27-3/28: amy, eve = 2
    assert row["inquiring_customers"] == 5
    assert row["inquiring_customers__previous"] == 2
    assert row["inquiring_customers__change"] == 3
    assert row["inquiring_customers__change_pct"] == pytest.approx(1.5)


def test_compare_previous_warsaw_drop_to_zero(interaction):
    row = interaction.total(
        ["conversations"], **WA, date_from="2026-03-30", date_to="2026-03-30", compare="previous"
    )
    # 3/30: none (ew103 belongs to w1 of 3/29); 3/29: w1
    assert row["conversations"] == 0
    assert row["conversations__previous"] == 1
    assert row["conversations__change"] == -1
    assert row["conversations__change_pct"] == pytest.approx(-1.0)


def test_compare_previous_orders_per_currency(sales):
    idx = sales.index(
        ["order_count", "sales_amount", "net_paid_amount", "aov"],
        ["currency"],
        **TP,
        date_from="2026-04-02",
        date_to="2026-04-03",
        compare="previous",
    )
    twd, usd = idx["TWD"], idx["USD"]
    # current 4/2-4/3 TWD: o4 1200, o5 2000, o6 600, o7 123.45
    # previous 3/31-4/1 TWD: o10 999, o11 100, o1 1000, o2 500 (o3 cancelled)
    assert twd["order_count"] == 4
    assert twd["order_count__previous"] == 4
    assert twd["order_count__change"] == 0
    assert twd["order_count__change_pct"] == pytest.approx(0.0)
    assert twd["sales_amount"] == Decimal("3923.45")
    assert twd["sales_amount__previous"] == Decimal("2599")
    assert twd["sales_amount__change"] == Decimal("1324.45")
    assert twd["sales_amount__change_pct"] == pytest.approx(1324.45 / 2599)
    # net: current 0 + 1500 + 600 = 2100; previous (999 - r10 99) + 100 + 1000 = 2000
    # (o2 unpaid)
    assert twd["net_paid_amount"] == Decimal("2100")
    assert twd["net_paid_amount__previous"] == Decimal("2000")
    assert twd["net_paid_amount__change"] == Decimal("100")
    assert twd["net_paid_amount__change_pct"] == pytest.approx(0.05)
    # aov: 3923.45 / 4 = 980.8625 against 2599 / 4 = 649.75
    assert float(twd["aov"]) == pytest.approx(980.8625)
    assert float(twd["aov__previous"]) == pytest.approx(649.75)
    assert float(twd["aov__change"]) == pytest.approx(331.1125)
    assert twd["aov__change_pct"] == pytest.approx(331.1125 / 649.75)
    # USD: o8 50.00 + o9 25.50 now; nothing before
    assert usd["order_count"] == 2
    assert usd["order_count__previous"] == 0
    assert usd["order_count__change"] == 2
    assert usd["order_count__change_pct"] is None
    assert usd["sales_amount"] == Decimal("75.50")
    assert usd["sales_amount__previous"] == 0
    assert usd["sales_amount__change"] == Decimal("75.50")
    assert usd["sales_amount__change_pct"] is None


def test_compare_yoy_without_history(sales):
    row = sales.total(
        ["order_count"], **TP, date_from="2026-04-01", date_to="2026-04-03", compare="yoy"
    )
    # 4/1-4/3 2026: 7 TWD + 2 USD; 2025: no data
    assert row["order_count"] == 9
    assert row["order_count__previous"] == 0
    assert row["order_count__change"] == 9
    assert row["order_count__change_pct"] is None


# ---------------------------------------------------------------- currencies per slice


def test_single_currency_slice_needs_no_currency_dimension(sales):
    # 4/1 holds only TWD orders (o11, o1, o2): no mix, so no error
    idx = sales.index(
        ["sales_amount"], ["date"], **TP, date_from="2026-04-01", date_to="2026-04-01"
    )
    assert idx[date(2026, 4, 1)]["sales_amount"] == Decimal("1600")
    assert idx[date(2026, 4, 1)]["currency"] == "TWD"


def test_mixed_currency_day_raises(sales):
    # 4/2 holds o4, o5 (TWD) and o8 (USD)
    with pytest.raises(socialscope.QueryError):
        sales.query(["sales_amount"], ["date"], **TP, date_from="2026-04-01", date_to="2026-04-03")


# ---------------------------------------------------------------- idempotent import


def test_ingesting_the_same_seed_twice_counts_once(tmp_path):
    seed = Path(__file__).parent / "seeds" / "sales"
    with socialscope.connect(tmp_path / "t.duckdb") as ss:
        ss.ingest([seed])
        ss.ingest([seed])
        rows = ss.query(
            ["order_count", "sales_amount", "refund_amount"],
            by=["currency"],
            shop="taipei_shop",
            date_from="2026-04-01",
            date_to="2026-04-03",
        ).rows
    twd = next(r for r in rows if r["currency"] == "TWD")
    assert twd["order_count"] == 7
    assert twd["sales_amount"] == Decimal("5523.45")
    assert twd["refund_amount"] == Decimal("1700")  # refunds stored once too
