"""Columnar finishing of a query's aggregates into its result table (Arrow compute).

Per-row Python over tens of thousands of groups (every shop × day × staff) costs far more
than the queries themselves, so filling empty time buckets, deriving ratios and sorting
run on whole Arrow columns; Python rows are only made when asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from socialscope.metrics.spec import MetricSpec, Ratio, Unit
from socialscope.metrics.time import spine

MONEY_QUANTUM = Decimal("0.0001")
NULL_KEY = "\x00socialscope-null\x00"
"""Arrow joins never match null keys; null dimension values travel as this sentinel."""
_CROSS = "__cross"


def empty_value(spec: MetricSpec) -> Any:
    """The value of a metric over no rows: 0 for counts and sums, null otherwise."""
    if isinstance(spec.agg, Ratio):
        return None
    if spec.unit is Unit.MONEY:
        return Decimal(0)
    if spec.unit is Unit.COUNT:
        return 0
    return None


def _mask_nulls(table: pa.Table, dims: Sequence[str]) -> pa.Table:
    for d in dims:
        col = table.column(d)
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            table = table.set_column(
                table.schema.get_field_index(d), d, pc.fill_null(col, NULL_KEY)
            )
    return table


def _unmask_nulls(table: pa.Table, dims: Sequence[str]) -> pa.Table:
    for d in dims:
        col = table.column(d)
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            restored = pc.if_else(pc.equal(col, NULL_KEY), pa.scalar(None, col.type), col)
            table = table.set_column(table.schema.get_field_index(d), d, restored)
    return table


def fill_spine(
    table: pa.Table,
    dims: Sequence[str],
    time_dim: str,
    start: date,
    end: date,
    timezone: str | None,
) -> pa.Table:
    """Every bucket of the period, for every combination of the other dimensions seen."""
    buckets = spine(start, end, time_dim, timezone)
    bucket_type = table.schema.field(time_dim).type
    grid = pa.table({time_dim: pa.array(buckets, type=bucket_type)})
    others = [d for d in dims if d != time_dim]
    if others:
        if table.num_rows == 0:
            return table
        table = _mask_nulls(table, others)
        combos = table.select(others).group_by(others).aggregate([])
        combos = combos.append_column(_CROSS, pa.array([0] * combos.num_rows, pa.int8()))
        grid = grid.append_column(_CROSS, pa.array([0] * grid.num_rows, pa.int8()))
        grid = combos.join(grid, keys=_CROSS, join_type="inner").drop_columns([_CROSS])
    filled = grid.join(table, keys=list(dims), join_type="left outer")
    return _unmask_nulls(filled.select(table.column_names), others)


def finish(
    table: pa.Table,
    dims: Sequence[str],
    specs: Sequence[MetricSpec],
    lookup: Callable[[str], MetricSpec],
) -> pa.Table:
    """Dimension columns, then each asked metric: empty values filled, ratios computed
    from their summed parts."""
    cache: dict[str, pa.Array | pa.ChunkedArray] = {}

    def column(spec: MetricSpec) -> pa.Array | pa.ChunkedArray:
        if spec.id in cache:
            return cache[spec.id]
        if isinstance(spec.agg, Ratio):
            out = _ratio(
                column(lookup(spec.agg.numerator)),
                column(lookup(spec.agg.denominator)),
                spec.unit is Unit.MONEY,
            )
        elif spec.id not in table.column_names:
            out = pa.array([empty_value(spec)] * table.num_rows)
        else:
            raw = table.column(spec.id)
            if spec.unit is Unit.COUNT:
                out = pc.fill_null(raw, 0).cast(pa.int64())
            elif spec.unit is Unit.MONEY:
                out = pc.fill_null(
                    raw.cast(pa.decimal128(38, 4)), pa.scalar(Decimal(0), pa.decimal128(38, 4))
                )
            else:
                out = raw if pa.types.is_floating(raw.type) else raw.cast(pa.float64())
        cache[spec.id] = out
        return out

    columns: dict[str, Any] = {d: table.column(d) for d in dims}
    for spec in specs:
        columns[spec.id] = column(spec)
    return pa.table(columns)


def _ratio(
    num: pa.Array | pa.ChunkedArray, den: pa.Array | pa.ChunkedArray, money: bool
) -> pa.Array:
    valid = pc.and_(pc.and_(pc.is_valid(num), pc.is_valid(den)), pc.not_equal(den, 0))
    if money:
        nums, dens, oks = num.to_pylist(), den.to_pylist(), valid.to_pylist()
        values = [
            (Decimal(n) / Decimal(d)).quantize(MONEY_QUANTUM) if ok else None
            for n, d, ok in zip(nums, dens, oks, strict=True)
        ]
        return pa.array(values, type=pa.decimal128(38, 4))
    quotient = pc.divide(num.cast(pa.float64()), pc.if_else(valid, den, 1).cast(pa.float64()))
    return pc.if_else(valid, quotient, pa.scalar(None, pa.float64()))


def sort_rows(table: pa.Table, dims: Sequence[str]) -> pa.Table:
    """Rows in dimension order, nulls last."""
    if not dims or table.num_rows == 0:
        return table
    return table.sort_by([(d, "ascending", "at_end") for d in dims])


def records(table: pa.Table) -> list[dict[str, Any]]:
    """Plain Python rows: ints, Decimals, floats, dates and datetimes; None for missing."""
    rows: list[dict[str, Any]] = table.to_pylist()
    return rows
