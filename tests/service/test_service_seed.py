"""Section 3 metrics on seeds/service, every expected value derived by hand.

taipei_shop (Asia/Taipei, +08:00, service_hours empty -> default [08:00, 23:00)).
Local times on 2026-05-04 unless said. Rounds = runs of customer messages (bot/system rows
ignored) + the agent message right after; H = first handoff, else first event;
effective start = max(first message, H); response = reply − effective start.

  c01 line       10:00:00 C, 10:01:00 A s_a | 10:05:00 C, 10:05:30 C, 10:08:00 A s_a
                 no handoff, H = 10:00. R1 eff 10:00:00 resp 60 (s_a); R2 (two customer
                 messages) eff 10:05:00 resp 180 — exactly the threshold. staff s_a.
  c02 line       11:00:00 C, 11:03:01 A s_b. R1 resp 181. staff s_b.
  c03 facebook   12:00:00 C, 12:00:05 bot, 12:00:30 C, 12:01:00 handoff, 12:02:00 A s_b |
                 12:10:00 C, 12:10:10 bot, 12:10:20 C, 12:12:00 A s_a
                 H = 12:01. R1 = [12:00:00, 12:00:30] (bot ignored), reply 12:02 ≥ H -> human,
                 eff = max(12:00:00, H) = 12:01:00, resp 60 (s_b). R2 = [12:10:00, 12:10:20]
                 (a bot message inside the round), eff 12:10:00, resp 120 (s_a: B hands over
                 to A). staff = first agent at/after H = s_b.
  c04 facebook   13:00:00 C, 13:00:03 bot, 13:00:40 C, 13:00:45 bot: bot-only -> not human,
                 no human round: counts nowhere in section 3.
  c05 line       14:00:00 C, 14:02:00 C, nothing else: human (no bot), one unanswered round
                 eff 14:00:00; no agent message -> unreplied. staff none.
  c06 facebook   15:00:00 C, 15:00:05 bot, 15:00:10 handoff, nobody comes: human, one
                 unanswered round, eff = H = 15:00:10; unreplied. staff none.
  c07 instagram  16:00:00 C (c07-a), 16:00:00 A s_a (c07-b), 16:05:00 A s_a (c07-c),
                 16:05:00 C (c07-d), 16:06:00 A s_c (c07-e). Ties ordered by event_id:
                 a < b: R1 [a] reply b resp 0 (s_a); c < d: the agent row c comes BEFORE the
                 customer row d, so R2 [d] is answered by e: resp 60 (s_c). staff s_a.
  c08 line       07:59:59 C, 08:01:00 A s_c: R1 resp 61, eff 07:59:59 (outside hours).
  c09 line       08:00:00 C, 08:03:30 A s_c: R1 resp 210, eff 08:00:00 (inside).
  c10 line       22:59:59 C, 23:02:59 A s_c: R1 resp 180, eff 22:59:59 (inside).
  c11 instagram  05-04 23:00:00 C, 05-05 00:02:00 A s_a | 05-05 08:30:00 C, 08:31:00 A s_a
                 crosses midnight. R1 eff 05-04 23:00:00 (outside: [08:00, 23:00) excludes
                 23:00:00) resp 3720 (s_a); R2 eff 05-05 08:30 resp 60. staff s_a.
  c12 facebook   17:00:00 C, 17:00:30 A s_c, 17:01:00 handoff, 17:02:00 C, 17:04:00 A s_b
                 H = 17:01. R1 replied at 17:00:30 < H -> not human (ignored). R2 eff 17:02:00
                 resp 120 (s_b). staff = first agent at/after H = s_b.
  c13 line       05-05 09:00:00 C, 09:02:00 C, 09:04:00 A s_b | 09:10:00 C (never answered)
                 R1 eff 09:00 resp 240 (s_b); R2 eff 09:10 unanswered. staff s_b.

night_shop (Asia/Taipei, service_hours 20:00-02:00, overnight), line, staff s_n:
  n1 05-04 19:59:59 -> 31 s (outside)     n2 05-04 20:00:00 -> 240 s (inside)
  n5 05-04 23:30:00 -> 60 s (inside)      n3 05-05 01:59:59 -> 61 s (inside)
  n4 05-05 02:00:00 -> 10 s (outside)     n6 05-04 12:00:00 -> 60 s (outside here, inside
                                          the default window)
warsaw_shop (Europe/Warsaw, default hours; DST starts 2026-03-29 02:00 CET -> 03:00 CEST),
whatsapp, staff s_w:
  w1 03-28 07:30+01 -> 07:31 (60, outside)     w2 03-28 22:59+01 -> 23:03 (240, inside)
  w3 03-29 01:59+01 -> 03:01+02 = 00:59Z -> 01:01Z: 120 s, not 62 min (outside)
  w4 03-29 08:00+02 -> 08:02 (120; local 08:00 CEST = 06:00Z: inside only in local time)
  w5 03-29 23:30+02 -> 23:31 (60; outside; at +01 it would wrongly be 22:30, inside)
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from socialscope.metrics.query import QueryError
from tests.seedstore import local_naive
from tests.service.conftest import ServiceSeed

TP = {"shop": "taipei_shop"}
D4 = {"date_from": "2026-05-04", "date_to": "2026-05-04"}
D5 = {"date_from": "2026-05-05", "date_to": "2026-05-05"}
BOTH = {"date_from": "2026-05-04", "date_to": "2026-05-05"}
D4_, D5_ = date(2026, 5, 4), date(2026, 5, 5)

THREE_MIN = [
    "three_minute_reply_rate",
    "three_minute_good_conversations",
    "three_minute_eligible_conversations",
]
FRT = ["first_response_time_avg", "first_response_time_median", "first_response_time_p90"]
ROUNDS = ["avg_response_time", "slow_rounds", "unanswered_rounds"]
SLA = ["sla_attainment", "sla_met_conversations", "sla_conversations"]
CSAT = ["csat_rate", "csat_positive_ratings", "csat_ratings"]


def test_import_is_clean(seed: ServiceSeed) -> None:
    tables = seed.report.tables
    assert tables["messages"].stored == 71
    assert tables["ratings"].stored == 11
    assert all(c.quarantined == 0 for c in tables.values())


# -- 3-minute reply rate ------------------------------------------------------------------
def test_three_minute_rule_taipei_05_04(seed: ServiceSeed) -> None:
    # Dated by the first eligible round. On 05-04:
    #   c01 R1 60, R2 180 (inclusive)          eligible, good
    #   c02 181                                eligible, bad
    #   c03 R1 60 (eff 12:01), R2 120          eligible, good
    #   c04 bot-only                           not human: nothing
    #   c05 unanswered                         eligible, bad
    #   c06 unanswered (eff 15:00:10)          eligible, bad
    #   c07 0, 60 (ties by event_id)           eligible, good
    #   c08 07:59:59                           outside: not eligible (counts neither way)
    #   c09 08:00:00, 210                      eligible, bad
    #   c10 22:59:59, 180                      eligible, good
    #   c11 R1 23:00:00 outside; R2 05-05      eligible, but dated 05-05
    #   c12 R1 not human; R2 120               eligible, good
    # eligible 9 (c01 c02 c03 c05 c06 c07 c09 c10 c12), good 5 (c01 c03 c07 c10 c12)
    tot = seed.total(THREE_MIN, **TP, **D4)
    assert tot["three_minute_eligible_conversations"] == 9
    assert tot["three_minute_good_conversations"] == 5
    assert tot["three_minute_reply_rate"] == pytest.approx(5 / 9)


def test_three_minute_rule_by_date(seed: ServiceSeed) -> None:
    # 05-05: c11 (first eligible round R2 08:30, 60 s: good) and c13 (R1 240 s and an
    # unanswered R2: bad) -> 1 / 2. Over both days: 11 eligible, 6 good.
    idx = seed.index(THREE_MIN, ["date"], **TP, **BOTH)
    assert idx[D4_]["three_minute_eligible_conversations"] == 9
    assert idx[D4_]["three_minute_good_conversations"] == 5
    assert idx[D5_]["three_minute_eligible_conversations"] == 2
    assert idx[D5_]["three_minute_good_conversations"] == 1
    assert idx[D5_]["three_minute_reply_rate"] == pytest.approx(0.5)
    tot = seed.total(THREE_MIN, **TP, **BOTH)
    assert tot["three_minute_reply_rate"] == pytest.approx(6 / 11)


def test_three_minute_threshold_param(seed: ServiceSeed) -> None:
    # threshold 60: c01 fails (R2 180), c03 fails (R2 120), c10 fails (180), c12 fails
    # (120); c07 (0, 60) stays good -> 1 / 9. Eligibility does not depend on the threshold.
    tot = seed.total(THREE_MIN, **TP, **D4, params={"threshold_s": 60})
    assert tot["three_minute_eligible_conversations"] == 9
    assert tot["three_minute_good_conversations"] == 1
    assert tot["three_minute_reply_rate"] == pytest.approx(1 / 9)
    # threshold 181: c02 (181) becomes good -> 6 / 9; given as text, as from the CLI
    tot = seed.total(THREE_MIN, **TP, **D4, params={"threshold_s": "181"})
    assert tot["three_minute_good_conversations"] == 6
    # and back to the default: 5 (the compiled statement is per parameter value)
    assert seed.total(THREE_MIN, **TP, **D4)["three_minute_good_conversations"] == 5


def test_three_minute_by_staff(seed: ServiceSeed) -> None:
    # conversation's staff: c01 s_a good, c07 s_a good; c02 s_b bad, c03 s_b good,
    # c12 s_b good; c09 s_c bad, c10 s_c good; c05, c06 none, both bad
    idx = seed.index(THREE_MIN, ["staff_id"], **TP, **D4)
    assert idx["s_a"]["three_minute_reply_rate"] == pytest.approx(1.0)
    assert idx["s_b"]["three_minute_eligible_conversations"] == 3
    assert idx["s_b"]["three_minute_reply_rate"] == pytest.approx(2 / 3)
    assert idx["s_c"]["three_minute_reply_rate"] == pytest.approx(0.5)
    assert idx[None]["three_minute_eligible_conversations"] == 2
    assert idx[None]["three_minute_reply_rate"] == pytest.approx(0.0)
    assert set(idx) == {"s_a", "s_b", "s_c", None}


def test_three_minute_by_channel(seed: ServiceSeed) -> None:
    # line: c01 g, c02 b, c05 b, c09 b, c10 g -> 2/5; facebook: c03 g, c06 b, c12 g -> 2/3
    # (c04 bot-only is not there); instagram: c07 g -> 1/1 (c11 is dated 05-05)
    idx = seed.index(THREE_MIN, ["channel"], **TP, **D4)
    assert idx["line"]["three_minute_eligible_conversations"] == 5
    assert idx["line"]["three_minute_reply_rate"] == pytest.approx(0.4)
    assert idx["facebook"]["three_minute_reply_rate"] == pytest.approx(2 / 3)
    assert idx["instagram"]["three_minute_reply_rate"] == pytest.approx(1.0)
    assert set(idx) == {"line", "facebook", "instagram"}


def test_three_minute_overnight_service_hours(seed: ServiceSeed) -> None:
    # night_shop [20:00, 02:00): n1 19:59:59 out, n2 20:00:00 in (240 bad), n5 23:30 in
    # (60 good), n3 05-05 01:59:59 in (61 good), n4 02:00:00 out, n6 12:00 out.
    # 05-04: n2, n5 -> 1/2; 05-05: n3 -> 1/1; together 2/3.
    night = {"shop": "night_shop"}
    tot = seed.total(THREE_MIN, **night, **BOTH)
    assert tot["three_minute_eligible_conversations"] == 3
    assert tot["three_minute_good_conversations"] == 2
    idx = seed.index(["three_minute_reply_rate"], ["date"], **night, **BOTH)
    assert idx[D4_]["three_minute_reply_rate"] == pytest.approx(0.5)
    assert idx[D5_]["three_minute_reply_rate"] == pytest.approx(1.0)
    # threshold 240: n2 becomes good -> 3/3
    tot = seed.total(THREE_MIN, **night, **BOTH, params={"threshold_s": 240})
    assert tot["three_minute_reply_rate"] == pytest.approx(1.0)


def test_three_minute_across_dst(seed: ServiceSeed) -> None:
    # warsaw_shop: 03-28 w2 22:59 in (240: bad), w1 07:30 out; 03-29 w4 08:00 CEST in (120
    # good), w3 01:59 and w5 23:30 CEST out. 03-28: 0/1, 03-29: 1/1.
    ws = {"shop": "warsaw_shop", "date_from": "2026-03-28", "date_to": "2026-03-29"}
    idx = seed.index(THREE_MIN, ["date"], **ws)
    d28, d29 = date(2026, 3, 28), date(2026, 3, 29)
    assert idx[d28]["three_minute_eligible_conversations"] == 1
    assert idx[d28]["three_minute_reply_rate"] == pytest.approx(0.0)
    assert idx[d29]["three_minute_eligible_conversations"] == 1
    assert idx[d29]["three_minute_reply_rate"] == pytest.approx(1.0)


# -- first response time ------------------------------------------------------------------
def test_first_response_time_05_04(seed: ServiceSeed) -> None:
    # Human conversations dated by their first event (05-04) whose first human round is
    # replied: c01 60, c02 181, c03 60 (eff = H), c07 0, c08 61, c09 210, c10 180,
    # c11 3720 (first event 05-04 23:00; reply after midnight), c12 120 (R1 is not human).
    # c05, c06: first round unanswered -> left out; c04 bot-only.
    # sorted: 0 60 60 61 120 180 181 210 3720; Σ = 4592, n = 9
    # mean 4592/9; median = 5th = 120; p90: h = 8 × 0.9 = 7.2 -> 210 + 0.2 × 3510 = 912
    tot = seed.total(FRT, **TP, **D4)
    assert tot["first_response_time_avg"] == pytest.approx(4592 / 9)
    assert tot["first_response_time_median"] == pytest.approx(120.0)
    assert tot["first_response_time_p90"] == pytest.approx(912.0)
    assert isinstance(tot["first_response_time_avg"], float)


def test_first_response_time_by_staff(seed: ServiceSeed) -> None:
    # conversation's staff: s_a c01 60, c07 0, c11 3720 -> mean 1260, median 60,
    #   p90 h = 1.8 -> 60 + 0.8 × 3660 = 2988
    # s_b c02 181, c03 60, c12 120 -> mean 361/3, median 120, p90 120 + 0.8 × 61 = 168.8
    # s_c c08 61, c09 210, c10 180 -> mean 451/3, median 180, p90 180 + 0.8 × 30 = 204
    idx = seed.index(FRT, ["staff_id"], **TP, **D4)
    assert idx["s_a"]["first_response_time_avg"] == pytest.approx(1260.0)
    assert idx["s_a"]["first_response_time_median"] == pytest.approx(60.0)
    assert idx["s_a"]["first_response_time_p90"] == pytest.approx(2988.0)
    assert idx["s_b"]["first_response_time_avg"] == pytest.approx(361 / 3)
    assert idx["s_b"]["first_response_time_median"] == pytest.approx(120.0)
    assert idx["s_b"]["first_response_time_p90"] == pytest.approx(168.8)
    assert idx["s_c"]["first_response_time_avg"] == pytest.approx(451 / 3)
    assert idx["s_c"]["first_response_time_median"] == pytest.approx(180.0)
    assert idx["s_c"]["first_response_time_p90"] == pytest.approx(204.0)
    # c05, c06 (no staff) are human conversations without a first response: their slice
    # is there, with no value
    assert idx[None]["first_response_time_avg"] is None
    assert idx[None]["first_response_time_p90"] is None


def test_first_response_time_by_channel(seed: ServiceSeed) -> None:
    # line c01 60, c02 181, c08 61, c09 210, c10 180: mean 692/5 = 138.4, median 180,
    #   p90 h = 3.6 -> 181 + 0.6 × 29 = 198.4
    # facebook c03 60, c12 120: mean 90, median 90 (mean of the two), p90 60 + 0.9 × 60 = 114
    # instagram c07 0, c11 3720: mean 1860, median 1860, p90 0.9 × 3720 = 3348
    idx = seed.index(FRT, ["channel"], **TP, **D4)
    assert idx["line"]["first_response_time_avg"] == pytest.approx(138.4)
    assert idx["line"]["first_response_time_median"] == pytest.approx(180.0)
    assert idx["line"]["first_response_time_p90"] == pytest.approx(198.4)
    assert idx["facebook"]["first_response_time_median"] == pytest.approx(90.0)
    assert idx["facebook"]["first_response_time_p90"] == pytest.approx(114.0)
    assert idx["instagram"]["first_response_time_avg"] == pytest.approx(1860.0)
    assert idx["instagram"]["first_response_time_p90"] == pytest.approx(3348.0)


def test_first_response_time_05_05(seed: ServiceSeed) -> None:
    # only c13 starts on 05-05 (c11's first event is 05-04): 240 everywhere
    tot = seed.total(FRT, **TP, **D5)
    assert tot["first_response_time_avg"] == pytest.approx(240.0)
    assert tot["first_response_time_median"] == pytest.approx(240.0)
    assert tot["first_response_time_p90"] == pytest.approx(240.0)


# -- rounds -------------------------------------------------------------------------------
def test_rounds_05_04(seed: ServiceSeed) -> None:
    # Human rounds with effective start on 05-04, replied: c01 60, 180; c02 181; c03 60,
    # 120; c07 0, 60; c08 61; c09 210; c10 180; c11 R1 3720 (eff 23:00); c12 R2 120
    # -> n 12, Σ 4952. Unanswered: c05, c06 -> 2. Slow (> 180): 181, 210, 3720 -> 3.
    tot = seed.total(ROUNDS, **TP, **D4)
    assert tot["avg_response_time"] == pytest.approx(4952 / 12)
    assert tot["unanswered_rounds"] == 2
    assert tot["slow_rounds"] == 3
    # threshold 60: > 60 are 180, 181, 120, 61, 210, 180, 3720, 120 -> 8 (60 is not slow)
    assert seed.total(["slow_rounds"], **TP, **D4, params={"threshold_s": 60})["slow_rounds"] == 8
    # threshold 180 given explicitly: 180 is not slow, 181 is -> 3
    tot = seed.total(["slow_rounds"], **TP, **D4, params={"threshold_s": 180})
    assert tot["slow_rounds"] == 3


def test_rounds_by_reply_staff(seed: ServiceSeed) -> None:
    # staff of the reply: s_a c01 60, 180, c03 R2 120, c07 R1 0, c11 R1 3720 -> 4080/5,
    #   slow 1 (3720); s_b c02 181, c03 R1 60, c12 120 -> 361/3, slow 1 (181);
    #   s_c c07 R2 60, c08 61, c09 210, c10 180 -> 511/4, slow 1 (210);
    #   none: the unanswered c05, c06 rounds -> no mean, 0 slow
    idx = seed.index(["avg_response_time", "slow_rounds"], ["staff_id"], **TP, **D4)
    assert idx["s_a"]["avg_response_time"] == pytest.approx(816.0)
    assert idx["s_b"]["avg_response_time"] == pytest.approx(361 / 3)
    assert idx["s_c"]["avg_response_time"] == pytest.approx(127.75)
    assert [idx[s]["slow_rounds"] for s in ("s_a", "s_b", "s_c")] == [1, 1, 1]
    assert idx[None]["avg_response_time"] is None
    assert idx[None]["slow_rounds"] == 0


def test_rounds_by_channel(seed: ServiceSeed) -> None:
    # line: 60, 180, 181, 61, 210, 180 -> 872/6; unanswered c05; slow 181, 210
    # facebook: 60, 120, 120 -> 100; unanswered c06; slow 0
    # instagram: 0, 60, 3720 -> 1260; unanswered 0; slow 1
    idx = seed.index(ROUNDS, ["channel"], **TP, **D4)
    assert idx["line"]["avg_response_time"] == pytest.approx(872 / 6)
    assert idx["line"]["unanswered_rounds"] == 1
    assert idx["line"]["slow_rounds"] == 2
    assert idx["facebook"]["avg_response_time"] == pytest.approx(100.0)
    assert idx["facebook"]["unanswered_rounds"] == 1
    assert idx["facebook"]["slow_rounds"] == 0
    assert idx["instagram"]["avg_response_time"] == pytest.approx(1260.0)
    assert idx["instagram"]["unanswered_rounds"] == 0
    assert idx["instagram"]["slow_rounds"] == 1


def test_rounds_05_05(seed: ServiceSeed) -> None:
    # c11 R2 60 and c13 R1 240 -> mean 150; c13 R2 unanswered; slow 240 -> 1
    tot = seed.total(ROUNDS, **TP, **D5)
    assert tot["avg_response_time"] == pytest.approx(150.0)
    assert tot["unanswered_rounds"] == 1
    assert tot["slow_rounds"] == 1


def test_rounds_across_dst(seed: ServiceSeed) -> None:
    # 03-28: w1 60, w2 240 -> 150, slow 1; 03-29: w3 120 (calendar time across the change),
    # w4 120, w5 60 -> 100, slow 0
    ws = {"shop": "warsaw_shop", "date_from": "2026-03-28", "date_to": "2026-03-29"}
    idx = seed.index(["avg_response_time", "slow_rounds"], ["date"], **ws)
    assert idx[date(2026, 3, 28)]["avg_response_time"] == pytest.approx(150.0)
    assert idx[date(2026, 3, 28)]["slow_rounds"] == 1
    assert idx[date(2026, 3, 29)]["avg_response_time"] == pytest.approx(100.0)
    assert idx[date(2026, 3, 29)]["slow_rounds"] == 0
    # by local hour of the effective start on the DST day: 01:00 w3, 08:00 w4, 23:00 w5
    one = {"shop": "warsaw_shop", "date_from": "2026-03-29", "date_to": "2026-03-29"}
    rows = seed.rows(["avg_response_time"], ["hour"], **one)
    hours = {local_naive(r["hour"], "Europe/Warsaw"): r["avg_response_time"] for r in rows}
    assert len(hours) == 23  # the spring-forward day has 23 hours
    assert hours[datetime(2026, 3, 29, 1)] == pytest.approx(120.0)
    assert hours[datetime(2026, 3, 29, 8)] == pytest.approx(120.0)
    assert hours[datetime(2026, 3, 29, 23)] == pytest.approx(60.0)
    assert hours[datetime(2026, 3, 29, 12)] is None


# -- unreplied conversations --------------------------------------------------------------
def test_unreplied_conversations(seed: ServiceSeed) -> None:
    # human conversations without any agent message: c05 (no bot), c06 (handoff, nobody
    # came); c04 has no agent either but is bot-only, not human. c12's only-before-H agent
    # message would still count as an agent message (it has a later one anyway).
    assert seed.total(["unreplied_conversations"], **TP, **D4)["unreplied_conversations"] == 2
    idx = seed.index(["unreplied_conversations"], ["channel"], **TP, **D4)
    assert idx["line"]["unreplied_conversations"] == 1
    assert idx["facebook"]["unreplied_conversations"] == 1
    assert seed.total(["unreplied_conversations"], **TP, **D5)["unreplied_conversations"] == 0


# -- SLA attainment -----------------------------------------------------------------------
def test_sla_attainment(seed: ServiceSeed) -> None:
    # first human round per human conversation, dated by its effective start, 05-04:
    # c01 60 met, c02 181 missed, c03 60 met, c05 unanswered missed, c06 unanswered missed,
    # c07 0 met, c08 61 met (service hours play no part), c09 210 missed, c10 180 met,
    # c11 3720 missed (eff 05-04 23:00), c12 120 met -> 6 / 11
    tot = seed.total(SLA, **TP, **D4)
    assert tot["sla_conversations"] == 11
    assert tot["sla_met_conversations"] == 6
    assert tot["sla_attainment"] == pytest.approx(6 / 11)
    # sla_s 60: c01, c03, c07 -> 3/11; without sla_s, threshold_s is the SLA
    assert seed.total(SLA, **TP, **D4, params={"sla_s": 60})["sla_met_conversations"] == 3
    assert seed.total(SLA, **TP, **D4, params={"threshold_s": 60})["sla_met_conversations"] == 3
    # sla_s wins over threshold_s: 200 adds c02 (181) -> 7
    tot = seed.total(SLA, **TP, **D4, params={"sla_s": 200, "threshold_s": 60})
    assert tot["sla_met_conversations"] == 7
    # 05-05: c13 240 -> 0/1
    tot = seed.total(SLA, **TP, **D5)
    assert tot["sla_conversations"] == 1
    assert tot["sla_attainment"] == pytest.approx(0.0)


def test_sla_by_staff(seed: ServiceSeed) -> None:
    # conversation's staff: s_a c01 met, c07 met, c11 missed -> 2/3; s_b c02 missed, c03 met,
    # c12 met -> 2/3; s_c c08 met, c09 missed, c10 met -> 2/3; none c05, c06 -> 0/2
    idx = seed.index(SLA, ["staff_id"], **TP, **D4)
    for s in ("s_a", "s_b", "s_c"):
        assert idx[s]["sla_attainment"] == pytest.approx(2 / 3), s
    assert idx[None]["sla_conversations"] == 2
    assert idx[None]["sla_attainment"] == pytest.approx(0.0)


# -- CSAT and reviews ---------------------------------------------------------------------
def test_csat(seed: ServiceSeed) -> None:
    # csat 05-04..05-05: r1 5, r2 4, r3 3, r4 1, r5 5 -> positive (≥ 4) r1 r2 r5: 3/5
    tot = seed.total(CSAT, **TP, **BOTH)
    assert tot["csat_ratings"] == 5
    assert tot["csat_positive_ratings"] == 3
    assert tot["csat_rate"] == pytest.approx(0.6)
    # staff: rating's staff_id else the conversation's: r1 c01 -> s_a, r2 s_a (its own,
    # not c03's s_b), r3 c02 -> s_b, r4 s_c (no conversation), r5 c11 -> s_a
    idx = seed.index(CSAT, ["staff_id"], **TP, **BOTH)
    assert idx["s_a"]["csat_ratings"] == 3
    assert idx["s_a"]["csat_rate"] == pytest.approx(1.0)
    assert idx["s_b"]["csat_rate"] == pytest.approx(0.0)
    assert idx["s_c"]["csat_rate"] == pytest.approx(0.0)
    assert set(idx) == {"s_a", "s_b", "s_c"}
    # channel of the rated conversation: line r1 r3 -> 1/2, facebook r2, instagram r5,
    # none r4 -> 0/1
    idx = seed.index(CSAT, ["channel"], **TP, **BOTH)
    assert idx["line"]["csat_rate"] == pytest.approx(0.5)
    assert idx["facebook"]["csat_rate"] == pytest.approx(1.0)
    assert idx["instagram"]["csat_rate"] == pytest.approx(1.0)
    assert idx[None]["csat_ratings"] == 1
    assert idx[None]["csat_rate"] == pytest.approx(0.0)


def test_negative_reviews(seed: ServiceSeed) -> None:
    # reviews ≤ 2: r6 p1 (05-04), r7 p2 (05-04), r10 p1 (05-05 23:59:59 local); r8 (3) and
    # r9 (5) are not negative; r11 is 05-06 00:00:00 local, outside the period
    tot = seed.total(["negative_reviews"], **TP, **BOTH)
    assert tot["negative_reviews"] == 3
    idx = seed.index(["negative_reviews"], ["product_id"], **TP, **BOTH)
    assert idx["p1"]["negative_reviews"] == 2
    assert idx["p2"]["negative_reviews"] == 1
    idx = seed.index(["negative_reviews"], ["date"], **TP, **BOTH)
    assert idx[D4_]["negative_reviews"] == 2
    assert idx[D5_]["negative_reviews"] == 1


# -- empty slices -------------------------------------------------------------------------
def test_zero_denominators_are_null(seed: ServiceSeed) -> None:
    everything = [*THREE_MIN, *FRT, *ROUNDS, *SLA, *CSAT, "unreplied_conversations"]
    tot = seed.total(everything, **TP, date_from="2026-05-06", date_to="2026-05-06")
    for ratio in ("three_minute_reply_rate", "sla_attainment", "csat_rate"):
        assert tot[ratio] is None, ratio
    for seconds in (*FRT, "avg_response_time"):
        assert tot[seconds] is None, seconds
    for count in (
        "three_minute_eligible_conversations",
        "sla_conversations",
        "csat_ratings",
        "slow_rounds",
        "unanswered_rounds",
        "unreplied_conversations",
    ):
        assert tot[count] == 0, count
    # a shop with rounds but no rating at all
    assert seed.total(CSAT, shop="night_shop", **BOTH)["csat_rate"] is None


def test_parameter_errors(seed: ServiceSeed) -> None:
    with pytest.raises(QueryError, match="threshold_s"):
        seed.total(["slow_rounds"], **TP, **D4, params={"threshold_s": "-5"})
    with pytest.raises(QueryError, match="unknown parameter"):
        seed.total(["csat_rate"], **TP, **D4, params={"threshold_s": 60})
