"""Vectorised assembly of per-fact aggregates into result rows (pandas).

Per-row Python over tens of thousands of groups (every shop × day × staff) costs far more
than the queries themselves, so merging facts, filling empty time buckets, deriving ratios
and sorting are done on whole columns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from socialscope.metrics.spec import MetricSpec, Ratio, Unit
from socialscope.metrics.time import spine

MONEY_QUANTUM = Decimal("0.0001")


def empty_value(spec: MetricSpec) -> Any:
    """The value of a metric over no rows: 0 for counts and sums, null otherwise."""
    if isinstance(spec.agg, Ratio):
        return None
    if spec.unit is Unit.MONEY:
        return Decimal(0)
    if spec.unit is Unit.COUNT:
        return 0
    return None


def to_frame(arrow: pa.Table) -> pd.DataFrame:
    """Arrow → pandas keeping Python dates, datetimes and Decimals (no float money)."""
    df: pd.DataFrame = arrow.to_pandas(date_as_object=True, timestamp_as_object=True)
    return df


def merge_facts(frames: Sequence[pd.DataFrame], dims: Sequence[str]) -> pd.DataFrame:
    """Outer-join the facts' aggregates on the dimension values (nulls match nulls)."""
    if not dims:
        row: dict[str, Any] = {}
        for f in frames:
            if len(f):
                row.update({str(k): v for k, v in f.iloc[0].to_dict().items()})
        return pd.DataFrame([row])
    merged = frames[0]
    for f in frames[1:]:
        merged = merged.merge(f, on=list(dims), how="outer")
    return merged


def fill_spine(
    df: pd.DataFrame,
    dims: Sequence[str],
    time_dim: str,
    start: date,
    end: date,
    timezone: str | None,
) -> pd.DataFrame:
    """Every bucket of the period, for every combination of the other dimensions seen."""
    buckets = pd.DataFrame(
        {time_dim: pd.Series(spine(start, end, time_dim, timezone), dtype=object)}
    )
    others = [d for d in dims if d != time_dim]
    if others:
        if df.empty:
            return df
        combos = df[others].drop_duplicates()
        grid = combos.merge(buckets, how="cross")
    else:
        grid = buckets
    return grid.merge(df, on=list(dims), how="left")[list(df.columns)]


def finish_values(
    df: pd.DataFrame,
    specs: Sequence[MetricSpec],
    lookup: Callable[[str], MetricSpec],
) -> pd.DataFrame:
    """Base metrics with their empty value where absent; ratios from summed parts."""
    out = pd.DataFrame(index=df.index)

    def column(spec: MetricSpec) -> pd.Series:
        if isinstance(spec.agg, Ratio):
            num = column(lookup(spec.agg.numerator))
            den = column(lookup(spec.agg.denominator))
            return _ratio(num, den, spec.unit is Unit.MONEY)
        raw = df[spec.id] if spec.id in df.columns else pd.Series([None] * len(df), index=df.index)
        if spec.unit is Unit.COUNT:
            return raw.fillna(0).astype("int64")
        if spec.unit is Unit.MONEY:
            return raw.astype(object).where(raw.notna(), Decimal(0)).map(Decimal)
        return (
            raw.astype(object)
            .where(raw.notna(), None)
            .map(lambda v: None if v is None else float(v))
        )

    for spec in specs:
        out[spec.id] = column(spec)
    return out


def _ratio(num: pd.Series, den: pd.Series, money: bool) -> pd.Series:
    valid = den.notna() & (den != 0) & num.notna()
    result = pd.Series([None] * len(num), index=num.index, dtype=object)
    if valid.any():
        if money:
            result[valid] = [
                (Decimal(n) / Decimal(d)).quantize(MONEY_QUANTUM)
                for n, d in zip(num[valid], den[valid], strict=True)
            ]
        else:
            result[valid] = (num[valid].astype("float64") / den[valid].astype("float64")).astype(
                object
            )
    return result


def sort_rows(df: pd.DataFrame, dims: Sequence[str]) -> pd.DataFrame:
    """Rows in dimension order, nulls last (stable)."""
    if not dims or df.empty:
        return df
    keys = []
    for d in dims:
        col = df[d]
        keys.append(col.isna().to_numpy())
        keys.append(pd.Series(pd.factorize(col, sort=True, use_na_sentinel=True)[0]).to_numpy())
    order = np.lexsort(tuple(reversed(keys)))
    return df.iloc[order]


def records(df: pd.DataFrame, columns: Sequence[str]) -> list[dict[str, Any]]:
    """Plain Python rows: ints, Decimals, floats, dates and datetimes; None for missing."""
    cols = list(columns)
    data = {c: _python_values(df[c]) for c in cols}
    return [
        dict(zip(cols, vals, strict=True)) for vals in zip(*(data[c] for c in cols), strict=True)
    ]


def _python_values(col: pd.Series) -> list[Any]:
    if pd.api.types.is_integer_dtype(col):
        return [int(v) for v in col.tolist()]
    values = col.tolist()  # dates, datetimes, Decimals and strings stay Python objects
    for i in np.flatnonzero(col.isna().to_numpy()):
        values[i] = None
    return values
