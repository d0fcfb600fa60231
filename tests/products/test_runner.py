"""The products runner on seeds/compass, and the verdict rules on hand-made rows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from socialscope.products import ProductsError, main_channel
from tests.products.conftest import PERIOD
from tests.seedstore import SeedStore


def test_funnel_per_product_and_source(compass: SeedStore) -> None:
    result = compass.client.products(**PERIOD, min_click_users=1)
    assert [r.key for r in result.rows] == ["P1", "P2", "P3"]  # GMV 350, 350 (by id), 0
    p1 = result.rows[0]
    assert (p1.title, p1.category) == ("Runner", "shoes")
    # P1 overall: exposure v1 v2 v3; click v1 v2 v5; cart v1; order c1 c2 c5; paid c1 c2
    assert [s.count for s in p1.funnel] == [3, 3, 1, 3, 2]
    assert [s.rate for s in p1.funnel] == [None, 1.0, 1 / 3, 3.0, 2 / 3]
    assert p1.funnel[-1].from_first == 2 / 3
    by_source = {s.traffic_source: s for s in p1.sources}
    assert [s.count for s in by_source["search"].funnel] == [2, 3, 1, 2, 1]
    assert [s.count for s in by_source["recommendation"].funnel] == [1, 1, 0, 1, 1]
    # the per-product numbers are not sums of the sources' (v1 clicked from both)
    assert p1.values["product_click_users"] == 3
    assert p1.values["product_gmv"] == Decimal("350")
    assert p1.values["lost_users"] == 1  # v5
    assert result.currency == "TWD"
    assert result.totals["product_gmv"] == Decimal("700")
    assert result.totals["lost_users"] == 2


def test_verdict_from_the_seed(compass: SeedStore) -> None:
    p1 = compass.client.products(**PERIOD, min_click_users=1).rows[0].verdict
    # GMV: search 200 > recommendation 150; conversion: recommendation 1/1 > search 1/3
    assert (p1.gmv_source, p1.conversion_source) == ("search", "recommendation")
    # with 2 click users required only search (3) qualifies
    p1 = compass.client.products(**PERIOD, min_click_users=2).rows[0].verdict
    assert (p1.conversion_source, p1.conversion_reason) == ("search", None)
    # with the default (30) no source is big enough
    res = compass.client.products(**PERIOD)
    assert res.rows[0].verdict.conversion_source is None
    assert res.rows[0].verdict.conversion_reason == "small_sample"
    p3 = res.rows[2].verdict
    assert (p3.gmv_source, p3.conversion_reason) == (None, "no_clicks")


def test_verdict_ties() -> None:
    rows = [
        {
            "traffic_source": "search",
            "product_gmv": Decimal("100"),
            "product_buyers": 2,
            "product_click_users": 40,
            "click_to_purchase_rate": 0.05,
        },
        {
            "traffic_source": "ad",
            "product_gmv": Decimal("100"),
            "product_buyers": 3,
            "product_click_users": 60,
            "click_to_purchase_rate": 0.05,
        },
        {
            "traffic_source": "live",
            "product_gmv": Decimal("100"),
            "product_buyers": 3,
            "product_click_users": 10,
            "click_to_purchase_rate": 0.3,
        },
        {
            "traffic_source": None,
            "product_gmv": Decimal("900"),
            "product_buyers": 9,
            "product_click_users": 900,
            "click_to_purchase_rate": 0.9,
        },
    ]
    v = main_channel(rows, min_click_users=30)
    # GMV tie of three at 100 (the unknown source never wins): more buyers, then name
    assert v.gmv_source == "ad"
    assert v.gmv_tied == ("ad", "live", "search")
    # conversion: live is too small; search and ad tie at 5 %: more click users wins
    assert v.conversion_source == "ad"
    assert v.conversion_tied == ("ad", "search")
    v = main_channel(rows, min_click_users=10)
    assert (v.conversion_source, v.conversion_tied) == ("live", ())


def test_by_category_filters_sort_and_limit(compass: SeedStore) -> None:
    res = compass.client.products(**PERIOD, by="category", sort="product_click_users")
    # clicks: shoes v1 v2 v5 = 3, bags v4 v7 = 2
    assert [(r.key, r.values["product_click_users"]) for r in res.rows] == [
        ("shoes", 3),
        ("bags", 2),
    ]
    assert "lost_users" not in res.rows[0].values  # no category dimension
    res = compass.client.products(**PERIOD, sources="recommendation", limit=1)
    assert res.total_rows == 2  # P1 and P2 have recommendation rows
    assert [r.key for r in res.rows] == ["P1"]  # GMV 150 > 50
    assert [s.traffic_source for s in res.rows[0].sources] == ["recommendation"]
    res = compass.client.products(**PERIOD, sort="exposure_users", ascending=True)
    assert [r.key for r in res.rows] == ["P2", "P3", "P1"]  # 1, 1 (by id), 3


def test_compare_previous(compass: SeedStore) -> None:
    res = compass.client.products(
        shop="tp_shop", date_from="2026-05-11", date_to="2026-05-12", compare="previous"
    )
    assert (str(res.previous_from), str(res.previous_to)) == ("2026-05-09", "2026-05-10")
    # clicks now: v1 × 2, v4, v5 = 4; before: v1, v2, v7 = 3
    assert (res.totals["product_clicks"], res.totals["product_clicks__previous"]) == (4, 3)
    p1 = next(r for r in res.rows if r.key == "P1")
    # P1 GMV now: o1 line 150; before (05-09..10): o2 200
    assert p1.values["product_gmv"] == Decimal("150")
    assert p1.values["product_gmv__previous"] == Decimal("200")


@pytest.mark.parametrize(
    ("kw", "word"),
    [
        ({"by": "brand"}, "by"),
        ({"sort": "revenue"}, "sort"),
        ({"limit": 0}, "limit"),
        ({"min_click_users": 0}, "min_click_users"),
        ({"sources": "tv"}, "source"),
        ({"compare": "lastweek"}, "compare"),
        ({"date_from": "2026-13-01"}, "from"),
    ],
)
def test_bad_input_names_the_parameter(compass: SeedStore, kw: dict, word: str) -> None:
    with pytest.raises(ProductsError, match=word):
        compass.client.products(shop="tp_shop", **kw)


def test_json_money_as_strings(compass: SeedStore) -> None:
    d = compass.client.products(**PERIOD).to_dict()
    assert d["totals"]["product_gmv"] == "700.0000"
    assert d["rows"][0]["funnel"][0] == {
        "step": "exposure",
        "count": 3,
        "rate": None,
        "from_first": 1.0,
    }
