"""Live counters and the live / post sales funnels on seeds/social.

tw_shop lives (P = 05-01..05-07, local):
  L1 instagram 05-02 20:00  viewers 200  peak  80  watch 36000
  L2 facebook  05-04 20:00  viewers 100  peak 120  watch  9000
  L3 instagram 04-30 16:30 UTC = 05-01 00:30 local: viewers 50, peak 10, watch empty
  L4 instagram 05-07 17:00 UTC = 05-08 01:00 local: outside P
Identities: instagram ig_user_a -> cust_A, facebook fb_user_z -> cust_A.
Live comments (customer, not deleted, unless said):
  L1: ig_user_a "+1" and "+2" (= cust_A), ig_user_b "nice!" (no keyword), ig_user_c "+1"
      DELETED, page "+1 thanks" (page), ig_user_d "+1", ig_user_e "+1" on 05-09 (after P:
      still L1's, the live is the cohort)
  L2: fb_user_x "+1", fb_user_z "how much?" (= cust_A)
  L4: ig_user_a "+1"
Orders of source live: o1 cust_A L1 paid; o2 cust_D L1 unpaid; o3 cust_E L1 paid then
  CANCELLED; o4 cust_B2 L2 paid; o10 cust_A L4 paid; o9 cust_J source live with post_id P1
  and no live_id (no live's).
Post comments (no live_id): P1: ig_user_a "+1" (= cust_A), ig_user_g "love it", page
  "+1 noted", ig_user_h "+1" DELETED; P2 (published 05-06): ig_user_k "+1 red M" on 05-10;
  P3 (published 04-30, outside P): fb_user_y "+1".
Orders of source post: o5 cust_A P1 paid; o6 cust_G2 P1 unpaid (no channel); o7 cust_H P1
  CANCELLED; o8 cust_I P2 paid on 05-10.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from tests.content.conftest import TW

LIVE = ["live_viewers", "live_peak_viewers", "live_watch_seconds"]
LIVE_STEPS = [
    "live_commenting_customers",
    "live_keyword_customers",
    "live_ordering_customers",
    "live_paying_customers",
]
LIVE_RATES = ["live_commenting_rate", "live_keyword_rate", "live_ordering_rate", "live_paying_rate"]
POST_STEPS = [
    "post_commenting_customers",
    "post_keyword_customers",
    "post_ordering_customers",
    "post_paying_customers",
]
POST_RATES = ["post_keyword_rate", "post_ordering_rate", "post_paying_rate"]


def _steps(row: dict[str, Any], steps: list[str]) -> tuple[int, ...]:
    return tuple(row[s] for s in steps)


def test_live_counters(social: Any) -> None:
    row = social.total(LIVE, **TW)
    assert row["live_viewers"] == 350  # L1 200 + L2 100 + L3 50 (L4 starts 05-08 local)
    assert row["live_peak_viewers"] == 120  # max(80, 120, 10), not a sum
    assert row["live_watch_seconds"] == pytest.approx(45000)  # 36000 + 9000 (+ L3 empty)
    idx = social.index(LIVE, ["live_id"], **TW)
    assert set(idx) == {"L1", "L2", "L3"}
    assert (idx["L1"]["live_viewers"], idx["L1"]["live_peak_viewers"]) == (200, 80)
    assert idx["L3"]["live_watch_seconds"] is None  # not reported
    chans = social.index(LIVE, ["channel"], **TW)
    assert (chans["instagram"]["live_viewers"], chans["instagram"]["live_peak_viewers"]) == (
        250,
        80,
    )


def test_live_viewers_by_hour_on_the_dst_day(social: Any) -> None:
    # LQ1 00:30 UTC = 01:30 CET; LQ2 01:30 UTC = 03:30 CEST; 02:00-03:00 does not exist
    idx = social.index(
        ["live_viewers"], ["hour"], shop="pl_shop", date_from="2026-03-29", date_to="2026-03-29"
    )
    assert len(idx) == 23  # a spring-forward day has 23 hours
    assert idx[datetime(2026, 3, 29, 1)]["live_viewers"] == 10
    assert idx[datetime(2026, 3, 29, 3)]["live_viewers"] == 20
    assert datetime(2026, 3, 29, 2) not in idx


def test_live_funnel_per_live(social: Any) -> None:
    idx = social.index([*LIVE_STEPS, *LIVE_RATES], ["live_id"], **TW)
    l1 = idx["L1"]
    # commenting: cust_A (ig_user_a), ig_user_b, ig_user_d, ig_user_e — not ig_user_c
    # (deleted), not the page; keyword: cust_A, ig_user_d, ig_user_e; ordering: cust_A,
    # cust_D (o3 cancelled); paying: cust_A
    assert _steps(l1, LIVE_STEPS) == (4, 3, 2, 1)
    assert l1["live_commenting_rate"] == pytest.approx(4 / 200)
    assert l1["live_keyword_rate"] == pytest.approx(3 / 4)
    assert l1["live_ordering_rate"] == pytest.approx(2 / 3)
    assert l1["live_paying_rate"] == pytest.approx(1 / 2)
    # L2: commenting fb_user_x, cust_A (fb_user_z); keyword fb_user_x; o4 cust_B2 paid
    l2 = idx["L2"]
    assert _steps(l2, LIVE_STEPS) == (2, 1, 1, 1)
    assert l2["live_commenting_rate"] == pytest.approx(2 / 100)
    assert l2["live_keyword_rate"] == pytest.approx(1 / 2)
    assert (l2["live_ordering_rate"], l2["live_paying_rate"]) == (1.0, 1.0)
    # L3: viewers but nobody in the funnel: first rate 0 / 50 = 0, the next ones 0 / 0
    l3 = idx["L3"]
    assert _steps(l3, LIVE_STEPS) == (0, 0, 0, 0)
    assert l3["live_commenting_rate"] == 0.0
    assert l3["live_keyword_rate"] is None


def test_live_funnel_over_the_period_counts_a_person_once(social: Any) -> None:
    row = social.total([*LIVE_STEPS, *LIVE_RATES], **TW)
    # commenting: cust_A (as ig_user_a on L1 and as fb_user_z on L2: one customer),
    # ig_user_b, ig_user_d, ig_user_e, fb_user_x = 5 (6 without identities)
    # keyword: cust_A, ig_user_d, ig_user_e, fb_user_x = 4
    # ordering: cust_A, cust_D, cust_B2 = 3 (o10 is L4's, outside P); paying cust_A, cust_B2
    assert _steps(row, LIVE_STEPS) == (5, 4, 3, 2)
    assert row["live_commenting_rate"] == pytest.approx(5 / 350)
    assert row["live_keyword_rate"] == pytest.approx(4 / 5)
    assert row["live_ordering_rate"] == pytest.approx(3 / 4)
    assert row["live_paying_rate"] == pytest.approx(2 / 3)
    chans = social.index(LIVE_STEPS, ["channel"], **TW)
    assert _steps(chans["instagram"], LIVE_STEPS) == (4, 3, 2, 1)  # L1 (L3 empty)
    assert _steps(chans["facebook"], LIVE_STEPS) == (2, 1, 1, 1)  # L2


def test_post_funnel(social: Any) -> None:
    idx = social.index([*POST_STEPS, *POST_RATES], ["post_id"], **TW)
    # only P1 and P2 (published in P) have anyone in their funnel; P3 is outside P
    assert set(idx) == {"P1", "P2"}
    p1 = idx["P1"]
    # commenting: cust_A (ig_user_a), ig_user_g — not the page, not the deleted ig_user_h;
    # keyword: cust_A; ordering: cust_A (o5), cust_G2 (o6: no channel, still P1's) — not
    # o7 (cancelled), not o9 (source live); paying: cust_A
    assert _steps(p1, POST_STEPS) == (2, 1, 2, 1)
    assert p1["post_keyword_rate"] == pytest.approx(1 / 2)
    assert p1["post_ordering_rate"] == pytest.approx(2.0)  # each step as defined: > 1
    assert p1["post_paying_rate"] == pytest.approx(1 / 2)
    # P2: ig_user_k "+1 red M" and cust_I's paid order, both after P (the post is the cohort)
    assert _steps(idx["P2"], POST_STEPS) == (1, 1, 1, 1)
    row = social.total([*POST_STEPS, *POST_RATES], **TW)
    assert _steps(row, POST_STEPS) == (3, 2, 3, 2)
    assert row["post_keyword_rate"] == pytest.approx(2 / 3)
    assert row["post_ordering_rate"] == pytest.approx(3 / 2)
    assert row["post_paying_rate"] == pytest.approx(2 / 3)


def test_funnels_compare_previous(social: Any) -> None:
    row = social.total(["post_commenting_customers", "live_viewers"], compare="previous", **TW)
    # previous period 04-24..04-30: P3 (published 04-30 20:00 local) with fb_user_y's "+1";
    # no live started then (L3 is 05-01 local)
    assert row["post_commenting_customers__previous"] == 1
    assert row["live_viewers__previous"] == 0
    assert row["live_viewers__change_pct"] is None
