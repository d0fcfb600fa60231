"""The aggregated paths CSV: what is accepted, and errors that name file, line and column."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialscope.attribution import paths_csv
from socialscope.attribution.paths import PathsError, PathSet
from socialscope.attribution.paths_csv import read_paths_csv

HEADER = "path,total_conversions,total_conversion_value,total_null"


def write(tmp_path: Path, text: str, *, bom: bool = False) -> Path:
    file = tmp_path / "paths.csv"
    file.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return file


def test_reads_a_file_with_bom_and_loose_separators(tmp_path: Path) -> None:
    file = write(
        tmp_path,
        f"{HEADER},hours_till_conv\n"
        "Facebook > LINE >chat:line,2,150.5,3, 30 > 2.5>0\n"
        "\n"  # a blank line is skipped
        "  direct ,1,20,0,0\n"
        "Instagram,0,0,0,\n",
        bom=True,
    )
    paths = read_paths_csv(file, currency="TWD")
    rows = paths.table.to_pylist()
    assert [r["path"] for r in rows] == [
        ["Facebook", "LINE", "chat:line"],
        ["direct"],
        ["Instagram"],
    ]
    assert [r["conversions"] for r in rows] == [2.0, 1.0, 0.0]
    assert [r["value"] for r in rows] == [Decimal("150.5000"), Decimal("20.0000"), Decimal(0)]
    assert [r["nulls"] for r in rows] == [3.0, 0.0, 0.0]
    assert [r["hours_till_conv"] for r in rows] == [[30.0, 2.5, 0.0], [0.0], None]
    assert paths.currency == "TWD"
    assert paths.source == str(file)
    # the last row has no touch times → time_decay cannot run on this file
    assert not paths.has_times


def test_hours_column_is_optional(tmp_path: Path) -> None:
    paths = read_paths_csv(write(tmp_path, f"{HEADER}\nA > B,1.5,10,0.5\n"))
    assert paths.table.column("hours_till_conv").to_pylist() == [None]
    assert paths.table.column("conversions").to_pylist() == [1.5]  # fractional counts
    assert paths.currency is None


@pytest.mark.parametrize(
    ("body", "where"),
    [
        # line 1 is the header; the bad row is on line 3 (after one good row)
        ("A,1,1,0\nA >  > B,1,1,0\n", "line 3, column 'path': empty channel at touch 2"),
        ("A,1,1,0\n> B,1,1,0\n", "line 3, column 'path': empty channel at touch 1"),
        ("A,1,1,0\n,1,1,0\n", "line 3, column 'path': empty path"),
        ("A,1,1,0\nB,-1,0,0\n", "line 3, column 'total_conversions': negative"),
        ("A,1,1,0\nB,1,0,x\n", "line 3, column 'total_null': not a number: 'x'"),
        ("A,1,1,0\nB,1,0,nan\n", "line 3, column 'total_null': not a finite number"),
        ("A,1,1,0\nB,1,abc,0\n", "line 3, column 'total_conversion_value': not a number"),
        ("A,1,1,0\nB,1,-5,0\n", "line 3, column 'total_conversion_value': negative"),
        ("A,1,1,0\nB,0,5,1\n", "line 3, column 'total_conversion_value': value 5.0000 on a"),
        ("A,1,1,0\nB,,0,1\n", "line 3, column 'total_conversions': empty (write 0)"),
        ("A,1,1,0\nB,1,0\n", "line 3: 3 fields, the header has 4"),
        # a blank line still counts: the bad row is on line 4
        ("A,1,1,0\n\nB,1,0,-2\n", "line 4, column 'total_null': negative"),
    ],
)
def test_errors_name_file_line_and_column(tmp_path: Path, body: str, where: str) -> None:
    file = write(tmp_path, f"{HEADER}\n{body}")
    with pytest.raises(PathsError) as caught:
        read_paths_csv(file)
    message = str(caught.value)
    assert message.startswith(f"{file}, ")
    assert where in message


@pytest.mark.parametrize(
    ("row", "where"),
    [
        ("A > B,1,1,0,5\n", "line 2, column 'hours_till_conv': 1 numbers for a path of 2"),
        ("A > B,1,1,0,5 > 1 > 0\n", "line 2, column 'hours_till_conv': 3 numbers for a path"),
        ("A > B,1,1,0,5 > -1\n", "line 2, column 'hours_till_conv': negative"),
        ("A > B,1,1,0,5 > \n", "line 2, column 'hours_till_conv': empty number"),
    ],
)
def test_hours_must_match_the_touches(tmp_path: Path, row: str, where: str) -> None:
    with pytest.raises(PathsError, match=where):
        read_paths_csv(write(tmp_path, f"{HEADER},hours_till_conv\n{row}"))


def test_missing_required_column_is_named(tmp_path: Path) -> None:
    file = write(tmp_path, "path,total_conversions,total_conversion_value\nA,1,1\n")
    with pytest.raises(PathsError, match=r"line 1: missing column\(s\) total_null"):
        read_paths_csv(file)


def test_duplicate_column_and_empty_file(tmp_path: Path) -> None:
    with pytest.raises(PathsError, match="column 'path': column appears twice"):
        read_paths_csv(write(tmp_path, f"{HEADER},path\n"))
    with pytest.raises(PathsError, match="empty file"):
        read_paths_csv(write(tmp_path, ""))


def test_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(PathsError, match="cannot read it"):
        read_paths_csv(tmp_path / "missing.csv")
    file = tmp_path / "latin1.csv"
    file.write_bytes(f"{HEADER}\n".encode() + "Caf\xe9,1,1,0\n".encode("latin-1"))
    with pytest.raises(PathsError, match="not UTF-8"):
        read_paths_csv(file)


# --- the column-wise reader gives exactly what the row reader gives -------------------

CHANNEL_NAMES = ["A", "Paid Search", "chat:line", "直播", "direct"]
# mostly well-formed numbers, sometimes one the row reader accepts or refuses on its own
NUMBERS = st.one_of(
    st.integers(0, 10**6).map(str),
    st.integers(0, 10**6).map(str),
    st.decimals(0, 10**6, places=2, allow_nan=False).map(str),
    st.decimals(0, 10**6, places=2, allow_nan=False).map(str),
    st.sampled_from([" 3 ", "2e1", "1.50", "0", "1_0", "-1", "x", "", "inf"]),
)


@st.composite
def csv_rows(draw: st.DrawFn) -> list[str]:
    path = draw(st.lists(st.sampled_from(CHANNEL_NAMES), min_size=1, max_size=4))
    separator = draw(st.sampled_from([" > ", ">", "  >  "]))
    hours = draw(st.lists(NUMBERS, min_size=len(path), max_size=len(path)))
    return [
        separator.join(path),
        draw(NUMBERS),
        draw(st.one_of(NUMBERS, st.sampled_from(["0.12345", "1e20"]))),
        draw(NUMBERS),
        draw(st.sampled_from(["", " > ".join(hours), " > ".join(hours[:-1])])),
    ]


@settings(max_examples=150, deadline=None)
@given(st.lists(csv_rows(), min_size=1, max_size=6))
def test_fast_reader_agrees_with_the_row_reader(
    tmp_path_factory: Any, rows: list[list[str]]
) -> None:
    folder = tmp_path_factory.mktemp("fast")
    file = folder / "paths.csv"
    with file.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*HEADER.split(","), "hours_till_conv"])
        writer.writerows(rows)
    fast = paths_csv._read_fast(file)
    try:
        slow: PathSet | None = paths_csv._read_rows(file, None)
    except PathsError:
        slow = None
    if fast is not None:
        assert slow is not None  # the fast reader never accepts what the row reader refuses
        assert fast.equals(slow.table)
    if slow is not None:
        assert read_paths_csv(file).table.equals(slow.table)


def test_fast_reader_takes_a_plain_file(tmp_path: Path) -> None:
    # The usual file (ChannelAttribution's export) is read column-wise, not row by row.
    file = write(
        tmp_path,
        f"{HEADER},hours_till_conv\nA > B,2,150.5,3,30 > 0\nB,0,0,2,\n",
    )
    fast = paths_csv._read_fast(file)
    assert fast is not None
    assert fast.column("path").to_pylist() == [["A", "B"], ["B"]]
    assert fast.column("hours_till_conv").to_pylist() == [[30.0, 0.0], None]
