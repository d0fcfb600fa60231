"""Parsing and printing opening-hours text."""

from __future__ import annotations

import pytest

from socialscope.metrics.library.business_time import (
    CalendarError,
    format_hours,
    parse_duration,
    parse_hours,
)

H = 3600


def test_parse_weekly_hours() -> None:
    week = parse_hours("mon-fri 09:00-12:00,13:00-18:00; sat 10:00-14:00")
    assert week[0] == [(9 * H, 12 * H), (13 * H, 18 * H)]
    assert week[4] == week[0]
    assert week[5] == [(10 * H, 14 * H)]
    assert week[6] == []  # not named: closed
    assert format_hours(week) == ("mon-fri 09:00-12:00,13:00-18:00; sat 10:00-14:00; sun closed")


def test_parse_lists_wraps_overnight_and_merges() -> None:
    # fri 20:00-02:00 runs into saturday; sat-mon wraps the week; overlapping and
    # touching intervals are united so no second counts twice
    week = parse_hours(
        "Monday, wed 9:00-10:00,09:30-11:00,11:00-12:00; fri 20:00-02:00; sat-mon 00:00-24:00"
    )
    assert week[0] == [(0, 24 * H)]
    assert week[2] == [(9 * H, 12 * H)]
    assert week[4] == [(20 * H, 24 * H)]
    assert week[5] == [(0, 24 * H)]
    assert week[1] == [] and week[3] == []
    assert format_hours(parse_hours("daily 08:00-23:00")) == "mon-sun 08:00-23:00"
    assert parse_hours("mon closed; tue 10:00-11:00")[0] == []


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "empty opening hours"),
        ("mon-fri", r"part 1 'mon-fri': expected 'DAYS"),
        ("mon-fri 09:00-18:00; funday 10:00-11:00", r"part 2 .*unknown weekday 'funday'"),
        ("mon 9-18", r"'9' is not a time HH:MM"),
        ("mon 09:00-25:00", r"'25:00' is not a time between"),
        ("mon 09:00-09:00", r"interval '09:00-09:00' is empty"),
        ("mon 09:00", r"'09:00' is not an interval"),
        ("09:00-18:00", r"expected 'DAYS"),
        ("mon,,tue 09:00-18:00", "empty weekday"),
    ],
)
def test_malformed_specs_name_the_bad_part(spec: str, message: str) -> None:
    with pytest.raises(CalendarError, match=message):
        parse_hours(spec)


def test_parse_duration() -> None:
    assert parse_duration(" Business ") == "business"
    assert parse_duration("calendar") == "calendar"
    with pytest.raises(ValueError, match="calendar, business"):
        parse_duration("wall")
