"""The `socialscope` command: a global --db option and one sub-command module per job."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import duckdb
import typer

from socialscope.client import Client
from socialscope.store.duckdb import DB_ENV, Store, resolve_db_path

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
) -> None:
    ctx.obj = {"db": db}


def db_path(ctx: typer.Context) -> Path:
    """The store the global --db option (or $SOCIALSCOPE_DB) names."""
    return resolve_db_path(ctx.obj["db"] if ctx.obj else None)


def open_store(ctx: typer.Context, *, read_only: bool = False) -> Store:
    """The store, or StoreBusyError (a clear message) when another process owns it."""
    path = db_path(ctx)
    try:
        return Store(path, read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" not in str(exc).lower():
            raise
        from socialscope.server.remote import StoreBusyError, owner

        raise StoreBusyError(path, owner(path)) from None


def open_client(ctx: typer.Context, *, read_only: bool = False) -> Client:
    """The client for the global --db option (StoreBusyError while a server owns the store)."""
    return Client.over(open_store(ctx, read_only=read_only))


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
    from socialscope.server.remote import RemoteError, StoreBusyError

    _register()
    try:
        app()
    except (StoreBusyError, RemoteError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise SystemExit(3) from None
