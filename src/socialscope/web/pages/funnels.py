"""Traffic & funnels (METRICS.md sections 6 and 7): consideration and purchase KPIs with
the static benchmarks beside them, and a funnel of any steps (`socialscope.funnels`).

Funnel options live in the URL with the filters: ``funnel`` (a built-in: social, live,
post, service — or ``custom`` with ``steps``), ``unit``, ``mode``, ``window_d``,
``counting``, ``by`` and ``breakdown_at``. The channel filter narrows the funnel's entry
step (step 1 must be on one of the channels) when that step's events have a channel; the
page says so. ``conversion_window_d`` is the conversion rate's window (its metric
parameter), a different thing from the funnel's window.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from socialscope.funnels import FunnelError, FunnelRequest, FunnelResult, FunnelSlice, run_funnel
from socialscope.funnels.builtin import BUILTINS
from socialscope.funnels.request import BREAKDOWN_AT, COUNTINGS, MODES, UNITS
from socialscope.funnels.steps import DIMENSIONS, EVENTS, Filter, Step, parse_steps
from socialscope.metrics.registry import REGISTRY
from socialscope.web import benchmarks, i18n
from socialscope.web.blocks import PALETTE, PageContext, safe, table, trend_chart
from socialscope.web.controls import Choice, Field, error_block, notes_block, options_block
from socialscope.web.pages import Page, register
from socialscope.web.pages.service import kpi_block

TRAFFIC_KPIS = (
    "sessions",
    "social_session_share",
    "visitors",
    "avg_session_duration",
    "avg_engaged_time",
    "leads",
    "lead_rate",
    "sessions_before_purchase",
)
PURCHASE_KPIS = (
    "conversion_rate",
    "cart_abandonment_rate",
    "revenue_gross",
    "refunds_by_date",
    "revenue_net",
)
TREND = ("sessions", "social_sessions", "visitors")
CUSTOM = "custom"
DEFAULTS = {
    "funnel": "social",
    "mode": "ordered",
    "window_d": "14",
    "counting": "unique",
    "by": "",
    "breakdown_at": "first",
    "unit": "visitor",
    "steps": "",
}
FUNNEL_KEYS = tuple(DEFAULTS)
PARAM_KEYS = ("conversion_window_d",)
MAX_WINDOW_D = 366
BREAKDOWN_BARS = 8
"""Breakdown values drawn as bars (largest step 1 first); the table lists every value."""


def build(ctx: PageContext) -> dict[str, Any]:
    params, problems = _metric_params(ctx)
    blocks: list[dict[str, Any]] = [
        safe(_kpis, ctx, TRAFFIC_KPIS, params),
        safe(_kpis, ctx, PURCHASE_KPIS, params),
        safe(trend_chart, ctx, "traffic_trend", TREND),
        *funnel_blocks(ctx),
    ]
    body: dict[str, Any] = {"blocks": blocks, "params": params}
    if problems:
        body["notice"] = "; ".join(problems)
    return body


def _metric_params(ctx: PageContext) -> tuple[dict[str, str], list[str]]:
    """conversion_window_d from the URL, checked by the metric layer's own parser."""
    spec = {p.name: p for p in REGISTRY.get("conversion_rate").params}
    out: dict[str, str] = {}
    problems: list[str] = []
    for key in PARAM_KEYS:
        raw = ctx.filters.extra.get(key)
        if raw is None:
            continue
        try:
            spec[key].parse(raw)
        except (TypeError, ValueError) as exc:
            problems.append(f"{key}: {exc}")
            continue
        out[key] = raw
    return out, problems


def _kpis(ctx: PageContext, metrics: tuple[str, ...], params: dict[str, str]) -> dict[str, Any]:
    block = kpi_block(ctx, metrics, params)
    window = params.get("conversion_window_d") or str(
        REGISTRY.get("conversion_rate").params[0].default
    )
    for item in block["items"]:
        if item["metric"] == "conversion_rate":
            item["label"] = ctx.t("conversion_rate_window", label=item["label"], days=window)
    return benchmarks.attach(block, ctx.filters.channels, ctx.lang)


