"""uv_value per currency: each currency's GMV divided by the whole slice's click users."""

from __future__ import annotations

from decimal import Decimal

import pytest

from socialscope.metrics.query import QueryError
from socialscope.metrics.registry import REGISTRY
from tests.money_ratios.conftest import DUO, PERIOD
from tests.seedstore import SeedStore

M = ["uv_value", "product_gmv"]


def _values(idx: dict[object, dict[str, object]]) -> dict[object, tuple[object, object]]:
    return {k: (r["uv_value"], r["product_gmv"]) for k, r in idx.items()}


def test_the_rule_is_the_registry_s_not_one_metric_s() -> None:
    # uv_value declares no currency: the registry derives it from its parts
    assert "currency" in REGISTRY.get("uv_value").dimensions
    assert REGISTRY.broadcasts_currency(REGISTRY.get("uv_value"))
    assert REGISTRY.currency_free("product_click_users")
    # a denominator with its own currency is split like its numerator, not broadcast
    assert not REGISTRY.broadcasts_currency(REGISTRY.get("product_aov"))
    assert not REGISTRY.broadcasts_currency(REGISTRY.get("aov"))
    # the denominator alone still cannot be split by a currency it does not have
    with pytest.raises(QueryError, match=r"product_click_users.*currency"):
        _split_denominator()


def _split_denominator() -> None:
    from socialscope.metrics.execute import validate
    from socialscope.metrics.query import Query

    validate(Query(metrics=("product_click_users",), dimensions=("currency",)), REGISTRY)


def test_two_currencies_without_a_split_stay_an_error(duo: SeedStore) -> None:
    with pytest.raises(QueryError, match=r"2 currencies.*--by currency"):
        duo.rows(["uv_value"], **DUO)
    with pytest.raises(QueryError, match="currenc"):
        duo.rows(["uv_value"], ["traffic_source"], **DUO)


def test_by_currency(duo: SeedStore) -> None:
    # TWD 300 / 4 click users; USD 24 / the same 4
    idx = duo.index(M, ["currency"], **DUO)
    assert _values(idx) == {
        "TWD": (Decimal("75"), Decimal("300")),
        "USD": (Decimal("6"), Decimal("24")),
    }


def test_by_traffic_source_and_currency(duo: SeedStore) -> None:
    idx = duo.index(M, ["traffic_source", "currency"], **DUO)
    assert _values(idx) == {
        ("search", "TWD"): (Decimal("150"), Decimal("300")),  # 300 / {v1, v3}
        ("search", "USD"): (Decimal("2.5"), Decimal("5")),  # o3 5 / 2
        ("ad", "USD"): (Decimal("6"), Decimal("12")),  # o2 12 / {v2, v4}
        ("ad", "TWD"): (Decimal("0"), Decimal("0")),  # clicked, no TWD sale: 0 TWD per click user
        ("live", "USD"): (None, Decimal("7")),  # o6, but no click user from live: null
    }


def test_by_product_and_currency(duo: SeedStore) -> None:
    idx = duo.index(M, ["product_id", "currency"], **DUO)
    assert _values(idx) == {
        ("D1", "TWD"): (Decimal("100"), Decimal("300")),  # 300 / {v1, v2, v3}
        ("D1", "USD"): (Decimal("5"), Decimal("15")),  # 10 + 5
        ("D2", "TWD"): (Decimal("0"), Decimal("0")),  # o4 unpaid, o5 cancelled (and D1)
        ("D2", "USD"): (Decimal("4.5"), Decimal("9")),  # 2 + 7 over {v1, v4}
    }


def test_by_date_and_currency_dense(duo: SeedStore) -> None:
    idx = duo.index(M, ["date", "currency"], **DUO)
    assert _values({(str(k[0]), k[1]): v for k, v in idx.items()}) == {
        ("2026-06-02", "TWD"): (Decimal("150"), Decimal("300")),  # {v1, v2}
        ("2026-06-02", "USD"): (Decimal("6"), Decimal("12")),
        ("2026-06-03", "TWD"): (Decimal("0"), Decimal("0")),  # {v3, v1, v4}
        ("2026-06-03", "USD"): (Decimal("4"), Decimal("12")),  # 5 + 7
    }


def test_a_currency_filter(duo: SeedStore) -> None:
    [row] = duo.rows(M, where={"currency": ["USD"]}, **DUO)
    assert (row["currency"], row["uv_value"], row["product_gmv"]) == (
        "USD",
        Decimal("6"),
        Decimal("24"),
    )
    idx = duo.index(M, ["traffic_source"], where={"currency": ["TWD"]}, **DUO)
    assert {k: (r["currency"], r["uv_value"]) for k, r in idx.items()} == {
        "search": ("TWD", Decimal("150")),
        "ad": ("TWD", Decimal("0")),  # clicks, no TWD sale
    }
    # several currencies filtered still need the split
    with pytest.raises(QueryError, match="currenc"):
        duo.rows(M, where={"currency": ["USD", "TWD"]}, **DUO)
    idx = duo.index(M, ["currency"], where={"currency": ["USD"]}, **DUO)
    assert _values(idx) == {"USD": (Decimal("6"), Decimal("24"))}


