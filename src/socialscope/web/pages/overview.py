"""Social Data Overview (SHOPLINE's view): user interaction, sales performance and staff
performance, each compared with the previous period; and today against yesterday by hour
(a self-refreshing panel, web/today.py)."""

from __future__ import annotations

from typing import Any

from socialscope.overview import SALES_SOURCES, STAFF_ORDER_METRICS
from socialscope.web import i18n, today
from socialscope.web.anomaly_marks import anomaly_panel
from socialscope.web.blocks import PageContext, breakdown_chart, kpis, safe, table, trend_chart
from socialscope.web.drill import drill_url
from socialscope.web.pages import Page, register

INTERACTION = ("interacting_users", "conversations")
SALES = ("sales_amount", "net_paid_amount", "order_count")
STAFF = (
    "served_customers",
    "conversations_handled",
    "order_count",
    "sales_amount",
    "net_paid_amount",
)
TABS = ("interaction", "sales", "staff", "today")


def build(ctx: PageContext) -> dict[str, Any]:
    tab = ctx.filters.extra.get("tab", "interaction")
    if tab not in TABS:
        tab = "interaction"
    sales_where = {"source": list(SALES_SOURCES)}
    interaction = [
        safe(kpis, ctx, INTERACTION),
        safe(trend_chart, ctx, "interaction_trend", INTERACTION),
        safe(breakdown_chart, ctx, "interaction_by_channel", "interacting_users", "channel"),
        safe(breakdown_chart, ctx, "conversations_by_channel", "conversations", "channel"),
    ]
    sales = [
        safe(kpis, ctx, SALES, sales_where),
        safe(trend_chart, ctx, "sales_trend", ("sales_amount", "net_paid_amount"), sales_where),
        safe(trend_chart, ctx, "orders_trend", ("order_count",), sales_where),
        safe(breakdown_chart, ctx, "sales_by_source", "sales_amount", "source", sales_where),
        safe(_source_table, ctx, sales_where),
    ]
    # the anomalies of both tabs' trend charts, listed on both tabs under the KPIs
    panel = anomaly_panel(ctx, [interaction[1], sales[1], sales[2]])
    interaction.insert(1, panel)
    sales.insert(1, panel)
    tabs = [
        {"id": "interaction", "label": ctx.t("tab_interaction"), "blocks": interaction},
        {"id": "sales", "label": ctx.t("tab_sales"), "blocks": sales},
        {
            "id": "staff",
            "label": ctx.t("tab_staff"),
            "blocks": [safe(_staff_table, ctx), *_staff_split(ctx)],
        },
        {"id": "today", "label": ctx.t("tab_today"), "blocks": _today(ctx)},
    ]
    return {"tabs": tabs, "active_tab": tab}


def _today(ctx: PageContext) -> list[dict[str, Any]]:
    """Today vs yesterday by hour (web/today.py); its chart refreshes itself."""
    chart = safe(today.today_chart, ctx)
    blocks = [safe(today.metric_picker, ctx), chart]
    if chart["kind"] == "chart":
        blocks.append(today.today_table(ctx, chart))
    return blocks


def _source_table(ctx: PageContext, where: dict[str, list[str]]) -> dict[str, Any]:
    result = ctx.query(SALES, by=["source"], where=where)
    rows = [r for r in result.rows if r.get("source") in SALES_SOURCES]
    columns = ["source", *SALES]
    if ctx.filters.compare_mode:
        columns += [f"{m}__previous" for m in SALES]
    links = [{m: drill_url(m, ctx.filters, {"source": r["source"]}) for m in SALES} for r in rows]
    return table(ctx, "sales_by_source_table", ctx.t("tab_sales"), columns, rows, links)


def _staff_table(ctx: PageContext) -> dict[str, Any]:
    people = ctx.query(STAFF[:2], by=["staff_id"], compare=False, dense=False)
    orders = ctx.query(
        STAFF[2:],
        by=["staff_id"],
        where={"source": list(SALES_SOURCES)},
        compare=False,
        dense=False,
    )
    merged: dict[str, dict[str, Any]] = {}
    for r in [*people.rows, *orders.rows]:
        sid = r.get("staff_id")
        if sid is None:
            continue
        merged.setdefault(sid, {"staff_id": sid}).update(
            {k: v for k, v in r.items() if k != "staff_id"}
        )
    rows = sorted(merged.values(), key=lambda r: -float(r.get("sales_amount") or 0))
    links = []
    for r in rows:
        link: dict[str, str | None] = {
            m: drill_url(m, ctx.filters, {"staff_id": r["staff_id"]}) for m in STAFF
        }
        link["staff_id"] = "?" + ctx.filters.query_string(tab="staff", staff=r["staff_id"])
        links.append(link)
    return table(ctx, "staff", ctx.t("tab_staff"), ["staff_id", *STAFF], rows, links)


def _staff_split(ctx: PageContext) -> list[dict[str, Any]]:
    staff = ctx.filters.extra.get("staff")
    if not staff:
        return []
    result = ctx.query(
        STAFF_ORDER_METRICS,
        by=["source"],
        where={"staff_id": [staff], "source": list(SALES_SOURCES)},
        compare=False,
    )
    rows = [r for r in result.rows if r.get("source") in SALES_SOURCES]
    title = ctx.t("staff_split", name=i18n.value_label(ctx.lang, "staff_id", staff))
    links = [
        {
            m: drill_url(m, ctx.filters, {"source": r["source"], "staff_id": staff})
            for m in STAFF_ORDER_METRICS
        }
        for r in rows
    ]
    return [table(ctx, "staff_split", title, ["source", *STAFF_ORDER_METRICS], rows, links)]


register(Page("/overview", "nav_overview", build, extra_keys=("tab", "staff", "hourly", "refresh")))