# -- the funnel -------------------------------------------------------------------------------
def _opt(ctx: PageContext, key: str) -> str:
    return ctx.filters.extra.get(key, DEFAULTS[key]).strip()


def funnel_request(ctx: PageContext) -> tuple[FunnelRequest, list[str]]:
    """The request the URL asks for (FunnelError with the option at fault) and the notes
    the result must carry (the channel filter's effect)."""
    name = _opt(ctx, "funnel")
    same: tuple[str, ...] = ()
    if name == CUSTOM:
        text = _opt(ctx, "steps")
        if not text:
            raise FunnelError("steps: write the steps, e.g. click,add_to_cart,purchase")
        steps = parse_steps(text)
        unit = _opt(ctx, "unit")
    elif name in BUILTINS:
        b = BUILTINS[name]
        steps, unit, same = b.steps, b.unit, b.same
    else:
        raise FunnelError(f"funnel: no built-in {name!r}; use {', '.join(BUILTINS)} or custom")
    raw = _opt(ctx, "window_d")
    try:
        days = float(raw)
    except ValueError:
        raise FunnelError(f"window_d: not a number of days: {raw[:20]!r}") from None
    if not 0 < days <= MAX_WINDOW_D:
        raise FunnelError(f"window_d: the window must be more than 0 and at most {MAX_WINDOW_D}")
    notes: list[str] = []
    channels = ctx.filters.channels
    if channels and steps and "channel" in steps[0].source.dims:
        entry = steps[0]
        narrowed = replace(entry, filters=(*entry.filters, Filter("channel", "in", channels)))
        steps = (narrowed, *steps[1:])
        notes.append(ctx.t("funnel_channel_entry", channels=", ".join(channels)))
    elif channels:
        notes.append(ctx.t("funnel_channel_ignored"))
    by = _opt(ctx, "by") or None
    request = FunnelRequest(
        steps=steps,
        shop=ctx.filters.shop,
        date_from=ctx.filters.date_from,
        date_to=ctx.filters.date_to,
        unit=unit,
        mode=_opt(ctx, "mode"),
        window=timedelta(days=days),
        counting=_opt(ctx, "counting"),
        by=by,
        breakdown_at=_opt(ctx, "breakdown_at"),
        same=same,
    )
    return request, notes


def funnel_blocks(ctx: PageContext) -> list[dict[str, Any]]:
    """The options form, then the funnel (or the message saying which option is wrong)."""
    blocks = [_options(ctx)]
    try:
        request, notes = funnel_request(ctx)
        result = run_funnel(ctx.client, request)
    except FunnelError as exc:
        return [*blocks, error_block(str(exc))]
    blocks += [
        funnel_chart(ctx, result),
        steps_table(
            ctx, result.overall, request.steps, "funnel_steps", ctx.t("funnel_steps_title")
        ),
        value_table(ctx, result),
    ]
    if request.by:
        blocks += [breakdown_chart(ctx, result), breakdown_table(ctx, result)]
    blocks.append(notes_block("funnel_notes", "", [*notes, *_statements(ctx, result)]))
    return blocks


