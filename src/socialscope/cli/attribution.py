"""`socialscope attribution`: every attribution model side by side over a set of paths.

The paths come from one input mode (today `--paths FILE.csv`); `_load_paths` is the one
place that picks it, so a second mode (paths built from the store) only adds options and
a branch there.
"""

from __future__ import annotations

import json
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from socialscope.attribution.paths import PathsError, PathSet
from socialscope.attribution.paths_csv import read_paths_csv
from socialscope.attribution.runner import AttributionResult, attribute, parse_models
from socialscope.cli.main import app
from socialscope.cli.overview import wide_console


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


class Show(StrEnum):
    ALL = "all"  # conversions, then value
    CONVERSIONS = "conversions"
    VALUE = "value"
    SHARE = "share"


@app.command()
def attribution(
    paths_file: Annotated[
        Path | None,
        typer.Option(
            "--paths",
            help="Aggregated paths CSV: path (` > `-separated), total_conversions, "
            "total_conversion_value, total_null, optional hours_till_conv.",
        ),
    ] = None,
    models: Annotated[
        str,
        typer.Option(
            "--models",
            help="all, or a comma list of first_touch, last_touch, linear, position_based, "
            "time_decay, markov, shapley (markov_o2 style keys pick one Markov order).",
        ),
    ] = "all",
    order: Annotated[
        str | None,
        typer.Option("--order", help="Markov orders, e.g. 1,2,3 (default 1)."),
    ] = None,
    half_life_hours: Annotated[
        float, typer.Option("--half-life-hours", help="time_decay half-life in hours.")
    ] = 168.0,
    currency: Annotated[
        str | None, typer.Option("--currency", help="Label for the value column (files say none).")
    ] = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="Output format.")
    ] = OutputFormat.TABLE,
    show: Annotated[
        Show, typer.Option("--show", help="Table format: which measure(s) to show.")
    ] = Show.ALL,
) -> None:
    """Attributed conversions, value and share per channel for every model: first/last
    touch, linear, position-based, time decay, Markov (orders 1-3, exact) and data-driven
    Shapley, side by side, with the number of paths, conversions and null paths used."""
    try:
        orders = _orders(order)
        request = replace(parse_models(models, orders), half_life_hours=half_life_hours)
        paths = _load_paths(paths_file, currency)
        result = attribute(paths, request)
    except (PathsError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if fmt is OutputFormat.JSON:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    _print_tables(result, paths, show, wide_console())


def _orders(text: str | None) -> tuple[int, ...] | None:
    if text is None:
        return None
    try:
        return tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise ValueError(f"--order takes comma-separated numbers (1, 2, 3), not {text!r}") from None


def _load_paths(paths_file: Path | None, currency: str | None) -> PathSet:
    """The paths of the one input mode given."""
    if paths_file is None:
        raise ValueError("give the paths: --paths FILE.csv")
    return read_paths_csv(paths_file, currency=currency)


def _print_tables(result: AttributionResult, paths: PathSet, show: Show, console: Console) -> None:
    measures = ["conversions", "value"] if show is Show.ALL else [show.value]
    for measure in measures:
        unit = f" ({result.currency})" if measure == "value" and result.currency else ""
        table = Table(title=f"Attributed {measure}{unit} — {paths.source}")
        table.add_column("channel")
        for key in result.models:
            table.add_column(key, justify="right")
        for row in result.comparison(measure):
            table.add_row(row["channel"], *(_cell(row[k], measure) for k in result.models))
        if result.models:
            totals = _totals(result, measure)
            table.add_section()
            table.add_row("total", *(_cell(totals[k], measure) for k in result.models))
        console.print(table)
    console.print(_footer(result))


def _totals(result: AttributionResult, measure: str) -> dict[str, Any]:
    return {
        key: sum(
            (getattr(c, measure) or 0 for c in credits.values()),
            start=0,
        )
        for key, credits in result.models.items()
    }


def _cell(value: Any, measure: str) -> str:
    if value is None:
        return ""
    if measure == "share":
        return f"{float(value):.1%}"
    return f"{value:,.2f}"


def _footer(result: AttributionResult) -> str:
    value = f"{result.value:,.2f}" + (f" {result.currency}" if result.currency else "")
    lines = [
        f"paths {result.paths:,} · conversions {result.conversions:,.2f} · "
        f"nulls {result.nulls:,.2f} · value {value}"
    ]
    lines += [f"skipped {key}: {why}" for key, why in result.skipped.items()]
    lines += list(result.notes)
    return "\n".join(lines)
