"""audience_profile and the export of a user set, on the hand-worked seed."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialscope.audience.export import export_csv, export_ids
from socialscope.audience.privacy import PrivacyError
from socialscope.audience.profile import audience_profile, merge_small
from socialscope.audience.usersets import UserSetRequest
from tests.audience.conftest import assert_clean
from tests.seedstore import SeedStore

MAY = (date(2026, 5, 1), date(2026, 5, 31))


def cells(group: dict[str, Any], attr: str) -> list[tuple[str, int]]:
    return [(c["value"], c["users"]) for c in group["attributes"][attr]]


def groups(seed: SeedStore, name: str, k: int | None = None) -> dict[tuple[str, str], Any]:
    req = UserSetRequest("home_shop", name, *MAY)
    out = audience_profile(seed.client, req, k=k).to_json()
    assert_clean(json.dumps(out, ensure_ascii=False))
    return {(g["population"], g["traffic_source"]): g for g in out["groups"]}


def test_group_of_four_merged_into_other(seed: SeedStore) -> None:
    g = groups(seed, "click_users")[("click_users", "all")]
    assert g["users"] == 14
    # female 6; male 4 (< 5) merges with other 3 and unknown 1 (hv14): other 8
    assert cells(g, "gender") == [("female", 6), ("other", 8)]
    # 18-23 5, 24-30 5, 31-40 3, unknown 1: other 4 < 5, so the smallest shown value
    # (tie at 5: "18-23" first by name) joins it: 24-30 5, other 9
    assert cells(g, "age_band") == [("24-30", 5), ("other", 9)]
    # Taipei 13, unknown 1: other would be 1 < 5, so Taipei joins it
    assert cells(g, "region") == [("other", 14)]
    assert cells(g, "segment") == [("unknown", 14)]
    shares = [c["share"] for c in g["attributes"]["gender"]]
    assert shares == [6 / 14, 8 / 14]


def test_k_three(seed: SeedStore) -> None:
    g = groups(seed, "click_users", k=3)[("click_users", "all")]
    assert cells(g, "gender") == [("female", 6), ("male", 4), ("other", 4)]
    # unknown 1 < 3 alone in other; the smallest shown (31-40, 3) joins it: other 4
    assert cells(g, "age_band") == [("18-23", 5), ("24-30", 5), ("other", 4)]


def test_per_traffic_source_and_side_by_side(seed: SeedStore) -> None:
    gs = groups(seed, "click_users")
    # search: hc01..hc07 — female 6 + male 1: other would be 1, female joins: other 7
    assert cells(gs[("click_users", "search")], "gender") == [("other", 7)]
    assert cells(gs[("click_users", "search")], "region") == [("Taipei", 7)]
    # buyers: hc01 alone — suppressed whole, no values
    assert gs[("buyers", "all")]["users"] is None
    assert gs[("buyers", "all")]["attributes"] == {}
    nb = gs[("non_buyers", "all")]
    assert nb["users"] == 13
    assert cells(nb, "gender") == [("female", 5), ("other", 8)]


@settings(max_examples=300, deadline=None)
@given(
    values=st.dictionaries(
        st.sampled_from(["a", "b", "c", "d", "e", "other", "unknown"]),
        st.integers(min_value=1, max_value=20),
        min_size=1,
    ),
    k=st.integers(min_value=3, max_value=10),
)
def test_no_cell_below_k_ever(values: dict[str, int], k: int) -> None:
    """Whatever the counts: no shown cell below k, every user counted once, values shown
    as they are unless merged, at most one `other`."""
    total = sum(values.values())
    if total < k:
        return  # the caller suppresses the whole group
    out = merge_small(values, total, k)
    assert all(c.users >= k for c in out), out
    assert sum(c.users for c in out) == total
    assert [c.value for c in out].count("other") <= 1
    for c in out:
        if c.value != "other":
            assert values[c.value] == c.users
    assert sum(c.share for c in out) == pytest.approx(1.0)


def test_export_lost_users(seed: SeedStore) -> None:
    req = UserSetRequest("home_shop", "lost_users", *MAY)
    ids = export_ids(seed.client, req)
    # hv14 is a visitor never linked to a customer: not exported
    assert ids == [f"hc{i:02d}" for i in range(2, 14)]
    text = export_csv(seed.client, req)
    assert text.splitlines()[0] == "customer_id"
    assert len(text.splitlines()) == 13
    assert "visitor:" not in text
    assert_clean(text, allow_users=True)


def test_export_refuses_small_sets(seed: SeedStore) -> None:
    with pytest.raises(PrivacyError, match="fewer than k=5"):
        export_ids(seed.client, UserSetRequest("home_shop", "buyers", *MAY))
    # inquiring: hc02, hc03 and the unmapped U-raw-1 (not a customer id of the shop)
    with pytest.raises(PrivacyError, match="fewer than k=3"):
        export_ids(seed.client, UserSetRequest("home_shop", "inquiring_customers", *MAY), k=3)
