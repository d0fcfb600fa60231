"""Metric explorer: any registered metric, split by any of its dimensions, over a time grain,
with filters, parameters and the comparison period — as a KPI card, a chart and a table,
with the metric's definition beside them. Every number is one `client.query(...)`.

URL parameters (besides the shared filters): ``metric`` (default ``conversations``),
``by`` (comma list of the metric's own dimensions), ``grain`` (date|week|month|hour|none),
``where`` (``DIM=V1,V2;DIM2=V``) and ``param`` (``NAME=VALUE;...``).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from socialscope.metrics.execute import validate
from socialscope.metrics.factspec import TIME_DIMENSIONS
from socialscope.metrics.query import QueryError, make_query
from socialscope.metrics.registry import REGISTRY
from socialscope.metrics.spec import MetricSpec, ParamSpec, Ratio
from socialscope.web import i18n
from socialscope.web.blocks import (
    PALETTE,
    PageContext,
    breakdown_chart,
    kpis,
    safe,
    table,
    trend_chart,
)
from socialscope.web.drill import ALLOWED, drill_kind, drill_url
from socialscope.web.filters import Filters
from socialscope.web.pages import Page, register
from socialscope.web.pages.lists import (
    LIST_PARAMS,
    format_where,
    parse_params,
    parse_where,
)

DEFAULT_METRIC = "conversations"
GRAINS = ("date", "week", "month", "hour", "none")
NO_GRAIN = "none"
MAX_SERIES = 8
"""Lines drawn when the trend is split by a dimension (the largest values over the period)."""
MAX_ROWS = 10_000
"""Table rows shown (and exported); an hourly grain over years stops here."""


@dataclass(frozen=True)
class Selection:
    """What the explorer shows, read from the URL (and checked against the registry)."""

    metric: str
    by: tuple[str, ...]
    grain: str
    where: dict[str, list[str]]
    params: dict[str, str]

    @property
    def dims(self) -> tuple[str, ...]:
        """The table's dimensions: the grain (unless none) and then `by`."""
        return ((self.grain,) if self.grain != NO_GRAIN else ()) + self.by


def _split_list(raw: str | None) -> tuple[str, ...]:
    items = (raw or "").replace(";", ",").split(",")
    return tuple(dict.fromkeys(i.strip() for i in items if i.strip()))


def read_selection(ctx: PageContext) -> tuple[Selection, str | None]:
    """The selection and the first problem with it (a message for an error block)."""
    extra = ctx.filters.extra
    metric = (extra.get("metric") or DEFAULT_METRIC).strip()
    by = _split_list(extra.get("by"))
    problem: str | None = None
    try:
        where = parse_where(extra.get("where"))
        params = parse_params(extra.get("param"))
    except QueryError as exc:
        where, params, problem = {}, {}, str(exc)
    spec = REGISTRY.get(metric) if metric in REGISTRY else None
    grain = extra.get("grain") or (NO_GRAIN if spec is not None and spec.snapshot else "date")
    selection = Selection(metric, by, grain, where, params)
    if problem is not None:
        return selection, problem
    if grain not in GRAINS:
        return selection, f"grain: one of {', '.join(GRAINS)}; got {grain[:20]!r}"
    if spec is not None:
        for dim in (*by, *where):
            if dim in TIME_DIMENSIONS or dim == "shop_id":
                return selection, (
                    f"{dim!r}: the period and the grain set the time, the shop filter the "
                    f"shop; split or filter by {', '.join(spec.dimensions) or 'nothing else'}"
                )
    try:
        query = make_query(
            metric,
            list(selection.dims),
            ctx.filters.date_from,
            ctx.filters.date_to,
            ctx.filters.shop,
            where,
            ctx.filters.compare_mode,
            params,
        )
        validate(query, REGISTRY)
    except QueryError as exc:
        return selection, str(exc)
    return selection, None


