"""Report periods in the shop's local calendar: what "yesterday" or "last week" means.

A digest is about whole local days. Named periods are resolved against the shop's current
local date (a shop in Asia/Taipei has its "yesterday" eight hours before one in UTC), and
every report compares with the period of equal length just before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class PeriodName(StrEnum):
    YESTERDAY = "yesterday"  # the daily digest
    LAST_WEEK = "last-week"  # Monday to Sunday before this week (the weekly digest)
    LAST_7_DAYS = "last-7-days"  # the seven days up to yesterday
    LAST_30_DAYS = "last-30-days"
    LAST_MONTH = "last-month"  # the previous calendar month


class PeriodError(ValueError):
    """A period that cannot be resolved, with what would work instead."""


@dataclass(frozen=True)
class Period:
    """A closed range of local dates and the comparison range of equal length before it."""

    date_from: date
    date_to: date
    name: str

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    @property
    def previous_from(self) -> date:
        return self.date_from - timedelta(days=self.days)

    @property
    def previous_to(self) -> date:
        return self.date_from - timedelta(days=1)

    @property
    def key(self) -> str:
        """Identifies the period in file names and in the record of produced reports."""
        return f"{self.date_from.isoformat()}_{self.date_to.isoformat()}"


def local_today(timezone: str, now: datetime | None = None) -> date:
    """The shop's current local date (``now`` is an aware instant; default: the clock)."""
    instant = now or datetime.now(UTC)
    if instant.tzinfo is None:
        raise PeriodError("now must carry a time zone")
    return instant.astimezone(ZoneInfo(timezone)).date()


def resolve(
    name: str | None,
    timezone: str,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    now: datetime | None = None,
) -> Period:
    """A named period (relative to the shop's local today) or an explicit range."""
    if date_from is not None or date_to is not None:
        if name is not None:
            raise PeriodError("give either a period name or --from/--to, not both")
        if date_from is None or date_to is None:
            raise PeriodError("an explicit period needs both --from and --to")
        if date_to < date_from:
            raise PeriodError(f"--to {date_to} is before --from {date_from}")
        return Period(date_from, date_to, "custom")
    try:
        which = PeriodName(name or PeriodName.YESTERDAY)
    except ValueError:
        known = ", ".join(p.value for p in PeriodName)
        raise PeriodError(f"unknown period {name!r}; use one of: {known}") from None
    today = local_today(timezone, now)
    yesterday = today - timedelta(days=1)
    if which is PeriodName.YESTERDAY:
        return Period(yesterday, yesterday, which.value)
    if which is PeriodName.LAST_WEEK:
        monday = today - timedelta(days=today.weekday())
        return Period(monday - timedelta(days=7), monday - timedelta(days=1), which.value)
    if which is PeriodName.LAST_7_DAYS:
        return Period(yesterday - timedelta(days=6), yesterday, which.value)
    if which is PeriodName.LAST_30_DAYS:
        return Period(yesterday - timedelta(days=29), yesterday, which.value)
    first_this_month = today.replace(day=1)
    last_prev = first_this_month - timedelta(days=1)
    return Period(last_prev.replace(day=1), last_prev, which.value)
