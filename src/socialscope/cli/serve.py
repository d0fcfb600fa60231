"""`socialscope serve`: webhooks, the HTTP API and the dashboard on one port (intake processes
beside the process that owns the store: docs/server.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from socialscope.cli.main import app
from socialscope.config import CONFIG_ENV, ConfigError, load_config
from socialscope.store.duckdb import resolve_db_path


@app.command()
def serve(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            envvar=CONFIG_ENV,
            show_envvar=True,
            help="TOML configuration: shops, API keys, platform secrets, [server].",
        ),
    ] = None,
    host: Annotated[
        str | None, typer.Option(help="Interface to listen on (default 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
) -> None:
    """Serve the webhooks, the HTTP API (OpenAPI at /docs) and own the store until stopped.

    While it runs, other socialscope commands on the same store go through it.
    """
    from socialscope.server.runtime import serve as run

    try:
        cfg = load_config(config)
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    db = resolve_db_path(ctx.obj["db"] if ctx.obj else None)
    run(cfg, db, host=host, port=port)
