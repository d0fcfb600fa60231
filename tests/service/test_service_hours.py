"""Service-hours parsing and the [start, end) window, on DuckDB through Ibis."""

from __future__ import annotations

from datetime import datetime

import ibis
import pytest

from socialscope.metrics.library.service_facts import in_service_hours, parse_seconds

CASES = [
    # (service_hours, local time, inside?)
    ("08:00-23:00", "07:59:59", False),
    ("08:00-23:00", "08:00:00", True),
    ("08:00-23:00", "22:59:59", True),
    ("08:00-23:00", "23:00:00", False),
    (None, "08:00:00", True),  # default 08:00-23:00
    (None, "23:00:00", False),
    ("", "07:00:00", False),  # empty: the default
    ("garbage", "12:00:00", True),  # unparseable: the default
    ("25:00-26:00", "07:00:00", False),  # hours out of range: the default
    (" 9:30 - 18:00 ", "09:29:59", False),  # blanks and a one-digit hour are read
    (" 9:30 - 18:00 ", "09:30:00", True),
    ("20:00-02:00", "19:59:59", False),  # overnight
    ("20:00-02:00", "20:00:00", True),
    ("20:00-02:00", "00:00:00", True),
    ("20:00-02:00", "01:59:59", True),
    ("20:00-02:00", "02:00:00", False),
    ("00:00-24:00", "23:59:59", True),  # the whole day
    ("00:00-00:00", "03:00:00", True),  # equal ends: around the clock
]


def test_in_service_hours() -> None:
    rows = [
        {
            "i": i,
            "hours": hours,
            "ts": datetime.fromisoformat(f"2026-05-04T{clock}"),
        }
        for i, (hours, clock, _) in enumerate(CASES)
    ]
    t = ibis.memtable(rows, schema={"i": "int64", "hours": "string", "ts": "timestamp"})
    expr = t.select(t.i, inside=in_service_hours(t.ts, t.hours)).order_by("i")
    got = ibis.duckdb.connect().to_pyarrow(expr).column("inside").to_pylist()
    assert got == [case[2] for case in CASES]


def test_parse_seconds() -> None:
    assert parse_seconds("60") == 60.0
    assert parse_seconds("0.5") == 0.5
    for bad in ("-1", "nan", "inf", "soon"):
        with pytest.raises(ValueError, match=r"seconds|float"):
            parse_seconds(bad)
