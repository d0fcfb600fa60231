"""`socialscope products` and GET /api/v1/products on seeds/compass (numbers:
test_metrics.py / test_runner.py)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

import socialscope
from socialscope.cli.main import _register, app
from socialscope.server.state import ServerState
from tests.api.conftest import TestClient, bearer, error_of, http_over, state_over_copy
from tests.products.conftest import SEEDS

PERIOD = ["--shop", "tp_shop", "--from", "2026-05-10", "--to", "2026-05-12"]
ADMIN_KEY = "adm-SECRET-products-41c9e2"
TP_KEY = "tp-SECRET-products-7a0d3f"
WAW_KEY = "waw-SECRET-products-2b8e6c"
TP, WAW, ADMIN = bearer(TP_KEY), bearer(WAW_KEY), bearer(ADMIN_KEY)
QUERY = {"shop": "tp_shop", "from": "2026-05-10", "to": "2026-05-12"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("products_cli") / "t.duckdb"
    with socialscope.connect(path) as client:  # closed again: the CLI opens the store
        client.ingest([SEEDS / "compass"])
    _register()
    return path


def _run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", str(db), "products", *args])


def test_cli_json_csv_table(db: Path) -> None:
    out = _run(db, *PERIOD, "--format", "json", "--min-click-users", "1")
    assert out.exit_code == 0, out.output
    body = json.loads(out.output)
    assert body["totals"]["product_click_users"] == 5
    assert body["rows"][0]["verdict"]["conversion_source"] == "recommendation"
    out = _run(db, *PERIOD, "--format", "csv", "--by", "category", "--source", "search")
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.output)))
    # search only: shoes = P1/search + P3 (exposure v1 v2 v3); bags = P2/search
    shoes = [r for r in rows if r["category"] == "shoes" and r["traffic_source"] == "*"]
    assert shoes[0]["exposure"] == "3" and shoes[0]["paid"] == "1"
    out = _run(db, *PERIOD, "--compare", "previous")
    assert out.exit_code == 0, out.output
    assert "Funnel by source" in out.output and "previous" in out.output


def test_cli_bad_option(db: Path) -> None:
    out = _run(db, *PERIOD, "--by", "brand")
    assert out.exit_code == 2
    assert "by must be one of" in out.output


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("products_api") / "seed.duckdb"
    with socialscope.connect(path) as client:
        client.ingest([SEEDS / "compass"])
    return path


@pytest.fixture
def http(seed_db: Path, tmp_path: Path) -> Iterator[TestClient]:
    config = {
        "admin_key": ADMIN_KEY,
        "shops": [
            {"shop_id": "tp_shop", "api_key": TP_KEY, "timezone": "Asia/Taipei"},
            {"shop_id": "waw_shop", "api_key": WAW_KEY, "timezone": "Europe/Warsaw"},
        ],
    }
    states: list[ServerState] = []
    for state in state_over_copy(seed_db, tmp_path, config):
        states.append(state)
        yield from http_over(state)


def test_api_own_shop(http: TestClient) -> None:
    r = http.get("/api/v1/products", params={**QUERY, "min_click_users": 1}, headers=TP)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["totals"]["product_gmv"] == "700.0000"
    assert [row["key"] for row in body["rows"]] == ["P1", "P2", "P3"]
    assert body["rows"][0]["verdict"]["gmv_source"] == "search"
    # a shop key without a shop reads its own shop; waw_shop sold in PLN and EUR
    r = http.get("/api/v1/products", params={"from": "2026-03-28"}, headers=WAW)
    assert r.status_code == 400
    assert "currenc" in error_of(r)
    r = http.get("/api/v1/products", params={"from": "2026-03-28", "currency": "PLN"}, headers=WAW)
    assert r.status_code == 200, r.text
    assert (r.json()["shop"], r.json()["currency"]) == ("waw_shop", "PLN")
    assert r.json()["totals"]["product_gmv"] == "40.0000"


def test_api_other_shop_is_403(http: TestClient) -> None:
    r = http.get("/api/v1/products", params=QUERY, headers=WAW)
    assert r.status_code == 403
    assert "tp_shop" not in json.dumps(r.json().get("rows", []))
    assert http.get("/api/v1/products", params=QUERY).status_code == 401


@pytest.mark.parametrize(
    ("params", "status", "word"),
    [
        ({"by": "brand"}, 400, "by"),
        ({"sort": "x"}, 400, "sort"),
        ({"source": "tv"}, 400, "source"),
        ({"compare": "week"}, 400, "compare"),
        ({"limit": 0}, 400, "limit"),
        ({"from": "2026-02-30"}, 400, "from"),
    ],
)
def test_api_bad_params_name_the_field(
    http: TestClient, params: dict, status: int, word: str
) -> None:
    r = http.get("/api/v1/products", params={**QUERY, **params}, headers=ADMIN)
    assert r.status_code == status, r.text
    assert word in error_of(r)
