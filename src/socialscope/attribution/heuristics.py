"""Rule-based models (METRICS.md section 8): each gives every touch a fraction of its path.

A model is a per-touch fraction array (each path's fractions sum to 1) computed with
whole-array operations; `spread` turns it into credits weighted by each path's
conversions and value. Paths without conversions get credit 0 whatever the fractions.
"""

from __future__ import annotations

import numpy as np

from socialscope.attribution.arrays import Credits, Floats, PathArrays, spread

DIRECT = "direct"
DEFAULT_HALF_LIFE_HOURS = 168.0  # 7 days


def first_touch(arrays: PathArrays) -> Credits:
    """100 % to the first touch."""
    fraction = np.zeros(len(arrays.codes))
    fraction[arrays.starts] = 1.0
    return spread(arrays, fraction)


def last_touch(arrays: PathArrays) -> Credits:
    """100 % to the last touch that is not `direct`; `direct` only when all touches are."""
    fraction = np.zeros(len(arrays.codes))
    if arrays.rows == 0:
        return spread(arrays, fraction)
    positions = np.arange(len(arrays.codes), dtype=np.int64)
    direct = arrays.channels.index(DIRECT) if DIRECT in arrays.channels else -1
    candidate = np.where(arrays.codes != direct, positions, -1)
    last = np.maximum.reduceat(candidate, arrays.starts)
    fraction[np.where(last >= 0, last, arrays.ends)] = 1.0
    return spread(arrays, fraction)


def linear(arrays: PathArrays) -> Credits:
    """1/n to each of the n touches (a repeated channel collects each of its shares)."""
    return spread(arrays, 1.0 / arrays.lengths[arrays.row])


def position_based(arrays: PathArrays) -> Credits:
    """n=1: 100 %; n=2: 50/50; n>=3: 40 % first, 40 % last, 20 % split over the middle."""
    n = arrays.lengths[arrays.row].astype(np.float64)
    fraction: Floats = np.where(n >= 3, 0.2 / np.maximum(n - 2, 1), 0.0)
    ends = np.where(arrays.lengths == 1, 1.0, np.where(arrays.lengths == 2, 0.5, 0.4))
    fraction[arrays.starts] = ends
    fraction[arrays.ends] = ends  # the same touch as the start when n = 1
    return spread(arrays, fraction)


def time_decay(arrays: PathArrays, half_life_hours: float = DEFAULT_HALF_LIFE_HOURS) -> Credits:
    """Weight 2^(−Δt / half_life), Δt = hours from the touch to the conversion; credit =
    weight / Σ weights of the path. Weights are taken relative to the path's latest touch
    (same ratios), so very old touches cannot underflow every weight of a path to 0."""
    if arrays.hours is None:
        raise ValueError("time_decay needs hours_till_conv for every path")
    if not half_life_hours > 0 or not np.isfinite(half_life_hours):
        raise ValueError(f"half-life must be a positive number of hours, not {half_life_hours}")
    if arrays.rows == 0:
        return spread(arrays, np.zeros(0))
    nearest = np.minimum.reduceat(arrays.hours, arrays.starts)
    weight = np.exp2(-(arrays.hours - nearest[arrays.row]) / half_life_hours)
    total = np.add.reduceat(weight, arrays.starts)
    return spread(arrays, weight / total[arrays.row])
