"""The dashboard in a real browser (Debian's Chromium via Playwright) against a real server."""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from socialscope.web import i18n
from tests.web.conftest import ADMIN, SHOP_KEYS, LiveServer, Tab, open_tab

PAGES = [
    ("overview", "/overview"),
    ("overview-sales", "/overview?tab=sales"),
    ("overview-staff", "/overview?tab=staff"),
    ("customer-service", "/customer-service"),
    ("explore", "/explore?metric=three_minute_reply_rate&by=channel&grain=date"),
    ("conversations", "/conversations?where=three_minute%3Dfailed"),
    ("orders", "/orders"),
]


def page_data(tab: Tab) -> dict[str, Any]:
    text = tab.page.locator("#page-data").text_content()
    assert text
    data: dict[str, Any] = json.loads(text)
    return data


def kpi(data: dict[str, Any], metric: str) -> dict[str, Any]:
    tabs = data.get("tabs") or [{"id": None, "blocks": data.get("blocks", [])}]
    for t in tabs:
        if t.get("id") not in (None, data.get("active_tab")):
            continue
        for block in t["blocks"]:
            if block["kind"] == "kpis":
                for item in block["items"]:
                    if item["metric"] == metric:
                        return dict(item)
    raise AssertionError(f"no KPI {metric}")


def api_query(live: LiveServer, **params: Any) -> list[dict[str, Any]]:
    r = httpx.get(
        f"{live.url}/api/v1/query",
        params=params,
        headers={"Authorization": f"Bearer {ADMIN}"},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    rows: list[dict[str, Any]] = r.json()
    return rows


@pytest.mark.parametrize(("name", "path"), PAGES)
def test_pages_load_without_console_errors_and_charts_render(
    tab: Tab, live: LiveServer, name: str, path: str
) -> None:
    response = tab.page.goto(live.url + path)
    assert response is not None and response.status == 200
    tab.page.wait_for_load_state("networkidle")
    charts = tab.page.locator("[data-chart]")
    for i in range(charts.count()):
        charts.nth(i).locator("svg.main-svg").first.wait_for(timeout=10_000)
        assert charts.nth(i).get_attribute("data-rendered") == "true"
    assert tab.errors == [], tab.errors
    tab.shot(name)


def test_filters_update_the_numbers_and_equal_the_api(tab: Tab, live: LiveServer) -> None:
    shop = "alley_closet"
    tab.page.goto(f"{live.url}/overview?shop={shop}&preset=last_7_days")
    before = page_data(tab)
    # tick LINE, pick the last 30 days, apply: the URL carries the filters
    tab.page.check("input[name=channel][value=line]")
    tab.page.select_option("#preset", "last_30_days")
    tab.page.click("#filters button[type=submit]")
    tab.page.wait_for_load_state("networkidle")
    query = parse_qs(urlsplit(tab.page.url).query)
    assert query["channel"] == ["line"] and query["preset"] == ["last_30_days"]
    after = page_data(tab)
    f = after["filters"]
    rows = api_query(
        live,
        metrics="interacting_users,conversations",
        shop=shop,
        **{"from": f["from"], "to": f["to"]},
        where="channel=line",
        compare="previous",
    )
    for metric in ("interacting_users", "conversations"):
        shown = kpi(after, metric)
        assert shown["value"] == rows[0][metric]
        assert shown["previous"] == rows[0][f"{metric}__previous"]
    assert kpi(after, "conversations")["value"] != kpi(before, "conversations")["value"]
    text = tab.page.locator('.kpi[data-metric="conversations"] .value').text_content() or ""
    assert text.strip() == kpi(after, "conversations")["display"]


def test_drill_down_opens_the_conversations_behind_a_number(tab: Tab, live: LiveServer) -> None:
    tab.page.goto(f"{live.url}/overview?shop=alley_closet&preset=last_7_days&compare=none")
    value = kpi(page_data(tab), "conversations")["value"]
    tab.page.click('.kpi[data-metric="conversations"] a.value')
    tab.page.wait_for_load_state("networkidle")
    assert urlsplit(tab.page.url).path == "/conversations"
    data = page_data(tab)
    assert data["list"]["total"] == value
    rows = next(b for b in data["blocks"] if b.get("id") == "rows")["rows"]
    assert len(rows) == min(value, data["list"]["limit"])
    tab.shot("drill-conversations")


def test_export_downloads_the_table_rows(tab: Tab, live: LiveServer) -> None:
    tab.page.goto(f"{live.url}/overview?shop=alley_closet&tab=sales&preset=last_30_days")
    data = page_data(tab)
    block = next(
        b
        for t in data["tabs"]
        if t["id"] == "sales"
        for b in t["blocks"]
        if b.get("id") == "sales_by_source_table"
    )
    with tab.page.expect_download() as info:
        tab.page.click("#block-sales_by_source_table .exports a[href*='.csv']")
    content = info.value.path().read_bytes().decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(content)))
    columns = [c["id"] for c in block["columns"]]
    assert lines[0] == columns
    expected = [["" if r[c] is None else str(r[c]) for c in columns] for r in block["rows"]]
    assert lines[1:] == expected