def _options(ctx: PageContext) -> dict[str, Any]:
    def choices(values: tuple[str, ...], key: str) -> list[Choice]:
        return [Choice(v, ctx.t(f"{key}_{v}")) for v in values]

    funnels = [Choice(n, ctx.t(f"funnel_builtin_{n}")) for n in BUILTINS]
    funnels.append(Choice(CUSTOM, ctx.t("funnel_builtin_custom")))
    dims = [Choice("", ctx.t("funnel_no_breakdown"))]
    dims += [Choice(d, i18n.dimension_label(ctx.lang, d)) for d in DIMENSIONS]
    name = _opt(ctx, "funnel")
    builtin = BUILTINS.get(name)
    # a built-in's own steps and unit are shown (its unit is not the URL's)
    unit = builtin.unit if builtin else _opt(ctx, "unit")
    example = ",".join(s.label for s in builtin.steps) if builtin else "click,add_to_cart,purchase"
    fields = [
        Field("funnel", ctx.t("funnel_choose"), "select", name, funnels),
        Field(
            "steps",
            ctx.t("funnel_steps"),
            "text",
            _opt(ctx, "steps"),
            help=ctx.t("funnel_steps_help", events=", ".join(EVENTS)),
            extra={"placeholder": example},
        ),
        Field("unit", ctx.t("funnel_unit"), "select", unit, choices(UNITS, "unit")),
        Field("mode", ctx.t("funnel_mode"), "select", _opt(ctx, "mode"), choices(MODES, "mode")),
        Field("window_d", ctx.t("funnel_window_d"), "number", _opt(ctx, "window_d"), min=0, step=1),
        Field(
            "counting",
            ctx.t("funnel_counting"),
            "select",
            _opt(ctx, "counting"),
            choices(COUNTINGS, "counting"),
        ),
        Field("by", ctx.t("funnel_by"), "select", _opt(ctx, "by"), dims),
        Field(
            "breakdown_at",
            ctx.t("funnel_breakdown_at"),
            "select",
            _opt(ctx, "breakdown_at"),
            choices(BREAKDOWN_AT, "breakdown_at"),
        ),
    ]
    return options_block(ctx, "funnel_options", ctx.t("funnel_title"), fields)


def step_label(ctx: PageContext, step: Step) -> str:
    """An event's name in the page's language, with its filters as written."""
    name = ctx.t(f"funnel_event_{step.event}")
    if not step.filters:
        return name
    return f"{name} [{', '.join(f.text() for f in step.filters)}]"


def funnel_chart(ctx: PageContext, result: FunnelResult) -> dict[str, Any]:
    labels = [step_label(ctx, s) for s in result.request.steps]
    counts = [s.count for s in result.overall.steps]
    figure = {
        "data": [
            {
                "type": "funnel",
                "y": labels,
                "x": counts,
                "textinfo": "value+percent initial",
                "marker": {"color": [PALETTE[i % len(PALETTE)] for i in range(len(counts))]},
                "hovertemplate": "%{y}: %{x}<extra></extra>",
            }
        ],
        "layout": {
            "margin": {"l": 200, "r": 16, "t": 16, "b": 24},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "autosize": True,
        },
    }
    rows = [{"step": s.step, "label": s.label, "count": s.count} for s in result.overall.steps]
    return {
        "kind": "chart",
        "id": "funnel_chart",
        "title": ctx.t("funnel_chart_title"),
        "figure": figure,
        "columns": ["step", "label", "count"],
        "rows": rows,
        "empty": not any(counts),
    }


STEP_COLUMNS = (
    "step",
    "label",
    "count",
    "conversion_from_first",
    "conversion_from_previous",
    "drop_off",
    "drop_off_rate",
    "median_s_from_previous",
    "median_s_from_first",
)
STEP_UNITS = {
    "step": "count",
    "count": "count",
    "conversion_from_first": "ratio",
    "conversion_from_previous": "ratio",
    "drop_off": "count",
    "drop_off_rate": "ratio",
    "median_s_from_previous": "seconds",
    "median_s_from_first": "seconds",
}


def steps_table(
    ctx: PageContext, part: FunnelSlice, steps: tuple[Step, ...], table_id: str, title: str
) -> dict[str, Any]:
    """Per step: count, conversion from step 1 and from the previous step, drop-off and
    the median time to convert (from the previous step and from the entry)."""
    rows = [{c: getattr(s, c) for c in STEP_COLUMNS} for s in part.steps]
    block = table(ctx, table_id, title, STEP_COLUMNS, rows, units=STEP_UNITS)
    for step, cells in zip(steps, block["display"], strict=True):
        cells["label"] = step_label(ctx, step)
    if not any(r["count"] for r in rows):
        block["empty"] = True
    return block


def value_table(ctx: PageContext, result: FunnelResult) -> dict[str, Any]:
    """The value at the last step, one row per currency (amounts never added across)."""
    rows = [
        {"currency": v.currency, "conversions": v.conversions, "total": v.total, "mean": v.mean}
        for v in result.overall.values
    ]
    columns = ("currency", "conversions", "total", "mean")
    block = table(
        ctx,
        "funnel_value",
        ctx.t("funnel_value_title"),
        columns,
        rows,
        units={"conversions": "count"},
    )
    for v, cells in zip(result.overall.values, block["display"], strict=True):
        cells["total"] = i18n.format_value(v.total, "money", ctx.lang, v.currency)
        cells["mean"] = i18n.format_value(v.mean, "money", ctx.lang, v.currency)
    return block


