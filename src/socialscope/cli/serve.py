"""`socialscope serve`: webhooks, the HTTP API and the dashboard on one port (intake processes
beside the process that owns the store: docs/server.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from socialscope.cli.main import app, engine_kind
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

    While it runs, other socialscope commands on the same store go through it. With
    --engine pyspark --data DIR (or the config's [engine] section): the API and the
    dashboard read-only over that engine; ingest answers 409, webhooks 503.
    """
    from socialscope.server.runtime import serve as run

    try:
        cfg = load_config(config)
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    obj = ctx.obj or {}
    if engine_kind(ctx) != "duckdb":  # the global options win over the [engine] section
        kind, data, url, master = obj["engine"], obj.get("data"), obj.get("url"), None
    else:
        e = cfg.engine
        kind, data, url, master = e.kind, e.data, e.url, e.master
    if kind != "duckdb" or url is not None:
        from socialscope.client import Client
        from socialscope.engines.select import open_engine
        from socialscope.server.readonly import serve_read_only

        engine = open_engine(kind, data=data, url=url, master=master)
        serve_read_only(cfg, Client.over_engine(engine), host=host, port=port)
        return
    db = resolve_db_path(obj.get("db"))
    run(cfg, db, host=host, port=port)
