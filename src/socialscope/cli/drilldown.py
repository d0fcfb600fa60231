"""`socialscope conversations` and `socialscope orders`: the rows behind the metrics."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import typer
from rich.console import Console

from socialscope.cli.main import app, open_client
from socialscope.cli.query import parse_pairs
from socialscope.cli.render import Format, emit
from socialscope.drilldown import (
    CONVERSATION_FILTERS,
    ORDER_FILTERS,
    DrilldownResult,
)
from socialscope.metrics.query import QueryError

_SHOP = typer.Option("--shop", help="Shop id (needed when the store holds several).")
_FROM = typer.Option("--from", help="First local date, YYYY-MM-DD.")
_TO = typer.Option("--to", help="Last local date (inclusive).")
_PARAM = typer.Option("--param", help="NAME=VALUE; repeatable.")
_LIMIT = typer.Option("--limit", help="At most N rows (in time order).", min=0)
_FORMAT = typer.Option("--format", help="Output format.")
_TABLE_WIDTH = 1000


def plain_value(value: Any, fmt: Format) -> Any:
    """Timestamps to the second (the 3-minute rule needs seconds); id lists joined for
    table and CSV output, kept as lists in JSON."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, list) and fmt is not Format.JSON:
        return ",".join(str(v) for v in value)
    return value


def _show(result: DrilldownResult, fmt: Format) -> None:
    rows = [{k: plain_value(v, fmt) for k, v in row.items()} for row in result.rows]
    title = None
    if fmt is Format.TABLE:
        title = f"{result.kind}: {result.date_from} – {result.date_to} ({len(rows)} rows)"
    # many columns: the table keeps its natural width (use `less -S`) rather than
    # squeezing every cell to an ellipsis in a narrow terminal
    console = Console(soft_wrap=True, width=max(Console().width, _TABLE_WIDTH))
    emit(rows, result.columns, fmt, console=console, title=title)


def _run(kind: str, ctx: typer.Context, fmt: Format, **kw: Any) -> None:
    try:
        params = {k: ",".join(v) for k, v in parse_pairs(kw.pop("param") or [], "--param").items()}
        where = parse_pairs(kw.pop("where") or [], "--where")
        with open_client(ctx) as client:
            method = client.conversations if kind == "conversations" else client.orders
            result = method(where=where, params=params, **kw)
            _show(result, fmt)
    except QueryError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


@app.command()
def conversations(
    ctx: typer.Context,
    shop: Annotated[str | None, _SHOP] = None,
    date_from: Annotated[str | None, _FROM] = None,
    date_to: Annotated[str | None, _TO] = None,
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where",
            help="COLUMN=VALUE[,VALUE]; repeatable; an empty VALUE matches a missing one. Columns: "
            + ", ".join(CONVERSATION_FILTERS)
            + " (three_minute: good|failed|not_eligible; inquiry_outcome: "
            "converted|ordered_unpaid|lost|pending).",
        ),
    ] = None,
    param: Annotated[list[str] | None, _PARAM] = None,
    limit: Annotated[int | None, _LIMIT] = None,
    fmt: Annotated[Format, _FORMAT] = Format.TABLE,
) -> None:
    """One row per conversation whose first event is in the period (local dates): its
    staff, rounds, response times, 3-minute verdict, csat, linked orders and the inquiry
    outcome of its customer in the period's inquiry cohort (pending: not converted and
    their last inquiry + inquiry_window_h is after the end of the shop's data; null: no
    customer message in the period). order_ids: orders, not cancelled, whose
    conversation_id is the conversation. Params: threshold_s (180), inquiry_window_h (72),
    duration (calendar).

    E.g. `--where three_minute=failed` lists the conversations behind a 3-minute failure.
    """
    _run(
        "conversations",
        ctx,
        fmt,
        shop=shop,
        date_from=date_from,
        date_to=date_to,
        where=where,
        param=param,
        limit=limit,
    )


@app.command()
def orders(
    ctx: typer.Context,
    shop: Annotated[str | None, _SHOP] = None,
    date_from: Annotated[str | None, _FROM] = None,
    date_to: Annotated[str | None, _TO] = None,
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where",
            help="COLUMN=VALUE[,VALUE]; repeatable; an empty VALUE matches a missing one. Columns: "
            + ", ".join(ORDER_FILTERS)
            + " (order_type: inquiry|silent; paid, cancelled: true|false).",
        ),
    ] = None,
    param: Annotated[list[str] | None, _PARAM] = None,
    limit: Annotated[int | None, _LIMIT] = None,
    fmt: Annotated[Format, _FORMAT] = Format.TABLE,
) -> None:
    """One row per order created in the period (local dates), cancelled ones included and
    flagged: source, channel, amount, paid, refunds, attributed staff, conversation and
    inquiry/silent type. Param: inquiry_window_h (72)."""
    _run(
        "orders",
        ctx,
        fmt,
        shop=shop,
        date_from=date_from,
        date_to=date_to,
        where=where,
        param=param,
        limit=limit,
    )
