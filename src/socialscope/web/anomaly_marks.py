"""Anomalies on the dashboard: markers on every trend chart, and the overview's list.

`mark(ctx, block, ...)` runs the anomaly runner on each charted series (the same metric,
shop, period, filters and parameters as the chart), adds one marker trace per metric
whose points were flagged — its tooltip lists the explanations in the page's language —
and a `anomalies` list on the block (rendered under the chart). Results are kept in the
process's result cache (web/cache.py: same store data, shop, period and filters → not
computed again for a few minutes), so a page that draws one metric twice, and the
overview's list built from its charts, pay once.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from socialscope.insights import Anomaly, Explanation
from socialscope.metrics.query import QueryError
from socialscope.web import i18n
from socialscope.web.cache import RESULTS

if TYPE_CHECKING:
    from socialscope.web.blocks import PageContext

GRAINS = {"date": "day", "hour": "hour", "week": "week", "month": "month"}
MARK_COLOR = "#dc2626"
TOOLTIP_EXPLANATIONS = 3
TRACE_META = "anomalies"


def anomalies_for(
    ctx: PageContext,
    metric: str,
    where: Mapping[str, Sequence[str]] | None = None,
    grain: str = "date",
    params: Mapping[str, Any] | None = None,
) -> list[Anomaly]:
    """The flagged points of one charted series (cached per store data and request)."""
    f = ctx.filters
    scoped_where = ctx.where_for([metric], where)
    key = (
        "anomalies",
        f.shop,
        metric,
        f.date_from,
        f.date_to,
        GRAINS[grain],
        tuple(sorted((k, tuple(v)) for k, v in scoped_where.items())),
        tuple(sorted((k, str(v)) for k, v in (params or {}).items())),
    )

    def compute() -> list[Anomaly]:
        return ctx.client.anomalies(
            metric,
            shop=f.shop,
            date_from=f.date_from,
            date_to=f.date_to,
            grain=GRAINS[grain],
            where=scoped_where or None,
            params=params,
        )

    found: list[Anomaly] = RESULTS.get_or_compute(ctx.client, key, compute)
    return found


def explanation_text(lang: str, e: Explanation) -> str:
    """An explanation in the page's language (its template), else its English label."""
    if not e.message:
        return e.label
    args = dict(e.args)
    if "post_kind" in args:
        args["kind"] = i18n.value_label(lang, "post_kind", args["post_kind"])
    if "channel" in args:
        args["channel"] = i18n.value_label(lang, "channel", args["channel"])
    return i18n.t(lang, e.message, **args)


def point_x(a: Anomaly) -> str:
    """The x value of a flagged point as the charts give theirs (ISO text)."""
    when = a.hour if a.hour is not None else a.date
    assert when is not None
    return when.isoformat()


def _x_key(x: Any) -> str:
    """A chart x value (ISO text, or a date/datetime not yet serialised) as ISO text."""
    return x.isoformat() if isinstance(x, date | datetime) else str(x)


def describe(ctx: PageContext, metric: str, a: Anomaly, grain: str = "date") -> dict[str, Any]:
    """A flagged point for display: when (a week as "Week of ...", a month by its name),
    how much, and the explanations (translated)."""
    when: date | datetime = a.hour if a.hour is not None else a.date  # type: ignore[assignment]
    if isinstance(when, datetime):
        when_text = i18n.format_datetime(when, ctx.lang, seconds=False)
    elif grain in ("week", "month"):
        when_text = i18n.value_label(ctx.lang, grain, when)
    else:
        when_text = i18n.format_date(when, ctx.lang)
    return {
        "metric": metric,
        "metric_label": i18n.metric_label(ctx.lang, metric),
        "x": point_x(a),
        "when": when_text,
        "direction": a.direction,
        "value": a.value,
        "expected": a.expected,
        "value_display": ctx.fmt(a.value, metric),
        "expected_display": ctx.fmt(a.expected, metric),
        "change_display": i18n.format_change(a.deviation_pct, ctx.lang),
        "explanations": [explanation_text(ctx.lang, e) for e in a.explanations],
    }


