"""The building blocks of every page — KPI cards, trend and breakdown charts, tables — made
from metric-layer results only. A block is plain data (the page's JSON twin); the HTML
template renders it and the browser draws its Plotly figure.

Block shapes (``kind``):

* ``kpis``: ``items`` of {metric, label, unit, better, value, previous, change_pct,
  display, previous_display, change_display, trend: up|down|flat, good: bool|None, drill}
* ``chart``: {id, title, figure (Plotly JSON), columns, rows, empty}
* ``table``: {id, title, columns [{id, label, unit}], rows (raw), display (formatted),
  links (per row: {column: url}), empty}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from socialscope.client import Client
from socialscope.metrics.query import QueryError
from socialscope.metrics.registry import REGISTRY
from socialscope.metrics.spec import Better, MetricSpec, Unit
from socialscope.web import i18n
from socialscope.web.anomaly_marks import mark as mark_anomalies
from socialscope.web.drill import drill_url
from socialscope.web.filters import Filters

PALETTE = ("#2563eb", "#16a34a", "#ea580c", "#9333ea", "#0891b2", "#dc2626", "#ca8a04", "#4b5563")
PREVIOUS_COLOR = "#9ca3af"


@dataclass(frozen=True)
class PageContext:
    """What a page builder gets: the data, who asks, the filters and the language."""

    client: Client
    filters: Filters
    lang: str
    currency: str | None
    shops: Sequence[str]

    def t(self, key: str, **params: object) -> str:
        return i18n.t(self.lang, key, **params)

    def spec(self, metric: str) -> MetricSpec:
        return REGISTRY.get(metric)

    def supports(self, metric: str, dim: str) -> bool:
        return dim in REGISTRY.all_dimensions(REGISTRY.get(metric))

    def where_for(
        self, metrics: Sequence[str], extra: Mapping[str, Sequence[str]] | None = None
    ) -> dict[str, list[str]]:
        """The page filters that apply to all of these metrics, plus the shop currency for
        money (amounts of another currency are never mixed in)."""
        where: dict[str, list[str]] = {}
        if self.filters.channels and all(self.supports(m, "channel") for m in metrics):
            where["channel"] = list(self.filters.channels)
        money = any(self.spec(m).unit is Unit.MONEY or _money_ratio(m) for m in metrics)
        if money and self.currency and all(self.supports(m, "currency") for m in metrics):
            where["currency"] = [self.currency]
        for k, v in (extra or {}).items():
            where[k] = list(v)
        return where

    def query(
        self,
        metrics: Sequence[str],
        by: Sequence[str] = (),
        where: Mapping[str, Sequence[str]] | None = None,
        compare: bool = True,
        params: Mapping[str, Any] | None = None,
        dense: bool = True,
    ) -> Any:
        f = self.filters
        return self.client.query(
            list(metrics),
            by=list(by) or None,
            date_from=f.date_from,
            date_to=f.date_to,
            shop=f.shop,
            where=self.where_for(metrics, where),
            compare=f.compare_mode if compare else None,
            params=params,
            dense=dense,
        )

    def fmt(self, value: Any, metric_or_unit: str) -> str:
        unit = metric_or_unit
        if metric_or_unit in REGISTRY:
            unit = self.spec(metric_or_unit).unit.value
        return i18n.format_value(value, unit, self.lang, self.currency)


def _money_ratio(metric: str) -> bool:
    from socialscope.metrics.spec import Ratio

    agg = REGISTRY.get(metric).agg
    if not isinstance(agg, Ratio):
        return False
    return any(REGISTRY.get(p).unit is Unit.MONEY for p in (agg.numerator, agg.denominator))


def _trend(change: Any) -> str:
    if change is None:
        return "flat"
    if change > 0:
        return "up"
    if change < 0:
        return "down"
    return "flat"


def _good(spec: MetricSpec, trend: str) -> bool | None:
    if trend == "flat" or spec.better is Better.NEUTRAL:
        return None
    return (trend == "up") == (spec.better is Better.HIGHER)


def kpis(
    ctx: PageContext,
    metrics: Sequence[str],
    where: Mapping[str, Sequence[str]] | None = None,
    params: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """One card per metric: the period's value, the comparison and its direction."""
    result = ctx.query(metrics, where=where, params=params)
    row = result.rows[0] if result.rows else {}
    items = []
    for m in metrics:
        spec = ctx.spec(m)
        value = row.get(m)
        previous = row.get(f"{m}__previous")
        pct = row.get(f"{m}__change_pct")
        change = row.get(f"{m}__change")
        trend = _trend(change)
        items.append(
            {
                "metric": m,
                "label": i18n.metric_label(ctx.lang, m),
                "description": i18n.metric_description(ctx.lang, m),
                "unit": spec.unit.value,
                "better": spec.better.value,
                "value": value,
                "previous": previous,
                "change_pct": pct,
                "display": ctx.fmt(value, m),
                "previous_display": ctx.fmt(previous, m) if ctx.filters.compare_mode else None,
                "change_display": i18n.format_change(pct, ctx.lang)
                if ctx.filters.compare_mode
                else None,
                "trend": trend,
                "good": _good(spec, trend),
                "drill": drill_url(m, ctx.filters, _where_slice(where)),
            }
        )
    return {"kind": "kpis", "items": items}


