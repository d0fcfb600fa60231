"""The Audience page in a real browser: it loads without console errors, its profile
charts render, the export link downloads the shop's own customer ids, no other shop's
id shows in its blocks, and it is translated."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from socialscope.web import i18n
from tests.web.conftest import SHOP_KEYS, LiveServer, Tab, open_tab

SHOP = "alley_closet"


def page_data(tab: Tab) -> dict[str, Any]:
    text = tab.page.locator("#page-data").text_content()
    assert text
    data: dict[str, Any] = json.loads(text)
    return data


def test_audience_page(tab: Tab, live: LiveServer) -> None:
    response = tab.page.goto(f"{live.url}/audience?shop={SHOP}&preset=last_30_days")
    assert response is not None and response.status == 200
    tab.page.wait_for_load_state("networkidle")
    charts = tab.page.locator("[data-chart]")
    assert charts.count() >= 1
    for i in range(charts.count()):
        charts.nth(i).locator("svg.main-svg").first.wait_for(timeout=15_000)
    assert tab.page.locator(".error").count() == 0
    assert tab.errors == [], tab.errors
    assert tab.page.locator("h1").text_content() == i18n.t("en", "nav_audience")
    assert tab.page.locator(".kpi[data-metric='sales_amount']").count() == 1
    data = page_data(tab)
    blocks = json.dumps(list(data["blocks"]), ensure_ascii=False)
    for other in live.shops:
        if other != SHOP:
            assert other not in blocks
    assert "audience_ids" not in blocks.replace("/audience/export/audience_ids", "")
    tab.shot("page-audience")


def test_export_link_downloads_own_customer_ids(browser: Any, live: LiveServer) -> None:
    t = open_tab(browser, live, key=SHOP_KEYS[SHOP], locale="en-US")
    try:
        t.page.goto(f"{live.url}/audience?shop={SHOP}&preset=last_30_days")
        with t.page.expect_download() as info:
            t.page.click("#block-audience_export td a")
        rows = list(csv.reader(io.StringIO(info.value.path().read_bytes().decode("utf-8-sig"))))
        assert rows[0] == ["customer_id"] and len(rows) > 5
        client = live.server.state.client()
        own = client.engine.table("customers")
        mine = set(own.filter(own.shop_id == SHOP).customer_id.to_pyarrow().to_pylist())
        assert {r[0] for r in rows[1:]} <= mine
    finally:
        t.page.context.close()


def test_audience_page_translated(tab: Tab, live: LiveServer) -> None:
    tab.page.goto(f"{live.url}/audience?shop={SHOP}&lang=zh-Hant")
    assert tab.page.locator("h1").text_content() == i18n.t("zh-Hant", "nav_audience")
    assert i18n.t("zh-Hant", "audience_peers_title") in (tab.page.content())
