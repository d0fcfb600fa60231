"""Upsert validated rows into a canonical table by its key (DELETE + INSERT, in SQL).

Rules (SCHEMA.md "idempotent"):

* within one batch, rows sharing a key keep the last one (newest ``updated_at`` where the
  table has one, then the last line); the others count as duplicates;
* a batch row whose key is not stored yet is ``stored``;
* tables with ``updated_at``: a stored row is replaced (``updated``) only by a strictly
  newer ``updated_at``; a missing ``updated_at`` is older than any value, and when both
  are missing the content decides as below; otherwise it is a duplicate;
* tables without it: a different content replaces the stored row (``updated``), the same
  content (every contract column and ``extra``) is a duplicate.

The canonical tables have no PRIMARY KEY (so DuckDB can bulk-append); the key is kept
unique here, by construction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import duckdb

from socialscope.contract.tables import ColType, TableSpec
from socialscope.ingest.timeparse import quote_literal as lit
from socialscope.ingest.timeparse import wall_sql
from socialscope.ingest.validate import PROBLEM, ROW_ID, qi
from socialscope.store.ddl import LOCAL_SUFFIX, storage_columns

BATCH = "__ss_batch"
ACTION = "__ss_action"
HITS = "__ss_hits"
CHANGED = "__ss_changed"
"""With `track`: a temp table of the tracked columns of every replaced row (old version)
and every stored or replacing row (new version), for an incremental derive refresh."""


@dataclass
class MergeResult:
    """What one merge did, and which shops it touched."""

    stored: int = 0
    duplicates: int = 0
    updated: int = 0
    shops: set[str] = field(default_factory=set)
    timezone_changes: dict[str, str] = field(default_factory=dict)
    """shops only: shop_id -> new zone, for shops whose zone differs from the one in use."""


def _differs(spec: TableSpec) -> str:
    cols = [qi(c) for c in spec.column_names] + ["extra"]
    parts = [f"CAST(b.{c} AS VARCHAR) IS DISTINCT FROM CAST(e.{c} AS VARCHAR)" for c in cols]
    return "(" + " OR ".join(parts) + ")"


def _replaces(spec: TableSpec) -> str:
    """Condition under which batch row b replaces stored row e."""
    if spec.updated_at is None:
        return _differs(spec)
    ua = qi(spec.updated_at)
    return (
        f"(b.{ua} > e.{ua} OR (e.{ua} IS NULL AND b.{ua} IS NOT NULL)"
        f" OR (e.{ua} IS NULL AND b.{ua} IS NULL AND {_differs(spec)}))"
    )


def merge(
    con: duckdb.DuckDBPyConnection,
    spec: TableSpec,
    typed: str,
    source: str,
    loaded_at: datetime,
    track: Sequence[str] = (),
) -> MergeResult:
    """Upsert the good rows of temp table `typed` (see validate.typed_statements).

    With `track` (column names), the temp table CHANGED receives those columns of the old
    and new versions of every row this merge changed (it is empty when nothing changed).

    Built for the common cases being cheap: no key repeated inside the file (no window
    sort) and mostly new keys (the join with the stored table keeps matches only).
    """
    keys = [qi(k) for k in spec.key]
    target = qi(spec.name)
    good_sql = f"SELECT * EXCLUDE ({PROBLEM}) FROM {qi(typed)} WHERE {PROBLEM} IS NULL"
    row = con.execute(
        f"SELECT count(*), count(DISTINCT ({', '.join(keys)})) FROM {qi(typed)} "
        f"WHERE {PROBLEM} IS NULL"
    ).fetchone()
    good, unique = (int(row[0]), int(row[1])) if row else (0, 0)
    result = MergeResult()
    tracked = ", ".join(qi(c) for c in track)
    if track:
        con.execute(f"DROP TABLE IF EXISTS {CHANGED}")
        con.execute(f"CREATE TEMP TABLE {CHANGED} AS SELECT {tracked} FROM {target} LIMIT 0")
    if good == 0:
        return result
    src = qi(typed)
    where_good = f"b.{PROBLEM} IS NULL"
    if unique < good:
        order = f"{ROW_ID} DESC"
        if spec.updated_at is not None:
            order = f"{qi(spec.updated_at)} DESC NULLS LAST, {order}"
        con.execute(f"DROP TABLE IF EXISTS {BATCH}")
        con.execute(
            f"CREATE TEMP TABLE {BATCH} AS {good_sql} "
            f"QUALIFY row_number() OVER (PARTITION BY {', '.join(keys)} ORDER BY {order}) = 1"
        )
        src, where_good = BATCH, "TRUE"
    if spec.name == "shops":
        result.timezone_changes = dict(
            con.execute(
                f"SELECT b.shop_id, b.timezone FROM {src} b LEFT JOIN shops e "
                "ON e.shop_id = b.shop_id WHERE "
                f"{where_good} AND b.timezone IS DISTINCT FROM COALESCE(e.timezone, 'UTC')"
            ).fetchall()
        )
    on = " AND ".join(f"e.{k} = b.{k}" for k in keys)
    con.execute(f"DROP TABLE IF EXISTS {HITS}")
    con.execute(
        f"CREATE TEMP TABLE {HITS} AS SELECT b.{ROW_ID}, "
        f"{', '.join(f'b.{k}' for k in keys)}, "
        f"CASE WHEN {_replaces(spec)} THEN 'upd' ELSE 'dup' END AS {ACTION} "
        f"FROM {src} b JOIN {target} e ON {on} WHERE {where_good}"
    )
    counts = dict(con.execute(f"SELECT {ACTION}, count(*) FROM {HITS} GROUP BY ALL").fetchall())
    result.updated = int(counts.get("upd", 0))
    result.stored = unique - result.updated - int(counts.get("dup", 0))
    result.duplicates = good - result.stored - result.updated
    if result.updated:
        using = " AND ".join(f"{target}.{k} = u.{k}" for k in keys)
        if track:
            on_upd = " AND ".join(f"e.{k} = u.{k}" for k in keys)
            con.execute(
                f"INSERT INTO {CHANGED} SELECT {', '.join(f'e.{qi(c)}' for c in track)} "
                f"FROM {target} e JOIN (SELECT * FROM {HITS} WHERE {ACTION} = 'upd') u "
                f"ON {on_upd}"
            )
        con.execute(
            f"DELETE FROM {target} USING (SELECT * FROM {HITS} WHERE {ACTION} = 'upd') u "
            f"WHERE {using}"
        )
    if result.stored or result.updated:
        names = [n for n, _ in storage_columns(spec)]
        select = []
        for n in names:
            if n == "_source":
                select.append(lit(source))
            elif n == "_loaded_at":
                select.append("CAST(? AS TIMESTAMP)")
            else:
                select.append(f"b.{qi(n)}")
        skip = ""
        if counts.get("dup"):
            skip = f" AND b.{ROW_ID} NOT IN (SELECT {ROW_ID} FROM {HITS} WHERE {ACTION} = 'dup')"
        con.execute(
            f"INSERT INTO {target} ({', '.join(qi(n) for n in names)}) "
            f"SELECT {', '.join(select)} FROM {src} b WHERE {where_good}{skip}",
            [loaded_at],
        )
        if track:
            con.execute(
                f"INSERT INTO {CHANGED} SELECT {', '.join(f'b.{qi(c)}' for c in track)} "
                f"FROM {src} b WHERE {where_good}{skip}"
            )
        result.shops = {
            str(r[0])
            for r in con.execute(
                f"SELECT DISTINCT shop_id FROM {src} b WHERE {where_good}"
            ).fetchall()
        }
    con.execute(f"DROP TABLE IF EXISTS {HITS}")
    con.execute(f"DROP TABLE IF EXISTS {BATCH}")
    return result


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def recompute_local_twins(
    con: duckdb.DuckDBPyConnection, tables: list[TableSpec], changes: dict[str, str]
) -> None:
    """Rewrite every `<ts>_local` of the given shops in their new zone.

    Documented limitation: a naive timestamp stored earlier was turned into UTC with the
    zone in force then; only its local twin follows the new zone.
    """
    if not changes:
        return
    con.execute("DROP TABLE IF EXISTS __ss_tzchange")
    con.execute("CREATE TEMP TABLE __ss_tzchange (shop_id VARCHAR, tz VARCHAR)")
    con.executemany("INSERT INTO __ss_tzchange VALUES (?, ?)", list(changes.items()))
    zones = sorted(set(changes.values()))
    for spec in tables:
        ts = [c.name for c in spec.columns if c.type is ColType.TIMESTAMP]
        if not ts:
            continue
        sets = ", ".join(
            f"{qi(c + LOCAL_SUFFIX)} = {wall_sql(qi(spec.name) + '.' + qi(c), 'ch.tz', zones)}"
            for c in ts
        )
        con.execute(
            f"UPDATE {qi(spec.name)} SET {sets} FROM __ss_tzchange ch "
            f"WHERE {qi(spec.name)}.shop_id = ch.shop_id"
        )
    con.execute("DROP TABLE __ss_tzchange")
