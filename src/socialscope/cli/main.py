"""The `socialscope` command: a global --db option and one sub-command module per job."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import duckdb
import typer

from socialscope.client import Client
from socialscope.engines.base import ReadOnlyEngineError
from socialscope.engines.select import ENGINES
from socialscope.store.duckdb import DB_ENV, Store, resolve_db_path

ENGINE_ENV = "SOCIALSCOPE_ENGINE"
DATA_ENV = "SOCIALSCOPE_DATA"
URL_ENV = "SOCIALSCOPE_ENGINE_URL"

app = typer.Typer(
    name="socialscope",
    help="Social-commerce analytics: chats, lives, posts and staff to orders.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _global(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            envvar=DB_ENV,
            help="The DuckDB store (default ./socialscope.duckdb).",
            show_envvar=True,
        ),
    ] = None,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            envvar=ENGINE_ENV,
            show_envvar=True,
            help="Where queries run: duckdb (the --db store) or pyspark (the Parquet export "
            "at --data, read-only; needs socialscope[spark]).",
        ),
    ] = "duckdb",
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            envvar=DATA_ENV,
            show_envvar=True,
            help="With --engine pyspark: the directory of `socialscope export --format "
            "parquet DIR`.",
        ),
    ] = None,
    engine_url: Annotated[
        str | None,
        typer.Option(
            "--engine-url",
            envvar=URL_ENV,
            show_envvar=True,
            help="Another Ibis backend by URL (clickhouse://..., trino://...), read-only; "
            "untested beyond DuckDB and PySpark (docs/engines.md).",
        ),
    ] = None,
) -> None:
    if engine not in ENGINES:
        raise typer.BadParameter(
            f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}",
            param_hint="--engine",
        )
    ctx.obj = {"db": db, "engine": engine, "data": data, "url": engine_url}


def engine_kind(ctx: typer.Context) -> str:
    """The engine the global options choose: duckdb, pyspark, or url (--engine-url)."""
    obj = ctx.obj or {}
    if obj.get("url"):
        return "url"
    return str(obj.get("engine") or "duckdb")


def require_duckdb(ctx: typer.Context) -> None:
    """ReadOnlyEngineError unless the global options chose the DuckDB store."""
    kind = engine_kind(ctx)
    if kind != "duckdb":
        raise ReadOnlyEngineError(kind)


def server_owner(ctx: typer.Context) -> Any:
    """The server that owns the --db store (route through it), or None; never with
    another engine, which reads its own data."""
    if engine_kind(ctx) != "duckdb":
        return None
    from socialscope.server.remote import owner

    return owner(db_path(ctx))


def db_path(ctx: typer.Context) -> Path:
    """The store the global --db option (or $SOCIALSCOPE_DB) names."""
    return resolve_db_path(ctx.obj["db"] if ctx.obj else None)


def open_store(ctx: typer.Context, *, read_only: bool = False) -> Store:
    """The store, or StoreBusyError (a clear message) when another process owns it;
    ReadOnlyEngineError when the global options chose another engine."""
    require_duckdb(ctx)
    path = db_path(ctx)
    try:
        return Store(path, read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" not in str(exc).lower():
            raise
        from socialscope.server.remote import StoreBusyError, owner

        raise StoreBusyError(path, owner(path)) from None


def open_client(ctx: typer.Context, *, read_only: bool = False, store: bool = False) -> Client:
    """The client for the global options: the --db store (StoreBusyError while a server
    owns it), or a read-only client on the chosen engine (--engine pyspark --data DIR,
    --engine-url URL). `store`: the command reads or changes the DuckDB store itself
    (settings, keywords, calendars, demo): ReadOnlyEngineError on another engine."""
    if store or engine_kind(ctx) == "duckdb":
        return Client.over(open_store(ctx, read_only=read_only))
    from socialscope.engines.select import open_engine

    obj = ctx.obj or {}
    return Client.over_engine(open_engine(obj["engine"], data=obj.get("data"), url=obj.get("url")))


def _register() -> None:
    # Each module adds its own commands; importing them here keeps main.py small.
    from socialscope.cli import alerts as _alerts  # noqa: F401
    from socialscope.cli import anomalies as _anomalies  # noqa: F401
    from socialscope.cli import attribution as _attribution  # noqa: F401
    from socialscope.cli import audience as _audience  # noqa: F401
    from socialscope.cli import benchmarks as _benchmarks  # noqa: F401
    from socialscope.cli import calendar as _calendar  # noqa: F401
    from socialscope.cli import campaign as _campaign  # noqa: F401
    from socialscope.cli import demo as _demo  # noqa: F401
    from socialscope.cli import drilldown as _drilldown  # noqa: F401
    from socialscope.cli import export as _export  # noqa: F401
    from socialscope.cli import funnel as _funnel  # noqa: F401
    from socialscope.cli import ingest as _ingest  # noqa: F401
    from socialscope.cli import keywords as _keywords  # noqa: F401
    from socialscope.cli import overview as _overview  # noqa: F401
    from socialscope.cli import products as _products  # noqa: F401
    from socialscope.cli import query as _query  # noqa: F401
    from socialscope.cli import report as _report  # noqa: F401
    from socialscope.cli import serve as _serve  # noqa: F401
    from socialscope.cli import settings as _settings  # noqa: F401
    from socialscope.cli import staff as _staff  # noqa: F401
    from socialscope.cli import top_posts as _top_posts  # noqa: F401

    # Commands register as their modules are imported, and a module may have been imported
    # earlier (by a test, the server, a tool): sort them so help and docs never depend on it.
    app.registered_commands.sort(
        key=lambda c: c.name or getattr(c.callback, "__name__", "").replace("_", "-")
    )
    app.registered_groups.sort(key=lambda g: g.name or "")


def main() -> None:
    from socialscope.engines.manifest import ManifestError
    from socialscope.engines.pyspark import EngineUnavailableError
    from socialscope.engines.select import EngineChoiceError
    from socialscope.server.remote import RemoteError, StoreBusyError

    _register()
    try:
        app()
    except (StoreBusyError, RemoteError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise SystemExit(3) from None
    except (ReadOnlyEngineError, EngineUnavailableError, EngineChoiceError, ManifestError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise SystemExit(2) from None
