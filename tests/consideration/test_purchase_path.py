"""Sessions before purchase, conversion and cart abandonment on seeds/traffic.

tp_shop is Asia/Taipei (UTC+8); period P = 2026-05-10..2026-05-12 (local).

First paid orders (paid_at, no cancelled_at) and their sessions in the 90 days before:
  c3   o3 5/12 10:00   s5 (c3, 5/11 12:00) + s9 (visitor v3, linked to c3 through s5,
                       no customer_id, 2/11 10:00 = exactly 90 days before) -> 2;
                       s10 (v3, 2/10 10:00, 91 days) does not count; first: s9 instagram
  c11  o11 5/10 14:00  no session -> 0, first_session_channel null
  c12  o12 5/11 15:00  s11 (4/01 facebook), s12 (4/20 line), s13 (visitor v12b with c12,
                       5/05, no channel) -> 3; s14 (v12 but customer c99) is not theirs
  c13  o13 5/12 08:00  (o13x paid 4/20 was cancelled: not a first paid order) s15 (4/25
                       facebook) -> 1
  not first-time buyers in P: c10 (o10b 5/11 is their second paid order; first 4/01),
  c4 (only an unpaid and a cancelled order), c14 (paid 5/12 16:00Z = 5/13 00:00 local),
  c20 (5/08, previous period).
  -> 4 customers, 6 sessions: mean 1.5; counts [0, 1, 2, 3]: median (1 + 2) / 2 = 1.5.

Click users in P (first click in P; purchases: purchase touchpoints, or paid orders not
cancelled of the linked customer), window 7 days:
  v1  k1 facebook/spring 5/10 09:00, k2 instagram/spring 5/11 09:00, k3 facebook 5/11 10:00;
      purchase p1 5/18 09:00 -> overall (from 5/10 09:00): 8 days, no; facebook slice: no;
      instagram slice (from 5/11 09:00): exactly 7 days, yes
  v2  k4 organic_search 5/10 12:00; p2 5/17 12:00:01 = 7 days + 1 s -> no
  v3  k5 facebook/summer 5/11 08:00; o3 of linked c3 paid 5/12 10:00 (26 h) -> yes
  v4  k6 facebook/spring 5/10 15:00 (customer c4): o4a unpaid, o4b paid but cancelled -> no
  v5  k7 5/08 (before P); k8 facebook 5/12 10:00; purchase p5 5/10 (before k8) -> no
  v6  k9 line 5/12 20:00; p6 5/13 10:00 (14 h) -> yes
  -> 6 click users, 2 converted (v3, v6).

Cart (add_to_cart in P, last one in P; purchase within 24 h after it, inclusive):
  v7  a1 facebook 5/10 10:00, a2 instagram 5/11 10:00; p7 5/12 09:59:59 -> total: 23:59:59
      after the last add, kept; facebook slice (last 5/10 10:00): 47:59:59, abandoned
  v8  a3 instagram 5/11 12:00; p8 5/12 12:00:01 (24 h + 1 s) -> abandoned
  v3  a4 facebook 5/12 09:00; o3 paid 5/12 10:00 -> kept (paid order via link)
  v4  a5 facebook 5/10 16:00; only unpaid / cancelled orders -> abandoned
  -> 4 cart visitors, 2 abandoned (v8, v4).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

import socialscope

P = {"shop": "tp_shop", "date_from": "2026-05-10", "date_to": "2026-05-12"}
W = {"shop": "waw_shop", "date_from": "2026-03-29", "date_to": "2026-03-29"}
FIRST = [
    "first_purchase_customers",
    "first_purchase_sessions",
    "sessions_before_purchase",
    "sessions_before_purchase_median",
]
CONV = ["click_users", "converted_click_users", "conversion_rate"]
CART = ["cart_visitors", "abandoned_cart_visitors", "cart_abandonment_rate"]


def test_sessions_before_purchase(traffic: Any) -> None:
    row = traffic.total(FIRST, **P)
    assert row["first_purchase_customers"] == 4  # c3 c11 c12 c13
    assert row["first_purchase_sessions"] == 6  # 2 + 0 + 3 + 1
    assert row["sessions_before_purchase"] == pytest.approx(1.5)
    assert row["sessions_before_purchase_median"] == 1.5  # median of [0, 1, 2, 3]


def test_sessions_before_purchase_by_first_session_channel(traffic: Any) -> None:
    idx = traffic.index(FIRST, ["first_session_channel"], **P)
    # facebook: c12 (3), c13 (1) -> mean 2, median (1 + 3) / 2 = 2
    assert idx["facebook"]["first_purchase_customers"] == 2
    assert idx["facebook"]["sessions_before_purchase"] == pytest.approx(2.0)
    assert idx["facebook"]["sessions_before_purchase_median"] == 2
    # instagram: c3 (first session s9, exactly 90 days before)
    assert idx["instagram"]["sessions_before_purchase"] == pytest.approx(2.0)
    # none: c11, no session
    assert idx[None]["first_purchase_customers"] == 1
    assert idx[None]["sessions_before_purchase"] == 0.0
    assert set(idx) == {"facebook", "instagram", None}


def test_sessions_before_purchase_compare_previous(traffic: Any) -> None:
    row = traffic.total(FIRST, compare="previous", **P)
    # previous 5/07..5/09: c20 (o20 paid 5/08), no session -> 1 customer, mean 0
    assert row["first_purchase_customers__previous"] == 1
    assert row["sessions_before_purchase__previous"] == 0.0
    assert row["sessions_before_purchase__change"] == pytest.approx(1.5)
    assert row["sessions_before_purchase__change_pct"] is None  # previous is 0


def test_conversion_total(traffic: Any) -> None:
    row = traffic.total(CONV, **P)
    assert row["click_users"] == 6
    assert row["converted_click_users"] == 2  # v3 (paid order), v6 (touchpoint)
    assert row["conversion_rate"] == pytest.approx(2 / 6)


def test_conversion_window_param(traffic: Any) -> None:
    row = traffic.total(CONV, params={"conversion_window_d": 1}, **P)
    # 1 day: v6 (14 h) still converts; v3 (26 h) no longer
    assert row["converted_click_users"] == 1
    assert row["conversion_rate"] == pytest.approx(1 / 6)
    with pytest.raises(socialscope.QueryError):
        traffic.total(CONV, params={"conversion_window_d": "0"}, **P)


def test_conversion_by_channel_uses_the_first_click_in_that_slice(traffic: Any) -> None:
    idx = traffic.index(CONV, ["channel"], **P)
    # facebook: v1 (from 5/10 09:00: 8 days), v3 (yes), v4, v5 -> 1 / 4
    assert idx["facebook"]["click_users"] == 4
    assert idx["facebook"]["converted_click_users"] == 1
    # instagram: v1 from 5/11 09:00, p1 exactly 7 days later -> converted
    assert idx["instagram"]["click_users"] == 1
    assert idx["instagram"]["conversion_rate"] == 1.0
    assert idx["organic_search"]["conversion_rate"] == 0.0  # v2, 7 days + 1 s
    assert idx["line"]["conversion_rate"] == 1.0  # v6
    # v1 is a click user of two channels, but once in the total
    assert sum(r["click_users"] for r in idx.values()) == 7


def test_conversion_by_campaign_and_cells(traffic: Any) -> None:
    idx = traffic.index(CONV, ["campaign"], **P)
    # spring: v1 (first spring click 5/10 09:00: 8 days, no), v4 -> 0 / 2
    assert idx["spring"]["click_users"] == 2
    assert idx["spring"]["converted_click_users"] == 0
    assert idx["summer"]["conversion_rate"] == 1.0  # v3
    assert idx[None]["click_users"] == 3  # v2, v5, v6
    assert idx[None]["converted_click_users"] == 1  # v6
    cells = traffic.index(CONV, ["channel", "campaign"], **P)
    assert cells[("facebook", "spring")]["click_users"] == 2  # v1, v4
    assert cells[("facebook", "spring")]["converted_click_users"] == 0
    assert cells[("instagram", "spring")]["converted_click_users"] == 1  # v1
    assert cells[("facebook", None)]["click_users"] == 1  # v5


def test_conversion_single_value_filter_is_the_slice(traffic: Any) -> None:
    row = traffic.total(CONV, where={"channel": "instagram"}, **P)
    assert row["click_users"] == 1
    assert row["converted_click_users"] == 1  # v1 judged from its first instagram click


def test_conversion_several_value_filter_keeps_first_clicks_on_them(traffic: Any) -> None:
    row = traffic.total(CONV, where={"channel": ["facebook", "line"]}, **P)
    # first click in P on facebook or line: v1 (facebook 5/10), v3, v4, v5, v6; not v2
    assert row["click_users"] == 5
    assert row["converted_click_users"] == 2  # v3, v6; v1 judged from 5/10 09:00: no


def test_conversion_by_date_dates_by_first_click(traffic: Any) -> None:
    idx = traffic.index(CONV, ["date"], **P)
    # first clicks in P: v1 v2 v4 5/10; v3 5/11; v5 v6 5/12
    assert idx[date(2026, 5, 10)]["click_users"] == 3
    assert idx[date(2026, 5, 10)]["converted_click_users"] == 0
    assert idx[date(2026, 5, 11)]["converted_click_users"] == 1
    assert idx[date(2026, 5, 12)]["click_users"] == 2
    assert idx[date(2026, 5, 12)]["conversion_rate"] == pytest.approx(0.5)


def test_conversion_window_is_exact_hours_across_dst(traffic: Any) -> None:
    # vA clicks 3/29 00:40+01 (23:40Z 3/28) and buys 4/05 01:40+02 = exactly 168 h later
    # (wall clock: 7 days + 1 h); vB clicks 03:30+02 and buys 168 h + 1 s later.
    row = traffic.total(CONV, **W)
    assert row["click_users"] == 2
    assert row["converted_click_users"] == 1


def test_conversion_compare_previous(traffic: Any) -> None:
    row = traffic.total(CONV, compare="previous", **P)
    # previous 5/07..5/09: v5's k7 (5/08); p5 5/10 10:00 within 7 days -> 1 / 1
    assert row["click_users__previous"] == 1
    assert row["conversion_rate__previous"] == 1.0
    assert row["conversion_rate__change"] == pytest.approx(2 / 6 - 1)


def test_cart_abandonment(traffic: Any) -> None:
    row = traffic.total(CART, **P)
    assert row["cart_visitors"] == 4  # v7 v8 v3 v4
    assert row["abandoned_cart_visitors"] == 2  # v8 (24 h + 1 s), v4 (cancelled / unpaid)
    assert row["cart_abandonment_rate"] == pytest.approx(0.5)


def test_cart_abandonment_by_channel(traffic: Any) -> None:
    idx = traffic.index(CART, ["channel"], **P)
    # facebook: v7 (last facebook add 5/10 10:00, purchase 47:59:59 later), v3, v4
    assert idx["facebook"]["cart_visitors"] == 3
    assert idx["facebook"]["abandoned_cart_visitors"] == 2  # v7, v4
    # instagram: v7 (kept: 23:59:59), v8 (abandoned)
    assert idx["instagram"]["cart_abandonment_rate"] == pytest.approx(0.5)


def test_empty_period(traffic: Any) -> None:
    row = traffic.total(
        [*FIRST, *CONV, *CART], shop="tp_shop", date_from="2026-06-01", date_to="2026-06-02"
    )
    assert row["click_users"] == 0
    assert row["cart_visitors"] == 0
    assert row["first_purchase_customers"] == 0
    assert row["conversion_rate"] is None
    assert row["cart_abandonment_rate"] is None
    assert row["sessions_before_purchase"] is None
    assert row["sessions_before_purchase_median"] is None  # no customer: no median
