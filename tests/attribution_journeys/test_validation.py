"""Requests that cannot be answered fail with a ValueError that names what to change."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from socialscope.attribution.journeys import JourneyError, JourneyRequest, validate

BASE: dict[str, Any] = {"shop": "tp", "date_from": date(2026, 4, 1), "date_to": date(2026, 4, 30)}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"lookback_days": 0}, r"lookback_days must be .* >= 1, got 0"),
        ({"lookback_days": -3}, r"got -3"),
        ({"lookback_days": 1.5}, r"got 1.5"),
        ({"lookback_days": True}, r"got True"),
        ({"date_from": date(2026, 5, 1)}, r"date_from 2026-05-01 is after date_to 2026-04-30"),
        ({"conversion": "order"}, r"unknown conversion 'order': use one of paid_order, purchase"),
        ({"touch_events": ("click", "clik")}, r"unknown touchpoint event\(s\) 'clik'.*click"),
        ({"include": frozenset({"email"})}, r"unknown touch kind\(s\) 'email'.*chat, comment"),
        ({"touch_events": ()}, r"no touches asked"),
        (
            {"conversion": "purchase", "touch_events": ("click", "purchase")},
            r"cannot also be touches",
        ),
        ({"conversion": "purchase", "net_of_refunds": True}, r"paid_order conversions only"),
    ],
)
def test_invalid_requests(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate(JourneyRequest(**{**BASE, **changes}))


def test_valid_requests_pass() -> None:
    validate(JourneyRequest(**BASE))
    validate(JourneyRequest(**BASE, touch_events=(), include=frozenset({"live"})))
    validate(JourneyRequest(**BASE, touch_events=("click", "purchase")))  # paid_order: allowed


def test_unknown_shop(core) -> None:
    with pytest.raises(JourneyError, match=r"unknown shop 'nope'; shops in this store: tp, tp2"):
        core.paths(shop="nope")


def test_errors_are_value_errors() -> None:
    assert issubclass(JourneyError, ValueError)
