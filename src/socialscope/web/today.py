"""The "Today vs yesterday" panel: one metric, cumulative by local hour, today
(the filters' `to` date, by default the shop's current date) against yesterday — the
metric layer's `compare=yesterday`, drawn as two lines. The chart block carries
`refresh` (seconds): the browser re-reads the page's JSON twin that often and redraws it
(static/charts.js), so the panel follows live ingest without a reload.

URL keys (overview page): `hourly` (the metric, default sales_amount) and `refresh`
(seconds, default 60, clamped to [2, 3600]).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from socialscope.metrics.yesterday import hourly_metrics
from socialscope.web import i18n
from socialscope.web.blocks import PREVIOUS_COLOR, PageContext, _layout, table
from socialscope.web.controls import Choice, Field, options_block

DEFAULT_METRIC = "sales_amount"
DEFAULT_REFRESH_S = 60
REFRESH_BOUNDS = (2, 3600)
TODAY_COLOR = "#2563eb"


def refresh_seconds(ctx: PageContext) -> int:
    raw = ctx.filters.extra.get("refresh")
    try:
        value = int(raw) if raw else DEFAULT_REFRESH_S
    except ValueError:
        value = DEFAULT_REFRESH_S
    return max(REFRESH_BOUNDS[0], min(REFRESH_BOUNDS[1], value))


def chosen_metric(ctx: PageContext) -> str:
    return ctx.filters.extra.get("hourly") or DEFAULT_METRIC


def _plain(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def metric_picker(ctx: PageContext) -> dict[str, Any]:
    """The metric select: every metric compare=yesterday accepts."""
    metrics = hourly_metrics(ctx.client.runner)
    choices = sorted(
        (Choice(m, i18n.metric_label(ctx.lang, m)) for m in metrics), key=lambda c: c.label
    )
    field = Field("hourly", ctx.t("today_metric"), "select", chosen_metric(ctx), choices)
    return options_block(ctx, "today_options", ctx.t("tab_today"), [field])


def _latest(rows: Sequence[Mapping[str, Any]], metric: str) -> Mapping[str, Any] | None:
    """The row of the latest hour of today that has begun (None: today has not begun)."""
    begun = [r for r in rows if r.get(metric) is not None]
    return begun[-1] if begun else None


def summary(ctx: PageContext, rows: Sequence[Mapping[str, Any]], metric: str) -> str:
    latest = _latest(rows, metric)
    refresh = ctx.t("today_refresh", seconds=refresh_seconds(ctx))
    if latest is None:
        return f"{ctx.t('today_not_begun')} · {refresh}"
    so_far = ctx.t(
        "today_so_far",
        hour=f"{latest['hour']:02d}:59",
        value=ctx.fmt(latest.get(metric), metric),
        previous=ctx.fmt(latest.get(f"{metric}__previous"), metric),
        change=i18n.format_change(latest.get(f"{metric}__change_pct"), ctx.lang),
    )
    return f"{so_far} · {refresh}"


def today_chart(ctx: PageContext) -> dict[str, Any]:
    """Two cumulative lines by local hour; today's hours still to come are gaps."""
    metric = chosen_metric(ctx)
    f = ctx.filters
    result = ctx.client.query(
        [metric],
        date_to=f.date_to,
        shop=f.shop,
        where=ctx.where_for([metric]),
        compare="yesterday",
    )
    rows = result.rows
    xs = [f"{r['hour']:02d}:00" for r in rows]
    label = i18n.metric_label(ctx.lang, metric)
    assert result.date_to is not None and result.previous_to is not None
    today, yesterday = result.date_to, result.previous_to
    traces = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": ctx.t(
                "yesterday_line", date=i18n.format_period(yesterday, yesterday, ctx.lang)
            ),
            "x": xs,
            "y": [_plain(r.get(f"{metric}__previous")) for r in rows],
            "line": {"color": PREVIOUS_COLOR, "width": 2, "dash": "dot"},
            "hovertemplate": "%{x}: %{y}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": ctx.t("today_line", date=i18n.format_period(today, today, ctx.lang)),
            "x": xs,
            "y": [_plain(r.get(metric)) for r in rows],
            "line": {"color": TODAY_COLOR, "width": 3},
            "connectgaps": False,
            "hovertemplate": "%{x}: %{y}<extra></extra>",
        },
    ]
    columns = ["hour", metric, f"{metric}__previous", f"{metric}__change_pct"]
    return {
        "kind": "chart",
        "id": "today_vs_yesterday",
        "title": ctx.t("today_chart", metric=label),
        "figure": {"data": traces, "layout": _layout(ctx, [metric])},
        "columns": columns,
        "rows": [{c: r.get(c) for c in columns} for r in rows],
        "empty": False,
        "note": summary(ctx, rows, metric),
        "refresh": refresh_seconds(ctx),
    }


def today_table(ctx: PageContext, chart: Mapping[str, Any]) -> dict[str, Any]:
    """The chart's numbers, hour by hour (what the export holds)."""
    rows = [{**r, "hour": f"{r['hour']:02d}:00"} for r in chart.get("rows") or []]
    columns = list(chart.get("columns") or [])
    return table(
        ctx,
        "today_by_hour",
        ctx.t("today_table"),
        columns,
        rows,
        units={columns[-1]: "ratio"},
    )
