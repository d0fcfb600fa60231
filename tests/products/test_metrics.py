"""Section 9 metrics on seeds/compass (see conftest.py for the story of each visitor)."""

from __future__ import annotations

from decimal import Decimal

from tests.products.conftest import PERIOD
from tests.seedstore import SeedStore

TRAFFIC = [
    "exposure_users",
    "product_click_users",
    "product_clicks",
    "product_clicks_per_user",
    "product_ctr",
]
RETURNING = [
    "new_click_users",
    "returning_click_users",
    "new_click_user_share",
    "returning_click_user_share",
]
BUYERS = [
    "product_gmv",
    "product_buyers",
    "product_aov",
    "click_to_purchase_rate",
    "uv_value",
    "first_purchase_buyers",
    "repeat_buyers",
    "first_purchase_buyer_share",
    "repeat_buyer_share",
]


def test_traffic_totals_count_each_visitor_once(compass: SeedStore) -> None:
    row = compass.total(TRAFFIC, **PERIOD)
    # exposed: v1, v2, v3, v4; clicked: v1 (two sources), v2, v4, v5, v7 (00:30 local)
    assert row["exposure_users"] == 4
    assert row["product_click_users"] == 5
    # clicks: v1 3, v2 1, v4 1 (the duplicated row once), v5 1, v7 1 (the 05-13 one is out)
    assert row["product_clicks"] == 7
    assert row["product_clicks_per_user"] == 7 / 5
    assert row["product_ctr"] == 5 / 4


def test_visitor_clicking_from_two_sources_counts_once_per_source(compass: SeedStore) -> None:
    idx = compass.index(TRAFFIC, ["product_id", "traffic_source"], **PERIOD)
    search, rec = idx[("P1", "search")], idx[("P1", "recommendation")]
    # P1/search: exposed v1, v2; clicked v1, v2, v5 (3 clicks)
    assert (search["exposure_users"], search["product_click_users"]) == (2, 3)
    assert search["product_clicks"] == 3
    assert search["product_ctr"] == 3 / 2
    # P1/recommendation: exposed v3; clicked v1 twice
    assert (rec["exposure_users"], rec["product_click_users"], rec["product_clicks"]) == (1, 1, 2)
    assert rec["product_clicks_per_user"] == 2.0
    by_product = compass.index(TRAFFIC, ["product_id"], **PERIOD)
    assert by_product["P1"]["product_click_users"] == 3  # v1 once over both sources
    assert by_product["P1"]["product_clicks"] == 5


def test_exposed_never_clicked_product(compass: SeedStore) -> None:
    idx = compass.index([*TRAFFIC, *BUYERS], ["product_id"], **PERIOD)
    p3 = idx["P3"]
    assert p3["exposure_users"] == 1
    assert p3["product_click_users"] == 0
    assert p3["product_ctr"] == 0.0  # 0 clicks over 1 exposure
    assert p3["product_clicks_per_user"] is None  # 0 / 0
    assert p3["click_to_purchase_rate"] is None  # no click users
    assert p3["uv_value"] is None
    assert p3["product_aov"] is None  # no buyers


def test_click_without_exposure_and_by_category(compass: SeedStore) -> None:
    idx = compass.index(TRAFFIC, ["category"], **PERIOD)
    # bags = P2: exposed v4; clicked v4, v7 (v7 saw no impression) -> ctr 2
    assert (idx["bags"]["exposure_users"], idx["bags"]["product_click_users"]) == (1, 2)
    assert idx["bags"]["product_ctr"] == 2.0
    # shoes = P1 + P3: exposed v1, v2, v3 (v3 saw both, once); clicked v1, v2, v5
    assert (idx["shoes"]["exposure_users"], idx["shoes"]["product_click_users"]) == (3, 3)


def test_returning_364_days_new_366_days(compass: SeedStore) -> None:
    row = compass.total(RETURNING, **PERIOD)
    # returning: v1 (c1 paid 364 days before v1's first click); new: v2 (366 days), v4,
    # v5 (no earlier paid order), v7 (no customer)
    assert (row["returning_click_users"], row["new_click_users"]) == (1, 4)
    assert row["returning_click_user_share"] == 1 / 5
    assert row["new_click_user_share"] == 4 / 5
    idx = compass.index(RETURNING, ["product_id", "traffic_source"], **PERIOD)
    # v1 is returning in both of its slices; v2 and v5 are new on P1/search
    assert idx[("P1", "recommendation")]["returning_click_users"] == 1
    assert idx[("P1", "search")]["returning_click_users"] == 1
    assert idx[("P1", "search")]["new_click_users"] == 2
    assert idx[("P2", "search")]["new_click_users"] == 2


def test_gmv_buyers_refunds_and_cancelled_orders(compass: SeedStore) -> None:
    row = compass.total(BUYERS, **PERIOD)
    # o1 200 (150 + 50 defaulted from 1 × 50) + o2 200 (refunded: gross) + o4 300;
    # o4c is cancelled after payment, o5 unpaid, o_old1/o_old2 are a year old
    assert row["product_gmv"] == Decimal("700")
    assert row["currency"] == "TWD"
    assert row["product_buyers"] == 3  # c1, c2, c4
    assert row["product_aov"] == Decimal("233.3333")  # 700 / 3 at 4 decimals
    assert row["click_to_purchase_rate"] == 3 / 5
    assert row["uv_value"] == Decimal("140")
    # repeat: c1 (o_old1), c2 (o_old2, 366 days: repeat has no limit); first: c4 (o4c
    # cancelled does not count as earlier)
    assert (row["repeat_buyers"], row["first_purchase_buyers"]) == (2, 1)
    assert row["repeat_buyer_share"] == 2 / 3
    assert row["first_purchase_buyer_share"] == 1 / 3


