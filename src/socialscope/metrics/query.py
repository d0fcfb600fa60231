"""The one typed query object every surface builds (CLI, Python, HTTP, dashboard)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class Compare(StrEnum):
    PREVIOUS = "previous"  # the period of equal length just before
    YOY = "yoy"  # the same period a year earlier
    YESTERDAY = "yesterday"  # today vs yesterday, cumulative by local hour (yesterday.py)


class QueryError(ValueError):
    """A query that cannot be answered, with a message that says how to fix it."""


@dataclass(frozen=True)
class Query:
    metrics: tuple[str, ...]
    dimensions: tuple[str, ...] = ()
    date_from: date | None = None  # shop-local, inclusive
    date_to: date | None = None  # shop-local, inclusive
    shop: str | None = None
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    compare: Compare | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    dense: bool = True  # every time bucket appears (charts); False: only non-empty ones


FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2999, 12, 31)
"""Dates a query may name: far enough for any data, and far from the calendar's ends, where
a comparison period or a local day bound would overflow."""


def _as_date(value: date | str | None, name: str) -> date | None:
    if value is None:
        return None
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise QueryError(f"{name} must be a date YYYY-MM-DD, got {value!r}") from None
    if not FIRST_DATE <= value <= LAST_DATE:
        raise QueryError(f"{name} must lie between {FIRST_DATE} and {LAST_DATE}, got {value}")
    return value


def _as_tuple(value: str | Sequence[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        values = tuple(v.strip() for v in value.split(",") if v.strip())
    else:
        values = tuple(value)
    if any("\x00" in v for v in values):
        raise QueryError("filter values may not contain NUL characters")
    return values


def make_query(
    metrics: str | Sequence[str],
    by: str | Sequence[str] | None = None,
    date_from: date | str | None = None,
    date_to: date | str | None = None,
    shop: str | None = None,
    where: Mapping[str, str | Sequence[str]] | None = None,
    compare: str | Compare | None = None,
    params: Mapping[str, Any] | None = None,
    dense: bool = True,
) -> Query:
    """Build a Query from loose inputs (strings, lists), checking their shape."""
    metric_ids = _as_tuple(metrics)
    if not metric_ids:
        raise QueryError("at least one metric is required")
    start, end = _as_date(date_from, "from"), _as_date(date_to, "to")
    if start and end and start > end:
        raise QueryError(f"from ({start}) is after to ({end})")
    try:
        cmp = Compare(compare) if compare else None
    except ValueError:
        raise QueryError(
            f"unknown compare mode {compare!r}; use one of: {', '.join(c.value for c in Compare)}"
        ) from None
    filters = {k: _as_tuple(v) for k, v in (where or {}).items()}
    return Query(
        metrics=metric_ids,
        dimensions=_as_tuple(by),
        date_from=start,
        date_to=end,
        shop=shop,
        filters=filters,
        compare=cmp,
        params=dict(params or {}),
        dense=dense,
    )