def _where_slice(where: Mapping[str, Sequence[str]] | None) -> dict[str, Any]:
    return {k: ",".join(v) for k, v in (where or {}).items() if k != "currency"}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def trend_chart(
    ctx: PageContext,
    chart_id: str,
    metrics: Sequence[str],
    where: Mapping[str, Sequence[str]] | None = None,
    grain: str = "date",
    title: str | None = None,
    params: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Metrics over time (one line each, the comparison period dashed beside it)."""
    result = ctx.query(metrics, by=[grain], where=where, params=params)
    rows = result.rows
    traces: list[dict[str, Any]] = []
    xs = [_plain(r[grain]) for r in rows]
    for i, m in enumerate(metrics):
        color = PALETTE[i % len(PALETTE)]
        label = i18n.metric_label(ctx.lang, m)
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": label,
                "x": xs,
                "y": [_plain(r.get(m)) for r in rows],
                "line": {"color": color, "width": 2},
                "customdata": [
                    drill_url(m, ctx.filters, {grain: r[grain], **_where_slice(where)})
                    for r in rows
                ],
                "hovertemplate": "%{x}: %{y}<extra>" + label + "</extra>",
            }
        )
        if ctx.filters.compare_mode and rows and f"{m}__previous" in rows[0]:
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": f"{label} ({ctx.t('previous_period')})",
                    "x": xs,
                    "y": [_plain(r.get(f"{m}__previous")) for r in rows],
                    "line": {"color": color, "width": 1, "dash": "dot"},
                    "opacity": 0.6,
                    "hoverinfo": "skip",
                }
            )
    columns = [grain, *metrics]
    if ctx.filters.compare_mode:
        columns += [f"{m}__previous" for m in metrics]
    empty = not any(r.get(m) for r in rows for m in metrics)
    block = {
        "kind": "chart",
        "id": chart_id,
        "title": title or ", ".join(i18n.metric_label(ctx.lang, m) for m in metrics),
        "figure": {"data": traces, "layout": _layout(ctx, metrics)},
        "columns": columns,
        "rows": [{c: r.get(c) for c in columns} for r in rows],
        "empty": empty,
    }
    return mark_anomalies(ctx, block, metrics, where, grain, params, PALETTE)


def breakdown_chart(
    ctx: PageContext,
    chart_id: str,
    metric: str,
    by: str,
    where: Mapping[str, Sequence[str]] | None = None,
    title: str | None = None,
    params: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """One metric split by a dimension, as bars (click a bar for its rows)."""
    result = ctx.query([metric], by=[by], where=where, params=params)
    rows = [r for r in result.rows if r.get(by) is not None or r.get(metric)]
    rows.sort(key=lambda r: (r.get(metric) is None, -(float(r.get(metric) or 0))))
    label = i18n.metric_label(ctx.lang, metric)
    trace = {
        "type": "bar",
        "name": label,
        "x": [i18n.value_label(ctx.lang, by, r.get(by)) for r in rows],
        "y": [_plain(r.get(metric)) for r in rows],
        "marker": {"color": PALETTE[0]},
        "customdata": [
            drill_url(metric, ctx.filters, {by: r.get(by), **_where_slice(where)}) for r in rows
        ],
        "hovertemplate": "%{x}: %{y}<extra></extra>",
    }
    traces = [trace]
    if ctx.filters.compare_mode:
        traces.append(
            {
                "type": "bar",
                "name": ctx.t("previous_period"),
                "x": trace["x"],
                "y": [_plain(r.get(f"{metric}__previous")) for r in rows],
                "marker": {"color": PREVIOUS_COLOR},
                "hoverinfo": "skip",
            }
        )
    columns = [by, metric] + ([f"{metric}__previous"] if ctx.filters.compare_mode else [])
    return {
        "kind": "chart",
        "id": chart_id,
        "title": title or f"{label} · {i18n.dimension_label(ctx.lang, by)}",
        "figure": {"data": traces, "layout": _layout(ctx, [metric], barmode="group")},
        "columns": columns,
        "rows": [{c: r.get(c) for c in columns} for r in rows],
        "empty": not any(r.get(metric) for r in rows),
    }


def _layout(ctx: PageContext, metrics: Sequence[str], **extra: Any) -> dict[str, Any]:
    units = {ctx.spec(m).unit for m in metrics}
    yaxis: dict[str, Any] = {"rangemode": "tozero", "gridcolor": "#e5e7eb"}
    if units == {Unit.RATIO}:
        yaxis["tickformat"] = ".0%"
    return {
        "margin": {"l": 48, "r": 16, "t": 16, "b": 40},
        "legend": {"orientation": "h", "y": -0.2},
        "hovermode": "closest",
        "yaxis": yaxis,
        "xaxis": {"gridcolor": "#f3f4f6"},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "autosize": True,
        **extra,
    }


def table(
    ctx: PageContext,
    table_id: str,
    title: str,
    columns: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
    links: Sequence[Mapping[str, str | None]] | None = None,
    units: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A sortable table: raw rows for export and sorting, formatted cells for display."""
    units = dict(units or {})
    cols = []
    for c in columns:
        unit = units.get(c) or (ctx.spec(c).unit.value if c in REGISTRY else None)
        if unit is None and c.endswith("__previous") and c[: -len("__previous")] in REGISTRY:
            unit = ctx.spec(c[: -len("__previous")]).unit.value
        cols.append({"id": c, "label": i18n.column_label(ctx.lang, c), "unit": unit})
    display = []
    for r in rows:
        cells = {}
        for col in cols:
            cid, cunit = str(col["id"]), col["unit"]
            value = r.get(cid)
            if cunit:
                cells[cid] = i18n.format_value(value, str(cunit), ctx.lang, ctx.currency)
            elif isinstance(value, str | int | bool) and cid in i18n.VALUE_DIMENSIONS:
                cells[cid] = i18n.value_label(ctx.lang, cid, value)
            elif value is None:
                cells[cid] = i18n.EMPTY
            elif isinstance(value, list):
                cells[cid] = ", ".join(str(v) for v in value)
            else:
                cells[cid] = str(value)
        display.append(cells)
    return {
        "kind": "table",
        "id": table_id,
        "title": title,
        "columns": cols,
        "rows": [dict(r) for r in rows],
        "display": display,
        "links": [dict(link) for link in (links or [{} for _ in rows])],
        "empty": not rows,
    }


def safe(block_fn: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """A block, or an error block with the metric layer's message (a page never fails
    whole because one block cannot be computed, e.g. a slice holding two currencies)."""
    try:
        out: dict[str, Any] = block_fn(*args, **kwargs)
        return out
    except QueryError as exc:
        return {"kind": "error", "message": str(exc)}
