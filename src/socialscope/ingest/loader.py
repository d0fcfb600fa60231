"""Import files or Arrow tables into the store: stage, validate, quarantine, upsert.

Each file (or Arrow table) is read into connection-local temporary tables (staging and
typing never touch the database file), then ONE transaction writes the quarantine rows,
the upsert, the `_imports` log line and any local-time recomputation: a process killed
half-way leaves the store as it was. ``shops`` is always loaded first so that the time
zones of the same import apply to the naive timestamps of the other tables. After each
commit, `store.derive.refresh_changes` brings the derived tables up to date: below the
shop level from the old and new versions of the rows the import changed (merge `track`),
whole shops where the shops table changed.

Progress: pass ``progress(advance_bytes, total_bytes)``; it is called three times per
file (after reading, after quarantining — inside the transaction — and after commit) with
the bytes done since the last call and the total size of the import. Arrow tables count
their in-memory size.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from socialscope.contract.tables import TABLES, TableSpec
from socialscope.ingest import readers
from socialscope.ingest.merge import CHANGED, MergeResult, merge, recompute_local_twins
from socialscope.ingest.readers import Format, ReadError, Staged
from socialscope.ingest.validate import (
    PROBLEM,
    ROW_ID,
    missing_required,
    qi,
    typed_statements,
)
from socialscope.store import derive
from socialscope.store.derive import SOURCE_TABLES, TRACKED, Changes
from socialscope.store.duckdb import Store

ProgressFn = Callable[[int, int], None]
STAGE = "__ss_stage"
TYPED = "__ss_typed"
TEMP_TABLES = (STAGE, TYPED, "__ss_a", "__ss_zone", "__ss_batch", "__ss_hits", CHANGED)
CHANGES = "__ss_changes_"
"""Prefix of the temp tables collecting, per tracked table, the rows an import changed."""
STEPS = (0.6, 0.25, 0.15)
"""Share of a file's bytes reported after reading, validating and upserting it."""


class IngestError(Exception):
    """A whole file (or table) cannot be imported; nothing of it was stored."""


@dataclass
class TableCounts:
    """Rows of one table: stored new, duplicates, updated (replaced), quarantined."""

    stored: int = 0
    duplicates: int = 0
    updated: int = 0
    quarantined: int = 0

    def add(self, other: TableCounts) -> None:
        self.stored += other.stored
        self.duplicates += other.duplicates
        self.updated += other.updated
        self.quarantined += other.quarantined

    def to_dict(self) -> dict[str, int]:
        return {
            "stored": self.stored,
            "duplicates": self.duplicates,
            "updated": self.updated,
            "quarantined": self.quarantined,
        }


@dataclass
class IngestReport:
    """Counts per table for one import (one batch_id)."""

    batch_id: str
    tables: dict[str, TableCounts] = field(default_factory=dict)

    @property
    def quarantined_total(self) -> int:
        return sum(c.quarantined for c in self.tables.values())

    def to_dict(self) -> dict[str, dict[str, dict[str, int]]]:
        return {"tables": {name: c.to_dict() for name, c in self.tables.items()}}

    def _add(self, table: str, counts: TableCounts) -> None:
        self.tables.setdefault(table, TableCounts()).add(counts)


@dataclass(frozen=True)
class _Job:
    spec: TableSpec
    source: str
    size: int
    path: Path | None = None
    fmt: Format | None = None
    data: Any = None


def _spec(name: str, source: str) -> TableSpec:
    spec = TABLES.get(name)
    if spec is None:
        raise IngestError(f"{source}: unknown table {name!r}; tables are: {', '.join(TABLES)}")
    return spec


def _order(jobs: Iterable[_Job]) -> list[_Job]:
    """Dependency order: shops first, then SCHEMA.md order; stable within a table."""
    rank = {name: i for i, name in enumerate(TABLES)}
    return sorted(jobs, key=lambda j: rank[j.spec.name])


