"""The query layer: validation messages, spines, currencies, comparison, caching."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from socialscope.client import Client
from socialscope.metrics.query import QueryError
from tests.core.conftest import put, rebuild


def order(order_id: str, created: str, amount: str, **kw: Any) -> dict[str, Any]:
    row = {
        "shop_id": "s",
        "order_id": order_id,
        "created_at": created,
        "currency": "TWD",
        "amount": Decimal(amount),
        "source": "web",
    }
    row.update(kw)
    return row


@pytest.fixture
def sales(client: Client) -> Client:
    put(
        client,
        "orders",
        [
            order("o1", "2026-03-01 10:00:00", "100", source="live", paid_at="2026-03-01 10:05:00"),
            order("o2", "2026-03-01 11:00:00", "50", source="post"),
            order("o3", "2026-03-03 09:00:00", "30.5", paid_at="2026-03-03 09:01:00"),
            order("o4", "2026-03-03 09:30:00", "999", cancelled_at="2026-03-03 10:00:00"),
            order("o5", "2026-02-27 09:30:00", "20", paid_at="2026-02-27 09:31:00"),
        ],
    )
    put(
        client,
        "refunds",
        [
            {
                "shop_id": "s",
                "refund_id": "r1",
                "order_id": "o1",
                "ts": "2026-04-01 00:00:00",
                "amount": Decimal("40"),
            }
        ],
    )
    rebuild(client)
    return client


def test_unknown_metric_lists_valid_ones(client: Client) -> None:
    with pytest.raises(QueryError, match=r"unknown metric 'order_cnt'.*did you mean order_count"):
        client.query("order_cnt")
    with pytest.raises(QueryError, match="valid metrics: conversations"):
        client.query("nope")


def test_unknown_dimension_and_unsupported_dimension(client: Client) -> None:
    with pytest.raises(QueryError, match=r"unknown dimension 'chanel'.*did you mean channel"):
        client.query("conversations", by="chanel")
    with pytest.raises(QueryError, match="metric 'conversations' cannot be split by 'source'"):
        client.query("conversations", by="source")
    with pytest.raises(QueryError, match=r"from .* is after to"):
        client.query("conversations", date_from="2026-03-02", date_to="2026-03-01")
    with pytest.raises(QueryError, match="unknown compare mode"):
        client.query("conversations", compare="lastweek")
    with pytest.raises(QueryError, match="unknown shop 'zz'"):
        client.query("conversations", shop="zz")
    with pytest.raises(QueryError, match="unknown parameter 'threshold'"):
        client.query("conversations", params={"threshold": "1"})


def test_several_shops_need_a_shop(client: Client) -> None:
    put(client, "shops", [{"shop_id": "t", "timezone": "UTC", "currency": "USD"}])
    client.invalidate()
    with pytest.raises(QueryError, match="several shops"):
        client.query("order_count")
    res = client.query("order_count", by="shop_id")
    assert [r["shop_id"] for r in res.rows] == []  # no orders, no combination to show


def test_sales_metrics_and_spine(sales: Client) -> None:
    res = sales.query(
        [
            "order_count",
            "sales_amount",
            "paid_order_count",
            "net_paid_amount",
            "refund_amount",
            "aov",
        ],
        by="date",
        date_from="2026-03-01",
        date_to="2026-03-04",
    )
    by_day = {r["date"]: r for r in res.rows}
    assert list(by_day) == [date(2026, 3, d) for d in (1, 2, 3, 4)]
    d1 = by_day[date(2026, 3, 1)]
    assert (d1["order_count"], d1["sales_amount"], d1["paid_order_count"]) == (2, 150, 1)
    assert d1["net_paid_amount"] == Decimal("60")  # o1 paid 100 − its later refund 40
    assert d1["refund_amount"] == Decimal("40")
    assert d1["aov"] == Decimal("75")
    assert d1["currency"] == "TWD"
    d2 = by_day[date(2026, 3, 2)]
    assert (d2["order_count"], d2["sales_amount"], d2["aov"]) == (0, 0, None)
    d3 = by_day[date(2026, 3, 3)]
    assert (d3["order_count"], d3["sales_amount"]) == (1, Decimal("30.5"))  # o4 cancelled


def test_compare_previous_aligns_buckets(sales: Client) -> None:
    res = sales.query(
        "order_count", by="date", date_from="2026-03-01", date_to="2026-03-03", compare="previous"
    )
    assert res.previous_from == date(2026, 2, 26) and res.previous_to == date(2026, 2, 28)
    first = res.rows[0]
    # day 1 (2026-03-01, 2 orders) against day 1 of the previous period (2026-02-26, none)
    assert (first["order_count"], first["order_count__previous"]) == (2, 0)
    assert first["order_count__change"] == 2 and first["order_count__change_pct"] is None
    second = res.rows[1]  # 03-02 (0) against 02-27 (1 order)
    assert (second["order_count"], second["order_count__previous"]) == (0, 1)
    assert second["order_count__change_pct"] == -1.0
    total = sales.query(
        "sales_amount", date_from="2026-03-01", date_to="2026-03-03", compare="previous"
    ).rows[0]
    assert total["sales_amount__previous"] == Decimal("20")
    assert total["sales_amount__change"] == Decimal("160.5")
    assert total["sales_amount__change_pct"] == pytest.approx(160.5 / 20)


def test_previous_only_slices_appear(sales: Client) -> None:
    res = sales.query(
        "order_count",
        by="source",
        date_from="2026-03-01",
        date_to="2026-03-03",
        compare="previous",
    )
    web = next(r for r in res.rows if r["source"] == "web")
    assert (web["order_count"], web["order_count__previous"]) == (1, 1)
    res = sales.query(
        "order_count",
        by="source",
        date_from="2026-03-02",
        date_to="2026-03-02",
        compare="previous",
    )
    assert {r["source"]: (r["order_count"], r["order_count__previous"]) for r in res.rows} == {
        "live": (0, 1),
        "post": (0, 1),
    }


def test_currencies_are_never_added(sales: Client) -> None:
    put(sales, "orders", [order("u1", "2026-03-01 12:00:00", "7", currency="USD")])
    rebuild(sales)
    with pytest.raises(QueryError, match="currencies are never added"):
        sales.query("sales_amount", date_from="2026-03-01", date_to="2026-03-01")
    res = sales.query(
        "sales_amount,order_count", by="currency", date_from="2026-03-01", date_to="2026-03-01"
    )
    assert {r["currency"]: r["sales_amount"] for r in res.rows} == {
        "TWD": Decimal("150"),
        "USD": Decimal("7"),
    }
    # counts alone may span currencies
    assert (
        sales.query("order_count", date_from="2026-03-01", date_to="2026-03-01").rows[0][
            "order_count"
        ]
        == 3
    )
    res = sales.query(
        "sales_amount", where={"currency": "USD"}, date_from="2026-03-01", date_to="2026-03-01"
    )
    assert res.rows[0]["sales_amount"] == Decimal("7") and res.rows[0]["currency"] == "USD"


def test_empty_period_without_dimensions_gives_one_row(sales: Client) -> None:
    res = sales.query(
        ["order_count", "sales_amount", "aov"], date_from="2025-01-01", date_to="2025-01-31"
    )
    assert res.rows == [
        {"order_count": 0, "sales_amount": Decimal(0), "aov": None, "currency": "TWD"}
    ]


def test_whole_data_range_by_default(sales: Client) -> None:
    res = sales.query("order_count", by="date")
    assert res.date_from == date(2026, 2, 27) and res.date_to == date(2026, 3, 3)
    assert sum(r["order_count"] for r in res.rows) == 4


def test_compiled_statement_is_reused_across_shops_and_periods(sales: Client) -> None:
    engine = sales.engine
    sales.query("order_count", by="date", date_from="2026-03-01", date_to="2026-03-03")
    cached = dict(engine._sql)
    assert all(v is not None for v in cached.values()), "expected parametrised SQL"
    res = sales.query("order_count", by="date", date_from="2026-02-27", date_to="2026-02-28")
    assert engine._sql.keys() == cached.keys()
    assert [r["order_count"] for r in res.rows] == [1, 0]


def test_week_and_month_grains(sales: Client) -> None:
    res = sales.query("order_count", by="week", date_from="2026-02-23", date_to="2026-03-08")
    assert [(r["week"], r["order_count"]) for r in res.rows] == [
        (date(2026, 2, 23), 3),  # Monday-based ISO weeks: o5 (02-27) and o1, o2 (03-01, Sunday)
        (date(2026, 3, 2), 1),
    ]
    res = sales.query("order_count", by="month", date_from="2026-02-01", date_to="2026-03-31")
    assert [(r["month"], r["order_count"]) for r in res.rows] == [
        (date(2026, 2, 1), 1),
        (date(2026, 3, 1), 3),
    ]


def test_sparse_output_leaves_out_empty_buckets(sales: Client) -> None:
    dense = sales.query("order_count", by="date", date_from="2026-03-01", date_to="2026-03-04")
    sparse = sales.query(
        "order_count", by="date", date_from="2026-03-01", date_to="2026-03-04", dense=False
    )
    assert [r["date"] for r in dense.rows] == [date(2026, 3, d) for d in (1, 2, 3, 4)]
    assert sparse.rows == [r for r in dense.rows if r["order_count"]]
    compared = sales.query(
        "order_count",
        by="date",
        date_from="2026-03-01",
        date_to="2026-03-03",
        compare="previous",
        dense=False,
    )
    # 03-02 has no orders now but 02-27 (its previous bucket) had one: it still appears
    assert [(r["date"], r["order_count"], r["order_count__previous"]) for r in compared.rows] == [
        (date(2026, 3, 1), 2, 0),
        (date(2026, 3, 2), 0, 1),
        (date(2026, 3, 3), 1, 0),
    ]
