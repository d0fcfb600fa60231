"""DuckDB DDL derived from the contract specs (never written by hand)."""

from __future__ import annotations

from socialscope.contract.tables import TABLES, ColType, TableSpec

DUCKDB_TYPES: dict[ColType, str] = {
    ColType.STRING: "VARCHAR",
    ColType.TIMESTAMP: "TIMESTAMP",
    ColType.DATE: "DATE",
    ColType.MONEY: "DECIMAL(18,4)",
    ColType.INTEGER: "BIGINT",
    ColType.NUMBER: "DOUBLE",
    ColType.BOOLEAN: "BOOLEAN",
}

LOCAL_SUFFIX = "_local"
"""Every TIMESTAMP column `c` (UTC) has a twin `c_local`: the same instant in shop-local time.

Bucketing by local day/hour then needs no per-row time-zone conversion at query time, which
keeps metric definitions portable across engines and fast.
"""

BOOKKEEPING_COLUMNS: tuple[tuple[str, str], ...] = (
    ("extra", "JSON"),  # columns of the source that the contract does not name
    ("_source", "VARCHAR"),  # file:line or request the row came from
    ("_loaded_at", "TIMESTAMP"),
)


def storage_columns(spec: TableSpec) -> list[tuple[str, str]]:
    """(name, DuckDB type) of every stored column of a canonical table, in order."""
    cols: list[tuple[str, str]] = []
    for col in spec.columns:
        cols.append((col.name, DUCKDB_TYPES[col.type]))
        if col.type is ColType.TIMESTAMP:
            cols.append((col.name + LOCAL_SUFFIX, "TIMESTAMP"))
    cols.extend(BOOKKEEPING_COLUMNS)
    return cols


def create_table_sql(spec: TableSpec, name: str | None = None) -> str:
    body = ",\n  ".join(f'"{n}" {t}' for n, t in storage_columns(spec))
    return f'CREATE TABLE IF NOT EXISTS "{name or spec.name}" (\n  {body}\n)'


QUARANTINE_SQL = """
CREATE TABLE IF NOT EXISTS _quarantine (
  batch_id VARCHAR NOT NULL,
  table_name VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  line BIGINT,
  "column" VARCHAR,
  reason VARCHAR NOT NULL,
  shop_id VARCHAR,
  raw JSON,
  quarantined_at TIMESTAMP NOT NULL
)
"""

IMPORTS_SQL = """
CREATE TABLE IF NOT EXISTS _imports (
  batch_id VARCHAR NOT NULL,
  table_name VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  stored BIGINT NOT NULL,
  duplicates BIGINT NOT NULL,
  updated BIGINT NOT NULL,
  quarantined BIGINT NOT NULL,
  imported_at TIMESTAMP NOT NULL
)
"""

META_SQL = "CREATE TABLE IF NOT EXISTS _meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)"


def all_ddl() -> list[str]:
    """Statements creating the whole current schema (idempotent)."""
    return [
        META_SQL,
        QUARANTINE_SQL,
        IMPORTS_SQL,
        *(create_table_sql(spec) for spec in TABLES.values()),
    ]
