"""Customer service (客服): reception, speed, conversion & loss, and satisfaction — each
with KPI cards against the comparison period, a trend, the split by channel and by staff;
the loss breakdowns (rounds, duration, category asked); and, in the speed tab, the
conversations that failed the 3-minute rule (as Douyin 飞鸽 lists the sessions below
100 %). Every number is a registered metric (`docs/metrics.md`); the page only arranges
them.

Metric parameters come from the URL (``threshold_s``, ``duration``, ``inquiry_window_h``)
and otherwise keep their defaults. A metric that cannot be split by channel (product
inquiries, negative reviews, silent unpaid orders, silent order share) ignores the
channel filter and says so on its card.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from socialscope.drilldown import CONVERSATION_PARAMS, ORDER_PARAMS
from socialscope.metrics.library.conversion_facts import (
    DURATION_BUCKETS,
    DURATION_TOP,
    ROUNDS_BUCKETS,
    ROUNDS_TOP,
)
from socialscope.metrics.registry import REGISTRY
from socialscope.metrics.spec import MetricSpec, ParamSpec, Ratio, Unit
from socialscope.web import i18n
from socialscope.web.blocks import PageContext, breakdown_chart, kpis, safe, table, trend_chart
from socialscope.web.drill import ALLOWED, CONVERSATIONS, ORDERS, drill_kind, drill_url
from socialscope.web.pages import Page, register

TABS = ("reception", "speed", "conversion_loss", "satisfaction")
ALL_TABS = "all"
PARAM_KEYS = ("threshold_s", "duration", "inquiry_window_h")
FAILED_LIMIT = 200
TOP_PRODUCTS = 20

# -- reception (接待) ------------------------------------------------------------------------
RECEPTION_KPIS = (
    "inquiring_customers",
    "served_customers",
    "human_conversations",
    "inbound_messages",
    "product_inquiries",
)
RECEPTION_TREND = ("inquiring_customers", "served_customers")
RECEPTION_CHANNEL = (
    "inquiring_customers",
    "served_customers",
    "human_conversations",
    "inbound_messages",
    "unreplied_conversations",
)
RECEPTION_STAFF = ("served_customers", "human_conversations", "conversations_handled")

# -- speed (響應) ----------------------------------------------------------------------------
SPEED_KPIS = (
    "three_minute_reply_rate",
    "first_response_time_avg",
    "first_response_time_median",
    "avg_response_time",
    "sla_attainment",
    "slow_rounds",
    "unanswered_rounds",
    "unreplied_conversations",
)
QUEUE_KPIS = ("queue_waiting", "queue_wait_max_s", "online_agents", "agent_saturation")
SPEED_CHANNEL = (
    "three_minute_eligible_conversations",
    "three_minute_reply_rate",
    "first_response_time_avg",
    "avg_response_time",
    "sla_attainment",
    "slow_rounds",
    "unanswered_rounds",
)
SPEED_STAFF = (
    "three_minute_eligible_conversations",
    "three_minute_reply_rate",
    "first_response_time_avg",
    "first_response_time_median",
    "avg_response_time",
    "sla_attainment",
    "slow_rounds",
)
FAILED_COLUMNS = (
    "conversation_id",
    "channel",
    "customer_id",
    "staff_id",
    "first_ts",
    "first_response_s",
    "longest_response_s",
    "unanswered_rounds",
    "three_minute_failed_round",
)
FAILED_UNITS = {
    "first_response_s": "seconds",
    "longest_response_s": "seconds",
    "unanswered_rounds": "count",
    "three_minute_failed_round": "count",
}

# -- conversion and loss (成交 / 流失) --------------------------------------------------------
CONVERSION_KPIS = (
    "inquiry_orders",
    "silent_orders",
    "silent_order_share",
    "inquiry_order_amount",
    "silent_order_amount",
)
LOSS_KPIS = (
    "inquiry_cohort_customers",
    "inquiry_conversion_rate",
    "inquiry_converted_customers",
    "inquiry_lost_customers",
    "inquiry_unpaid_customers",
    "silent_unpaid_orders",
)
COHORT_TREND = (
    "inquiry_converted_customers",
    "inquiry_unpaid_customers",
    "inquiry_lost_customers",
)
CONVERSION_CHANNEL = (
    "inquiry_orders",
    "silent_orders",
    "inquiry_order_amount",
    "silent_order_amount",
    "inquiry_cohort_customers",
    "inquiry_conversion_rate",
    "inquiry_lost_customers",
    "inquiry_unpaid_customers",
)
CONVERSION_STAFF = (
    "inquiry_cohort_customers",
    "inquiry_converted_customers",
    "inquiry_conversion_rate",
    "inquiry_lost_customers",
    "inquiry_unpaid_customers",
)
LOSS_ORDER: dict[str, tuple[str, ...]] = {
    "rounds_bucket": (*(label for _, label in ROUNDS_BUCKETS), ROUNDS_TOP),
    "duration_bucket": (*(label for _, label in DURATION_BUCKETS), DURATION_TOP),
}
"""Ordinal breakdowns keep their natural order (1, 2, 3-5, 6+), not the bars' sizes."""

