"""Vectorised building blocks of the demo generator: clocks, ids, columns, Arrow.

Everything is generated in shop-local wall-clock seconds (so "lunch peak" means local
lunch) and converted to real UTC instants only at the end, through a per-(day, hour)
UTC-offset table that follows the shop's DST rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from socialscope.contract.tables import ColType, TableSpec

Arr = npt.NDArray[Any]
Frame = dict[str, Arr]
"""A table under construction: column name → equally long numpy array."""

DAY = 86_400
NULL_I = np.iinfo(np.int64).min
"""Null sentinel of integer, money (1e-4 units) and timestamp (µs) columns."""
MONEY_SCALE = 10_000
EPOCH = date(1970, 1, 1)
_PAD = 4  # days of offset table kept on each side of the window


def rng_for(seed: int, *key: int) -> np.random.Generator:
    """An independent stream per (seed, shop, subsystem): editing one part of the
    generator never shifts the random numbers of another."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, *key])))


@dataclass(frozen=True)
class Clock:
    """Local wall-clock seconds since 1970-01-01 (naive) ↔ UTC microseconds."""

    tz: str
    first_day: int  # local epoch day of the window's first date
    days: int
    offsets: Arr  # (days + 2*_PAD, 24) UTC offsets in seconds at each local hour

    @classmethod
    def build(cls, tz: str, start: date, days: int) -> Clock:
        zone = ZoneInfo(tz)
        offs = np.empty((days + 2 * _PAD, 24), dtype=np.int64)
        for i in range(days + 2 * _PAD):
            d = start + timedelta(days=i - _PAD)
            for h in range(24):
                off = datetime(d.year, d.month, d.day, h, tzinfo=zone).utcoffset()
                offs[i, h] = int(off.total_seconds()) if off is not None else 0
        return cls(tz, (start - EPOCH).days, days, offs)

    @property
    def start_s(self) -> float:
        return float(self.first_day * DAY)

    @property
    def end_s(self) -> float:
        """Local midnight after the last day: nothing is generated at or past it."""
        return float((self.first_day + self.days) * DAY)

    def day_index(self, local_s: Arr) -> Arr:
        days: Arr = np.floor(np.asarray(local_s, dtype=np.float64) / DAY).astype(np.int64)
        return days - self.first_day

    def hour(self, local_s: Arr) -> Arr:
        """Fractional local hour of day (0 ≤ h < 24)."""
        ls: Arr = np.asarray(local_s, dtype=np.float64)
        out: Arr = (ls - np.floor(ls / DAY) * DAY) / 3600.0
        return out

    def to_utc_us(self, local_s: Arr) -> Arr:
        """Real UTC instants in µs, rounded to the millisecond. A local time inside a
        DST gap takes the offset before it, so the mapping never runs backwards."""
        ls = np.asarray(local_s, dtype=np.float64)
        d = np.clip(self.day_index(ls) + _PAD, 0, self.offsets.shape[0] - 1)
        h = np.clip(self.hour(ls).astype(np.int64), 0, 23)
        ms: Arr = np.round((ls - self.offsets[d, h]) * 1000.0).astype(np.int64)
        return ms * 1000


def scramble(idx: Arr, modulus: int, mult: int, add: int) -> Arr:
    """A bijection of 0..modulus-1 (mult coprime to modulus): random-looking ids that
    are guaranteed unique, with no collision check."""
    return (np.asarray(idx, dtype=np.uint64) * np.uint64(mult) + np.uint64(add)) % np.uint64(
        modulus
    )


def fmt(pattern: str, values: Arr) -> Arr:
    """`pattern.format(v)` for each value, as an object array."""
    return np.array([pattern.format(v) for v in values.tolist()], dtype=object)


def pick(options: list[str] | tuple[str, ...], idx: Arr) -> Arr:
    """Options chosen by integer index, as an object array."""
    return np.asarray(options, dtype=object)[np.asarray(idx, dtype=np.int64)]


def choice(rng: np.random.Generator, n_or_opts: int, size: int, p: Arr | None = None) -> Arr:
    """Weighted integer choice with normalised weights."""
    if p is not None:
        w = np.asarray(p, dtype=np.float64)
        return rng.choice(n_or_opts, size=size, p=w / w.sum())
    return rng.integers(0, n_or_opts, size=size)


