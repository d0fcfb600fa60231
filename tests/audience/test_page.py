"""The Audience page (/audience) over the hand-worked seed: its blocks are the runners'
results, nothing of another shop shows, customer ids only on the export request."""

from __future__ import annotations

import json
from typing import Any

import pytest

from socialscope.web.pages.audience import default_month
from tests.audience.conftest import assert_clean
from tests.seedstore import SeedStore
from tests.web_pages.pagectx import build

Q = {"shop": "home_shop", "preset": "custom", "from": "2026-05-01", "to": "2026-05-31"}


def blocks(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["id"]: b for b in data["blocks"] if "id" in b}


@pytest.mark.parametrize("lang", ["zh-Hant"])
def test_page(seed: SeedStore, lang: str) -> None:
    data = build(seed.client, "/audience", {**Q, "month": "2026-05"}, lang)
    text = json.dumps(data, ensure_ascii=False, default=str)
    assert_clean(text)
    b = blocks(data)
    gender = b["audience_gender_table"]["rows"]
    # click users: female 6/14, other 8/14; buyers suppressed; non-buyers 5/13, 8/13
    assert gender == [
        {"value": "female", "set_share": 6 / 14, "buyers_share": None, "non_buyers_share": 5 / 13},
        {"value": "other", "set_share": 8 / 14, "buyers_share": None, "non_buyers_share": 8 / 13},
    ]
    dest = b["audience_destinations"]["rows"]
    assert [(r["category"], r["users"], r["orders"]) for r in dest] == [("shoes", 5, 7)]
    export = b["audience_export"]["rows"][0]
    assert export["customers"] == 13  # 14 click users, hv14 has no customer id
    assert "ids=1" in b["audience_export"]["links"][0]["download"]
    assert "audience_ids" not in b
    peers = b["audience_peers"]["items"]
    assert {i["metric"] for i in peers} >= {"sales_amount", "order_count"}
    assert all(i["rank"] is None and i["peers"] in ("0", "1–4") for i in peers)


def test_export_ids_only_when_asked(seed: SeedStore) -> None:
    data = build(seed.client, "/audience", {**Q, "month": "2026-05", "ids": "1"})
    ids = blocks(data)["audience_ids"]["rows"]
    assert [r["customer_id"] for r in ids] == [f"hc{i:02d}" for i in range(1, 14)]
    assert_clean(json.dumps(data, default=str), allow_users=True)


def test_small_set_is_not_exportable(seed: SeedStore) -> None:
    data = build(seed.client, "/audience", {**Q, "month": "2026-05", "set": "buyers", "ids": "1"})
    b = blocks(data)
    assert "audience_ids" not in b
    assert b["audience_export"]["kind"] == "notes"


def test_bad_options_are_messages(seed: SeedStore) -> None:
    data = build(seed.client, "/audience", {**Q, "set": "nobody"})
    assert [x["message"] for x in data["blocks"] if x["kind"] == "error"] == [
        "set: choose one of click_users, exposure_users, buyers, non_buyers, lost_users, "
        "inquiring_customers, live_commenters"
    ]
    data = build(seed.client, "/audience", {**Q, "month": "2026-13"})
    assert any("month must be YYYY-MM" in x.get("message", "") for x in data["blocks"])


def test_default_month() -> None:
    from datetime import date

    assert default_month(date(2026, 5, 31), date(2026, 6, 2)) == "2026-05"
    assert default_month(date(2026, 5, 20), date(2026, 5, 25)) == "2026-04"
    assert default_month(date(2026, 1, 5), date(2026, 1, 6)) == "2025-12"
