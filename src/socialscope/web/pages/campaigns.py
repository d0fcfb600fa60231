"""Campaign review (`socialscope.campaigns.review.run_review`): pick a campaign, a post or
a live from the store, optionally a sales target — the targets each funnel stage must
reach, with the trailing rates they come from, and the lift after the launch: actual
against the baseline's prediction and interval, the difference and the verdict ("within
noise" when the actual lies inside the interval).

The review reads its own windows (the weeks before the launch, the days after it), not the
page's period: the period only chooses which posts and lives are offered. The chart puts
each metric on one scale, actual / predicted (predicted = 100 %), with the interval as a
band around it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from socialscope.campaigns.review import CampaignReviewRequest, CampaignReviewResult, run_review
from socialscope.campaigns.subjects import KINDS
from socialscope.metrics.query import QueryError
from socialscope.metrics.registry import REGISTRY
from socialscope.metrics.spec import Unit
from socialscope.web import i18n
from socialscope.web.blocks import PALETTE, PREVIOUS_COLOR, PageContext, table
from socialscope.web.cache import RESULTS
from socialscope.web.controls import Choice, Field, error_block, notes_block, options_block
from socialscope.web.pages import Page, register

EXTRA_KEYS = ("subject", "target", "days_after")
DEFAULT_DAYS_AFTER = 14
MAX_DAYS_AFTER = 90
LIST_LIMIT = 50
"""Posts and lives offered: the latest ones (campaigns: all the shop has)."""


def subjects(ctx: PageContext) -> list[Choice]:
    """The period's lives and posts (latest first), then the shop's campaigns (from
    sessions and orders); a value is ``kind:ref``. The default is the first: the latest
    live, which has the most history before it for the baseline."""
    f = ctx.filters
    engine = ctx.client.engine
    names: set[str] = set()
    for name in ("web_sessions", "orders"):
        t = engine.table(name)
        rows = (
            t.filter((t.shop_id == f.shop) & t.campaign.notnull())
            .select("campaign")
            .distinct()
            .to_pyarrow()
            .to_pylist()
        )
        names |= {str(r["campaign"]) for r in rows if str(r["campaign"]).strip()}
    campaigns = [Choice(f"campaign:{n}", f"{ctx.t('kind_campaign')} · {n}") for n in sorted(names)]
    out: list[Choice] = []
    for kind, table_name, key, column in (
        ("live", "live_sessions", "live_id", "started_at_local"),
        ("post", "posts", "post_id", "published_at_local"),
    ):
        t = engine.table(table_name)
        day = t[column].date()
        rows = (
            t.filter((t.shop_id == f.shop) & (day >= f.date_from) & (day <= f.date_to))
            .order_by([t[column].desc(), t[key]])
            .select(key, "channel", column)
            .limit(LIST_LIMIT)
            .to_pyarrow()
            .to_pylist()
        )
        for r in rows:
            channel = i18n.value_label(ctx.lang, "channel", r["channel"])
            when = i18n.format_date(r[column], ctx.lang)
            out.append(
                Choice(
                    f"{kind}:{r[key]}", f"{ctx.t(f'kind_{kind}')} · {r[key]} ({channel}, {when})"
                )
            )
    return out + campaigns


def parse(ctx: PageContext, choices: list[Choice]) -> CampaignReviewRequest | None:
    """The review the URL asks for (None: nothing to review); ValueError for a bad value."""
    raw = ctx.filters.extra.get("subject") or (choices[0].value if choices else "")
    if not raw:
        return None
    kind, sep, ref = raw.partition(":")
    if not sep or kind not in KINDS or not ref:
        raise ValueError(f"subject: write KIND:ID with KIND one of {', '.join(KINDS)}")
    target: Decimal | None = None
    text = ctx.filters.extra.get("target", "").strip()
    if text:
        try:
            target = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"target: not an amount: {text[:20]!r}") from None
        if not target.is_finite() or target < 0:
            raise ValueError("target: the sales target must be a positive amount")
    days_raw = ctx.filters.extra.get("days_after", str(DEFAULT_DAYS_AFTER))
    if not days_raw.isdigit() or not 1 <= int(days_raw) <= MAX_DAYS_AFTER:
        raise ValueError(f"days_after: a whole number of days from 1 to {MAX_DAYS_AFTER}")
    return CampaignReviewRequest(
        shop=ctx.filters.shop,
        kind=KINDS[KINDS.index(kind)],  # the Literal, checked above
        ref=ref,
        target_sales=target,
        days_after=int(days_raw),
    )


def build(ctx: PageContext) -> dict[str, Any]:
    choices = subjects(ctx)
    try:
        request = parse(ctx, choices)
    except ValueError as exc:
        return {"blocks": [_options(ctx, choices), error_block(str(exc))]}
    blocks = [_options(ctx, choices)]
    if request is None:
        return {"blocks": [*blocks, notes_block("review_notes", "", [ctx.t("review_none")])]}
    key = ("review", request)
    try:
        result = RESULTS.get_or_compute(ctx.client, key, lambda: run_review(ctx.client, request))
    except (QueryError, ValueError) as exc:
        return {"blocks": [*blocks, error_block(str(exc))]}
    blocks += [
        targets_table(ctx, result),
        lift_chart(ctx, result),
        lift_table(ctx, result),
        notes_block("review_notes", ctx.t("review_notes_title"), _notes(ctx, result)),
    ]
    return {"blocks": blocks}


def _options(ctx: PageContext, choices: list[Choice]) -> dict[str, Any]:
    f = ctx.filters.extra
    current = f.get("subject") or (choices[0].value if choices else "")
    fields = [
        Field("subject", ctx.t("review_subject"), "select", current, choices),
        Field("target", ctx.t("review_target"), "number", f.get("target", ""), min=0, step="any"),
        Field(
            "days_after",
            ctx.t("review_days_after"),
            "number",
            f.get("days_after", str(DEFAULT_DAYS_AFTER)),
            min=1,
            max=MAX_DAYS_AFTER,
            step=1,
        ),
    ]
    return options_block(ctx, "review_options", ctx.t("review_title"), fields)


def _unit(metric: str) -> str:
    return REGISTRY.get(metric).unit.value if metric in REGISTRY else Unit.NUMBER.value


def targets_table(ctx: PageContext, result: CampaignReviewResult) -> dict[str, Any]:
    """Per stage (from sales down to the top of the funnel): the trailing rate that links
    it to the stage below and, with a target, how many units it must reach."""
    rows = []
    for stage in result.targets.stages:
        rate = stage.rate
        rows.append(
            {
                "stage": stage.metric,
                "needed": stage.needed,
                "rate": rate.name,
                "rate_value": rate.value,
                "rate_numerator": rate.numerator,
                "rate_denominator": rate.denominator,
            }
        )
    columns = ("stage", "needed", "rate", "rate_value", "rate_numerator", "rate_denominator")
    block = table(
        ctx,
        "review_targets",
        ctx.t("review_targets_title"),
        columns,
        rows,
        units={
            "needed": "count",
            **dict.fromkeys(("rate_value", "rate_numerator", "rate_denominator"), "number"),
        },
    )
    for raw, cells, stage in zip(rows, block["display"], result.targets.stages, strict=True):
        r = stage.rate
        cells["stage"] = i18n.metric_label(ctx.lang, stage.metric)
        num, den = r.numerator_metric, r.denominator_metric
        cells["rate"] = f"{i18n.metric_label(ctx.lang, num)} / {i18n.metric_label(ctx.lang, den)}"
        money_rate = _unit(num) == "money" and _unit(den) != "money"
        cells["rate_value"] = i18n.format_value(
            raw["rate_value"], "money" if money_rate else "ratio", ctx.lang, ctx.currency
        )
        cells["rate_numerator"] = i18n.format_value(r.numerator, _unit(num), ctx.lang, ctx.currency)
        cells["rate_denominator"] = i18n.format_value(
            r.denominator, _unit(den), ctx.lang, ctx.currency
        )
    block["empty"] = not rows
    return block


LIFT_COLUMNS = (
    "metric",
    "actual",
    "predicted",
    "low",
    "high",
    "difference",
    "change_pct",
    "verdict",
    "note",
)


LIFT_NUMBERS = ("actual", "predicted", "low", "high", "difference")
"""Shown in each metric's own unit (counts, money, a rate)."""


