"""What a metric is: a closed set of aggregation kinds plus presentation metadata.

A metric is declared once as data (count, sum, distinct count, ratio of two registered
metrics) or, where that cannot express it, as a function returning an Ibis reduction.
Everything else — docs, CLI, HTTP, dashboard — reads these specs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Unit(StrEnum):
    COUNT = "count"
    MONEY = "money"  # in the slice's currency; never summed across currencies
    RATIO = "ratio"  # 0..1
    SECONDS = "seconds"
    NUMBER = "number"  # a plain number, e.g. a mean or median of counts; null over no rows


class Better(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    NEUTRAL = "neutral"


class Chart(StrEnum):
    LINE = "line"
    BAR = "bar"
    TABLE = "table"


Predicate = Callable[[Any], Any]
"""table -> boolean Ibis column; which fact rows a metric counts."""


@dataclass(frozen=True)
class Count:
    """Number of fact rows matching `where`."""

    where: Predicate | None = None


@dataclass(frozen=True)
class Sum:
    """Σ of a column (or expression) over rows matching `where`."""

    column: str | Callable[[Any], Any]
    where: Predicate | None = None


@dataclass(frozen=True)
class CountDistinct:
    """Distinct values over the whole slice — never a sum of per-bucket distinct counts."""

    column: str
    where: Predicate | None = None


@dataclass(frozen=True)
class Ratio:
    """numerator / denominator, both registered metrics summed over the slice; 0 → null."""

    numerator: str
    denominator: str


@dataclass(frozen=True)
class Custom:
    """Escape hatch: (table, params) -> an Ibis reduction (e.g. a percentile)."""

    reduce: Callable[[Any, Mapping[str, Any]], Any]


Aggregation = Count | Sum | CountDistinct | Ratio | Custom


@dataclass(frozen=True)
class ParamSpec:
    """A query parameter a metric reads (e.g. threshold_s)."""

    name: str
    default: Any
    doc: str
    parse: Callable[[str], Any] = str


SNAPSHOT_PARAM = "as_of"
"""The parameter naming a snapshot metric's point in time."""


@dataclass(frozen=True)
class MetricSpec:
    """One metric, exactly as a METRICS.md section defines it."""

    id: str
    label: str
    description: str
    unit: Unit
    section: str
    agg: Aggregation
    fact: str | None = None  # None for ratios: they live on their parts' facts
    dimensions: tuple[str, ...] = ()  # extra dimensions beyond shop_id and time
    better: Better = Better.HIGHER
    chart: Chart = Chart.LINE
    params: tuple[ParamSpec, ...] = field(default=())
    notes: str = ""  # choices made where METRICS.md is silent
    snapshot: bool = False
    """A point-in-time value (as of `as_of`, default the period's end), not a count of
    events in the period: it takes no time dimension, and `compare` needs the default
    as_of (each period's end)."""

    @property
    def is_money(self) -> bool:
        return self.unit is Unit.MONEY
