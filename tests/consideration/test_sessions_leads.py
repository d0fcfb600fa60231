"""Sessions, social share, visitors, durations and leads (section 6) on seeds/traffic.

tp_shop is Asia/Taipei (UTC+8, no DST); period P = 2026-05-10..2026-05-12 (local), the
previous period 05-07..05-09. Sessions (local start, channel, medium, duration, engaged):
  s1  v1 5/09 23:30 facebook social        100 / 50    -> previous period
  s2  v1 5/10 00:30 (none) Paid-Social     200 / null  -> P, social by medium only
  s3  v2 5/10 10:00 (none) organic         null / null -> P, not social
  s4  v2 5/11 09:00 instagram (none)       300 / 120   -> P, social by channel
  s5  v3 5/11 12:00 web_chat referral      50 / 10     -> P, not social (web_chat)
  s6  v1 5/12 23:59 email email            0 / 0       -> P, not social
  s7  v4 5/13 00:30 facebook               -> after P
  s8  v5 5/09 16:30Z = 5/10 00:30 local, line -> P, social (an instant given in UTC)
  s9..s15 in February-May 5 (sessions-before-purchase data), outside both periods.
P: sessions 6 (s2 s3 s4 s5 s6 s8), social 3 (s2 s4 s8), visitors 4 (v1 v2 v3 v5).
Leads (touchpoints lead/signup): l1 v1 5/10 "Facebook", l2 v1 5/11 signup facebook,
  l3 v9 5/11 instagram (v9 has no session), l4 v2 5/09 direct (previous), l5 v3 5/12 line.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

P = {"shop": "tp_shop", "date_from": "2026-05-10", "date_to": "2026-05-12"}
W = {"shop": "waw_shop", "date_from": "2026-03-29", "date_to": "2026-03-29"}
SESSION_METRICS = [
    "sessions",
    "social_sessions",
    "social_session_share",
    "visitors",
    "avg_session_duration",
    "avg_engaged_time",
]


def test_session_totals(traffic: Any) -> None:
    row = traffic.total(SESSION_METRICS, **P)
    assert row["sessions"] == 6  # s1 (5/09 23:30) out, s2 (5/10 00:30) in, s8 via UTC in
    assert row["social_sessions"] == 3  # s2 medium Paid-Social, s4 instagram, s8 line
    assert row["social_session_share"] == pytest.approx(0.5)
    assert row["visitors"] == 4  # v1 v2 v3 v5
    # durations: 200 + 300 + 50 + 0 + 40 = 590 over 5 sessions with a value (s3 null)
    assert row["avg_session_duration"] == pytest.approx(118.0)
    # engaged: 120 + 10 + 0 + 20 = 150 over 4 (s2 and s3 null)
    assert row["avg_engaged_time"] == pytest.approx(37.5)


def test_duration_parts(traffic: Any) -> None:
    row = traffic.total(
        [
            "session_duration_total",
            "sessions_with_duration",
            "engaged_time_total",
            "sessions_with_engaged_time",
        ],
        **P,
    )
    assert row["session_duration_total"] == pytest.approx(590.0)
    assert row["sessions_with_duration"] == 5
    assert row["engaged_time_total"] == pytest.approx(150.0)
    assert row["sessions_with_engaged_time"] == 4


def test_visitors_are_distinct_over_the_period_not_summed_by_day(traffic: Any) -> None:
    idx = traffic.index(["visitors", "sessions"], ["date"], **P)
    # 5/10: v1 (s2), v2 (s3), v5 (s8); 5/11: v2 (s4), v3 (s5); 5/12: v1 (s6)
    assert idx[date(2026, 5, 10)]["visitors"] == 3
    assert idx[date(2026, 5, 11)]["visitors"] == 2
    assert idx[date(2026, 5, 12)]["visitors"] == 1
    assert sum(r["visitors"] for r in idx.values()) == 6  # != 4 distinct over P
    assert idx[date(2026, 5, 10)]["sessions"] == 3  # s2 at 00:30 local belongs to 5/10


def test_by_channel_and_medium(traffic: Any) -> None:
    idx = traffic.index(["sessions", "social_sessions", "social_session_share"], ["channel"], **P)
    # no channel: s2 (social by medium Paid-Social), s3 (organic) -> 1 of 2
    assert idx[None]["sessions"] == 2
    assert idx[None]["social_sessions"] == 1
    assert idx[None]["social_session_share"] == pytest.approx(0.5)
    assert idx["web_chat"]["social_sessions"] == 0  # the site chat is not social
    assert idx["web_chat"]["social_session_share"] == 0.0
    assert idx["email"]["social_sessions"] == 0
    assert idx["instagram"]["social_session_share"] == 1.0
    assert idx["line"]["social_sessions"] == 1
    by_medium = traffic.index(["sessions", "social_sessions"], ["medium"], **P)
    assert by_medium["Paid-Social"]["social_sessions"] == 1  # kept as imported
    assert by_medium[None]["sessions"] == 2  # s4, s8 without a medium, social by channel


def test_by_device_and_filter(traffic: Any) -> None:
    idx = traffic.index(["sessions", "visitors", "avg_session_duration"], ["device"], **P)
    # desktop: s2 (200), s5 (50) -> 2 sessions, v1 + v3, mean 125
    assert idx["desktop"]["sessions"] == 2
    assert idx["desktop"]["visitors"] == 2
    assert idx["desktop"]["avg_session_duration"] == pytest.approx(125.0)
    # mobile: s3 (null), s4 (300), s6 (0), s8 (40) -> mean 340 / 3
    assert idx["mobile"]["sessions"] == 4
    assert idx["mobile"]["avg_session_duration"] == pytest.approx(340 / 3)
    row = traffic.total(["sessions"], where={"device": "desktop"}, **P)
    assert row["sessions"] == 2


def test_leads_and_rate(traffic: Any) -> None:
    row = traffic.total(["leads", "visitors", "lead_rate"], **P)
    # v1 (lead + signup, once), v9 (no session: still a lead), v3; l4 is 5/09
    assert row["leads"] == 3
    assert row["lead_rate"] == pytest.approx(3 / 4)


def test_lead_rate_by_channel(traffic: Any) -> None:
    idx = traffic.index(["leads", "visitors", "lead_rate"], ["channel"], **P)
    # facebook: l1 "Facebook" and l2 facebook -> v1, once; no session from facebook in P
    assert idx["facebook"]["leads"] == 1
    assert idx["facebook"]["visitors"] == 0
    assert idx["facebook"]["lead_rate"] is None  # zero visitors -> null, not infinite
    # instagram: lead v9 (no session) over visitor v2 (s4): the sets need not nest
    assert idx["instagram"]["lead_rate"] == pytest.approx(1.0)
    assert idx["line"]["leads"] == 1  # v3's lead; visitor v5 (s8)
    assert idx["line"]["lead_rate"] == pytest.approx(1.0)
    # no channel: visitors v1 (s2), v2 (s3); no lead -> 0.0
    assert idx[None]["visitors"] == 2
    assert idx[None]["lead_rate"] == 0.0


def test_compare_previous(traffic: Any) -> None:
    row = traffic.total(["sessions", "visitors", "lead_rate"], compare="previous", **P)
    # previous 5/07..5/09: s1 only (v1); leads: l4 (v2)
    assert row["sessions"] == 6
    assert row["sessions__previous"] == 1
    assert row["sessions__change"] == 5
    assert row["sessions__change_pct"] == pytest.approx(5.0)
    assert row["lead_rate__previous"] == pytest.approx(1.0)
    assert row["lead_rate__change"] == pytest.approx(-0.25)


def test_warsaw_dst_day(traffic: Any) -> None:
    # 3/29 (spring forward): w2 00:30+01, w3 03:30+02, w4 23:30+02; w1 is 3/28 23:30,
    # w5 22:30Z = 3/30 00:30 local
    row = traffic.total(SESSION_METRICS, **W)
    assert row["sessions"] == 3
    assert row["visitors"] == 2  # vA, vB
    assert row["social_sessions"] == 2  # w2 tiktok, w3 medium SOCIAL (case); w4 other/cpc
    assert row["avg_session_duration"] == pytest.approx(30.0)  # (20 + 30 + 40) / 3
    assert row["avg_engaged_time"] == pytest.approx(15.0)  # (10 + 20) / 2, w3 null
    rows = traffic.rows(["sessions"], ["hour"], **W)
    assert len(rows) == 23  # no 02:00 bucket on the spring-forward day
    counts = {r["hour"].replace(tzinfo=None): r["sessions"] for r in rows}
    assert counts[datetime(2026, 3, 29, 0)] == 1
    assert counts[datetime(2026, 3, 29, 3)] == 1
    assert counts[datetime(2026, 3, 29, 23)] == 1
    prev = traffic.total(["sessions"], compare="previous", **W)
    assert prev["sessions__previous"] == 1  # w1 on 3/28


def test_empty_period(traffic: Any) -> None:
    row = traffic.total(
        [*SESSION_METRICS, "leads", "lead_rate"],
        shop="tp_shop",
        date_from="2026-06-01",
        date_to="2026-06-02",
    )
    assert row["sessions"] == 0
    assert row["visitors"] == 0
    assert row["leads"] == 0
    assert row["social_session_share"] is None
    assert row["avg_session_duration"] is None
    assert row["lead_rate"] is None
