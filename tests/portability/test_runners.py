"""The runners beside the metrics on every engine, on the demo week of test_registry.py.

Each runner's full JSON answer on the engine must equal the embedded DuckDB answer:
overview, staff table, top posts, drill-down, funnel (built-in and ordered steps with a
breakdown), attribution from the store's journeys, and a campaign review. Hand-derived
funnel counts are checked on both engines by test_oracles.py (tests/funnels' own tests).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest

from socialscope.client import Client
from tests.portability.conftest import on_engine
from tests.portability.test_registry import END, demo_client

START = date(2026, 3, 25)


@pytest.fixture(scope="module")
def demo_duckdb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    client = demo_client(tmp_path_factory.mktemp("port_runners") / "t.duckdb")
    yield client
    client.close()


@pytest.fixture(scope="module")
def demo(
    demo_duckdb: Client, engine: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Client]:
    client = on_engine(demo_duckdb, engine, tmp_path_factory.mktemp("port_runners_pq"))
    yield client
    if client is not demo_duckdb:
        client.close()


@pytest.fixture(scope="module")
def subjects(demo_duckdb: Client) -> dict[str, str]:
    """A shop with posts, and its first post (the campaign review's subject)."""
    con = demo_duckdb.store.con
    shop, post = con.execute(
        "SELECT shop_id, post_id FROM posts ORDER BY shop_id, published_at, post_id LIMIT 1"
    ).fetchone()
    return {"shop": shop, "post": post}


def _json(value: Any) -> Any:
    """A runner's answer as plain JSON data (to_json / to_dict, or dataclass-like)."""
    if hasattr(value, "to_json"):
        out = value.to_json()
        return json.loads(out if isinstance(out, str) else json.dumps(out, default=str))
    if hasattr(value, "to_dict"):
        return json.loads(json.dumps(value.to_dict(), default=str))
    return json.loads(json.dumps(value, default=str))


def _overview(c: Client, s: dict[str, str]) -> Any:
    from socialscope.overview import build_overview

    return build_overview(c, s["shop"], START, END)


def _staff(c: Client, s: dict[str, str]) -> Any:
    from socialscope.staff_view import staff_rows

    return staff_rows(
        c, s["shop"], START, END, ["conversations_handled", "first_response_time_median"]
    )


def _top_posts(c: Client, s: dict[str, str]) -> Any:
    return c.top_posts(s["shop"], START, END, limit=5)


def _drilldown(c: Client, s: dict[str, str]) -> Any:
    conversations = c.conversations(s["shop"], START, END, limit=50)
    orders = c.orders(s["shop"], START, END, limit=50)
    return {"conversations": conversations.rows, "orders": orders.rows}


def _funnel_builtin(c: Client, s: dict[str, str]) -> Any:
    from socialscope.funnels.builtin import BUILTINS

    name = sorted(BUILTINS)[0]
    return c.funnel(builtin=name, shop=s["shop"], date_from=START, date_to=END)


def _funnel_steps(c: Client, s: dict[str, str]) -> Any:
    return c.funnel(
        "inquiry,order,paid",
        shop=s["shop"],
        date_from=START,
        date_to=END,
        unit="customer",
        by="channel",
        counting="unique",
    )


def _attribution(c: Client, s: dict[str, str]) -> Any:
    currency = c.shops()[s["shop"]]["currency"]
    return c.attribution(
        shop=s["shop"], date_from=START, date_to=END, models="last_touch", currency=currency
    )


def _campaign(c: Client, s: dict[str, str]) -> Any:
    return c.campaign_review("post", s["post"], shop=s["shop"], days_after=3, weeks_before=2)


RUNNERS: dict[str, Callable[[Client, dict[str, str]], Any]] = {
    "overview": _overview,
    "staff": _staff,
    "top_posts": _top_posts,
    "drilldown": _drilldown,
    "funnel_builtin": _funnel_builtin,
    "funnel_steps": _funnel_steps,
    "attribution": _attribution,
    "campaign_review": _campaign,
}


@pytest.fixture(scope="module")
def reference(demo_duckdb: Client, subjects: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, run in RUNNERS.items():
        try:
            out[name] = _json(run(demo_duckdb, subjects))
        except Exception as exc:
            out[name] = exc
    return out


@pytest.mark.parametrize("runner", sorted(RUNNERS))
def test_runner(
    runner: str, demo: Client, subjects: dict[str, str], reference: dict[str, Any]
) -> None:
    expected = reference[runner]
    assert not isinstance(expected, BaseException), f"duckdb reference failed: {expected!r}"
    got = _json(RUNNERS[runner](demo, subjects))
    assert _close(got, expected), (runner, got, expected)


def _close(a: Any, b: Any) -> bool:
    """Equal JSON, floats to 1e-9 relative (Decimals arrive as exact strings)."""
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)
