"""`socialscope campaign-review`: targets down the funnel and lift after a launch."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from socialscope.campaigns.lift import MetricLift
from socialscope.campaigns.review import (
    CampaignReviewRequest,
    CampaignReviewResult,
    ReviewError,
    run_review,
)
from socialscope.campaigns.subjects import Kind
from socialscope.campaigns.targets import TargetPlan
from socialscope.cli.main import app, open_client
from socialscope.cli.overview import wide_console
from socialscope.cli.render import text_value
from socialscope.metrics.query import QueryError


class ReviewFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


def _subject(campaign: str | None, post: str | None, live: str | None) -> tuple[Kind, str]:
    given: list[tuple[Kind, str | None]] = [("campaign", campaign), ("post", post), ("live", live)]
    chosen = [(k, v) for k, v in given if v is not None]
    if len(chosen) != 1:
        raise ReviewError("name exactly one of --campaign, --post or --live")
    kind, ref = chosen[0]
    assert ref is not None
    return kind, ref


def _amount(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ReviewError(f"--target-sales must be an amount, got {text!r}") from None
    if not value.is_finite():
        raise ReviewError(f"--target-sales must be an amount, got {text!r}")
    return value


@app.command("campaign-review")
def campaign_review(
    ctx: typer.Context,
    campaign: Annotated[
        str | None, typer.Option("--campaign", help="Campaign name (utm campaign).")
    ] = None,
    post: Annotated[str | None, typer.Option("--post", help="Post id.")] = None,
    live: Annotated[str | None, typer.Option("--live", help="Live id.")] = None,
    shop: Annotated[
        str | None, typer.Option("--shop", help="Shop id (default: the store's only shop).")
    ] = None,
    launch: Annotated[
        str | None,
        typer.Option(
            "--launch",
            help="Launch date YYYY-MM-DD (default: the post's publish / live's start date, "
            "the campaign's first session or order).",
        ),
    ] = None,
    days_after: Annotated[int, typer.Option("--days-after", help="Days compared.")] = 14,
    weeks_before: Annotated[
        int, typer.Option("--weeks-before", help="Weeks of baseline history (at least 2).")
    ] = 6,
    trailing_days: Annotated[
        int, typer.Option("--trailing-days", help="Days the funnel rates are taken from.")
    ] = 28,
    target_sales: Annotated[
        str | None,
        typer.Option("--target-sales", help="Sales target in the shop's currency."),
    ] = None,
    fmt: Annotated[
        ReviewFormat, typer.Option("--format", help="Output format.")
    ] = ReviewFormat.TABLE,
) -> None:
    """Campaign, post or live review: the views/impressions a sales target needs (from the
    shop's trailing funnel rates), and sessions, social sessions, ad conversion rate and
    sales after the launch against a weekday-seasonal baseline with a 90 % interval."""
    try:
        kind, ref = _subject(campaign, post, live)
        request = CampaignReviewRequest(
            shop=shop,
            kind=kind,
            ref=ref,
            launch=date.fromisoformat(launch) if launch else None,
            days_after=days_after,
            weeks_before=weeks_before,
            trailing_days=trailing_days,
            target_sales=_amount(target_sales),
        )
        with open_client(ctx) as client:
            result = run_review(client, request)
    except (QueryError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if fmt is ReviewFormat.JSON:
        print(result.to_json())
        return
    render_review(result, wide_console())


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:+.1f}%"


def _number(value: Any, ratio: bool) -> str:
    if value is None:
        return "–"
    if ratio:
        return f"{float(value) * 100:.2f}%"
    return text_value(value)


def _part(value: Decimal) -> str:
    """A rate's part: counts as whole numbers, amounts with cents."""
    return f"{int(value):,}" if value == value.to_integral_value() else text_value(value)


def _difference(value: Any, ratio: bool) -> str:
    """A ratio's difference in percentage points, so it is not read as a % change."""
    if value is None or not ratio:
        return _number(value, ratio)
    return f"{float(value) * 100:+.2f} pt"


def _targets_table(plan: TargetPlan, currency: str | None) -> Table:
    goal = f"{text_value(plan.target)} {currency or ''}".strip() if plan.target is not None else ""
    title = f"Targets for sales {goal}" if goal else "Trailing funnel rates (no --target-sales)"
    table = Table(title=title, title_justify="left")
    table.add_column("stage")
    table.add_column("needed", justify="right")
    table.add_column("rate")
    table.add_column("value", justify="right")
    table.add_column("= numerator / denominator", style="dim")
    for stage in plan.stages:
        rate = stage.rate
        table.add_row(
            stage.label,
            "–" if stage.needed is None else f"{stage.needed:,}",
            rate.label,
            "none" if rate.value is None else f"{rate.value:.4g}",
            f"{rate.numerator_metric} {_part(rate.numerator)} / "
            f"{rate.denominator_metric} {_part(rate.denominator)}",
        )
    return table


def _lift_table(lift: tuple[MetricLift, ...], level: float) -> Table:
    table = Table(title="Lift after the launch", title_justify="left")
    table.add_column("metric")
    table.add_column("scope", style="dim")
    for name in ("actual", "predicted", f"{level:.0%} interval", "difference", "%"):
        table.add_column(name, justify="right")
    table.add_column("verdict")
    for m in lift:
        ratio = m.metric == "conversion_rate"
        interval = (
            f"{_number(m.low, ratio)} – {_number(m.high, ratio)}" if m.low is not None else "–"
        )
        table.add_row(
            m.label,
            ", ".join(f"{k}={v}" for k, v in m.scope.items()) or "shop",
            _number(m.actual, ratio),
            _number(m.predicted, ratio),
            interval,
            _difference(m.difference, ratio),
            _pct(m.change_pct),
            m.verdict or (m.note or ""),
        )
    return table


def render_review(result: CampaignReviewResult, console: Console) -> None:
    on = f" on {result.channel}" if result.channel else ""
    console.rule(f"[bold]Campaign review — {result.kind} {result.ref}{on} · {result.shop}[/]")
    console.print(
        f"Launch {result.launch}, {result.launch_from}; rates from {result.trailing_from} – "
        f"{result.trailing_to}" + (f"; amounts in {result.currency}" if result.currency else "")
    )
    console.print(_targets_table(result.targets, result.currency))
    if result.targets.stopped:
        console.print(f"[yellow]Chain stops:[/] {result.targets.stopped}")
    if result.lift:
        console.print(
            f"Compared {result.launch} – {result.window_to} ({result.days_after} days) against "
            f"a baseline from {result.window_from}"
        )
        console.print(_lift_table(result.lift, result.interval))
    for note in result.notes:
        console.print(f"[dim]{note}[/]")