def _tooltip(ctx: PageContext, d: Mapping[str, Any]) -> str:
    head = ctx.t(
        "anomaly_tooltip",
        metric=d["metric_label"],
        value=d["value_display"],
        expected=d["expected_display"],
        change=d["change_display"],
    )
    lines = [f"<b>{html.escape(head)}</b>"]
    shown = d["explanations"][:TOOLTIP_EXPLANATIONS]
    lines += [f"• {html.escape(text)}" for text in shown]
    if not shown:
        lines.append(html.escape(ctx.t("anomaly_unexplained")))
    return "<br>".join(lines)


def _explain_on_line(
    block: dict[str, Any], label: str, shown: Sequence[Mapping[str, Any]], tips: Sequence[str]
) -> None:
    """Put the anomaly tooltip on the metric line's own flagged points (whichever of the
    line and the marker Plotly picks under the mouse, the explanations show)."""
    line = next(
        (
            t
            for t in block["figure"]["data"]
            if t.get("name") == label and t.get("meta") is None and "customdata" in t
        ),
        None,
    )
    if line is None:
        return
    tip_at = {d["x"]: "<br>" + tip for d, tip in zip(shown, tips, strict=True)}
    line["text"] = [tip_at.get(_x_key(x), "") for x in line["x"]]
    template = str(line.get("hovertemplate") or "%{x}: %{y}<extra></extra>")
    if "%{text}" not in template:
        head, sep, tail = template.partition("<extra>")
        line["hovertemplate"] = f"{head}%{{text}}{sep}{tail}"


def mark(
    ctx: PageContext,
    block: dict[str, Any],
    metrics: Sequence[str],
    where: Mapping[str, Sequence[str]] | None = None,
    grain: str = "date",
    params: Mapping[str, Any] | None = None,
    colors: Sequence[str] = (),
) -> dict[str, Any]:
    """The trend chart block with its anomalies marked at its grain (day, hour, week or
    month; unchanged when the series cannot be evaluated, e.g. several shops)."""
    if grain not in GRAINS or block.get("empty"):
        return block
    notes: list[dict[str, Any]] = []
    for i, metric in enumerate(metrics):
        try:
            found = anomalies_for(ctx, metric, where, grain, params)
        except QueryError:
            continue
        found = [a for a in found if not a.dims or set(a.dims) == {"currency"}]
        if not found:
            continue
        shown = [describe(ctx, metric, a, grain) for a in found]
        notes.extend(shown)
        label = i18n.metric_label(ctx.lang, metric)
        color = colors[i % len(colors)] if colors else MARK_COLOR
        _explain_on_line(block, label, shown, [_tooltip(ctx, d) for d in shown])
        block["figure"]["data"].append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": ctx.t("anomalies_of", metric=label),
                "meta": TRACE_META,
                "x": [d["x"] for d in shown],
                "y": [d["value"] for d in shown],
                "hoverinfo": "skip",  # the line's own point carries the tooltip
                "marker": {
                    "symbol": "circle-open",
                    "size": 16,
                    "color": MARK_COLOR,
                    "line": {"width": 3, "color": color},
                },
            }
        )
    block["anomalies"] = sorted(notes, key=lambda d: (str(d["x"]), d["metric"]))
    return block


PANEL_ITEMS = 10


def anomaly_panel(ctx: PageContext, blocks: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The overview's "Anomalies" list: the flagged points of its trend charts, latest
    first (a point drawn on two charts is listed once), at most PANEL_ITEMS."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for block in blocks:
        for item in block.get("anomalies", ()):
            seen.setdefault((item["metric"], str(item["x"])), item)
    items = sorted(seen.values(), key=lambda d: str(d["x"]), reverse=True)[:PANEL_ITEMS]
    return {
        "kind": "anomalies",
        "id": "anomalies",
        "title": ctx.t("anomalies_title"),
        "items": items,
        "empty": not items,
    }
