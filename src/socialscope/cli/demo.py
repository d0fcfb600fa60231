"""`socialscope demo`: load the realistic demo data set and print the overview."""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from socialscope.cli.main import app, open_client, require_duckdb
from socialscope.cli.overview import render_overview, wide_console
from socialscope.client import Client
from socialscope.overview import build_overview


@app.command()
def demo(
    ctx: typer.Context,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same data).")] = 7,
    days: Annotated[int, typer.Option(help="Days of history, ending today (UTC).")] = 90,
    no_serve: Annotated[
        bool,
        typer.Option("--no-serve", help="Only load and print; do not start the server."),
    ] = False,
    port: Annotated[int, typer.Option(help="Port of the server started afterwards.")] = 8000,
) -> None:
    """Generate demo data for every table (3 shops, 90 days), load it, print the overview,
    then serve the store (HTTP API; Ctrl-C stops) unless --no-serve.

    Rows of the demo shops already in the store are replaced; other shops are untouched.
    """
    from socialscope.demo._peers import add_peers
    from socialscope.demo.generate import DemoConfig, generate_demo
    from socialscope.ingest.loader import ingest_arrow
    from socialscope.store.maintenance import delete_shops

    require_duckdb(ctx)  # before generating: the demo loads into the DuckDB store
    console = wide_console()
    started = time.perf_counter()
    with console.status("Generating demo data…"):
        config = DemoConfig(seed=seed, days=days)
        tables = generate_demo(config)
    shops = [str(s) for s in tables["shops"].column("shop_id").to_pylist()]
    tables = add_peers(tables, seed, config.end_date, days)  # peer benchmark, destinations
    every_shop = [str(s) for s in tables["shops"].column("shop_id").to_pylist()]
    with open_client(ctx, store=True) as client:
        with console.status("Loading into the store…"):
            delete_shops(client.store, every_shop)
            report = ingest_arrow(client.store, tables, source="demo")
            client.invalidate()
        summary = Table(title="Demo data loaded", title_justify="left")
        for col in ("table", "stored", "duplicates", "updated", "quarantined"):
            summary.add_column(col, justify="left" if col == "table" else "right")
        for name, counts in report.tables.items():
            summary.add_row(
                name,
                f"{counts.stored:,}",
                f"{counts.duplicates:,}",
                f"{counts.updated:,}",
                f"{counts.quarantined:,}",
            )
        console.print(summary)
        console.print(
            f"Store: {client.store.path} · loaded in {time.perf_counter() - started:.1f} s"
        )
        for shop in shops:
            render_overview(build_overview(client, shop), console)
        _peer_summary(client, shops[0], config.end_date, console)
    console.print(
        "Next: `socialscope --db "
        f"{client.store.path} query conversations,order_count --shop {shops[0]} --by channel`"
    )
    if no_serve:
        return
    _serve_demo(client.store.path, port, console)


def _peer_summary(client: Client, shop: str, end: date, console: Console) -> None:
    """One peer benchmark and the loss destinations of the last complete month."""
    from socialscope.demo._peers import destination_month

    bench = client.peer_benchmark("sales_amount", shop, end - timedelta(days=29), end)
    console.print(
        f"Peer benchmark — {shop} sales_amount (last 30 days): {bench.value} {bench.currency}, "
        f"percentile rank {bench.rank:.0f}, peers ({bench.peers}) p25 {bench.p25} · "
        f"p50 {bench.p50} · p75 {bench.p75} · p90 {bench.p90} (excellent value)"
        if bench.rank is not None
        else f"Peer benchmark — {shop} sales_amount: not enough peers ({bench.peers})"
    )
    month = f"{destination_month(end)[0]:%Y-%m}"
    dest = client.loss_destinations(shop, month)
    groups = ", ".join(f"{g.category} {g.price_band}: {g.users} users" for g in dest.groups)
    console.print(
        f"Loss destinations — {shop} {month}: {dest.lost_users} lost users; "
        f"{groups or 'no group of at least k users'} (socialscope loss-destinations)"
    )


def _serve_demo(db: Path, port: int, console: Console) -> None:
    """Serve the demo store; without a configured admin key, one is made for this run."""
    import secrets

    from pydantic import SecretStr

    from socialscope.config import load_config
    from socialscope.server.runtime import serve

    config = load_config(None)
    if config.admin_key is None:
        config = config.model_copy(update={"admin_key": SecretStr(secrets.token_urlsafe(18))})
    key = config.admin_key.get_secret_value() if config.admin_key else ""
    console.print(
        f"\nDashboard: [bold]http://127.0.0.1:{port}/[/bold] — sign in with the key "
        f"[bold]{key}[/bold] (valid while this server runs; API docs at /docs). Ctrl-C stops."
    )
    serve(config, db, port=port)
