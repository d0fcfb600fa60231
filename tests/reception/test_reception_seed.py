"""Point-in-time reception metrics on the hand-made seed (see conftest.py).

The seed's conversations (all `line` except c11 on `facebook`; times 2026-05-01 Taipei
unless a date is given):

c1  customer 14:50, nothing else                      -> human (no bot), unanswered
c2  customer 14:00, agent s1 14:02                    -> answered; staff s1
c3  customer 14:30 + 14:40 (one run), agent s2 15:10  -> answered after 15:00; staff s2
c4  customer 13:00, agent s1 13:05, customer 14:55    -> round 2 unanswered; staff s1
c5  customer 14:45, bot 14:45:10                      -> bot-only: not human
c6  customer 14:20, bot 14:20:05, handoff 14:40       -> human, H = 14:40, unanswered
c7  customer 14:50, bot 14:50:05, handoff 15:05       -> human, H = 15:05, unanswered
c8  04-30: customer 13:00, agent s2 13:01, customer 14:00 -> round 2 unanswered; staff s2
c9  customer 14:10, agent s1 14:12, customer 14:20, close 14:30 -> closed
c10 customer 15:20                                    -> unanswered
c11 facebook: customer 12:00, s2 12:01, customer 12:30, s2 12:31, customer 14:00
                                                      -> round 3 unanswered; staff s2
c12 04-30: customer 15:00 (exactly 24 h before 05-01 15:00) -> unanswered
c13 customer 14:05, agent s3 14:06                    -> answered; staff s3

agent_status (capacity empty = the import default 5):
s1 09:00 online cap 3, 16:00 offline
s2 09:00 online, 14:00 busy (cap 5)
s3 09:00 online cap 4, 14:30 away, 15:30 online
s4 15:30 online (cap 5)
s5 08:00 online cap 0
s6 04-20 10:00 online cap 2, 04-21 10:00 offline

Idle gap: the default 24 h.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from socialscope.metrics.query import QueryError
from tests.reception.conftest import ReceptionSeed

AT_15 = "2026-05-01T15:00:00+08:00"
AT_1515 = "2026-05-01T15:15:00+08:00"
AT_1630 = "2026-05-01T16:30:00+08:00"
QUEUE = ["queue_waiting", "queue_wait_max_s", "queue_wait_avg_s"]
AGENTS = ["online_agents", "agent_capacity", "agent_open_conversations", "agent_saturation"]


# -- queue_waiting -----------------------------------------------------------------------------
def test_queue_at_15(seed: ReceptionSeed) -> None:
    # S = 15:00. Waiting (effective start <= S, reply none or after S, open):
    #   c1  since 14:50                    600 s
    #   c3  since 14:30 (reply 15:10 > S) 1800 s
    #   c4  round 2 since 14:55            300 s
    #   c6  effective start = H = 14:40   1200 s
    #   c11 round 3 since 14:00           3600 s
    #   c12 since 04-30 15:00: last customer message exactly 24 h ago, not more -> open
    #                                    86400 s
    # Not waiting: c2, c13 answered before S; c5 bot-only; c7 H 15:05 > S (with the bot);
    # c8 last customer message 25 h ago (abandoned); c9 closed at 14:30 after its last
    # customer message; c10 starts at 15:20 > S.
    # max 86400; mean (600+1800+300+1200+3600+86400)/6 = 93900/6 = 15650.
    got = seed.total(QUEUE, AT_15)
    assert got == {"queue_waiting": 6, "queue_wait_max_s": 86400, "queue_wait_avg_s": 15650}


@pytest.mark.parametrize(
    "as_of",
    [
        "2026-05-01T15:00:00",  # naive: Taipei wall-clock time
        "2026-05-01T07:00:00Z",  # the same instant in UTC
        "2026-05-01T17:00:00+10:00",  # the same instant in UTC+10
    ],
)
def test_queue_as_of_forms_agree(seed: ReceptionSeed, as_of: str) -> None:
    # All three are 15:00 Taipei. (Read as UTC, the naive one would be 23:00 Taipei: then
    # c3 would be answered and c10 waiting, with other waits — see test_queue_late.)
    assert seed.total(QUEUE, as_of) == seed.total(QUEUE, AT_15)
    assert seed.total(AGENTS, as_of) == seed.total(AGENTS, AT_15)


def test_queue_late(seed: ReceptionSeed) -> None:
    # S = 23:00 Taipei. Waiting: c1 (14:50 -> 8h10m = 29400), c4 (14:55 -> 29100),
    # c6 (14:40 -> 30000), c7 (H 15:05 -> 28500), c10 (15:20 -> 27600),
    # c11 (14:00 -> 32400). c3 answered 15:10; c12 now 32 h old (abandoned).
    # mean = (29400+29100+30000+28500+27600+32400)/6 = 177000/6 = 29500
    got = seed.total(QUEUE, "2026-05-01T23:00:00")
    assert got == {"queue_waiting": 6, "queue_wait_max_s": 32400, "queue_wait_avg_s": 29500}


def test_queue_at_1515(seed: ReceptionSeed) -> None:
    # S = 15:15. c3 answered at 15:10 -> no longer waiting. c7's H = 15:05 <= S -> waiting
    # 600 s. c12 is now 24h15m old -> abandoned. c1 1500, c4 1200, c6 2100, c11 4500.
    # count 5; max 4500; mean (1500+1200+2100+600+4500)/5 = 9900/5 = 1980.
    got = seed.total(QUEUE, AT_1515)
    assert got == {"queue_waiting": 5, "queue_wait_max_s": 4500, "queue_wait_avg_s": 1980}


def test_queue_by_channel(seed: ReceptionSeed) -> None:
    # At 15:00: facebook = c11 (3600); line = c1, c3, c4, c6, c12:
    # mean (600+1800+300+1200+86400)/5 = 90300/5 = 18060.
    got = seed.index(QUEUE, "channel", AT_15)
    assert got == {
        "facebook": {
            "channel": "facebook",
            "queue_waiting": 1,
            "queue_wait_max_s": 3600,
            "queue_wait_avg_s": 3600,
        },
        "line": {
            "channel": "line",
            "queue_waiting": 5,
            "queue_wait_max_s": 86400,
            "queue_wait_avg_s": 18060,
        },
    }


def test_queue_by_staff(seed: ReceptionSeed) -> None:
    # At 15:00, staff as assigned by then: c4 -> s1 (agent 13:05), c11 -> s2 (12:01).
    # c3's staff s2 first writes at 15:10, after S -> unassigned, like c1, c6, c12.
    # unassigned mean (600+1800+1200+86400)/4 = 90000/4 = 22500.
    got = seed.index(QUEUE, "staff_id", AT_15)
    assert {
        k: (v["queue_waiting"], v["queue_wait_max_s"], v["queue_wait_avg_s"])
        for k, v in got.items()
    } == {
        "s1": (1, 300, 300),
        "s2": (1, 3600, 3600),
        None: (4, 86400, 22500),
    }


def test_queue_empty_before_any_message(seed: ReceptionSeed) -> None:
    # 2026-04-30 12:00: no message has happened yet. Count 0, waits null.
    got = seed.total(QUEUE, "2026-04-30T12:00:00+08:00")
    assert got == {"queue_waiting": 0, "queue_wait_max_s": None, "queue_wait_avg_s": None}


# -- agents ------------------------------------------------------------------------------------
def test_agents_at_15(seed: ReceptionSeed) -> None:
    # Latest status at or before 15:00: s1 online (cap 3), s2 busy (cap 5, default),
    # s3 away (14:30), s4 none yet (15:30), s5 online (cap 0), s6 offline (04-21).
    # Present (online or busy): s1, s2, s5 -> 3 agents, capacity 3+5+0 = 8.
    # Open conversations assigned by 15:00 to present agents: c2 (s1), c4 (s1), c11 (s2).
    # Not: c9 (s1) closed; c8 (s2) abandoned (25 h); c3 not yet assigned; c13's s3 away.
    # saturation = 3/8 = 0.375.
    got = seed.total(AGENTS, AT_15)
    assert got == {
        "online_agents": 3,
        "agent_capacity": 8,
        "agent_open_conversations": 3,
        "agent_saturation": 0.375,
    }


def test_agents_by_staff_at_15(seed: ReceptionSeed) -> None:
    # s1 2/3; s2 1/5; s5 0 open over capacity 0 -> null (not 0).
    got = seed.index(["online_agents", "agent_saturation"], "staff_id", AT_15)
    assert set(got) == {"s1", "s2", "s5"}
    assert got["s1"]["agent_saturation"] == pytest.approx(2 / 3)
    assert got["s2"]["agent_saturation"] == pytest.approx(0.2)
    assert got["s5"]["agent_saturation"] is None
    assert all(row["online_agents"] == 1 for row in got.values())


def test_agents_at_1515(seed: ReceptionSeed) -> None:
    # Same presence as at 15:00. c3 is now assigned to s2 (15:10 <= S): s1 c2, c4;
    # s2 c11, c3 -> 4 open; 4/8 = 0.5.
    got = seed.total(AGENTS, AT_1515)
    assert got == {
        "online_agents": 3,
        "agent_capacity": 8,
        "agent_open_conversations": 4,
        "agent_saturation": 0.5,
    }


def test_agents_at_1630(seed: ReceptionSeed) -> None:
    # 16:30: s1 offline (16:00); s2 busy 5; s3 online again (15:30) cap 4; s4 online
    # (15:30) cap 5 (default); s5 online cap 0 -> 4 agents, capacity 14.
    # Open and assigned to them: c3 (s2), c11 (s2), c13 (s3; last customer 14:05) -> 3.
    # c2, c4 belong to s1, now offline. 3/14.
    got = seed.total(AGENTS, AT_1630)
    assert got["online_agents"] == 4
    assert got["agent_capacity"] == 14
    assert got["agent_open_conversations"] == 3
    assert got["agent_saturation"] == pytest.approx(3 / 14)


def test_status_exactly_at_as_of_counts(seed: ReceptionSeed) -> None:
    # At 16:00 exactly s1's offline row has happened; s3 (15:30 online) and s4 are present.
    # present: s2, s3, s4, s5 -> 4.
    assert seed.total(["online_agents"], "2026-05-01T16:00:00+08:00")["online_agents"] == 4
    # One second earlier s1 is still online: 5.
    assert seed.total(["online_agents"], "2026-05-01T15:59:59+08:00")["online_agents"] == 5


# -- the default moment, compare, now ---------------------------------------------------------
def test_default_as_of_is_end_of_period(seed: ReceptionSeed) -> None:
    # Period 2026-05-01 -> S = 2026-05-02 00:00 Taipei (long before now).
    # Waiting: c1 14:50 -> 9h10m = 33000; c4 14:55 -> 32700; c6 14:40 -> 33600;
    # c7 15:05 -> 32100; c10 15:20 -> 31200; c11 14:00 -> 36000. (c3 answered; c12 and
    # c8 abandoned; c9 closed; c5 bot-only.) mean 198600/6 = 33100.
    # Agents at 24:00: s2 busy, s3 online, s4 online, s5 online -> 4.
    got = seed.total([*QUEUE, "online_agents"], date_from="2026-05-01", date_to="2026-05-01")
    assert got == {
        "queue_waiting": 6,
        "queue_wait_max_s": 36000,
        "queue_wait_avg_s": 33100,
        "online_agents": 4,
    }


def test_compare_previous_takes_each_period_end(seed: ReceptionSeed) -> None:
    # Previous period 2026-04-30 -> S = 05-01 00:00 Taipei: waiting c8 (round 2 since
    # 04-30 14:00, 10 h) and c12 (since 15:00, 9 h) -> 2; nobody online (s6 offline since
    # 04-21) -> 0.
    got = seed.total(
        ["queue_waiting", "online_agents"],
        date_from="2026-05-01",
        date_to="2026-05-01",
        compare="previous",
    )
    assert got["queue_waiting"] == 6
    assert got["queue_waiting__previous"] == 2
    assert got["online_agents"] == 4
    assert got["online_agents__previous"] == 0


def test_period_including_today_means_now(seed: ReceptionSeed) -> None:
    # to = today: 24:00 tonight is capped at now. Now (after 2026-05) every seed round is
    # older than 24 h -> nothing waits; latest statuses: s1 offline, s2 busy, s3 online,
    # s4 online, s5 online, s6 offline -> 4 present. A far-future as_of is capped at now
    # too, and as_of=now gives the same.
    today = date.today()
    metrics = ["queue_waiting", "online_agents"]
    expected = {"queue_waiting": 0, "online_agents": 4}
    assert seed.total(metrics, date_from="2026-05-01", date_to=today) == expected
    assert seed.total(metrics, date_from=today - timedelta(days=1), date_to=today) == expected
    assert seed.total(metrics, "2099-01-01T00:00:00+08:00") == expected
    assert seed.total(metrics, "now") == expected


# -- errors ------------------------------------------------------------------------------------
@pytest.mark.parametrize("metric", ["queue_waiting", "online_agents", "agent_saturation"])
def test_time_dimension_refused(seed: ReceptionSeed, metric: str) -> None:
    with pytest.raises(QueryError, match=r"snapshot metrics .* take no time dimension"):
        seed.rows([metric], ("date",), params={"as_of": AT_15})


def test_compare_with_explicit_as_of_refused(seed: ReceptionSeed) -> None:
    with pytest.raises(QueryError, match="drop the as_of parameter"):
        seed.rows(["queue_waiting"], compare="previous", params={"as_of": AT_15})


def test_bad_as_of(seed: ReceptionSeed) -> None:
    with pytest.raises(QueryError, match="as_of"):
        seed.rows(["queue_waiting"], params={"as_of": "yesterday-ish"})


# -- the idle gap setting -----------------------------------------------------------------------
def test_idle_gap_setting(tmp_path: Any) -> None:
    from tests.reception.conftest import ReceptionSeed, make_seed

    # conversation_idle_h = 0.5 (30 min). At 15:00 open needs a customer message since
    # 14:30: c1 (14:50), c3 (14:40), c4 (14:55) wait -> 3; c6 (last customer 14:20),
    # c11 (14:00), c12 are abandoned. waits 600, 1800, 300: max 1800, mean 900.
    # Agents: open and assigned to present agents: c4 (s1) only (c2's customer wrote at
    # 14:00; c11 at 14:00) -> 1/8.
    with make_seed(tmp_path / "idle.duckdb", idle_h=0.5) as client:
        seed = ReceptionSeed(client)
        got = seed.total([*QUEUE, "agent_open_conversations", "agent_saturation"], AT_15)
    assert got == {
        "queue_waiting": 3,
        "queue_wait_max_s": 1800,
        "queue_wait_avg_s": 900,
        "agent_open_conversations": 1,
        "agent_saturation": 0.125,
    }
