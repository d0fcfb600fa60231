"""Attribution over paths built from the store: Client, HTTP route and CLI (local and
through the server that owns the store).

The store holds tests/attribution_journeys/seeds/core: shop tp (Asia/Taipei, TWD) and
tp2. Its April 2026 paths are derived by hand in tests/attribution_journeys/test_core.py:
11 conversions paid in 04-01..04-30 and 5 non-converting journeys. From those rows:

- value 110 + 200 + 300 + 500 + 150 + 100 + 80 + 120 + 60 + 70 + 250 = 1940;
- last touch (the last touch that is not `direct`; `direct` only when all are): direct
  o_direct (150), o_old (80), o_tie2 (60), o_nocust (70) → 4 conversions, 360;
  instagram o_first (110), o_link (500, facebook > instagram > direct) and o_tie1 (120)
  → 3, 730; tiktok o_prev2 → 200; email o_look → 300; sms o_new → 100; facebook
  o_late → 250 (sum 1940);
- with lookback_days=1 (test_short_lookback) o_prev2's path is tiktok alone, so first
  touch gives tiktok 1 conversion where the 30-day default gives google.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from socialscope.attribution.journeys import JourneyRequest, build_paths
from socialscope.attribution.runner import attribute, parse_models
from socialscope.cli.main import _register, app
from socialscope.client import connect
from socialscope.server import remote
from socialscope.server.discovery import ServerInfo
from socialscope.server.state import ServerState
from tests.api.conftest import TestClient, bearer, error_of, http_over, state_over_copy

CORE = Path(__file__).parents[1] / "attribution_journeys" / "seeds" / "core"
ADMIN_KEY = "adm-SECRET-journeys-61b0d2"
TP_KEY = "tp-SECRET-journeys-0e93a7"
TP2_KEY = "tp2-SECRET-journeys-c44f18"
ADMIN, TP, TP2 = bearer(ADMIN_KEY), bearer(TP_KEY), bearer(TP2_KEY)
APRIL = {"from": "2026-04-01", "to": "2026-04-30"}
APRIL_REQUEST = JourneyRequest(shop="tp", date_from=date(2026, 4, 1), date_to=date(2026, 4, 30))

_register()
cli = CliRunner()


@pytest.fixture(scope="module")
def core_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("attribution_store") / "core.duckdb"
    with connect(path) as c:
        c.ingest([CORE])
    return path


@pytest.fixture
def state(core_db: Path, tmp_path: Path) -> Iterator[ServerState]:
    yield from state_over_copy(
        core_db,
        tmp_path,
        {
            "admin_key": ADMIN_KEY,
            "shops": [
                {"shop_id": "tp", "api_key": TP_KEY, "timezone": "Asia/Taipei"},
                {"shop_id": "tp2", "api_key": TP2_KEY, "timezone": "Asia/Taipei"},
            ],
        },
    )


@pytest.fixture
def http(state: ServerState) -> Iterator[TestClient]:
    yield from http_over(state)


def _expected(state: ServerState, **changes: Any) -> dict[str, Any]:
    request = JourneyRequest(**{**APRIL_REQUEST.__dict__, **changes})
    return attribute(build_paths(state.client(), request), parse_models("all", [1])).to_json()


def test_client_store_mode(state: ServerState) -> None:
    result = state.client().attribution(
        shop="tp", date_from="2026-04-01", date_to=date(2026, 4, 30), models="last_touch"
    )
    credits = result.models["last_touch"]
    assert {c: credits[c].conversions for c in ("direct", "instagram", "tiktok")} == {
        "direct": 4.0,
        "instagram": 3.0,
        "tiktok": 1.0,
    }
    assert {c: str(v.value) for c, v in credits.items()} == {
        "direct": "360.0000",
        "email": "300.0000",
        "facebook": "250.0000",
        "google": "0.0000",  # first or middle touches only
        "instagram": "730.0000",
        "line": "0.0000",  # v_edge_start's null path only
        "sms": "100.0000",
        "tiktok": "200.0000",
    }
    assert (result.conversions, result.nulls, str(result.value), result.currency) == (
        11.0,
        5.0,
        "1940.0000",
        "TWD",
    )
    short = state.client().attribution(
        shop="tp", date_from="2026-04-01", date_to="2026-04-30", lookback_days=1
    )
    assert short.models["first_touch"]["tiktok"].conversions == 1.0
    assert short.to_json() == _expected(state, lookback_days=1)


def test_route_equals_the_runner(http: TestClient, state: ServerState) -> None:
    r = http.post("/api/v1/attribution", json={"shop": "tp", **APRIL}, headers=ADMIN)
    assert r.status_code == 200, r.text
    assert r.json() == _expected(state)
    assert (r.json()["value"], r.json()["conversions"], r.json()["nulls"]) == (1940, 11, 5)
    body = {**APRIL, "include": ["chat"], "net_of_refunds": True, "touch_events": ["click"]}
    own = http.post("/api/v1/attribution", json=body, headers=TP)  # no shop: the key's own
    assert own.status_code == 200, own.text
    assert own.json() == _expected(state, include=frozenset({"chat"}), net_of_refunds=True)
    # net of refunds: o_look 300 - 100 and o_direct 150 - 150 → 1940 - 250 = 1690
    assert own.json()["value"] == 1690


def test_route_scoping(http: TestClient) -> None:
    other = http.post("/api/v1/attribution", json={"shop": "tp", **APRIL}, headers=TP2)
    assert other.status_code == 403
    assert error_of(other) == "this key may only read shop tp2"
    unknown = http.post("/api/v1/attribution", json={"shop": "zz", **APRIL}, headers=TP)
    assert unknown.status_code == 403
    anonymous = http.post("/api/v1/attribution", json={"shop": "tp", **APRIL})
    assert anonymous.status_code == 401


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"lookback_days": 0}, "lookback_days"),
        ({"conversion": "refund"}, "conversion"),
        ({"include": ["email"]}, "include"),
        ({"touch_events": ["nope"]}, "unknown touchpoint event(s) 'nope'"),
        ({"from": "2026-05-01"}, "date_from 2026-05-01 is after date_to 2026-04-30"),
        ({"conversion": "purchase", "net_of_refunds": True}, "net_of_refunds"),
        ({"models": "markov", "orders": [0]}, "orders"),
        ({"shop": "nowhere"}, "unknown shop 'nowhere'"),
        ({"from": "0001-01-01", "to": "0001-01-01"}, "out of range"),
    ],
)
def test_route_bad_options(http: TestClient, changes: dict[str, Any], named: str) -> None:
    r = http.post("/api/v1/attribution", json={"shop": "tp", **APRIL, **changes}, headers=ADMIN)
    assert r.status_code == 400, r.text
    assert named in error_of(r)


def test_cli_store_mode(core_db: Path, state: ServerState) -> None:
    args = ["--db", str(core_db), "attribution", "--shop", "tp", "--from", "2026-04-01"]
    args += ["--to", "2026-04-30", "--lookback-days", "1", "--include", "chat,comment"]
    out = cli.invoke(app, [*args, "--format", "json"])
    assert out.exit_code == 0, out.output
    expected = _expected(state, lookback_days=1, include=frozenset({"chat", "comment"}))
    assert json.loads(out.stdout) == expected
    table = cli.invoke(app, [*args, "--models", "last_touch", "--show", "value"])
    assert table.exit_code == 0, table.output
    title = "Attributed value (TWD) — tp · 2026-04-01 – 2026-04-30"
    assert title in " ".join(table.stdout.split())  # rich wraps a title wider than the table
    bad = cli.invoke(app, [*args, "--touch-events", "nope"])
    assert bad.exit_code == 2 and "unknown touchpoint event(s) 'nope'" in bad.stderr


def test_cli_store_mode_through_the_server(
    core_db: Path, http: TestClient, state: ServerState, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a server owns the store, the CLI asks its route and prints the same."""
    asked: list[dict[str, Any]] = []

    def via_http(info: ServerInfo, body: dict[str, Any]) -> dict[str, Any]:
        asked.append(body)
        response = http.post("/api/v1/attribution", json=body, headers=bearer(info.token))
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    info = ServerInfo("http://127.0.0.1:9", 1, ADMIN_KEY)
    monkeypatch.setattr(remote, "owner", lambda db: info)
    monkeypatch.setattr(remote, "attribution", via_http)
    args = ["--db", str(core_db), "attribution", "--shop", "tp", "--from", "2026-04-01"]
    args += ["--to", "2026-04-30", "--net-of-refunds"]
    out = cli.invoke(app, [*args, "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == _expected(state, net_of_refunds=True)
    assert asked[0]["shop"] == "tp" and asked[0]["net_of_refunds"] is True
    table = cli.invoke(app, [*args, "--models", "last_touch"])
    assert table.exit_code == 0, table.output
    # net of refunds: direct 360 - 150 (o_direct refunded in full) = 210; email 300 - 100
    assert "210.00" in table.stdout and "200.00" in table.stdout
    assert "paths 16 · conversions 11.00 · nulls 5.00 · value 1,690.00 TWD" in table.stdout
