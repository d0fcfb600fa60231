"""The analysis routes: top posts, benchmarks, attribution (inline, CSV, store).

The store holds the social seed of tests/content (tw_shop, Asia/Taipei; pl_shop,
Europe/Warsaw). Each route's JSON is compared with the runner called directly, and the
few numbers checked by hand are worked out next to them.

pl_shop posts with content rows in 2026-03-29 .. 04-04 (hand-worked in
tests/content/test_top_posts_benchmarks.py): Q6 rate 30/100 = 0.3, then the 0.2 tie by
engagements Q2 (20), Q1 (10), Q3 / Q4 (8, by post_id), Q5 (no reach) last.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from socialscope.attribution.paths import paths_from_records
from socialscope.attribution.paths_csv import read_paths_csv
from socialscope.attribution.runner import attribute, parse_models
from socialscope.cli.main import _register, app
from socialscope.client import Client, connect
from socialscope.platform_benchmarks import benchmarks_for
from socialscope.server.state import ServerState
from socialscope.top_posts import COLUMNS, top_posts
from tests.api.conftest import TestClient, bearer, error_of, http_over, state_over_copy

SOCIAL = Path(__file__).parents[1] / "content" / "seeds" / "social"
ADMIN_KEY = "adm-SECRET-analysis-5c1e9a"
TW_KEY = "tw-SECRET-analysis-8d2f0b"
PL_KEY = "pl-SECRET-analysis-3a7c4e"
ADMIN, TW, PL = bearer(ADMIN_KEY), bearer(TW_KEY), bearer(PL_KEY)
MAX_BODY = 4096
PERIOD = {"from": "2026-03-29", "to": "2026-04-04"}

_register()
cli = CliRunner()


@pytest.fixture(scope="module")
def social_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("analysis") / "social.duckdb"
    with connect(path) as c:
        c.ingest([SOCIAL])
    return path


@pytest.fixture
def state(social_db: Path, tmp_path: Path) -> Iterator[ServerState]:
    yield from state_over_copy(
        social_db,
        tmp_path,
        {
            "admin_key": ADMIN_KEY,
            "server": {"max_body_bytes": MAX_BODY},
            "shops": [
                {"shop_id": "tw_shop", "api_key": TW_KEY, "timezone": "Asia/Taipei"},
                {"shop_id": "pl_shop", "api_key": PL_KEY, "timezone": "Europe/Warsaw"},
            ],
        },
    )


@pytest.fixture
def http(state: ServerState) -> Iterator[TestClient]:
    yield from http_over(state)


@pytest.fixture
def client(state: ServerState) -> Client:
    return state.client()


# -- top posts ----------------------------------------------------------------------------
def test_top_posts_equals_the_runner(http: TestClient, client: Client, social_db: Path) -> None:
    r = http.get("/api/v1/top-posts", params={"shop": "pl_shop", **PERIOD, "limit": 3}, headers=PL)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [row["post_id"] for row in body["rows"]] == ["Q6", "Q2", "Q1"]  # see the docstring
    assert (body["shop"], body["from"], body["to"]) == ("pl_shop", "2026-03-29", "2026-04-04")
    direct = top_posts(client, "pl_shop", "2026-03-29", "2026-04-04", limit=3)
    cli_out = cli.invoke(
        app,
        ["--db", str(social_db), "top-posts", "--shop", "pl_shop", "--from",
         "2026-03-29", "--to", "2026-04-04", "--limit", "3", "--format", "json"],
    )  # fmt: skip
    assert cli_out.exit_code == 0, cli_out.output
    # the CLI's rows carry shop_id in front; otherwise the same objects
    assert body["rows"] == [
        {k: v for k, v in row.items() if k != "shop_id"} for row in json.loads(cli_out.stdout)
    ]
    assert [row["rank"] for row in body["rows"]] == [row["rank"] for row in direct.rows]
    assert list(body["rows"][0]) == list(COLUMNS)


def test_top_posts_scoping(http: TestClient) -> None:
    own = http.get("/api/v1/top-posts", params=PERIOD, headers=PL)  # no shop: the key's own
    assert own.status_code == 200 and own.json()["shop"] == "pl_shop"
    other = http.get("/api/v1/top-posts", params={"shop": "tw_shop", **PERIOD}, headers=PL)
    assert other.status_code == 403
    assert "pl_shop" in error_of(other) and "tw_shop" not in error_of(other)
    admin = http.get("/api/v1/top-posts", params={"shop": "tw_shop"}, headers=ADMIN)
    assert admin.status_code == 200 and admin.json()["shop"] == "tw_shop"
    assert http.get("/api/v1/top-posts", params={"shop": "pl_shop"}).status_code == 401


def test_top_posts_bad_options(http: TestClient) -> None:
    too_many = http.get("/api/v1/top-posts", params={"limit": 1001}, headers=PL)
    assert too_many.status_code == 400 and "'limit'" in error_of(too_many)
    bad_date = http.get("/api/v1/top-posts", params={"from": "2026-13-01"}, headers=PL)
    assert bad_date.status_code == 400 and "2026-13-01" in error_of(bad_date)


# -- benchmarks ---------------------------------------------------------------------------
def test_benchmarks(http: TestClient) -> None:
    r = http.get("/api/v1/benchmarks", params={"metric": "click_through_rate", "channel": "tiktok"})
    assert r.status_code == 401  # public figures, still behind a key
    r = http.get(
        "/api/v1/benchmarks",
        params={"metric": "click_through_rate", "channel": "tiktok"},
        headers=TW,
    )
    assert r.status_code == 200, r.text
    # METRICS.md 10 (Chatdesk): TikTok CTR organic 0.14, ads 0.023
    assert [(b["variant"], b["low"]) for b in r.json()] == [("organic", 0.14), ("ads", 0.023)]
    assert r.json() == [b.as_dict() for b in benchmarks_for("click_through_rate", "tiktok")]
    everything = http.get("/api/v1/benchmarks", headers=TW).json()
    assert len(everything) > len(r.json())
    none = http.get("/api/v1/benchmarks", params={"metric": "reach"}, headers=TW)
    assert none.status_code == 200 and none.json() == []  # registered, no benchmark
    unknown = http.get("/api/v1/benchmarks", params={"metric": "no_such"}, headers=TW)
    assert unknown.status_code == 400 and "no_such" in error_of(unknown)


# -- attribution: inline paths ------------------------------------------------------------
# A > B converts once for 90; B and A are null paths. first_touch: A 1, last_touch: B 1,
# linear: 1/2 each (value 45 / 45).
INLINE = [
    {"path": ["A", "B"], "conversions": 1, "value": 90},
    {"path": ["B"], "conversions": 0, "nulls": 1},
    {"path": ["A"], "conversions": 0, "nulls": 1},
]


def test_attribution_inline_equals_the_runner(http: TestClient) -> None:
    r = http.post(
        "/api/v1/attribution", json={"paths": INLINE, "currency": "TWD"}, headers=PL
    )  # any key: inline paths hold no shop data
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["models"]["first_touch"]["conversions"] == {"A": 1.0, "B": 0.0}
    assert data["models"]["last_touch"]["value"] == {"A": 0, "B": 90}
    assert data["models"]["linear"]["value"] == {"A": 45, "B": 45}
    assert (data["paths"], data["conversions"], data["nulls"], data["currency"]) == (
        3,
        1,
        2,
        "TWD",
    )
    direct = attribute(paths_from_records(INLINE, currency="TWD"), parse_models("all", [1]))
    assert data == direct.to_json()


def test_attribution_inline_options(http: TestClient) -> None:
    body = {"paths": INLINE, "models": ["linear", "markov"], "orders": [1, 2]}
    r = http.post("/api/v1/attribution", json=body, headers=ADMIN)
    assert r.status_code == 200, r.text
    assert list(r.json()["models"]) == ["linear", "markov_o1", "markov_o2"]


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"paths": INLINE, "models": "bogus"}, "bogus"),  # the runner's message
        ({"paths": INLINE, "orders": [4]}, "orders"),
        ({"paths": INLINE, "models": "linear", "orders": [2]}, "orders need markov"),
        ({"paths": INLINE, "half_life_hours": 0}, "half_life_hours"),
        ({"paths": [{"path": ["A"], "conversions": -1}]}, "paths.0.conversions"),
        ({"paths": [{"path": [], "conversions": 1}]}, "paths.0.path"),
        ({"paths": [{"path": ["A", " "], "conversions": 1}]}, "paths.0.path.1"),
        ({"paths": [{"path": ["A"], "conversions": 0, "value": 5}]}, "without conversions"),
        (
            {"paths": [{"path": ["A", "B"], "conversions": 1, "hours_till_conv": [1]}]},
            "hours_till_conv has 1 numbers for a path of 2",
        ),
        ({"paths": INLINE, "lokback_days": 3}, "lokback_days"),
        ({"paths": INLINE, "shop": "pl_shop"}, "not both: shop"),
        ({"paths": INLINE, "from": "2026-03-01", "lookback_days": 7}, "from, lookback_days"),
        ({"shop": "pl_shop"}, "from and to"),
        ({"from": "2026-03-01", "to": "2026-02-30"}, "'to'"),
    ],
)
def test_attribution_bad_options(http: TestClient, body: dict[str, Any], named: str) -> None:
    r = http.post("/api/v1/attribution", json=body, headers=ADMIN)
    assert r.status_code == 400, r.text
    assert named in error_of(r)


def test_attribution_body_too_large(http: TestClient) -> None:
    paths = [{"path": ["A", "B", "C"], "conversions": 1, "value": 1}] * 100  # > 4096 bytes
    assert len(json.dumps({"paths": paths})) > MAX_BODY
    r = http.post("/api/v1/attribution", json={"paths": paths}, headers=ADMIN)
    assert r.status_code == 413
    assert "4,096" in error_of(r)


# -- attribution: CSV upload --------------------------------------------------------------
# Same paths as INLINE, with touch times: hours 24 and 0 before the conversion.
# time_decay, half-life 24 h: weights 2^(-24/24) = 1/2 and 1 → A 1/3, B 2/3.
CSV = (
    "path,total_conversions,total_conversion_value,total_null,hours_till_conv\n"
    "A > B,1,90,0,24 > 0\n"
    "B,0,0,1,0\n"
    "A,0,0,1,0\n"
)


def _upload(http: TestClient, text: str, **params: Any) -> Any:
    return http.post(
        "/api/v1/attribution/paths",
        params=params,
        content=text.encode(),
        headers={**PL, "Content-Type": "text/csv"},
    )


def test_csv_upload_equals_the_cli(http: TestClient, tmp_path: Path) -> None:
    r = _upload(http, CSV, half_life_hours=24, currency="PLN")
    assert r.status_code == 200, r.text
    assert r.json()["models"]["time_decay"]["share"] == pytest.approx({"A": 1 / 3, "B": 2 / 3})
    file = tmp_path / "paths.csv"
    file.write_text(CSV, encoding="utf-8")
    out = cli.invoke(
        app,
        ["attribution", "--paths", str(file), "--half-life-hours", "24", "--currency", "PLN",
         "--format", "json"],
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    assert r.json() == json.loads(out.stdout)
    ordered = _upload(http, CSV, models="markov", orders=[2, 3])
    assert list(ordered.json()["models"]) == ["markov_o2", "markov_o3"]
    direct = attribute(read_paths_csv(file), parse_models("markov", [2, 3]))
    assert ordered.json() == direct.to_json()


def test_csv_upload_errors(http: TestClient) -> None:
    bad = _upload(http, CSV.replace("B,0,0,1,0", "B,x,0,1,0"))
    assert bad.status_code == 400
    message = error_of(bad)
    # the header is line 1, so the third path row is line 3
    assert "line 3" in message and "total_conversions" in message
    assert "/tmp" not in message and "the request body" in message
    missing = _upload(http, "path,total_conversions\nA,1\n")
    assert missing.status_code == 400 and "total_null" in error_of(missing)
    big = _upload(http, CSV + "A > B,1,90,0,24 > 0\n" * 300)
    assert big.status_code == 413
    wrong_type = http.post(
        "/api/v1/attribution/paths",
        content=CSV.encode(),
        headers={**PL, "Content-Type": "application/json"},
    )
    assert wrong_type.status_code == 415 and "text/csv" in error_of(wrong_type)
    bad_model = _upload(http, CSV, models="nope")
    assert bad_model.status_code == 400 and "nope" in error_of(bad_model)


def test_a_body_is_never_read_without_a_key(http: TestClient) -> None:
    paths = [{"path": ["A"], "conversions": 1}] * 300  # over the limit
    anonymous = http.post("/api/v1/attribution", json={"paths": paths})
    assert anonymous.status_code == 401  # not 413: the key is checked before the body
    wrong = http.post("/api/v1/attribution", json={"paths": paths}, headers=bearer("nope"))
    assert wrong.status_code == 401 and error_of(wrong) == "unknown API key"


def test_a_single_valued_parameter_given_twice(http: TestClient) -> None:
    r = http.get("/api/v1/benchmarks?channel=tiktok&channel=facebook", headers=TW)
    assert r.status_code == 400
    assert error_of(r) == "query parameter 'channel' is given 2 times: give it once"
    both = _upload(http, CSV, models="markov", orders=[1, 2])  # orders is a list
    assert list(both.json()["models"]) == ["markov_o1", "markov_o2"]
