"""Targets back-calculated through chains with known rates."""

from __future__ import annotations

from decimal import Decimal

import pytest

from socialscope.campaigns.targets import Rate, Step, TargetError, back_calculate


def _rate(name: str, num: str, den: str) -> Rate:
    return Rate(name, name, f"{name}_num", f"{name}_den", Decimal(num), Decimal(den))


def _campaign(aov: tuple[str, str], cr: tuple[str, str], ctr: tuple[str, str]) -> list[Step]:
    return [
        Step("order_count", "orders", _rate("aov", *aov)),
        Step("click_users", "click users", _rate("conversion_rate", *cr)),
        Step("impressions", "impressions", _rate("click_through_rate", *ctr)),
    ]


def test_chain_with_known_rates() -> None:
    # AOV = 50 000 / 100 = 500; conversion rate = 30 / 1 000 = 0.03; CTR = 200 / 10 000 = 0.02.
    # 100 000 sales ÷ 500 = 200 orders ÷ 0.03 = 6 666.67 → 6 667 click users
    # ÷ 0.02 = 333 333.33 → 333 334 impressions (carried unrounded: 6 666.67 / 0.02).
    plan = back_calculate(
        Decimal("100000"), _campaign(("50000", "100"), ("30", "1000"), ("200", "10000"))
    )
    assert plan.complete
    assert [s.needed for s in plan.stages] == [200, 6667, 333334]
    assert plan.stages[0].rate.value == Decimal(500)
    assert plan.stages[1].exact == Decimal(20000) / Decimal(3)
    assert [s.metric for s in plan.stages] == ["order_count", "click_users", "impressions"]


def test_exact_figures_are_not_rounded_between_stages() -> None:
    # 1 050 ÷ AOV 100 = 10.5 orders (shown 11); ÷ 0.5 = 21 click users exactly — rounding
    # the orders first would have asked for 22.
    plan = back_calculate(Decimal("1050"), _campaign(("1000", "10"), ("1", "2"), ("1", "4")))
    assert [s.needed for s in plan.stages] == [11, 21, 84]  # 21 ÷ 0.25 = 84


def test_thirds_are_exact() -> None:
    # AOV 300 / 3 = 100; conversion 1 / 3: 1 000 ÷ 100 = 10 orders ÷ (1/3) = 30 click users
    # exactly (a rounded 0.333… would give 30.000…03 and ask for 31); CTR 3 / 9 = 1/3 → 90.
    plan = back_calculate(Decimal("1000"), _campaign(("300", "3"), ("1", "3"), ("3", "9")))
    assert [s.needed for s in plan.stages] == [10, 30, 90]
    assert plan.stages[1].exact == Decimal(30)


def test_zero_rate_stops_the_chain() -> None:
    # Conversion rate 0 / 400 = 0: click users cannot be estimated; orders still are
    # (1 000 ÷ 250 = 4); impressions are not reached.
    plan = back_calculate(Decimal("1000"), _campaign(("500", "2"), ("0", "400"), ("1", "10")))
    assert not plan.complete
    assert [s.needed for s in plan.stages] == [4, None, None]
    assert plan.stopped is not None
    assert "is 0" in plan.stopped
    assert "click users" in plan.stopped


def test_missing_rate_stops_the_chain() -> None:
    # No orders in the trailing period: AOV has a 0 denominator, no stage is estimated.
    plan = back_calculate(Decimal("1000"), _campaign(("0", "0"), ("1", "4"), ("1", "10")))
    assert [s.needed for s in plan.stages] == [None, None, None]
    assert plan.stopped is not None
    assert "no trailing aov" in plan.stopped
    assert "aov_den is 0" in plan.stopped
    # The rates after the stop are still shown.
    assert plan.stages[1].rate.value == Decimal("0.25")


def test_without_target_only_rates() -> None:
    plan = back_calculate(None, _campaign(("500", "2"), ("1", "4"), ("1", "10")))
    assert plan.complete
    assert [s.needed for s in plan.stages] == [None, None, None]
    assert [s.rate.value for s in plan.stages] == [Decimal(250), Decimal("0.25"), Decimal("0.1")]


def test_zero_target_needs_nothing() -> None:
    plan = back_calculate(Decimal(0), _campaign(("500", "2"), ("1", "4"), ("1", "10")))
    assert [s.needed for s in plan.stages] == [0, 0, 0]


def test_negative_target_is_an_error() -> None:
    with pytest.raises(TargetError, match="negative"):
        back_calculate(Decimal("-1"), [])
