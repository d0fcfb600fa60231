"""`export_parquet`: the store as Parquet partitions + manifest, incremental and atomic.

Incremental: each (table, shop, month) partition's rows are hashed in DuckDB (count,
bit_xor and sum of the 64-bit row hashes, plus the column signature and DuckDB version);
a partition whose hash equals the one recorded in the manifest keeps its file.

Atomic: new files (COPYed, or moved from a one-pass staging area) go to a temp name in
their directory, are fsynced and renamed; then the
manifest is written to a temp file, fsynced and `os.replace`d onto manifest.json, and the
directory fsynced; only then are files no longer referenced deleted. Until the replace,
the previous manifest and every file it lists are untouched, so a crash at any point
leaves the previous export readable. A flock on DIR/.export.lock keeps two exports out of
one directory; files left by a crashed export are deleted by the next successful one.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from socialscope.contract.tables import SCHEMA_VERSION
from socialscope.export import files
from socialscope.export.manifest import (
    MANIFEST,
    Manifest,
    ManifestError,
    Partition,
    TableEntry,
    read_manifest,
)
from socialscope.export.source import (
    MONTH,
    SCOPE,
    SETTINGS_SHOPS,
    ExportError,
    Planned,
    Source,
    ident,
    plan,
    quote,
    source,
)
from socialscope.export.tables import EXPORT_TABLES, SETTINGS_TABLE, ExportTable, resolve_tables
from socialscope.store.derive import DERIVED_VERSION, DERIVED_VERSION_KEY
from socialscope.store.duckdb import Store
from socialscope.store.migrations import current_version

SUPPORTED_FORMATS = ("parquet",)
_PARTS = "__ss_export_parts"
_PART = "__ss_part"
_PARQUET = "FORMAT parquet, COMPRESSION zstd"
BULK_MIN = 4
"""From this many changed partitions of one table on, they are written in one pass."""
IO_THREADS = 8
"""Threads moving and fsyncing staged files."""

Checkpoint = Callable[[str], None]
"""Called after each step (`file_written`, `files_written`, `manifest_written`,
`manifest_replaced`, `cleaned`): tests raise from it to simulate a crash there."""


@dataclass
class ExportReport:
    """What an export did, partition by partition (relative paths)."""

    directory: Path
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    deleted_files: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "directory": str(self.directory),
            "written": self.written,
            "kept": len(self.kept),
            "removed": self.removed,
            "deleted_files": self.deleted_files,
            "rows": self.rows,
        }

    def summary(self) -> str:
        return (
            f"{len(self.written)} partition(s) written, {len(self.kept)} kept, "
            f"{len(self.removed)} removed; {sum(self.rows.values())} rows in "
            f"{len(self.rows)} table(s) -> {self.directory}"
        )


def _no_checkpoint(step: str) -> None:
    return None


def _write_partition(
    con: duckdb.DuckDBPyConnection,
    root: Path,
    src: Source,
    part: Planned,
    staged: Path | None = None,
) -> Partition:
    """One partition's file under a temp name in its directory (moved there from the
    staging area, or COPYed), fsynced, renamed; the manifest entry."""
    rel_dir = files.partition_dir(
        src.table.name, part.shop_id, part.month, src.table.month_column is not None
    )
    directory = files.make_dirs(root, rel_dir)
    name = files.new_file_name(directory)
    tmp = directory / files.temp_name(name)
    if staged is not None:
        os.rename(staged, tmp)
    else:
        cols = ", ".join(ident(c.name) for c in src.columns)
        month = "IS NULL" if part.month is None else f"= {quote(part.month)}"
        con.execute(
            f"COPY (SELECT {cols} FROM ({src.sql}) WHERE shop_id = {quote(part.shop_id)} "
            f"AND {MONTH} {month}) TO {quote(str(tmp))} ({_PARQUET})"
        )
    files.fsync_file(tmp)
    final = directory / name
    os.rename(tmp, final)
    files.fsync_dir(directory)
    return Partition(
        part.shop_id,
        part.month,
        f"{rel_dir}/{name}",
        part.rows,
        files.sha256_of(final),
        part.content_hash,
    )


def _write_all(
    con: duckdb.DuckDBPyConnection,
    root: Path,
    src: Source,
    todo: list[Planned],
    staged: dict[int, Path],
) -> Iterator[Partition]:
    """Every partition of `todo`, written. Staged files are moved and fsynced by a few
    threads (fsync waits on the disk, not the CPU; concurrent ones share journal commits);
    the others are COPYed one by one through the store connection."""

    def move(i: int) -> Partition:
        written = _write_partition(con, root, src, todo[i], staged[i])
        with contextlib.suppress(OSError):
            staged[i].parent.rmdir()  # its staging directory, now empty
        return written

    with ThreadPoolExecutor(max_workers=IO_THREADS) as pool:
        yield from pool.map(move, sorted(staged))
    for i, part in enumerate(todo):
        if i not in staged:
            yield _write_partition(con, root, src, part)


def _stage(
    con: duckdb.DuckDBPyConnection, root: Path, src: Source, parts: list[Planned]
) -> tuple[Path, dict[int, Path]]:
    """Write many partitions in one pass (one COPY ... PARTITION_BY, one scan of the
    table) into a staging directory inside DIR; partition i -> its one staged file.
    A partition DuckDB split into several files is absent (written alone afterwards)."""
    staging = root / f"{files.STAGING_PREFIX}{secrets.token_hex(4)}"
    keys = pa.table(
        {
            "shop_id": pa.array([p.shop_id for p in parts], pa.string()),
            "month": pa.array([p.month for p in parts], pa.string()),
            "idx": pa.array(range(len(parts)), pa.int64()),
        }
    )
    con.register(_PARTS, keys)
    cols = ", ".join(f"s.{ident(c.name)}" for c in src.columns)
    con.execute(
        f"COPY (SELECT {cols}, p.idx AS {_PART} FROM ({src.sql}) s JOIN {_PARTS} p "
        f"ON s.shop_id = p.shop_id AND s.{MONTH} IS NOT DISTINCT FROM p.month) "
        f"TO {quote(str(staging))} ({_PARQUET}, PARTITION_BY ({_PART}))"
    )
    con.unregister(_PARTS)
    staged: dict[int, Path] = {}
    for i in range(len(parts)):
        found = sorted((staging / f"{_PART}={i}").glob("*.parquet"))
        if len(found) == 1:
            staged[i] = found[0]
    return staging, staged


def _previous(root: Path) -> Manifest | None:
    if not (root / MANIFEST).exists():
        return None
    try:
        return read_manifest(root)
    except ManifestError as exc:
        raise ExportError(
            f"{root} holds a manifest this socialscope cannot update ({exc}); "
            "export into an empty directory"
        ) from None


def _check_store(store: Store) -> None:
    """A store opened read-only is neither migrated nor re-derived: refuse an old one
    rather than export tables this code would not compute that way."""
    hint = "open it once for writing (e.g. `socialscope settings`) to bring it up to date"
    version = current_version(store.con)
    if version != SCHEMA_VERSION:
        raise ExportError(
            f"the store has schema version {version}, this socialscope {SCHEMA_VERSION}: {hint}"
        )
    row = store.con.execute("SELECT value FROM _meta WHERE key = ?", [DERIVED_VERSION_KEY])
    derived = row.fetchone()
    if not derived or derived[0] != str(DERIVED_VERSION):
        found = derived[0] if derived else "none"
        raise ExportError(
            f"the store's derived tables are version {found}, this socialscope "
            f"{DERIVED_VERSION}: {hint}"
        )


def _check_partial(
    old: Manifest | None, shops: Sequence[str] | None, tables: Sequence[str] | None
) -> None:
    """A shop- or table-limited export keeps the rest of the old export: only safe when
    that rest has the store's schema."""
    if old is None or (not shops and not tables):
        return
    mine = (SCHEMA_VERSION, DERIVED_VERSION)
    theirs = (old.schema_version, old.derived_version)
    if theirs != mine:
        raise ExportError(
            f"the export in this directory has schema version {theirs[0]} (derived "
            f"{theirs[1]}), the store {mine[0]} (derived {mine[1]}): export every shop and "
            "table once (no --shop / --tables)"
        )