# -- satisfaction (服務) ---------------------------------------------------------------------
SATISFACTION_KPIS = ("csat_rate", "csat_ratings", "csat_positive_ratings", "negative_reviews")
SATISFACTION_BY = ("csat_ratings", "csat_positive_ratings", "csat_rate")


# -- parameters ------------------------------------------------------------------------------
def _param_specs() -> dict[str, ParamSpec]:
    return {p.name: p for spec in REGISTRY for p in spec.params}


def page_params(ctx: PageContext) -> tuple[dict[str, str], list[str]]:
    """The metric parameters given in the URL (as text, checked with the metric layer's
    own parsers) and the problems with those that could not be used."""
    specs = _param_specs()
    out: dict[str, str] = {}
    problems: list[str] = []
    for key in PARAM_KEYS:
        raw = ctx.filters.extra.get(key)
        if raw is None or key not in specs:
            continue
        try:
            specs[key].parse(raw)
        except (TypeError, ValueError) as exc:
            problems.append(f"{key}: {exc}")
            continue
        out[key] = raw
    return out, problems


def _parts(spec: MetricSpec) -> list[MetricSpec]:
    if isinstance(spec.agg, Ratio):
        return [
            *_parts(REGISTRY.get(spec.agg.numerator)),
            *_parts(REGISTRY.get(spec.agg.denominator)),
        ]
    return [spec]


def params_for(metrics: Sequence[str], params: Mapping[str, str]) -> dict[str, str]:
    """The given parameters that these metrics read (the metric layer rejects others)."""
    known = {p.name for m in metrics for part in _parts(REGISTRY.get(m)) for p in part.params}
    known |= {p.name for m in metrics for p in REGISTRY.get(m).params}
    return {k: v for k, v in params.items() if k in known}


# -- filters per metric ----------------------------------------------------------------------
def ignores_channel(ctx: PageContext, metric: str) -> bool:
    """True when a channel filter is set and this metric cannot honour it."""
    return bool(ctx.filters.channels) and not ctx.supports(metric, "channel")


def scoped(ctx: PageContext, metric: str) -> PageContext:
    """The context a metric is computed in: without the channel filter when the metric
    has no channel (so neither its value nor its drill-down pretends to be narrowed)."""
    if ignores_channel(ctx, metric):
        return replace(ctx, filters=replace(ctx.filters, channels=()))
    return ctx


def _is_money(metric: str) -> bool:
    spec = REGISTRY.get(metric)
    return spec.unit is Unit.MONEY or any(p.unit is Unit.MONEY for p in _parts(spec))


def groups(ctx: PageContext, metrics: Sequence[str]) -> list[tuple[PageContext, list[str]]]:
    """Metrics in groups that take the same filters: with or without the channel filter,
    money (restricted to the shop currency) or not — so a count is never narrowed to one
    currency because an amount sits beside it, nor a channel filter dropped for all
    because one metric has no channel."""
    out: dict[tuple[bool, bool], list[str]] = {}
    for m in metrics:
        out.setdefault((ignores_channel(ctx, m), _is_money(m)), []).append(m)
    return [(scoped(ctx, ms[0]), ms) for ms in out.values()]


# -- drill-down links --------------------------------------------------------------------------
def with_params(url: str | None, params: Mapping[str, str]) -> str | None:
    """A drill-down URL carrying the page's metric parameters its list understands."""
    if url is None or not params:
        return url
    if url.startswith(f"/{CONVERSATIONS}?"):
        known = {p.name for p in CONVERSATION_PARAMS}
    elif url.startswith(f"/{ORDERS}?"):
        known = {p.name for p in ORDER_PARAMS}
    else:
        return url
    extra = [(k, v) for k, v in params.items() if k in known]
    return url + ("&" + urlencode(extra) if extra else "")


