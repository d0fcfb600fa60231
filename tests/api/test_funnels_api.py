"""Funnels over HTTP and through the Python API.

The store holds tests/funnels/seeds/social: shop tp (Asia/Taipei), 2026-03-10. As derived
by hand in tests/funnels/test_builtin.py, the service built-in (inquiry, order, paid;
customers) on that day counts 3 inquirers (C1, P2, P3), 2 orders after the inquiry (C1
o1, P2 o3; o2 and o4 are cancelled) and 2 payments, paid value 500 + 200 = 700 TWD.
Shop `other` is configured with a key but holds no data.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from socialscope.client import connect
from socialscope.funnels import FunnelRequest, run_funnel
from socialscope.funnels.builtin import BUILTINS, builtin
from socialscope.server.state import ServerState
from tests.api.conftest import TestClient, bearer, error_of, http_over, state_over_copy

SOCIAL = Path(__file__).parents[1] / "funnels" / "seeds" / "social"
ADMIN_KEY = "adm-SECRET-funnels-7b3e21"
TP_KEY = "tp-SECRET-funnels-a90c5d"
OTHER_KEY = "other-SECRET-funnels-2f6e8b"
ADMIN, TP, OTHER = bearer(ADMIN_KEY), bearer(TP_KEY), bearer(OTHER_KEY)
DAY = {"from": "2026-03-10", "to": "2026-03-10"}
MARCH_10 = date(2026, 3, 10)


@pytest.fixture(scope="module")
def funnel_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("funnels_api") / "social.duckdb"
    with connect(path) as c:
        c.ingest([SOCIAL])
    return path


@pytest.fixture
def state(funnel_db: Path, tmp_path: Path) -> Iterator[ServerState]:
    yield from state_over_copy(
        funnel_db,
        tmp_path,
        {
            "admin_key": ADMIN_KEY,
            "shops": [
                {"shop_id": "tp", "api_key": TP_KEY, "timezone": "Asia/Taipei"},
                {"shop_id": "other", "api_key": OTHER_KEY, "timezone": "UTC"},
            ],
        },
    )


@pytest.fixture
def http(state: ServerState) -> Iterator[TestClient]:
    yield from http_over(state)


def _service(state: ServerState, **changes: Any) -> str:
    b = builtin("service")
    options: dict[str, Any] = {"unit": b.unit, "same": b.same, **changes}
    request = FunnelRequest(b.steps, "tp", MARCH_10, MARCH_10, **options)
    return run_funnel(state.client(), request).to_json()


def _counts(data: dict[str, Any]) -> list[int]:
    return [step["count"] for step in data["overall"]["steps"]]


def test_builtin_funnel_equals_the_runner(http: TestClient, state: ServerState) -> None:
    r = http.post("/api/v1/funnels", json={"builtin": "service", **DAY}, headers=TP)
    assert r.status_code == 200, r.text
    assert _counts(r.json()) == [3, 2, 2]  # see the module docstring
    assert r.json()["overall"]["values"] == [
        {"currency": "TWD", "conversions": 2, "total": "700.0000", "mean": "350.0000"}
    ]
    assert r.text == _service(state)  # the runner's to_json(), byte for byte


def test_custom_steps(http: TestClient, state: ServerState) -> None:
    body = {"steps": ["inquiry", "order", "paid"], "unit": "customer", "shop": "tp", **DAY}
    listed = http.post("/api/v1/funnels", json=body, headers=ADMIN)
    assert listed.status_code == 200, listed.text
    text = http.post("/api/v1/funnels", json={**body, "steps": "inquiry,order,paid"}, headers=ADMIN)
    assert listed.json() == text.json()
    assert _counts(listed.json()) == [3, 2, 2]
    # a 2-hour window from the inquiry: C1's order (1 h after) and payment (1.5 h) stay;
    # P2 ordered 3 h after its inquiry (10:00 -> 13:00): out -> [3, 1, 1]
    short = http.post("/api/v1/funnels", json={**body, "window": "2h"}, headers=ADMIN)
    assert _counts(short.json()) == [3, 1, 1]
    assert short.text == _service(state, window=timedelta(hours=2))


def test_builtin_list(http: TestClient) -> None:
    r = http.get("/api/v1/funnels/builtin", headers=OTHER)
    assert r.status_code == 200, r.text
    assert [b["name"] for b in r.json()] == list(BUILTINS)
    service = next(b for b in r.json() if b["name"] == "service")
    assert (service["steps"], service["unit"], service["same"]) == (
        ["inquiry", "order", "paid"],
        "customer",
        [],
    )


def test_scoping(http: TestClient) -> None:
    other = http.post("/api/v1/funnels", json={"builtin": "service", "shop": "tp"}, headers=OTHER)
    assert other.status_code == 403 and error_of(other) == "this key may only read shop other"
    empty = http.post("/api/v1/funnels", json={"builtin": "service", **DAY}, headers=OTHER)
    assert empty.status_code == 400 and "other" in error_of(empty)  # no data yet
    assert http.post("/api/v1/funnels", json={"builtin": "service"}).status_code == 401


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"steps": "inquiry,nope", "unit": "customer"}, "nope"),
        ({"steps": "inquiry,order"}, "unit=customer"),  # visitors have no inquiries
        ({"builtin": "service", "steps": "click,purchase"}, "either steps or builtin"),
        ({}, "either steps or builtin"),
        ({"builtin": "nope"}, "no built-in funnel 'nope'"),
        ({"builtin": "service", "window": "soon"}, "duration 'soon'"),
        ({"builtin": "service", "step_windows": {"9": "1d"}}, "steps 2..3, not 9"),
        ({"builtin": "service", "mode": "sideways"}, "'mode'"),
        ({"builtin": "service", "to": None}, "both date_from and date_to"),
        ({"builtin": "service", "from": "2026-03-11", "to": "2026-03-10"}, "after it ends"),
        ({"builtin": "service", "by": "colour"}, "colour"),
        ({"builtin": "service", "window": "99999999999d"}, "out of range"),
    ],
)
def test_bad_options(http: TestClient, body: dict[str, Any], named: str) -> None:
    r = http.post("/api/v1/funnels", json={"shop": "tp", **DAY, **body}, headers=ADMIN)
    assert r.status_code == 400, r.text
    assert named in error_of(r)


def test_client_funnel(state: ServerState) -> None:
    client = state.client()
    result = client.funnel(builtin="service", date_from="2026-03-10", date_to=MARCH_10)
    assert result.to_json() == _service(state)  # the store's only shop, tp
    # Without a period: the 30 local days up to the latest inquiry (03-10), 02-09..03-10.
    # U4's inquiry m5 (03-09 23:00) now enters too, and its order o5 was paid: [4, 3, 3].
    default = client.funnel("inquiry,order,paid", unit="customer")
    assert (default.request.date_from, default.request.date_to) == (
        date(2026, 2, 9),
        MARCH_10,
    )
    assert [s.count for s in default.overall.steps] == [4, 3, 3]
    data = json.loads(
        client.funnel(
            ["inquiry", "order", "paid"],
            unit="customer",
            date_from=MARCH_10,
            date_to=MARCH_10,
            step_windows={3: "10m"},
        ).to_json()
    )
    # paid within 10 minutes of the order: P2 (o3 13:00 -> 13:10); C1 took 30 min
    assert _counts(data) == [3, 2, 1]
    with pytest.raises(ValueError, match="either steps or builtin"):
        client.funnel()
