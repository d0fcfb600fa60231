"""`socialscope funnel`: run a funnel (custom steps or a built-in) over one shop's data."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from socialscope.cli.main import app, open_client
from socialscope.cli.overview import wide_console
from socialscope.funnels.builtin import BUILTINS, builtin
from socialscope.funnels.request import DEFAULT_WINDOW, FunnelRequest
from socialscope.funnels.result import FunnelResult, FunnelSlice, StepResult
from socialscope.funnels.runner import default_period, run_funnel
from socialscope.funnels.steps import FunnelError, Step, parse_steps


class FunnelFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


class Unit(StrEnum):
    VISITOR = "visitor"
    CUSTOMER = "customer"


class Mode(StrEnum):
    ORDERED = "ordered"
    STRICT = "strict"
    ANY = "any"


class Counting(StrEnum):
    UNIQUE = "unique"
    TOTALS = "totals"


class At(StrEnum):
    FIRST = "first"
    LAST = "last"


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([dhms])\s*$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}


def parse_duration(text: str) -> timedelta:
    """`14d`, `36h`, `90m`, `30s` (a number and one unit)."""
    m = _DURATION.match(text)
    if not m:
        raise FunnelError(f"duration {text!r}: write a number and d, h, m or s (e.g. 14d, 36h)")
    return timedelta(**{_UNITS[m.group(2)]: float(m.group(1))})


def parse_step_windows(items: list[str]) -> dict[int, timedelta]:
    """`3=1d` -> {3: 1 day}: at most a day from step 2 to step 3."""
    out: dict[int, timedelta] = {}
    for item in items:
        step, sep, duration = item.partition("=")
        if not sep or not step.strip().isdigit():
            raise FunnelError(f"--step-window {item!r}: write STEP=DURATION, e.g. 3=1d")
        out[int(step)] = parse_duration(duration)
    return out


@app.command()
def funnel(
    ctx: typer.Context,
    steps: Annotated[
        str | None,
        typer.Option("--steps", help="Comma-separated steps, e.g. impression,click,purchase."),
    ] = None,
    builtin_name: Annotated[
        str | None, typer.Option("--builtin", help="A built-in funnel (see --list).")
    ] = None,
    list_builtins: Annotated[
        bool, typer.Option("--list", help="Show the built-in funnels and exit.")
    ] = False,
    shop: Annotated[
        str | None, typer.Option("--shop", help="Shop id (default: every shop).")
    ] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="First local date.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last local date.")] = None,
    unit: Annotated[
        Unit | None,
        typer.Option("--unit", help="The counted unit (default: visitor; built-ins set it)."),
    ] = None,
    mode: Annotated[
        Mode, typer.Option("--mode", help="Steps in order, with nothing between, or in any order.")
    ] = Mode.ORDERED,
    window: Annotated[
        str, typer.Option("--window", help="Conversion window from step 1 (14d, 36h, 90m).")
    ] = "14d",
    step_window: Annotated[
        list[str] | None,
        typer.Option("--step-window", help="STEP=DURATION: most time from the previous step."),
    ] = None,
    counting: Annotated[
        Counting, typer.Option("--counting", help="Each unit once, or every step-1 event.")
    ] = Counting.UNIQUE,
    by: Annotated[str | None, typer.Option("--by", help="Breakdown dimension.")] = None,
    breakdown_at: Annotated[
        At, typer.Option("--breakdown-at", help="Take the --by value at step 1 or the last step.")
    ] = At.FIRST,
    same: Annotated[
        list[str] | None,
        typer.Option("--same", help="Every step shares step 1's value of this dimension."),
    ] = None,
    fmt: Annotated[FunnelFormat, typer.Option("--format", help="Output format.")] = (
        FunnelFormat.TABLE
    ),
) -> None:
    """Per step: count, conversion, drop-off and time to convert, for whoever entered
    step 1 in the period (default: the last 30 days of the shop's data). See
    docs/funnels.md for the exact semantics."""
    if list_builtins:
        _list(fmt)
        return
    try:
        chosen, unit_name, same_dims = _steps(steps, builtin_name, unit, same)
        start = date.fromisoformat(date_from) if date_from else None
        end = date.fromisoformat(date_to) if date_to else None
        options: dict[str, Any] = {
            "unit": unit_name,
            "mode": mode.value,
            "window": parse_duration(window) if window else DEFAULT_WINDOW,
            "step_windows": parse_step_windows(step_window or []),
            "counting": counting.value,
            "by": by,
            "breakdown_at": breakdown_at.value,
            "same": same_dims,
        }
        with open_client(ctx) as client:
            shops = [shop] if shop else sorted(client.shops())
            if not shops:
                raise FunnelError("the store holds no shops yet: import data first")
            results = []
            for s in shops:
                s_from, s_to = (start, end) if start and end else default_period(client, s, chosen)
                request = FunnelRequest(chosen, s, s_from, s_to, **options)
                results.append(run_funnel(client, request))
    except (FunnelError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if fmt is FunnelFormat.JSON:
        print(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
        return
    console = wide_console()
    for result in results:
        _print(console, result)


def _steps(
    text: str | None, name: str | None, unit: Unit | None, same: list[str] | None
) -> tuple[tuple[Step, ...], str, tuple[str, ...]]:
    """The steps, unit and `same` dimensions: a built-in's unless given."""
    if (text is None) == (name is None):
        raise FunnelError("give either --steps or --builtin (see --list)")
    if name is not None:
        b = builtin(name)
        return b.steps, unit.value if unit else b.unit, tuple(same) if same else b.same
    assert text is not None
    return parse_steps(text), unit.value if unit else "visitor", tuple(same or ())


def _list(fmt: FunnelFormat) -> None:
    rows = [
        {
            "name": b.name,
            "steps": [s.label for s in b.steps],
            "unit": b.unit,
            "same": list(b.same),
            "description": b.description,
        }
        for b in BUILTINS.values()
    ]
    if fmt is FunnelFormat.JSON:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title="Built-in funnels")
    for column in ("name", "steps", "unit", "same", "description"):
        table.add_column(column)
    for b in BUILTINS.values():
        flow = " → ".join(escape(s.label) for s in b.steps)
        table.add_row(b.name, flow, b.unit, ",".join(b.same), b.description)
    wide_console().print(table)


