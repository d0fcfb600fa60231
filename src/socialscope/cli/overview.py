"""`socialscope overview`: the Social Data Overview in the terminal (or as JSON)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from socialscope.cli.main import app, open_client
from socialscope.cli.render import Format, json_value, text_value
from socialscope.metrics.library.staff import STAFF_PERFORMANCE
from socialscope.metrics.query import QueryError
from socialscope.metrics.registry import REGISTRY
from socialscope.overview import INTERACTION_METRICS, SALES_METRICS, Overview, build_overview

SOURCE_LABELS = {"message_center": "Message center", "live": "Live", "post": "Post"}


def short_label(metric: str) -> str:
    """A metric's label without its parenthesised original term, for narrow columns."""
    return REGISTRY.get(metric).label.split(" (")[0]


def wide_console() -> Console:
    """Rich's default of 80 columns when piped squeezes the tables; use at least 120."""
    console = Console()
    return console if console.is_terminal else Console(width=max(console.width, 120))


def _change(row: dict[str, Any], metric: str) -> str:
    pct = row.get(f"{metric}__change_pct")
    prev = row.get(f"{metric}__previous")
    if pct is None:
        return "new" if (row.get(metric) or 0) and not prev else "–"
    arrow = "▲" if pct > 0 else ("▼" if pct < 0 else "=")
    return f"{arrow} {pct * 100:+.1f}%"


def _metric_table(
    title: str, rows: list[dict[str, Any]], key: str | None, metrics: tuple[str, ...]
) -> Table:
    table = Table(title=title, title_justify="left")
    if key:
        table.add_column(key.replace("_", " "))
    for m in metrics:
        table.add_column(short_label(m), justify="right")
        table.add_column("vs prev.", justify="right", style="dim")
    for r in rows:
        cells = [SOURCE_LABELS.get(str(r.get(key)), text_value(r.get(key)))] if key else []
        for m in metrics:
            cells += [text_value(r.get(m)), _change(r, m)]
        table.add_row(*cells)
    return table


def render_overview(ov: Overview, console: Console) -> None:
    console.rule(f"[bold]Social Data Overview — {ov.shop}[/]")
    console.print(
        f"{ov.date_from} – {ov.date_to} compared with {ov.previous_from} – {ov.previous_to}"
        + (f"  ·  amounts in {ov.currency}" if ov.currency else "")
    )
    total = {"channel": "All channels", **ov.interaction_total}
    console.print(
        _metric_table(
            "User interaction", [total, *ov.interaction_by_channel], "channel", INTERACTION_METRICS
        )
    )
    sales_total = {"source": "All three", **ov.sales_total}
    console.print(
        _metric_table(
            "Sales performance", [*ov.sales_by_source, sales_total], "source", SALES_METRICS
        )
    )
    staff = Table(title="Staff performance", title_justify="left")
    columns = ["name", *STAFF_PERFORMANCE]
    for c in columns:
        staff.add_column(
            short_label(c) if c in REGISTRY else "Staff",
            justify="left" if c == "name" else "right",
        )
    for r in ov.staff:
        staff.add_row(*(text_value(r.get(c)) for c in columns))
    console.print(staff)


def overview_json(ov: Overview) -> str:
    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, date | Decimal):
            return json_value(value)
        return value

    return json.dumps(clean(ov.to_dict()), ensure_ascii=False, indent=2)


@app.command()
def overview(
    ctx: typer.Context,
    shop: Annotated[
        str | None, typer.Option("--shop", help="Shop id (default: every shop).")
    ] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="First local date.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last local date.")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.TABLE,
) -> None:
    """SHOPLINE's Social Data Overview: interaction, sales and staff, vs the previous period."""
    try:
        start = date.fromisoformat(date_from) if date_from else None
        end = date.fromisoformat(date_to) if date_to else None
        with open_client(ctx) as client:
            shops = [shop] if shop else sorted(client.shops())
            if not shops:
                raise QueryError("the store holds no shops yet: import data first")
            overviews = [build_overview(client, s, start, end) for s in shops]
    except (QueryError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if fmt is Format.JSON:
        print("[" + ",\n".join(overview_json(o) for o in overviews) + "]")
        return
    console = wide_console()
    for ov in overviews:
        render_overview(ov, console)
