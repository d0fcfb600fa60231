"""What a funnel run returns: per slice (overall, each breakdown value) per step numbers."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from socialscope.funnels.request import FunnelRequest


@dataclass(frozen=True)
class StepResult:
    step: int  # 1-based
    label: str
    count: int
    conversion_from_first: float | None  # count / step 1's count (null when that is 0)
    conversion_from_previous: float | None  # count / the previous step's (step 1: null)
    drop_off: int | None  # previous count − count (step 1: null)
    drop_off_rate: float | None  # drop_off / previous count
    median_s_from_previous: float | None  # seconds from reaching step k−1 to reaching k
    mean_s_from_previous: float | None
    median_s_from_first: float | None  # seconds from the entry to reaching step k
    mean_s_from_first: float | None


@dataclass(frozen=True)
class ValueResult:
    """The final step's value in one currency (never added across currencies)."""

    currency: str | None
    conversions: int  # final-step conversions whose event carries a value in this currency
    total: Decimal
    mean: Decimal  # total / conversions, to 4 places


@dataclass(frozen=True)
class FunnelSlice:
    value: Any  # the breakdown value (None: the overall slice, or units without a value)
    steps: tuple[StepResult, ...]
    values: tuple[ValueResult, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "steps": [asdict(s) for s in self.steps],
            "values": [_value_dict(v) for v in self.values],
        }


@dataclass(frozen=True)
class FunnelResult:
    request: FunnelRequest  # echoed, incl. breakdown_at: where breakdown values were taken
    shop: str
    overall: FunnelSlice
    breakdown: tuple[FunnelSlice, ...]  # empty without `by`; largest step 1 first

    def to_dict(self) -> dict[str, Any]:
        return {
            "request": {**self.request.to_dict(), "shop": self.shop},
            "overall": self.overall.to_dict(),
            "breakdown": [s.to_dict() for s in self.breakdown],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


def _value_dict(v: ValueResult) -> dict[str, Any]:
    # Money as strings: JSON numbers would round-trip through binary floats.
    return {
        "currency": v.currency,
        "conversions": v.conversions,
        "total": str(v.total),
        "mean": str(v.mean),
    }
