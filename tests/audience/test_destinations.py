"""loss_destinations on the hand-worked seed (see conftest.py for the story)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialscope.audience.destinations import _visible, band_label, loss_destinations
from socialscope.audience.privacy import PrivacyError
from tests.audience.conftest import MAY_DONE, assert_clean
from tests.seedstore import SeedStore

TODAY = date.fromisoformat(MAY_DONE)


def run(seed: SeedStore, **kw: object) -> dict[str, object]:
    result = loss_destinations(seed.client, "home_shop", "2026-05", today=TODAY, **kw)  # type: ignore[arg-type]
    return result.to_json()


def test_shoes_group_has_five_users(seed: SeedStore) -> None:
    out = run(seed)
    # lost: hc02..hc13 + hv14 = 13. Shoes 25–50 USD: hc02 hc03 hc04 hc05 hc06 (rv06's
    # order is May 31 in New York) = 5 users; orders ro2a ro2b ro3 ro4 ro5 ro6 to3 = 7
    # (hc03 bought in rival_shop and third_shop: one user). The bag (1 user) is hidden;
    # rv08 cancelled, rv09 unpaid, rv10 in June, rv01 not lost.
    assert out["lost_users"] == 13
    assert out["groups"] == [
        {
            "category": "shoes",
            "price_band": "25–50 USD",
            "currency": "USD",
            "users": 5,
            "orders": 7,
            "share": 5 / 13,
        }
    ]
    assert_clean(json.dumps(out, ensure_ascii=False))


def test_group_below_k_is_hidden(seed: SeedStore) -> None:
    assert run(seed, k=6)["groups"] == []


def test_k_three_shows_no_single_user_group(seed: SeedStore) -> None:
    out = run(seed, k=3)
    assert [g["category"] for g in out["groups"]] == ["shoes"]  # the 1-user bag stays hidden


def test_k_below_three_is_rejected(seed: SeedStore) -> None:
    with pytest.raises(PrivacyError, match="k must be a whole number ≥ 3"):
        run(seed, k=2)


def test_named_own_shop_hidden_when_pooled_rest_is_small(seed: SeedStore) -> None:
    # Owner of rival_shop: rival's cell (5 users, 6 orders) would let the owner subtract
    # it from the pooled query (7 orders) and learn third_shop's 1-user cell: hidden.
    assert run(seed, named_shops={"rival_shop"})["groups"] == []


def test_named_own_shops(seed: SeedStore) -> None:
    out = run(seed, named_shops={"rival_shop", "third_shop"})
    assert out["groups"] == [
        {
            "category": "shoes",
            "price_band": "25–50 USD",
            "currency": "USD",
            "users": 5,
            "orders": 6,
            "share": 5 / 13,
            "shop": "rival_shop",
        }
    ]


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2026-05-01", "month must be YYYY-MM"),
        ("2026-5", "month must be YYYY-MM"),
        ("2026-06", "not over yet"),  # still running on TODAY: it would grow
    ],
)
def test_only_complete_months(seed: SeedStore, month: str, message: str) -> None:
    with pytest.raises(PrivacyError, match=message):
        loss_destinations(seed.client, "home_shop", month, today=TODAY)


def test_differencing_needs_overlapping_periods_which_are_refused(seed: SeedStore) -> None:
    """The attack: May vs May + 1 day (or a 1-day period) to isolate rv10's June order.
    Periods are calendar months only, so neither query can be asked."""
    for bad in ("2026-05-01..2026-06-01", "2026-06-01", "2026-W22"):
        with pytest.raises(PrivacyError):
            loss_destinations(seed.client, "home_shop", bad, today=TODAY)
    # June alone is a month of its own: rv10 is one user, hidden like any small group
    june = loss_destinations(seed.client, "home_shop", "2026-06", today=date(2026, 7, 2))
    assert june.groups == ()


def test_no_filters_accepted(seed: SeedStore) -> None:
    """A product or category filter would be a second, overlapping query."""
    with pytest.raises(TypeError):
        loss_destinations(seed.client, "home_shop", "2026-05", product_id="hp1")  # type: ignore[call-arg]


def test_price_bands_scale_by_currency() -> None:
    assert band_label("USD", 0) == "< 10 USD"
    assert band_label("TWD", 2) == "1250–2500 TWD"
    assert band_label("JPY", 5) == "≥ 25000 JPY"
    assert band_label("XYZ", 3) == "50–100 XYZ"


_cell = st.fixed_dictionaries(
    {
        "dest": st.sampled_from([None, "own_a", "own_b"]),
        "category": st.sampled_from(["shoes", "bags"]),
        "currency": st.sampled_from(["USD", "TWD"]),
        "band": st.integers(min_value=0, max_value=5),
        "users": st.integers(min_value=1, max_value=12),
        "orders": st.integers(min_value=1, max_value=30),
    }
)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(_cell, max_size=12), k=st.integers(min_value=3, max_value=8))
def test_visible_groups_never_below_k_nor_subtractable(rows: list[dict[str, Any]], k: int) -> None:
    # one row per (dest, category, currency, band), as the grouped statement gives
    unique = {(r["dest"], r["category"], r["currency"], r["band"]): r for r in rows}
    cells = list(unique.values())
    shown = _visible(cells, k, lost_n=100)
    pooled = {
        (r["category"], r["currency"], r["band"]): r["users"] for r in cells if r["dest"] is None
    }
    for g in shown:
        assert g.users >= k
        assert g.shop in (None, "own_a", "own_b")
        if g.shop is not None:
            # the owner could subtract this from the all-pooled answer: the rest of the
            # pool must be empty or itself ≥ k
            band = next(
                r["band"]
                for r in cells
                if (r["dest"], r["category"], r["currency"]) == (g.shop, g.category, g.currency)
                and band_label(r["currency"], r["band"]) == g.price_band
            )
            rest = pooled.get((g.category, g.currency, band), 0)
            assert rest == 0 or rest >= k
