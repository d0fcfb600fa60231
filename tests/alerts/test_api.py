"""`GET /api/v1/alerts` and `GET /api/v1/alerts/rules`: tenant scoping, no secrets."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from socialscope.alerts.service import run_once
from socialscope.server.state import ServerState
from tests.alerts.conftest import (
    HOOK_SECRET,
    OTHER,
    SHOP,
    URL_PASSWORD,
    URL_TOKEN,
    config_dict,
    rule,
)
from tests.api.conftest import http_over, state_over_copy

ADMIN_KEY = "adm-SECRET-alerts-1f9e"
KEY_ALLEY = "alley-SECRET-7c3b"
KEY_OTHER = "other-SECRET-2d8a"
SECRETS = (ADMIN_KEY, KEY_ALLEY, KEY_OTHER, HOOK_SECRET, URL_PASSWORD, URL_TOKEN)


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def api_config() -> dict[str, Any]:
    data = config_dict(
        rule(deliver=["log", "ops"]),
        rule(id="queue", shop_id="*", metric=None, condition="queue_waiting >= 0", **{"for": "0"}),
        port=9,
    )
    data["admin_key"] = ADMIN_KEY
    data["shops"] = [
        {"shop_id": SHOP, "api_key": KEY_ALLEY},
        {"shop_id": OTHER, "api_key": KEY_OTHER},
    ]
    return data


@pytest.fixture
def state(alerts_seed_db: Path, tmp_path: Path) -> Iterator[ServerState]:
    yield from state_over_copy(alerts_seed_db, tmp_path, api_config())


@pytest.fixture
def http(state: ServerState) -> Iterator[Any]:
    as_of = datetime(2026, 5, 4, 14, 20, tzinfo=ZoneInfo("Asia/Taipei"))
    result = run_once(state.client(), state.config, as_of, deliver=False)
    assert len(result.transitions) == 3  # reply_rate_low at alley, queue at both shops
    yield from http_over(state)


def test_history_is_tenant_scoped(http: Any) -> None:
    admin = http.get("/api/v1/alerts", headers=bearer(ADMIN_KEY))
    assert admin.status_code == 200
    assert sorted((r["shop_id"], r["rule_id"]) for r in admin.json()) == [
        (SHOP, "queue"),
        (SHOP, "reply_rate_low"),
        (OTHER, "queue"),
    ]
    own = http.get("/api/v1/alerts", headers=bearer(KEY_OTHER))
    assert own.status_code == 200
    assert [(r["shop_id"], r["rule_id"], r["state"]) for r in own.json()] == [
        (OTHER, "queue", "firing")
    ]
    denied = http.get("/api/v1/alerts", params={"shop": SHOP}, headers=bearer(KEY_OTHER))
    assert denied.status_code == 403
    assert http.get("/api/v1/alerts").status_code == 401
    narrowed = http.get(
        "/api/v1/alerts", params={"shop": SHOP, "rule": "queue"}, headers=bearer(ADMIN_KEY)
    )
    assert [(r["shop_id"], r["rule_id"]) for r in narrowed.json()] == [(SHOP, "queue")]
    row = narrowed.json()[0]
    assert row["at"] == "2026-05-04T06:20:00+00:00" and row["dims"] == {}
    assert row["deliveries"] == [
        {"target": "log", "status": "pending", "attempts": 0, "last_error": None}
    ]
    bad = http.get("/api/v1/alerts", params={"from": "May"}, headers=bearer(ADMIN_KEY))
    assert bad.status_code == 400 and "from" in bad.json()["error"]["message"]
    empty = http.get(
        "/api/v1/alerts", params={"from": "2026-05-05"}, headers=bearer(ADMIN_KEY)
    ).json()
    assert empty == []


def test_rules_are_scoped_and_hold_no_secrets(http: Any) -> None:
    admin = http.get("/api/v1/alerts/rules", headers=bearer(ADMIN_KEY))
    assert [r["id"] for r in admin.json()] == ["reply_rate_low", "queue"]
    other = http.get("/api/v1/alerts/rules", headers=bearer(KEY_OTHER))
    assert [r["id"] for r in other.json()] == ["queue"]
    webhook = admin.json()[0]["deliver"][1]
    assert webhook == {"name": "ops", "kind": "webhook", "url": "http://127.0.0.1:9/hook"}
    for response in (admin, other, http.get("/api/v1/alerts", headers=bearer(ADMIN_KEY))):
        for secret in SECRETS:
            assert secret not in response.text
