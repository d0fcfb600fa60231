"""Aggregated paths files (the ChannelAttribution CSV format) read into a PathSet.

One row is a path and its totals: `path` (channels separated by ` > `, oldest first),
`total_conversions`, `total_conversion_value`, `total_null` and, optionally,
`hours_till_conv` (one number per touch, ` > ` separated). Every error names the file,
the line and the column, so a bad row in a file of thousands can be found and fixed.
Rows are parsed one by one: a file row is an aggregate of many journeys, and the models
(the part that scales with journeys) work on the resulting Arrow columns.
"""

from __future__ import annotations

import _csv
import csv
import math
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv

from socialscope.attribution.paths import PATHS_SCHEMA, VALUE_TYPE, PathsError, PathSet

PATH = "path"
CONVERSIONS = "total_conversions"
VALUE = "total_conversion_value"
NULLS = "total_null"
HOURS = "hours_till_conv"
REQUIRED = (PATH, CONVERSIONS, VALUE, NULLS)
SEPARATOR = ">"  # ` > ` in the format; spaces around it are tolerated (and stripped)
_FOUR_PLACES = Decimal("0.0001")
_MAX_VALUE = Decimal(10) ** 14  # DECIMAL(18,4)


def _read_fast(file: Path) -> pa.Table | None:
    """The paths table read by Arrow, or None to fall back to the row reader."""
    try:
        with file.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader([handle.readline()]), [])
        if len(set(header)) != len(header) or any(c not in header for c in REQUIRED):
            return None
        raw = pv.read_csv(
            file,
            convert_options=pv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=False
            ),
        )
        if raw.num_rows == 0:
            return None
        cols = {name: raw.column(name).combine_chunks() for name in header}
        path = _split(cols[PATH])
        lengths = pc.list_value_length(path)
        conversions = _numbers(cols[CONVERSIONS])
        nulls = _numbers(cols[NULLS])
        value = pc.cast(pc.utf8_trim_whitespace(cols[VALUE]), VALUE_TYPE)
        hours = _fast_hours(cols[HOURS], lengths) if HOURS in header else None
    except (pa.ArrowException, OSError, UnicodeDecodeError, ValueError):
        return None
    zero = pa.scalar(0, VALUE_TYPE)
    if (
        path is None
        or conversions is None
        or nulls is None
        or not pc.all(pc.is_valid(value)).as_py()
        or pc.any(pc.less(value, zero)).as_py()
        or pc.any(pc.and_(pc.equal(conversions, 0.0), pc.not_equal(value, zero))).as_py()
        or (HOURS in header and hours is None)
    ):
        return None
    if hours is None:
        hours = pa.nulls(len(path), PATHS_SCHEMA.field(HOURS).type)
    return pa.table([path, conversions, value, nulls, hours], schema=PATHS_SCHEMA)


def _split(column: pa.Array) -> pa.ListArray | None:
    """` > `-separated channels, trimmed; None when any is empty."""
    parts = pc.split_pattern(column, SEPARATOR)
    flat = pc.utf8_trim_whitespace(pc.list_flatten(parts))
    if pc.any(pc.equal(pc.utf8_length(flat), 0)).as_py():
        return None
    return pa.ListArray.from_arrays(parts.offsets, flat)


def _numbers(column: pa.Array) -> pa.Array | None:
    """Finite, non-negative float64 counts; None otherwise."""
    numbers = pc.cast(pc.utf8_trim_whitespace(column), pa.float64())
    valid = pc.and_(pc.is_finite(numbers), pc.greater_equal(numbers, 0.0))
    return numbers if pc.all(valid).as_py() else None


def _fast_hours(column: pa.Array, lengths: pa.Array) -> pa.ListArray | None:
    """Hours per touch (null for an empty cell); None when counts or numbers are off."""
    text = pc.utf8_trim_whitespace(column)
    known = pc.not_equal(pc.utf8_length(text), 0)
    parts = pc.split_pattern(pc.if_else(known, text, pa.scalar(None, pa.string())), SEPARATOR)
    numbers = _numbers(pc.list_flatten(parts))
    same = pc.equal(pc.list_value_length(parts), lengths)
    if numbers is None or not pc.all(pc.or_(pc.invert(known), same)).as_py():
        return None
    return pa.ListArray.from_arrays(parts.offsets, numbers, mask=pc.invert(known))


class _Row:
    """Where a cell came from, for error messages."""

    def __init__(self, file: Path, line: int) -> None:
        self.file = file
        self.line = line

    def error(self, column: str, message: str) -> PathsError:
        return PathsError(f"{self.file}, line {self.line}, column {column!r}: {message}")


