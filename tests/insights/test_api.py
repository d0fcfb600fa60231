"""`GET /api/v1/anomalies` over a copy of the synthetic store: same JSON as the runner,
tenant-scoped, validated parameters."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import socialscope
from socialscope.server.state import ServerState
from tests.api.conftest import TestClient, bearer, error_of, http_over, state_over_copy
from tests.insights.conftest import DROP, EVAL_FROM, LAST, LAUNCH, SPIKE

ADMIN_KEY = "adm-SECRET-anomalies-5c1e9a"
S1_KEY = "s1-SECRET-anomalies-0b7d42"
S2_KEY = "s2-SECRET-anomalies-e38f16"
ADMIN, S1, S2 = bearer(ADMIN_KEY), bearer(S1_KEY), bearer(S2_KEY)
PERIOD = {"from": str(EVAL_FROM), "to": str(LAST)}


@pytest.fixture
def state(synthetic_db: Path, tmp_path: Path) -> Iterator[ServerState]:
    yield from state_over_copy(
        synthetic_db,
        tmp_path,
        {
            "admin_key": ADMIN_KEY,
            "shops": [
                {"shop_id": "s1", "api_key": S1_KEY, "timezone": "Europe/Warsaw"},
                {"shop_id": "s2", "api_key": S2_KEY, "timezone": "Europe/Warsaw"},
            ],
        },
    )


@pytest.fixture
def http(state: ServerState) -> Iterator[TestClient]:
    yield from http_over(state)


def test_shop_key_reads_its_own_anomalies(http: TestClient, synthetic_db: Path) -> None:
    r = http.get("/api/v1/anomalies", params={"metric": "order_count", **PERIOD}, headers=S1)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [(a["date"], a["direction"]) for a in body] == [
        (str(SPIKE), "up"),
        (str(DROP), "down"),
        (str(LAUNCH), "up"),
    ]
    with socialscope.connect(synthetic_db, read_only=True) as client:
        expected = [
            a.to_json()
            for a in client.anomalies("order_count", shop="s1", date_from=EVAL_FROM, date_to=LAST)
        ]
    assert body == expected
    assert body[0]["explanations"][0]["ref"]["live_id"] == "big-live"


def test_another_shop_is_403(http: TestClient) -> None:
    r = http.get(
        "/api/v1/anomalies", params={"metric": "order_count", "shop": "s1", **PERIOD}, headers=S2
    )
    assert r.status_code == 403


def test_admin_by_channel_without_explanations(http: TestClient) -> None:
    params = {"metric": "order_count", "shop": "s1", "by": "channel", "explain": "false"}
    r = http.get("/api/v1/anomalies", params={**params, **PERIOD}, headers=ADMIN)
    assert r.status_code == 200, r.text
    body = r.json()
    assert len(body) == 7 and all(a["explanations"] == [] for a in body)
    assert {a["channel"] for a in body} == {"facebook", "instagram", "line"}


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"metric": "nope"}, 400, "unknown metric 'nope'"),
        ({"metric": "order_count", "grain": "minute"}, 400, "grain must be one of"),
        ({"metric": "order_count", "sensitivity": "0"}, 400, "sensitivity"),
        ({"metric": "order_count", "from": "2020-01-01", "to": "2026-01-01"}, 400, "at most 732"),
        (
            {"metric": "order_count", "from": "2026-01-01", "to": "2026-04-01", "grain": "hour"},
            400,
            "at most 62",
        ),
        ({"metric": "order_count", "from": "yesterday"}, 400, "from must be a date"),
        ({"metric": "order_count", "where": "shop_id=s2"}, 403, ""),
    ],
)
def test_bad_parameters(
    http: TestClient, params: dict[str, str], status: int, message: str
) -> None:
    r = http.get("/api/v1/anomalies", params=params, headers=S1)
    assert r.status_code == status, r.text
    assert message in error_of(r)


def test_needs_a_key(http: TestClient) -> None:
    assert http.get("/api/v1/anomalies", params={"metric": "order_count"}).status_code == 401
