"""The Products page (/products) over the 14-day demo store: its numbers are the runner's
(and so the registered metrics'), its options filter, bad options are messages, every
language renders, the JSON twin and exports work."""

from __future__ import annotations

import csv
import io

import pytest

from socialscope.web import i18n
from socialscope.web.pages import products as page
from tests.web_pages.conftest import AUTH, Demo, demo  # noqa: F401 - the module fixture
from tests.web_pages.pagectx import EMPTY_PERIOD, PERIOD, block, build, errors, kpi_values

KW = {"shop": "alley_closet", "date_from": "2026-03-18", "date_to": "2026-03-31"}


def test_numbers_are_the_runner_and_the_metric_layer(demo: Demo) -> None:  # noqa: F811
    data = build(demo.client, "/products", {**PERIOD, "compare": "previous"})
    assert errors(data) == []
    currency = demo.client.shops()["alley_closet"]["currency"]
    result = demo.client.products(**KW, compare="previous", currency=currency, limit=50)
    kpis = kpi_values(data)
    assert kpis == {m: result.totals[m] for m in page.KPIS}
    # the traffic KPIs are plain registered metrics (no currency involved)
    direct = demo.client.query(["exposure_users", "product_click_users"], **KW).rows[0]
    assert kpis["exposure_users"] == direct["exposure_users"] > 0
    assert kpis["product_click_users"] == direct["product_click_users"] > 0
    # GMV in the shop currency: the registered metric with that currency filter
    gmv = demo.client.query(["product_gmv"], where={"currency": [currency]}, **KW).rows[0]
    assert kpis["product_gmv"] == gmv["product_gmv"] > 0
    rows = block(data, "products")["rows"]
    assert [r["product_id"] for r in rows] == [r.key for r in result.rows]
    assert rows[0]["product_buyers"] == result.rows[0].funnel[-1].count
    by_source = block(data, "products_by_source")["rows"]
    assert {r["traffic_source"] for r in by_source} >= {"search", "recommendation"}
    chart = block(data, "products_funnel")
    assert [r["count"] for r in chart["rows"]] == [result.totals[m] for m in page.STEP_METRICS]


def test_options_filter_the_page(demo: Demo) -> None:  # noqa: F811
    data = build(demo.client, "/products", {**PERIOD, "source": "search", "by": "category"})
    assert errors(data) == []
    rows = block(data, "products_by_source")["rows"]
    assert rows and {r["traffic_source"] for r in rows} == {"search"}
    assert "category" in block(data, "products")["rows"][0]
    direct = demo.client.query(
        ["product_click_users"], where={"traffic_source": ["search"]}, **KW
    ).rows[0]
    assert kpi_values(data)["product_click_users"] == direct["product_click_users"]


def test_bad_options_are_messages(demo: Demo) -> None:  # noqa: F811
    for bad, word in (({"sort": "nope"}, "sort"), ({"min_click_users": "x"}, "min_click_users")):
        data = build(demo.client, "/products", {**PERIOD, **bad})
        [message] = errors(data)
        assert word in message


def test_empty_period(demo: Demo) -> None:  # noqa: F811
    data = build(demo.client, "/products", EMPTY_PERIOD)
    kpis = next(b for b in data["blocks"] if b["kind"] == "kpis")
    assert kpis["empty"] is True
    assert block(data, "products")["empty"] is True


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_every_language_renders(demo: Demo, lang: str) -> None:  # noqa: F811
    r = demo.http.get("/products", params={**PERIOD, "lang": lang}, headers=AUTH)
    assert r.status_code == 200
    assert i18n.t(lang, "nav_products") in r.text
    assert i18n.metric_label(lang, "uv_value") in r.text
    assert i18n.t(lang, "col_gmv_channel") in r.text


def test_json_twin_and_export(demo: Demo) -> None:  # noqa: F811
    r = demo.http.get("/products.json", params=PERIOD, headers=AUTH)
    assert r.status_code == 200
    ids = [b.get("id") for b in r.json()["blocks"]]
    assert ids[:1] == ["products_options"]
    assert {"products_funnel", "products", "products_by_source"} <= set(ids)
    rows = block(r.json(), "products")["rows"]
    out = demo.http.get("/products/export/products.csv", params=PERIOD, headers=AUTH)
    assert out.status_code == 200
    exported = list(csv.DictReader(io.StringIO(out.content.decode("utf-8-sig"))))
    assert [e["product_id"] for e in exported] == [x["product_id"] for x in rows]
