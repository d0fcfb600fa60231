"""Breakdowns (value at step 1 or the last step), final-step value per currency, the
customer unit, and requests that cannot run (seeds/web).

Shop `mix` (UTC, 2026-03-10), click → purchase, touchpoint channel per event:
  m1: click facebook 10:00, purchase instagram 10:10, 100 TWD
  m2: click facebook 11:00, purchase facebook 11:05, 20.50 USD
  m3: click line 12:00
  m4: click line 13:00, purchase line 13:30, 30 TWD
Shop `nul` (UTC, 2026-03-10): n1: click facebook 10:00, purchase without a channel 10:05
Shop `merge` (UTC, 2026-03-10):
  va: impression 10:00 (no customer), lead 12:00 carrying customer C1
  vb: click 10:05 carrying C1, purchase 10:20 (no customer)
  vc: impression 10:00, click 10:01 (never linked)
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from socialscope.funnels import (
    FunnelError,
    FunnelRequest,
    FunnelResult,
    ValueResult,
    parse_steps,
)
from tests.funnels.conftest import Seed, counts

DAY = "2026-03-10"


def _slices(result: FunnelResult) -> dict[object, list[int]]:
    return {s.value: [st.count for st in s.steps] for s in result.breakdown}


def test_breakdown_at_first_step(web: Seed) -> None:
    result = web.run("click,purchase", "mix", DAY, by="channel")
    # by the click's channel: facebook m1, m2 (both purchase); line m3, m4 (m4 purchases)
    assert _slices(result) == {"facebook": [2, 2], "line": [2, 1]}
    assert result.request.breakdown_at == "first"
    fb = next(s for s in result.breakdown if s.value == "facebook")
    # facebook's purchases: m1 100 TWD, m2 20.50 USD — two currencies, never added
    assert fb.values == (
        ValueResult("TWD", 1, Decimal("100.0000"), Decimal("100.0000")),
        ValueResult("USD", 1, Decimal("20.5000"), Decimal("20.5000")),
    )


def test_breakdown_at_last_step(web: Seed) -> None:
    result = web.run("click,purchase", "mix", DAY, by="channel", breakdown_at="last")
    # value at the last step reached: m1's purchase is instagram, m2's facebook; m3
    # stopped at its click (line); m4's purchase is line
    assert _slices(result) == {"instagram": [1, 1], "facebook": [1, 1], "line": [2, 1]}
    assert json.loads(result.to_json())["request"]["breakdown_at"] == "last"
    # largest step 1 first, then by value
    assert [s.value for s in result.breakdown] == ["line", "facebook", "instagram"]


def test_last_step_without_the_dimension(web: Seed) -> None:
    # n1's purchase has no channel: at the last step its value is null, not the click's
    first = web.run("click,purchase", "nul", DAY, by="channel")
    last = web.run("click,purchase", "nul", DAY, by="channel", breakdown_at="last")
    assert _slices(first) == {"facebook": [1, 1]}
    assert _slices(last) == {None: [1, 1]}


def test_value_per_currency(web: Seed) -> None:
    result = web.run("click,purchase", "mix", DAY)
    # TWD: m1 100 + m4 30 = 130 over 2 conversions, mean 65; USD: m2 20.50, mean 20.50
    assert result.overall.values == (
        ValueResult("TWD", 2, Decimal("130.0000"), Decimal("65.0000")),
        ValueResult("USD", 1, Decimal("20.5000"), Decimal("20.5000")),
    )
    money = json.loads(result.to_json())["overall"]["values"]
    assert money[0] == {"currency": "TWD", "conversions": 2, "total": "130.0000", "mean": "65.0000"}


def test_customer_unit_merges_visitors(web: Seed) -> None:
    steps = "impression,click,purchase"
    # visitors: va (impression only) 1 step, vc 2 steps; vb has no impression
    assert web.counts(steps, "merge", DAY) == [2, 1, 0]
    # customers: va and vb both carry C1 somewhere, so C1 = impression 10:00 (va),
    # click 10:05 (vb), purchase 10:20 (vb) = 3 steps; vc stays its own unit, 2 steps
    assert web.counts(steps, "merge", DAY, unit="customer") == [2, 2, 1]


def test_customer_only_steps_need_customer_unit() -> None:
    with pytest.raises(FunnelError, match="unit=customer"):
        FunnelRequest(parse_steps("click,order"), None, date(2026, 3, 1), date(2026, 3, 1))


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"mode": "any", "step_windows": {2: timedelta(hours=1)}}, "need an order"),
        ({"step_windows": {1: timedelta(hours=1)}}, "steps 2..2"),
        ({"by": "staff_id"}, "no step of this funnel has the dimension"),
        ({"same": ("live_id",)}, "click events have no live_id"),
        ({"mode": "sometimes"}, "mode must be one of"),
        ({"window": timedelta(0)}, "must be positive"),
    ],
)
def test_bad_requests(kw: dict[str, Any], message: str) -> None:
    with pytest.raises(FunnelError, match=message):
        FunnelRequest(
            parse_steps("impression,click"),
            None,
            date(2026, 3, 1),
            date(2026, 3, 1),
            **kw,
        )


def test_several_shops_need_a_shop(web: Seed) -> None:
    with pytest.raises(FunnelError, match="name one with shop="):
        web.run("click,purchase", None, DAY)
    assert counts(web.run("click,purchase", "mix", DAY)) == [4, 3]
