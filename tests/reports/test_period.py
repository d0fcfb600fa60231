"""Report periods in the shop's local calendar, and when scheduled digests fall due."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from socialscope.config import ReportScheduleConfig
from socialscope.reports.period import Period, PeriodError, resolve
from socialscope.reports.schedule import due_period

# Tuesday 2026-11-10 17:30 UTC = Wednesday 01:30 in Taipei, Tuesday 18:30 in Warsaw.
NOW = datetime(2026, 11, 10, 17, 30, tzinfo=UTC)


def test_yesterday_is_local() -> None:
    assert resolve("yesterday", "Asia/Taipei", now=NOW) == Period(
        date(2026, 11, 10), date(2026, 11, 10), "yesterday"
    )
    assert resolve("yesterday", "Europe/Warsaw", now=NOW).date_from == date(2026, 11, 9)


def test_last_week_is_monday_to_sunday_before_this_week() -> None:
    p = resolve("last-week", "Asia/Taipei", now=NOW)
    assert (p.date_from, p.date_to) == (date(2026, 11, 2), date(2026, 11, 8))
    assert (p.previous_from, p.previous_to) == (date(2026, 10, 26), date(2026, 11, 1))
    # On a Monday, last week is the week that just ended.
    monday = datetime(2026, 11, 9, 1, 0, tzinfo=UTC)
    assert resolve("last-week", "UTC", now=monday).date_to == date(2026, 11, 8)


def test_other_named_periods() -> None:
    assert resolve("last-7-days", "UTC", now=NOW).date_from == date(2026, 11, 3)
    assert resolve("last-30-days", "UTC", now=NOW).days == 30
    march = resolve("last-month", "UTC", now=datetime(2026, 3, 5, tzinfo=UTC))
    assert (march.date_from, march.date_to) == (date(2026, 2, 1), date(2026, 2, 28))
    assert march.previous_from == date(2026, 1, 4)  # 28 days before: equal length


def test_explicit_range_and_errors() -> None:
    p = resolve(None, "UTC", date_from=date(2026, 1, 1), date_to=date(2026, 1, 3))
    assert p.days == 3 and p.key == "2026-01-01_2026-01-03"
    with pytest.raises(PeriodError, match="unknown period 'fortnight'"):
        resolve("fortnight", "UTC", now=NOW)
    with pytest.raises(PeriodError, match="both --from and --to"):
        resolve(None, "UTC", date_from=date(2026, 1, 1))
    with pytest.raises(PeriodError, match="before --from"):
        resolve(None, "UTC", date_from=date(2026, 1, 3), date_to=date(2026, 1, 1))
    with pytest.raises(PeriodError, match="not both"):
        resolve("yesterday", "UTC", date_from=date(2026, 1, 1), date_to=date(2026, 1, 1))


def _schedule(**kw: object) -> ReportScheduleConfig:
    return ReportScheduleConfig.model_validate({"id": "r", "shop_id": "s", "folder": "/tmp", **kw})


def test_daily_digest_is_due_from_its_local_time() -> None:
    daily = _schedule(every="day", at="08:00")
    # 07:59 Taipei: yesterday's digest is not due yet, the day before's is.
    before = datetime(2026, 11, 10, 23, 59, tzinfo=UTC)
    assert due_period(daily, "Asia/Taipei", before).date_from == date(2026, 11, 9)
    after = datetime(2026, 11, 11, 0, 0, tzinfo=UTC)  # 08:00 Taipei
    assert due_period(daily, "Asia/Taipei", after).date_from == date(2026, 11, 10)


def test_weekly_digest_is_due_on_its_weekday() -> None:
    weekly = _schedule(every="week", weekday="tue", at="09:00")
    # Tue 2026-11-10 08:59 UTC: last week's digest not due yet → the week before.
    early = datetime(2026, 11, 10, 8, 59, tzinfo=UTC)
    assert due_period(weekly, "UTC", early).date_from == date(2026, 10, 26)
    on_time = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
    assert due_period(weekly, "UTC", on_time).date_from == date(2026, 11, 2)
    monday = datetime(2026, 11, 9, 12, 0, tzinfo=UTC)
    assert due_period(weekly, "UTC", monday).date_from == date(2026, 10, 26)


def test_due_on_a_dst_change_day() -> None:
    # New York falls back on Sunday 2026-11-01: 08:00 local is 13:00 UTC (EST).
    daily = _schedule(every="day", at="08:00")
    before = datetime(2026, 11, 1, 12, 59, tzinfo=UTC)  # 07:59 EST
    after = datetime(2026, 11, 1, 13, 0, tzinfo=UTC)  # 08:00 EST
    assert due_period(daily, "America/New_York", before).date_from == date(2026, 10, 30)
    assert due_period(daily, "America/New_York", after).date_from == date(2026, 10, 31)


def test_schedule_config_errors() -> None:
    with pytest.raises(ValueError, match="needs a folder or a webhook_url"):
        ReportScheduleConfig.model_validate({"id": "r", "shop_id": "s"})
    with pytest.raises(ValueError, match="html and/or pdf"):
        _schedule(formats=["docx"])
    with pytest.raises(ValueError, match="at"):
        _schedule(at="25:00")
