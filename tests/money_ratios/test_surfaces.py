"""uv_value of a two-currency shop on the dashboard's explore page and the HTTP API."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from socialscope.client import connect
from socialscope.server.state import ServerState
from tests.api.conftest import ADMIN, ADMIN_KEY, TestClient, http_over, state_over_copy
from tests.money_ratios.conftest import SEEDS
from tests.seedstore import SeedStore
from tests.web_pages.pagectx import block, build, errors, kpi_values

PAGE = {"shop": "duo_shop", "preset": "custom", "from": "2026-06-02", "to": "2026-06-03"}


def test_explore_page_in_the_shop_currency(duo: SeedStore) -> None:
    # no split: the page narrows money to the shop currency (TWD 300 / 4 click users)
    data = build(duo.client, "/explore", {**PAGE, "metric": "uv_value", "compare": "previous"})
    assert errors(data) == []
    assert kpi_values(data) == {"uv_value": Decimal("75")}
    data = build(duo.client, "/explore", {**PAGE, "metric": "uv_value", "by": "traffic_source"})
    assert errors(data) == []
    assert kpi_values(data) == {"uv_value": Decimal("75")}


def test_explore_page_split_by_currency(duo: SeedStore) -> None:
    query = {**PAGE, "metric": "uv_value", "by": "currency", "grain": "none"}
    data = build(duo.client, "/explore", query)
    assert errors(data) == []
    rows = block(data, "chart")["rows"]
    assert {r["currency"]: r["uv_value"] for r in rows} == {
        "TWD": Decimal("75"),
        "USD": Decimal("6"),
    }


@pytest.fixture(scope="module")
def http(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The API over its own store of seeds/duo (ingested and closed, then copied)."""
    tmp: Path = tmp_path_factory.mktemp("money_api")
    with connect(tmp / "seed.duckdb") as c:
        c.ingest([SEEDS / "duo"])
    config = {"admin_key": ADMIN_KEY, "shops": [{"shop_id": "duo_shop"}]}
    state: ServerState
    for state in state_over_copy(tmp / "seed.duckdb", tmp, config):
        yield from http_over(state)


def test_api_by_currency(http: TestClient) -> None:
    params = {"metrics": "uv_value", "shop": "duo_shop", "from": "2026-06-02", "to": "2026-06-03"}
    r = http.get("/api/v1/query", params={**params, "by": "currency"}, headers=ADMIN)
    assert r.status_code == 200, r.text
    assert {row["currency"]: Decimal(str(row["uv_value"])) for row in r.json()} == {
        "TWD": Decimal("75"),
        "USD": Decimal("6"),
    }
    r = http.get("/api/v1/query", params={**params, "where": "currency=USD"}, headers=ADMIN)
    assert r.status_code == 200, r.text
    [row] = r.json()
    assert (row["currency"], Decimal(str(row["uv_value"]))) == ("USD", Decimal("6"))
    r = http.get("/api/v1/query", params=params, headers=ADMIN)
    assert r.status_code == 400 and "--by currency" in r.text
