"""Which store tables the Parquet export holds, their kind, and the column that dates them.

Canonical tables (SCHEMA.md), every derived table the metric layer reads (`d_*`), and the
internal tables a query needs: `_meta` (the store settings, e.g. conversation_idle_h,
which reception metrics read at query time), `shop_hours` / `shop_holidays` (business
calendars) and `keyword_rules` (the rules behind d_comment_intents). Operational tables —
`_quarantine`, `_imports`, `_webhook_events`, the `_derive_*` scope tables — are not
exported: no metric reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from socialscope.contract.tables import TABLES
from socialscope.store.ddl import LOCAL_SUFFIX
from socialscope.store.derive import DERIVED_ORDER
from socialscope.store.derive_keywords import TABLE as COMMENT_INTENTS
from socialscope.store.settings import SETTINGS


class Kind(StrEnum):
    CANONICAL = "canonical"
    DERIVED = "derived"
    INTERNAL = "internal"


@dataclass(frozen=True)
class ExportTable:
    """One exported table: its kind and the shop-local column that dates its rows.

    `month_column` is the local timestamp (or local DATE) the metric layer dates the table
    by; None for undated tables (one partition per shop).
    """

    name: str
    kind: Kind
    month_column: str | None


SETTINGS_TABLE = "_meta"
"""Store settings: global in the store, exported per shop (see `settings_select`)."""

_CANONICAL_DATING: dict[str, str | None] = {
    "shops": None,
    "customers": None,  # a dimension table: first_seen_at is an attribute, not its date
    "identities": None,
    "staff": None,
    "messages": "ts",
    "comments": "ts",
    "posts": "published_at",
    "content_metrics": "date",  # already a shop-local DATE
    "live_sessions": "started_at",
    "products": None,
    "orders": "created_at",
    "order_items": None,  # no time of its own; joined to orders by key
    "refunds": "ts",
    "web_sessions": "started_at",
    "touchpoints": "ts",
    "ratings": "ts",
    "agent_status": "ts",
}

_DERIVED_DATING: dict[str, str] = {
    "d_messages": "ts",
    "d_conversations": "first_ts",
    "d_rounds": "effective_start",
    "d_orders": "created_at",
    "d_interactions": "ts",
    COMMENT_INTENTS: "ts",
}

_INTERNAL: tuple[str, ...] = (SETTINGS_TABLE, "shop_hours", "shop_holidays", "keyword_rules")


def _local(column: str | None) -> str | None:
    if column is None or column == "date":
        return column
    return column + LOCAL_SUFFIX


def _build() -> dict[str, ExportTable]:
    missing = set(TABLES) ^ set(_CANONICAL_DATING)
    if missing:  # a new canonical table must say how it is dated
        raise RuntimeError(f"export dating rules out of date for tables {sorted(missing)}")
    if set(DERIVED_ORDER) | {COMMENT_INTENTS} != set(_DERIVED_DATING):
        raise RuntimeError("export dating rules out of date for the derived tables")
    out: dict[str, ExportTable] = {}
    for name, col in _CANONICAL_DATING.items():
        out[name] = ExportTable(name, Kind.CANONICAL, _local(col))
    for name, col in _DERIVED_DATING.items():
        out[name] = ExportTable(name, Kind.DERIVED, _local(col))
    for name in _INTERNAL:
        out[name] = ExportTable(name, Kind.INTERNAL, None)
    return out


EXPORT_TABLES: dict[str, ExportTable] = _build()


def settings_keys() -> list[str]:
    """The `_meta` keys exported: the store settings (not the operational keys — schema
    and derived versions, the server's inbox position).

    `_meta` has no shop_id in the store (its settings hold for every shop); the export
    gives each exported shop its own copy of the stored settings rows, so a shop's
    partitions are self-contained. A query reads `max(value)` per key, which the copies
    leave unchanged; a setting never set is absent (its default applies).
    """
    return sorted(SETTINGS)


def resolve_tables(names: list[str] | None) -> list[ExportTable]:
    """The tables to export (all when `names` is empty), with a clear error for a typo."""
    if not names:
        return list(EXPORT_TABLES.values())
    unknown = [n for n in names if n not in EXPORT_TABLES]
    if unknown:
        raise ValueError(
            f"--tables: unknown table(s) {', '.join(unknown)}; exportable tables: "
            + ", ".join(EXPORT_TABLES)
        )
    return [EXPORT_TABLES[n] for n in dict.fromkeys(names)]
