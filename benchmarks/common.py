"""What every benchmark runner shares: timings, targets and the mismatch error.

Kept apart from run.py so that the benchmark modules (attribution, funnel) can use them
without importing the runner that imports them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np


class MismatchError(Exception):
    """Two implementations computed different numbers."""


# -- timing ------------------------------------------------------------------------------
@dataclass
class Timing:
    samples: list[float] = field(default_factory=list)

    def add(self, seconds: float) -> None:
        self.samples.append(seconds)

    def stat(self, q: float) -> float:
        return float(np.percentile(self.samples, q)) if self.samples else float("nan")

    @property
    def median(self) -> float:
        return self.stat(50)

    @property
    def p95(self) -> float:
        return self.stat(95)

    def to_dict(self, **extra: Any) -> dict[str, Any]:
        return {
            "n": len(self.samples),
            "samples_s": [round(s, 6) for s in self.samples],
            "median_s": round(self.median, 6),
            "p95_s": round(self.p95, 6),
            "min_s": round(min(self.samples), 6),
            "max_s": round(max(self.samples), 6),
            **extra,
        }


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def target(
    name: str, value: float, limit: float, *, at_most: bool, unit: str = ""
) -> dict[str, Any]:
    met = value <= limit if at_most else value >= limit
    return {
        "target": name,
        "value": round(value, 4),
        "limit": limit,
        "comparison": "<=" if at_most else ">=",
        "unit": unit,
        "met": bool(met),
    }