def drill(
    ctx: PageContext,
    metric: str,
    slice_: Mapping[str, Any] | None,
    params: Mapping[str, str],
) -> str | None:
    """The list behind a number — or None when the list cannot be narrowed to the slice
    (a bar of 6+ rounds must not open every lost customer)."""
    kind = drill_kind(metric)
    if kind is None:
        return None
    allowed = ALLOWED[kind]
    for dim, value in (slice_ or {}).items():
        if value is None or (dim != "date" and dim not in allowed):
            return None
    f = scoped(ctx, metric).filters
    return with_params(drill_url(metric, f, dict(slice_ or {})), params)


def _drill_params(block: dict[str, Any], params: Mapping[str, str]) -> dict[str, Any]:
    """The page parameters added to every drill URL of a block made by blocks.py."""
    if not params:
        return block
    if block.get("kind") == "kpis":
        for item in block["items"]:
            item["drill"] = with_params(item.get("drill"), params)
    elif block.get("kind") == "chart":
        for trace in block["figure"]["data"]:
            if "customdata" in trace:
                trace["customdata"] = [with_params(u, params) for u in trace["customdata"]]
    return block


# -- blocks ----------------------------------------------------------------------------------
def _blank(value: Any) -> bool:
    return value is None or value == 0


def kpi_block(
    ctx: PageContext,
    metrics: Sequence[str],
    params: Mapping[str, str],
    blank_when_empty: bool = True,
) -> dict[str, Any]:
    """KPI cards with comparison, each metric computed with the filters it can take. A
    period without any activity is flagged empty and shows no number (a 0 would pretend
    to be data) — except snapshots (`blank_when_empty` False), where 0 waiting is a fact."""
    items: dict[str, dict[str, Any]] = {}
    for sub, group in groups(ctx, metrics):
        block = kpis(sub, group, params=params_for(group, params) or None)
        for item in _drill_params(block, params)["items"]:
            if ignores_channel(ctx, item["metric"]):
                item["label"] = ctx.t("label_all_channels", label=item["label"])
                item["all_channels"] = True
            items[item["metric"]] = item
    ordered = [items[m] for m in metrics]
    empty = blank_when_empty and all(_blank(item["value"]) for item in ordered)
    if empty:
        for item in ordered:
            item.update(display=i18n.EMPTY, change_display=None, trend="flat", good=None)
    return {"kind": "kpis", "items": ordered, "empty": empty}


def trend(
    ctx: PageContext,
    chart_id: str,
    metrics: Sequence[str],
    params: Mapping[str, str],
    title: str | None = None,
) -> dict[str, Any]:
    sub = scoped(ctx, metrics[0])
    block = trend_chart(
        sub, chart_id, metrics, title=title, params=params_for(metrics, params) or None
    )
    return _drill_params(block, params)


def breakdown(
    ctx: PageContext,
    chart_id: str,
    metric: str,
    by: str,
    params: Mapping[str, str],
    order: Sequence[str] | None = None,
) -> dict[str, Any]:
    """One metric split by a dimension; bars open their rows only where the list can be
    narrowed to the bar; ordinal dimensions keep their order."""
    sub = scoped(ctx, metric)
    block = breakdown_chart(sub, chart_id, metric, by, params=params_for([metric], params) or None)
    rows = block["rows"]
    index = list(range(len(rows)))
    if order is not None:
        rank = {v: i for i, v in enumerate(order)}
        index.sort(key=lambda i: rank.get(rows[i].get(by), len(rank)))
    block["rows"] = [rows[i] for i in index]
    for trace in block["figure"]["data"]:
        for key in ("x", "y", "customdata"):
            if key in trace:
                trace[key] = [trace[key][i] for i in index]
        if "customdata" in trace:
            trace["customdata"] = [
                drill(ctx, metric, {by: r.get(by)}, params) for r in block["rows"]
            ]
    if ignores_channel(ctx, metric):
        block["title"] = ctx.t("label_all_channels", label=block["title"])
    return block


