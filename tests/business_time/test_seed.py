"""Business seconds per round and the response-time metrics with duration=business."""

from __future__ import annotations

from datetime import date

import pytest

from tests.business_time.conftest import BizSeed

# Hand-worked business seconds of each seed round (see conftest for the calendars).
BUSINESS = {
    # biz_shop, Mon 2026-05-04 08:30 -> 09:10: received while closed, counted from the
    # 09:00 opening: 10 min = 600 s.
    "b1": 600,
    # Mon 07:00 -> 08:45: answered while still closed: 0 s.
    "b2": 0,
    # Mon 11:50 -> 13:05 across the 12:00-13:00 lunch break: 10 min + 5 min = 900 s.
    "b3": 900,
    # Fri 2026-05-08 17:30 -> Mon 2026-05-11 09:15, a night and a weekend:
    # Fri 17:30-18:00 1800 + Sat 10:00-14:00 14400 + Sun closed 0 + Mon 09:00-09:15 900
    # = 17100 s.
    "b4": 17_100,
    # Thu 2026-04-30 17:50 -> Sat 2026-05-02 10:05 over the Fri 05-01 holiday:
    # Thu 17:50-18:00 600 + Fri 0 + Sat 10:00-10:05 300 = 900 s.
    "b5": 900,
    # Tue 2026-05-05 17:59 -> Wed 09:01, a weeknight: 60 + 60 = 120 s.
    "b6": 120,
    # never answered: no response time either way.
    "b7": None,
    # dst_shop (daily 09:00-10:00 Warsaw wall clock):
    # Sat 03-28 09:30 CET -> Sun 03-29 09:30 CEST: Sat 09:30-10:00 1800 + Sun 09:00-09:30
    # 1800 = 3600 (calendar is 23 h: the night lost an hour).
    "d1": 3600,
    # Sun 03-29 (spring forward) 08:00 -> 11:00 CEST: the 09:00-10:00 interval is one
    # hour of wall clock on the DST day too: 3600.
    "d2": 3600,
    # Sun 10-25 (fall back) 08:30 -> 10:30 CET: 3600.
    "d3": 3600,
    # Sat 10-24 09:30 CEST -> Sun 10-25 09:30 CET: 1800 + 1800 = 3600 (calendar 25 h).
    "d4": 3600,
    # default_shop: no calendar, so service_hours 09:00-18:00 every day.
    # Mon 05-04 08:00 -> 09:30: 1800.
    "t1": 1800,
    # Mon 17:00 -> Tue 09:10: 3600 + 600 = 4200.
    "t2": 4200,
    # Tue 05-05 17:50 -> Thu 05-07 09:05, Wed 05-06 a holiday: 600 + 0 + 300 = 900.
    "t3": 900,
    # night_shop: service_hours 20:00-02:00 overnight, every day.
    # Mon 05-04 19:00 -> Tue 03:00: Mon 20:00-24:00 14400 + Tue 00:00-02:00 7200 = 21600.
    "n1": 21_600,
}

# Calendar seconds (reply ts - effective start, UTC instants) of the same rounds.
CALENDAR = {
    "b1": 2400,  # 40 min
    "b2": 6300,  # 1 h 45 min
    "b3": 4500,  # 1 h 15 min
    "b4": 229_500,  # 63 h 45 min
    "b5": 144_900,  # 40 h 15 min
    "b6": 54_120,  # 15 h 2 min
    "b7": None,
    "d1": 82_800,  # 23 h
    "d2": 10_800,  # 3 h
    "d3": 7200,  # 2 h
    "d4": 90_000,  # 25 h
    "t1": 5400,
    "t2": 58_200,  # 16 h 10 min
    "t3": 141_300,  # 39 h 15 min
    "n1": 28_800,  # 8 h
}

BIZ = {"shop": "biz_shop", "date_from": "2026-04-27", "date_to": "2026-05-17"}


def test_round_business_seconds(seed: BizSeed) -> None:
    assert seed.round_seconds("business") == BUSINESS


def test_round_calendar_seconds_unchanged(seed: BizSeed) -> None:
    assert seed.round_seconds("calendar") == CALENDAR


