"""`socialscope ingest` (files into the store) and `socialscope quarantine` (rejected rows).

`ingest --format json` prints exactly ``{"tables": {NAME: {"stored": n, "duplicates": n,
"updated": n, "quarantined": n}}}`` on stdout; messages and the progress bar go to stderr.
Exit codes: 0 done; 1 with ``--strict`` when a row was quarantined; 2 when a whole file
was refused (unknown table, missing required column, unreadable, unsupported type).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn
from rich.table import Table

from socialscope.cli.main import app, db_path, open_store, require_duckdb
from socialscope.cli.render import Format, emit
from socialscope.ingest.loader import IngestError, IngestReport, ProgressFn, ingest_paths
from socialscope.server.discovery import ServerInfo
from socialscope.server.remote import owner

PROGRESS_MIN_BYTES = 1 << 20
"""Show a progress bar only for imports at least this large (and on a terminal)."""


class ReportFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


@contextmanager
def _progress(paths: list[Path], console: Console) -> Iterator[ProgressFn | None]:
    """A rich progress bar on stderr for long imports, as a loader progress callback."""
    size = sum(f.stat().st_size for p in paths for f in ([p] if p.is_file() else p.glob("*.*")))
    if not console.is_terminal or size < PROGRESS_MIN_BYTES:
        yield None
        return
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("importing", total=size)

        def advance(done: int, total: int) -> None:
            bar.update(task, advance=done, total=total)

        yield advance


def _report_table(report: IngestReport) -> Table:
    table = Table(title="import")
    table.add_column("table")
    for name in ("stored", "duplicates", "updated", "quarantined"):
        table.add_column(name, justify="right")
    for name, counts in report.tables.items():
        c = counts.to_dict()
        table.add_row(
            name, *(f"{c[k]:,}" for k in ("stored", "duplicates", "updated", "quarantined"))
        )
    return table


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(help="Files (<table>.csv|.ndjson|.jsonl|.parquet) or directories."),
    ],
    table: Annotated[
        str | None,
        typer.Option("--table", help="Canonical table of a file (default: the file's stem)."),
    ] = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", help="Report as a table or as JSON.")
    ] = ReportFormat.TABLE,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when any row was quarantined.")
    ] = False,
) -> None:
    """Import files into the store: validate, quarantine bad rows, upsert by key."""
    err = Console(stderr=True)
    require_duckdb(ctx)
    server = owner(db_path(ctx))
    if server is not None:
        _remote_ingest(server, paths, table, fmt, strict, err)
        return
    try:
        with open_store(ctx) as store, _progress(paths, err) as progress:
            report = ingest_paths(store, paths, table=table, progress=progress)
    except IngestError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if fmt is ReportFormat.JSON:
        typer.echo(json.dumps(report.to_dict()))
    else:
        Console().print(_report_table(report))
        if report.quarantined_total:
            err.print(
                f"{report.quarantined_total:,} row(s) quarantined; see `socialscope quarantine`"
            )
    if strict and report.quarantined_total:
        raise typer.Exit(1)


def _remote_ingest(
    server: ServerInfo,
    paths: list[Path],
    table: str | None,
    fmt: ReportFormat,
    strict: bool,
    err: Console,
) -> None:
    """Import through the server that owns the store (it reads the same files)."""
    from socialscope.server import remote

    result = remote.ingest(server, paths, table)
    quarantined = sum(int(c.get("quarantined", 0)) for c in result.get("tables", {}).values())
    if fmt is ReportFormat.JSON:
        typer.echo(json.dumps(result))
    else:
        out = Table(title=f"Imported through the server at {server.url}", title_justify="left")
        counted = ("stored", "duplicates", "updated", "quarantined")
        out.add_column("table")
        for col in counted:
            out.add_column(col, justify="right")
        for name, counts in result.get("tables", {}).items():
            out.add_row(name, *(f"{int(counts.get(c, 0)):,}" for c in counted))
        Console().print(out)
        if quarantined:
            err.print(f"{quarantined:,} row(s) quarantined; see `socialscope quarantine`")
    if strict and quarantined:
        raise typer.Exit(1)


QUARANTINE_COLUMNS = ("table", "source", "line", "column", "reason", "raw")


@app.command()
def quarantine(
    ctx: typer.Context,
    table: Annotated[str | None, typer.Option("--table", help="Only this table.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=0, help="At most N rows.")] = 50,
    fmt: Annotated[Format, typer.Option("--format", help="table, json or csv.")] = Format.TABLE,
) -> None:
    """List rows rejected by imports (newest first): where from, which column and why."""
    where, params = ("WHERE table_name = ?", [table]) if table else ("", [])
    with open_store(ctx) as store:
        cur = store.con.execute(
            'SELECT table_name, source, line, "column", reason, CAST(raw AS VARCHAR) '
            f"FROM _quarantine {where} "
            "ORDER BY quarantined_at DESC, table_name, source, line LIMIT ?",
            [*params, limit],
        )
        rows: list[dict[str, Any]] = [
            dict(zip(QUARANTINE_COLUMNS, r, strict=True)) for r in cur.fetchall()
        ]
    emit(rows, QUARANTINE_COLUMNS, fmt, title="quarantine")
