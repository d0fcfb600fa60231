"""Timestamp rules: offsets are exact, naive values are shop-local (DST gap forward,
overlap first occurrence), UTC for an unknown shop; plus property tests of the parser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialscope.ingest.loader import ingest_paths
from socialscope.ingest.timeparse import quote_literal, text_to_utc_sql
from socialscope.store.duckdb import Store
from tests.ingest.conftest import MSG_HEADER, SHOPS, SHOPS_HEADER, rows, write_csv

CASES = [
    # (shop, ts text, expected UTC, expected local wall time)
    ("tw", "2026-05-01T09:30:00+08:00", "2026-05-01 01:30:00", "2026-05-01 09:30:00"),
    ("tw", "2026-05-01T01:30:00Z", "2026-05-01 01:30:00", "2026-05-01 09:30:00"),
    ("tw", "2026-05-01 09:30:00", "2026-05-01 01:30:00", "2026-05-01 09:30:00"),
    ("tw", "2026-05-01T09:30:00.250+0800", "2026-05-01 01:30:00.25", "2026-05-01 09:30:00.25"),
    ("pl", "2026-01-15 12:00", "2026-01-15 11:00:00", "2026-01-15 12:00:00"),
    ("pl", "2026-07-15 12:00:00", "2026-07-15 10:00:00", "2026-07-15 12:00:00"),
    # DST gap (Warsaw, 29 Mar 2026 02:00 -> 03:00): shifted forward by the gap.
    ("pl", "2026-03-29 02:30:00", "2026-03-29 01:30:00", "2026-03-29 03:30:00"),
    # DST overlap (Warsaw, 25 Oct 2026 03:00 -> 02:00): the first occurrence (CEST).
    ("pl", "2026-10-25 02:30:00", "2026-10-25 00:30:00", "2026-10-25 02:30:00"),
    ("pl", "2026-10-25 03:30:00", "2026-10-25 02:30:00", "2026-10-25 03:30:00"),
    ("pl", "2026-10-25T02:30:00+01:00", "2026-10-25 01:30:00", "2026-10-25 02:30:00"),
    # unknown shop: naive is UTC
    ("zz", "2026-05-01 09:30:00", "2026-05-01 09:30:00", "2026-05-01 09:30:00"),
    ("zz", "2026-05-01", "2026-05-01 00:00:00", "2026-05-01 00:00:00"),
]


def test_three_notations_dst_and_unknown_shop(store: Store, tmp_path: Path) -> None:
    write_csv(tmp_path / "in" / "shops.csv", SHOPS_HEADER, SHOPS)
    write_csv(
        tmp_path / "in" / "messages.csv",
        MSG_HEADER,
        [
            (shop, f"e{i}", "line", "c1", ts, "customer", None, "")
            for i, (shop, ts, _, _) in enumerate(CASES)
        ],
    )
    report = ingest_paths(store, [tmp_path / "in"])
    assert report.tables["messages"].stored == len(CASES)
    got = {
        r[0]: (r[1], r[2])
        for r in rows(
            store, "SELECT event_id, CAST(ts AS VARCHAR), CAST(ts_local AS VARCHAR) FROM messages"
        )
    }
    for i, (_, _, utc, local) in enumerate(CASES):
        assert got[f"e{i}"] == (utc, local), CASES[i]


def test_shops_of_the_same_import_apply_even_when_listed_last(store: Store, tmp_path: Path) -> None:
    msgs = write_csv(
        tmp_path / "messages.csv",
        MSG_HEADER,
        [("tw", "e1", "line", "c", "2026-05-01 09:00", "bot", None, "")],
    )
    shops = write_csv(tmp_path / "shops.csv", SHOPS_HEADER, SHOPS)
    ingest_paths(store, [msgs, shops])
    assert rows(store, "SELECT CAST(ts AS VARCHAR) FROM messages") == [("2026-05-01 01:00:00",)]


def test_timezone_change_recomputes_local_twins(store: Store, tmp_path: Path) -> None:
    write_csv(tmp_path / "shops.csv", SHOPS_HEADER, [("tw", "T", "UTC")])
    write_csv(
        tmp_path / "messages.csv",
        MSG_HEADER,
        [("tw", "e1", "line", "c", "2026-05-01T01:00:00Z", "bot", None, "")],
    )
    ingest_paths(store, [tmp_path])
    write_csv(tmp_path / "shops.csv", SHOPS_HEADER, [("tw", "T", "Asia/Taipei")])
    report = ingest_paths(store, [tmp_path / "shops.csv"])
    assert report.tables["shops"].updated == 1
    assert rows(store, "SELECT CAST(ts AS VARCHAR), CAST(ts_local AS VARCHAR) FROM messages") == [
        ("2026-05-01 01:00:00", "2026-05-01 09:00:00")
    ]


# --- property tests of the SQL parser ------------------------------------------------

_con = duckdb.connect()
_con.execute("SET TimeZone = 'UTC'")


def _to_utc(text: str, tz: str) -> datetime | None:
    row = _con.execute(
        f"SELECT {text_to_utc_sql(quote_literal(text), quote_literal(tz))}"
    ).fetchone()
    return row[0] if row else None


ZONES = [
    "UTC",
    "Asia/Taipei",
    "Europe/Warsaw",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
]
moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2060, 12, 31))


@settings(max_examples=150, deadline=None)
@given(
    moment=moments,
    offset_min=st.integers(min_value=-14 * 60, max_value=14 * 60),
    zulu=st.booleans(),
    zone=st.sampled_from(ZONES),
)
def test_offset_round_trips_to_the_same_instant(
    moment: datetime, offset_min: int, zulu: bool, zone: str
) -> None:
    moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    tz = UTC if zulu else timezone(timedelta(minutes=offset_min))
    aware = moment.replace(tzinfo=tz)
    text = aware.isoformat().replace("+00:00", "Z") if zulu else aware.isoformat()
    expected = aware.astimezone(UTC).replace(tzinfo=None)
    assert _to_utc(text, zone) == expected  # the shop's zone never matters with an offset


@settings(max_examples=150, deadline=None)
@given(moment=moments, zone=st.sampled_from(ZONES))
def test_naive_local_time_maps_to_its_wall_time_or_forward_in_a_gap(
    moment: datetime, zone: str
) -> None:
    moment = moment.replace(microsecond=0)
    got = _to_utc(moment.isoformat(sep=" "), zone)
    assert got is not None
    zi = ZoneInfo(zone)
    wall = got.replace(tzinfo=UTC).astimezone(zi).replace(tzinfo=None)
    first = moment.replace(tzinfo=zi, fold=0)
    round_trip = first.astimezone(UTC).astimezone(zi).replace(tzinfo=None)
    if round_trip == moment:  # an existing wall time: same wall time, first occurrence
        assert wall == moment
        assert got == first.astimezone(UTC).replace(tzinfo=None)
    else:  # in a gap: shifted forward by the gap
        gap = first.utcoffset() - moment.replace(tzinfo=zi, fold=1).utcoffset()  # type: ignore[operator]
        assert wall == moment + abs(gap)


@pytest.mark.parametrize(
    "text",
    [
        "2026-13-01",
        "2026-05-01T25:00",
        "yesterday",
        "2026-05-01T09:30:00+08:00:00",
        "1714500000",
        "",
    ],
)
def test_unparseable_texts_give_null(text: str) -> None:
    assert _to_utc(text, "Asia/Taipei") is None
