"""What a funnel run asks for, checked before anything touches the store."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from socialscope.funnels.steps import DIMENSIONS, FunnelError, Step

UNITS = ("visitor", "customer")
MODES = ("ordered", "strict", "any")
COUNTINGS = ("unique", "totals")
BREAKDOWN_AT = ("first", "last")
MAX_STEPS = 32
"""A step's index is packed into 6 bits of an event's position (funnels/events.py)."""
DEFAULT_WINDOW = timedelta(days=14)


@dataclass(frozen=True)
class FunnelRequest:
    steps: tuple[Step, ...]  # ≥ 2
    shop: str | None  # None: the store's only shop
    date_from: date  # entry cohort: entered step 1 in the period (shop-local, inclusive)
    date_to: date
    unit: str = "visitor"  # or "customer"
    mode: str = "ordered"  # ordered | strict | any
    window: timedelta = DEFAULT_WINDOW  # from entering step 1
    step_windows: Mapping[int, timedelta] = field(default_factory=dict)  # step i: from step i-1
    counting: str = "unique"  # unique | totals
    by: str | None = None
    breakdown_at: str = "first"  # "first" (step 1) | "last" (the last step reached)
    same: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check(self)

    def to_dict(self) -> dict[str, Any]:
        return {
            "steps": [s.label for s in self.steps],
            "shop": self.shop,
            "date_from": self.date_from.isoformat(),
            "date_to": self.date_to.isoformat(),
            "unit": self.unit,
            "mode": self.mode,
            "window_s": self.window.total_seconds(),
            "step_windows_s": {str(k): v.total_seconds() for k, v in self.step_windows.items()},
            "counting": self.counting,
            "by": self.by,
            "breakdown_at": self.breakdown_at,
            "same": list(self.same),
        }


def _one_of(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise FunnelError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")


def _check(r: FunnelRequest) -> None:
    if not 2 <= len(r.steps) <= MAX_STEPS:
        raise FunnelError(f"a funnel has 2 to {MAX_STEPS} steps, not {len(r.steps)}")
    if r.steps[0].overlap:
        raise FunnelError("step 1 has no previous step to share an event with (drop the &)")
    _one_of("unit", r.unit, UNITS)
    _one_of("mode", r.mode, MODES)
    _one_of("counting", r.counting, COUNTINGS)
    _one_of("breakdown_at", r.breakdown_at, BREAKDOWN_AT)
    if r.date_from > r.date_to:
        raise FunnelError(f"the period starts ({r.date_from}) after it ends ({r.date_to})")
    if r.window <= timedelta(0):
        raise FunnelError("the conversion window must be positive")
    if r.unit == "visitor":
        only = [s.event for s in r.steps if s.source.customer_only]
        if only:
            raise FunnelError(
                f"{', '.join(only)} events belong to customers, not visitors: use unit=customer"
            )
    for i, w in r.step_windows.items():
        if not 2 <= i <= len(r.steps):
            raise FunnelError(f"a step window is for steps 2..{len(r.steps)}, not {i}")
        if w <= timedelta(0):
            raise FunnelError(f"the window of step {i} must be positive")
    if r.step_windows and r.mode == "any":
        raise FunnelError("per-step windows need an order: use mode ordered or strict")
    if r.by is not None and not any(r.by in s.source.dims for s in r.steps):
        raise FunnelError(
            f"no step of this funnel has the dimension {r.by!r}; known: {', '.join(DIMENSIONS)}"
        )
    for dim in r.same:
        lacking = [s.event for s in r.steps if dim not in s.source.dims]
        if lacking:
            raise FunnelError(f"same={dim}: {', '.join(lacking)} events have no {dim}")
