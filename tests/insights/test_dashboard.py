"""The dashboard marks anomalies: a real server over a copy of the synthetic store and
Debian's Chromium (Playwright). The spike of 2026-03-18 is a marker on the orders trend
whose tooltip names the live of that evening; the overview's panel lists it, translated."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from socialscope.config import parse_config
from socialscope.server.runtime import build
from tests.insights.conftest import EVAL_FROM, LAST, SPIKE
from tests.web.conftest import (
    LiveServer,
    Tab,
    _free_port,
    open_tab,
)

ADMIN = "admin-key-anomaly-dashboard-42"
QUERY = f"shop=s1&preset=custom&from={EVAL_FROM}&to={LAST}&compare=none"
HOLDER = '[data-chart="orders_trend"]'


@pytest.fixture(scope="module")
def live(synthetic_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    db = tmp_path_factory.mktemp("anomaly_web") / "synthetic.duckdb"
    shutil.copyfile(synthetic_db, db)
    server = build(parse_config({"admin_key": ADMIN}), db, local_token="local-anomaly-web")
    uv = uvicorn.Server(
        uvicorn.Config(server.app, host="127.0.0.1", port=_free_port(), log_level="warning")
    )
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert uv.started, "server did not start"
    port = uv.config.port
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", server, ["s1", "s2"])
    finally:
        uv.should_exit = True
        thread.join(10)
        server.close()


@pytest.fixture
def tab(browser: Any, live: LiveServer) -> Iterator[Tab]:
    t = open_tab(browser, live, key=ADMIN, locale="en-US")
    try:
        yield t
    finally:
        t.page.context.close()


def test_a_spike_shows_a_marker_whose_tooltip_names_the_live(tab: Tab, live: LiveServer) -> None:
    page = tab.page
    page.goto(f"{live.url}/overview?tab=sales&{QUERY}")
    page.locator(f'{HOLDER}[data-rendered="true"]').wait_for()
    marked = page.evaluate(
        "sel => document.querySelector(sel).data.filter(t => t.meta === 'anomalies').map(t => t.x)",
        HOLDER,
    )
    assert marked == [[str(SPIKE), "2026-04-08", "2026-04-22"]]
    # the anomaly trace is drawn last: its first point is the spike
    marker = page.locator(f"{HOLDER} .scatterlayer .trace").last.locator(".point").first
    marker.scroll_into_view_if_needed()
    box = marker.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x - 4, y, steps=2)
    page.mouse.move(x, y, steps=2)
    hover = page.locator(f"{HOLDER} .hoverlayer .hovertext").first
    hover.wait_for()
    text = hover.text_content() or ""
    assert "Orders: 132 (expected 57, +131.6%)" in text, text
    assert "Live 'Winter drop' (2 h 10 min, 5,000 viewers)" in text, text
    tab.shot("anomaly-marker-tooltip")
    # the same point in the list under the chart and in the overview's panel
    notes = page.locator('[data-anomalies="orders_trend"] li[data-metric="order_count"]')
    assert notes.count() == 3
    panel = page.locator("#block-anomalies li.anomaly.up").filter(has_text="Mar 18, 2026 Orders")
    assert "Winter drop" in (panel.first.text_content() or "")
    assert tab.errors == []


def test_the_panel_speaks_the_page_language(tab: Tab, live: LiveServer) -> None:
    page = tab.page
    page.goto(f"{live.url}/overview?tab=sales&lang=zh-Hant&{QUERY}")
    panel = page.locator("#block-anomalies")
    assert "異常波動" in (panel.locator("h2").text_content() or "")
    down = panel.locator("li.anomaly.down").first.text_content() or ""
    assert "離線(平常在線 8.0 小時,這次 0.0 小時)" in down, down
    up = panel.locator("li.anomaly.up").filter(has_text="2026年3月18日").first.text_content() or ""
    assert "直播「Winter drop」(2 小時 10 分鐘,5,000 位觀眾)" in up, up
    assert tab.errors == []
