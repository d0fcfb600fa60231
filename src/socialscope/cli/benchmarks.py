"""`socialscope benchmarks`: the static platform benchmarks of METRICS.md section 10."""

from __future__ import annotations

from typing import Annotated

import typer

from socialscope.cli.main import app
from socialscope.cli.overview import wide_console
from socialscope.cli.render import Format, emit
from socialscope.platform_benchmarks import BENCHMARKS, benchmarks_for

COLUMNS: tuple[str, ...] = (
    "metric",
    "channel",
    "variant",
    "display",
    "low",
    "high",
    "unit",
    "kind",
    "source",
    "date",
    "note",
)
TABLE_COLUMNS: tuple[str, ...] = ("metric", "channel", "variant", "display", "source", "date")


@app.command()
def benchmarks(
    metric: Annotated[
        str | None, typer.Argument(help="A metric id (default: every benchmark).")
    ] = None,
    channel: Annotated[
        str | None,
        typer.Option("--channel", help="Only this channel's (and any-channel) benchmarks."),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TABLE,
) -> None:
    """Static benchmarks with their source and date, in the metric's unit (ratios 0..1,
    seconds): engagement rate by followers, CTR, conversion, lead and response times."""
    if metric is None:
        chosen = [b for b in BENCHMARKS if channel is None or b.channel in (None, channel)]
    else:
        chosen = benchmarks_for(metric, channel)
    if not chosen:
        known = ", ".join(dict.fromkeys(b.metric for b in BENCHMARKS))
        typer.echo(f"error: no benchmark for {metric!r}; benchmarks exist for: {known}", err=True)
        raise typer.Exit(2)
    rows = [b.as_dict() for b in chosen]
    if fmt is Format.TABLE:
        emit(
            rows,
            TABLE_COLUMNS,
            fmt,
            console=wide_console(),
            title="Platform benchmarks",
            headers={"display": "value"},
        )
        return
    emit(rows, COLUMNS, fmt)
