"""The campaign review end to end on the hand-built stores of conftest.py.

Expected values are worked out by hand from the store descriptions (conftest.py and
seeds/funnel/*.csv); the reasoning sits beside each one.
"""

from __future__ import annotations

import json
import math
from datetime import date
from decimal import Decimal

import pytest

from socialscope.campaigns.lift import MetricLift
from socialscope.campaigns.review import (
    CampaignReviewRequest,
    CampaignReviewResult,
    ReviewError,
    run_review,
)
from socialscope.campaigns.subjects import SubjectError
from socialscope.client import Client

LAUNCH = date(2026, 3, 2)
T_95_6 = 1.943180  # t table: 0.95 quantile, 6 df (14 history days − 8 parameters)
SESSIONS_HALF = T_95_6 * math.sqrt(28)  # 10.2823, see test_sessions_within_noise


def _short(client: Client, kind: str, ref: str, **kw: object) -> CampaignReviewResult:
    """The lift store's review over 2 weeks before and 7 days after, rates over 14 days."""
    args: dict[str, object] = {"days_after": 7, "weeks_before": 2, "trailing_days": 14}
    req = CampaignReviewRequest(None, kind, ref, **(args | kw))
    return run_review(client, req)


def _by_metric(result: CampaignReviewResult) -> dict[str, MetricLift]:
    return {m.metric: m for m in result.lift}


# -- lift store: taipei_shop, launch 2026-03-02 ------------------------------------------


def test_post_subject_and_window(lift: Client) -> None:
    r = _short(lift, "post", "P")
    # published 2026-03-01T20:30Z = 03-02 04:30 in Taipei (UTC+8): the local date launches.
    assert r.launch == LAUNCH
    assert r.launch_from == "posts.published_at (local date)"
    assert r.channel == "instagram"
    assert r.currency == "TWD"
    # 7 days after from the launch; history from 2026-02-16 (2 weeks before).
    assert (r.window_from, r.window_to, r.days_after) == (date(2026, 2, 16), date(2026, 3, 8), 7)
    # trailing 14 days: 02-16 .. 03-01.
    assert (r.trailing_from, r.trailing_to) == (date(2026, 2, 16), date(2026, 3, 1))
    assert r.notes == ()


def test_sessions_within_noise(lift: Client) -> None:
    m = _by_metric(_short(lift, "post", "P"))["sessions"]
    # History Mon..Sun 3 1 2 2 2 4 4 / 1 3 2 2 2 4 4: trend (Σ week-2 − week-1 per weekday)/49
    # = (−2 + 2)/49 = 0, weekday effects = two-day means 2 2 2 2 2 4 4; 7 days after:
    # 5·2 + 2·4 = 18. Residuals ±1 on four days: s² = 4/6; Var(total) = s²·(7 + 3.5 + 31.5)
    # = 28 (see test_baseline.py) → 18 ± 1.943180·√28 = 18 ± 10.28 → 7.72 .. 28.28.
    assert m.predicted == pytest.approx(18)
    assert m.low == pytest.approx(round(18 - SESSIONS_HALF, 2))
    assert m.high == pytest.approx(round(18 + SESSIONS_HALF, 2))
    # After: 3 a weekday, 5 a weekend day: 5·3 + 2·5 = 25 (the 01:00 local session of 03-02,
    # 17:00Z on 03-01, counts on 03-02). 25 − 18 = 7, 7/18 = 0.3889; inside the interval.
    assert m.actual == 25
    assert m.difference == pytest.approx(7)
    assert m.change_pct == pytest.approx(7 / 18)
    assert m.verdict == "within noise"
    assert m.scope == {}
    assert (m.history_from, m.history_to, m.weeks) == (date(2026, 2, 16), date(2026, 3, 1), 2)
    # Day by day: Monday 03-02 actual 3, predicted 2; Saturday 03-07 actual 5, predicted 4.
    assert (m.daily[0].day, m.daily[0].actual, m.daily[0].predicted) == (LAUNCH, 3, 2)
    assert (m.daily[5].actual, m.daily[5].predicted) == (5, 4)


def test_social_sessions_and_sales_lift(lift: Client) -> None:
    ms = _by_metric(_short(lift, "post", "P"))
    social = ms["social_sessions"]
    # 1 social session every history day: predicted 7 with no noise (interval 7 .. 7);
    # 2 a day after: 14 → +7, +100 %, a lift.
    assert (social.predicted, social.low, social.high) == (7, 7, 7)
    assert (social.actual, social.difference) == (14, 7)
    assert social.change_pct == pytest.approx(1.0)
    assert social.verdict == "lift"
    sales = ms["sales_amount"]
    # TWD only (the USD order and the cancelled order never count). History: 100 a weekday,
    # 2 × 100 a weekend day, exactly weekly → predicted 5·100 + 2·200 = 900.00, no width.
    # After: 5·150 + 2·200 = 1 150 → +250.00, 250/900 = 27.8 %, a lift.
    assert sales.scope == {"currency": "TWD"}
    assert (sales.predicted, sales.low, sales.high) == (Decimal("900.00"),) * 3
    assert sales.actual == Decimal(1150)
    assert sales.difference == Decimal("250.00")
    assert sales.change_pct == pytest.approx(250 / 900)
    assert sales.verdict == "lift"


