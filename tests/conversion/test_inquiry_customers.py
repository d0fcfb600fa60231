"""Inquiry conversion and loss (customer level) on seeds/conversion, derived by hand.

conv_shop is Asia/Taipei; times are local. Period P = 2026-05-10..2026-05-12.
Customers with ≥1 customer message in P (the cohort), with their conversations
(conversation's staff = first agent message; rounds = runs of customer messages):
  cust_dan  conv_d  line      d1 5/10 09:00 (P1 apparel), agent s_amy 09:02
                    -> first 5/10 09:00, last 5/10 09:00; 1 round, 2 min
  cust_f    conv_f  web_chat  f1 5/11 09:30, no agent -> staff none; 1 round, 0 s
  cust_g    conv_g1 facebook  g1 5/10 10:00, agent s_amy 10:03
            conv_g2 line      g3 5/11 15:00, agent s_ben 15:02, g5 5/11 15:05
                    (PSID_g and U_g both map to cust_g: one customer)
                    -> first 5/10 10:00, last 5/11 15:05, last conversation conv_g2
                       (line, s_ben)
  cust_h    conv_h  line      h1 5/12 20:00, agent s_amy 20:05
  cust_i    conv_i  line      11:00 c (P1), 11:01 a s_amy, 11:10 c (P3), 11:12 a, 11:20 c
                    -> 3 rounds, 20 min; categories apparel + shoes
  cust_j    conv_j  line      j1 5/10 08:00 (P9, no category), agent s_ben 08:01
  cust_k    conv_k  facebook  5/10 05:00 c (P3), 05:10 a s_ben, 08:00 c -> 2 rounds, 3 h
  cust_m    conv_m1 line      5/11 10:00 c, 10:40 a s_amy (1 round, 40 min)
            conv_m2 line      5/12 10:00 c, 10:01 a s_ben, ... 5 customer runs, 10:08 c
                              (5 rounds, 8 min) -> 6 rounds, 48 min; staff s_ben
  not in the cohort: cust_a, cust_b (messages on 5/7), cust_c, cust_e (no message),
  cust_p (agent message only).
Orders (not cancelled) and window [first, last + 72 h]:
  dan  oD1 5/10 12:00 paid (fully refunded)        in [5/10 09:00, 5/13 09:00] -> converted
  f    oF1 5/11 09:00, BEFORE f1                   none in window               -> lost
  g    oG1 5/14 10:00 paid (after the period)      in [5/10 10:00, 5/14 15:05] -> converted
  h    oH1 5/12 21:00 unpaid (oH2 paid, cancelled) in window                    -> unpaid
  i    oI1 paid but cancelled                      none                         -> lost
  j    oJ1 5/13 08:00:00 paid = last + 72 h exactly (inclusive)                 -> converted
  k    oK1 5/13 08:00:01 paid = last + 72 h + 1 s                               -> lost
  m    no order                                                                 -> lost
72 h: cohort 8, converted 3 (dan g j), unpaid 1 (h), lost 4 (f i k m); rate 3/8.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

P = {"shop": "conv_shop", "date_from": "2026-05-10", "date_to": "2026-05-12"}
CUSTOMER_METRICS = [
    "inquiry_cohort_customers",
    "inquiry_converted_customers",
    "inquiry_conversion_rate",
    "inquiry_lost_customers",
    "inquiry_unpaid_customers",
]


def test_cohort_outcomes(conv: Any) -> None:
    row = conv.total(CUSTOMER_METRICS, **P)
    assert row["inquiry_cohort_customers"] == 8
    assert row["inquiry_converted_customers"] == 3  # dan (refund irrelevant), g, j
    assert isinstance(row["inquiry_converted_customers"], int)
    assert row["inquiry_unpaid_customers"] == 1  # h (its paid oH2 is cancelled)
    assert row["inquiry_lost_customers"] == 4  # f (order before), i (cancelled), k, m
    assert row["inquiry_conversion_rate"] == pytest.approx(3 / 8)
    assert isinstance(row["inquiry_conversion_rate"], float)


def test_cohort_is_the_inquiring_customers(conv: Any) -> None:
    # same set as section 2's inquiring_customers (distinct identity-resolved customers)
    row = conv.total(["inquiry_cohort_customers", "inquiring_customers"], **P)
    assert row["inquiry_cohort_customers"] == row["inquiring_customers"] == 8


def test_by_staff_of_last_conversation(conv: Any) -> None:
    idx = conv.index(CUSTOMER_METRICS, ["staff_id"], **P)
    # s_amy: dan (converted), h (unpaid), i (lost)
    amy = idx["s_amy"]
    assert amy["inquiry_cohort_customers"] == 3
    assert amy["inquiry_converted_customers"] == 1
    assert amy["inquiry_unpaid_customers"] == 1
    assert amy["inquiry_lost_customers"] == 1
    assert amy["inquiry_conversion_rate"] == pytest.approx(1 / 3)
    # s_ben: g (its last conversation conv_g2 is Ben's, not Amy's conv_g1), j, k, m
    ben = idx["s_ben"]
    assert ben["inquiry_cohort_customers"] == 4
    assert ben["inquiry_converted_customers"] == 2  # g, j
    assert ben["inquiry_lost_customers"] == 2  # k, m
    assert ben["inquiry_unpaid_customers"] == 0
    assert ben["inquiry_conversion_rate"] == pytest.approx(0.5)
    # no staff: f (nobody answered conv_f)
    assert idx[None]["inquiry_cohort_customers"] == 1
    assert idx[None]["inquiry_lost_customers"] == 1
    assert idx[None]["inquiry_conversion_rate"] == 0.0


def test_by_channel_of_last_conversation(conv: Any) -> None:
    idx = conv.index(CUSTOMER_METRICS, ["channel"], **P)
    # line: dan, g (conv_g2 is on LINE), h, i, j, m
    line = idx["line"]
    assert line["inquiry_cohort_customers"] == 6
    assert line["inquiry_converted_customers"] == 3  # dan g j
    assert line["inquiry_lost_customers"] == 2  # i m
    assert line["inquiry_unpaid_customers"] == 1  # h
    assert line["inquiry_conversion_rate"] == pytest.approx(0.5)
    assert idx["facebook"]["inquiry_cohort_customers"] == 1  # k only (g counts on line)
    assert idx["facebook"]["inquiry_lost_customers"] == 1
    assert idx["web_chat"]["inquiry_lost_customers"] == 1  # f
    assert idx["web_chat"]["inquiry_conversion_rate"] == 0.0


def test_dated_by_first_inquiry_in_the_period(conv: Any) -> None:
    idx = conv.index(
        ["inquiry_cohort_customers", "inquiry_converted_customers", "inquiry_conversion_rate"],
        ["date"],
        **P,
    )
    # 5/10: dan g i j k (g's first inquiry g1 is on 5/10); 5/11: f m; 5/12: h
    d10, d11, d12 = (idx[date(2026, 5, d)] for d in (10, 11, 12))
    assert d10["inquiry_cohort_customers"] == 5
    assert d10["inquiry_converted_customers"] == 3  # dan g j
    assert d10["inquiry_conversion_rate"] == pytest.approx(3 / 5)
    assert d11["inquiry_cohort_customers"] == 2
    assert d11["inquiry_conversion_rate"] == 0.0
    assert d12["inquiry_cohort_customers"] == 1


def test_cohort_and_window_follow_the_period(conv: Any) -> None:
    # Period 5/11-5/12: cohort f, g (g3/g5 on 5/11), h, m. g's first inquiry in this
    # period is g3 5/11 15:00 (so it is dated 5/11); window [5/11 15:00, 5/14 15:05]
    # still holds oG1 -> converted.
    p = {"shop": "conv_shop", "date_from": "2026-05-11", "date_to": "2026-05-12"}
    row = conv.total(CUSTOMER_METRICS, **p)
    assert row["inquiry_cohort_customers"] == 4
    assert row["inquiry_converted_customers"] == 1  # g
    assert row["inquiry_unpaid_customers"] == 1  # h
    assert row["inquiry_lost_customers"] == 2  # f m
    assert row["inquiry_conversion_rate"] == pytest.approx(0.25)
    idx = conv.index(["inquiry_cohort_customers"], ["date"], **p)
    assert idx[date(2026, 5, 11)]["inquiry_cohort_customers"] == 3  # f g m
    assert idx[date(2026, 5, 12)]["inquiry_cohort_customers"] == 1  # h


def test_window_parameter_24h(conv: Any) -> None:
    # 24 h: dan [5/10 09:00, 5/11 09:00] holds oD1 -> converted; g [.., 5/12 15:05] misses
    # oG1 (5/14) -> lost; h [5/12 20:00, 5/13 20:00] holds oH1 -> unpaid; j [.., 5/11
    # 08:00] misses oJ1 -> lost; f i k m stay lost.
    row = conv.total(CUSTOMER_METRICS, params={"inquiry_window_h": 24}, **P)
    assert row["inquiry_cohort_customers"] == 8
    assert row["inquiry_converted_customers"] == 1
    assert row["inquiry_unpaid_customers"] == 1
    assert row["inquiry_lost_customers"] == 6
    assert row["inquiry_conversion_rate"] == pytest.approx(1 / 8)


def test_zero_denominator_is_null(conv: Any) -> None:
    p = {"shop": "conv_shop", "date_from": "2026-06-01", "date_to": "2026-06-03"}
    row = conv.total(CUSTOMER_METRICS, **p)
    assert row["inquiry_cohort_customers"] == 0
    assert row["inquiry_lost_customers"] == 0
    assert row["inquiry_conversion_rate"] is None
    by_day = conv.rows(["inquiry_conversion_rate"], ["date"], **p)
    assert [r["inquiry_conversion_rate"] for r in by_day] == [None, None, None]


def test_lost_by_rounds_bucket(conv: Any) -> None:
    idx = conv.index(["inquiry_lost_customers"], ["rounds_bucket"], **P)
    # lost: f 1 round, k 2 rounds, i 3 rounds, m 1 + 5 = 6 rounds (both its conversations)
    assert {k: r["inquiry_lost_customers"] for k, r in idx.items()} == {
        "1": 1,
        "2": 1,
        "3-5": 1,
        "6+": 1,
    }


def test_lost_by_duration_bucket(conv: Any) -> None:
    idx = conv.index(["inquiry_lost_customers"], ["duration_bucket"], **P)
    # f 0 s (<5 min), i 20 min (5-30 min), m 40 + 8 = 48 min (30 min-2 h), k 3 h (2 h+)
    lost = {k: r["inquiry_lost_customers"] for k, r in idx.items()}
    assert lost == {"<5 min": 1, "5-30 min": 1, "30 min-2 h": 1, "2 h+": 1}


def test_lost_by_category_counts_each_category(conv: Any) -> None:
    idx = conv.index(["inquiry_lost_customers", "inquiry_cohort_customers"], ["category"], **P)
    # asked (customer messages in P): dan P1 apparel; i P1 apparel + P3 shoes; k P3 shoes;
    # j P9 (no category) -> empty category; f g h m asked about no product.
    assert idx["apparel"]["inquiry_lost_customers"] == 1  # i
    assert idx["apparel"]["inquiry_cohort_customers"] == 2  # dan i
    assert idx["shoes"]["inquiry_lost_customers"] == 2  # i k
    assert idx["shoes"]["inquiry_cohort_customers"] == 2
    assert idx[None]["inquiry_lost_customers"] == 2  # f m
    assert idx[None]["inquiry_cohort_customers"] == 5  # f g h j m
    # i counts in both categories: the categories add up to 5 lost, the total is 4
    assert conv.total(["inquiry_lost_customers"], **P)["inquiry_lost_customers"] == 4


def test_lost_by_staff_and_rounds(conv: Any) -> None:
    idx = conv.index(["inquiry_lost_customers"], ["staff_id", "rounds_bucket"], **P)
    # i (s_amy, 3-5), k (s_ben, 2), m (s_ben, 6+), f (no staff, 1)
    lost = {k: r["inquiry_lost_customers"] for k, r in idx.items() if r["inquiry_lost_customers"]}
    assert lost == {("s_amy", "3-5"): 1, ("s_ben", "2"): 1, ("s_ben", "6+"): 1, (None, "1"): 1}


def test_compare_previous_runs_the_cohort_per_period(conv: Any) -> None:
    # previous period of 5/12 alone is 5/11: cohort f g m (g3 g5, m1 on 5/11); on 5/11
    # alone g's window is [5/11 15:00, 5/14 15:05] -> oG1 converted; f and m lost.
    rows = conv.rows(
        ["inquiry_converted_customers", "inquiry_lost_customers"],
        shop="conv_shop",
        date_from="2026-05-12",
        date_to="2026-05-12",
        compare="previous",
    )
    assert len(rows) == 1
    r = rows[0]
    # 5/12 alone: cohort h (unpaid) and m (conv_m2 on 5/12; no order -> lost)
    assert r["inquiry_converted_customers"] == 0
    assert r["inquiry_lost_customers"] == 1
    assert r["inquiry_converted_customers__previous"] == 1
    assert r["inquiry_lost_customers__previous"] == 2