# -- the definition ----------------------------------------------------------------------
def metric_params(spec: MetricSpec) -> list[ParamSpec]:
    """The parameters a metric reads (a ratio's own, else its parts'), once each."""
    seen: dict[str, ParamSpec] = {}

    def visit(s: MetricSpec) -> None:
        for p in s.params:
            seen.setdefault(p.name, p)
        if isinstance(s.agg, Ratio):
            visit(REGISTRY.get(s.agg.numerator))
            visit(REGISTRY.get(s.agg.denominator))

    visit(spec)
    return list(seen.values())


def definition(ctx: PageContext, spec: MetricSpec) -> dict[str, Any]:
    """The metric as the registry defines it: label, description, unit, formula, params."""
    lang = ctx.lang
    block: dict[str, Any] = {
        "kind": "definition",
        "id": "definition",
        "metric": spec.id,
        "title": i18n.metric_label(lang, spec.id),
        "text": i18n.metric_description(lang, spec.id),
        "unit": spec.unit.value,
        "better": spec.better.value,
        "section": i18n.section_label(lang, spec.section),
        "aggregation": type(spec.agg).__name__.lower(),
        "fact": spec.fact,
        "snapshot": spec.snapshot,
        "dimensions": list(spec.dimensions),
        "dimension_labels": {d: i18n.dimension_label(lang, d) for d in spec.dimensions},
        "params": [
            {"name": p.name, "default": p.default, "doc": p.doc} for p in metric_params(spec)
        ],
        "notes": spec.notes,
    }
    if isinstance(spec.agg, Ratio):
        num, den = spec.agg.numerator, spec.agg.denominator
        block["numerator"], block["denominator"] = num, den
        block["formula"] = f"{i18n.metric_label(lang, num)} / {i18n.metric_label(lang, den)}"
    else:
        kind = block["aggregation"].replace("countdistinct", "count distinct")
        block["formula"] = f"{kind} · {spec.fact}"
    return block


# -- drill-down links --------------------------------------------------------------------
def _bucket(grain: str, value: Any) -> tuple[date, date] | None:
    """The days of a week or month bucket (the bucket's first day is its value)."""
    day = value.date() if isinstance(value, datetime) else value
    if not isinstance(day, date):
        try:
            day = date.fromisoformat(str(value)[:10])
        except ValueError:
            return None
    if grain == "date":
        return day, day
    if grain == "week":
        return day, day + timedelta(days=6)
    if grain == "month":
        return day, day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return None


def drill_link(ctx: PageContext, sel: Selection, row: Mapping[str, Any]) -> str | None:
    """The list behind one value: the row's dimension values, the where filters, its time
    bucket and the metric's parameters. None when the list cannot hold exactly those rows
    (a dimension the list cannot filter on, an hour bucket, a metric without a list)."""
    kind = drill_kind(sel.metric)
    if kind is None:
        return None
    allowed = ALLOWED[kind]
    filters: Filters = ctx.filters
    slice_: dict[str, Any] = {}
    for dim, values in sel.where.items():
        if dim not in allowed:
            return None
        slice_[dim] = ",".join(values)
    for dim in sel.by:
        if dim not in row:
            continue
        if dim not in allowed:
            return None
        value = row[dim]
        slice_[dim] = "" if value is None else value  # "" lists the rows without a value
    if sel.grain != NO_GRAIN and sel.grain in row:
        days = _bucket(sel.grain, row[sel.grain])
        if days is None:
            return None
        start = max(days[0], filters.date_from)
        end = min(days[1], filters.date_to)
        if start > end:
            return None
        filters = replace(filters, date_from=start, date_to=end)
    url = drill_url(sel.metric, filters, slice_)
    if url is None:
        return None
    known = {p.name for p in LIST_PARAMS[kind]}
    params = sorted((k, v) for k, v in sel.params.items() if k in known)
    return url + ("&" + urlencode(params) if params else "")


# -- blocks ------------------------------------------------------------------------------
def split_context(ctx: PageContext, sel: Selection) -> PageContext:
    """The context for the split views: split by currency, every currency is shown (each
    row holds one), so the shop-currency filter `where_for` adds for money is left out
    (and amounts are shown as numbers, their currency beside them)."""
    if "currency" in sel.by and "currency" not in sel.where:
        return replace(ctx, currency=None)
    return ctx


