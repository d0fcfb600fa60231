"""`socialscope anomalies`: a metric's points outside their expected band, explained."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

import typer

from socialscope.cli.main import app, open_client
from socialscope.cli.overview import wide_console
from socialscope.cli.query import parse_pairs
from socialscope.cli.render import rich_table
from socialscope.insights import Anomaly, find_anomalies
from socialscope.metrics.query import QueryError


class AnomalyFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


@app.command("anomalies")
def anomalies_command(
    ctx: typer.Context,
    metric: Annotated[
        str, typer.Argument(help="A metric with a daily series (see `metrics list`).")
    ],
    by: Annotated[
        str | None, typer.Option("--by", help="DIM[,DIM...]: one series per slice.")
    ] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="First local date evaluated (default: 30 days).")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Last local date (default: the data's last).")
    ] = None,
    sensitivity: Annotated[
        float, typer.Option("--sensitivity", help="Band half-width in robust σ (higher: fewer).")
    ] = 3.0,
    grain: Annotated[str, typer.Option("--grain", help="day | hour | week | month")] = "day",
    shop: Annotated[
        str | None, typer.Option("--shop", help="Shop id (needed when the store holds several).")
    ] = None,
    where: Annotated[
        list[str] | None, typer.Option("--where", help="DIM=VALUE[,VALUE]; repeatable.")
    ] = None,
    no_explain: Annotated[
        bool, typer.Option("--no-explain", help="Only the flagged points, no explanations.")
    ] = False,
    fmt: Annotated[
        AnomalyFormat, typer.Option("--format", help="table | json (one object per point).")
    ] = AnomalyFormat.TABLE,
) -> None:
    """Flag the points of a metric's daily (hourly, weekly, monthly) series outside a robust
    band (the same weekday's median over 8 weeks — for weeks/months the previous 8 weeks /
    12 months — + recent trend, ± sensitivity × σ from the MAD),
    each with what happened around it: posts, lives, campaigns, new products, staff
    absences, big orders and refunds, most likely first. The history before --from is read
    automatically. See docs/anomalies.md."""
    try:
        with open_client(ctx, read_only=True) as client:
            found = find_anomalies(
                client,
                metric,
                shop=shop,
                date_from=date_from,
                date_to=date_to,
                by=by,
                grain=grain,
                sensitivity=sensitivity,
                where=parse_pairs(where or [], "--where") or None,
                explain=not no_explain,
            )
    except (QueryError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if fmt is AnomalyFormat.JSON:
        print(json.dumps([a.to_json() for a in found], ensure_ascii=False, indent=2))
        return
    rows = [_table_row(a) for a in found]
    dims = list(found[0].dims) if found else []
    columns = [*dims, "when", "value", "expected", "band", "change", "explanations"]
    title = f"Anomalies — {metric}" + ("" if found else " (none flagged)")
    wide_console().print(rich_table(rows, columns, title))


def _table_row(a: Anomaly) -> dict[str, Any]:
    when = a.hour.isoformat(sep=" ", timespec="minutes") if a.hour else str(a.date)
    change = "n/a" if a.deviation_pct is None else f"{a.deviation_pct:+.0%}"
    return {
        **a.dims,
        "when": when,
        "value": a.value,
        "expected": a.expected,
        "band": f"{a.low:,.2f} – {a.high:,.2f}",
        "change": f"{change} {'▲' if a.direction == 'up' else '▼'}",
        "explanations": "\n".join(e.label for e in a.explanations[:3]) or "—",
    }
