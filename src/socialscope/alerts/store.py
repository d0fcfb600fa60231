"""The alert tables (schema version 4) and the few statements that read and write them.

Timestamps are TIMESTAMPTZ in UTC. They are written from ISO strings with an offset and
read back through ``CAST(... AS TIMESTAMP)`` (the store's session zone is UTC), so no
Python time-zone package is needed by DuckDB.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from socialscope.store.duckdb import Store

HISTORY = "_alert_history"
STATE = "_alert_state"
OUTBOX = "_alert_outbox"

ALERT_TABLES_SQL: tuple[str, ...] = (
    f"""
CREATE TABLE IF NOT EXISTS {HISTORY} (
  shop_id VARCHAR,
  rule_id VARCHAR,
  incident_id VARCHAR,
  state VARCHAR,
  "at" TIMESTAMPTZ,
  metric VARCHAR,
  dims VARCHAR,
  value DOUBLE,
  threshold DOUBLE,
  message VARCHAR,
  severity VARCHAR
)""",
    f"""
CREATE TABLE IF NOT EXISTS {STATE} (
  shop_id VARCHAR NOT NULL,
  rule_id VARCHAR NOT NULL,
  incident_key VARCHAR NOT NULL,
  state VARCHAR NOT NULL,
  incident_id VARCHAR,
  since TIMESTAMPTZ NOT NULL,
  metric VARCHAR,
  dims VARCHAR,
  value DOUBLE,
  PRIMARY KEY (shop_id, rule_id, incident_key)
)""",
    f"""
CREATE TABLE IF NOT EXISTS {OUTBOX} (
  delivery_id VARCHAR PRIMARY KEY,
  incident_id VARCHAR NOT NULL,
  shop_id VARCHAR NOT NULL,
  rule_id VARCHAR NOT NULL,
  state VARCHAR NOT NULL,
  "at" TIMESTAMPTZ NOT NULL,
  target VARCHAR NOT NULL,
  payload VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMPTZ NOT NULL,
  last_error VARCHAR,
  created_at TIMESTAMPTZ NOT NULL,
  sent_at TIMESTAMPTZ
)""",
)


def iso(ts: datetime) -> str:
    """An aware datetime as an ISO string in UTC (what the TIMESTAMPTZ columns receive)."""
    if ts.tzinfo is None:
        raise ValueError("alert timestamps must be aware datetimes")
    return ts.astimezone(UTC).isoformat()


def utc(value: Any) -> datetime | None:
    """A naive UTC timestamp read back (``CAST(col AS TIMESTAMP)``) as an aware datetime."""
    if value is None:
        return None
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC)


def fetch_dicts(store: Store, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cur = store.con.execute(sql, params or [])
    names = [d[0] for d in cur.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
