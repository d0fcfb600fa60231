"""The Traffic & funnels page (/funnels): KPIs are the metric layer's (with the conversion
window from the URL); the funnel block is run_funnel's result for the options in the URL;
bad options are messages; every language renders."""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import date, timedelta

import pytest

from socialscope.funnels import FunnelRequest, run_funnel
from socialscope.funnels.builtin import BUILTINS
from socialscope.funnels.steps import Filter, parse_steps
from socialscope.web import i18n
from socialscope.web.pages import funnels
from tests.web_pages.conftest import AUTH, Demo
from tests.web_pages.pagectx import EMPTY_PERIOD, PERIOD, block, build, errors, kpi_values

KW = {"shop": "alley_closet", "date_from": "2026-03-18", "date_to": "2026-03-31"}
D0, D1 = date(2026, 3, 18), date(2026, 3, 31)


def test_kpis_are_the_metric_layer(demo: Demo) -> None:
    data = build(demo.client, "/funnels", {**PERIOD, "conversion_window_d": "3"})
    counts = demo.client.query(list(funnels.TRAFFIC_KPIS), compare="previous", **KW).rows[0]
    money = demo.client.query(
        list(funnels.PURCHASE_KPIS[2:]), where={"currency": ["TWD"]}, compare="previous", **KW
    ).rows[0]
    rates = demo.client.query(
        list(funnels.PURCHASE_KPIS[:2]),
        params={"conversion_window_d": "3"},
        compare="previous",
        **KW,
    ).rows[0]
    expected = {**counts, **money, **rates}
    got = kpi_values(data)
    metrics = [*funnels.TRAFFIC_KPIS, *funnels.PURCHASE_KPIS]
    assert got == {m: expected[m] for m in metrics}
    items = {i["metric"]: i for b in data["blocks"] if b["kind"] == "kpis" for i in b["items"]}
    # the conversion rate says its window; the static benchmarks sit beside it (2–3 %)
    assert items["conversion_rate"]["label"] == "Conversion rate (3-day window)"
    assert [b["display"] for b in items["conversion_rate"]["benchmarks"]] == ["2–3%"]
    assert [b["display"] for b in items["lead_rate"]["benchmarks"]] == ["3.8%"]
    # a window changes the number the way the metric layer does
    default = build(demo.client, "/funnels", PERIOD)
    seven = demo.client.query(["conversion_rate"], **KW).rows[0]["conversion_rate"]
    assert kpi_values(default)["conversion_rate"] == seven


def test_bad_conversion_window_is_a_notice(demo: Demo) -> None:
    data = build(demo.client, "/funnels", {**PERIOD, "conversion_window_d": "week"})
    assert data["notice"].startswith("conversion_window_d:")
    assert "conversion_window_d" not in data["params"]


