"""The Social, Traffic & funnels, Attribution and Campaign review pages in a real browser:
they load without console errors, their charts render, a funnel option changes the table,
the language switch relabels them, and they fit a phone screen."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from socialscope.web import i18n
from tests.web.conftest import LiveServer, Tab, open_tab

PAGES = [
    ("social", "/social?shop=alley_closet"),
    ("social-instagram", "/social?shop=alley_closet&channel=instagram"),
    ("funnels", "/funnels?shop=alley_closet"),
    ("funnels-live-by-channel", "/funnels?shop=alley_closet&funnel=live&by=channel"),
    ("attribution", "/attribution?shop=alley_closet"),
    ("campaigns", "/campaigns?shop=alley_closet"),
]


def page_data(tab: Tab) -> dict[str, Any]:
    text = tab.page.locator("#page-data").text_content()
    assert text
    data: dict[str, Any] = json.loads(text)
    return data


def block(data: dict[str, Any], block_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(b for b in data["blocks"] if b.get("id") == block_id)
    return found


def charts_render(tab: Tab) -> int:
    charts = tab.page.locator("[data-chart]")
    for i in range(charts.count()):
        charts.nth(i).locator("svg.main-svg").first.wait_for(timeout=15_000)
        assert charts.nth(i).get_attribute("data-rendered") == "true"
    return int(charts.count())


@pytest.mark.parametrize(("name", "path"), PAGES)
def test_pages_load_and_charts_render(tab: Tab, live: LiveServer, name: str, path: str) -> None:
    response = tab.page.goto(live.url + path)
    assert response is not None and response.status == 200
    tab.page.wait_for_load_state("networkidle")
    assert charts_render(tab) >= 1
    assert tab.page.locator(".error").count() == 0
    assert tab.errors == [], tab.errors
    tab.shot(f"page-{name}")


def test_social_shows_benchmarks_and_the_chosen_live(tab: Tab, live: LiveServer) -> None:
    # the whole demo (35 days), not the default 30: how many lives fall in the last 30 days
    # depends on the weekday of today
    tab.page.goto(f"{live.url}/social?shop=alley_closet&channel=instagram&preset=last_90_days")
    card = tab.page.locator('.kpi[data-metric="engagement_rate_by_followers"]')
    assert "0.47%" in (card.locator(".benchmarks").text_content() or "")
    data = page_data(tab)
    lives = block(data, "lives")["rows"]
    assert len(lives) >= 2
    other = lives[1]["live_id"]
    tab.page.select_option("#options-live_picker select[name=live]", other)
    with tab.page.expect_navigation():
        tab.page.click("#options-live_picker button[type=submit]")
    tab.page.wait_for_load_state("networkidle")
    query = parse_qs(urlsplit(tab.page.url).query)
    assert query["live"] == [other] and query["channel"] == ["instagram"]
    chart = block(page_data(tab), "live_funnel")
    assert chart["rows"][0]["count"] == lives[1]["live_viewers"]
    charts_render(tab)
    assert tab.errors == []


def test_changing_a_funnel_option_changes_the_table(tab: Tab, live: LiveServer) -> None:
    tab.page.goto(f"{live.url}/funnels?shop=alley_closet")
    steps = tab.page.locator('table[data-table="funnel_steps"] tbody tr')
    assert steps.count() == 6  # the social built-in: impression ... purchase
    tab.page.select_option("#options-funnel_options select[name=funnel]", "service")
    tab.page.select_option("#options-funnel_options select[name=by]", "channel")
    with tab.page.expect_navigation():
        tab.page.click("#options-funnel_options button[type=submit]")
    tab.page.wait_for_load_state("networkidle")
    query = parse_qs(urlsplit(tab.page.url).query)
    assert query["funnel"] == ["service"] and query["by"] == ["channel"]
    assert query["shop"] == ["alley_closet"]  # the filters are kept
    assert steps.count() == 3  # inquiry, order, paid
    data = page_data(tab)
    shown = [
        (c.text_content() or "").strip()
        for c in tab.page.locator('table[data-table="funnel_steps"] tbody tr td:nth-child(3)').all()
    ]
    table = block(data, "funnel_steps")
    assert shown == [d["count"] for d in table["display"]]
    assert tab.page.locator('[data-chart="funnel_breakdown"] svg.main-svg').count() >= 1
    charts_render(tab)
    assert tab.errors == []
    tab.shot("funnels-service-by-channel")
    # the funnel options survive a change of the shared filters
    tab.page.select_option("#preset", "last_7_days")
    with tab.page.expect_navigation():
        tab.page.click("#filters button[type=submit]")
    tab.page.wait_for_load_state("networkidle")
    query = parse_qs(urlsplit(tab.page.url).query)
    assert query["funnel"] == ["service"] and query["preset"] == ["last_7_days"]


def test_attribution_options_change_the_models(tab: Tab, live: LiveServer) -> None:
    tab.page.goto(f"{live.url}/attribution?shop=alley_closet")
    form = "#options-attribution_options"
    for model in ("first_touch", "linear", "position_based", "time_decay", "shapley"):
        tab.page.uncheck(f"{form} input[name=models][value={model}]")
    tab.page.check(f"{form} input[name=orders][value='2']")
    tab.page.check(f"{form} input[name=include][value=chat]")
    with tab.page.expect_navigation():
        tab.page.click(f"{form} button[type=submit]")
    tab.page.wait_for_load_state("networkidle")
    data = page_data(tab)
    chart = block(data, "attribution_chart")
    names = [t["name"] for t in chart["figure"]["data"]]
    assert names == [
        i18n.t("en", "model_last_touch"),
        f"{i18n.t('en', 'model_markov')} ({i18n.t('en', 'markov_order', k=1)})",
        f"{i18n.t('en', 'model_markov')} ({i18n.t('en', 'markov_order', k=2)})",
    ]
    charts_render(tab)
    assert tab.errors == []
    tab.shot("attribution-markov-chat")


def test_campaign_review_of_a_live(tab: Tab, live: LiveServer) -> None:
    tab.page.goto(f"{live.url}/campaigns?shop=alley_closet")
    options = block(page_data(tab), "review_options")["fields"][0]["options"]
    lives = [o["value"] for o in options if o["value"].startswith("live:")]
    assert lives
    form = "#options-review_options"
    tab.page.select_option(f"{form} select[name=subject]", lives[-1])
    tab.page.fill(f"{form} input[name=target]", "200000")
    with tab.page.expect_navigation():
        tab.page.click(f"{form} button[type=submit]")
    tab.page.wait_for_load_state("networkidle")
    data = page_data(tab)
    targets = block(data, "review_targets")["rows"]
    assert targets and targets[0]["needed"] is not None
    assert tab.page.locator('table[data-table="review_lift"] tbody tr').count() == len(
        block(data, "review_lift")["rows"]
    )
    assert tab.errors == []
    tab.shot("campaigns-live-target")


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans", "pl"])
def test_language_switch(tab: Tab, live: LiveServer, lang: str) -> None:
    tab.page.goto(f"{live.url}/funnels?shop=alley_closet")
    with tab.page.expect_navigation():
        tab.page.select_option("select[name=lang]", lang)
    tab.page.wait_for_load_state("networkidle")
    assert tab.page.locator("html").get_attribute("lang") == lang
    assert (tab.page.locator("h1").text_content() or "").strip() == i18n.t(lang, "nav_funnels")
    nav = tab.page.locator("nav.pages").text_content() or ""
    for key in ("nav_social", "nav_attribution", "nav_campaigns"):
        assert i18n.t(lang, key) in nav
    charts_render(tab)
    assert tab.errors == []
    tab.shot(f"funnels-{lang}")
    tab.page.goto(f"{live.url}/social?shop=alley_closet")
    assert i18n.metric_label(lang, "reach") in (tab.page.locator(".kpis").text_content() or "")
    tab.shot(f"social-{lang}")


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
        for name, path in (
            ("phone-social", "/social"),
            ("phone-funnels", "/funnels"),
            ("phone-attribution", "/attribution"),
        ):
            t.page.goto(live.url + path)
            t.page.wait_for_load_state("networkidle")
            width = t.page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} scrolls sideways ({width}px)"
            t.shot(name)
        assert t.errors == []
    finally:
        t.page.context.close()
