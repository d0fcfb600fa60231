"""Shop-local time: grains, bucket spines and comparison periods."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from socialscope.metrics.query import Compare


def bucket_expr(local_ts: Any, grain: str) -> Any:
    """The Ibis expression bucketing a shop-local timestamp column by a time dimension."""
    if grain == "date":
        return local_ts.date()
    if grain == "hour":
        return local_ts.truncate("h")
    if grain == "week":
        return local_ts.truncate("W").date()  # ISO week, starting Monday
    if grain == "month":
        return local_ts.truncate("M").date()
    raise ValueError(f"unknown time grain {grain!r}")


def bucket_of(value: date | datetime, grain: str) -> date | datetime:
    """The same bucketing in Python (for spines)."""
    if grain == "hour":
        assert isinstance(value, datetime)
        return value.replace(minute=0, second=0, microsecond=0)
    d = value.date() if isinstance(value, datetime) else value
    if grain == "date":
        return d
    if grain == "week":
        return d - timedelta(days=d.weekday())
    if grain == "month":
        return d.replace(day=1)
    raise ValueError(f"unknown time grain {grain!r}")


def _exists(local: datetime, tz: ZoneInfo) -> bool:
    """False for a wall-clock time skipped by a DST gap in `tz`."""
    there_and_back = local.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)
    return there_and_back.replace(tzinfo=None) == local


def spine(start: date, end: date, grain: str, timezone: str | None = None) -> list[date | datetime]:
    """Every bucket of [start, end] (local dates, inclusive), in order.

    Hours skipped by a DST gap in the shop's time zone are not buckets (a spring-forward
    day has 23 hours); the repeated hour of a fall-back day is one local bucket.
    """
    out: list[date | datetime] = []
    if grain == "hour":
        tz = ZoneInfo(timezone) if timezone else None
        t = datetime(start.year, start.month, start.day)
        stop = datetime(end.year, end.month, end.day) + timedelta(days=1)
        while t < stop:
            if tz is None or _exists(t, tz) or _exists(t + timedelta(minutes=59), tz):
                out.append(t)
            t += timedelta(hours=1)
        return out
    d = start
    while d <= end:
        b = bucket_of(d, grain)
        if not out or out[-1] != b:
            out.append(b)
        d += timedelta(days=1)
    return out


def _minus_year(d: date) -> date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


def comparison_period(start: date, end: date, mode: Compare) -> tuple[date, date]:
    """The period a comparison reads: equal length just before, a year earlier, or (for
    yesterday, whose hourly rows metrics/yesterday.py builds) each day's day before."""
    if mode is Compare.YESTERDAY:
        return start - timedelta(days=1), end - timedelta(days=1)
    if mode is Compare.PREVIOUS:
        length = (end - start).days + 1
        prev_end = start - timedelta(days=1)
        return prev_end - timedelta(days=length - 1), prev_end
    return _minus_year(start), _minus_year(end)


def local_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[00:00 of start, 24:00 of end) as naive local timestamps."""
    return datetime(start.year, start.month, start.day), datetime(
        end.year, end.month, end.day
    ) + timedelta(days=1)
