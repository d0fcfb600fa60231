"""Reading the alert history (`_alert_history` with the state of each message's
deliveries from the outbox): `socialscope alerts history`, the API and the dashboard."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from socialscope.alerts.store import HISTORY, OUTBOX, fetch_dicts, iso, utc
from socialscope.store.duckdb import Store

COLUMNS = (
    "at",
    "shop_id",
    "rule_id",
    "state",
    "severity",
    "metric",
    "dims",
    "value",
    "threshold",
    "message",
    "incident_id",
    "deliveries",
)


def bound(value: date | datetime | str | None, name: str, *, end: bool) -> datetime | None:
    """A --from/--to bound: a date (UTC day, inclusive) or an ISO instant."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{name}: expected a date YYYY-MM-DD or an ISO date-time") from None
    if isinstance(value, datetime):
        instant = value if value.tzinfo else value.replace(tzinfo=UTC)
        return instant + timedelta(microseconds=1) if end else instant
    start = datetime.combine(value, time(0), tzinfo=UTC)
    return start + timedelta(days=1) if end else start


def read_history(
    store: Store,
    shops: Collection[str] | None = None,
    date_from: date | datetime | str | None = None,
    date_to: date | datetime | str | None = None,
    rule: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """History rows, newest first; ``shops`` None = every shop."""
    where: list[str] = []
    params: list[Any] = []
    if shops is not None:
        if not shops:
            return []
        where.append(f"shop_id IN ({', '.join('?' for _ in shops)})")
        params += sorted(shops)
    start = bound(date_from, "from", end=False)
    stop = bound(date_to, "to", end=True)
    if start is not None:
        where.append('"at" >= ?::TIMESTAMPTZ')
        params.append(iso(start))
    if stop is not None:
        where.append('"at" < ?::TIMESTAMPTZ')
        params.append(iso(stop))
    if rule is not None:
        where.append("rule_id = ?")
        params.append(rule)
    sql = (
        'SELECT shop_id, rule_id, incident_id, state, CAST("at" AS TIMESTAMP) AS "at", '
        f"metric, dims, value, threshold, message, severity FROM {HISTORY}"
        + (f" WHERE {' AND '.join(where)}" if where else "")
        + ' ORDER BY "at" DESC, incident_id, state DESC'
        + (f" LIMIT {int(limit)}" if limit is not None else "")
    )
    rows = fetch_dicts(store, sql, params)
    deliveries = _deliveries(store, {r["incident_id"] for r in rows})
    out = []
    for r in rows:
        at = utc(r["at"])
        out.append(
            {
                **r,
                "at": at.isoformat() if at else None,
                "dims": json.loads(r["dims"] or "{}"),
                "deliveries": deliveries.get((r["incident_id"], r["state"]), []),
            }
        )
    return out


def _deliveries(store: Store, incidents: set[str]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    if not incidents:
        return {}
    rows = fetch_dicts(
        store,
        f"SELECT incident_id, state, target, status, attempts, last_error FROM {OUTBOX} "
        f"WHERE incident_id IN ({', '.join('?' for _ in incidents)}) ORDER BY target",
        sorted(incidents),
    )
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault((r["incident_id"], r["state"]), []).append(
            {k: r[k] for k in ("target", "status", "attempts", "last_error")}
        )
    return out


def incidents(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """History rows grouped by incident: firing ones first, then the latest first."""
    grouped: dict[str, dict[str, Any]] = {}
    for r in sorted(rows, key=lambda r: (r["at"], r["state"] == "resolved")):
        inc = grouped.setdefault(
            r["incident_id"],
            {
                "incident_id": r["incident_id"],
                "shop_id": r["shop_id"],
                "rule_id": r["rule_id"],
                "metric": r["metric"],
                "dims": r["dims"],
                "severity": r["severity"],
                "fired_at": None,
                "resolved_at": None,
                "state": "firing",
                "messages": [],
            },
        )
        inc["messages"].append(r)
        if r["state"] == "firing":
            inc["fired_at"] = r["at"]
        else:
            inc["resolved_at"] = r["at"]
            inc["state"] = "resolved"
    out = list(grouped.values())
    out.sort(key=lambda i: i["fired_at"] or i["resolved_at"] or "", reverse=True)
    out.sort(key=lambda i: i["state"] != "firing")
    return out


def flat(row: dict[str, Any]) -> dict[str, Any]:
    """A history row for tables and CSV: dims and deliveries as short text."""
    deliveries = ", ".join(
        f"{d['target']}:{d['status']}" + (f"({d['attempts']})" if d["attempts"] > 1 else "")
        for d in row["deliveries"]
    )
    dims = json.dumps(row["dims"], ensure_ascii=False, sort_keys=True) if row["dims"] else ""
    return {**row, "dims": dims, "deliveries": deliveries}
