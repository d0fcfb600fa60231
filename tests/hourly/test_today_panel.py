"""The overview's "Today vs yesterday" tab: its numbers are the metric layer's, it speaks
four languages, and in Chromium it redraws itself when an order arrives."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn

from socialscope.config import parse_config
from socialscope.server.runtime import build as build_server
from socialscope.web import i18n
from tests.hourly.conftest import SEEDS
from tests.seedstore import SeedStore
from tests.web.conftest import LiveServer, _free_port, open_tab
from tests.web_pages.pagectx import build

ADMIN = "admin-key-hourly-panel-0123456789"
VIEW = {
    "shop": "tpe",
    "tab": "today",
    "preset": "custom",
    "from": "2026-04-02",
    "to": "2026-04-02",
    "hourly": "order_count",
}


def today_tab(data: dict[str, Any]) -> list[dict[str, Any]]:
    assert data["active_tab"] == "today"
    tab = next(t for t in data["tabs"] if t["id"] == "today")
    blocks: list[dict[str, Any]] = tab["blocks"]
    return blocks


def test_panel_is_the_metric_layer(store: SeedStore) -> None:
    blocks = today_tab(build(store.client, "/overview", VIEW))
    assert [b["kind"] for b in blocks] == ["options", "chart", "table"]
    picker = blocks[0]["fields"][0]
    assert picker["value"] == "order_count"
    offered = {o["value"] for o in picker["options"]}
    assert {"order_count", "sales_amount", "aov", "interacting_users"} <= offered
    assert "silent_orders" not in offered  # a cohort per period: no hourly value
    chart = blocks[1]
    direct = store.rows(["order_count"], shop="tpe", date_to="2026-04-02", compare="yesterday")
    yesterday, today = chart["figure"]["data"]
    assert today["y"] == [r["order_count"] for r in direct]
    assert yesterday["y"] == [r["order_count__previous"] for r in direct]
    assert today["x"][0] == "00:00" and today["x"][23] == "23:00"
    assert chart["refresh"] == 60
    # the day is over: the note gives the day's total against yesterday's (4 vs 4)
    assert chart["note"].startswith("Today to 23:59: 4 vs 4 yesterday at the same hour (0.0%)")
    assert blocks[2]["rows"][9]["hour"] == "09:00"


def test_panel_in_every_language_and_bad_metric(store: SeedStore) -> None:
    for lang in i18n.LANGUAGES:
        data = build(store.client, "/overview", VIEW, lang)
        labels = [t["label"] for t in data["tabs"]]
        assert i18n.t(lang, "tab_today") in labels
        chart = today_tab(data)[1]
        assert chart["title"] == i18n.t(
            lang, "today_chart", metric=i18n.metric_label(lang, "order_count")
        )
    assert len({i18n.t(lang, "tab_today") for lang in i18n.LANGUAGES}) == 4
    blocks = today_tab(build(store.client, "/overview", {**VIEW, "hourly": "silent_orders"}))
    assert blocks[1]["kind"] == "error"
    assert "silent_orders" in blocks[1]["message"]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from socialscope import connect

    db = tmp_path_factory.mktemp("hourly_panel") / "store.duckdb"
    with connect(db) as client:
        client.ingest([SEEDS / "hours"])
    server = build_server(parse_config({"admin_key": ADMIN}), db, local_token="local-hourly")
    port = _free_port()
    uv = uvicorn.Server(
        uvicorn.Config(server.app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert uv.started, "server did not start"
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", server, ["tpe"])
    finally:
        uv.should_exit = True
        thread.join(10)
        server.close()


def test_panel_redraws_when_an_order_arrives(browser: Any, live: LiveServer) -> None:
    tab = open_tab(browser, live, key=ADMIN, locale="en-US")
    try:
        page = tab.page
        query = "&".join(f"{k}={v}" for k, v in {**VIEW, "refresh": "2"}.items())
        page.goto(f"{live.url}/overview?{query}")
        chart = page.locator('[data-chart="today_vs_yesterday"]')
        chart.wait_for()
        page.wait_for_selector('[data-chart="today_vs_yesterday"][data-rendered="true"]')
        today_at_23 = (
            "() => document.querySelector('[data-chart=\"today_vs_yesterday\"]').data[1].y[23]"
        )
        assert page.evaluate(today_at_23) == 4
        assert (
            page.get_by_role("tab", name="Today vs yesterday").get_attribute("aria-selected")
            == "true"
        )
        note = page.locator('[data-note="today_vs_yesterday"]')
        assert "4 vs 4" in note.inner_text()
        tab.shot("overview-today")
        # a new order at 12:00 local today, through the HTTP API
        order = {
            "shop_id": "tpe",
            "order_id": "live1",
            "customer_id": "c9",
            "created_at": "2026-04-02T12:00:00+08:00",
            "currency": "TWD",
            "amount": "50",
            "source": "web",
            "channel": "line",
        }
        r = httpx.post(
            f"{live.url}/api/v1/ingest/orders",
            json=[order],
            headers={"Authorization": f"Bearer {ADMIN}"},
            timeout=30,
        )
        assert r.status_code == 200, r.text
        page.wait_for_function(f"{today_at_23} === 5", timeout=15_000)
        assert int(chart.get_attribute("data-refreshed") or 0) >= 1
        assert "5 vs 4" in note.inner_text()
        assert (
            page.evaluate(
                "() => document.querySelector('[data-chart=\"today_vs_yesterday\"]').data[1].y[11]"
            )
            == 3
        )
        # the metric picker offers the additive metrics and reloads with the choice
        page.select_option('select[data-field="hourly"]', "sales_amount")
        page.locator("#options-today_options button[type=submit]").click()
        page.wait_for_selector('[data-chart="today_vs_yesterday"][data-rendered="true"]')
        assert "hourly=sales_amount" in page.url
        assert page.evaluate(today_at_23) == 150  # 10 + 20 + 30 + 40 + 50
        # in Polish: the tab, the title and the note are translated
        page.goto(f"{live.url}/overview?{query}&lang=pl")
        page.wait_for_selector('[data-chart="today_vs_yesterday"][data-rendered="true"]')
        assert (
            page.get_by_role("tab", name="Dziś a wczoraj").get_attribute("aria-selected") == "true"
        )
        assert (
            page.locator("#block-today_vs_yesterday h2")
            .inner_text()
            .endswith("dziś a wczoraj, narastająco według godzin")
        )
        assert "wobec" in note.inner_text()
        tab.shot("overview-today-pl")
        assert tab.errors == []
    finally:
        tab.page.context.close()