def test_ad_conversion_rate_per_kind(lift: Client) -> None:
    # Daily basis: Σ converted / Σ click users of the 7 days, modelled from the 14 before.
    post = _by_metric(_short(lift, "post", "P"))["conversion_rate"]
    # Post on instagram: before, 1 of 2 instagram click users buys each day → 0.5 exactly;
    # after, 2 of 2 → 1.0: +0.5, +100 %.
    assert post.scope == {"channel": "instagram"}
    assert (post.predicted, post.low, post.high) == (0.5, 0.5, 0.5)
    assert (post.actual, post.difference) == (1.0, 0.5)
    assert post.change_pct == pytest.approx(1.0)
    assert post.verdict == "lift"
    live = _by_metric(_short(lift, "live", "L"))["conversion_rate"]
    # Live on facebook: before 0 of 1 a day → 0; after 1 of 1 → 1.0; % undefined (÷ 0).
    assert live.scope == {"channel": "facebook"}
    assert (live.predicted, live.low, live.high) == (0, 0, 0)
    assert (live.actual, live.change_pct, live.verdict) == (1.0, None, "lift")
    campaign = _by_metric(_short(lift, "campaign", "spring"))["conversion_rate"]
    # Campaign: all the shop's clicks: before 1 of 3 a day → 1/3; after 3 of 3 → 1.0:
    # +2/3, +200 %.
    assert campaign.scope == {}
    assert campaign.predicted == pytest.approx(0.333333)
    assert campaign.actual == 1.0
    assert campaign.difference == pytest.approx(0.666667)
    assert campaign.change_pct == pytest.approx(2.0)


def test_campaign_launch_and_targets(lift: Client) -> None:
    r = _short(lift, "campaign", "spring", target_sales=Decimal(10000))
    # First `spring` session: 2026-03-01T17:00Z = 03-02 01:00 Taipei → launch 03-02.
    assert r.launch == LAUNCH
    assert r.channel is None
    stages = r.targets.stages
    # Trailing 02-16 .. 03-01, TWD: 10 weekdays × 100 + 4 weekend days × 2 × 100 = 1 800
    # over 10 + 8 = 18 orders → AOV 100: 10 000 ÷ 100 = 100 orders.
    assert (stages[0].rate.numerator, stages[0].rate.denominator) == (1800, 18)
    assert stages[0].needed == 100
    # Click users: 14 days × 3 = 42, 14 converted → 1/3: 100 ÷ 1/3 = 300.
    assert (stages[1].rate.numerator, stages[1].rate.denominator) == (14, 42)
    assert stages[1].needed == 300
    # No content counters: impressions 0 → no CTR; the chain stops there.
    assert stages[2].needed is None
    assert r.targets.stopped is not None
    assert "impressions is 0" in r.targets.stopped


def test_post_and_live_chains_stop_without_a_funnel(lift: Client) -> None:
    # The lift store has no comments and no post/live orders: 0 paying customers.
    for kind, ref, metric in (
        ("post", "P", "post_paying_customers"),
        ("live", "L", "live_paying_customers"),
    ):
        r = _short(lift, kind, ref, target_sales=Decimal(1000))
        assert [s.needed for s in r.targets.stages] == [None] * len(r.targets.stages)
        assert r.targets.stopped is not None
        assert f"{metric} is 0" in r.targets.stopped


def test_defaults_cut_to_the_data(lift: Client) -> None:
    # Defaults: 14 days after, 6 weeks before, 28 trailing days. The data ends 2026-03-08,
    # so 7 days are compared; the history window opens on 01-19 but the data starts on
    # 02-16, so the same 2 weeks are used and the numbers equal the short review's.
    r = run_review(lift, CampaignReviewRequest(None, "post", "P"))
    assert r.days_after == 7
    assert r.window_to == date(2026, 3, 8)
    assert r.window_from == date(2026, 2, 16)
    assert r.notes == (
        "the data ends on 2026-03-08: 7 of the 14 days after the launch are compared",
    )
    sessions = _by_metric(r)["sessions"]
    assert (sessions.predicted, sessions.actual, sessions.weeks) == (18, 25, 2)
    assert (r.trailing_from, r.trailing_to) == (date(2026, 2, 2), date(2026, 3, 1))


def test_json_round_trip(lift: Client) -> None:
    data = json.loads(_short(lift, "post", "P", target_sales=Decimal(500)).to_json())
    assert data["launch"] == "2026-03-02"
    assert data["targets"]["target"] == 500
    assert data["targets"]["complete"] is False
    sales = next(m for m in data["lift"] if m["metric"] == "sales_amount")
    # Money as JSON numbers, like the CLI's other JSON.
    assert (sales["predicted"], sales["actual"], sales["difference"]) == (900, 1150, 250)
    assert sales["daily"][0] == {"day": "2026-03-02", "actual": 150, "predicted": 100}


