"""Readers: let DuckDB stream a file (or an Arrow table) into a staging table.

Rows never pass through Python: ``read_csv``/``read_json_objects``/``read_parquet`` write
straight into a temporary table, which DuckDB spills to disk when it outgrows memory.
Insertion order is preserved, so the staging table's ``rowid`` is the record's position
in the source and gives its provenance:

* CSV: the physical line, counting the header as line 1. Quoted fields holding line breaks
  are accounted for; blank lines (which DuckDB skips) are not, so a file with blank lines
  between records reports lines that are too small by the number of blank lines above.
* NDJSON: the record number (1-based).
* Parquet and Arrow: the row index (0-based).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import duckdb

from socialscope.ingest.timeparse import quote_literal as lit
from socialscope.ingest.validate import qi


class Format(StrEnum):
    """Source formats, by file suffix."""

    CSV = "csv"
    NDJSON = "ndjson"
    PARQUET = "parquet"
    ARROW = "arrow"


SUFFIXES: dict[str, Format] = {
    ".csv": Format.CSV,
    ".ndjson": Format.NDJSON,
    ".jsonl": Format.NDJSON,
    ".parquet": Format.PARQUET,
}


class ReadError(Exception):
    """The file could not be read at all (bad encoding, malformed JSON, not a parquet...)."""


class Position(StrEnum):
    """How a row's source position is counted."""

    CSV_LINE = "csv_line"  # physical line, header = line 1
    RECORD = "record"  # 1-based record number
    INDEX = "index"  # 0-based row index


@dataclass(frozen=True)
class Staged:
    """A staging table and how to name the source position of each of its rows."""

    table: str
    columns: tuple[str, ...]
    position: Position


def format_of(path: Path) -> Format | None:
    """The format a file suffix implies (None when unsupported)."""
    return SUFFIXES.get(path.suffix.lower())


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> tuple[str, ...]:
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND database_name = 'temp' "
        "ORDER BY column_index",
        [table],
    ).fetchall()
    return tuple(str(r[0]) for r in rows)


def _first_rowid(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Row ids of a table created inside a transaction do not start at 0; find the first."""
    row = con.execute(f"SELECT min(rowid) FROM {qi(table)}").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _breaks_sql(column: str) -> str:
    """Line breaks inside one field."""
    return f"COALESCE(length({column}) - length(replace({column}, chr(10), '')), 0)"


def line_sql(con: duckdb.DuckDBPyConnection, staged: Staged) -> str:
    """Expression over alias ``s`` (the staging table) giving each row's source position.

    Only needed for quarantined rows, so the CSV line-break scan (and the window sum it
    may need) is paid only when a file has bad rows.
    """
    plus = {Position.CSV_LINE: 2, Position.RECORD: 1, Position.INDEX: 0}[staged.position]
    base = f"(s.rowid - {_first_rowid(con, staged.table) - plus})"
    if staged.position is not Position.CSV_LINE or not staged.columns:
        return base
    cols = staged.columns
    any_break = " OR ".join(f"contains({qi(c)}, chr(10))" for c in cols)
    row = con.execute(f"SELECT count(*) FROM {qi(staged.table)} WHERE {any_break}").fetchone()
    if not row or not row[0]:
        return base
    per_row = " + ".join(_breaks_sql(f"s.{qi(c)}") for c in cols)
    return (
        f"({base} + COALESCE(SUM({per_row}) OVER (ORDER BY s.rowid "
        "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0))"
    )


def stage_file(con: duckdb.DuckDBPyConnection, path: Path, fmt: Format, table: str) -> Staged:
    """Create temporary table `table` holding the file's rows (values as read)."""
    con.execute(f"DROP TABLE IF EXISTS {qi(table)}")
    p = lit(str(path))
    try:
        match fmt:
            case Format.CSV:
                con.execute(
                    f"CREATE TEMP TABLE {qi(table)} AS SELECT * FROM "
                    f"read_csv({p}, all_varchar = true, header = true)"
                )
                return Staged(table, _columns(con, table), Position.CSV_LINE)
            case Format.NDJSON:
                if not _has_bom(path):
                    return _stage_ndjson(con, p, table)
                with tempfile.TemporaryDirectory() as tmp:
                    copy = Path(tmp) / path.name
                    _copy_without_bom(path, copy)
                    return _stage_ndjson(con, lit(str(copy)), table)
            case Format.PARQUET:
                con.execute(f"CREATE TEMP TABLE {qi(table)} AS SELECT * FROM read_parquet({p})")
                return Staged(table, _columns(con, table), Position.INDEX)
            case Format.ARROW:
                raise ValueError("use stage_arrow for Arrow tables")
    except duckdb.Error as exc:
        raise ReadError(str(exc).splitlines()[0]) from exc
    raise AssertionError(fmt)  # pragma: no cover - exhaustive match


BOM = b"\xef\xbb\xbf"


def _has_bom(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(len(BOM)) == BOM


def _copy_without_bom(src: Path, dst: Path) -> None:
    """DuckDB's JSON reader refuses a UTF-8 BOM (its CSV reader skips it): copy past it.

    Streams in 1 MiB chunks, so a file larger than memory is fine; only BOM files pay it.
    """
    with src.open("rb") as fin, dst.open("wb") as fout:
        fin.seek(len(BOM))
        shutil.copyfileobj(fin, fout, 1 << 20)


def _stage_ndjson(con: duckdb.DuckDBPyConnection, p: str, table: str) -> Staged:
    """One pass collects the keys, a second extracts every value as text in one JSON parse."""
    src = f"read_json_objects({p}, format = 'newline_delimited')"
    keys = [
        str(r[0])
        for r in con.execute(
            f"SELECT DISTINCT unnest(json_keys(json)) AS k FROM {src} ORDER BY k"
        ).fetchall()
    ]
    if not keys:
        con.execute(f"CREATE TEMP TABLE {qi(table)} AS SELECT NULL AS __ss_empty FROM {src}")
        return Staged(table, ("__ss_empty",), Position.RECORD)
    paths = ", ".join(lit("$." + qi(k)) for k in keys)
    cols = ", ".join(f"v[{i + 1}] AS {qi(k)}" for i, k in enumerate(keys))
    con.execute(
        f"CREATE TEMP TABLE {qi(table)} AS SELECT {cols} FROM "
        f"(SELECT json_extract_string(json, [{paths}]) AS v FROM {src})"
    )
    return Staged(table, tuple(keys), Position.RECORD)


def stage_arrow(con: duckdb.DuckDBPyConnection, data: Any, table: str) -> Staged:
    """Create temporary table `table` from a pyarrow Table (or anything DuckDB can scan)."""
    con.execute(f"DROP TABLE IF EXISTS {qi(table)}")
    view = table + "_src"
    con.register(view, data)
    try:
        con.execute(f"CREATE TEMP TABLE {qi(table)} AS SELECT * FROM {qi(view)}")
    except duckdb.Error as exc:
        raise ReadError(str(exc).splitlines()[0]) from exc
    finally:
        con.unregister(view)
    return Staged(table, _columns(con, table), Position.INDEX)