def _file_job(path: Path, table: str | None) -> _Job:
    if not path.is_file():
        raise IngestError(f"{path}: no such file")
    fmt = readers.format_of(path)
    if fmt is None:
        raise IngestError(
            f"{path}: unsupported file type {path.suffix!r} (use {', '.join(readers.SUFFIXES)})"
        )
    return _Job(_spec(table or path.stem, str(path)), str(path), path.stat().st_size, path, fmt)


def plan(paths: Sequence[Path], table: str | None = None) -> list[_Job]:
    """The files an import will load, in load order (a directory gives its <table>.* files)."""
    jobs: list[_Job] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.iterdir()):
                if child.is_file() and child.stem in TABLES and readers.format_of(child):
                    jobs.append(_file_job(child, None))
        elif path.exists():
            jobs.append(_file_job(path, table))
        else:
            raise IngestError(f"{path}: no such file or directory")
    return _order(jobs)


def ingest_paths(
    store: Store,
    paths: Sequence[Path | str],
    table: str | None = None,
    progress: ProgressFn | None = None,
    source: str | None = None,
) -> IngestReport:
    """Import files and directories; raises IngestError on the first whole-file problem.

    Files loaded before the failing one stay committed; the failing file stores nothing.
    ``source`` replaces the file path as the label of the quarantine rows, the import log
    and error messages (e.g. the HTTP request a temporary file came from).
    """
    jobs = plan([Path(p) for p in paths], table)
    if source is not None:
        jobs = [replace(j, source=source) for j in jobs]
    return _run(store, jobs, progress)


def ingest_arrow(
    store: Store,
    tables: Mapping[str, Any],
    source: str = "arrow",
    progress: ProgressFn | None = None,
) -> IngestReport:
    """Import Arrow tables by canonical table name through the same validation path.

    Quarantine rows get source ``<source>/<table>`` and the 0-based row index as line.
    """
    jobs = [
        _Job(
            _spec(name, f"{source}/{name}"),
            f"{source}/{name}",
            int(getattr(t, "nbytes", 0)),
            data=t,
        )
        for name, t in tables.items()
    ]
    return _run(store, _order(jobs), progress)


def _run(store: Store, jobs: list[_Job], progress: ProgressFn | None) -> IngestReport:
    report = IngestReport(batch_id=uuid.uuid4().hex)
    total = sum(j.size for j in jobs)

    def tick(job: _Job, step: int) -> None:
        if progress is not None:
            progress(round(job.size * STEPS[step]), total)

    # DuckDB's own progress bar writes to stdout, which must stay clean for --format json.
    row = store.con.execute("SELECT current_setting('enable_progress_bar')").fetchone()
    store.con.execute("SET enable_progress_bar = false")
    touched: set[str] = set()
    whole: set[str] = set()  # shops to rebuild whole (the shops table changed)
    changed: dict[str, str] = {}  # tracked table -> temp table of its changed rows
    try:
        for job in jobs:
            counts, shops = _load_one(store, job, report.batch_id, tick, changed)
            report._add(job.spec.name, counts)
            if job.spec.name in SOURCE_TABLES:
                touched |= shops
                if job.spec.name not in TRACKED:
                    whole |= shops
    finally:
        # Once per import, not per file: files already committed are derived even when a
        # later file fails.
        try:
            if touched:
                derive.refresh(store, Changes(touched, changed, whole))
        finally:
            for table in changed.values():
                store.con.execute(f"DROP TABLE IF EXISTS {table}")
            store.con.execute(f"SET enable_progress_bar = {bool(row and row[0])}")
    return report


