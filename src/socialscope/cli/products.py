"""`socialscope products`: product traffic (METRICS.md section 9) — per product or
category, the funnel exposure → click → add to cart → order → paid by traffic source and
the main-channel verdict."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from socialscope.cli.main import app, open_client
from socialscope.cli.overview import wide_console
from socialscope.cli.render import Format, emit
from socialscope.metrics.query import QueryError
from socialscope.products import (
    DEFAULT_LIMIT,
    DEFAULT_MIN_CLICK_USERS,
    DEFAULT_SORT,
    ProductsResult,
)


def _columns(result: ProductsResult) -> list[str]:
    rows = result.table()
    return list(dict.fromkeys(c for r in rows for c in r)) if rows else [result.request.key]


@app.command("products")
def products_command(
    ctx: typer.Context,
    shop: Annotated[
        str | None, typer.Option("--shop", help="Shop id (default: the store's only shop).")
    ] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="First local date.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last local date.")] = None,
    by: Annotated[str, typer.Option("--by", help="product or category.")] = "product",
    source: Annotated[
        list[str] | None,
        typer.Option("--source", help="Only these traffic sources (repeat or a,b)."),
    ] = None,
    category: Annotated[
        list[str] | None, typer.Option("--category", help="Only these categories.")
    ] = None,
    currency: Annotated[
        str | None,
        typer.Option("--currency", help="GMV and buyers of orders in this currency only."),
    ] = None,
    compare: Annotated[
        str | None, typer.Option("--compare", help="previous or yoy (totals and rows).")
    ] = None,
    sort: Annotated[str, typer.Option("--sort", help="Metric to rank by.")] = DEFAULT_SORT,
    ascending: Annotated[bool, typer.Option("--ascending", help="Smallest first.")] = False,
    limit: Annotated[int, typer.Option("--limit", help="Top N rows.")] = DEFAULT_LIMIT,
    min_click_users: Annotated[
        int,
        typer.Option(
            "--min-click-users",
            help="Click users a source needs to be the best-converting channel.",
        ),
    ] = DEFAULT_MIN_CLICK_USERS,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TABLE,
) -> None:
    """Per product (or category): exposure → click → add to cart → order → paid by traffic
    source with step rates, GMV, click-to-purchase rate, UV value and the main channel
    (highest GMV; best click-to-purchase among sources with --min-click-users click
    users). json prints the whole result (totals, funnels, verdicts); csv and table the
    flat rows ('*' = all sources)."""
    try:
        with open_client(ctx) as client:
            result = client.products(
                shop,
                date_from,
                date_to,
                by=by,
                sources=source,
                categories=category,
                currency=currency,
                compare=compare,
                sort=sort,
                ascending=ascending,
                limit=limit,
                min_click_users=min_click_users,
            )
    except (QueryError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if fmt is Format.JSON:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str))
        return
    if fmt is Format.CSV:
        emit(result.table(), _columns(result), fmt)
        return
    console = wide_console()
    kpis = [{"metric": k, "value": v} for k, v in result.totals.items() if "__" not in k]
    if result.request.compare:
        for row in kpis:
            row["previous"] = result.totals.get(f"{row['metric']}__previous")
            row["change_pct"] = result.totals.get(f"{row['metric']}__change_pct")
    title = f"Products — {result.shop} · {result.date_from} – {result.date_to}"
    if result.currency:
        title += f" · {result.currency}"
    emit(kpis, list(kpis[0]) if kpis else ["metric"], fmt, console=console, title=title)
    table = result.table()
    emit(table, _compact(result), fmt, console=console, title="Funnel by source ('*' = all)")


def _compact(result: ProductsResult) -> list[str]:
    """The table's columns: the funnel counts, money and verdict (csv has the rates)."""
    key = result.request.key
    return [
        key,
        "traffic_source",
        "exposure",
        "click",
        "add_to_cart",
        "order",
        "paid",
        "product_gmv",
        "click_to_purchase_rate",
        "gmv_channel",
        "conversion_channel",
    ]