def read_paths_csv(file: Path, *, currency: str | None = None) -> PathSet:
    """The file's paths; `currency` labels the value column (files do not say).

    A well-formed file is read column-wise by Arrow; anything the fast reader does not
    accept as it stands (an error, or a cell it would need the row reader's leniency for)
    is read again row by row, which either parses it the same way or raises the error
    with its line."""
    table = _read_fast(file)
    if table is not None:
        return PathSet(table, currency=currency, source=str(file))
    return _read_rows(file, currency)


def _read_rows(file: Path, currency: str | None) -> PathSet:
    """The row reader: lenient where it can be, exact about where an error is."""
    try:
        with file.open(encoding="utf-8-sig", newline="") as handle:
            return _parse(file, csv.reader(handle), currency)
    except UnicodeDecodeError as exc:
        raise PathsError(f"{file}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except csv.Error as exc:
        raise PathsError(f"{file}: malformed CSV: {exc}") from None
    except OSError as exc:
        raise PathsError(f"{file}: cannot read it: {exc.strerror or exc}") from None


def _parse(file: Path, reader: _csv.Reader, currency: str | None) -> PathSet:
    header = next(reader, None)
    if header is None:
        raise PathsError(f"{file}: empty file (expected a header with {', '.join(REQUIRED)})")
    names = [h.strip() for h in header]
    where = _Row(file, reader.line_num)
    for name in names:
        if names.count(name) > 1:
            raise where.error(name, "column appears twice in the header")
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise PathsError(
            f"{file}, line {reader.line_num}: missing column(s) {', '.join(missing)}"
            f" (required: {', '.join(REQUIRED)}; optional: {HOURS})"
        )
    index = {name: i for i, name in enumerate(names)}
    paths: list[list[str]] = []
    conversions: list[float] = []
    values: list[Decimal] = []
    nulls: list[float] = []
    hours: list[list[float] | None] = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue  # blank line
        row = _Row(file, reader.line_num)
        if len(cells) != len(names):
            raise PathsError(
                f"{file}, line {row.line}: {len(cells)} fields, the header has {len(names)}"
            )
        path = _channels(cells[index[PATH]], row, PATH)
        if not path:
            raise row.error(PATH, "empty path (a conversion without touches is `direct`)")
        conv = _count(cells[index[CONVERSIONS]], row, CONVERSIONS)
        value = _value(cells[index[VALUE]], row)
        if value != 0 and conv == 0:
            raise row.error(VALUE, f"value {value} on a row without conversions")
        paths.append(path)
        conversions.append(conv)
        values.append(value)
        nulls.append(_count(cells[index[NULLS]], row, NULLS))
        hours.append(_hours(cells[index[HOURS]], row, len(path)) if HOURS in index else None)
    table = pa.table(
        [
            pa.array(paths, PATHS_SCHEMA.field("path").type),
            pa.array(conversions, pa.float64()),
            pa.array(values, VALUE_TYPE),
            pa.array(nulls, pa.float64()),
            pa.array(hours, PATHS_SCHEMA.field("hours_till_conv").type),
        ],
        schema=PATHS_SCHEMA,
    )
    return PathSet(table, currency=currency, source=str(file))


def _channels(text: str, row: _Row, column: str) -> list[str]:
    if not text.strip():
        return []
    parts = [p.strip() for p in text.split(SEPARATOR)]
    for i, part in enumerate(parts, start=1):
        if not part:
            raise row.error(column, f"empty channel at touch {i} of {text!r}")
    return parts


def _number(text: str, row: _Row, column: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise row.error(column, f"not a number: {text!r}") from None
    if not math.isfinite(number):
        raise row.error(column, f"not a finite number: {text!r}")
    if number < 0:
        raise row.error(column, f"negative: {text!r}")
    return number


def _count(text: str, row: _Row, column: str) -> float:
    if not text.strip():
        raise row.error(column, "empty (write 0)")
    return _number(text, row, column)


def _value(text: str, row: _Row) -> Decimal:
    if not text.strip():
        raise row.error(VALUE, "empty (write 0)")
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise row.error(VALUE, f"not a number: {text!r}") from None
    if not value.is_finite():
        raise row.error(VALUE, f"not a finite number: {text!r}")
    if value < 0:
        raise row.error(VALUE, f"negative: {text!r}")
    if value >= _MAX_VALUE:
        raise row.error(VALUE, f"too large for DECIMAL(18,4): {text!r}")
    return value.quantize(_FOUR_PLACES)


def _hours(text: str, row: _Row, touches: int) -> list[float] | None:
    """One number per touch; an empty cell means this path's touch times are unknown."""
    if not text.strip():
        return None
    parts = [p.strip() for p in text.split(SEPARATOR)]
    if len(parts) != touches:
        raise row.error(HOURS, f"{len(parts)} numbers for a path of {touches} touches")
    if any(not p for p in parts):
        raise row.error(HOURS, f"empty number in {text!r}")
    return [_number(p, row, HOURS) for p in parts]
