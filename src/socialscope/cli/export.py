"""`socialscope export`: the store as the open Parquet layout (docs/storage-layout.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from socialscope.cli.main import app, db_path, open_client
from socialscope.export import ExportError, ExportLockedError, ManifestError, verify


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


def _split(values: list[str] | None) -> list[str]:
    """Repeated options, each possibly a comma-separated list."""
    return [v.strip() for value in values or [] for v in value.split(",") if v.strip()]


@app.command("export")
def export(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="Export directory (created if absent).")],
    fmt: Annotated[
        str, typer.Option("--format", help="Output format; only parquet for now.")
    ] = "parquet",
    shop: Annotated[
        list[str] | None,
        typer.Option(
            "--shop", help="Only this shop (repeat for several); others' partitions are kept."
        ),
    ] = None,
    tables: Annotated[
        list[str] | None,
        typer.Option(
            "--tables", help="Only these tables (comma-separated or repeated); others are kept."
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--verify", help="Check DIR against its manifest instead (no store needed)."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Write the store as Parquet partitioned by shop and month, with a manifest;
    incremental (only changed partitions are rewritten) and atomic (readers that follow
    manifest.json never see a half-written export)."""
    if check:
        try:
            result = verify(directory)
        except ManifestError as exc:
            raise _fail(str(exc)) from None
        if as_json:
            typer.echo(json.dumps(result.to_json(), ensure_ascii=False))
        else:
            for problem in result.problems:
                typer.echo(f"problem: {problem}", err=True)
            verdict = "ok" if result.ok else f"{len(result.problems)} problem(s)"
            typer.echo(f"{directory}: {result.files} files, {result.rows} rows: {verdict}")
        if not result.ok:
            raise typer.Exit(1)
        return
    if not db_path(ctx).exists():
        raise _fail(f"no store at {db_path(ctx)} (--db or $SOCIALSCOPE_DB)")
    with open_client(ctx, read_only=True) as client:
        try:
            report = client.export_parquet(
                directory,
                shops=list(shop) if shop else None,
                tables=_split(tables) or None,
                fmt=fmt,
            )
        except (ExportError, ExportLockedError) as exc:
            raise _fail(str(exc)) from None
    if as_json:
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        typer.echo(report.summary())
