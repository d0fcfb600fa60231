"""Post counters, gross reach, engagement rates, CTR and posts_published on seeds/social.

tw_shop post-level content_metrics rows dated in P = 2026-05-01 .. 05-07:
  P1 (instagram reel)  05-01 imp 1000 reach 800 eng 80  vv 500 clicks 20
                       05-02 imp  600 reach 400 eng --  (likes 30 + comments 5 + shares 3
                                                         + saves empty 0 = 38) vv 300 clicks 10
                       05-07 imp  150 reach 100 eng 12  vv  50 clicks  3
  P2 (instagram photo) 05-06 imp  500 reach 400 eng 40  vv  -- clicks  5
  P3 (facebook post)   05-01 imp  400 reach 300 eng 15  vv  -- clicks  4
  P4 (facebook video)  05-03 imp  200 reach 100 eng  5  vv  80 clicks  2
  P5 (instagram reel)  05-02 imp    0 reach   0 eng  0  vv  -- clicks  0
Outside P: P3 04-30 (imp 300), P1 05-08, P2 05-09. Account-level (post_id empty) instagram
05-01: imp 5000 reach 4000 eng 300 clicks 70 — never summed.
Totals: imp 1000+600+150+500+400+200+0 = 2850; reach 800+400+100+400+300+100 = 2100;
eng 80+38+12+40+15+5 = 190; video views 500+300+50+80 = 930; clicks 20+10+3+5+4+2 = 44.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from socialscope.metrics.registry import REGISTRY
from tests.content.conftest import TW

COUNTERS = ["impressions", "reach", "engagements", "video_views", "link_clicks"]
RATES = ["engagement_rate_by_reach", "engagement_rate_by_impressions", "click_through_rate"]


def test_seed_imports_cleanly(social: Any) -> None:
    assert all(c.quarantined == 0 for c in social.report.tables.values()), social.report


def test_totals_over_the_period(social: Any) -> None:
    row = social.total([*COUNTERS, *RATES], **TW)
    assert row["impressions"] == 2850  # the account row's 5000 is not in it
    assert row["reach"] == 2100  # account-level 4000 excluded
    assert row["engagements"] == 190  # incl. the fallback 38 of P1 on 05-02
    assert row["video_views"] == 930
    assert row["link_clicks"] == 44  # account-level 70 excluded
    assert isinstance(row["impressions"], int)
    assert row["engagement_rate_by_reach"] == pytest.approx(190 / 2100)
    assert row["engagement_rate_by_impressions"] == pytest.approx(190 / 2850)
    assert row["click_through_rate"] == pytest.approx(44 / 2850)


def test_by_post_gross_reach_and_zero_reach(social: Any) -> None:
    idx = social.index([*COUNTERS, *RATES], ["post_id"], **TW)
    # only post-level rows: no row for the account level (post_id empty)
    assert set(idx) == {"P1", "P2", "P3", "P4", "P5"}
    p1 = idx["P1"]
    # gross reach: 800 + 400 + 100, one person reached on several days counts each day
    assert (p1["impressions"], p1["reach"], p1["engagements"]) == (1750, 1300, 130)
    assert (p1["video_views"], p1["link_clicks"]) == (850, 33)
    assert p1["engagement_rate_by_reach"] == pytest.approx(130 / 1300)
    assert p1["engagement_rate_by_impressions"] == pytest.approx(130 / 1750)
    assert p1["click_through_rate"] == pytest.approx(33 / 1750)
    assert idx["P2"]["engagements"] == 40  # the 05-09 row (20) is after P
    assert idx["P2"]["video_views"] == 0  # empty counter counts 0
    # P5: reach 0 and impressions 0 -> every rate null, not 0
    p5 = idx["P5"]
    assert (p5["impressions"], p5["reach"], p5["engagements"]) == (0, 0, 0)
    assert p5["engagement_rate_by_reach"] is None
    assert p5["engagement_rate_by_impressions"] is None
    assert p5["click_through_rate"] is None


def test_by_post_kind_and_channel(social: Any) -> None:
    kinds = social.index(["impressions", "reach", "engagements"], ["post_kind"], **TW)
    assert {k: (r["impressions"], r["reach"], r["engagements"]) for k, r in kinds.items()} == {
        "reel": (1750, 1300, 130),  # P1 + P5
        "photo": (500, 400, 40),  # P2
        "post": (400, 300, 15),  # P3 (published before P, active in it)
        "video": (200, 100, 5),  # P4
    }
    chans = social.index(["impressions", "reach", "engagements", *RATES], ["channel"], **TW)
    ig, fb = chans["instagram"], chans["facebook"]
    assert (ig["impressions"], ig["reach"], ig["engagements"]) == (2250, 1700, 170)
    assert (fb["impressions"], fb["reach"], fb["engagements"]) == (600, 400, 20)
    assert ig["click_through_rate"] == pytest.approx(38 / 2250)  # 20+10+3+5+0
    assert fb["click_through_rate"] == pytest.approx(6 / 600)  # 4+2
    assert fb["engagement_rate_by_reach"] == pytest.approx(20 / 400)


def test_engagements_by_date_and_week(social: Any) -> None:
    days = social.index(["engagements"], ["date"], **TW)
    assert {d: r["engagements"] for d, r in days.items()} == {
        date(2026, 5, 1): 95,  # P1 80 + P3 15
        date(2026, 5, 2): 38,  # P1 fallback 38 + P5 0
        date(2026, 5, 3): 5,  # P4
        date(2026, 5, 4): 0,
        date(2026, 5, 5): 0,
        date(2026, 5, 6): 40,  # P2
        date(2026, 5, 7): 12,  # P1
    }
    weeks = social.index(["engagements"], ["week"], **TW)
    assert {w: r["engagements"] for w, r in weeks.items()} == {
        date(2026, 4, 27): 138,  # 05-01..05-03: 95 + 38 + 5
        date(2026, 5, 4): 52,  # 05-04..05-07: 40 + 12
    }


def test_compare_previous(social: Any) -> None:
    row = social.total(["impressions", "engagement_rate_by_reach"], compare="previous", **TW)
    # previous period 04-24..04-30: only P3's 04-30 row (imp 300, reach 200, eng 10)
    assert row["impressions"] == 2850
    assert row["impressions__previous"] == 300
    assert row["impressions__change"] == 2550
    assert row["impressions__change_pct"] == pytest.approx(2550 / 300)
    assert row["engagement_rate_by_reach__previous"] == pytest.approx(10 / 200)


def test_empty_period(social: Any) -> None:
    row = social.total(
        ["impressions", "engagement_rate_by_reach"],
        shop="tw_shop",
        date_from="2026-06-01",
        date_to="2026-06-07",
    )
    assert row["impressions"] == 0
    assert row["engagement_rate_by_reach"] is None


def test_reach_is_labelled_gross() -> None:
    spec = REGISTRY.get("reach")
    assert spec.label == "Gross reach"
    assert "counts twice" in spec.description


def test_posts_published_by_kind_and_channel(social: Any) -> None:
    # P0 (04-30 23:30 UTC = 05-01 07:30 local) story, P1 reel, P2 photo (05-06 00:30 local),
    # P4 video, P5 reel; P3 (04-30 20:00 local) and P9 (05-07 16:30 UTC = 05-08 local) out.
    assert social.total(["posts_published"], **TW)["posts_published"] == 5
    kinds = social.index(["posts_published"], ["kind"], **TW)
    assert {k: r["posts_published"] for k, r in kinds.items()} == {
        "story": 1,
        "reel": 2,
        "photo": 1,
        "video": 1,
    }
    chans = social.index(["posts_published"], ["channel"], **TW)
    assert {c: r["posts_published"] for c, r in chans.items()} == {"instagram": 4, "facebook": 1}


def test_posts_published_on_the_dst_day(social: Any) -> None:
    # Q2: 03-28 23:30 UTC = 03-29 00:30 CET (+1); Q1: 03-29 22:30 UTC = 03-30 00:30 CEST (+2)
    day = {"shop": "pl_shop", "date_from": "2026-03-29", "date_to": "2026-03-29"}
    assert social.total(["posts_published"], **day)["posts_published"] == 1  # Q2 only
    nxt = {"shop": "pl_shop", "date_from": "2026-03-30", "date_to": "2026-03-30"}
    assert social.total(["posts_published"], **nxt)["posts_published"] == 1  # Q1


def test_content_metrics_combine_with_posts_published_by_post_kind(social: Any) -> None:
    idx = social.index(["posts_published", "engagements"], ["post_kind"], **TW)
    # reel: P1 + P5 published in P, engagements 130; story P0 published, no content rows
    assert (idx["reel"]["posts_published"], idx["reel"]["engagements"]) == (2, 130)
    assert (idx["story"]["posts_published"], idx["story"]["engagements"]) == (1, 0)
    # P3 (post) was published before P but is active in it
    assert (idx["post"]["posts_published"], idx["post"]["engagements"]) == (0, 15)
