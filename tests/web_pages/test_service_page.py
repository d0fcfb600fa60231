"""The dashboard's Customer service page (issue 5, page 2).

Two stores: the hand-worked service seed (tests/service/seeds/service — the values
checked here are worked out by hand in tests/service/test_service_seed.py and in the
comments below) and a 14-day demo store (three shops, several channels and currencies)
for "every number is the metric layer's".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

import socialscope
from socialscope.client import Client
from socialscope.demo.generate import DemoConfig, generate_demo
from socialscope.metrics.registry import REGISTRY
from socialscope.metrics.spec import Ratio, Unit
from socialscope.web.blocks import PageContext
from socialscope.web.filters import parse_filters
from socialscope.web.pages import PAGES, load_pages, service

SEED = Path(__file__).parents[1] / "service" / "seeds" / "service"
DEMO_END = date(2026, 3, 31)
D4 = {"shop": "taipei_shop", "preset": "custom", "from": "2026-05-04", "to": "2026-05-04"}
TABS = ["reception", "speed", "conversion_loss", "satisfaction"]


# -- fixtures ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    db = tmp_path_factory.mktemp("service_page") / "seed.duckdb"
    with socialscope.connect(db) as client:
        client.ingest([SEED])
        yield client


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    db = tmp_path_factory.mktemp("service_page") / "demo.duckdb"
    with socialscope.connect(db) as client:
        client.ingest_arrow(generate_demo(DemoConfig(seed=7, days=14, end_date=DEMO_END)))
        yield client


def make_ctx(client: Client, query: Mapping[str, Any], lang: str = "en") -> PageContext:
    """The page's context for a URL query (every tab computed unless the query names one)."""
    query = {"tab": "all", **query}
    shops = client.shops()
    page = load_pages()["/customer-service"]
    filters = parse_filters(query, shops, sorted(shops), extra_keys=page.extra_keys)
    return PageContext(client, filters, lang, shops[filters.shop].get("currency"), sorted(shops))


def demo_query(**extra: Any) -> dict[str, Any]:
    return {
        "shop": "alley_closet",
        "preset": "custom",
        "from": "2026-03-25",
        "to": "2026-03-31",
        **extra,
    }


# -- helpers -----------------------------------------------------------------------------------
def tab(data: Mapping[str, Any], tab_id: str) -> list[dict[str, Any]]:
    for t in data["tabs"]:
        if t["id"] == tab_id:
            blocks: list[dict[str, Any]] = t["blocks"]
            return blocks
    raise AssertionError(f"no tab {tab_id}")


