"""The Products page in Debian's Chromium: it loads without console errors, its funnel
chart renders, the source filter changes the tables, the language switch relabels it, and
it fits a phone screen."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from socialscope.web import i18n
from tests.web.conftest import LiveServer, Tab, open_tab
from tests.web.test_pages_social_funnels_attribution import block, charts_render, page_data


def test_products_page_filters_and_languages(tab: Tab, live: LiveServer) -> None:
    response = tab.page.goto(f"{live.url}/products?shop=alley_closet&compare=previous")
    assert response is not None and response.status == 200
    tab.page.wait_for_load_state("networkidle")
    assert charts_render(tab) >= 1
    assert tab.page.locator(".error").count() == 0
    assert tab.page.locator('.kpi[data-metric="uv_value"]').count() == 1
    rows = tab.page.locator('table[data-table="products"] tbody tr')
    assert rows.count() >= 5
    tab.shot("products")

    tab.page.select_option("#options-products_options select[name=source]", "search")
    with tab.page.expect_navigation():
        tab.page.click("#options-products_options button[type=submit]")
    tab.page.wait_for_load_state("networkidle")
    assert parse_qs(urlsplit(tab.page.url).query)["source"] == ["search"]
    sources = {r["traffic_source"] for r in block(page_data(tab), "products_by_source")["rows"]}
    assert sources == {"search"}
    charts_render(tab)

    with tab.page.expect_navigation():
        tab.page.select_option("select[name=lang]", "zh-Hant")
    tab.page.wait_for_load_state("networkidle")
    assert (tab.page.locator("h1").text_content() or "").strip() == i18n.t(
        "zh-Hant", "nav_products"
    )
    kpis = tab.page.locator(".kpis").text_content() or ""
    assert i18n.metric_label("zh-Hant", "product_gmv") in kpis
    assert tab.errors == [], tab.errors
    tab.shot("products-zh-Hant")


def test_products_page_on_a_phone(browser: Any, live: LiveServer) -> None:
    t = open_tab(
        browser,
        live,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    try:
        t.page.goto(f"{live.url}/products?shop=alley_closet")
        t.page.wait_for_load_state("networkidle")
        width = t.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"/products scrolls sideways ({width}px)"
        assert t.errors == []
        t.shot("phone-products")
    finally:
        t.page.context.close()
