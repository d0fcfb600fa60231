"""Schema versions and the migrations between them.

A store records its schema version in `_meta`. Opening an older store applies each
migration in order inside one transaction; a store newer than this code is refused.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from socialscope.contract.tables import SCHEMA_VERSION
from socialscope.store.ddl import all_ddl

Migration = Callable[[duckdb.DuckDBPyConnection], None]


def _v1(con: duckdb.DuckDBPyConnection) -> None:
    """Version 1: the canonical tables of SCHEMA.md plus quarantine and import log."""
    for stmt in all_ddl():
        con.execute(stmt)


SHOP_HOURS_SQL = """
CREATE TABLE IF NOT EXISTS shop_hours (
  shop_id VARCHAR NOT NULL,
  weekday INTEGER NOT NULL,
  opens VARCHAR NOT NULL,
  closes VARCHAR NOT NULL
)
"""

SHOP_HOLIDAYS_SQL = """
CREATE TABLE IF NOT EXISTS shop_holidays (
  shop_id VARCHAR NOT NULL,
  date DATE NOT NULL,
  name VARCHAR,
  PRIMARY KEY (shop_id, date)
)
"""


def _v2(con: duckdb.DuckDBPyConnection) -> None:
    """Version 2: shop calendars for business-time durations — weekly opening intervals
    (`shop_hours`: weekday 0-6 with Monday 0, opens/closes "HH:MM" shop-local, closes
    after opens, "24:00" allowed) and closed dates (`shop_holidays`). A shop without
    `shop_hours` rows is open during its `shops.service_hours` every day."""
    con.execute(SHOP_HOURS_SQL)
    con.execute(SHOP_HOLIDAYS_SQL)


WEBHOOK_EVENTS_SQL = """
CREATE TABLE IF NOT EXISTS _webhook_events (
  shop_id VARCHAR NOT NULL,
  platform VARCHAR NOT NULL,
  dedupe_key VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  ts TIMESTAMP NOT NULL,
  received_at TIMESTAMP NOT NULL,
  request_id VARCHAR NOT NULL,
  payload JSON
)
"""

KEYWORD_RULES_SQL = """
CREATE TABLE IF NOT EXISTS keyword_rules (
  shop_id VARCHAR NOT NULL,
  post_id VARCHAR NOT NULL DEFAULT '',
  rules JSON NOT NULL,
  PRIMARY KEY (shop_id, post_id)
)
"""


def _v3(con: duckdb.DuckDBPyConnection) -> None:
    """Version 3: live ingest. `comments.updated_at` (+ local twin) orders edits and
    removals; `_webhook_events` logs every verified webhook event once per (shop,
    platform, dedupe key), including those with no canonical row; `keyword_rules` holds a
    shop's (post_id '') or a post's purchase-keyword rules as a JSON list."""
    con.execute("ALTER TABLE comments ADD COLUMN IF NOT EXISTS updated_at TIMESTAMP")
    con.execute("ALTER TABLE comments ADD COLUMN IF NOT EXISTS updated_at_local TIMESTAMP")
    con.execute(WEBHOOK_EVENTS_SQL)
    con.execute(KEYWORD_RULES_SQL)


REPORT_RUNS_SQL = """
CREATE TABLE IF NOT EXISTS _report_runs (
  schedule_id VARCHAR NOT NULL,
  shop_id VARCHAR NOT NULL,
  period_key VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  ran_at TIMESTAMP NOT NULL,
  detail VARCHAR,
  PRIMARY KEY (schedule_id, shop_id, period_key)
)
"""


def _v4(con: duckdb.DuckDBPyConnection) -> None:
    """Version 4: insights. `_report_runs` records each scheduled digest delivered (or
    failed) once per (schedule, shop, period), so none is sent twice."""
    con.execute(REPORT_RUNS_SQL)


def _v5(con: duckdb.DuckDBPyConnection) -> None:
    """Version 5: alerts (docs/alerts.md). `_alert_history` (one row per firing or resolved
    message; its columns are read by reports), `_alert_state` (open incidents and pending
    conditions) and `_alert_outbox` (deliveries, retried until acknowledged or failed)."""
    from socialscope.alerts.store import ALERT_TABLES_SQL

    for stmt in ALERT_TABLES_SQL:
        con.execute(stmt)


MIGRATIONS: dict[int, Migration] = {1: _v1, 2: _v2, 3: _v3, 4: _v4, 5: _v5}
"""version -> the step that brings a store from version-1 to version."""


class SchemaVersionError(RuntimeError):
    """The store was written by a newer socialscope."""


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = '_meta'"
    ).fetchone()
    if not exists or not exists[0]:
        return 0
    row = con.execute("SELECT value FROM _meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Bring the store to SCHEMA_VERSION; returns the version it had before."""
    before = current_version(con)
    if before > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"store has schema version {before}, this socialscope knows up to {SCHEMA_VERSION};"
            " upgrade socialscope"
        )
    if before == SCHEMA_VERSION:
        return before
    con.execute("BEGIN TRANSACTION")
    try:
        for version in range(before + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[version](con)
            con.execute("INSERT OR REPLACE INTO _meta VALUES ('schema_version', ?)", [str(version)])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return before
