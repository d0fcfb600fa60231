"""Section 4 order metrics on seeds/sales, expected values derived by hand.

taipei_shop (Asia/Taipei +08:00), local created dates ([notation] when not +08:00):
  o10 3/31 23:30  TWD  999    paid   web, refund r10 99 on 4/2 (inside the April
                                     period, but the order is March's cohort)
  o11 [2026-03-31T16:30Z] = 4/1 00:30  TWD 100  paid  web   (UTC date 3/31)
  o1  4/1 10:00   TWD 1000    paid   message_center (line)
  o2  4/1 12:00   TWD  500    unpaid live (live1)
  o3  4/1 13:00   TWD  800    paid, CANCELLED 14:00, refund r3 800      -> never counted
  o4  4/2 09:00   TWD 1200    paid   post (postA), refund r4 1200 on 4/3 (full)
  o5  4/2 20:00   TWD 2000    paid   web, refunds r5a 300 on 4/10 and r5b 200 on 5/1
                                     (after the period: cohort basis still counts them)
  o8  4/2 11:00   USD   50.00 paid   web, refund r8 10.00 on 4/5
  o6  [2026-04-02T16:30Z] = 4/3 00:30  TWD 600  paid  live (live1)  (UTC date 4/2)
  o9  4/3 11:00   USD   25.50 unpaid web
  o7  [naive 2026-04-03 23:59] = 4/3  TWD 123.45 unpaid post (postA)
  o12 4/4 00:00   TWD  777    paid   web
  o13 4/5 10:00   TWD  300    CANCELLED (the only order on 4/5)
warsaw_shop (Europe/Warsaw), PLN:
  wo3 [2026-03-28T23:30+01:00] = 3/28          50 paid   web
  wo2 [naive 2026-03-29 02:30, DST gap] = 3/29 03:30 CEST  200 unpaid live
  wo1 [2026-03-29T22:30Z] = 3/30 00:30 CEST   100 paid   web, refund rw1 20
  wo6 [2026-10-24T23:30Z] = 10/25 01:30 CEST   40 paid   web
  wo5 [naive 2026-10-25 02:30, DST overlap] = 10/25  30 unpaid web
  wo4 [2026-10-25T22:30Z] = 10/25 23:30 CET    70 paid   web

Taipei, period 4/1-4/3, non-cancelled:
  TWD: o11 o1 o2 (4/1), o4 o5 (4/2), o6 o7 (4/3)  -> 7 orders
       sales = 100+1000+500+1200+2000+600+123.45 = 5523.45
       paid: o11 o1 o4 o5 o6 = 5; net = 100+1000+(1200-1200)+(2000-300-200)+600 = 3200
       refunds of those orders = 1200 + 300 + 200 = 1700 (r3 belongs to cancelled o3;
       r10, dated 4/2, belongs to the March order o10: cohort basis, not counted)
  USD: o8, o9 -> 2 orders, sales 75.50, paid 1, net 50-10 = 40.00, refunds 10.00
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

import socialscope

TP = {"shop": "taipei_shop"}
WA = {"shop": "warsaw_shop"}
APR = {"date_from": "2026-04-01", "date_to": "2026-04-03"}
A1, A2, A3 = date(2026, 4, 1), date(2026, 4, 2), date(2026, 4, 3)
ORDER_METRICS = [
    "order_count",
    "sales_amount",
    "paid_order_count",
    "net_paid_amount",
    "refund_amount",
    "aov",
]


def test_import_has_no_quarantined_rows(sales):
    report = sales.report
    q = getattr(report, "quarantined", None)
    if isinstance(q, dict):
        q = sum(q.values())
    assert q in (0, None), report


def test_per_currency_totals(sales):
    idx = sales.index(ORDER_METRICS, ["currency"], **TP, **APR)
    twd, usd = idx["TWD"], idx["USD"]
    assert twd["order_count"] == 7
    assert isinstance(twd["order_count"], int)
    assert twd["sales_amount"] == Decimal("5523.45")
    assert isinstance(twd["sales_amount"], Decimal)
    assert twd["paid_order_count"] == 5
    assert twd["net_paid_amount"] == Decimal("3200")
    assert twd["refund_amount"] == Decimal("1700")
    assert float(twd["aov"]) == pytest.approx(5523.45 / 7)  # 789.0643
    assert usd["order_count"] == 2
    assert usd["sales_amount"] == Decimal("75.50")
    assert usd["paid_order_count"] == 1
    assert usd["net_paid_amount"] == Decimal("40.00")
    assert usd["refund_amount"] == Decimal("10.00")
    assert float(usd["aov"]) == pytest.approx(37.75)  # 75.50 / 2


@pytest.mark.parametrize("metric", ["sales_amount", "net_paid_amount", "refund_amount", "aov"])
def test_money_across_two_currencies_raises(sales, metric):
    # the slice (taipei, 4/1-4/3) holds TWD and USD orders: amounts are never added
    with pytest.raises(socialscope.QueryError):
        sales.query([metric], [], **TP, **APR)


def test_money_with_currency_row_carries_currency(sales):
    row = sales.total(["sales_amount"], **TP, **APR, where={"currency": ["USD"]})
    assert row["sales_amount"] == Decimal("75.50")  # o8 50.00 + o9 25.50
    assert row["currency"] == "USD"


def test_counts_across_currencies_are_fine(sales):
    row = sales.total(["order_count", "paid_order_count"], **TP, **APR)
    assert row["order_count"] == 9  # 7 TWD + 2 USD; o3 cancelled
    assert row["paid_order_count"] == 6  # o11 o1 o4 o5 o6 + o8


def test_by_date_and_currency(sales):
    idx = sales.index(ORDER_METRICS, ["date", "currency"], **TP, **APR)
    c = sales.cell
    # 4/1 TWD: o11 (00:30 local, UTC date 3/31), o1, o2; o3 cancelled
    assert c(idx, (A1, "TWD"), "order_count") == 3
    assert c(idx, (A1, "TWD"), "sales_amount") == Decimal("1600")  # 100+1000+500
    assert c(idx, (A1, "TWD"), "paid_order_count") == 2  # o11, o1
    assert c(idx, (A1, "TWD"), "net_paid_amount") == Decimal("1100")
    assert c(idx, (A1, "TWD"), "refund_amount") == 0  # r3 is of the cancelled o3
    assert float(c(idx, (A1, "TWD"), "aov")) == pytest.approx(1600 / 3)
    # 4/2 TWD: o4, o5 (o6 is 16:30Z 4/2 = 4/3 local)
    assert c(idx, (A2, "TWD"), "order_count") == 2
    assert c(idx, (A2, "TWD"), "sales_amount") == Decimal("3200")
    assert c(idx, (A2, "TWD"), "paid_order_count") == 2
    assert c(idx, (A2, "TWD"), "net_paid_amount") == Decimal("1500")  # 0 + (2000-500)
    # cohort basis: refunds of 4/2's orders o4 (1200) and o5 (300 + 200, dated 4/10 and
    # 5/1); r10 (99, dated 4/2) belongs to o10 of 3/31 and does not count here
    assert c(idx, (A2, "TWD"), "refund_amount") == Decimal("1700")
    assert float(c(idx, (A2, "TWD"), "aov")) == pytest.approx(1600.0)
    # 4/3 TWD: o6, o7 (naive 23:59 local)
    assert c(idx, (A3, "TWD"), "order_count") == 2
    assert c(idx, (A3, "TWD"), "sales_amount") == Decimal("723.45")
    assert c(idx, (A3, "TWD"), "paid_order_count") == 1
    assert c(idx, (A3, "TWD"), "net_paid_amount") == Decimal("600")
    assert float(c(idx, (A3, "TWD"), "aov")) == pytest.approx(361.725)
    # USD: o8 on 4/2, o9 on 4/3
    assert c(idx, (A1, "USD"), "order_count") == 0
    assert c(idx, (A2, "USD"), "order_count") == 1
    assert c(idx, (A2, "USD"), "net_paid_amount") == Decimal("40.00")
    assert c(idx, (A3, "USD"), "sales_amount") == Decimal("25.50")
    assert c(idx, (A3, "USD"), "net_paid_amount") == 0  # o9 unpaid


def test_by_source(sales):
    idx = sales.index(ORDER_METRICS, ["source", "currency"], **TP, **APR)
    c = sales.cell
    mc, live, post, web = (
        ("message_center", "TWD"),
        ("live", "TWD"),
        ("post", "TWD"),
        ("web", "TWD"),
    )
    # message_center: o1
    assert c(idx, mc, "order_count") == 1
    assert c(idx, mc, "sales_amount") == Decimal("1000")
    assert c(idx, mc, "net_paid_amount") == Decimal("1000")
    # live: o2 (unpaid) + o6
    assert c(idx, live, "order_count") == 2
    assert c(idx, live, "sales_amount") == Decimal("1100")
    assert c(idx, live, "paid_order_count") == 1
    assert c(idx, live, "net_paid_amount") == Decimal("600")
    # post: o4 (fully refunded) + o7 (unpaid)
    assert c(idx, post, "order_count") == 2
    assert c(idx, post, "sales_amount") == Decimal("1323.45")
    assert c(idx, post, "paid_order_count") == 1
    assert c(idx, post, "net_paid_amount") == 0
    assert c(idx, post, "refund_amount") == Decimal("1200")
    # web TWD: o11 + o5 (o3 cancelled)
    assert c(idx, web, "order_count") == 2
    assert c(idx, web, "sales_amount") == Decimal("2100")
    assert c(idx, web, "net_paid_amount") == Decimal("1600")  # 100 + 1500
    assert c(idx, web, "refund_amount") == Decimal("500")  # r5a + r5b, both after 4/3
    # web USD: o8 + o9
    assert c(idx, ("web", "USD"), "order_count") == 2
    assert c(idx, ("web", "USD"), "sales_amount") == Decimal("75.50")


def test_by_live_and_post(sales):
    live = sales.index(["order_count", "sales_amount"], ["live_id", "currency"], **TP, **APR)
    assert sales.cell(live, ("live1", "TWD"), "order_count") == 2  # o2, o6
    assert sales.cell(live, ("live1", "TWD"), "sales_amount") == Decimal("1100")
    post = sales.index(["order_count", "net_paid_amount"], ["post_id", "currency"], **TP, **APR)
    assert sales.cell(post, ("postA", "TWD"), "order_count") == 2  # o4, o7
    assert sales.cell(post, ("postA", "TWD"), "net_paid_amount") == 0  # o4 refunded, o7 unpaid


def test_by_month_whole_range(sales):
    rows = sales.rows(["order_count"], ["month"], **TP)
    idx = {r["month"]: r["order_count"] for r in rows}
    # whole range: March: o10 (3/31 23:30 local); o11 is 3/31 UTC but 4/1 local
    assert idx[date(2026, 3, 1)] == 1
    # April: o11 o1 o2 o4 o5 o6 o7 o12 (TWD) + o8 o9 (USD) = 10; o3, o13 cancelled
    assert idx[date(2026, 4, 1)] == 10
    assert sum(idx.values()) == 11  # a May bucket (refund r5b) may exist but is empty
    money = sales.index(["sales_amount"], ["month", "currency"], **TP)
    assert money[(date(2026, 3, 1), "TWD")]["sales_amount"] == Decimal("999")
    # 5523.45 + o12 777
    assert money[(date(2026, 4, 1), "TWD")]["sales_amount"] == Decimal("6300.45")
    assert money[(date(2026, 4, 1), "USD")]["sales_amount"] == Decimal("75.50")


def test_warsaw_spring_dst_dates(sales):
    idx = sales.index(ORDER_METRICS, ["date"], **WA, date_from="2026-03-28", date_to="2026-03-30")
    d28, d29, d30 = date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 30)
    # wo3 3/28 (23:30+01:00); wo2 3/29 (gap-shifted 03:30); wo1 22:30Z 3/29 = 3/30 00:30
    # CEST (a stale +01:00 offset would put it on 3/29)
    assert [idx[d]["order_count"] for d in (d28, d29, d30)] == [1, 1, 1]
    assert [idx[d]["sales_amount"] for d in (d28, d29, d30)] == [
        Decimal("50"),
        Decimal("200"),
        Decimal("100"),
    ]
    assert [idx[d]["net_paid_amount"] for d in (d28, d29, d30)] == [
        Decimal("50"),
        Decimal("0"),  # wo2 unpaid
        Decimal("80"),  # 100 - rw1 20
    ]
    assert idx[d30]["refund_amount"] == Decimal("20")
    assert idx[d30]["currency"] == "PLN"


def test_warsaw_weeks(sales):
    idx = sales.index(["order_count"], ["week"], **WA, date_from="2026-03-28", date_to="2026-03-30")
    # 3/28 Sat and 3/29 Sun belong to the week of Monday 3/23; 3/30 is a Monday
    assert idx[date(2026, 3, 23)]["order_count"] == 2  # wo3, wo2
    assert idx[date(2026, 3, 30)]["order_count"] == 1  # wo1 (00:30 CEST Monday)


def test_warsaw_gap_order_by_hour(sales):
    rows = sales.rows(["order_count"], ["hour"], **WA, date_from="2026-03-29", date_to="2026-03-29")
    hours = {sales.local_naive(r["hour"], "Europe/Warsaw"): r["order_count"] for r in rows}
    # naive 02:30 in the gap -> 03:30 CEST
    assert hours[datetime(2026, 3, 29, 3)] == 1
    assert sum(hours.values()) == 1


def test_warsaw_autumn_dst_dates(sales):
    idx = sales.index(ORDER_METRICS, ["date"], **WA, date_from="2026-10-24", date_to="2026-10-26")
    d24, d25, d26 = date(2026, 10, 24), date(2026, 10, 25), date(2026, 10, 26)
    # wo6 23:30Z 10/24 = 01:30 CEST 10/25; wo5 naive 02:30 (overlap) 10/25;
    # wo4 22:30Z 10/25 = 23:30 CET 10/25 (a stale +02:00 offset would give 10/26)
    assert [idx[d]["order_count"] for d in (d24, d25, d26)] == [0, 3, 0]
    assert idx[d25]["sales_amount"] == Decimal("140")  # 40 + 30 + 70
    assert idx[d25]["paid_order_count"] == 2  # wo6, wo4
    assert idx[d25]["net_paid_amount"] == Decimal("110")
    assert float(idx[d25]["aov"]) == pytest.approx(140 / 3)
    # empty days: counts and sums 0, aov undefined (zero denominator)
    for d in (d24, d26):
        assert idx[d]["sales_amount"] == 0
        assert idx[d]["net_paid_amount"] == 0
        assert idx[d]["refund_amount"] == 0
        assert idx[d]["aov"] is None


def test_refund_follows_its_order_cohort(sales):
    idx = sales.index(
        ["refund_amount", "net_paid_amount"],
        ["date", "currency"],
        **TP,
        date_from="2026-03-31",
        date_to="2026-03-31",
    )
    # o10 (3/31, 999, paid) carries r10 (99) although r10 is dated 4/2
    assert sales.cell(idx, (date(2026, 3, 31), "TWD"), "refund_amount") == Decimal("99")
    assert sales.cell(idx, (date(2026, 3, 31), "TWD"), "net_paid_amount") == Decimal("900")
