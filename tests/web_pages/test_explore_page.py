"""The dashboard's Metric explorer (issue 5, page 3): any metric, dimensions, grain, filters,
parameters and comparison — every number is `client.query(...)`'s, every row opens the
list behind it.

One 14-day demo store (three shops, several channels and currencies), served by the real
app for the HTTP checks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from socialscope.client import Client
from socialscope.metrics.registry import REGISTRY
from socialscope.metrics.spec import Unit
from socialscope.web.blocks import PageContext
from socialscope.web.filters import parse_filters
from socialscope.web.pages import explore, load_pages
from tests.web_pages.conftest import AUTH, SHOP, Demo

PERIOD = {"shop": SHOP, "preset": "custom", "from": "2026-03-18", "to": "2026-03-31"}


def make_ctx(
    client: Client, query: Mapping[str, Any], path: str = "/explore", lang: str = "en"
) -> PageContext:
    shops = client.shops()
    page = load_pages()[path]
    filters = parse_filters(query, shops, sorted(shops), extra_keys=page.extra_keys)
    return PageContext(client, filters, lang, shops[filters.shop].get("currency"), sorted(shops))


def explore_page(client: Client, lang: str = "en", **extra: Any) -> dict[str, Any]:
    return explore.build(make_ctx(client, {**PERIOD, **extra}, lang=lang))


def blocks_of(data: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    return [b for b in data["blocks"] if b["kind"] == kind]


def one(data: Mapping[str, Any], kind: str) -> dict[str, Any]:
    found = blocks_of(data, kind)
    assert len(found) == 1, [b["kind"] for b in data["blocks"]]
    return found[0]


def key(row: Mapping[str, Any], dims: Sequence[str]) -> tuple[Any, ...]:
    return tuple(row.get(d) for d in dims)


def follow(url: str) -> tuple[str, dict[str, list[str]]]:
    parts = urlsplit(url)
    return parts.path, parse_qs(parts.query, keep_blank_values=True)


# -- the numbers are the metric layer's -----------------------------------------------------
CASES = [
    # metric, by, grain, where, param
    ("conversations", "", "date", "", ""),
    ("order_count", "source", "none", "", ""),
    ("three_minute_reply_rate", "channel", "week", "", "threshold_s=120"),
    ("sales_amount", "source,channel", "date", "source=live,post", ""),
    (
        "inquiry_conversion_rate",
        "staff_id",
        "month",
        "channel=line,facebook",
        "inquiry_window_h=48",
    ),
    ("first_response_time_median", "", "hour", "", "duration=business"),
    ("aov", "currency", "none", "", ""),
]


@pytest.mark.parametrize(("metric", "by", "grain", "where", "param"), CASES)
def test_table_and_kpi_are_the_query(
    demo: Demo, metric: str, by: str, grain: str, where: str, param: str
) -> None:
    data = explore_page(demo.client, metric=metric, by=by, grain=grain, where=where, param=param)
    assert not blocks_of(data, "error"), blocks_of(data, "error")
    dims = [*([grain] if grain != "none" else []), *[d for d in by.split(",") if d]]
    filters: dict[str, list[str]] = {}
    for pair in filter(None, where.split(";")):
        name, _, values = pair.partition("=")
        filters[name] = values.split(",")
    spec = REGISTRY.get(metric)
    money = spec.unit is Unit.MONEY or metric == "aov"
    if money and "currency" not in dims:
        filters["currency"] = ["TWD"]  # the shop's currency: amounts are never mixed
    params = dict(p.split("=") for p in filter(None, param.split(";")))
    truth = demo.client.query(
        [metric],
        by=dims or None,
        date_from=PERIOD["from"],
        date_to=PERIOD["to"],
        shop=SHOP,
        where=filters,
        compare="previous",
        params=params,
        dense=grain != "none",
    )
    table = one(data, "table")
    assert [c["id"] for c in table["columns"]] == [
        *dims,
        metric,
        f"{metric}__previous",
        f"{metric}__change_pct",
    ]
    expected = {
        key(r, dims): (r[metric], r[f"{metric}__previous"], r[f"{metric}__change_pct"])
        for r in truth.rows
    }
    shown = {
        key(r, dims): (r[metric], r[f"{metric}__previous"], r[f"{metric}__change_pct"])
        for r in table["rows"]
    }
    assert shown == expected
    assert len(table["rows"]) == len(truth.rows) == len(table["links"]) == len(table["display"])

    total = demo.client.query(
        [metric],
        date_from=PERIOD["from"],
        date_to=PERIOD["to"],
        shop=SHOP,
        where={**filters, **({"currency": ["TWD"]} if money else {})},
        compare="previous",
        params=params,
    ).rows[0]
    kpi = one(data, "kpis")["items"][0]
    assert kpi["metric"] == metric
    assert (kpi["value"], kpi["previous"]) == (total[metric], total[f"{metric}__previous"])

    charts = blocks_of(data, "chart")
    assert len(charts) == (1 if dims else 0)
    if charts and by and grain != "none":  # one line per value of the first dimension
        first = by.split(",")[0]
        split = demo.client.query(
            [metric],
            by=[grain, first],
            date_from=PERIOD["from"],
            date_to=PERIOD["to"],
            shop=SHOP,
            where=filters,
            params=params,
        )
        drawn = {key(r, [grain, first]): r[metric] for r in charts[0]["rows"]}
        truth_split = {key(r, [grain, first]): r[metric] for r in split.rows}
        assert drawn and all(truth_split[k] == v for k, v in drawn.items())
        assert len(charts[0]["figure"]["data"]) <= explore.MAX_SERIES


def test_default_is_conversations_by_day(demo: Demo) -> None:
    data = explore_page(demo.client)
    assert data["selection"] == {
        "metric": "conversations",
        "by": [],
        "grain": "date",
        "where": {},
        "params": {},
    }
    assert [b["kind"] for b in data["blocks"]] == ["definition", "kpis", "chart", "table"]
    table = one(data, "table")
    assert len(table["rows"]) == 14
    assert sum(r["conversations"] for r in table["rows"]) == one(data, "kpis")["items"][0]["value"]


def test_page_channels_filter_the_numbers(demo: Demo) -> None:
    query = {**PERIOD, "channel": "line", "metric": "human_conversations", "by": "staff_id"}
    data = explore.build(make_ctx(demo.client, query))
    truth = demo.client.query(
        ["human_conversations"],
        by=["date", "staff_id"],
        date_from=PERIOD["from"],
        date_to=PERIOD["to"],
        shop=SHOP,
        where={"channel": ["line"]},
        compare="previous",
    )
    dims = ["date", "staff_id"]
    rows = {key(r, dims): r["human_conversations"] for r in one(data, "table")["rows"]}
    assert rows == {key(r, dims): r["human_conversations"] for r in truth.rows}


def test_no_comparison(demo: Demo) -> None:
    data = explore_page(demo.client, metric="order_count", by="source", grain="none")
    data_none = explore.build(
        make_ctx(
            demo.client,
            {**PERIOD, "compare": "none", "metric": "order_count", "by": "source", "grain": "none"},
        )
    )
    cols = [c["id"] for c in one(data_none, "table")["columns"]]
    assert cols == ["source", "order_count"]
    values = {r["source"]: r["order_count"] for r in one(data, "table")["rows"]}
    assert {r["source"]: r["order_count"] for r in one(data_none, "table")["rows"]} == values
    rows = one(data_none, "table")["rows"]
    assert [r["order_count"] for r in rows] == sorted(
        (r["order_count"] for r in rows), reverse=True
    )


# -- the definition -------------------------------------------------------------------------
def test_ratio_definition_names_its_parts(demo: Demo) -> None:
    data = explore_page(demo.client, metric="three_minute_reply_rate")
    d = one(data, "definition")
    assert d["numerator"] == "three_minute_good_conversations"
    assert d["denominator"] == "three_minute_eligible_conversations"
    assert "3-minute good conversations / 3-minute eligible conversations" in d["formula"]
    assert d["unit"] == "ratio" and d["better"] == "higher"
    assert d["text"] == REGISTRY.get("three_minute_reply_rate").description
    assert {p["name"]: p["default"] for p in d["params"]} == {
        "threshold_s": 180,
        "duration": "calendar",
    }
    assert all(p["doc"] for p in d["params"])
    assert d["dimensions"] == ["channel", "staff_id"]
    assert d["section"] == "Service quality"


def test_definition_in_another_language(demo: Demo) -> None:
    data = explore_page(demo.client, lang="zh-Hant", metric="aov")
    d = one(data, "definition")
    assert (d["numerator"], d["denominator"]) == ("sales_amount", "order_count")
    assert "/" in d["formula"] and d["title"] != "aov"
    kpi = one(data, "kpis")["items"][0]
    assert kpi["display"].startswith("$") or "NT$" in kpi["display"]


def test_non_ratio_definition(demo: Demo) -> None:
    d = one(explore_page(demo.client, metric="inquiring_customers"), "definition")
    assert "numerator" not in d
    assert d["aggregation"] == "countdistinct"
    assert d["params"] == []


# -- bad selections are error blocks, never exceptions --------------------------------------
@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"metric": "no_such_metric"}, "unknown metric 'no_such_metric'"),
        ({"metric": "conversatons"}, "did you mean conversations"),
        ({"metric": "conversations", "by": "source"}, "cannot be split by 'source'"),
        ({"metric": "order_count", "by": "sauce"}, "unknown dimension 'sauce'"),
        ({"metric": "order_count", "by": "date", "grain": "none"}, "the grain set the time"),
        ({"metric": "order_count", "by": "week"}, "the grain set the time"),
        ({"metric": "order_count", "by": "shop_id"}, "the shop filter the shop"),
        ({"metric": "order_count", "grain": "year"}, "grain: one of"),
        ({"metric": "order_count", "where": "channel"}, "where: expected NAME=VALUE"),
        ({"metric": "order_count", "where": "date=2026-03-20"}, "the period and the grain"),
        ({"metric": "conversations", "where": "source=live"}, "cannot be split by 'source'"),
        ({"metric": "order_count", "param": "threshold_s=60"}, "unknown parameter"),
        ({"metric": "three_minute_reply_rate", "param": "threshold_s=soon"}, "threshold_s"),
        ({"metric": "queue_waiting", "grain": "date"}, "snapshot metrics"),
    ],
)
def test_bad_selection_is_an_error_block(demo: Demo, extra: dict[str, str], message: str) -> None:
    data = explore_page(demo.client, **extra)
    errors = blocks_of(data, "error")
    assert errors, data["blocks"]
    assert message in errors[0]["message"]
    assert not blocks_of(data, "table")
    metric = extra["metric"]
    assert bool(blocks_of(data, "definition")) == (metric in REGISTRY)
    assert data["explorer"]["sections"]  # the form is still there to fix it


def test_snapshot_metric_defaults_to_no_grain(demo: Demo) -> None:
    data = explore_page(demo.client, metric="queue_waiting")
    assert data["selection"]["grain"] == "none"
    assert not blocks_of(data, "error")
    assert one(data, "kpis")["items"][0]["drill"] is None  # no row-level list for it


# -- the form's choices ---------------------------------------------------------------------
def test_form_offers_every_metric_by_section(demo: Demo) -> None:
    data = explore_page(demo.client, metric="order_count")
    form = data["explorer"]
    offered = [m["id"] for s in form["sections"] for m in s["metrics"]]
    assert sorted(offered) == sorted(REGISTRY.ids())
    for section in form["sections"]:
        assert len({REGISTRY.get(m["id"]).section for m in section["metrics"]}) == 1
    assert form["sections"][0]["label"] == "Reception and interaction"
    values = [o["value"] for o in form["by"]]
    dims = REGISTRY.get("order_count").dimensions
    assert values[0] == "" and values[1 : 1 + len(dims)] == list(dims)
    assert "source,channel" in values
    assert [g["value"] for g in form["grains"]] == list(explore.GRAINS)


# -- drill-down links -----------------------------------------------------------------------
def test_row_links_carry_the_slice(demo: Demo) -> None:
    data = explore_page(
        demo.client,
        metric="three_minute_reply_rate",
        by="channel",
        grain="week",
        param="threshold_s=120",
    )
    table = one(data, "table")
    for row, links in zip(table["rows"], table["links"], strict=True):
        url = links["three_minute_reply_rate"]
        assert url is not None
        path, query = follow(url)
        assert path == "/conversations"
        assert sorted(query["where"]) == sorted(
            [f"channel={row['channel']}", "three_minute=failed"]
        )
        assert query["threshold_s"] == ["120"]
        week: date = row["week"]
        start = max(week, date(2026, 3, 18))
        assert query["from"] == [start.isoformat()]
        assert date.fromisoformat(query["to"][0]) <= date(2026, 3, 31)
    kpi = one(data, "kpis")["items"][0]
    _, query = follow(kpi["drill"])
    assert query["where"] == ["three_minute=failed"] and query["threshold_s"] == ["120"]


def test_no_link_where_the_list_cannot_narrow(demo: Demo) -> None:
    # outbound messages by sender: the conversation list has no sender filter
    data = explore_page(demo.client, metric="outbound_messages", by="sender", grain="none")
    table = one(data, "table")
    assert table["rows"] and all(not any(link.values()) for link in table["links"])
    assert all(u is None for u in one(data, "chart")["figure"]["data"][0]["customdata"])
    # an hour bucket: the lists are dated by day
    data = explore_page(demo.client, metric="conversations", grain="hour")
    assert all(link["conversations"] is None for link in one(data, "table")["links"])


def test_rows_without_a_value_open_the_rows_without_it(demo: Demo) -> None:
    data = explore_page(demo.client, metric="order_count", by="channel", grain="none")
    table = one(data, "table")
    none_row = [i for i, r in enumerate(table["rows"]) if r["channel"] is None]
    assert none_row
    _, query = follow(table["links"][none_row[0]]["order_count"])
    assert "channel=" in query["where"]


# -- through the app ------------------------------------------------------------------------
def test_http_html_json_and_exports(demo: Demo) -> None:
    params = {**PERIOD, "metric": "order_count", "by": "source", "grain": "date"}
    html = demo.http.get("/explore", params=params, headers=AUTH)
    assert html.status_code == 200
    assert 'id="explorer"' in html.text and "<optgroup" in html.text
    assert 'value="order_count" selected' in html.text
    assert 'name="by"' in html.text and 'name="grain"' in html.text and 'name="where"' in html.text
    data = demo.http.get("/explore.json", params=params, headers=AUTH).json()
    assert data["page"] == "explore"
    assert [b["kind"] for b in data["blocks"]] == ["definition", "kpis", "chart", "table"]
    csv = demo.http.get("/explore/export/table.csv", params=params, headers=AUTH)
    assert csv.status_code == 200
    lines = csv.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0] == "date,source,order_count,order_count__previous,order_count__change_pct"
    assert len(lines) - 1 == len(next(b for b in data["blocks"] if b["kind"] == "table")["rows"])

    bad = demo.http.get("/explore", params={**PERIOD, "metric": "nope"}, headers=AUTH)
    assert bad.status_code == 200 and "unknown metric" in bad.text
    assert demo.http.get("/explore.json", params={**PERIOD, "metric": "nope"}).status_code == 401


@pytest.mark.parametrize("lang", ["en", "zh-Hant", "zh-Hans", "pl"])
def test_http_every_language(demo: Demo, lang: str) -> None:
    params = {**PERIOD, "metric": "sales_amount", "by": "source", "grain": "week", "lang": lang}
    response = demo.http.get("/explore", params=params, headers=AUTH)
    assert response.status_code == 200