def nulls(n: int) -> Arr:
    return np.full(n, None, dtype=object)


def present(values: Arr) -> Arr:
    """Elementwise `is not None` of an object array."""
    return np.array([v is not None for v in values.tolist()], dtype=bool)


def where_str(mask: Arr, values: Arr) -> Arr:
    """values where mask, else null."""
    out = nulls(len(mask))
    out[mask] = np.asarray(values, dtype=object)[mask]
    return out


def concat(frames: list[Frame]) -> Frame:
    """Row-wise concatenation; a column missing in some frame becomes null there."""
    frames = [f for f in frames if f and len(next(iter(f.values()))) > 0]
    if not frames:
        return {}
    cols: list[str] = []
    for f in frames:
        cols.extend(c for c in f if c not in cols)
    out: Frame = {}
    for c in cols:
        parts = []
        for f in frames:
            n = len(next(iter(f.values())))
            parts.append(f[c] if c in f else nulls(n))
        if any(p.dtype == object for p in parts):
            parts = [p.astype(object) for p in parts]
        out[c] = np.concatenate(parts)
    return out


def take(frame: Frame, idx: Arr) -> Frame:
    return {k: v[idx] for k, v in frame.items()}


def length(frame: Frame) -> int:
    return len(next(iter(frame.values()))) if frame else 0


def _money_array(units: Arr) -> pa.Array:
    """DECIMAL(18,4) straight from int64 1e-4 units (no Python Decimal per value)."""
    v = np.asarray(units, dtype=np.int64)
    valid = v != NULL_I
    clean = np.where(valid, v, 0)
    words = np.empty((len(v), 2), dtype=np.int64)
    words[:, 0] = clean
    words[:, 1] = np.where(clean < 0, -1, 0)
    bitmap = None
    null_count = int((~valid).sum())
    if null_count:
        bitmap = pa.py_buffer(np.packbits(valid, bitorder="little").tobytes())
    return pa.Array.from_buffers(
        pa.decimal128(18, 4), len(v), [bitmap, pa.py_buffer(words.tobytes())], null_count
    )


def to_arrow(spec: TableSpec, frame: Frame) -> pa.Table:
    """Exactly the contract's columns, in its order, with the agreed Arrow types;
    a column the generator did not fill is all null."""
    n = length(frame)
    arrays: list[pa.Array] = []
    for col in spec.columns:
        v = frame.get(col.name)
        if v is None:
            v = nulls(n)
        if col.type is ColType.STRING:
            arrays.append(pa.array(v, type=pa.string()))
        elif col.type is ColType.TIMESTAMP:
            if v.dtype == object:
                v = np.full(n, NULL_I, dtype=np.int64)
            iv = np.asarray(v, dtype=np.int64)
            arrays.append(
                pa.array(iv, type=pa.timestamp("us", tz="UTC"), mask=iv == NULL_I),
            )
        elif col.type is ColType.DATE:
            arrays.append(pa.array(np.asarray(v, dtype=np.int32), type=pa.date32()))
        elif col.type is ColType.MONEY:
            if v.dtype == object:
                v = np.full(n, NULL_I, dtype=np.int64)
            arrays.append(_money_array(v))
        elif col.type is ColType.INTEGER:
            if v.dtype == object:
                v = np.full(n, NULL_I, dtype=np.int64)
            iv = np.asarray(v, dtype=np.int64)
            arrays.append(pa.array(iv, type=pa.int64(), mask=iv == NULL_I))
        elif col.type is ColType.NUMBER:
            fv = np.full(n, np.nan) if v.dtype == object else np.asarray(v, dtype=np.float64)
            arrays.append(pa.array(fv, type=pa.float64(), mask=np.isnan(fv)))
        else:  # BOOLEAN
            if v.dtype == object:
                arrays.append(pa.array(v, type=pa.bool_()))
            else:
                arrays.append(pa.array(np.asarray(v, dtype=np.bool_), type=pa.bool_()))
    return pa.Table.from_arrays(arrays, names=list(spec.column_names))