def test_avg_response_time(seed: BizSeed) -> None:
    metric = ["avg_response_time"]
    # Mon 2026-05-04: b1, b2, b3 -> (600 + 0 + 900) / 3 = 500; calendar
    # (2400 + 6300 + 4500) / 3 = 4400.
    day = date(2026, 5, 4)
    business = seed.by_date(metric, params={"duration": "business"}, **BIZ)
    assert business[day]["avg_response_time"] == pytest.approx(500)
    assert seed.by_date(metric, **BIZ)[day]["avg_response_time"] == pytest.approx(4400)
    # the six replied rounds: 19620 / 6 = 3270
    total = seed.total(metric, params={"duration": "business"}, **BIZ)
    assert total["avg_response_time"] == pytest.approx(3270)


def test_first_response_time(seed: BizSeed) -> None:
    # one round per conversation; replied ones sorted: 0, 120, 600, 900, 900, 17100
    got = seed.total(
        ["first_response_time_median", "first_response_time_avg"],
        params={"duration": "business"},
        **BIZ,
    )
    assert got["first_response_time_median"] == pytest.approx(750)  # (600 + 900) / 2
    assert got["first_response_time_avg"] == pytest.approx(3270)


def test_slow_rounds(seed: BizSeed) -> None:
    # > 300 s: business b1, b3, b4, b5 = 4; calendar all six replied rounds
    params = {"threshold_s": 300}
    got = seed.total(["slow_rounds"], params={**params, "duration": "business"}, **BIZ)
    assert got["slow_rounds"] == 4
    assert seed.total(["slow_rounds"], params=params, **BIZ)["slow_rounds"] == 6


def test_sla_attainment(seed: BizSeed) -> None:
    # sla_s 600, inclusive: business b1 (600), b2 (0), b6 (120) met of 7 conversations
    # (b7 unanswered counts as missed); calendar: none met.
    params = {"sla_s": 600}
    got = seed.total(["sla_attainment"], params={**params, "duration": "business"}, **BIZ)
    assert got["sla_attainment"] == pytest.approx(3 / 7)
    assert seed.total(["sla_attainment"], params=params, **BIZ)["sla_attainment"] == 0


def test_three_minute_rule(seed: BizSeed) -> None:
    # Eligible rounds start in the service hours (default 08:00-23:00 Warsaw): all but
    # b2 (07:00) -> 6 conversations. Good within 180 s of business time: b6 (120) -> 1/6.
    # Calendar: none within 180 s -> 0.
    metric = ["three_minute_reply_rate"]
    got = seed.total(metric, params={"duration": "business"}, **BIZ)
    assert got["three_minute_reply_rate"] == pytest.approx(1 / 6)
    assert seed.total(metric, **BIZ)["three_minute_reply_rate"] == 0


def test_dst_shop_metrics(seed: BizSeed) -> None:
    # d1 (dated 03-28) and d2 (03-29): business (3600 + 3600) / 2, calendar
    # (82800 + 10800) / 2 = 46800.
    kw = {"shop": "dst_shop", "date_from": "2026-03-28", "date_to": "2026-03-29"}
    got = seed.total(["avg_response_time"], params={"duration": "business"}, **kw)
    assert got["avg_response_time"] == pytest.approx(3600)
    assert seed.total(["avg_response_time"], **kw)["avg_response_time"] == pytest.approx(46_800)


def test_compare_previous_runs_business(seed: BizSeed) -> None:
    # 2026-05-04..05-10 against 04-27..05-03: current rounds b1, b2, b3, b4, b6, b7
    # (b4 dated Fri 05-08); previous b5 (Thu 04-30, 900 s).
    got = seed.total(
        ["avg_response_time"],
        shop="biz_shop",
        date_from="2026-05-04",
        date_to="2026-05-10",
        compare="previous",
        params={"duration": "business"},
    )
    # (600 + 0 + 900 + 17100 + 120) / 5 = 3744
    assert got["avg_response_time"] == pytest.approx(3744)
    assert got["avg_response_time__previous"] == pytest.approx(900)


def test_bad_duration_is_a_query_error(seed: BizSeed) -> None:
    from socialscope.metrics.query import QueryError

    with pytest.raises(QueryError, match="duration"):
        seed.total(["avg_response_time"], params={"duration": "office"}, **BIZ)