def funnel_steps(data: dict[str, object]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = block(data, "funnel_steps")["rows"]  # type: ignore[arg-type]
    return rows


def test_default_funnel_is_the_social_builtin(demo: Demo) -> None:
    data = build(demo.client, "/funnels", PERIOD)
    b = BUILTINS["social"]
    want = run_funnel(
        demo.client, FunnelRequest(b.steps, "alley_closet", D0, D1, unit=b.unit, same=b.same)
    )
    rows = funnel_steps(data)
    assert [r["count"] for r in rows] == [s.count for s in want.overall.steps]
    assert [r["conversion_from_previous"] for r in rows] == [
        s.conversion_from_previous for s in want.overall.steps
    ]
    assert [r["median_s_from_previous"] for r in rows] == [
        s.median_s_from_previous for s in want.overall.steps
    ]
    assert [r["drop_off"] for r in rows] == [s.drop_off for s in want.overall.steps]
    chart = block(data, "funnel_chart")
    assert chart["figure"]["data"][0]["x"] == [s.count for s in want.overall.steps]
    values = block(data, "funnel_value")["rows"]
    assert [(v["currency"], v["total"]) for v in values] == [
        (v.currency, v.total) for v in want.overall.values
    ]


def test_custom_steps_mode_window_counting(demo: Demo) -> None:
    query = {
        **PERIOD,
        "funnel": "custom",
        "steps": "click,add_to_cart,purchase",
        "mode": "strict",
        "window_d": "3",
        "counting": "totals",
    }
    data = build(demo.client, "/funnels", query)
    want = run_funnel(
        demo.client,
        FunnelRequest(
            parse_steps("click,add_to_cart,purchase"),
            "alley_closet",
            D0,
            D1,
            mode="strict",
            window=timedelta(days=3),
            counting="totals",
        ),
    )
    assert [r["count"] for r in funnel_steps(data)] == [s.count for s in want.overall.steps]
    notes = block(data, "funnel_notes")["items"]
    assert notes[0].startswith("Counted per visitor, strictly in order (nothing between), within 3")


def test_breakdown_states_where_the_value_was_taken(demo: Demo) -> None:
    query = {**PERIOD, "funnel": "live", "by": "channel", "breakdown_at": "last"}
    data = build(demo.client, "/funnels", query)
    b = BUILTINS["live"]
    want = run_funnel(
        demo.client,
        FunnelRequest(
            b.steps,
            "alley_closet",
            D0,
            D1,
            unit=b.unit,
            same=b.same,
            by="channel",
            breakdown_at="last",
        ),
    )
    table = block(data, "funnel_breakdown_table")
    assert [(r["channel"], r["entries"], r["completed"]) for r in table["rows"]] == [
        (p.value, p.steps[0].count, p.steps[-1].count) for p in want.breakdown
    ]
    title = "By Channel (value taken at the last step reached)"
    assert table["title"] == title and block(data, "funnel_breakdown")["title"] == title
    assert title in block(data, "funnel_notes")["items"]
    chart = block(data, "funnel_breakdown")
    assert chart["figure"]["layout"]["barmode"] == "group"
    assert len(chart["figure"]["data"]) == min(len(want.breakdown), funnels.BREAKDOWN_BARS)


def test_channel_filter_narrows_the_entry_step(demo: Demo) -> None:
    data = build(demo.client, "/funnels", {**PERIOD, "channel": "instagram"})
    b = BUILTINS["social"]
    entry = replace(b.steps[0], filters=(Filter("channel", "in", ("instagram",)),))
    want = run_funnel(
        demo.client, FunnelRequest((entry, *b.steps[1:]), "alley_closet", D0, D1, unit=b.unit)
    )
    assert [r["count"] for r in funnel_steps(data)] == [s.count for s in want.overall.steps]
    assert "Channel filter: step 1 must be on instagram." in block(data, "funnel_notes")["items"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"funnel": "magic"}, "funnel: no built-in 'magic'"),
        ({"funnel": "custom"}, "steps: write the steps"),
        ({"funnel": "custom", "steps": "click,teleport"}, "unknown funnel event 'teleport'"),
        ({"window_d": "soon"}, "window_d: not a number of days"),
        ({"window_d": "0"}, "window_d: the window must be more than 0"),
        ({"mode": "sideways"}, "mode must be one of ordered, strict, any"),
        ({"funnel": "service", "by": "campaign"}, "no step of this funnel has the dimension"),
    ],
)
def test_bad_options_are_messages(demo: Demo, query: dict[str, str], message: str) -> None:
    data = build(demo.client, "/funnels", {**PERIOD, **query})
    assert len(errors(data)) == 1 and message in errors(data)[0]
    assert block(data, "funnel_options")["kind"] == "options"  # the form stays to fix it
    r = demo.http.get("/funnels", params={**PERIOD, **query}, headers=AUTH)
    assert r.status_code == 200 and 'role="alert"' in r.text


def test_empty_period(demo: Demo) -> None:
    data = build(demo.client, "/funnels", EMPTY_PERIOD)
    assert errors(data) == []
    assert block(data, "funnel_chart")["empty"] and block(data, "funnel_steps")["empty"]
    assert all(b["empty"] for b in data["blocks"] if b["kind"] == "kpis")


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_every_language_renders(demo: Demo, lang: str) -> None:
    r = demo.http.get("/funnels", params={**PERIOD, "lang": lang}, headers=AUTH)
    assert r.status_code == 200
    assert html.escape(i18n.t(lang, "nav_funnels")) in r.text
    assert i18n.t(lang, "funnel_event_add_to_cart") in r.text


def test_json_twin_and_export(demo: Demo) -> None:
    query = {**PERIOD, "funnel": "social", "by": "channel"}
    r = demo.http.get("/funnels.json", params=query, headers=AUTH)
    assert r.status_code == 200
    data = r.json()
    assert data["filters"]["by"] == "channel"  # options are kept with the filters
    rows = block(data, "funnel_breakdown_table")["rows"]
    x = demo.http.get("/funnels/export/funnel_breakdown_table.csv", params=query, headers=AUTH)
    assert x.status_code == 200
    assert len(x.content.decode("utf-8-sig").strip().splitlines()) == 1 + len(rows)
