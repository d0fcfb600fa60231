"""The one input every attribution model reads: a set of paths as an Arrow table.

Paths come from an aggregated file (the ChannelAttribution CSV format) or are built from
the store's journeys; both end up here, so the models never know where paths came from.
A row is one path or an aggregate of identical ones:

- `path`: the touches' channels, oldest first; never empty (a conversion without any
  touch has the path ["direct"]);
- `conversions`, `nulls`: how many journeys with this path converted / did not
  (fractional counts are allowed, as in aggregated files);
- `value`: the conversion value of those conversions, DECIMAL(18,4) in `PathSet.currency`;
- `hours_till_conv`: for each touch, hours from it to the conversion (or journey end),
  same length as `path`; null when unknown (then time_decay cannot run).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pyarrow as pa

VALUE_TYPE = pa.decimal128(18, 4)
PATHS_SCHEMA = pa.schema(
    [
        pa.field("path", pa.list_(pa.string()), nullable=False),
        pa.field("conversions", pa.float64(), nullable=False),
        pa.field("value", VALUE_TYPE, nullable=False),
        pa.field("nulls", pa.float64(), nullable=False),
        pa.field("hours_till_conv", pa.list_(pa.float64()), nullable=True),
    ]
)


class PathsError(ValueError):
    """Paths that the models cannot use, with what is wrong and where."""


@dataclass(frozen=True)
class PathSet:
    """Paths plus what the report must state about them."""

    table: pa.Table  # PATHS_SCHEMA
    currency: str | None = None  # the value's currency (None: a file that did not say)
    source: str = ""  # where the paths came from, for the report

    def __post_init__(self) -> None:
        if not self.table.schema.equals(PATHS_SCHEMA):
            raise PathsError(f"paths table has schema {self.table.schema}, expected {PATHS_SCHEMA}")

    @property
    def has_times(self) -> bool:
        """Whether every path carries hours_till_conv (time_decay needs them)."""
        column = self.table.column("hours_till_conv")
        return bool(self.table.num_rows > 0 and column.null_count == 0)


def paths_from_records(
    records: Iterable[Mapping[str, Any]], *, currency: str | None = None, source: str = ""
) -> PathSet:
    """A PathSet from plain rows (tests, notebooks): `path` as a list or a ` > ` string,
    `conversions`, `nulls` (default 0), `value` (anything Decimal accepts, default 0) and
    optional `hours_till_conv` (a list, one number per touch)."""
    rows = list(records)
    paths = [
        [c.strip() for c in r["path"].split(">")] if isinstance(r["path"], str) else r["path"]
        for r in rows
    ]
    table = pa.table(
        {
            "path": pa.array(paths, type=PATHS_SCHEMA.field("path").type),
            "conversions": pa.array([float(r["conversions"]) for r in rows], pa.float64()),
            "value": pa.array(
                [Decimal(str(r.get("value", 0))).quantize(Decimal("0.0001")) for r in rows],
                VALUE_TYPE,
            ),
            "nulls": pa.array([float(r.get("nulls", 0)) for r in rows], pa.float64()),
            "hours_till_conv": pa.array(
                [r.get("hours_till_conv") for r in rows],
                PATHS_SCHEMA.field("hours_till_conv").type,
            ),
        },
        schema=PATHS_SCHEMA,
    )
    return PathSet(table, currency=currency, source=source)