def _shop_scope(con: duckdb.DuckDBPyConnection, shops: Sequence[str] | None) -> bool:
    if not shops:
        return False
    arrow = pa.table({"shop_id": pa.array(list(dict.fromkeys(shops)), pa.string())})
    con.register(SCOPE, arrow)
    return True


def _clean(root: Path, keep: set[str], table_names: set[str]) -> list[str]:
    """Delete part files and temp files under the table directories that the manifest
    does not reference (superseded partitions, leftovers of a crashed export)."""
    deleted: list[str] = []
    for name in sorted(table_names):
        base = root / name
        if not base.is_dir() or base.is_symlink():
            continue
        for dirpath, _dirnames, filenames in os.walk(base, topdown=False):
            here = Path(dirpath)
            for fname in filenames:
                rel = (here / fname).relative_to(root).as_posix()
                ours = files.is_temp(fname) or (
                    fname.startswith("part-") and fname.endswith(".parquet")
                )
                if ours and rel not in keep:
                    (here / fname).unlink()
                    deleted.append(rel)
            if here != base and not any(here.iterdir()):
                here.rmdir()
        if not any(base.iterdir()):
            base.rmdir()
    for staging in root.glob(f"{files.STAGING_PREFIX}*"):
        if staging.is_dir() and not staging.is_symlink():
            shutil.rmtree(staging)
            deleted.append(staging.name + "/")
    stale = root / files.temp_name(MANIFEST)
    if stale.exists():
        stale.unlink()
    return deleted


