"""Properties of business_seconds, against a plain-Python reference.

For random weekly calendars (and holidays) and random spans in shop-local wall-clock
time: business ≤ calendar seconds, a 24/7 calendar gives exactly the calendar seconds,
and every value equals a date-by-date reference computed here in Python.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import ibis
import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialscope.metrics.library.business_time import business_seconds, clock_text

_CON = ibis.duckdb.connect()

Week = dict[int, list[tuple[int, int]]]


def _week() -> st.SearchStrategy[Week]:
    # per weekday up to 3 disjoint intervals on a 15-minute grid
    day = st.lists(st.integers(0, 96), max_size=6, unique=True).map(sorted)

    def pairs(points: list[int]) -> list[tuple[int, int]]:
        cut = points[: len(points) // 2 * 2]
        return [(cut[i] * 900, cut[i + 1] * 900) for i in range(0, len(cut), 2)]

    return st.fixed_dictionaries({d: day.map(pairs) for d in range(7)})


_spans = st.lists(
    st.tuples(
        st.datetimes(datetime(2024, 1, 1), datetime(2027, 12, 31)).map(
            lambda d: d.replace(microsecond=0)
        ),
        st.integers(0, 12 * 86_400),
    ),
    min_size=1,
    max_size=12,
)


def _lookup(week: Week | None, holidays: list[date], service: str) -> Callable[[str], Any]:
    hours = [
        {"shop_id": "s", "weekday": d, "opens": clock_text(a), "closes": clock_text(b)}
        for d, ivs in (week or {}).items()
        for a, b in ivs
    ]
    tables = {
        "shops": pa.table({"shop_id": ["s"], "service_hours": [service]}),
        "shop_hours": pa.Table.from_pylist(
            hours,
            schema=pa.schema(
                [
                    ("shop_id", pa.string()),
                    ("weekday", pa.int64()),
                    ("opens", pa.string()),
                    ("closes", pa.string()),
                ]
            ),
        ),
        "shop_holidays": pa.table(
            {
                "shop_id": ["s"] * len(holidays),
                "date": pa.array(holidays, pa.date32()),
                "name": pa.array([None] * len(holidays), pa.string()),
            }
        ),
    }
    return lambda name: ibis.memtable(tables[name])


def _run(spans: list[tuple[datetime, int]], lookup: Callable[[str], Any]) -> list[int]:
    rows = pa.table(
        {
            "i": list(range(len(spans))),
            "shop_id": ["s"] * len(spans),
            "s": pa.array([s for s, _ in spans], pa.timestamp("us")),
            "e": pa.array([s + timedelta(seconds=n) for s, n in spans], pa.timestamp("us")),
        }
    )
    got = business_seconds(ibis.memtable(rows), ["i"], "s", "e", lookup)
    found = dict(zip(*_CON.to_pyarrow(got).to_pydict().values(), strict=True))
    return [int(found.get(i, 0)) for i in range(len(spans))]


def _reference(start: datetime, end: datetime, week: Week, holidays: list[date]) -> int:
    total = 0
    day = start.date()
    while day <= end.date():
        if day not in holidays:
            midnight = datetime.combine(day, datetime.min.time())
            for a, b in week[day.weekday()]:
                lo = max(start, midnight + timedelta(seconds=a))
                hi = min(end, midnight + timedelta(seconds=b))
                total += max(0, int((hi - lo).total_seconds()))
        day += timedelta(days=1)
    return total


_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(
    week=_week(),
    spans=_spans,
    holidays=st.lists(st.dates(date(2024, 1, 1), date(2027, 12, 31)), max_size=40),
)
def test_business_matches_reference_and_never_exceeds_calendar(
    week: Week, spans: list[tuple[datetime, int]], holidays: list[date]
) -> None:
    got = _run(spans, _lookup(week, holidays, "08:00-23:00"))
    # A shop without any opening interval is open its service hours every day (METRICS.md;
    # migrations._v2), so that is the reference's week then.
    if not any(week.values()):
        week = {d: [(8 * 3600, 23 * 3600)] for d in range(7)}
    for (start, length), value in zip(spans, got, strict=True):
        assert 0 <= value <= length
        assert value == _reference(start, start + timedelta(seconds=length), week, holidays)


@_SETTINGS
@given(spans=_spans, use_service_hours=st.booleans())
def test_around_the_clock_business_equals_calendar(
    spans: list[tuple[datetime, int]], use_service_hours: bool
) -> None:
    # 24/7 either as weekly hours (00:00-24:00 every day) or as the service-hours
    # default with equal ends ("00:00-00:00" = around the clock)
    week: Week | None = None if use_service_hours else {d: [(0, 86_400)] for d in range(7)}
    got = _run(spans, _lookup(week, [], "00:00-00:00"))
    assert got == [length for _, length in spans]