def dim_table(
    ctx: PageContext,
    table_id: str,
    title: str,
    dim: str,
    metrics: Sequence[str],
    params: Mapping[str, str],
    dim_link: Callable[[Any], str | None] | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """The metrics side by side, one row per value of `dim` (channel, staff...), sortable,
    each number opening its rows."""
    merged: dict[Any, dict[str, Any]] = {}
    for sub, group in groups(ctx, metrics):
        result = sub.query(
            group,
            by=[dim],
            compare=False,
            dense=False,
            params=params_for(group, params) or None,
        )
        for r in result.rows:
            key = r.get(dim)
            merged.setdefault(key, {dim: key}).update({m: r.get(m) for m in group})
    rows = [r for r in merged.values() if not all(_blank(r.get(m)) for m in metrics)]
    rows.sort(key=lambda r: (r[dim] is None, -float(r.get(metrics[0]) or 0), str(r[dim])))
    if limit is not None:
        rows = rows[:limit]
    links: list[dict[str, str | None]] = []
    for r in rows:
        link: dict[str, str | None] = {m: drill(ctx, m, {dim: r[dim]}, params) for m in metrics}
        link[dim] = dim_link(r[dim]) if dim_link and r[dim] is not None else None
        links.append(link)
    return table(ctx, table_id, title, [dim, *metrics], rows, links)


def staff_table(
    ctx: PageContext, table_id: str, metrics: Sequence[str], params: Mapping[str, str]
) -> dict[str, Any]:
    """Per staff member (none: conversations no agent answered), the tab's metrics."""

    def conversations_of(staff: Any) -> str | None:
        return drill(ctx, "human_conversations", {"staff_id": staff}, params)

    return dim_table(
        ctx, table_id, ctx.t("by_staff"), "staff_id", metrics, params, conversations_of
    )


def channel_table(
    ctx: PageContext, table_id: str, metrics: Sequence[str], params: Mapping[str, str]
) -> dict[str, Any]:
    return dim_table(ctx, table_id, ctx.t("by_channel"), "channel", metrics, params)


def failed_three_minute(ctx: PageContext, params: Mapping[str, str]) -> dict[str, Any]:
    """The conversations that failed the 3-minute rule (first FAILED_LIMIT, by first
    event), from the drill-down the 3-minute metrics are counted from; the full list is
    one click away (`more`)."""
    f = ctx.filters
    where: dict[str, list[str]] = {"three_minute": ["failed"]}
    if f.channels:
        where["channel"] = list(f.channels)
    known = {p.name for p in CONVERSATION_PARAMS}
    result = ctx.client.conversations(
        f.shop,
        f.date_from,
        f.date_to,
        where=where,
        params={k: v for k, v in params.items() if k in known} or None,
        limit=FAILED_LIMIT + 1,
    )
    rows = [{c: r.get(c) for c in FAILED_COLUMNS} for r in result.rows]
    truncated = len(rows) > FAILED_LIMIT
    rows = rows[:FAILED_LIMIT]
    links: list[dict[str, str | None]] = []
    for r in rows:
        links.append(
            {
                "conversation_id": drill(
                    ctx, "conversations", {"conversation_id": r["conversation_id"]}, params
                ),
                "customer_id": drill(
                    ctx, "three_minute_reply_rate", {"customer_id": r["customer_id"]}, params
                ),
                "staff_id": drill(
                    ctx, "three_minute_reply_rate", {"staff_id": r["staff_id"]}, params
                ),
            }
        )
    block = table(
        ctx, "failed_3min", ctx.t("failed_3min_title"), FAILED_COLUMNS, rows, links, FAILED_UNITS
    )
    for raw, cells in zip(block["rows"], block["display"], strict=True):
        if isinstance(raw.get("first_ts"), datetime):
            cells["first_ts"] = i18n.format_datetime(raw["first_ts"], ctx.lang)
    block["more"] = drill(ctx, "three_minute_reply_rate", None, params)
    block["truncated"] = truncated
    block["limit"] = FAILED_LIMIT
    return block


# -- the page --------------------------------------------------------------------------------
def build(ctx: PageContext) -> dict[str, Any]:
    """The page: every tab listed, the active one's blocks computed (the others carry
    ``loaded: false``; the HTML shows one tab at a time and its exports name their tab).
    ``tab=all`` computes every tab (for the JSON twin); the reception tab is then shown."""
    asked = ctx.filters.extra.get("tab", TABS[0])
    every = asked == ALL_TABS
    tab = asked if asked in TABS else TABS[0]
    params, problems = page_params(ctx)
    builders = {
        "reception": _reception,
        "speed": _speed,
        "conversion_loss": _conversion_loss,
        "satisfaction": _satisfaction,
    }
    tabs = []
    for t in TABS:
        loaded = every or t == tab
        blocks = builders[t](ctx, params) if loaded else []
        tabs.append({"id": t, "label": ctx.t(t), "blocks": blocks, "loaded": loaded})
    body: dict[str, Any] = {"tabs": tabs, "active_tab": tab, "params": params}
    if problems:
        body["notice"] = "; ".join(problems)
    return body


def _reception(ctx: PageContext, p: Mapping[str, str]) -> list[dict[str, Any]]:
    return [
        safe(kpi_block, ctx, RECEPTION_KPIS, p),
        safe(trend, ctx, "reception_trend", RECEPTION_TREND, p),
        safe(breakdown, ctx, "inquiring_by_channel", "inquiring_customers", "channel", p),
        safe(channel_table, ctx, "reception_by_channel", RECEPTION_CHANNEL, p),
        safe(staff_table, ctx, "reception_by_staff", RECEPTION_STAFF, p),
        safe(breakdown, ctx, "product_inquiries_by_category", "product_inquiries", "category", p),
        safe(
            dim_table,
            ctx,
            "product_inquiries_by_product",
            _dim_title(ctx, "product_inquiries", "product_id"),
            "product_id",
            ("product_inquiries",),
            p,
            limit=TOP_PRODUCTS,
        ),
    ]


def _speed(ctx: PageContext, p: Mapping[str, str]) -> list[dict[str, Any]]:
    return [
        safe(kpi_block, ctx, SPEED_KPIS, p),
        safe(trend, ctx, "speed_rate_trend", ("three_minute_reply_rate", "sla_attainment"), p),
        safe(
            trend,
            ctx,
            "speed_time_trend",
            ("first_response_time_avg", "avg_response_time"),
            p,
        ),
        safe(breakdown, ctx, "three_minute_by_channel", "three_minute_reply_rate", "channel", p),
        safe(channel_table, ctx, "speed_by_channel", SPEED_CHANNEL, p),
        safe(staff_table, ctx, "speed_by_staff", SPEED_STAFF, p),
        safe(failed_three_minute, ctx, p),
        {
            **safe(kpi_block, ctx, QUEUE_KPIS, p, blank_when_empty=False),
            "title": ctx.t("queue_at_end"),
        },
    ]


def _conversion_loss(ctx: PageContext, p: Mapping[str, str]) -> list[dict[str, Any]]:
    blocks = [
        safe(kpi_block, ctx, CONVERSION_KPIS, p),
        safe(kpi_block, ctx, LOSS_KPIS, p),
        safe(trend, ctx, "inquiry_silent_trend", ("inquiry_orders", "silent_orders"), p),
        safe(trend, ctx, "conversion_trend", ("inquiry_conversion_rate",), p),
        safe(trend, ctx, "cohort_trend", COHORT_TREND, p),
        safe(breakdown, ctx, "conversion_by_channel", "inquiry_conversion_rate", "channel", p),
        safe(channel_table, ctx, "conversion_loss_by_channel", CONVERSION_CHANNEL, p),
        safe(staff_table, ctx, "conversion_loss_by_staff", CONVERSION_STAFF, p),
    ]
    for dim in ("rounds_bucket", "duration_bucket", "category"):
        blocks.append(
            safe(
                breakdown,
                ctx,
                f"lost_by_{dim}",
                "inquiry_lost_customers",
                dim,
                p,
                LOSS_ORDER.get(dim),
            )
        )
    blocks.append(
        safe(breakdown, ctx, "silent_unpaid_by_source", "silent_unpaid_orders", "source", p)
    )
    return blocks


def _satisfaction(ctx: PageContext, p: Mapping[str, str]) -> list[dict[str, Any]]:
    return [
        safe(kpi_block, ctx, SATISFACTION_KPIS, p),
        safe(trend, ctx, "csat_trend", ("csat_rate",), p),
        safe(breakdown, ctx, "csat_by_channel", "csat_rate", "channel", p),
        safe(channel_table, ctx, "satisfaction_by_channel", SATISFACTION_BY, p),
        safe(staff_table, ctx, "satisfaction_by_staff", SATISFACTION_BY, p),
        safe(
            dim_table,
            ctx,
            "negative_reviews_by_product",
            _dim_title(ctx, "negative_reviews", "product_id"),
            "product_id",
            ("negative_reviews",),
            p,
            limit=TOP_PRODUCTS,
        ),
    ]


def _dim_title(ctx: PageContext, metric: str, dim: str) -> str:
    return f"{i18n.metric_label(ctx.lang, metric)} · {i18n.dimension_label(ctx.lang, dim)}"


register(
    Page(
        "/customer-service",
        "nav_customer_service",
        build,
        extra_keys=("tab", *PARAM_KEYS),
    )
)
