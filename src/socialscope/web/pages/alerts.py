"""Alerts (/alerts): the shop's incidents — firing ones first, whatever the period, then
those with a message in the period, latest first — and the period's firing and resolved
messages with the state of their deliveries. Read from the store's alert history
(`socialscope.alerts.history`), the same rows as `socialscope alerts history` and
``GET /api/v1/alerts``; times in the shop's local time.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from socialscope.alerts.history import incidents, read_history
from socialscope.metrics.registry import REGISTRY
from socialscope.web import i18n
from socialscope.web.blocks import PageContext, table
from socialscope.web.controls import notes_block
from socialscope.web.pages import Page, register

LIMIT = 5000
"""The latest messages of a shop the page reads (incidents older than those are not shown)."""
INCIDENT_COLUMNS = (
    "state",
    "severity",
    "rule_id",
    "metric",
    "dims",
    "fired_at",
    "resolved_at",
    "value",
    "message",
)
HISTORY_COLUMNS = (
    "at",
    "state",
    "severity",
    "rule_id",
    "metric",
    "dims",
    "value",
    "threshold",
    "message",
    "deliveries",
)


def _local(value: str | None, tz: ZoneInfo) -> str | None:
    if value is None:
        return None
    return datetime.fromisoformat(value).astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _dims(dims: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(dims.items())) if dims else ""


def _translate(ctx: PageContext, block: dict[str, Any]) -> dict[str, Any]:
    """State and severity shown in the page's language (the raw rows keep the codes)."""
    for raw, shown in zip(block["rows"], block["display"], strict=True):
        shown["state"] = ctx.t(f"alert_state_{raw['state']}")
        shown["severity"] = ctx.t(f"alert_severity_{raw['severity']}")
        if raw["metric"] in REGISTRY:
            shown["metric"] = i18n.metric_label(ctx.lang, raw["metric"])
    return block


def _delivery_text(ctx: PageContext, deliveries: list[dict[str, Any]]) -> str:
    return ", ".join(
        ctx.t(f"alert_delivery_{d['status']}", target=d["target"], attempts=d["attempts"])
        for d in deliveries
    )


def build(ctx: PageContext) -> dict[str, Any]:
    f = ctx.filters
    info = ctx.client.shops().get(f.shop, {})
    tz = ZoneInfo(info.get("timezone") or "UTC")
    start = datetime.combine(f.date_from, time(0), tzinfo=tz)
    end = datetime.combine(f.date_to + timedelta(days=1), time(0), tzinfo=tz)
    rows = read_history(ctx.client.store, {f.shop}, limit=LIMIT)

    def in_period(row: dict[str, Any]) -> bool:
        return start <= datetime.fromisoformat(row["at"]) < end

    shown = [
        i
        for i in incidents(rows)
        if i["state"] == "firing" or any(in_period(m) for m in i["messages"])
    ]
    incident_rows = [
        {
            "state": i["state"],
            "severity": i["severity"],
            "rule_id": i["rule_id"],
            "metric": i["metric"],
            "dims": _dims(i["dims"]),
            "fired_at": _local(i["fired_at"], tz),
            "resolved_at": _local(i["resolved_at"], tz),
            "value": i["messages"][-1]["value"],
            "message": i["messages"][-1]["message"],
        }
        for i in shown
    ]
    history_rows = [
        {
            "at": _local(r["at"], tz),
            "state": r["state"],
            "severity": r["severity"],
            "rule_id": r["rule_id"],
            "metric": r["metric"],
            "dims": _dims(r["dims"]),
            "value": r["value"],
            "threshold": r["threshold"],
            "message": r["message"],
            "deliveries": _delivery_text(ctx, r["deliveries"]),
        }
        for r in rows
        if in_period(r)
    ]
    units = {"value": "number", "threshold": "number"}
    firing = sum(1 for i in shown if i["state"] == "firing")
    blocks = [
        _translate(
            ctx,
            table(
                ctx,
                "alerts_incidents",
                ctx.t("alerts_incidents_title", firing=firing),
                INCIDENT_COLUMNS,
                incident_rows,
                units=units,
            ),
        ),
        _translate(
            ctx,
            table(
                ctx,
                "alerts_history",
                ctx.t("alerts_history_title"),
                HISTORY_COLUMNS,
                history_rows,
                units=units,
            ),
        ),
        notes_block(
            "alerts_notes",
            ctx.t("alerts_notes_title"),
            [ctx.t("alerts_note_order"), ctx.t("alerts_note_times", zone=str(tz))],
        ),
    ]
    return {"blocks": blocks}


register(Page("/alerts", "nav_alerts", build))