def all_blocks(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [b for t in data["tabs"] for b in t["blocks"]]


def block(data: Mapping[str, Any], block_id: str) -> dict[str, Any]:
    for b in all_blocks(data):
        if b.get("id") == block_id:
            return b
    raise AssertionError(f"no block {block_id}")


def cards(data: Mapping[str, Any], tab_id: str | None = None) -> dict[str, dict[str, Any]]:
    blocks = tab(data, tab_id) if tab_id else all_blocks(data)
    return {i["metric"]: i for b in blocks if b["kind"] == "kpis" for i in b["items"]}


def is_money(metric: str) -> bool:
    spec = REGISTRY.get(metric)
    if isinstance(spec.agg, Ratio):
        return is_money(spec.agg.numerator) or is_money(spec.agg.denominator)
    return spec.unit is Unit.MONEY


def expected(
    client: Client,
    ctx: PageContext,
    metric: str,
    by: str | None = None,
    params: Mapping[str, Any] | None = None,
) -> Any:
    """The metric layer's own answer for the page's filters, asked independently."""
    spec = REGISTRY.get(metric)
    dims = REGISTRY.all_dimensions(spec)
    where: dict[str, list[str]] = {}
    f = ctx.filters
    if f.channels and "channel" in dims:
        where["channel"] = list(f.channels)
    if is_money(metric) and ctx.currency:
        where["currency"] = [ctx.currency]
    known = {p.name for p in spec.params}
    if isinstance(spec.agg, Ratio):
        for part in (spec.agg.numerator, spec.agg.denominator):
            known |= {p.name for p in REGISTRY.get(part).params}
    return client.query(
        [metric],
        by=[by] if by else None,
        date_from=f.date_from,
        date_to=f.date_to,
        shop=f.shop,
        where=where,
        compare=f.compare_mode if by is None else None,
        params={k: v for k, v in (params or {}).items() if k in known} or None,
        dense=by is None,
    ).rows


def link_where(url: str) -> tuple[str, dict[str, str], dict[str, list[str]]]:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    where = dict(w.split("=", 1) for w in query.get("where", []))
    return parts.path, where, query


# -- structure ---------------------------------------------------------------------------------
def test_page_is_registered() -> None:
    page = load_pages()["/customer-service"]
    assert PAGES["/customer-service"] is page
    assert page.title_key == "nav_customer_service"
    assert {"tab", "threshold_s", "duration"} <= set(page.extra_keys)


def test_tabs_and_blocks(demo: Client) -> None:
    data = service.build(make_ctx(demo, demo_query()))
    assert [t["id"] for t in data["tabs"]] == TABS
    assert data["active_tab"] == "reception"
    assert all(t["loaded"] for t in data["tabs"])
    for t in data["tabs"]:
        kinds = [b["kind"] for b in t["blocks"]]
        assert "error" not in kinds, [b for b in t["blocks"] if b["kind"] == "error"]
        assert kinds[0] == "kpis"
        assert "chart" in kinds and "table" in kinds
        ids = {b.get("id") for b in t["blocks"]}
        assert {f"{t['id']}_by_staff", f"{t['id']}_by_channel"} <= ids
    ids = [b["id"] for b in all_blocks(data) if "id" in b]
    assert len(ids) == len(set(ids)), "block ids are unique on the page (exports find them)"
    assert {"lost_by_rounds_bucket", "lost_by_duration_bucket", "lost_by_category"} <= set(ids)
    assert block(data, "failed_3min")["kind"] == "table"
    # one tab at a time: the others are listed, not computed
    speed = service.build(make_ctx(demo, demo_query(tab="speed")))
    assert speed["active_tab"] == "speed"
    assert [t["id"] for t in speed["tabs"] if t["loaded"]] == ["speed"]
    assert [t["blocks"] == [] for t in speed["tabs"]] == [True, False, True, True]
    assert block(speed, "failed_3min") == block(data, "failed_3min")
    other = service.build(make_ctx(demo, demo_query(tab="nope")))
    assert other["active_tab"] == "reception"
    assert [t["id"] for t in other["tabs"] if t["loaded"]] == ["reception"]


# -- every number is the metric layer's --------------------------------------------------------
@pytest.mark.parametrize("channel", [None, "facebook"])
def test_every_kpi_is_the_metric_layer(demo: Client, channel: str | None) -> None:
    q = demo_query(**({"channel": channel} if channel else {}))
    ctx = make_ctx(demo, q)
    data = service.build(ctx)
    items = cards(data)
    assert len(items) >= 25
    for metric, item in items.items():
        row = expected(demo, ctx, metric)[0]
        assert item["value"] == row[metric], metric
        assert item["previous"] == row[f"{metric}__previous"], metric
        assert item["change_pct"] == row[f"{metric}__change_pct"], metric
        assert item["unit"] == REGISTRY.get(metric).unit.value


def test_tables_and_charts_are_the_metric_layer(demo: Client) -> None:
    ctx = make_ctx(demo, demo_query())
    data = service.build(ctx)
    staff = block(data, "speed_by_staff")
    truth = {r["staff_id"]: r for r in expected(demo, ctx, "three_minute_reply_rate", "staff_id")}
    assert staff["rows"], "the demo shop has staff"
    for r in staff["rows"]:
        assert r["three_minute_reply_rate"] == truth[r["staff_id"]]["three_minute_reply_rate"]
    money = block(data, "conversion_loss_by_channel")
    truth = {r["channel"]: r for r in expected(demo, ctx, "inquiry_order_amount", "channel")}
    for r in money["rows"]:
        assert r["inquiry_order_amount"] == truth[r["channel"]]["inquiry_order_amount"]
    lost = block(data, "lost_by_rounds_bucket")
    truth = {
        r["rounds_bucket"]: r
        for r in expected(demo, ctx, "inquiry_lost_customers", "rounds_bucket")
    }
    assert [r["rounds_bucket"] for r in lost["rows"]] == ["1", "2", "3-5", "6+"]  # ordinal
    for r in lost["rows"]:
        assert r["inquiry_lost_customers"] == truth[r["rounds_bucket"]]["inquiry_lost_customers"]
    trend = block(data, "reception_trend")
    truth_rows = expected(demo, ctx, "inquiring_customers", "date")
    assert [r["inquiring_customers"] for r in trend["rows"]] == [
        r["inquiring_customers"] for r in truth_rows
    ]


def test_money_is_in_the_shop_currency(demo: Client) -> None:
    # alley_closet takes a few USD orders beside TWD: amounts are TWD only, counts are all
    ctx = make_ctx(demo, demo_query())
    assert ctx.currency == "TWD"
    items = cards(service.build(ctx), "conversion_loss")
    twd = demo.query(
        ["inquiry_order_amount"],
        date_from=ctx.filters.date_from,
        date_to=ctx.filters.date_to,
        shop="alley_closet",
        where={"currency": ["TWD"]},
    ).rows[0]["inquiry_order_amount"]
    assert items["inquiry_order_amount"]["value"] == twd
    every = demo.query(
        ["inquiry_orders"],
        date_from=ctx.filters.date_from,
        date_to=ctx.filters.date_to,
        shop="alley_closet",
    ).rows[0]["inquiry_orders"]
    assert items["inquiry_orders"]["value"] == every


# -- hand-checked on the service seed (taipei_shop, 2026-05-04) --------------------------------
def test_hand_checked_values(seed: Client) -> None:
    data = service.build(make_ctx(seed, D4))
    rec, speed, sat = cards(data, "reception"), cards(data, "speed"), cards(data, "satisfaction")
    # customers with a customer message on 05-04: U01 U02 F03 F04 U05 F06 I07 U08 U09 U10
    # I11 (23:00) F12 -> 12; with an agent message on 05-04: U01 U02 F03 I07 U08 U09 U10 F12
    # (I11's answer is at 00:02 on 05-05) -> 8; human conversations: c01-c12 but the
    # bot-only c04 -> 11; customer message rows: 3+1+4+2+2+1+2+1+1+1+1+2 = 21
    assert rec["inquiring_customers"]["value"] == 12
    assert rec["served_customers"]["value"] == 8
    assert rec["human_conversations"]["value"] == 11
    assert rec["inbound_messages"]["value"] == 21
    # tests/service/test_service_seed.py: 3-minute 5/9, first response mean 4592/9,
    # SLA 6/11, slow rounds 3 (181, 210, 3720), unanswered rounds 2 (c05, c06), unreplied 2
    assert speed["three_minute_reply_rate"]["value"] == pytest.approx(5 / 9)
    assert speed["first_response_time_avg"]["value"] == pytest.approx(4592 / 9)
    assert speed["sla_attainment"]["value"] == pytest.approx(6 / 11)
    assert speed["slow_rounds"]["value"] == 3
    assert speed["unanswered_rounds"]["value"] == 2
    assert speed["unreplied_conversations"]["value"] == 2
    # csat on 05-04: r1 5, r2 4, r3 3, r4 1 -> 2/4; reviews ≤ 2: r6 (2), r7 (1)
    assert sat["csat_ratings"]["value"] == 4
    assert sat["csat_rate"]["value"] == pytest.approx(0.5)
    assert sat["negative_reviews"]["value"] == 2
    # the staff table: s_b answered c02 (181) and c03, c12 -> 3-minute 2/3
    staff = {r["staff_id"]: r for r in block(data, "speed_by_staff")["rows"]}
    assert staff["s_b"]["three_minute_reply_rate"] == pytest.approx(2 / 3)
    assert staff["s_a"]["three_minute_reply_rate"] == pytest.approx(1.0)


def test_channel_filter_narrows(seed: Client, demo: Client) -> None:
    data = service.build(make_ctx(seed, {**D4, "channel": "line"}))
    speed, rec, sat = cards(data, "speed"), cards(data, "reception"), cards(data, "satisfaction")
    # line on 05-04: c01 good, c02 bad, c05 bad, c09 bad, c10 good -> 2/5; slow 181, 210;
    # unanswered c05; inquiring U01 U02 U05 U08 U09 U10; csat r1 (c01) 5, r3 (c02) 3
    assert speed["three_minute_reply_rate"]["value"] == pytest.approx(0.4)
    assert speed["slow_rounds"]["value"] == 2
    assert speed["unanswered_rounds"]["value"] == 1
    assert rec["inquiring_customers"]["value"] == 6
    assert sat["csat_ratings"]["value"] == 2
    # negative reviews have no channel: all channels, and the card says so
    assert sat["negative_reviews"]["value"] == 2
    assert sat["negative_reviews"]["all_channels"] is True
    assert "(all channels)" in sat["negative_reviews"]["label"]
    assert "all_channels" not in sat["csat_rate"]
    channels = {r["channel"] for r in block(data, "speed_by_channel")["rows"]}
    assert channels == {"line"}

    whole = cards(service.build(make_ctx(demo, demo_query())))
    one = cards(service.build(make_ctx(demo, demo_query(channel="facebook"))))
    assert 0 < one["inquiring_customers"]["value"] < whole["inquiring_customers"]["value"]
    assert 0 < one["inquiry_orders"]["value"] < whole["inquiry_orders"]["value"]
    assert one["product_inquiries"]["value"] == whole["product_inquiries"]["value"]


def test_metric_parameters_from_the_url(seed: Client) -> None:
    # threshold 60 s: only c07 (0, 60) is good -> 1/9; the SLA follows: c01 c03 c07 -> 3/11;
    # slow rounds > 60 s: 180 181 120 61 210 180 3720 120 -> 8
    ctx = make_ctx(seed, {**D4, "threshold_s": "60"})
    data = service.build(ctx)
    speed = cards(data, "speed")
    assert data["params"] == {"threshold_s": "60"}
    assert speed["three_minute_reply_rate"]["value"] == pytest.approx(1 / 9)
    assert speed["sla_attainment"]["value"] == pytest.approx(3 / 11)
    assert speed["slow_rounds"]["value"] == 8
    # metrics without the parameter are unaffected
    assert cards(data, "reception")["inquiring_customers"]["value"] == 12
    _, where, query = link_where(speed["three_minute_reply_rate"]["drill"])
    assert where["three_minute"] == "failed" and query["threshold_s"] == ["60"]
    failed = block(data, "failed_3min")
    assert len(failed["rows"]) == 9 - 1
    # a value the metric layer refuses: said once, defaults used
    bad = service.build(make_ctx(seed, {**D4, "threshold_s": "-5", "duration": "weekly"}))
    assert "threshold_s" in bad["notice"] and "duration" in bad["notice"]
    assert bad["params"] == {}
    assert cards(bad, "speed")["three_minute_reply_rate"]["value"] == pytest.approx(5 / 9)
    business = service.build(make_ctx(seed, {**D4, "duration": "business"}))
    assert business["params"] == {"duration": "business"}
    assert "notice" not in business


# -- the conversations that failed the 3-minute rule ------------------------------------------
def test_failed_three_minute_list(seed: Client) -> None:
    ctx = make_ctx(seed, {**D4, "tab": "speed"})
    failed = block(service.build(ctx), "failed_3min")
    # dated by their first event on 05-04, in its order: c09 (08:00, 210 s), c02 (11:00,
    # 181 s), c05 (14:00) and c06 (15:00) unanswered
    assert [r["conversation_id"] for r in failed["rows"]] == ["c09", "c02", "c05", "c06"]
    truth = seed.conversations(
        "taipei_shop", "2026-05-04", "2026-05-04", where={"three_minute": "failed"}
    ).rows
    cols = [c["id"] for c in failed["columns"]]
    assert cols[:7] == [
        "conversation_id",
        "channel",
        "customer_id",
        "staff_id",
        "first_ts",
        "first_response_s",
        "longest_response_s",
    ]
    assert "three_minute_failed_round" in cols
    assert failed["rows"] == [{c: r[c] for c in cols} for r in truth]
    c02 = failed["rows"][1]
    assert (c02["first_response_s"], c02["three_minute_failed_round"]) == (181, 1)
    assert failed["display"][1]["first_response_s"] == "3 min 1 s"
    assert failed["display"][1]["first_ts"] == "May 4, 2026, 11:00:00\u202fAM"
    assert failed["truncated"] is False
    path, where, query = link_where(failed["more"])
    assert path == "/conversations"
    assert where == {"three_minute": "failed"}
    assert query["from"] == ["2026-05-04"] and query["to"] == ["2026-05-04"]
    path, where, _ = link_where(failed["links"][1]["conversation_id"])
    assert (path, where) == ("/conversations", {"conversation_id": "c02"})
    _, where, _ = link_where(failed["links"][1]["staff_id"])
    assert where == {"three_minute": "failed", "staff_id": "s_b"}
    assert failed["links"][2]["staff_id"] is None  # c05: no staff, no list to narrow to

    line = block(service.build(make_ctx(seed, {**D4, "channel": "line"})), "failed_3min")
    assert [r["conversation_id"] for r in line["rows"]] == ["c09", "c02", "c05"]
    _, where, _ = link_where(line["more"])
    assert where == {"three_minute": "failed", "channel": "line"}


def test_failed_list_is_limited(demo: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "FAILED_LIMIT", 5)
    ctx = make_ctx(demo, demo_query())
    failed = block(service.build(ctx), "failed_3min")
    truth = demo.conversations(
        "alley_closet", "2026-03-25", "2026-03-31", where={"three_minute": "failed"}, limit=5
    ).rows
    assert failed["truncated"] is True
    assert [r["conversation_id"] for r in failed["rows"]] == [r["conversation_id"] for r in truth]


# -- drill-down links --------------------------------------------------------------------------
def test_drill_links(seed: Client) -> None:
    data = service.build(make_ctx(seed, {**D4, "channel": "line"}))
    items = cards(data)
    path, where, query = link_where(items["three_minute_reply_rate"]["drill"])
    assert path == "/conversations"
    assert where == {"three_minute": "failed", "channel": "line"}
    assert query["metric"] == ["three_minute_reply_rate"]
    path, where, _ = link_where(items["inquiry_orders"]["drill"])
    assert path == "/orders" and where["order_type"] == "inquiry"
    # a metric without channel opens its list without the channel filter
    _, where, _ = link_where(items["product_inquiries"]["drill"])
    assert "channel" not in where
    assert items["negative_reviews"]["drill"] is None  # no row-level list for reviews

    staff = block(data, "speed_by_staff")
    for row, links in zip(staff["rows"], staff["links"], strict=True):
        if row["staff_id"] is None:
            assert links["three_minute_reply_rate"] is None
            continue
        _, where, _ = link_where(links["three_minute_reply_rate"])
        assert where == {"three_minute": "failed", "staff_id": row["staff_id"], "channel": "line"}
        _, where, _ = link_where(links["staff_id"])
        assert where["staff_id"] == row["staff_id"] and where["is_human"] == "true"
    by_channel = block(data, "speed_by_channel")
    _, where, _ = link_where(by_channel["links"][0]["slow_rounds"])
    assert where == {"is_human": "true", "channel": "line"}

    # a bar the list cannot be narrowed to (6+ rounds) opens nothing rather than everything
    lost = block(data, "lost_by_rounds_bucket")
    assert all(u is None for u in lost["figure"]["data"][0]["customdata"])
    bars = block(data, "three_minute_by_channel")["figure"]["data"][0]["customdata"]
    assert bars and all(link_where(u)[1]["channel"] == "line" for u in bars)


# -- an empty period -------------------------------------------------------------------------
def test_empty_period_shows_no_data(seed: Client) -> None:
    data = service.build(
        make_ctx(
            seed,
            {"shop": "taipei_shop", "preset": "custom", "from": "2025-01-01", "to": "2025-01-07"},
        )
    )
    for b in all_blocks(data):
        assert b["kind"] != "error", b
        if b["kind"] == "kpis" and any(i["metric"] == "queue_waiting" for i in b["items"]):
            assert b["empty"] is False  # a snapshot: nobody waiting is a fact, not no data
            assert {i["display"] for i in b["items"]} == {"0", "—"}
            continue
        assert b["empty"] is True, b.get("id") or [i["metric"] for i in b["items"]]
        if b["kind"] == "kpis":
            assert all(i["display"] == "—" for i in b["items"])
            assert all(i["change_display"] is None for i in b["items"])


# -- through the real app ------------------------------------------------------------------------
def test_page_through_the_app(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from socialscope.config import Config
    from socialscope.server.runtime import build

    db = tmp_path / "app.duckdb"
    with socialscope.connect(db) as client:
        client.ingest([SEED])
    server = build(Config(), db, local_token="t")
    try:
        http = TestClient(server.app)
        auth = {"Authorization": "Bearer t"}
        q = "shop=taipei_shop&preset=custom&from=2026-05-04&to=2026-05-04"
        res = http.get(f"/customer-service?{q}&tab=speed", headers=auth)
        assert res.status_code == 200, res.text
        assert "text/html" in res.headers["content-type"]
        html = res.text
        assert "Conversations that failed the 3-minute rule" in html
        assert "c09" in html
        res = http.get(f"/customer-service.json?{q}", headers=auth)
        assert res.status_code == 200, res.text
        data = res.json()
        assert data["page"] == "customer-service"
        assert [t["id"] for t in data["tabs"]] == TABS
        assert [t["loaded"] for t in data["tabs"]] == [True, False, False, False]
        assert data["currency"] == "TWD"
        res = http.get(f"/customer-service.json?{q}&tab=all&threshold_s=60", headers=auth)
        data = res.json()
        assert all(t["loaded"] for t in data["tabs"])
        assert data["params"] == {"threshold_s": "60"}
        rate = cards(data, "speed")["three_minute_reply_rate"]
        assert rate["value"] == pytest.approx(1 / 9)
        assert "threshold_s=60" in rate["drill"]
        res = http.get(f"/customer-service/export/failed_3min.csv?{q}&tab=speed", headers=auth)
        assert res.status_code == 200
        assert "c02" in res.text
        for lang in ("zh-Hant", "zh-Hans", "pl"):
            res = http.get(f"/customer-service?{q}&lang={lang}", headers=auth)
            assert res.status_code == 200, (lang, res.text[:500])
        assert http.get(f"/customer-service.json?{q}").status_code == 401
    finally:
        server.close()