def test_gmv_by_product_and_order_traffic_source(compass: SeedStore) -> None:
    idx = compass.index(BUYERS, ["product_id", "traffic_source"], **PERIOD)
    assert idx[("P1", "search")]["product_gmv"] == Decimal("200")  # o2
    assert idx[("P1", "search")]["click_to_purchase_rate"] == 1 / 3  # c2 over v1, v2, v5
    assert idx[("P1", "recommendation")]["product_gmv"] == Decimal("150")  # o1 line 1
    assert idx[("P1", "recommendation")]["click_to_purchase_rate"] == 1.0
    assert idx[("P2", "search")]["product_gmv"] == Decimal("300")  # o4 (not o4c)
    assert idx[("P2", "search")]["uv_value"] == Decimal("150")  # 300 / (v4, v7)
    # P2 bought through recommendation (o1 line 2) without any click there: zero denominator
    p2rec = idx[("P2", "recommendation")]
    assert p2rec["product_gmv"] == Decimal("50")
    assert p2rec["product_buyers"] == 1
    assert p2rec["click_to_purchase_rate"] is None
    assert p2rec["uv_value"] is None
    by_product = compass.index(BUYERS, ["product_id"], **PERIOD)
    assert by_product["P1"]["product_gmv"] == Decimal("350")
    assert by_product["P1"]["product_aov"] == Decimal("175")  # 350 / (c1, c2)
    assert by_product["P2"]["product_buyers"] == 2  # c1, c4


def test_lost_users(compass: SeedStore) -> None:
    # v5 (c5's only order unpaid) and v7 (no customer); v1, v2, v4 have paid orders
    assert compass.total(["lost_users"], **PERIOD)["lost_users"] == 2
    idx = compass.index(["lost_users"], ["product_id", "traffic_source"], **PERIOD)
    assert idx[("P1", "search")]["lost_users"] == 1
    assert compass.cell(idx, ("P1", "recommendation"), "lost_users") == 0  # v1 bought
    assert idx[("P2", "search")]["lost_users"] == 1


def test_lost_depends_on_the_period(compass: SeedStore) -> None:
    # 05-10 alone: clicks v1, v2, v7; c2's o2 was created that day, c1's o1 the day after
    row = compass.total(
        ["lost_users"], shop="tp_shop", date_from="2026-05-10", date_to="2026-05-10"
    )
    assert row["lost_users"] == 2  # v1, v7


def test_clicks_bucketed_by_local_day_across_dst(compass: SeedStore) -> None:
    idx = compass.index(
        ["product_click_users"],
        ["date"],
        shop="waw_shop",
        date_from="2026-03-28",
        date_to="2026-03-30",
    )
    # w3 23:30 local 03-28 (22:30Z, UTC+1); w1 00:30 local 03-29 (23:30Z on the 28th);
    # w2 00:30 local 03-30 (22:30Z on the 29th, UTC+2 after the switch)
    counts = {str(k): v["product_click_users"] for k, v in idx.items()}
    assert counts == {"2026-03-28": 1, "2026-03-29": 1, "2026-03-30": 1}


def test_click_near_local_midnight_is_in_its_local_day(compass: SeedStore) -> None:
    idx = compass.index(["product_clicks"], ["date"], **PERIOD)
    # v7's click at 16:30Z on 05-09 is 00:30 on 05-10 in Taipei
    counts = {str(k): v["product_clicks"] for k, v in idx.items()}
    assert counts == {"2026-05-10": 3, "2026-05-11": 2, "2026-05-12": 2}


def test_compare_previous(compass: SeedStore) -> None:
    row = compass.total(
        ["product_clicks"],
        shop="tp_shop",
        date_from="2026-05-11",
        date_to="2026-05-12",
        compare="previous",
    )
    # now: v1 × 2, v4, v5 = 4; 05-09..10: v1, v2, v7 = 3
    assert row["product_clicks"] == 4
    assert row["product_clicks__previous"] == 3
    assert row["product_clicks__change"] == 1
    assert row["product_clicks__change_pct"] == 1 / 3


def test_duplicate_row_stored_once(compass: SeedStore) -> None:
    # t10 is twice in touchpoints.csv: one stored, one duplicate (counted once above)
    counts = compass.report.tables["touchpoints"]
    assert (counts.stored, counts.duplicates) == (18, 1)


def test_funnel_steps_cart_and_ordering(compass: SeedStore) -> None:
    idx = compass.index(
        ["product_cart_users", "product_order_users", "product_buyers"],
        ["product_id", "traffic_source"],
        **PERIOD,
    )
    # v1 added P1 to cart from search; nobody else added anything
    assert idx[("P1", "search")]["product_cart_users"] == 1
    # P1/search orders: o2 (c2, paid) and o5 (c5, unpaid) -> 2 ordering, 1 buyer
    assert idx[("P1", "search")]["product_order_users"] == 2
    assert idx[("P1", "search")]["product_buyers"] == 1
    # P2/search: o4 (c4); o4c is cancelled and counts nowhere
    assert idx[("P2", "search")]["product_order_users"] == 1


def test_compare_yoy(compass: SeedStore) -> None:
    idx = compass.index(["product_gmv", "product_buyers"], ["product_id"], **PERIOD, compare="yoy")
    # 2025-05-10..12: o_old1 (c1, P1 80, created 2025-05-11); o_old2 was created 05-09
    assert idx["P1"]["product_gmv__previous"] == Decimal("80")
    assert idx["P1"]["product_buyers__previous"] == 1
    assert idx["P2"]["product_gmv__previous"] == Decimal("0")
    assert idx["P1"]["product_gmv__change"] == Decimal("270")  # 350 - 80
