"""The audience routes over HTTP: tenant scoping, server k, naming only a key's own shops,
no other shop's id or name, no user id outside the shop's own export."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from socialscope.config import ConfigError, parse_config
from tests.api.conftest import bearer, error_of, http_over, state_over_copy
from tests.audience.conftest import assert_clean

ADMIN_KEY = "adm-SECRET-aud-5e1c"
HOME_KEY = "home-SECRET-aud-77a1"
RIVAL_KEY = "rival-SECRET-aud-0b9f"
OWNER_KEY = "owner-SECRET-aud-3d2e"
MAY = {"from": "2026-05-01", "to": "2026-05-31"}


def config(owner_of_all: bool = False, k: int | None = None) -> dict[str, Any]:
    keys = (OWNER_KEY, OWNER_KEY, OWNER_KEY) if owner_of_all else (HOME_KEY, RIVAL_KEY, RIVAL_KEY)
    return {
        "admin_key": ADMIN_KEY,
        "server": {} if k is None else {"privacy_k": k},
        "shops": [
            {"shop_id": s, "api_key": key}
            for s, key in zip(("home_shop", "rival_shop", "third_shop"), keys, strict=True)
        ],
    }


def http_for(template: Path, tmp_path: Path, cfg: dict[str, Any]) -> Iterator[TestClient]:
    for state in state_over_copy(template, tmp_path, cfg):
        yield from http_over(state)


@pytest.fixture
def http(template: Path, tmp_path: Path) -> Iterator[TestClient]:
    yield from http_for(template, tmp_path, config())


def clean(text: str, allow_users: bool = False) -> None:
    assert_clean(text, allow_users)
    for key in (ADMIN_KEY, HOME_KEY, RIVAL_KEY, OWNER_KEY):
        assert key not in text


def test_loss_destinations_for_the_shop_key(http: TestClient) -> None:
    r = http.get("/api/v1/loss-destinations", params={"month": "2026-05"}, headers=bearer(HOME_KEY))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["shop"] == "home_shop" and body["lost_users"] == 13
    assert [(g["category"], g["users"], g["orders"]) for g in body["groups"]] == [("shoes", 5, 7)]
    assert "shop" not in body["groups"][0]
    clean(r.text)


def test_other_shop_is_403(http: TestClient) -> None:
    for path, params in (
        ("/api/v1/loss-destinations", {"month": "2026-05"}),
        ("/api/v1/audience/profile", {"set": "click_users", **MAY}),
        ("/api/v1/audience/export", {"set": "click_users", **MAY}),
        ("/api/v1/peers", {"metric": "order_count", **MAY}),
    ):
        r = http.get(path, params={**params, "shop": "rival_shop"}, headers=bearer(HOME_KEY))
        assert r.status_code == 403, (path, r.text)
        assert "home_shop" in error_of(r)


def test_admin_sees_no_shop_names(http: TestClient) -> None:
    r = http.get(
        "/api/v1/loss-destinations",
        params={"month": "2026-05", "shop": "home_shop"},
        headers=bearer(ADMIN_KEY),
    )
    assert r.status_code == 200
    clean(r.text)


def test_owner_key_names_own_shops(template: Path, tmp_path: Path) -> None:
    for http in http_for(template, tmp_path, config(owner_of_all=True)):
        r = http.get(
            "/api/v1/loss-destinations",
            params={"month": "2026-05", "shop": "home_shop"},
            headers=bearer(OWNER_KEY),
        )
        assert r.status_code == 200
        assert [(g["shop"], g["users"], g["orders"]) for g in r.json()["groups"]] == [
            ("rival_shop", 5, 6)
        ]


def test_server_k(template: Path, tmp_path: Path) -> None:
    for http in http_for(template, tmp_path, config(k=6)):
        r = http.get(
            "/api/v1/loss-destinations", params={"month": "2026-05"}, headers=bearer(HOME_KEY)
        )
        assert r.json()["k"] == 6 and r.json()["groups"] == []
    with pytest.raises((ConfigError, ValueError)):
        parse_config(config(k=2))


def test_caller_cannot_lower_k(http: TestClient) -> None:
    r = http.get(
        "/api/v1/loss-destinations",
        params={"month": "2026-05", "k": "1", "privacy_k": "1"},
        headers=bearer(HOME_KEY),
    )
    assert r.status_code == 200 and r.json()["k"] == 5
    assert [g["users"] for g in r.json()["groups"]] == [5]  # the 1-user bag stays hidden


def test_bad_month_is_400(http: TestClient) -> None:
    r = http.get("/api/v1/loss-destinations", params={"month": "2026-5"}, headers=bearer(HOME_KEY))
    assert r.status_code == 400
    assert "month must be YYYY-MM" in error_of(r)


def test_profile_and_export(http: TestClient) -> None:
    r = http.get(
        "/api/v1/audience/profile", params={"set": "lost_users", **MAY}, headers=bearer(HOME_KEY)
    )
    assert r.status_code == 200, r.text
    groups = r.json()["groups"]
    assert groups[0]["population"] == "lost_users" and groups[0]["users"] == 13
    clean(r.text)
    r = http.get(
        "/api/v1/audience/export", params={"set": "lost_users", **MAY}, headers=bearer(HOME_KEY)
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    lines = r.text.splitlines()
    assert lines == ["customer_id", *(f"hc{i:02d}" for i in range(2, 14))]
    clean(r.text, allow_users=True)
    r = http.get(
        "/api/v1/audience/export", params={"set": "buyers", **MAY}, headers=bearer(HOME_KEY)
    )
    assert r.status_code == 400
    assert "fewer than k=5" in error_of(r)
    r = http.get(
        "/api/v1/audience/profile",
        params={"set": "inquiring_customers", "traffic_source": "search", **MAY},
        headers=bearer(HOME_KEY),
    )
    assert r.status_code == 400
    assert "traffic_source" in error_of(r)


def test_peers_hides_small_peer_sets(http: TestClient) -> None:
    r = http.get("/api/v1/peers", params={"metric": "order_count", **MAY}, headers=bearer(HOME_KEY))
    assert r.status_code == 200, r.text
    body = r.json()
    # home_shop (L3 apparel) has one peer (rival_shop): a band, no number
    assert body["peers"] == "1–4" and body["message"] == "not enough peers"
    assert body["p50"] is None
    clean(r.text)
    r = http.get(
        "/api/v1/peers",
        params={"metric": "three_minute_reply_rate", "param": "threshold_s=60", **MAY},
        headers=bearer(HOME_KEY),
    )
    assert r.status_code == 200, r.text
    r = http.get("/api/v1/peers", params={"metric": "nope"}, headers=bearer(HOME_KEY))
    assert r.status_code == 400 and "unknown metric" in error_of(r)
