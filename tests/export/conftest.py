"""Stores for the export tests, and the check that an export equals its store.

The comparison is independent of the exporter: the store side is `SELECT *` over the
store's own tables, the export side is DuckDB's `read_parquet` over the files the
manifest lists; values are compared after one normalisation (a UTC-aware timestamp read
from Parquet is the naive UTC timestamp the store holds).
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from socialscope.client import Client, connect
from socialscope.export import EXPORT_TABLES, read_manifest
from socialscope.store.settings import SETTINGS

TAIPEI = "台北/店=1"  # unicode, a slash and an equals sign: percent-encoded in paths
ODD = "a%2Fb"  # a literal percent sign must survive encode/decode
PLAIN = "plain"

SHOPS_CSV = f"""shop_id,name,timezone,currency
{TAIPEI},台北小店,Asia/Taipei,TWD
{ODD},Odd Sp. z o.o.,Europe/Warsaw,PLN
{PLAIN},Plain,UTC,USD
"""

# o1 of TAIPEI is created 2026-01-31 17:30 UTC = 2026-02-01 01:30 in Taipei: its month is
# 2026-02 (the local month), not January. ODD's o1 falls on the Warsaw DST change day.
ORDERS_CSV = "\n".join(
    [
        "shop_id,order_id,customer_id,created_at,updated_at,currency,amount,discount_amount,"
        "source,status",
        f"{TAIPEI},o1,c1,2026-01-31T17:30:00Z,2026-01-31T17:30:00Z,TWD,1234.5678,,"
        "message_center,paid",
        f"{TAIPEI},o2,c2,2026-01-03T10:00:00Z,2026-01-03T10:00:00Z,TWD,10,1.25,live,open",
        f"{TAIPEI},o3,c2,2026-02-10T10:00:00Z,2026-02-10T10:00:00Z,TWD,20,,live,paid",
        f"{ODD},o1,c9,2026-03-29T00:30:00Z,,PLN,99.99,,web,paid",
        f"{PLAIN},o1,,2026-01-01T00:00:00Z,,USD,0.0001,,post,cancelled",
        f"{PLAIN},o2,c5,2026-02-01T00:00:00Z,,USD,5,,post,paid",
        "",
    ]
)

ITEMS_CSV = f"""shop_id,order_id,line_id,product_id,quantity,unit_price
{TAIPEI},o1,1,p1,2,617.2839
{PLAIN},o2,1,p9,1,5
"""

REFUNDS_CSV = f"""shop_id,refund_id,order_id,ts,amount,reason
{TAIPEI},r1,o1,2026-02-02T01:00:00Z,100.5,尺寸不合
"""

MESSAGES_CSV = f'''shop_id,event_id,channel,customer_id,ts,sender,staff_id,text
{TAIPEI},e1,line,u1,2026-01-31T15:59:00Z,customer,,你好 ünïcode
{TAIPEI},e2,line,u1,2026-01-31T16:01:00Z,agent,s1,"hi, ""quoted"""
{PLAIN},e1,facebook,u2,2026-02-01T00:00:00Z,customer,,
'''

COMMENTS_CSV = f"""shop_id,event_id,channel,post_id,comment_id,customer_id,author,ts,text
{TAIPEI},k1,facebook,p1,c1,u7,customer,2026-02-01T02:00:00Z,+1 黑M
{TAIPEI},k2,facebook,p1,c2,u8,customer,2026-02-01T03:00:00Z,運費?
"""

EXTRA_CSV = f"""shop_id,staff_id,name,nickname
{TAIPEI},s1,阿明,小明
"""


def write_seed(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in (
        ("shops", SHOPS_CSV),
        ("orders", ORDERS_CSV),
        ("order_items", ITEMS_CSV),
        ("refunds", REFUNDS_CSV),
        ("messages", MESSAGES_CSV),
        ("comments", COMMENTS_CSV),
        ("staff", EXTRA_CSV),  # `nickname` is not in the contract: kept in `extra` (JSON)
    ):
        (directory / f"{name}.csv").write_text(text, encoding="utf-8")
    return directory


def seeded_client(tmp_path: Path) -> Client:
    """A store with the seed above, a setting, a calendar and keyword rules."""
    client = connect(tmp_path / "store.duckdb")
    report = client.ingest([write_seed(tmp_path / "seed")])
    assert report.quarantined_total == 0, report
    client.set_setting("conversation_idle_h", 12)
    client.set_calendar(TAIPEI, "mon-fri 09:00-18:00")
    client.add_holiday(TAIPEI, "2026-02-16", "春節")
    client.set_keyword_rules(TAIPEI, [r"^\+(?P<qty>\d+)\s*(?P<variant>\S*)$"])
    return client


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded store, built once; tests work on copies."""
    directory = tmp_path_factory.mktemp("export_seed")
    seeded_client(directory).close()
    return directory / "store.duckdb"


@pytest.fixture
def seeded(seed_db: Path, tmp_path: Path) -> Iterator[Client]:
    db = tmp_path / "store.duckdb"
    shutil.copyfile(seed_db, db)
    client = connect(db)
    yield client
    client.close()


def _norm(value: Any) -> Any:
    """A UTC-aware timestamp (Parquet, isAdjustedToUTC) as the store's naive UTC value."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _rows(table: pa.Table) -> Counter[tuple[Any, ...]]:
    return Counter(tuple(_norm(v) for v in row.values()) for row in table.to_pylist())


def store_rows(client: Client, table: str) -> tuple[list[str], Counter[tuple[Any, ...]]]:
    """A table's rows as the store holds them (the settings: one copy per shop)."""
    con = client.store.con
    if table == "_meta":
        keys = sorted(SETTINGS)
        marks = ", ".join("?" for _ in keys)
        settings = con.execute(
            f"SELECT key, value FROM _meta WHERE key IN ({marks})", keys
        ).fetchall()
        shops = _shops_with_rows(client)
        rows = Counter((s, k, v) for s in shops for k, v in settings)
        return ["shop_id", "key", "value"], rows
    arrow = con.execute(f'SELECT * FROM "{table}"').to_arrow_table()
    return arrow.column_names, _rows(arrow)


def _shops_with_rows(client: Client) -> set[str]:
    out: set[str] = set()
    for name in EXPORT_TABLES:
        if name == "_meta":
            continue
        out |= {
            r[0]
            for r in client.store.con.execute(f'SELECT DISTINCT shop_id FROM "{name}"').fetchall()
        }
    return out


def _reader() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    return con


def export_rows(
    directory: Path, table: str, con: duckdb.DuckDBPyConnection | None = None
) -> tuple[list[str], Counter[tuple[Any, ...]], pa.Table]:
    """A table's rows read back from the files its manifest entry lists."""
    entry = read_manifest(directory).tables[table]
    paths = [str(directory / p.path) for p in entry.partitions]
    if not paths:
        return [c.name for c in entry.columns], Counter(), pa.table({})
    own = con is None
    con = con or _reader()
    try:
        arrow = con.execute(
            "SELECT * FROM read_parquet(?, hive_partitioning = false)", [paths]
        ).to_arrow_table()
    finally:
        if own:
            con.close()
    return arrow.column_names, _rows(arrow), arrow


def assert_export_equals_store(client: Client, directory: Path) -> None:
    """Every exported table holds exactly the store's rows (as multisets)."""
    manifest = read_manifest(directory)
    assert set(manifest.tables) == set(EXPORT_TABLES)
    con = _reader()
    try:
        for table in EXPORT_TABLES:
            cols, expected = store_rows(client, table)
            got_cols, got, _ = export_rows(directory, table, con)
            assert got_cols == cols, table
            assert got == expected, table
            assert manifest.tables[table].rows == sum(expected.values()), table
    finally:
        con.close()


def files_with_mtimes(directory: Path) -> dict[str, int]:
    return {
        p.relative_to(directory).as_posix(): p.stat().st_mtime_ns
        for p in directory.rglob("*.parquet")
    }
