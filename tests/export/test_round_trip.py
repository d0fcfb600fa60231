"""Export a seeded store and read every table back: same rows, the layout's types and
paths, local-month partitions, and a manifest that verifies."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from socialscope.client import Client
from socialscope.contract.tables import SCHEMA_VERSION
from socialscope.export import (
    EXPORT_TABLES,
    ExportError,
    ManifestError,
    read_manifest,
    verify,
    writer,
)
from socialscope.export.files import decode, encode
from tests.export.conftest import (
    ODD,
    PLAIN,
    TAIPEI,
    assert_export_equals_store,
    export_rows,
)


@pytest.mark.parametrize("bulk_min", [1, 10**9], ids=["one-pass", "per-partition"])
def test_round_trip_equals_store(
    seeded: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bulk_min: int
) -> None:
    """Both ways of writing files (one COPY ... PARTITION_BY per table, or one COPY per
    partition) give the store's rows."""
    monkeypatch.setattr(writer, "BULK_MIN", bulk_min)
    out = tmp_path / "export"
    report = seeded.export_parquet(out)
    assert not list(out.glob(".staging-*"))
    assert report.kept == [] and report.removed == []
    assert_export_equals_store(seeded, out)
    assert verify(out).ok

    manifest = read_manifest(out)
    assert manifest.schema_version == SCHEMA_VERSION
    assert manifest.source == "store.duckdb"
    assert manifest.exported_at.endswith("Z")
    kinds = {name: t.kind for name, t in manifest.tables.items()}
    assert kinds["orders"] == "canonical"
    assert kinds["d_orders"] == "derived"
    assert kinds["_meta"] == kinds["shop_hours"] == kinds["keyword_rules"] == "internal"
    for name in ("_quarantine", "_imports", "_webhook_events", "_derive_scope"):
        assert name not in manifest.tables
        assert not (out / name).exists()