def lift_table(ctx: PageContext, result: CampaignReviewResult) -> dict[str, Any]:
    rows = [
        {
            "metric": m.metric,
            "actual": m.actual,
            "predicted": m.predicted,
            "low": m.low,
            "high": m.high,
            "difference": m.difference,
            "change_pct": m.change_pct,
            "verdict": m.verdict,
            "note": m.note,
        }
        for m in result.lift
    ]
    block = table(
        ctx,
        "review_lift",
        ctx.t("review_lift_title"),
        LIFT_COLUMNS,
        rows,
        units={"change_pct": "ratio", **dict.fromkeys(LIFT_NUMBERS, "number")},
    )
    for m, raw, cells in zip(result.lift, rows, block["display"], strict=True):
        unit = _unit(m.metric)
        cells["metric"] = i18n.metric_label(ctx.lang, m.metric)
        for key in LIFT_NUMBERS:
            cells[key] = i18n.format_value(raw[key], unit, ctx.lang, ctx.currency)
        if unit == "ratio" and raw["difference"] is not None:
            points = i18n.format_value(float(raw["difference"]) * 100, "number", ctx.lang)
            cells["difference"] = ctx.t("percentage_points", n=points)
        verdict = m.verdict
        cells["verdict"] = ctx.t(f"verdict_{verdict.replace(' ', '_')}") if verdict else i18n.EMPTY
        cells["note"] = m.note or ""
    return block