def _kpi(ctx: PageContext, sel: Selection) -> dict[str, Any]:
    block = kpis(ctx, [sel.metric], sel.where, sel.params)
    for item in block["items"]:
        item["drill"] = drill_link(ctx, sel, {})
    return block


def _title(ctx: PageContext, sel: Selection) -> str:
    label = i18n.metric_label(ctx.lang, sel.metric)
    parts = [i18n.dimension_label(ctx.lang, d) for d in sel.dims]
    return " · ".join([label, *parts])


def _chart(ctx: PageContext, sel: Selection) -> dict[str, Any]:
    """A trend over the grain (one line per value of the first dimension, if any), or bars
    by the first dimension when there is no grain (and no chart without either)."""
    title = _title(ctx, sel)
    if sel.grain == NO_GRAIN:
        block = breakdown_chart(ctx, "chart", sel.metric, sel.by[0], sel.where, title, sel.params)
        _relink(ctx, sel, block)
        return block
    if not sel.by:
        block = trend_chart(ctx, "chart", [sel.metric], sel.where, sel.grain, title, sel.params)
        _relink(ctx, sel, block)
        return block
    return _split_trend(ctx, sel, title)


def _relink(ctx: PageContext, sel: Selection, block: dict[str, Any]) -> None:
    """Drill links that carry the explorer's filters, buckets and parameters."""
    one = replace(sel, by=sel.by[:1])
    links = [drill_link(ctx, one, r) for r in block["rows"]]
    for trace in block["figure"]["data"]:
        if "customdata" in trace:
            trace["customdata"] = links


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is not None and not isinstance(value, int | float | str | bool):
        return float(value)
    return value


def _split_trend(ctx: PageContext, sel: Selection, title: str) -> dict[str, Any]:
    dim, metric = sel.by[0], sel.metric
    totals = ctx.query([metric], by=[dim], where=sel.where, params=sel.params, compare=False)
    ranked = sorted(totals.rows, key=lambda r: (r.get(metric) is None, -float(r.get(metric) or 0)))
    values = [r.get(dim) for r in ranked[:MAX_SERIES]]
    result = ctx.query(
        [metric], by=[sel.grain, dim], where=sel.where, params=sel.params, compare=False
    )
    one = replace(sel, by=(dim,))
    traces = []
    for i, value in enumerate(values):
        rows = [r for r in result.rows if r.get(dim) == value]
        name = i18n.value_label(ctx.lang, dim, value) if value is not None else "—"
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": name,
                "x": [_plain(r[sel.grain]) for r in rows],
                "y": [_plain(r.get(metric)) for r in rows],
                "line": {"color": PALETTE[i % len(PALETTE)], "width": 2},
                "customdata": [drill_link(ctx, one, r) for r in rows],
                "hovertemplate": "%{x}: %{y}<extra>" + name + "</extra>",
            }
        )
    columns = [sel.grain, dim, metric]
    shown = [r for r in result.rows if r.get(dim) in values]
    layout: dict[str, Any] = {
        "margin": {"l": 48, "r": 16, "t": 16, "b": 40},
        "legend": {"orientation": "h", "y": -0.2},
        "hovermode": "closest",
        "yaxis": {"rangemode": "tozero", "gridcolor": "#e5e7eb"},
        "xaxis": {"gridcolor": "#f3f4f6"},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "autosize": True,
    }
    if ctx.spec(metric).unit.value == "ratio":
        layout["yaxis"]["tickformat"] = ".0%"
    return {
        "kind": "chart",
        "id": "chart",
        "title": title
        + (f" ({ctx.t('top_n', n=MAX_SERIES)})" if len(totals.rows) > MAX_SERIES else ""),
        "figure": {"data": traces, "layout": layout},
        "columns": columns,
        "rows": [{c: r.get(c) for c in columns} for r in shown],
        "empty": not any(r.get(metric) for r in shown),
    }


