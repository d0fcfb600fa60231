"""A crash at any step leaves a valid export (the previous one, or the new one once its
manifest is in place); the next export cleans up; two exports never share a directory."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pytest

from socialscope.client import Client
from socialscope.export import ExportLockedError, export_parquet, read_manifest, verify
from socialscope.export.files import DirectoryLock
from tests.export.conftest import PLAIN, TAIPEI, assert_export_equals_store

STEPS = ("file_written", "files_written", "manifest_written", "manifest_replaced", "cleaned")


class CrashError(Exception):
    pass


def _crash_at(step: str) -> Callable[[str], None]:
    def checkpoint(name: str) -> None:
        if name == step:
            raise CrashError(step)

    return checkpoint


def _change(client: Client) -> None:
    """A new order in a new month and a changed one: new and rewritten partitions."""
    orders = pa.table(
        {
            "shop_id": [PLAIN, TAIPEI],
            "order_id": ["o9", "o3"],
            "created_at": ["2026-04-02T00:00:00Z", "2026-02-10T10:00:00Z"],
            "updated_at": ["2026-04-02T00:00:00Z", "2026-02-12T00:00:00Z"],
            "currency": ["USD", "TWD"],
            "amount": ["7.5", "21"],
            "source": ["web", "live"],
        }
    )
    client.ingest_arrow({"orders": orders})


def _part_files(directory: Path) -> set[str]:
    return {
        p.relative_to(directory).as_posix()
        for p in directory.rglob("*")
        if p.is_file() and (p.name.startswith("part-") or p.name.endswith(".tmp"))
    }


@pytest.mark.parametrize("step", STEPS)
def test_crash_at_each_step_leaves_a_valid_export(
    seeded: Client, tmp_path: Path, step: str
) -> None:
    out = tmp_path / "export"
    seeded.export_parquet(out)
    old_manifest = (out / "manifest.json").read_bytes()
    _change(seeded)
    with pytest.raises(CrashError):
        export_parquet(seeded.store, out, checkpoint=_crash_at(step))

    report = verify(out)
    assert report.ok, report.problems
    replaced = step in ("manifest_replaced", "cleaned")
    assert ((out / "manifest.json").read_bytes() == old_manifest) is not replaced
    if replaced:
        assert_export_equals_store(seeded, out)
    else:  # the previous export, whole: its files are all still there
        assert read_manifest(out).tables["orders"].rows == 6

    again = seeded.export_parquet(out)  # completes the work and removes every leftover
    assert verify(out).ok
    assert _part_files(out) == read_manifest(out).files()
    assert_export_equals_store(seeded, out)
    if replaced:
        assert again.written == []


def test_leftovers_of_a_killed_export_are_ignored_then_removed(
    seeded: Client, tmp_path: Path
) -> None:
    out = tmp_path / "export"
    seeded.export_parquet(out)
    folder = out / "orders" / "shop_id=plain" / "month=2026-01"
    (folder / ".part-0badc0de.parquet.tmp").write_bytes(b"PAR1 half written")
    (folder / "part-0badc0de.parquet").write_bytes(b"PAR1 never in a manifest")
    (out / ".manifest.json.tmp").write_text("{", encoding="utf-8")
    staged = out / ".staging-deadbeef" / "__ss_part=0"
    staged.mkdir(parents=True)
    (staged / "data_0.parquet").write_bytes(b"PAR1 staged, never moved")
    assert verify(out).ok  # a reader following the manifest never sees them
    report = seeded.export_parquet(out)
    assert sorted(report.deleted_files) == [
        ".staging-deadbeef/",
        "orders/shop_id=plain/month=2026-01/.part-0badc0de.parquet.tmp",
        "orders/shop_id=plain/month=2026-01/part-0badc0de.parquet",
    ]
    assert not (out / ".staging-deadbeef").exists()
    assert not (out / ".manifest.json.tmp").exists()
    assert _part_files(out) == read_manifest(out).files()


def test_a_missing_file_is_rewritten(seeded: Client, tmp_path: Path) -> None:
    out = tmp_path / "export"
    seeded.export_parquet(out)
    part = read_manifest(out).tables["orders"].partitions[0]
    (out / part.path).unlink()
    report = seeded.export_parquet(out)
    assert len(report.written) == 1 and report.written[0].startswith(part.path.rsplit("/", 1)[0])
    assert verify(out).ok


def test_concurrent_export_is_refused(seeded: Client, tmp_path: Path) -> None:
    out = tmp_path / "export"
    out.mkdir()
    with DirectoryLock(out), pytest.raises(ExportLockedError, match="another export"):
        seeded.export_parquet(out)
    seeded.export_parquet(out)  # the lock is released with its holder
    assert verify(out).ok


def test_lock_held_by_another_process(seeded: Client, tmp_path: Path) -> None:
    out = tmp_path / "export"
    out.mkdir()
    holder = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from socialscope.export.files import DirectoryLock
        with DirectoryLock(Path({str(out)!r})):
            print("locked", flush=True)
            sys.stdin.readline()
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", holder],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        with pytest.raises(ExportLockedError, match=r"\.export\.lock"):
            seeded.export_parquet(out)
    finally:
        proc.communicate("\n", timeout=30)
    seeded.export_parquet(out)
    assert verify(out).ok
