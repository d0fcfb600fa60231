"""followers, followers_start, net_follower_growth, follower_growth_rate and
engagement_rate_by_followers on seeds/social.

tw_shop account-level followers (post_id empty), end of day:
  instagram 04-29 1000, 04-30 1010, 05-01 1020, 05-02 1030, (05-03 missing), 05-04 1050,
            05-05 1060, 05-06 1075, 05-07 1100, 05-08 1200
  facebook  04-30 500, 05-01 505, 05-02 510, (05-03, 05-04 missing), 05-05 520, (later none)
  tiktok    05-03 300, 05-07 330 (no value before P: left out of growth, counted in followers)
A channel's value on a day = the last value dated on or before it.
P = 05-01..05-07. End (05-07): ig 1100, fb 520 (carried from 05-05), tiktok 330 -> 1950.
Start (04-30): ig 1010, fb 500, tiktok none -> 1510.
Growth: ig 1100-1010 = 90, fb 520-500 = 20, tiktok left out -> 110; rate 110/1510.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.content.conftest import TW

FOLLOWERS = ["followers", "followers_start", "net_follower_growth", "follower_growth_rate"]


def _vals(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[m] for m in FOLLOWERS[:3])


def test_followers_over_the_period(social: Any) -> None:
    row = social.total(FOLLOWERS, **TW)
    assert _vals(row) == (1950, 1510, 110)
    assert row["follower_growth_rate"] == pytest.approx(110 / 1510)


def test_followers_by_channel(social: Any) -> None:
    idx = social.index(FOLLOWERS, ["channel"], **TW)
    assert _vals(idx["instagram"]) == (1100, 1010, 90)
    assert idx["instagram"]["follower_growth_rate"] == pytest.approx(90 / 1010)
    # facebook's last value in P is on 05-05
    assert _vals(idx["facebook"]) == (520, 500, 20)
    assert idx["facebook"]["follower_growth_rate"] == pytest.approx(20 / 500)
    # tiktok: no value on or before 04-30 -> no start, no growth, rate null
    assert _vals(idx["tiktok"]) == (330, 0, 0)
    assert idx["tiktok"]["follower_growth_rate"] is None


def test_followers_by_week(social: Any) -> None:
    idx = social.index(FOLLOWERS, ["week"], **TW)
    w1, w2 = idx[date(2026, 4, 27)], idx[date(2026, 5, 4)]
    # week 1 in P = 05-01..05-03. End 05-03: ig 1030 (carried, 05-03 missing), fb 510
    # (carried), tiktok 300. Start 04-30: 1010 + 500. Growth ig 20 + fb 10.
    assert _vals(w1) == (1840, 1510, 30)
    assert w1["follower_growth_rate"] == pytest.approx(30 / 1510)
    # week 2 = 05-04..05-07. End 05-07: 1100 + 520 + 330. Start 05-03: 1030 + 510 + 300.
    # Growth 70 + 10 + 30 (tiktok has a start now).
    assert _vals(w2) == (1950, 1840, 110)
    assert w2["follower_growth_rate"] == pytest.approx(110 / 1840)


def test_followers_by_date_with_missing_days(social: Any) -> None:
    idx = social.index(FOLLOWERS, ["date"], **TW)
    got = {d: _vals(r) for d, r in idx.items()}
    assert got == {
        # end: ig + fb (+ tiktok from 05-03); start: the day before
        date(2026, 5, 1): (1020 + 505, 1010 + 500, 15),  # ig +10, fb +5
        date(2026, 5, 2): (1030 + 510, 1020 + 505, 15),  # +10, +5
        # 05-03: ig and fb carried from 05-02; tiktok's first value, no start -> left out
        date(2026, 5, 3): (1030 + 510 + 300, 1030 + 510, 0),
        date(2026, 5, 4): (1050 + 510 + 300, 1030 + 510 + 300, 20),  # ig +20
        date(2026, 5, 5): (1060 + 520 + 300, 1050 + 510 + 300, 20),  # ig +10, fb +10
        date(2026, 5, 6): (1075 + 520 + 300, 1060 + 520 + 300, 15),  # ig +15
        date(2026, 5, 7): (1100 + 520 + 330, 1075 + 520 + 300, 55),  # ig +25, tiktok +30
    }


def test_followers_compare_previous(social: Any) -> None:
    row = social.total(FOLLOWERS, compare="previous", **TW)
    # previous period 04-24..04-30: end 04-30 = ig 1010 + fb 500; start 04-23: no value at
    # all -> growth 0 and rate null
    assert row["followers__previous"] == 1510
    assert row["followers__change"] == 1950 - 1510
    assert row["followers__change_pct"] == pytest.approx(440 / 1510)
    assert row["net_follower_growth__previous"] == 0
    assert row["follower_growth_rate__previous"] is None


def test_followers_before_any_value(social: Any) -> None:
    row = social.total(FOLLOWERS, shop="tw_shop", date_from="2026-04-01", date_to="2026-04-20")
    assert _vals(row) == (0, 0, 0)
    assert row["follower_growth_rate"] is None


def test_engagement_rate_by_followers(social: Any) -> None:
    # Posts published in P (local): P0 (no content rows in its first week: left out),
    # P1 05-01: first 7 days 05-01..05-07 = 80 + 38 + 12 = 130 (05-08's 10 is day 8)
    #           / instagram followers on 05-01 = 1020
    # P2 05-06 00:30 local (05-05 in UTC): 05-06..05-12 = 40 + 20 (05-09, after P's end)
    #           = 60 / followers on 05-06 = 1075 (not 05-05's 1060)
    # P4 05-03 facebook: no facebook row on 05-03 -> left out
    # P5 05-02: 0 / 1030 = 0
    expected = (130 / 1020 + 60 / 1075 + 0 / 1030) / 3
    row = social.total(["engagement_rate_by_followers"], **TW)
    assert row["engagement_rate_by_followers"] == pytest.approx(expected)
    idx = social.index(["engagement_rate_by_followers"], ["channel"], **TW)
    assert idx["instagram"]["engagement_rate_by_followers"] == pytest.approx(expected)
    assert idx.get("facebook", {}).get("engagement_rate_by_followers") is None


def test_engagement_rate_by_followers_uses_the_local_publish_date(social: Any) -> None:
    two_days = {"shop": "tw_shop", "date_from": "2026-05-06", "date_to": "2026-05-07"}
    row = social.total(["engagement_rate_by_followers"], **two_days)
    assert row["engagement_rate_by_followers"] == pytest.approx(60 / 1075)  # P2 only
    # pl_shop around the DST switch: Q2 published 03-29 00:30 CET (03-28 in UTC), 20
    # engagements / 400 followers on 03-29; Q1 published 03-30 00:30 CEST (03-29 in UTC),
    # 10 / 500 on 03-30. Mean (0.05 + 0.02) / 2.
    pl = {"shop": "pl_shop", "date_from": "2026-03-29", "date_to": "2026-03-30"}
    row = social.total(["engagement_rate_by_followers"], **pl)
    assert row["engagement_rate_by_followers"] == pytest.approx(0.035)