def export_parquet(
    store: Store,
    directory: str | os.PathLike[str],
    *,
    shops: Sequence[str] | None = None,
    tables: Sequence[str] | None = None,
    fmt: str = "parquet",
    checkpoint: Checkpoint = _no_checkpoint,
) -> ExportReport:
    """Export (or bring up to date) DIR from the store; see docs/storage-layout.md."""
    if fmt not in SUPPORTED_FORMATS:
        raise ExportError(
            f"--format {fmt!r} is not supported; formats: {', '.join(SUPPORTED_FORMATS)}"
        )
    try:
        chosen = resolve_tables(list(tables or []))
    except ValueError as exc:
        raise ExportError(str(exc)) from None
    if shops is not None and any(not s for s in shops):
        raise ExportError("--shop: a shop id cannot be empty")
    root = Path(directory)
    if root.exists() and not root.is_dir():
        raise ExportError(f"{root} exists and is not a directory")
    _check_store(store)
    root.mkdir(parents=True, exist_ok=True)
    with files.DirectoryLock(root):
        old = _previous(root)
        _check_partial(old, shops, tables)
        cur = store.cursor()
        try:
            cur.con.execute("BEGIN TRANSACTION")  # one snapshot for hashes and files
            report, manifest = _export_locked(cur.con, store, root, old, shops, chosen, checkpoint)
            cur.con.execute("COMMIT")
        finally:
            cur.close()
        text = manifest.dumps()
        tmp = files.write_temp_text(root / MANIFEST, text)
        checkpoint("manifest_written")
        os.replace(tmp, root / MANIFEST)
        files.fsync_dir(root)
        checkpoint("manifest_replaced")
        names = set(EXPORT_TABLES) | set(manifest.tables) | set(old.tables if old else ())
        report.deleted_files = _clean(root, manifest.files(), names)
        checkpoint("cleaned")
    return report


def _export_locked(
    con: duckdb.DuckDBPyConnection,
    store: Store,
    root: Path,
    old: Manifest | None,
    shops: Sequence[str] | None,
    chosen: list[ExportTable],
    checkpoint: Checkpoint,
) -> tuple[ExportReport, Manifest]:
    report = ExportReport(root)
    scoped = _shop_scope(con, shops)
    wanted = set(shops or ())
    in_scope: Callable[[str], bool] = (lambda s: s in wanted) if wanted else (lambda s: True)
    old_tables = dict(old.tables) if old else {}
    if not shops and len(chosen) == len(EXPORT_TABLES):  # a full export: drop retired tables
        for name in [k for k in old_tables if k not in EXPORT_TABLES]:
            report.removed.extend(p.path for p in old_tables.pop(name).partitions)
    new_tables: dict[str, TableEntry] = dict(old_tables)
    ordered = [t for t in chosen if t.name != SETTINGS_TABLE]
    settings = [t for t in chosen if t.name == SETTINGS_TABLE]
    for table in [*ordered, *settings]:
        if table.name == SETTINGS_TABLE:
            shop_list = sorted(_exported_shops(new_tables, in_scope))
            con.register(SETTINGS_SHOPS, pa.table({"shop_id": pa.array(shop_list, pa.string())}))
        src = source(con, table, scoped)
        previous = old_tables.get(table.name)
        if previous is not None and shops and previous.columns != src.columns:
            raise ExportError(
                f"table {table.name}'s columns changed since the last export: export every "
                "shop once (no --shop)"
            )
        kept_before = {(p.shop_id, p.month): p for p in (previous.partitions if previous else ())}
        parts: list[Partition] = []
        planned = plan(con, src)
        planned_keys = {(p.shop_id, p.month) for p in planned}
        todo: list[Planned] = []
        for part in planned:
            before = kept_before.get((part.shop_id, part.month))
            if (
                before is not None
                and before.content_hash == part.content_hash
                and (root / before.path).is_file()
            ):
                parts.append(before)
                report.kept.append(before.path)
            else:
                todo.append(part)
        staging, staged = _stage(con, root, src, todo) if len(todo) >= BULK_MIN else (None, {})
        try:
            for written in _write_all(con, root, src, todo, staged):
                parts.append(written)
                report.written.append(written.path)
                checkpoint("file_written")
        finally:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
        for key, before in kept_before.items():
            if key in planned_keys:
                continue
            if in_scope(before.shop_id):
                report.removed.append(before.path)
            else:
                parts.append(before)  # another shop's partition, outside this export
        parts.sort(key=lambda p: (p.shop_id, p.month or ""))
        entry = TableEntry(table.kind.value, src.columns, tuple(parts), table.month_column)
        new_tables[table.name] = entry
        report.rows[table.name] = entry.rows
    checkpoint("files_written")
    ordered_tables = {n: new_tables[n] for n in EXPORT_TABLES if n in new_tables}
    ordered_tables.update({n: t for n, t in new_tables.items() if n not in ordered_tables})
    manifest = Manifest(
        schema_version=SCHEMA_VERSION,
        derived_version=DERIVED_VERSION,
        exported_at=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        source=store.path.name,
        tables=ordered_tables,
    )
    return report, manifest


def _exported_shops(new_tables: dict[str, TableEntry], in_scope: Callable[[str], bool]) -> set[str]:
    """Shops with rows in the export (for the per-shop settings copies)."""
    out: set[str] = set()
    for name, entry in new_tables.items():
        if name == SETTINGS_TABLE:
            continue
        out |= {p.shop_id for p in entry.partitions if in_scope(p.shop_id)}
    return out
