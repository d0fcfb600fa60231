"""`socialscope staff`: the supervisor's per-agent table."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from socialscope.cli.main import app, open_client
from socialscope.cli.overview import short_label, wide_console
from socialscope.cli.query import parse_pairs
from socialscope.cli.render import Format, emit
from socialscope.metrics.query import QueryError
from socialscope.overview import default_period
from socialscope.staff_view import SUPERVISOR_SERVICE_METRICS, staff_columns, staff_rows


@app.command()
def staff(
    ctx: typer.Context,
    shop: Annotated[
        str | None, typer.Option("--shop", help="Shop id (default: every shop).")
    ] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="First local date.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last local date.")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", help="NAME=VALUE, e.g. threshold_s=120.")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TABLE,
) -> None:
    """Per agent: customers served, conversations, 3-minute rate, first and average response,
    csat, and orders / sales / net paid (attributed), also by message center, live and post.
    Default period: the last 30 days of the shop's data."""
    try:
        params = {k: ",".join(v) for k, v in parse_pairs(param or [], "--param").items()}
        start = date.fromisoformat(date_from) if date_from else None
        end = date.fromisoformat(date_to) if date_to else None
        with open_client(ctx) as client:
            shops = [shop] if shop else sorted(client.shops())
            if not shops:
                raise QueryError("the store holds no shops yet: import data first")
            if shop is not None and shop not in client.shops():
                raise QueryError(f"unknown shop {shop!r}")
            tables = []
            for s in shops:
                s_from, s_to = (start, end) if start and end else default_period(client, s)
                rows = staff_rows(
                    client, s, s_from, s_to, SUPERVISOR_SERVICE_METRICS, params=params
                )
                tables.append((s, s_from, s_to, [{"shop_id": s, **r} for r in rows]))
    except (QueryError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    columns = ["shop_id", *staff_columns(SUPERVISOR_SERVICE_METRICS)]
    if fmt is Format.TABLE:
        console = wide_console()
        short = [
            "name",
            *SUPERVISOR_SERVICE_METRICS,
            "order_count",
            "sales_amount",
            "net_paid_amount",
        ]
        for s, s_from, s_to, rows in tables:
            emit(
                rows,
                short,
                fmt,
                console=console,
                title=f"Staff — {s} · {s_from} – {s_to}",
                headers={m: short_label(m) for m in short if m != "name"},
            )
        return
    emit([r for *_, rows in tables for r in rows], columns, fmt)