def _table(ctx: PageContext, sel: Selection) -> dict[str, Any]:
    metric = sel.metric
    result = ctx.query(
        [metric],
        by=list(sel.dims),
        where=sel.where,
        params=sel.params,
        dense=sel.grain != NO_GRAIN,
    )
    rows = list(result.rows)
    if sel.grain == NO_GRAIN and sel.by:
        rows.sort(key=lambda r: (r.get(metric) is None, -float(r.get(metric) or 0)))
    truncated = len(rows) > MAX_ROWS
    rows = rows[:MAX_ROWS]
    columns = [*sel.dims, metric]
    units: dict[str, str] = {}
    if ctx.filters.compare_mode:
        columns += [f"{metric}__previous", f"{metric}__change_pct"]
        units[f"{metric}__change_pct"] = "ratio"
    shown = [{c: r.get(c) for c in columns} for r in rows]
    links = []
    for r in shown:
        link = drill_link(ctx, sel, r)
        links.append(dict.fromkeys((*sel.dims, metric), link))
    title = _title(ctx, sel)
    if truncated:
        title += f" ({ctx.t('rows_count', n=MAX_ROWS)})"
    block = table(ctx, "table", title, columns, shown, links, units)
    if sel.grain != NO_GRAIN:
        for cells, raw in zip(block["display"], shown, strict=True):
            cells[sel.grain] = i18n.value_label(ctx.lang, sel.grain, raw.get(sel.grain))
    block["truncated"] = truncated
    return block


# -- the form's choices --------------------------------------------------------------------
def choices(ctx: PageContext, sel: Selection) -> dict[str, Any]:
    """What the explorer form offers: the metrics by section, the chosen metric's
    dimensions (single ones and pairs), the grains and the metric's parameters."""
    sections: dict[str, list[dict[str, str]]] = {}
    for each in REGISTRY:
        sections.setdefault(i18n.section_label(ctx.lang, each.section), []).append(
            {"id": each.id, "label": i18n.metric_label(ctx.lang, each.id)}
        )
    spec = REGISTRY.get(sel.metric) if sel.metric in REGISTRY else None
    dims = list(spec.dimensions) if spec is not None else []
    label = {d: i18n.dimension_label(ctx.lang, d) for d in dims}
    by_options = [{"value": "", "label": "—"}]
    by_options += [{"value": d, "label": label[d]} for d in dims]
    by_options += [
        {"value": f"{a},{b}", "label": f"{label[a]} × {label[b]}"}
        for i, a in enumerate(dims)
        for b in dims[i + 1 :]
    ]
    current = ",".join(sel.by)
    if current and current not in {o["value"] for o in by_options}:
        by_options.append({"value": current, "label": current})
    return {
        "sections": [{"label": name, "metrics": items} for name, items in sections.items()],
        "by": by_options,
        "by_value": current,
        "grains": [
            {"value": g, "label": ctx.t("total" if g == NO_GRAIN else f"grain_{g}")} for g in GRAINS
        ],
        "dimensions": [{"id": d, "label": label[d]} for d in dims],
        "params": [
            {"name": p.name, "default": p.default, "doc": p.doc}
            for p in (metric_params(spec) if spec is not None else [])
        ],
        "where_value": format_where(sel.where),
        "param_value": ";".join(f"{k}={v}" for k, v in sel.params.items()),
    }


def build(ctx: PageContext) -> dict[str, Any]:
    sel, problem = read_selection(ctx)
    blocks: list[dict[str, Any]] = []
    if sel.metric in REGISTRY:
        blocks.append(definition(ctx, REGISTRY.get(sel.metric)))
    body: dict[str, Any] = {
        "selection": {
            "metric": sel.metric,
            "by": list(sel.by),
            "grain": sel.grain,
            "where": sel.where,
            "params": sel.params,
        },
        "explorer": choices(ctx, sel),
        "blocks": blocks,
    }
    if problem is not None:
        blocks.append({"kind": "error", "message": problem})
        return body
    blocks.append(safe(_kpi, ctx, sel))
    split = split_context(ctx, sel)
    if sel.grain != NO_GRAIN or sel.by:
        blocks.append(safe(_chart, split, sel))
    blocks.append(safe(_table, split, sel))
    return body


register(
    Page(
        "/explore",
        "nav_explore",
        build,
        extra_keys=("metric", "by", "grain", "where", "param"),
        template="explore.html",
    )
)