def test_repeating_decimals_are_rounded_to_4_places(duo: SeedStore) -> None:
    # mono_shop: TWD 50 over {w1, w2, w3}
    [row] = duo.rows(M, shop="mono_shop", **PERIOD)
    assert (row["currency"], row["uv_value"]) == ("TWD", Decimal("16.6667"))


def test_one_currency(duo: SeedStore) -> None:
    [row] = duo.rows(M, ["currency"], shop="mono_shop", **PERIOD)
    assert (row["currency"], row["uv_value"]) == ("TWD", Decimal("16.6667"))
    idx = duo.index(M, ["product_id", "currency"], shop="mono_shop", **PERIOD)
    assert _values(idx) == {
        ("M1", "TWD"): (Decimal("25"), Decimal("50")),
        ("M2", "TWD"): (Decimal("0"), Decimal("0")),
    }


def test_a_shop_without_sales_is_in_its_own_currency(duo: SeedStore) -> None:
    # quiet_shop (EUR): one click user, nothing sold
    [row] = duo.rows(M, ["currency"], shop="quiet_shop", **PERIOD)
    assert (row["currency"], row["uv_value"], row["product_gmv"]) == (
        "EUR",
        Decimal("0"),
        Decimal("0"),
    )
    [row] = duo.rows(M, shop="quiet_shop", where={"currency": ["USD"]}, **PERIOD)
    assert (row["currency"], row["uv_value"]) == ("USD", Decimal("0"))
    idx = duo.index(M, ["shop_id", "currency"], **PERIOD)
    assert _values(idx) == {
        ("duo_shop", "TWD"): (Decimal("75"), Decimal("300")),
        ("duo_shop", "USD"): (Decimal("6"), Decimal("24")),
        ("mono_shop", "TWD"): (Decimal("16.6667"), Decimal("50")),
        ("quiet_shop", "EUR"): (Decimal("0"), Decimal("0")),
    }


def test_zero_click_users_is_null(duo: SeedStore) -> None:
    # no touchpoint and no order in July: the slice's one row (as without a split) has 0
    # click users, so no value, and no amount, in the shop's currency
    july = {"date_from": "2026-07-01", "date_to": "2026-07-02"}
    [row] = duo.rows(M, ["currency"], shop="duo_shop", **july)
    assert (row["currency"], row["uv_value"], row["product_gmv"]) == ("TWD", None, Decimal("0"))
    [row] = duo.rows(M, shop="mono_shop", **july)
    assert (row["currency"], row["uv_value"], row["product_gmv"]) == ("TWD", None, Decimal("0"))


def test_compare_previous(duo: SeedStore) -> None:
    idx = duo.index(M, ["currency"], compare="previous", **DUO)
    twd, usd = idx["TWD"], idx["USD"]
    # previous 05-31..06-01: op1 TWD 60 over {v1, v5}
    assert (twd["uv_value__previous"], twd["uv_value__change"]) == (Decimal("30"), Decimal("45"))
    assert twd["uv_value__change_pct"] == pytest.approx(1.5)
    # nothing sold in USD before, to the same 2 click users: 0, so no percentage
    assert (usd["product_gmv__previous"], usd["uv_value__previous"]) == (0, 0)
    assert (usd["uv_value"], usd["uv_value__change"]) == (Decimal("6"), Decimal("6"))
    assert usd["uv_value__change_pct"] is None
    idx = duo.index(M, ["traffic_source", "currency"], compare="previous", **DUO)
    assert idx[("search", "TWD")]["uv_value__previous"] == Decimal("30")
    assert idx[("search", "USD")]["uv_value__previous"] == 0  # search had click users
    assert idx[("ad", "TWD")]["uv_value__previous"] is None  # nobody clicked from ad
    assert idx[("ad", "USD")]["uv_value__previous"] is None


def test_compare_a_currency_sold_only_before(duo: SeedStore) -> None:
    # 06-03 vs 06-02: now USD 5 + 7 over {v3, v1, v4}; before TWD 300 and USD 12 over
    # {v1, v2}. TWD is only in the previous period: now 0 TWD per click user, not null.
    idx = duo.index(M, ["currency"], compare="previous", shop="duo_shop", **_DAY)
    assert {k: (r["uv_value"], r["uv_value__previous"]) for k, r in idx.items()} == {
        "TWD": (0, Decimal("150")),
        "USD": (Decimal("4"), Decimal("6")),
    }
    assert idx["TWD"]["uv_value__change_pct"] == pytest.approx(-1.0)
    assert idx["TWD"]["product_gmv"] == 0


_DAY = {"date_from": "2026-06-03", "date_to": "2026-06-03"}


def test_compare_by_date_aligns_days(duo: SeedStore) -> None:
    # day 1 with day 1: 06-02 ↔ 05-31 (v5 clicked, nothing sold: TWD 0 / 1), 06-03 ↔ 06-01
    # (op1 TWD 60 / {v1}); USD sold nothing before, to click users: 0
    idx = duo.index(M, ["date", "currency"], compare="previous", **DUO)
    got = {(str(d), c): (r["uv_value"], r["uv_value__previous"]) for (d, c), r in idx.items()}
    assert got == {
        ("2026-06-02", "TWD"): (Decimal("150"), 0),
        ("2026-06-02", "USD"): (Decimal("6"), 0),
        ("2026-06-03", "TWD"): (0, Decimal("60")),
        ("2026-06-03", "USD"): (Decimal("4"), 0),
    }
