"""The campaign review over HTTP and through the Python API.

The store is the lift store of tests/campaigns/conftest.py (taipei_shop, TWD; launch
2026-03-02). As worked out there (test_cli.py, test_review_seed.py), the `spring`
campaign over 2 weeks before and 7 days after, rates over the 14 trailing days, with a
target of 10,000 TWD needs 10,000 ÷ AOV 100 = 100 orders ÷ 1/3 = 300 click users (no CTR:
no impressions); sessions move within noise, social sessions, the ad conversion rate and
sales show a lift. Shop `other` is configured with a key but holds no data.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import socialscope
from socialscope.campaigns.review import CampaignReviewRequest, run_review
from socialscope.server.state import ServerState
from tests.api.conftest import TestClient, bearer, error_of, http_over, state_over_copy
from tests.campaigns.conftest import LAUNCH, _build_lift

ADMIN_KEY = "adm-SECRET-review-4d8a1c"
SHOP_KEY = "tw-SECRET-review-93be07"
OTHER_KEY = "other-SECRET-review-1c6f52"
ADMIN, SHOP, OTHER = bearer(ADMIN_KEY), bearer(SHOP_KEY), bearer(OTHER_KEY)
SHORT = {"days_after": 7, "weeks_before": 2, "trailing_days": 14}
SPRING = {"kind": "campaign", "ref": "spring", **SHORT, "target_sales": "10000"}


@pytest.fixture(scope="module")
def lift_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("review_api")
    folder = tmp / "csv"
    folder.mkdir()
    _build_lift(folder)
    with socialscope.connect(tmp / "lift.duckdb") as client:
        assert client.ingest([folder]).quarantined_total == 0
    return tmp / "lift.duckdb"


@pytest.fixture
def state(lift_db: Path, tmp_path: Path) -> Iterator[ServerState]:
    yield from state_over_copy(
        lift_db,
        tmp_path,
        {
            "admin_key": ADMIN_KEY,
            "shops": [
                {"shop_id": "taipei_shop", "api_key": SHOP_KEY, "timezone": "Asia/Taipei"},
                {"shop_id": "other", "api_key": OTHER_KEY, "timezone": "UTC"},
            ],
        },
    )


@pytest.fixture
def http(state: ServerState) -> Iterator[TestClient]:
    yield from http_over(state)


def test_review_equals_the_runner(http: TestClient, state: ServerState) -> None:
    r = http.post("/api/v1/campaign-review", json=SPRING, headers=SHOP)
    assert r.status_code == 200, r.text
    data = r.json()
    assert (data["shop"], data["kind"], data["ref"], data["launch"]) == (
        "taipei_shop",
        "campaign",
        "spring",
        LAUNCH.isoformat(),
    )
    assert [s["needed"] for s in data["targets"]["stages"]] == [100, 300, None]
    assert {m["metric"]: m["verdict"] for m in data["lift"]} == {
        "sessions": "within noise",
        "social_sessions": "lift",
        "conversion_rate": "lift",
        "sales_amount": "lift",
    }
    request = CampaignReviewRequest(
        "taipei_shop", "campaign", "spring", target_sales=Decimal(10000), **SHORT
    )
    assert r.text == run_review(state.client(), request).to_json()  # byte for byte


def test_review_scoping(http: TestClient) -> None:
    other = http.post(
        "/api/v1/campaign-review", json={**SPRING, "shop": "taipei_shop"}, headers=OTHER
    )
    assert other.status_code == 403
    assert error_of(other) == "this key may only read shop other"
    admin = http.post(
        "/api/v1/campaign-review", json={**SPRING, "shop": "taipei_shop"}, headers=ADMIN
    )
    assert admin.status_code == 200, admin.text
    assert http.post("/api/v1/campaign-review", json=SPRING).status_code == 401


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"kind": "banner"}, "'kind'"),
        ({"ref": "autumn"}, "autumn"),  # no such campaign
        ({"weeks_before": 1}, "weeks_before must be at least 2"),
        ({"interval": 1.5}, "'interval'"),
        ({"target_sales": "lots"}, "'target_sales'"),
        ({"target_sales": -5}, "'target_sales'"),
        ({"days_after": 0}, "'days_after'"),
        ({"launch": "2026-02-30"}, "'launch'"),
        ({"colour": "red"}, "'colour'"),
    ],
)
def test_review_bad_options(http: TestClient, changes: dict[str, Any], named: str) -> None:
    r = http.post("/api/v1/campaign-review", json={**SPRING, **changes}, headers=ADMIN)
    assert r.status_code == 400, r.text
    assert named in error_of(r)


def test_client_campaign_review(state: ServerState) -> None:
    client = state.client()
    got = client.campaign_review("campaign", "spring", target_sales="10,000", **SHORT)
    request = CampaignReviewRequest(
        None, "campaign", "spring", target_sales=Decimal(10000), **SHORT
    )
    assert got.to_json() == run_review(client, request).to_json()
    planned = client.campaign_review("post", "P", launch="2026-03-02", **SHORT)
    assert json.loads(planned.to_json())["launch_from"] == "given"
    with pytest.raises(ValueError, match="target_sales must be an amount"):
        client.campaign_review("campaign", "spring", target_sales="lots")
    with pytest.raises(ValueError, match="unknown kind 'banner'"):
        client.campaign_review("banner", "spring")
