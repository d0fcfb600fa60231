"""Targets back-calculated down the funnel: how many of each stage a sales target needs.

A chain is a list of steps from the bottom of the funnel (sales) up; each step divides
what the stage below needs by a trailing rate, e.g. orders = sales ÷ AOV, click users =
orders ÷ conversion rate, impressions = click users ÷ click-through rate. Rates are
given as their summed parts (never an average of ratios) so the plan can show them. The
exact figure is carried up the chain as a fraction (dividing by numerator/denominator
exactly: a rate of 1/3 written as 0.333… would ask for 31 instead of 30) and each stage is
rounded up to whole units only when shown: rounding at every stage would inflate the top
of the funnel by the accumulated roundings. A rate that is missing (zero denominator) or
zero stops the chain at that stage with the reason: nothing is divided by zero and no rate
is invented.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction


class TargetError(ValueError):
    """A target that cannot be back-calculated (e.g. a negative amount)."""


@dataclass(frozen=True)
class Rate:
    """A trailing rate = Σ numerator / Σ denominator of two registered metrics."""

    name: str  # what the rate is called in the output, e.g. "aov"
    label: str  # e.g. "sales per order (AOV)"
    numerator_metric: str
    denominator_metric: str
    numerator: Decimal
    denominator: Decimal

    @property
    def value(self) -> Decimal | None:
        """None when the denominator is 0: there is no rate, not a rate of 0."""
        if self.denominator == 0:
            return None
        return self.numerator / self.denominator


@dataclass(frozen=True)
class Step:
    """One stage up the funnel: stage units = units of the stage below ÷ rate."""

    metric: str  # the metric that counts the stage, e.g. "order_count"
    label: str  # e.g. "orders"
    rate: Rate


@dataclass(frozen=True)
class Stage:
    metric: str
    label: str
    rate: Rate
    exact: Decimal | None  # None without a target, or from the stage where the chain stopped
    needed: int | None  # `exact` rounded up to whole units


@dataclass(frozen=True)
class TargetPlan:
    target: Decimal | None
    stages: tuple[Stage, ...]
    stopped: str | None  # why the chain stops early (None when it reaches the top)

    @property
    def complete(self) -> bool:
        return self.stopped is None


def _stop_reason(step: Step) -> str | None:
    rate = step.rate
    if rate.value is None:
        return (
            f"no trailing {rate.label}: {rate.denominator_metric} is 0 in the trailing "
            f"period, so the {step.label} needed cannot be estimated"
        )
    if rate.value <= 0:
        return (
            f"the trailing {rate.label} is 0 ({rate.numerator_metric} {rate.numerator} / "
            f"{rate.denominator_metric} {rate.denominator}): no number of {step.label} "
            f"reaches the target at that rate"
        )
    return None


def back_calculate(target: Decimal | None, steps: Sequence[Step]) -> TargetPlan:
    """The units each stage needs for `target` (None: only the rates are shown)."""
    if target is not None and target < 0:
        raise TargetError(f"a sales target cannot be negative, got {target}")
    stages: list[Stage] = []
    stopped: str | None = None
    carried = None if target is None else Fraction(target)
    for step in steps:
        if stopped is None:
            stopped = _stop_reason(step)
        if stopped is not None or carried is None:
            stages.append(Stage(step.metric, step.label, step.rate, None, None))
            continue
        carried = carried * Fraction(step.rate.denominator) / Fraction(step.rate.numerator)
        exact = Decimal(carried.numerator) / Decimal(carried.denominator)
        stages.append(Stage(step.metric, step.label, step.rate, exact, math.ceil(carried)))
    return TargetPlan(target, tuple(stages), stopped)