# -- funnel store: warsaw_shop, launch 2026-04-01, trailing 03-18 .. 03-31 -----------------


def test_post_chain(funnel: Client) -> None:
    r = _short(funnel, "post", "P2", target_sales=Decimal(6000))
    # P2 published 2026-03-31T22:30Z = 04-01 00:30 CEST (DST began 03-29): launch 04-01.
    assert r.launch == date(2026, 4, 1)
    assert (r.trailing_from, r.trailing_to) == (date(2026, 3, 18), date(2026, 3, 31))
    rates = [(s.rate.numerator, s.rate.denominator) for s in r.targets.stages]
    # Only P1 (published 03-18 00:30 CET) is in the cohort; P0 (03-10) is not.
    # sales of source post, PLN, not cancelled: po1 300 + po2 300 = 600 (po3 cancelled; the
    # USD order excluded); paying: a → 600 per paying customer.
    # ordering: a, b (c's order cancelled) → paying/ordering 1/2.
    # keyword: a "+1", b "+1", c "+2" (f's is deleted, the page's reply is no customer) = 3.
    # commenting: a b c d e = 5 → keyword/commenting 3/5.
    # gross reach of post rows 03-18, 03-19: 400 + 100 = 500 → commenting/reach 5/500;
    # impressions 500 + 300 = 800 (the account row of 03-20 and P0's 03-10 are out).
    assert rates == [(600, 1), (1, 2), (2, 3), (3, 5), (5, 500), (500, 800)]
    # 6 000 ÷ 600 = 10 paying ÷ 1/2 = 20 ordering ÷ 2/3 = 30 keyword ÷ 3/5 = 50 commenting
    # ÷ 1/100 = 5 000 reach ÷ 5/8 = 8 000 impressions.
    assert [s.needed for s in r.targets.stages] == [10, 20, 30, 50, 5000, 8000]
    assert r.targets.complete
    # No session and no order on or after the launch: no lift, and a note that says so.
    assert r.lift == ()
    assert r.notes == (
        "no lift: the shop has no session or order on or after the launch (2026-04-01)",
    )


def test_live_chain(funnel: Client) -> None:
    r = _short(funnel, "live", "L2", target_sales=Decimal(2000))
    # L2 started 2026-04-01 10:00 CEST.
    assert (r.launch, r.channel) == (date(2026, 4, 1), "facebook")
    rates = [(s.rate.numerator, s.rate.denominator) for s in r.targets.stages]
    # L1 (03-25) is the cohort (L0 of 03-10 is not): sales of source live 500 + 300 = 800
    # over paying g, h = 2 → 400; ordering g, h (2/2); keyword g, h (2/2); commenting
    # g h i j (2/4); viewers 200 (4/200).
    assert rates == [(800, 2), (2, 2), (2, 2), (2, 4), (4, 200)]
    # 2 000 ÷ 400 = 5 paying = 5 ordering = 5 keyword; ÷ 1/2 = 10 commenting; ÷ 1/50 = 500.
    assert [s.needed for s in r.targets.stages] == [5, 5, 5, 10, 500]


def test_planned_campaign(funnel: Client) -> None:
    r = _short(funnel, "campaign", "autumn", launch=date(2026, 4, 1), target_sales=Decimal(7000))
    assert r.launch_from == "given"
    stages = r.targets.stages
    # PLN orders created 03-18 .. 03-31, not cancelled: 300 + 300 + 500 + 300 = 1 400 over 4
    # → AOV 350: 7 000 ÷ 350 = 20 orders.
    assert (stages[0].rate.numerator, stages[0].rate.denominator, stages[0].needed) == (
        1400,
        4,
        20,
    )
    # No click users: no conversion rate, the chain stops at click users ...
    assert stages[1].needed is None
    assert r.targets.stopped is not None
    assert "click_users is 0" in r.targets.stopped
    # ... while the CTR is still shown: link clicks 10 + 2 = 12 / impressions 800.
    assert (stages[2].rate.numerator, stages[2].rate.denominator) == (12, 800)


def test_errors(funnel: Client) -> None:
    with pytest.raises(SubjectError, match="no session and no order"):
        _short(funnel, "campaign", "autumn")
    with pytest.raises(SubjectError, match="no post 'nope'"):
        _short(funnel, "post", "nope")
    with pytest.raises(ReviewError, match="weeks_before"):
        _short(funnel, "post", "P2", weeks_before=1)
    with pytest.raises(ReviewError, match="unknown shop"):
        run_review(funnel, CampaignReviewRequest("elsewhere", "post", "P2"))
    with pytest.raises(ReviewError, match="cannot be negative"):
        _short(funnel, "post", "P2", target_sales=Decimal(-1))
