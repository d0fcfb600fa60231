"""A PathSet as flat numpy arrays: what every model computes on.

Touches of all paths sit in one array (`codes`, channel numbers in name order) with the
row each touch belongs to; per-row arrays hold the counts. The models then work with
whole-array operations (bincount, reduceat), never a Python loop per path or journey.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from socialscope.attribution.paths import PathsError, PathSet

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class PathArrays:
    """The rows the models use: those with conversions or nulls (the rest carry nothing)."""

    channels: tuple[str, ...]  # sorted by name; code i is channels[i]
    codes: Ints  # per touch, oldest first within a row
    row: Ints  # per touch: its row
    starts: Ints  # per row: index of its first touch in `codes`
    lengths: Ints  # per row: number of touches (>= 1)
    conversions: Floats  # per row
    nulls: Floats  # per row
    value: Floats  # per row, for shares of value (totals stay exact in `total_value`)
    total_value: Decimal
    hours: Floats | None  # per touch, when every row has touch times

    @property
    def rows(self) -> int:
        return len(self.lengths)

    @property
    def ends(self) -> Ints:
        """Per row: index of its last touch."""
        return self.starts + self.lengths - 1


@dataclass(frozen=True)
class Credits:
    """One model's credit per channel (index = channel code)."""

    conversions: Floats
    value: Floats


def path_arrays(paths: PathSet) -> PathArrays:
    """Flatten the used rows; PathsError for counts no model can use."""
    table = paths.table
    conv_all = table.column("conversions").to_numpy()
    nulls_all = table.column("nulls").to_numpy()
    value_col = table.column("value")
    if np.any(~np.isfinite(conv_all)) or np.any(~np.isfinite(nulls_all)):
        raise PathsError(f"{paths.source or 'paths'}: conversions and nulls must be finite")
    if np.any(conv_all < 0) or np.any(nulls_all < 0):
        raise PathsError(f"{paths.source or 'paths'}: negative conversions or nulls")
    if pc.any(pc.less(value_col, pa.scalar(0, value_col.type))).as_py():
        raise PathsError(f"{paths.source or 'paths'}: negative conversion value")
    has_value = pc.not_equal(value_col, pa.scalar(0, value_col.type)).to_numpy(zero_copy_only=False)
    if np.any(has_value & (conv_all == 0)):
        raise PathsError(
            f"{paths.source or 'paths'}: conversion value on a path without conversions"
        )
    used = (conv_all + nulls_all) > 0
    table = table.filter(pa.array(used))
    path_col = table.column("path").combine_chunks()
    lengths = pc.list_value_length(path_col).to_numpy(zero_copy_only=False).astype(np.int64)
    if np.any(lengths == 0):
        raise PathsError(f"{paths.source or 'paths'}: empty path (use the channel `direct`)")
    flat = pc.list_flatten(path_col)
    encoded = pc.dictionary_encode(flat) if len(flat) else None
    if encoded is None:
        names: list[str] = []
        codes = np.zeros(0, np.int64)
    else:
        dictionary = encoded.dictionary.to_pylist()
        order = sorted(range(len(dictionary)), key=lambda i: dictionary[i])
        rank = np.empty(len(dictionary), np.int64)
        rank[order] = np.arange(len(dictionary))
        names = [dictionary[i] for i in order]
        codes = rank[encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)]
    starts = (np.cumsum(lengths) - lengths).astype(np.int64)
    row = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    value_sum = pc.sum(table.column("value")).as_py() or Decimal(0)
    return PathArrays(
        channels=tuple(names),
        codes=codes,
        row=row,
        starts=starts,
        lengths=lengths,
        conversions=table.column("conversions").to_numpy().astype(np.float64),
        nulls=table.column("nulls").to_numpy().astype(np.float64),
        value=table.column("value").cast(pa.float64()).to_numpy().astype(np.float64),
        total_value=Decimal(value_sum).quantize(Decimal("0.0001")),
        hours=_hours(table, lengths, paths.source),
    )


def _hours(table: pa.Table, lengths: Ints, source: str) -> Floats | None:
    column = table.column("hours_till_conv").combine_chunks()
    if column.null_count > 0:
        return None  # (no rows at all: an empty array, nothing for time_decay to miss)
    counts = pc.list_value_length(column).to_numpy(zero_copy_only=False).astype(np.int64)
    if np.any(counts != lengths):
        raise PathsError(f"{source or 'paths'}: hours_till_conv must have one number per touch")
    hours: Floats = pc.list_flatten(column).to_numpy(zero_copy_only=False).astype(np.float64)
    if np.any(~np.isfinite(hours)) or np.any(hours < 0):
        raise PathsError(f"{source or 'paths'}: hours_till_conv must be finite and >= 0")
    return hours


def spread(arrays: PathArrays, fraction: Floats) -> Credits:
    """Credits from per-touch fractions (each row's fractions sum to 1)."""
    size = len(arrays.channels)
    conv = fraction * arrays.conversions[arrays.row]
    value = fraction * arrays.value[arrays.row]
    return Credits(
        np.bincount(arrays.codes, weights=conv, minlength=size).astype(np.float64),
        np.bincount(arrays.codes, weights=value, minlength=size).astype(np.float64),
    )