def lift_chart(ctx: PageContext, result: CampaignReviewResult) -> dict[str, Any]:
    """Actual / predicted per metric with the interval as a band (predicted = 100 %)."""
    shown = [m for m in result.lift if m.predicted not in (None, 0) and m.actual is not None]
    labels = [i18n.metric_label(ctx.lang, m.metric) for m in shown]

    def ratio(v: Any, m: Any) -> float | None:
        return None if v is None else float(v) / float(m.predicted)

    actual = [ratio(m.actual, m) for m in shown]
    low = [ratio(m.low, m) for m in shown]
    high = [ratio(m.high, m) for m in shown]
    traces = [
        {
            "type": "bar",
            "name": ctx.t("review_band"),
            "x": labels,
            "base": low,
            "y": [
                (h - lo) if h is not None and lo is not None else None
                for lo, h in zip(low, high, strict=True)
            ],
            "marker": {"color": PREVIOUS_COLOR},
            "opacity": 0.45,
            "hovertemplate": "%{x}: %{base:.0%} – %{y:.0%}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "markers",
            "name": ctx.t("review_actual"),
            "x": labels,
            "y": actual,
            "marker": {"color": PALETTE[0], "size": 14, "symbol": "diamond"},
            "hovertemplate": "%{x}: %{y:.1%}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": ctx.t("review_predicted"),
            "x": labels,
            "y": [1.0 for _ in shown],
            "line": {"color": PALETTE[2], "dash": "dash"},
            "hoverinfo": "skip",
        },
    ]
    rows = [
        {
            "metric": m.metric,
            "actual": m.actual,
            "predicted": m.predicted,
            "low": m.low,
            "high": m.high,
        }
        for m in result.lift
    ]
    return {
        "kind": "chart",
        "id": "review_lift_chart",
        "title": ctx.t("review_chart_title"),
        "figure": {
            "data": traces,
            "layout": {
                "margin": {"l": 56, "r": 16, "t": 16, "b": 60},
                "legend": {"orientation": "h", "y": -0.25},
                "yaxis": {"tickformat": ".0%", "rangemode": "tozero", "gridcolor": "#e5e7eb"},
                "paper_bgcolor": "rgba(0,0,0,0)",
                "plot_bgcolor": "rgba(0,0,0,0)",
                "autosize": True,
            },
        },
        "columns": ["metric", "actual", "predicted", "low", "high"],
        "rows": rows,
        "empty": not shown,
    }


def _notes(ctx: PageContext, result: CampaignReviewResult) -> list[str]:
    out = [
        ctx.t(
            "review_launch",
            launch=i18n.format_date(result.launch, ctx.lang),
            source=result.launch_from,
            days=result.days_after,
        ),
        ctx.t(
            "review_trailing",
            period=i18n.format_period(result.trailing_from, result.trailing_to, ctx.lang),
        ),
        ctx.t("review_interval", level=f"{result.interval * 100:g}"),
    ]
    if result.targets.stopped:
        out.append(result.targets.stopped)
    return out + list(result.notes)


register(Page("/campaigns", "nav_campaigns", build, extra_keys=EXTRA_KEYS))
