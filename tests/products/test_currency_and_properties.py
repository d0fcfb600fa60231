"""Money per currency (waw_shop sold W1 in PLN and EUR) and properties of the verdict and
the list parser."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialscope.metrics.query import QueryError
from socialscope.products import main_channel, split_values
from tests.seedstore import SeedStore

WAW = {"shop": "waw_shop", "date_from": "2026-03-28", "date_to": "2026-03-30"}


def test_two_currencies_are_never_added(compass: SeedStore) -> None:
    with pytest.raises(QueryError, match="currenc"):
        compass.total(["product_gmv"], **WAW)
    with pytest.raises(QueryError, match="currenc"):
        compass.client.products(**WAW)
    idx = compass.index(["product_gmv", "product_buyers"], ["currency"], **WAW)
    assert idx["PLN"]["product_gmv"] == Decimal("40")  # ow1: 2 × 20
    assert idx["EUR"]["product_gmv"] == Decimal("10")  # ow2


def test_runner_with_a_currency(compass: SeedStore) -> None:
    res = compass.client.products(**WAW, currency="PLN")
    assert res.currency == "PLN"
    # clicks w1, w2, w3 (the DST night); PLN: ow1 of cw1 only
    assert res.totals["product_click_users"] == 3
    assert (res.totals["product_gmv"], res.totals["product_buyers"]) == (Decimal("40"), 1)
    assert res.totals["uv_value"] == Decimal("13.3333")  # 40 / 3, 4 decimals
    assert res.totals["click_to_purchase_rate"] == 1 / 3
    eur = compass.client.products(**WAW, currency="EUR").rows[0]
    assert eur.values["product_gmv"] == Decimal("10")
    assert eur.values["uv_value"] == Decimal("3.3333")


_SOURCES = st.sampled_from(["search", "ad", "live", "post", None])
_ROW = st.fixed_dictionaries(
    {
        "traffic_source": _SOURCES,
        "product_gmv": st.decimals(0, 1000, places=2),
        "product_buyers": st.integers(0, 50),
        "product_click_users": st.integers(0, 200),
        "click_to_purchase_rate": st.one_of(st.none(), st.floats(0, 2)),
    }
)


@given(st.lists(_ROW, max_size=6, unique_by=lambda r: r["traffic_source"]), st.integers(1, 100))
def test_verdict_properties(rows: list[dict[str, Any]], minimum: int) -> None:
    v = main_channel(rows, minimum)
    named = [r for r in rows if r["traffic_source"]]
    if v.gmv_source is None:
        assert all(r["product_gmv"] <= 0 for r in named)
    else:
        top = max(r["product_gmv"] for r in named)
        chosen = next(r for r in named if r["traffic_source"] == v.gmv_source)
        assert chosen["product_gmv"] == top > 0
        assert not v.gmv_tied or v.gmv_source in v.gmv_tied
    if v.conversion_source is None:
        assert v.conversion_reason in ("no_clicks", "small_sample")
    else:
        chosen = next(r for r in named if r["traffic_source"] == v.conversion_source)
        assert chosen["product_click_users"] >= minimum
        eligible = [r for r in named if r["product_click_users"] >= minimum]
        best = max(r["click_to_purchase_rate"] or 0 for r in eligible)
        assert (chosen["click_to_purchase_rate"] or 0) == best


@given(st.lists(st.text(alphabet="abc ,", max_size=8), max_size=4))
def test_split_values(parts: list[str]) -> None:
    out = split_values(parts)
    expected = [p.strip() for v in parts for p in v.split(",") if p.strip()]
    assert list(out) == list(dict.fromkeys(expected))
    assert split_values(",".join(parts)) == out