def test_language_switch_changes_labels(tab: Tab, live: LiveServer) -> None:
    tab.page.goto(f"{live.url}/overview?shop=alley_closet")
    english = tab.page.locator(".tabs a").first.text_content()
    assert (english or "").strip() == i18n.t("en", "tab_interaction")
    with tab.page.expect_navigation():  # the select submits its form: wait for the new page
        tab.page.select_option("select[name=lang]", "zh-Hant")
    tab.page.wait_for_load_state("networkidle")
    assert (tab.page.locator(".tabs a").first.text_content() or "").strip() == i18n.t(
        "zh-Hant", "tab_interaction"
    )
    assert tab.page.locator("html").get_attribute("lang") == "zh-Hant"
    # the choice sticks (cookie) on the next page
    tab.page.goto(f"{live.url}/customer-service?shop=alley_closet")
    assert tab.page.locator("html").get_attribute("lang") == "zh-Hant"
    tab.shot("customer-service-zh-Hant")
    tab.page.goto(f"{live.url}/overview?shop=alley_closet&lang=pl")
    assert tab.page.locator("html").get_attribute("lang") == "pl"
    tab.shot("overview-pl")


def test_a_shop_key_never_reaches_another_shop(browser: Any, live: LiveServer) -> None:
    own = "alley_closet"
    other = next(s for s in live.shops if s != own)
    t = open_tab(browser, live, key=SHOP_KEYS[own])
    try:
        r = t.page.goto(f"{live.url}/overview?shop={other}")
        assert r is not None and r.status == 403
        assert t.page.locator("#page-data").count() == 0
        twin = t.page.request.get(f"{live.url}/overview.json?shop={other}")
        assert twin.status == 403
        export = t.page.request.get(f"{live.url}/orders/export/rows.csv?shop={other}")
        assert export.status == 403
        mine = t.page.request.get(f"{live.url}/overview.json")
        assert mine.status == 200 and mine.json()["filters"]["shop"] == own
        assert mine.json()["shops"] == [own]
        cookies = {c["name"]: c for c in t.page.context.cookies()}
        assert cookies["ss_session"]["httpOnly"] is True
        assert cookies["ss_session"]["sameSite"] == "Strict"
    finally:
        t.page.context.close()


def test_signed_out_visitors_are_sent_to_sign_in(browser: Any, live: LiveServer) -> None:
    t = open_tab(browser, live, key=None)
    try:
        t.page.goto(f"{live.url}/customer-service?preset=last_7_days")
        assert urlsplit(t.page.url).path == "/login"
        t.page.fill("#api_key", "wrong-key")
        t.page.click("button[type=submit]")
        assert t.page.locator(".error").count() == 1
        t.page.fill("#api_key", ADMIN)
        t.page.click("button[type=submit]")
        t.page.wait_for_load_state("networkidle")
        assert urlsplit(t.page.url).path == "/customer-service"
        assert t.errors == []
    finally:
        t.page.context.close()


