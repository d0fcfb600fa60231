"""What a fact is: a table, the local time that dates its rows, and its dimensions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

TIME_DIMENSIONS: tuple[str, ...] = ("date", "hour", "week", "month")
"""Shop-local time grains every metric can be sliced by."""

COMMON_DIMENSIONS: tuple[str, ...] = ("shop_id", *TIME_DIMENSIONS)

PERIOD_FROM = "__period_from"
PERIOD_TO = "__period_to"
"""Keys of the params a `prepare` receives besides the metric parameters: the query
period's shop-local bounds [from, to) as Ibis timestamp params (for per-period cohorts)."""

SHOP = "__shop"
"""Key of the query's one shop (an Ibis string param) in the params a `prepare` receives,
present only when the query reads a single shop: a prepare that joins or aggregates other
tables can filter them by it early, where the compiler's own shop filter (applied after
`prepare`) does not reach through the joins."""


@dataclass(frozen=True)
class FactSpec:
    name: str
    table: str
    time_column: str  # shop-local naive timestamp
    dimensions: Mapping[str, str]  # dimension name -> column of the (prepared) table
    doc: str
    prepare: Callable[[Any, Callable[[str], Any], Mapping[str, Any]], Any] | None = None
    """(table, table_lookup, params) -> table: joins, filters or per-entity aggregation
    applied before anything else (params are the query's metric parameters, plus the
    period bounds under PERIOD_FROM / PERIOD_TO)."""
    currency_column: str | None = None
    base_filter: Callable[[Any], Any] | None = field(default=None)
    range_source: tuple[str, str] | None = None
    """(table, column) the default period (a query without dates) is read from, when the
    fact's own table and time column do not date its rows before `prepare` — e.g. a fact
    built from content_metrics' local DATE column. None: (table, time_column)."""
