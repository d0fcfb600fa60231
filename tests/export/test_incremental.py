"""Re-exports rewrite only the partitions whose rows changed, drop emptied ones, and leave
every other file alone (same path, same mtime)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyarrow as pa
import pytest

from socialscope.client import Client
from socialscope.contract.tables import SCHEMA_VERSION
from socialscope.export import ExportError, read_manifest, verify
from socialscope.store.maintenance import delete_shops
from tests.export.conftest import (
    ODD,
    PLAIN,
    TAIPEI,
    assert_export_equals_store,
    files_with_mtimes,
)


def _touch_old(directory: Path) -> None:
    """Age every file, so a rewrite would show as a new mtime even on a coarse clock."""
    for path in directory.rglob("*.parquet"):
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))


def test_unchanged_store_rewrites_nothing(seeded: Client, tmp_path: Path) -> None:
    out = tmp_path / "export"
    first = seeded.export_parquet(out)
    _touch_old(out)
    before = files_with_mtimes(out)
    again = seeded.export_parquet(out)
    assert again.written == [] and again.removed == [] and again.deleted_files == []
    assert sorted(again.kept) == sorted(first.written)
    assert files_with_mtimes(out) == before


def test_one_changed_order_rewrites_its_partition_only(seeded: Client, tmp_path: Path) -> None:
    out = tmp_path / "export"
    seeded.export_parquet(out)
    old = read_manifest(out)
    _touch_old(out)
    before = files_with_mtimes(out)

    # o3 of TAIPEI (February, local) gets a newer version: amount 20 -> 25.
    update = pa.table(
        {
            "shop_id": [TAIPEI],
            "order_id": ["o3"],
            "customer_id": ["c2"],
            "created_at": ["2026-02-10T10:00:00Z"],
            "updated_at": ["2026-02-11T10:00:00Z"],
            "currency": ["TWD"],
            "amount": ["25"],
            "source": ["live"],
            "status": ["paid"],
        }
    )
    report = seeded.ingest_arrow({"orders": update})
    assert report.tables["orders"].updated == 1
    result = seeded.export_parquet(out)

    changed = {(p.split("/")[0], p.split("/")[1], p.split("/")[2]) for p in result.written}
    shop_dir = "shop_id=%E5%8F%B0%E5%8C%97%2F%E5%BA%97%3D1"
    assert changed == {
        ("orders", shop_dir, "month=2026-02"),
        ("d_orders", shop_dir, "month=2026-02"),
    }
    assert len(result.written) == 2
    new = read_manifest(out)
    old_paths = {p.path for t in old.tables.values() for p in t.partitions}
    rewritten = {
        p.path
        for name in ("orders", "d_orders")
        for p in old.tables[name].partitions
        if (p.shop_id, p.month) == (TAIPEI, "2026-02")
    }
    assert sorted(result.deleted_files) == sorted(rewritten)
    after = files_with_mtimes(out)
    for path in old_paths - rewritten:  # every other file: same path, same mtime
        assert after[path] == before[path], path
    assert set(after) == (old_paths - rewritten) | set(result.written)
    jan = [
        p for p in new.tables["orders"].partitions if (p.shop_id, p.month) == (TAIPEI, "2026-01")
    ]
    assert jan == [
        p for p in old.tables["orders"].partitions if (p.shop_id, p.month) == (TAIPEI, "2026-01")
    ]
    assert verify(out).ok
    assert_export_equals_store(seeded, out)


def test_deleted_shop_partitions_are_removed(seeded: Client, tmp_path: Path) -> None:
    out = tmp_path / "export"
    seeded.export_parquet(out)
    odd_files = {
        p.path for t in read_manifest(out).tables.values() for p in t.partitions if p.shop_id == ODD
    }
    assert odd_files
    delete_shops(seeded.store, [ODD])
    result = seeded.export_parquet(out)
    assert result.written == []
    assert sorted(result.removed) == sorted(odd_files)
    assert sorted(result.deleted_files) == sorted(odd_files)
    manifest = read_manifest(out)
    assert all(p.shop_id != ODD for t in manifest.tables.values() for p in t.partitions)
    assert not any((out / t / "shop_id=a%252Fb").exists() for t in manifest.tables)
    assert verify(out).ok
    assert_export_equals_store(seeded, out)


def test_shop_limited_export_keeps_other_shops(seeded: Client, tmp_path: Path) -> None:
    out = tmp_path / "export"
    seeded.export_parquet(out)
    _touch_old(out)
    before = files_with_mtimes(out)
    delete_shops(seeded.store, [ODD, PLAIN])
    result = seeded.export_parquet(out, shops=[PLAIN])  # ODD is outside this export
    manifest = read_manifest(out)
    shops = {p.shop_id for t in manifest.tables.values() for p in t.partitions}
    assert shops == {TAIPEI, ODD}
    assert result.written == []
    assert all("shop_id=plain/" in p for p in result.removed)
    assert {p for p in before if "shop_id=plain/" not in p} == set(files_with_mtimes(out))
    assert verify(out).ok


def test_table_limited_export(seeded: Client, tmp_path: Path) -> None:
    out = tmp_path / "export"
    result = seeded.export_parquet(out, tables=["orders"])
    assert set(read_manifest(out).tables) == {"orders"}
    assert all(p.startswith("orders/") for p in result.written)
    seeded.export_parquet(out, tables=["refunds"])
    assert set(read_manifest(out).tables) == {"orders", "refunds"}
    full = seeded.export_parquet(out)
    assert all(not p.startswith("orders/") for p in full.written)  # kept
    assert_export_equals_store(seeded, out)


def test_partial_export_over_another_schema_is_refused(seeded: Client, tmp_path: Path) -> None:
    out = tmp_path / "export"
    seeded.export_parquet(out)
    manifest = out / "manifest.json"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            f'"schema_version":{SCHEMA_VERSION}', '"schema_version":2'
        ),
        encoding="utf-8",
    )
    with pytest.raises(ExportError, match=r"schema version 2.*no --shop / --tables"):
        seeded.export_parquet(out, shops=[PLAIN])
    seeded.export_parquet(out)  # a full export brings it up to date
    assert read_manifest(out).schema_version == SCHEMA_VERSION


def test_month_moves_when_the_time_zone_changes(seeded: Client, tmp_path: Path) -> None:
    """A shop's new time zone recomputes its local twins: rows move between months."""
    out = tmp_path / "export"
    seeded.export_parquet(out)
    shops = pa.table(
        {"shop_id": [TAIPEI], "name": ["台北小店"], "timezone": ["UTC"], "currency": ["TWD"]}
    )
    seeded.ingest_arrow({"shops": shops})
    seeded.export_parquet(out)
    months = {
        (p.month, p.rows)
        for p in read_manifest(out).tables["orders"].partitions
        if p.shop_id == TAIPEI
    }
    assert months == {("2026-01", 2), ("2026-02", 1)}  # o1 is January 31 in UTC
    assert_export_equals_store(seeded, out)


def test_a_table_no_longer_exported_is_dropped(seeded: Client, tmp_path: Path) -> None:
    """An entry for a table this socialscope does not export (e.g. written by another
    version) leaves the manifest on a full export, and its files are deleted."""
    out = tmp_path / "export"
    seeded.export_parquet(out)
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    retired = data["tables"]["orders"]
    moved = []
    for part in retired["partitions"]:
        target = "d_retired/" + part["path"].split("/", 1)[1]
        (out / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out / part["path"], out / target)
        moved.append(target)
    data["tables"]["d_retired"] = {
        **retired,
        "partitions": [{**p, "path": t} for p, t in zip(retired["partitions"], moved, strict=True)],
    }
    (out / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    assert verify(out).ok
    report = seeded.export_parquet(out)
    assert sorted(report.removed) == sorted(moved)
    assert sorted(report.deleted_files) == sorted(moved)
    assert "d_retired" not in read_manifest(out).tables
    assert not (out / "d_retired").exists()