def breakdown_chart(ctx: PageContext, result: FunnelResult) -> dict[str, Any]:
    """Grouped bars: each step, one bar per breakdown value (the largest ones)."""
    by = result.request.by or ""
    labels = [step_label(ctx, s) for s in result.request.steps]
    shown = result.breakdown[:BREAKDOWN_BARS]
    traces = [
        {
            "type": "bar",
            "name": i18n.value_label(ctx.lang, by, part.value),
            "x": labels,
            "y": [s.count for s in part.steps],
            "marker": {"color": PALETTE[i % len(PALETTE)]},
            "hovertemplate": "%{x}: %{y}<extra>%{fullData.name}</extra>",
        }
        for i, part in enumerate(shown)
    ]
    rows = [
        {"value": part.value, "step": s.step, "label": s.label, "count": s.count}
        for part in result.breakdown
        for s in part.steps
    ]
    return {
        "kind": "chart",
        "id": "funnel_breakdown",
        "title": _breakdown_title(ctx, result),
        "figure": {
            "data": traces,
            "layout": {
                "barmode": "group",
                "margin": {"l": 48, "r": 16, "t": 16, "b": 80},
                "legend": {"orientation": "h", "y": -0.35},
                "yaxis": {"rangemode": "tozero", "gridcolor": "#e5e7eb"},
                "paper_bgcolor": "rgba(0,0,0,0)",
                "plot_bgcolor": "rgba(0,0,0,0)",
                "autosize": True,
            },
        },
        "columns": ["value", "step", "label", "count"],
        "rows": rows,
        "empty": not any(r["count"] for r in rows),
    }


def breakdown_table(ctx: PageContext, result: FunnelResult) -> dict[str, Any]:
    """One row per breakdown value: entries, last-step count and overall conversion."""
    by = result.request.by or ""
    rows = []
    for part in result.breakdown:
        first, last = part.steps[0], part.steps[-1]
        rows.append(
            {
                by: part.value,
                "entries": first.count,
                "completed": last.count,
                "conversion_from_first": last.conversion_from_first,
                "median_s_from_first": last.median_s_from_first,
            }
        )
    columns = (by, "entries", "completed", "conversion_from_first", "median_s_from_first")
    units = {
        "entries": "count",
        "completed": "count",
        "conversion_from_first": "ratio",
        "median_s_from_first": "seconds",
    }
    block = table(
        ctx, "funnel_breakdown_table", _breakdown_title(ctx, result), columns, rows, units=units
    )
    for raw, cells in zip(rows, block["display"], strict=True):
        cells[by] = i18n.value_label(ctx.lang, by, raw[by])
    return block


def _breakdown_title(ctx: PageContext, result: FunnelResult) -> str:
    by = result.request.by or ""
    return ctx.t(
        f"funnel_breakdown_{result.request.breakdown_at}",
        dim=i18n.dimension_label(ctx.lang, by),
    )


def _statements(ctx: PageContext, result: FunnelResult) -> list[str]:
    """What the numbers count: unit, mode, window, counting, and the breakdown's side."""
    r = result.request
    out = [
        ctx.t(
            "funnel_statement",
            unit=ctx.t(f"unit_{r.unit}"),
            mode=ctx.t(f"mode_{r.mode}"),
            days=f"{r.window.total_seconds() / 86400:g}",
            counting=ctx.t(f"counting_{r.counting}"),
        )
    ]
    if r.by:
        out.append(_breakdown_title(ctx, result))
    if r.same:
        out.append(ctx.t("funnel_same", dims=", ".join(r.same)))
    return out


register(
    Page(
        "/funnels",
        "nav_funnels",
        build,
        extra_keys=(*FUNNEL_KEYS, *PARAM_KEYS),
    )
)
