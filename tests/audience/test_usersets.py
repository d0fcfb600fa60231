"""User sets on the hand-worked seed (conftest.py) and the privacy_k setting."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from socialscope.audience.privacy import DEFAULT_K, store_k
from socialscope.audience.usersets import UserSetError, UserSetRequest, units
from socialscope.store.settings import SettingError
from tests.seedstore import SeedStore

MAY = (date(2026, 5, 1), date(2026, 5, 31))


def count(seed: SeedStore, name: str, **kw: Any) -> int:
    req = UserSetRequest("home_shop", name, *MAY, **kw)
    con = seed.client.store.ibis
    return int(con.to_pyarrow(units(con, req).count()).as_py())


@pytest.mark.parametrize(
    ("name", "kw", "expected"),
    [
        ("click_users", {}, 14),  # hc01..hc13 + visitor hv14; hc99's click is in April
        ("click_users", {"traffic_source": "search"}, 7),
        ("click_users", {"product_id": "hp1"}, 14),
        ("click_users", {"category": "apparel"}, 14),
        ("click_users", {"category": "shoes"}, 0),
        ("exposure_users", {}, 0),
        ("buyers", {}, 1),  # hc01
        ("buyers", {"category": "apparel"}, 1),
        ("buyers", {"traffic_source": "recommendation"}, 0),
        ("non_buyers", {}, 13),
        ("non_buyers", {"traffic_source": "recommendation"}, 7),  # no buyer from there
        ("lost_users", {}, 13),
        ("lost_users", {"traffic_source": "recommendation"}, 7),
        ("lost_users", {"traffic_source": "search"}, 6),  # hc02..hc07
        # LINEU02 → hc02, LINEU03 → hc03, U-raw-1 unmapped: itself; LINEU04 wrote in June
        ("inquiring_customers", {}, 3),
        ("inquiring_customers", {"product_id": "hp1"}, 1),
        # live1: FB-A, FB-B (FB-C deleted, the page's own comment not a customer's)
        ("live_commenters", {}, 2),
        ("post_commenters", {"post_id": "p2"}, 1),
        ("post_commenters", {"post_id": "p1"}, 2),
    ],
)
def test_set_sizes(seed: SeedStore, name: str, kw: dict[str, str], expected: int) -> None:
    assert count(seed, name, **kw) == expected


def test_lost_users_are_the_metric_definition(seed: SeedStore) -> None:
    """Lost = click users with no paid order in the shop (any source): a buyer from
    another traffic source is not lost in a traffic-source slice, non-buyers may be."""
    assert count(seed, "lost_users", traffic_source="search") == 6
    assert count(seed, "non_buyers", traffic_source="search") == 7 - 1


@pytest.mark.parametrize(
    ("name", "kw", "message"),
    [
        ("nobody", {}, "set must be one of"),
        ("inquiring_customers", {"traffic_source": "search"}, "traffic_source does not apply"),
        ("post_commenters", {}, "post_id is required"),
        ("click_users", {"live_id": "x"}, "live_id does not apply"),
    ],
)
def test_bad_requests_name_the_parameter(name: str, kw: dict[str, str], message: str) -> None:
    with pytest.raises(UserSetError, match=message):
        UserSetRequest("home_shop", name, *MAY, **kw)


def test_from_after_to() -> None:
    with pytest.raises(UserSetError, match="from must not be after to"):
        UserSetRequest("home_shop", "click_users", MAY[1], MAY[0])


def test_privacy_k_setting(seed: SeedStore) -> None:
    client = seed.client
    assert store_k(client.store) == DEFAULT_K == client.settings()["privacy_k"]
    with pytest.raises(SettingError, match="privacy_k must be a whole number ≥ 3, got '2'"):
        client.set_setting("privacy_k", "2")
    with pytest.raises(SettingError, match="whole number"):
        client.set_setting("privacy_k", "4.5")
    client.set_setting("privacy_k", "3")
    try:
        assert store_k(client.store) == 3
    finally:
        client.set_setting("privacy_k", "5")