def test_phone_sized_screen(browser: Any, live: LiveServer) -> None:
    t = open_tab(
        browser,
        live,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    try:
        for name, path in (("phone-overview", "/overview"), ("phone-service", "/customer-service")):
            t.page.goto(live.url + path)
            t.page.wait_for_load_state("networkidle")
            width = t.page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} scrolls sideways ({width}px)"
            t.shot(name)
        assert t.errors == []
    finally:
        t.page.context.close()


def test_empty_period_says_no_data(tab: Tab, live: LiveServer) -> None:
    tab.page.goto(
        f"{live.url}/overview?shop=alley_closet&preset=custom&from=2001-01-01&to=2001-01-31"
    )
    assert tab.page.locator(".empty").count() >= 1
    assert i18n.t("en", "no_data") in (tab.page.locator(".empty").first.text_content() or "")


def test_clicking_a_bar_opens_its_rows(tab: Tab, live: LiveServer) -> None:
    tab.page.goto(f"{live.url}/overview?shop=alley_closet&preset=last_7_days&compare=none")
    chart = next(
        b
        for t in page_data(tab)["tabs"]
        if t["id"] == "interaction"
        for b in t["blocks"]
        if b.get("id") == "conversations_by_channel"
    )
    first = chart["rows"][0]
    holder = '[data-chart="conversations_by_channel"]'
    tab.page.locator(f'{holder}[data-rendered="true"]').wait_for()
    bar = tab.page.locator(f"{holder} .barlayer .point path").first
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.6
    tab.page.mouse.move(x - 5, y, steps=2)  # Plotly picks the point on hover, then clicks it
    tab.page.mouse.move(x, y, steps=2)
    tab.page.locator(f"{holder} .hoverlayer .hovertext").first.wait_for()  # the bar is picked
    tab.page.mouse.click(x, y)
    tab.page.wait_for_url("**/conversations?**")
    data = page_data(tab)
    assert data["list"]["total"] == first["conversations"]
    assert parse_qs(urlsplit(tab.page.url).query)["where"] == [f"channel={first['channel']}"]


def test_tables_sort_by_a_clicked_column(tab: Tab, live: LiveServer) -> None:
    tab.page.goto(f"{live.url}/overview?shop=alley_closet&tab=staff&preset=last_30_days")
    table = tab.page.locator('table[data-table="staff"]')
    header = table.locator("th").nth(2)  # conversations handled

    def column() -> list[float]:
        cells = table.locator("tbody tr td:nth-child(3)")
        return [float(c.get_attribute("data-sort") or "nan") for c in cells.all()]

    header.click()
    ascending = column()
    assert ascending == sorted(ascending) and header.get_attribute("aria-sort") == "ascending"
    header.click()
    assert column() == sorted(ascending, reverse=True)
    assert header.get_attribute("aria-sort") == "descending"


def test_sign_in_form_refuses_a_cross_site_post(live: LiveServer) -> None:
    """Without the double-submit token (a forged form on another site), no session."""
    r = httpx.post(
        f"{live.url}/login",
        data={"api_key": ADMIN, "csrf": "guess", "next": "/overview"},
        headers={"Origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert r.status_code == 403
    assert "ss_session" not in r.cookies
    with httpx.Client(base_url=live.url, follow_redirects=False) as c:
        form = c.get("/login")
        token = form.cookies.get("ss_csrf")
        assert token
        bad = c.post("/login", data={"api_key": ADMIN, "csrf": token + "x", "next": "/"})
        assert bad.status_code == 403
        ok = c.post("/login", data={"api_key": ADMIN, "csrf": token, "next": "/overview"})
        assert ok.status_code == 303 and ok.headers["location"] == "/overview"
        assert "ss_session" in ok.cookies