def test_types_in_the_files(seeded: Client, tmp_path: Path) -> None:
    out = tmp_path / "export"
    seeded.export_parquet(out)
    _, _, orders = export_rows(out, "orders")
    schema = orders.schema
    assert schema.field("created_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("created_at_local").type == pa.timestamp("us")
    assert schema.field("_loaded_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("amount").type == pa.decimal128(18, 4)
    assert schema.field("extra").type == pa.string()
    rows = {(r["shop_id"], r["order_id"]): r for r in orders.to_pylist()}
    o1 = rows[(TAIPEI, "o1")]
    assert o1["amount"] == Decimal("1234.5678")
    assert o1["created_at"] == datetime(2026, 1, 31, 17, 30, tzinfo=UTC)
    assert o1["created_at_local"] == datetime(2026, 2, 1, 1, 30)  # Taipei, naive
    assert o1["discount_amount"] is None
    assert rows[(PLAIN, "o1")]["customer_id"] is None
    assert rows[(PLAIN, "o1")]["amount"] == Decimal("0.0001")
    assert rows[(ODD, "o1")]["created_at_local"] == datetime(2026, 3, 29, 1, 30)  # CET

    _, _, staff = export_rows(out, "staff")
    assert json.loads(staff.to_pylist()[0]["extra"]) == {"nickname": "小明"}
    _, _, rounds = export_rows(out, "d_rounds")  # HUGEINT counts: BIGINT, not DOUBLE
    assert rounds.schema.field("round_no").type == pa.int64()
    cols = {c.name: c for c in read_manifest(out).tables["orders"].columns}
    assert cols["created_at"].type == "TIMESTAMP WITH TIME ZONE"
    assert cols["created_at"].store_type == "TIMESTAMP"
    assert cols["created_at_local"].type == "TIMESTAMP"
    assert cols["amount"].type == "DECIMAL(18,4)"


def test_partitions_are_local_months_with_encoded_shop_paths(
    seeded: Client, tmp_path: Path
) -> None:
    out = tmp_path / "export"
    seeded.export_parquet(out)
    manifest = read_manifest(out)
    orders = {(p.shop_id, p.month): p for p in manifest.tables["orders"].partitions}
    # TAIPEI: o2 in January; o1 (Jan 31 UTC = Feb 1 local) and o3 in February.
    assert {k: p.rows for k, p in orders.items()} == {
        (TAIPEI, "2026-01"): 1,
        (TAIPEI, "2026-02"): 2,
        (ODD, "2026-03"): 1,
        (PLAIN, "2026-01"): 1,
        (PLAIN, "2026-02"): 1,
    }
    feb = orders[(TAIPEI, "2026-02")].path
    assert feb.startswith("orders/shop_id=%E5%8F%B0%E5%8C%97%2F%E5%BA%97%3D1/month=2026-02/")
    assert orders[(ODD, "2026-03")].path.startswith("orders/shop_id=a%252Fb/month=2026-03/")
    for part in orders.values():
        name = Path(part.path).name
        assert name.startswith("part-") and len(name) == len("part-12345678.parquet")
        int(name[5:13], 16)
    shops = {p.shop_id: p for p in manifest.tables["shops"].partitions}
    assert all(p.month is None for p in shops.values())
    assert shops[PLAIN].path.startswith("shops/shop_id=plain/part-")
    # settings: one copy per shop with rows; calendars and rules of their shop only
    meta = manifest.tables["_meta"].partitions
    assert {p.shop_id for p in meta} == {TAIPEI, ODD, PLAIN}
    assert [p.shop_id for p in manifest.tables["shop_hours"].partitions] == [TAIPEI]
    _, rows, _ = export_rows(out, "_meta")
    assert rows[(PLAIN, "conversation_idle_h", "12.0")] == 1


def test_hive_read_decodes_shop_ids(seeded: Client, tmp_path: Path) -> None:
    out = tmp_path / "export"
    seeded.export_parquet(out)
    con = duckdb.connect()
    got = con.execute(
        "SELECT shop_id, month, count(*) FROM read_parquet(?, hive_partitioning = true) "
        "GROUP BY ALL ORDER BY ALL",
        [str(out / "orders" / "**" / "*.parquet")],
    ).fetchall()
    assert (TAIPEI, "2026-02", 2) in got
    assert (ODD, "2026-03", 1) in got


@pytest.mark.parametrize("value", ["plain", "台北/店=1", "a%2Fb", ".", "..", "a b+c", "x/../y"])
def test_encode_is_one_reversible_segment(value: str) -> None:
    seg = encode(value)
    assert "/" not in seg and seg not in ("", ".", "..")
    assert decode(seg) == value


def test_verify_finds_a_damaged_file(seeded: Client, tmp_path: Path) -> None:
    out = tmp_path / "export"
    seeded.export_parquet(out)
    part = read_manifest(out).tables["orders"].partitions[0]
    data = bytearray((out / part.path).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (out / part.path).write_bytes(bytes(data))
    report = verify(out)
    assert not report.ok
    assert report.problems == [f"orders: {part.path}: sha256 differs from the manifest"]
    (out / part.path).unlink()
    assert verify(out).problems == [f"orders: {part.path}: missing"]


def test_verify_finds_a_wrong_row_count(seeded: Client, tmp_path: Path) -> None:
    out = tmp_path / "export"
    seeded.export_parquet(out)
    data: dict[str, Any] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    data["tables"]["orders"]["partitions"][0]["rows"] += 1
    data["tables"]["orders"]["rows"] += 1
    (out / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    problems = verify(out).problems
    assert len(problems) == 1 and "rows, the manifest says" in problems[0]


def test_manifest_errors_name_the_field(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="does not exist"):
        read_manifest(tmp_path)
    (tmp_path / "manifest.json").write_text('{"format": "other"}', encoding="utf-8")
    with pytest.raises(ManifestError, match=r"manifest\.format"):
        read_manifest(tmp_path)
    (tmp_path / "manifest.json").write_text(
        '{"format": "socialscope-parquet", "format_version": 1, "schema_version": 3, '
        '"exported_at": "x", "source": "s", "tables": {"orders": {"kind": "canonical", '
        '"columns": [], "rows": 0, "partitions": [{"shop_id": "a"}]}}}',
        encoding="utf-8",
    )
    with pytest.raises(ManifestError, match=r"tables.orders.partitions\[0\]: missing 'path'"):
        read_manifest(tmp_path)


def test_bad_options_are_named(seeded: Client, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="--format 'csv'"):
        seeded.export_parquet(tmp_path / "x", fmt="csv")
    with pytest.raises(ExportError, match=r"--tables: unknown table.*nope"):
        seeded.export_parquet(tmp_path / "x", tables=["orders", "nope"])
    (tmp_path / "file").write_text("", encoding="utf-8")
    with pytest.raises(ExportError, match="not a directory"):
        seeded.export_parquet(tmp_path / "file")


def test_every_table_the_metric_layer_reads_is_exported() -> None:
    from socialscope.metrics.facts import FACTS

    for fact in FACTS.values():
        assert fact.table in EXPORT_TABLES, fact.name
    for name in ("_meta", "shop_hours", "shop_holidays", "d_comment_intents"):
        assert name in EXPORT_TABLES


def test_an_outdated_store_is_refused(seeded: Client, tmp_path: Path) -> None:
    """Read-only, the store is not re-derived: stale derived tables are not exported."""
    seeded.store.con.execute("UPDATE _meta SET value = '1' WHERE key = 'derived_version'")
    with pytest.raises(ExportError, match="derived tables are version 1"):
        seeded.export_parquet(tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_table_files_prunes_by_shop_and_month(seeded: Client, tmp_path: Path) -> None:
    out = tmp_path / "export"
    seeded.export_parquet(out)
    manifest = read_manifest(out)
    orders = {p.path: p for p in manifest.tables["orders"].partitions}
    feb = manifest.table_files(out, "orders", shops=[TAIPEI], month_from="2026-02")
    assert [orders[str(Path(f).relative_to(out))].month for f in feb] == ["2026-02"]
    jan = manifest.table_files(out, "orders", month_to="2026-01")
    assert sorted(orders[str(Path(f).relative_to(out))].shop_id for f in jan) == [PLAIN, TAIPEI]
    assert len(manifest.table_files(out, "shops", month_from="2030-01")) == 3  # undated
    with pytest.raises(KeyError, match="no table 'nope'"):
        manifest.table_files(out, "nope")
