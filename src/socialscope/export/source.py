"""What an export reads from the store: each table's rows as exported (every column, in
the layout's types, plus the row's month) and its partitions with their content hashes."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import duckdb

from socialscope.export.manifest import FORMAT_VERSION, ColumnInfo
from socialscope.export.tables import SETTINGS_TABLE, ExportTable, settings_keys
from socialscope.store.ddl import LOCAL_SUFFIX

MONTH = "__ss_month"
"""The extra column of a Source: the row's local month (YYYY-MM), NULL when undated."""
SCOPE = "__ss_export_shops"
"""Arrow view of the shops a --shop export is limited to."""
SETTINGS_SHOPS = SCOPE + "_meta"
"""Arrow view of the shops that get a copy of the settings (`_meta`)."""


class ExportError(ValueError):
    """An export that cannot run as asked (bad option, incompatible directory or store, a
    table that cannot be partitioned by shop)."""


def quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class Source:
    """One table's rows as exported: a SELECT with every column plus the month."""

    table: ExportTable
    columns: tuple[ColumnInfo, ...]
    sql: str

    @property
    def signature(self) -> str:
        return json.dumps([[c.name, c.type] for c in self.columns])


def column(name: str, store_type: str) -> tuple[str, ColumnInfo]:
    """(select expression, column info): UTC timestamps as TIMESTAMPTZ (every TIMESTAMP
    column but the `_local` twins holds UTC), JSON as text, 128-bit counts as BIGINT
    (DuckDB would write them as DOUBLE; a count beyond 2^63 fails loudly)."""
    col = ident(name)
    if store_type == "TIMESTAMP" and not name.endswith(LOCAL_SUFFIX):
        return (
            f"CAST({col} AS TIMESTAMP WITH TIME ZONE) AS {col}",
            ColumnInfo(name, "TIMESTAMP WITH TIME ZONE", store_type),
        )
    if store_type in ("HUGEINT", "UHUGEINT"):  # Parquet has no 128-bit integer (DOUBLE)
        return f"CAST({col} AS BIGINT) AS {col}", ColumnInfo(name, "BIGINT", store_type)
    if store_type == "JSON":
        return f"CAST({col} AS VARCHAR) AS {col}", ColumnInfo(name, "VARCHAR", store_type)
    return col, ColumnInfo(name, store_type)


def source(con: duckdb.DuckDBPyConnection, table: ExportTable, scoped: bool) -> Source:
    """The table's export SELECT (limited to the SCOPE shops when `scoped`); `_meta` is
    the settings rows crossed with the SETTINGS_SHOPS (see tables.settings_keys)."""
    if table.name == SETTINGS_TABLE:
        keys = ", ".join(quote(k) for k in settings_keys())
        settings = f"SELECT key, value FROM _meta WHERE key IN ({keys})"
        sql = (
            f"SELECT s.shop_id, m.key, m.value, CAST(NULL AS VARCHAR) AS {MONTH} "
            f"FROM {SETTINGS_SHOPS} s CROSS JOIN ({settings}) m"
        )
        meta = (
            ColumnInfo("shop_id", "VARCHAR"),
            ColumnInfo("key", "VARCHAR"),
            ColumnInfo("value", "VARCHAR"),
        )
        return Source(table, meta, sql)
    described = con.execute(f"DESCRIBE SELECT * FROM {ident(table.name)}").fetchall()
    exprs: list[str] = []
    cols: list[ColumnInfo] = []
    for row in described:
        expr, info = column(str(row[0]), str(row[1]))
        exprs.append(expr)
        cols.append(info)
    if "shop_id" not in {c.name for c in cols}:
        raise ExportError(f"table {table.name} has no shop_id column")
    month = "CAST(NULL AS VARCHAR)"
    if table.month_column is not None:
        month = f"strftime({ident(table.month_column)}, '%Y-%m')"
    where = f" WHERE shop_id IN (SELECT shop_id FROM {SCOPE})" if scoped else ""
    sql = f"SELECT {', '.join(exprs)}, {month} AS {MONTH} FROM {ident(table.name)}{where}"
    return Source(table, tuple(cols), sql)


@dataclass(frozen=True)
class Planned:
    """A partition as the store holds it now."""

    shop_id: str
    month: str | None
    rows: int
    content_hash: str


def plan(con: duckdb.DuckDBPyConnection, src: Source) -> list[Planned]:
    """Every partition of the source with its row count and content hash."""
    rows = con.execute(
        f"WITH x AS ({src.sql}) SELECT shop_id, {MONTH}, count(*), "
        f"bit_xor(hash(x)), CAST(sum(CAST(hash(x) AS HUGEINT)) AS VARCHAR) "
        f"FROM x GROUP BY ALL ORDER BY 1, 2"
    ).fetchall()
    salt = f"{FORMAT_VERSION}|{duckdb.__version__}|{src.signature}"
    out = []
    for shop, month, count, xor, total in rows:
        if shop is None:
            raise ExportError(f"table {src.table.name} holds rows without shop_id")
        digest = hashlib.sha256(f"{salt}|{count}|{xor}|{total}".encode()).hexdigest()[:32]
        out.append(Planned(str(shop), month, int(count), digest))
    return out