def _load_one(
    store: Store,
    job: _Job,
    batch_id: str,
    tick: Callable[[_Job, int], None],
    changed: dict[str, str],
) -> tuple[TableCounts, set[str]]:
    """Load one file/table in one transaction; returns its counts and the shops touched.

    For a TRACKED table, the tracked columns of the rows it changed (old and new
    versions) are appended to the temp table `changed[table]`, in the same transaction.
    """
    con = store.con
    now = datetime.now(UTC).replace(tzinfo=None)
    try:
        # Staging and typing touch temporary tables only (connection-local, never in
        # the database file), so they run before the transaction: scanning a temp table
        # created inside the transaction is about twice as slow.
        staged = _stage(con, job)
        tick(job, 0)
        missing = missing_required(job.spec, staged.columns)
        if missing:
            raise IngestError(
                f"{job.source}: missing required column{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)} for table {job.spec.name}; nothing imported from it"
            )
        for sql in typed_statements(job.spec, STAGE, staged.columns, TYPED):
            con.execute(sql)
        con.execute("BEGIN TRANSACTION")
        try:
            quarantined = _quarantine(con, job, staged, batch_id, now)
            tick(job, 1)
            track = TRACKED.get(job.spec.name, ())
            result: MergeResult = merge(con, job.spec, TYPED, job.source, now, track)
            if track and (result.stored or result.updated):
                name = job.spec.name
                if name not in changed:
                    con.execute(f"CREATE OR REPLACE TEMP TABLE {CHANGES}{name} AS FROM {CHANGED}")
                else:
                    con.execute(f"INSERT INTO {CHANGES}{name} FROM {CHANGED}")
            if result.timezone_changes:
                recompute_local_twins(con, list(TABLES.values()), result.timezone_changes)
            counts = TableCounts(result.stored, result.duplicates, result.updated, quarantined)
            con.execute(
                "INSERT INTO _imports VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    batch_id,
                    job.spec.name,
                    job.source,
                    counts.stored,
                    counts.duplicates,
                    counts.updated,
                    counts.quarantined,
                    now,
                ],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        if track and (result.stored or result.updated):
            changed[job.spec.name] = f"{CHANGES}{job.spec.name}"
    finally:
        for table in TEMP_TABLES:
            con.execute(f"DROP TABLE IF EXISTS {table}")
    tick(job, 2)
    return counts, result.shops


def _stage(con: duckdb.DuckDBPyConnection, job: _Job) -> Staged:
    try:
        if job.path is not None and job.fmt is not None:
            return readers.stage_file(con, job.path, job.fmt, STAGE)
        return readers.stage_arrow(con, job.data, STAGE)
    except ReadError as exc:
        raise IngestError(f"{job.source}: cannot read {job.spec.name} data: {exc}") from exc


def _quarantine(
    con: duckdb.DuckDBPyConnection, job: _Job, staged: Staged, batch_id: str, now: datetime
) -> int:
    """Copy every bad row, with its raw values as JSON, into _quarantine; returns the count."""
    row = con.execute(f"SELECT count(*) FROM {TYPED} WHERE {PROBLEM} IS NOT NULL").fetchone()
    count = int(row[0]) if row else 0
    if not count:
        return 0
    fields = ", ".join(f"{qi(c)} := CAST(s.{qi(c)} AS VARCHAR)" for c in staged.columns)
    raw = f"to_json(struct_pack({fields}))" if staged.columns else "NULL"
    lines = f"SELECT s.rowid AS rid, {readers.line_sql(con, staged)} AS line FROM {STAGE} s"
    con.execute(
        "INSERT INTO _quarantine SELECT ?, ?, ?, l.line, "
        f"split_part(t.{PROBLEM}, chr(31), 1), split_part(t.{PROBLEM}, chr(31), 2), "
        f"NULLIF(trim(CAST(s.shop_id AS VARCHAR)), ''), {raw}, CAST(? AS TIMESTAMP) "
        f"FROM {TYPED} t JOIN {STAGE} s ON s.rowid = t.{ROW_ID} "
        f"JOIN ({lines}) l ON l.rid = t.{ROW_ID} "
        f"WHERE t.{PROBLEM} IS NOT NULL ORDER BY t.{ROW_ID}",
        [batch_id, job.spec.name, job.source, now],
    )
    return count
