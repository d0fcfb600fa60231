"""`socialscope attribution`: every attribution model side by side over a set of paths.

The paths come from one of two input modes: an aggregated paths file (`--paths
FILE.csv`), or the store's journeys of a shop and period (`--shop --from --to` and the
journey options), which goes through `Client.attribution` — or, while `socialscope
serve` owns the store, through its `POST /api/v1/attribution` (same JSON). `_run` is the
one place that picks the mode; the two are mutually exclusive.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from socialscope.attribution.paths import PathsError
from socialscope.attribution.paths_csv import read_paths_csv
from socialscope.attribution.runner import (
    AttributionResult,
    ChannelCredit,
    attribute,
    parse_models,
)
from socialscope.cli.main import app, open_client, server_owner
from socialscope.cli.overview import wide_console


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


class Show(StrEnum):
    ALL = "all"  # conversions, then value
    CONVERSIONS = "conversions"
    VALUE = "value"
    SHARE = "share"


class Conversion(StrEnum):
    PAID_ORDER = "paid_order"
    PURCHASE = "purchase"


@dataclass(frozen=True)
class StoreOptions:
    """The journey options of the store mode, None where not given."""

    shop: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    lookback_days: int | None = None
    include: str | None = None
    touch_events: str | None = None
    conversion: Conversion | None = None
    net_of_refunds: bool = False

    def given(self) -> list[str]:
        """The options given, as their flags (for the mutual-exclusion message)."""
        flags = {
            "shop": "--shop",
            "date_from": "--from",
            "date_to": "--to",
            "lookback_days": "--lookback-days",
            "include": "--include",
            "touch_events": "--touch-events",
            "conversion": "--conversion",
            "net_of_refunds": "--net-of-refunds",
        }
        return [flag for name, flag in flags.items() if getattr(self, name) not in (None, False)]


@app.command()
def attribution(
    ctx: typer.Context,
    paths_file: Annotated[
        Path | None,
        typer.Option(
            "--paths",
            help="Aggregated paths CSV: path (` > `-separated), total_conversions, "
            "total_conversion_value, total_null, optional hours_till_conv.",
        ),
    ] = None,
    shop: Annotated[
        str | None,
        typer.Option("--shop", help="Paths from the store: this shop (default: the only one)."),
    ] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="Paths from the store: first local date.")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Paths from the store: last local date.")
    ] = None,
    lookback_days: Annotated[
        int | None,
        typer.Option("--lookback-days", min=1, help="Touches this many days before (30)."),
    ] = None,
    include: Annotated[
        str | None,
        typer.Option("--include", help="Touches beside touchpoints: chat,comment,live."),
    ] = None,
    touch_events: Annotated[
        str | None,
        typer.Option("--touch-events", help="Touchpoint events that are touches (click)."),
    ] = None,
    conversion: Annotated[
        Conversion | None,
        typer.Option("--conversion", help="What converts: paid_order (default) or purchase."),
    ] = None,
    net_of_refunds: Annotated[
        bool, typer.Option("--net-of-refunds", help="Paid orders' value net of refunds.")
    ] = False,
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
        str | None,
        typer.Option(
            "--currency",
            help="--paths: the label of the values (files say none); store: the "
            "conversions' currency (needed when the period has several).",
        ),
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
    Shapley, side by side, with the number of paths, conversions and null paths used.
    The paths: a paths file (--paths), or built from the store (--shop, --from, --to)."""
    store = StoreOptions(
        shop,
        date_from,
        date_to,
        lookback_days,
        include,
        touch_events,
        conversion,
        net_of_refunds,
    )
    try:
        orders = _orders(order)
        result, title = _run(ctx, paths_file, store, models, orders, half_life_hours, currency)
    except (PathsError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if fmt is OutputFormat.JSON:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    _print_tables(result, title, show, wide_console())


def _orders(text: str | None) -> tuple[int, ...] | None:
    if text is None:
        return None
    try:
        return tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise ValueError(f"--order takes comma-separated numbers (1, 2, 3), not {text!r}") from None


def _run(
    ctx: typer.Context,
    paths_file: Path | None,
    store: StoreOptions,
    models: str,
    orders: tuple[int, ...] | None,
    half_life_hours: float,
    currency: str | None,
) -> tuple[AttributionResult, str]:
    """The result of the one input mode given, and the title of its tables."""
    if paths_file is not None:
        if store.given():
            raise ValueError(
                f"--paths and {', '.join(store.given())} exclude each other: give a paths "
                "file, or the shop and period whose paths are built from the store"
            )
        request = replace(parse_models(models, orders), half_life_hours=half_life_hours)
        paths = read_paths_csv(paths_file, currency=currency)
        return attribute(paths, request), paths.source
    if store.date_from is None or store.date_to is None:
        raise ValueError(
            "give the paths: --paths FILE.csv, or --from and --to (and --shop) to build "
            "them from the store"
        )
    start, end = _day(store.date_from, "--from"), _day(store.date_to, "--to")
    title = f"{store.shop or 'the store'} · {start} – {end}"
    options: dict[str, Any] = {
        "models": models,
        "orders": list(orders) if orders is not None else [1],
        "half_life_hours": half_life_hours,
        "lookback_days": store.lookback_days if store.lookback_days is not None else 30,
        "include": _names(store.include),
        "touch_events": _names(store.touch_events) if store.touch_events is not None else ["click"],
        "conversion": (store.conversion or Conversion.PAID_ORDER).value,
        "net_of_refunds": store.net_of_refunds,
        "currency": currency,
    }
    server = server_owner(ctx)
    if server is not None:
        from socialscope.server import remote

        body = {"shop": store.shop, "from": start.isoformat(), "to": end.isoformat(), **options}
        return result_from_json(remote.attribution(server, body)), title
    with open_client(ctx) as client:
        result = client.attribution(shop=store.shop, date_from=start, date_to=end, **options)
    return result, title


def _day(text: str, flag: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{flag} must be a date YYYY-MM-DD, not {text!r}") from None


def _names(text: str | None) -> list[str]:
    return [n.strip() for n in (text or "").split(",") if n.strip()]


def result_from_json(data: dict[str, Any]) -> AttributionResult:
    """An AttributionResult back from its JSON (a server's answer), for the tables."""
    models = {
        key: {
            channel: ChannelCredit(
                conversions=float(conversions),
                value=Decimal(str(credits["value"][channel])),
                share=credits["share"][channel],
            )
            for channel, conversions in credits["conversions"].items()
        }
        for key, credits in data["models"].items()
    }
    channels = sorted({c for credits in models.values() for c in credits})
    return AttributionResult(
        models=models,
        channels=tuple(channels),
        paths=int(data["paths"]),
        conversions=float(data["conversions"]),
        nulls=float(data["nulls"]),
        value=Decimal(str(data["value"])),
        currency=data["currency"],
        skipped=dict(data["skipped"]),
        notes=tuple(data["notes"]),
    )


def _print_tables(result: AttributionResult, title: str, show: Show, console: Console) -> None:
    measures = ["conversions", "value"] if show is Show.ALL else [show.value]
    for measure in measures:
        unit = f" ({result.currency})" if measure == "value" and result.currency else ""
        table = Table(title=f"Attributed {measure}{unit} — {title}")
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
