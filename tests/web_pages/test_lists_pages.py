"""The drill-down lists (issue 5, page 4): `/conversations` and `/orders` hold exactly
`client.conversations(...)` / `client.orders(...)`'s rows, export exactly what they show,
and — following the link behind a number — count exactly that number.

One 14-day demo store (three shops, several channels and currencies), served by the real
app for the HTTP checks.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from socialscope.client import Client
from socialscope.web.blocks import PageContext, kpis
from socialscope.web.drill import drill_url
from socialscope.web.filters import parse_filters
from socialscope.web.pages import explore, lists, load_pages
from tests.web_pages.conftest import AUTH, SHOP, Demo

FROM, TO = "2026-03-18", "2026-03-31"
PERIOD = {"shop": SHOP, "preset": "custom", "from": FROM, "to": TO}


def make_ctx(client: Client, query: Mapping[str, Any], path: str) -> PageContext:
    shops = client.shops()
    page = load_pages()[path]
    filters = parse_filters(query, shops, sorted(shops), extra_keys=page.extra_keys)
    return PageContext(client, filters, "en", shops[filters.shop].get("currency"), sorted(shops))


def open_list(client: Client, path: str, **extra: Any) -> dict[str, Any]:
    ctx = make_ctx(client, {**PERIOD, **extra}, path)
    return lists.build_list(ctx, path.strip("/"))


def follow(client: Client, url: str) -> dict[str, Any]:
    """Open a drill link as the app does: its query as a multi-dict, through the filters."""
    parts = urlsplit(url)
    multi = parse_qs(parts.query, keep_blank_values=True)
    query = {k: v if len(v) > 1 else v[0] for k, v in multi.items()}
    return lists.build_list(make_ctx(client, query, parts.path), parts.path.strip("/"))


def rows_block(data: Mapping[str, Any]) -> dict[str, Any]:
    found = [b for b in data["blocks"] if b.get("id") == "rows"]
    assert len(found) == 1, data["blocks"]
    return found[0]


def errors(data: Mapping[str, Any]) -> list[str]:
    return [b["message"] for b in data["blocks"] if b["kind"] == "error"]


# -- the rows are the drill-down's ----------------------------------------------------------
def test_conversations_are_the_drilldown_rows(demo: Demo) -> None:
    data = open_list(
        demo.client,
        "/conversations",
        where="three_minute=failed;channel=line,facebook",
        threshold_s="120",
        metric="three_minute_reply_rate",
        limit="10000",
    )
    truth = demo.client.conversations(
        SHOP,
        FROM,
        TO,
        where={"three_minute": "failed", "channel": ["line", "facebook"]},
        params={"threshold_s": "120"},
    )
    block = rows_block(data)
    assert [c["id"] for c in block["columns"]] == list(truth.columns)
    assert block["rows"] == truth.rows
    assert data["list"]["total"] == len(truth) > 0
    assert data["list"]["truncated"] is False and data["notice"] is None
    assert data["title"] == "Conversations · 3-minute reply rate"
    definition = next(b for b in data["blocks"] if b["kind"] == "definition")
    assert "3-minute rule: Failed" in definition["formula"]
    assert "Channel: LINE, Facebook" in definition["formula"]
    assert "threshold_s = 120" in definition["formula"]
    # a stricter threshold fails more conversations: the parameter reaches the rows
    default = open_list(demo.client, "/conversations", where="three_minute=failed")
    assert (
        default["list"]["total"]
        < open_list(demo.client, "/conversations", where="three_minute=failed", threshold_s="60")[
            "list"
        ]["total"]
    )


def test_orders_are_the_drilldown_rows(demo: Demo) -> None:
    data = open_list(demo.client, "/orders", where="source=live,post;paid=true", limit="10000")
    truth = demo.client.orders(SHOP, FROM, TO, where={"source": ["live", "post"], "paid": "true"})
    block = rows_block(data)
    assert block["rows"] == truth.rows and len(truth) > 0
    assert data["title"] == "Orders"
    # the amounts are shown in each order's own currency
    usd = open_list(demo.client, "/orders", where="currency=USD")
    shown = rows_block(usd)
    assert shown["rows"] and all(d["amount"].startswith("$") for d in shown["display"])


def test_page_channels_and_where_channels_both_hold(demo: Demo) -> None:
    both = open_list(demo.client, "/conversations", channel="line", where="channel=line,facebook")
    line = demo.client.conversations(SHOP, FROM, TO, where={"channel": "line"})
    assert data_ids(both) == [r["conversation_id"] for r in line.rows[:500]]
    assert both["list"]["total"] == len(line)
    none = open_list(demo.client, "/conversations", channel="tiktok", where="channel=line")
    assert none["list"]["total"] == 0 and rows_block(none)["empty"] is True


def data_ids(data: Mapping[str, Any]) -> list[str]:
    return [r["conversation_id"] for r in rows_block(data)["rows"]]


def test_limit(demo: Demo) -> None:
    data = open_list(demo.client, "/orders", limit="5")
    everything = demo.client.orders(SHOP, FROM, TO)
    assert rows_block(data)["rows"] == everything.rows[:5]
    assert data["list"] | {"where": None} == {
        "kind": "orders",
        "metric": None,
        "where": None,
        "params": {},
        "total": len(everything),
        "shown": 5,
        "limit": 5,
        "truncated": True,
    }
    assert data["notice"] == f"Showing the first 5 of {len(everything)} rows"
    assert open_list(demo.client, "/orders")["list"]["shown"] == min(500, len(everything))
    for bad in ("0", "10001", "many"):
        assert "limit" in errors(open_list(demo.client, "/orders", limit=bad))[0]


@pytest.mark.parametrize(
    ("path", "extra", "message"),
    [
        ("/orders", {"where": "three_minute=failed"}, "cannot filter on 'three_minute'"),
        ("/conversations", {"where": "paid=true"}, "cannot filter on 'paid'"),
        ("/conversations", {"where": "three_minute=late"}, "three_minute is one of"),
        ("/orders", {"where": "paid=perhaps"}, "paid is true or false"),
        ("/orders", {"where": "paid"}, "expected NAME=VALUE"),
        ("/conversations", {"threshold_s": "soon"}, "threshold_s"),
    ],
)
def test_bad_filters_are_error_blocks(
    demo: Demo, path: str, extra: dict[str, str], message: str
) -> None:
    data = open_list(demo.client, path, **extra)
    assert message in errors(data)[0]


def test_unknown_metric_only_drops_the_heading(demo: Demo) -> None:
    data = open_list(demo.client, "/orders", metric="no_such_metric", limit="3")
    assert data["title"] == "Orders" and not errors(data)


# -- links between the lists ----------------------------------------------------------------
def test_order_links_open_its_conversation_and_back(demo: Demo) -> None:
    data = open_list(demo.client, "/orders", where="source=message_center", limit="10000")
    block = rows_block(data)
    linked = [
        (row, links)
        for row, links in zip(block["rows"], block["links"], strict=True)
        if row["conversation_id"]
    ]
    assert linked
    for row, links in linked[:5]:
        assert set(links) == {"conversation_id"}
        conv = follow(demo.client, links["conversation_id"])
        assert data_ids(conv) == [row["conversation_id"]]
        back = rows_block(conv)["links"][0]
        if not row["cancelled"]:
            orders = follow(demo.client, back["order_ids"])
            assert row["order_id"] in [r["order_id"] for r in rows_block(orders)["rows"]]


def test_conversation_links_open_all_its_orders(demo: Demo) -> None:
    data = open_list(demo.client, "/conversations", limit="10000")
    block = rows_block(data)
    many = [
        (row, links)
        for row, links in zip(block["rows"], block["links"], strict=True)
        if row["order_ids"]
    ]
    assert many
    for row, links in many[:5]:
        orders = follow(demo.client, links["order_ids"])
        assert [r["order_id"] for r in rows_block(orders)["rows"]] == row["order_ids"]
    assert all(
        not links
        for row, links in zip(block["rows"], block["links"], strict=True)
        if not row["order_ids"]
    )


# -- the key property: the list behind a number has that many rows ---------------------------
COUNTS = [
    pytest.param("conversations", {}, id="conversations"),
    pytest.param("human_conversations", {}, id="human_conversations"),
    pytest.param("order_count", {}, id="order_count"),
    pytest.param("paid_order_count", {}, id="paid_order_count"),
    pytest.param("silent_orders", {}, id="silent_orders"),
    pytest.param("silent_unpaid_orders", {}, id="silent_unpaid"),
    pytest.param("unreplied_conversations", {}, id="unreplied_conversations"),
    pytest.param("conversations", {"channel": "line"}, id="conversations-line"),
    pytest.param("order_count", {"channel": "line"}, id="order_count-line"),
]


@pytest.mark.parametrize(("metric", "page"), COUNTS)
def test_kpi_drill_list_counts_the_kpi(demo: Demo, metric: str, page: dict[str, str]) -> None:
    ctx = make_ctx(demo.client, {**PERIOD, **page}, "/explore")
    item = kpis(ctx, [metric])["items"][0]
    listed = follow(demo.client, item["drill"])
    assert not errors(listed)
    assert listed["list"]["total"] == item["value"] > 0
    assert listed["title"].endswith(item["label"])


def test_three_minute_failed_list_is_eligible_minus_good(demo: Demo) -> None:
    ctx = make_ctx(demo.client, PERIOD, "/explore")
    values = {
        i["metric"]: i["value"]
        for i in kpis(
            ctx,
            ["three_minute_eligible_conversations", "three_minute_good_conversations"],
        )["items"]
    }
    item = kpis(ctx, ["three_minute_reply_rate"])["items"][0]
    failed = follow(demo.client, item["drill"])
    expected = (
        values["three_minute_eligible_conversations"] - values["three_minute_good_conversations"]
    )
    assert failed["list"]["total"] == expected > 0
    good = follow(demo.client, drill_url("three_minute_good_conversations", ctx.filters) or "")
    assert good["list"]["total"] == values["three_minute_good_conversations"]


def test_explorer_rows_open_lists_of_their_size(demo: Demo) -> None:
    """Each row of the explorer's table (order_count by channel, by day) opens that many
    orders: the slice (a channel, or no channel at all), the day and the metric's own
    condition (not cancelled) all reach the list."""
    ctx = make_ctx(
        demo.client,
        {**PERIOD, "metric": "conversations", "by": "channel", "grain": "week"},
        "/explore",
    )
    table = next(b for b in explore.build(ctx)["blocks"] if b["kind"] == "table")
    checked = 0
    for row, links in zip(table["rows"], table["links"], strict=True):
        if not row["conversations"]:
            continue
        listed = follow(demo.client, links["conversations"])
        assert listed["list"]["total"] == row["conversations"], row
        checked += 1
    assert checked >= 4


def test_explorer_order_rows_open_lists_of_their_size(demo: Demo) -> None:
    ctx = make_ctx(
        demo.client,
        {**PERIOD, "metric": "order_count", "by": "channel", "grain": "none"},
        "/explore",
    )
    table = next(b for b in explore.build(ctx)["blocks"] if b["kind"] == "table")
    assert any(r["channel"] is None for r in table["rows"])  # web orders: no channel
    for row, links in zip(table["rows"], table["links"], strict=True):
        listed = follow(demo.client, links["order_count"])
        assert listed["list"]["total"] == row["order_count"], row


# -- through the app ------------------------------------------------------------------------
def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return str(value)
    return str(value)


def test_http_json_html_and_exports(demo: Demo) -> None:
    query = {**PERIOD, "where": "source=live,post;cancelled=false", "limit": "50"}
    response = demo.http.get("/orders.json", params=query, headers=AUTH)
    assert response.status_code == 200
    data = response.json()
    assert data["page"] == "orders" and data["list"]["shown"] == 50
    rows = rows_block(data)["rows"]
    truth = demo.client.orders(
        SHOP, FROM, TO, where={"source": ["live", "post"], "cancelled": "false"}, limit=50
    )
    assert [r["order_id"] for r in rows] == [r["order_id"] for r in truth.rows]

    csv = demo.http.get("/orders/export/rows.csv", params=query, headers=AUTH)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    import csv as csv_module

    table = list(csv_module.reader(io.StringIO(csv.content.decode("utf-8-sig"))))
    columns = [c["id"] for c in rows_block(data)["columns"]]
    assert table[0] == columns
    assert table[1:] == [[_csv_cell(r[c]) for c in columns] for r in rows]

    xlsx = demo.http.get("/orders/export/rows.xlsx", params=query, headers=AUTH)
    assert xlsx.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content), read_only=True).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == columns and len(values) == 51
    assert [v[columns.index("order_id")] for v in values[1:]] == [r["order_id"] for r in rows]

    html = demo.http.get("/orders", params=query, headers=AUTH)
    assert html.status_code == 200
    assert 'data-table="rows"' in html.text
    assert "/orders/export/rows.csv?" in html.text
    nav = html.text.split('<nav class="pages"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/orders' not in nav and 'href="/conversations' not in nav  # hidden pages

    conversations = demo.http.get(
        "/conversations.json",
        params={**PERIOD, "where": "three_minute=failed", "metric": "three_minute_reply_rate"},
        headers=AUTH,
    ).json()
    truth_c = demo.client.conversations(SHOP, FROM, TO, where={"three_minute": "failed"})
    assert conversations["list"]["total"] == len(truth_c)
    assert conversations["title"] == "Conversations · 3-minute reply rate"
    assert demo.http.get("/conversations.json", params=PERIOD).status_code == 401


def test_http_repeated_where_from_a_drill_link(demo: Demo) -> None:
    url = drill_url("paid_order_count", make_ctx(demo.client, PERIOD, "/orders").filters)
    assert url is not None and url.count("where=") == 2
    data = demo.http.get(url.replace("/orders?", "/orders.json?"), headers=AUTH).json()
    paid = demo.client.query(["paid_order_count"], date_from=FROM, date_to=TO, shop=SHOP)
    assert data["list"]["total"] == paid.rows[0]["paid_order_count"]


@pytest.mark.parametrize("lang", ["en", "zh-Hant", "zh-Hans", "pl"])
def test_http_every_language(demo: Demo, lang: str) -> None:
    for path in ("/conversations", "/orders"):
        response = demo.http.get(
            path,
            params={**PERIOD, "limit": "20", "lang": lang, "metric": "order_count"},
            headers=AUTH,
        )
        assert response.status_code == 200


def test_repeated_where_keys_are_all_kept() -> None:
    """Drill links repeat `where`; every condition must survive the shared filters."""
    f = parse_filters(
        {"shop": "s", "where": ["a=1", "b=2"]}, {"s": {}}, ["s"], extra_keys=("where",)
    )
    assert lists.parse_where(f.extra.get("where")) == {"a": ["1"], "b": ["2"]}


def test_breakdown_bar_without_a_value_opens_the_rows_without_one(demo: Demo) -> None:
    """Orders with no social channel (web, pos...) are a bar of their own: its link lists
    exactly those orders, not every order."""
    from socialscope.web.blocks import breakdown_chart

    ctx = make_ctx(demo.client, {**PERIOD, "compare": "none"}, "/overview")
    chart = breakdown_chart(ctx, "orders_by_channel", "order_count", "channel")
    trace = chart["figure"]["data"][0]
    nulls = [i for i, row in enumerate(chart["rows"]) if row["channel"] is None]
    assert nulls, "the demo has orders without a channel"
    i = nulls[0]
    listed = follow(demo.client, trace["customdata"][i])
    assert listed["list"]["total"] == chart["rows"][i]["order_count"]
    assert all(r["channel"] is None for r in rows_block(listed)["rows"])