def _print(console: Console, result: FunnelResult) -> None:
    req = result.request
    head = (
        f"Funnel — {result.shop} · {req.date_from} – {req.date_to} · {req.mode}, "
        f"{req.unit}, {req.counting}, window {_duration(req.window.total_seconds())}"
    )
    console.print(_table(result.overall, escape(head)))
    if req.by is None:
        return
    where = "step 1" if req.breakdown_at == "first" else "the last step reached"
    for s in result.breakdown:
        label = "(none)" if s.value is None else str(s.value)
        console.print(_table(s, escape(f"{req.by} = {label} (taken at {where})")))


def _table(s: FunnelSlice, title: str) -> Table:
    table = Table(title=title)
    for column in ("step", "count", "conv %", "from prev %", "drop-off", "median time", "value"):
        table.add_column(column, justify="left" if column == "step" else "right")
    last = len(s.steps)
    for st in s.steps:
        table.add_row(
            escape(f"{st.step}. {st.label}"),
            f"{st.count:,}",
            _pct(st.conversion_from_first),
            _pct(st.conversion_from_previous),
            _drop(st),
            _duration(st.median_s_from_previous),
            _values(s) if st.step == last else "",
        )
    return table


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


def _drop(st: StepResult) -> str:
    if st.drop_off is None:
        return ""
    return f"{st.drop_off:,} ({_pct(st.drop_off_rate)})"


def _values(s: FunnelSlice) -> str:
    return "; ".join(f"{v.total:,.2f} {v.currency or '?'} (avg {v.mean:,.2f})" for v in s.values)


def _duration(seconds: float | None) -> str:
    """Seconds as `45s`, `12m 30s`, `3h 05m`, `2d 4h`."""
    if seconds is None:
        return ""
    s = round(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m {s % 60:02d}s"
    if s < 86400:
        return f"{s // 3600}h {s % 3600 // 60:02d}m"
    days, hours = s // 86400, s % 86400 // 3600
    return f"{days}d {hours}h" if hours else f"{days}d"
