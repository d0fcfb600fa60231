"""The Social page (/social): every number is the metric layer's (or top_posts', built from
it), the benchmarks follow the channel filter, bad parameters are messages, every language
renders, an empty period shows "no data"."""

from __future__ import annotations

import csv
import io

import pytest

from socialscope.platform_benchmarks import benchmarks_for
from socialscope.top_posts import top_posts
from socialscope.web import i18n
from socialscope.web.pages import social
from tests.web_pages.conftest import AUTH, Demo
from tests.web_pages.pagectx import EMPTY_PERIOD, PERIOD, block, build, errors, kpi_values

KW = {"shop": "alley_closet", "date_from": "2026-03-18", "date_to": "2026-03-31"}


def test_kpis_are_the_metric_layer(demo: Demo) -> None:
    data = build(demo.client, "/social", PERIOD)
    direct = demo.client.query(list(social.KPIS), compare="previous", **KW).rows[0]
    assert kpi_values(data) == {m: direct[m] for m in social.KPIS}
    kpis = data["blocks"][0]
    assert [i["metric"] for i in kpis["items"]] == list(social.KPIS)
    # gross reach is labelled gross, in every language
    labels = {i["metric"]: i["label"] for i in kpis["items"]}
    assert labels["reach"] == "Gross reach"


def test_kpis_with_a_channel_filter(demo: Demo) -> None:
    data = build(demo.client, "/social", {**PERIOD, "channel": "instagram"})
    direct = demo.client.query(
        list(social.KPIS), where={"channel": ["instagram"]}, compare="previous", **KW
    ).rows[0]
    assert kpi_values(data) == {m: direct[m] for m in social.KPIS}


def test_benchmarks_beside_the_kpis(demo: Demo) -> None:
    def benches(query: dict[str, str]) -> dict[str, list[tuple[str | None, float]]]:
        items = build(demo.client, "/social", query)["blocks"][0]["items"]
        return {i["metric"]: [(b["channel"], b["low"]) for b in i["benchmarks"]] for i in items}

    every = benches(PERIOD)
    # no channel chosen: every channel's entries (four for the per-post engagement rate)
    assert every["engagement_rate_by_followers"] == [
        (b.channel, b.low) for b in benchmarks_for("engagement_rate_by_followers")
    ]
    assert len(every["engagement_rate_by_followers"]) == 4
    assert every["impressions"] == []  # no static benchmark for impressions
    one = benches({**PERIOD, "channel": "instagram"})
    # Rival IQ's Instagram figure 0.47 % only; CTR: Chatdesk's organic and ads 0.18 each
    assert one["engagement_rate_by_followers"] == [("instagram", 0.0047)]
    assert one["click_through_rate"] == [("instagram", 0.18), ("instagram", 0.18)]
    two = benches({**PERIOD, "channel": ["instagram", "tiktok"]})
    assert two["engagement_rate_by_followers"] == every["engagement_rate_by_followers"]


def test_benchmark_display_keeps_the_source_digits(demo: Demo) -> None:
    items = build(demo.client, "/social", {**PERIOD, "channel": "x"}, "pl")["blocks"][0]["items"]
    er = next(i for i in items if i["metric"] == "engagement_rate_by_followers")
    # X: 0.035 % per post (Rival IQ 2025) — not rounded to 0,0 %; Polish decimal comma
    assert [(b["display"], b["source"], b["date"]) for b in er["benchmarks"]] == [
        ("0,035%", "Rival IQ, Social Media Industry Benchmark Report", "2025")
    ]


def test_top_posts_are_top_posts(demo: Demo) -> None:
    data = build(demo.client, "/social", PERIOD)
    expected = top_posts(demo.client, limit=social.TOP_POSTS, **KW).rows
    rows = block(data, "top_posts")["rows"]
    assert [(r["rank"], r["post_id"]) for r in rows] == [
        (r["rank"], r["post_id"]) for r in expected
    ]
    assert [r["engagement_rate_by_reach"] for r in rows] == [
        r["engagement_rate_by_reach"] for r in expected
    ]


def test_top_posts_of_two_channels_are_ranked_among_them(demo: Demo) -> None:
    data = build(demo.client, "/social", {**PERIOD, "channel": ["instagram", "facebook"]})
    every = top_posts(demo.client, limit=None, **KW).rows
    kept = [r["post_id"] for r in every if r["channel"] in ("instagram", "facebook")]
    rows = block(data, "top_posts")["rows"]
    assert [r["post_id"] for r in rows] == kept[: social.TOP_POSTS]
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))


def test_lives_and_the_chosen_live_funnel(demo: Demo) -> None:
    data = build(demo.client, "/social", PERIOD)
    metrics = [*social.LIVE_STEPS, *social.LIVE_RATES]
    direct = {r["live_id"]: r for r in demo.client.query(metrics, by=["live_id"], **KW).rows}
    lives = block(data, "lives")["rows"]
    assert lives, "the demo has lives"
    assert {r["live_id"] for r in lives} == set(direct)
    for r in lives:
        assert {m: r[m] for m in metrics} == {m: direct[r["live_id"]][m] for m in metrics}
    viewers = [r["live_viewers"] for r in lives]
    assert viewers == sorted(viewers, reverse=True)
    # default: the live with most viewers; its chart holds its step counts and rates
    chosen = lives[0]["live_id"]
    chart = block(data, "live_funnel")
    assert chart["figure"]["data"][0]["type"] == "funnel"
    assert [r["count"] for r in chart["rows"]] == [direct[chosen][s] for s in social.LIVE_STEPS]
    rates = [r["rate_from_previous"] for r in chart["rows"][1:]]
    assert rates == pytest.approx([direct[chosen][m] for m in social.LIVE_RATES])
    # another live chosen in the URL
    other = lives[-1]["live_id"]
    data = build(demo.client, "/social", {**PERIOD, "live": other})
    counts = [r["count"] for r in block(data, "live_funnel")["rows"]]
    assert counts == [direct[other][s] for s in social.LIVE_STEPS]
    assert block(data, "live_picker")["fields"][0]["value"] == other


def test_post_sales_funnel(demo: Demo) -> None:
    data = build(demo.client, "/social", PERIOD)
    metrics = [*social.POST_STEPS, *social.POST_RATES]
    direct = {r["post_id"]: r for r in demo.client.query(metrics, by=["post_id"], **KW).rows}
    rows = block(data, "post_funnel")["rows"]
    assert rows
    active = [
        p for p, r in direct.items() if p is not None and any(r[s] for s in social.POST_STEPS)
    ]
    assert len(rows) == min(len(active), social.POST_FUNNEL_LIMIT)
    for r in rows:
        assert {m: r[m] for m in metrics} == {m: direct[r["post_id"]][m] for m in metrics}


def test_unknown_live_is_a_message(demo: Demo) -> None:
    data = build(demo.client, "/social", {**PERIOD, "live": "no-such-live"})
    assert errors(data) == ["live: no live 'no-such-live' started in this period"]
    assert block(data, "lives")["rows"]  # the rest of the page is there


def test_empty_period_is_no_data(demo: Demo) -> None:
    data = build(demo.client, "/social", EMPTY_PERIOD)
    assert data["blocks"][0]["empty"] is True
    assert block(data, "top_posts")["empty"] and block(data, "lives")["empty"]
    assert block(data, "social_trend")["empty"]
    assert errors(data) == []
    r = demo.http.get("/social", params=EMPTY_PERIOD, headers=AUTH)
    assert r.status_code == 200 and "No data in this period" in r.text


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_every_language_renders(demo: Demo, lang: str) -> None:
    r = demo.http.get("/social", params={**PERIOD, "lang": lang}, headers=AUTH)
    assert r.status_code == 200
    assert i18n.t(lang, "nav_social") in r.text
    assert i18n.metric_label(lang, "reach") in r.text
    assert i18n.t(lang, "benchmarks") in r.text
    assert "<script>" not in r.text  # CSP: no inline script


def test_json_twin_and_exports(demo: Demo) -> None:
    r = demo.http.get("/social.json", params=PERIOD, headers=AUTH)
    assert r.status_code == 200
    data = r.json()
    ids = [b.get("id") for b in data["blocks"]]
    assert [
        i for i in ids if i in ("top_posts", "lives", "live_picker", "live_funnel", "post_funnel")
    ] == ["top_posts", "lives", "live_picker", "live_funnel", "post_funnel"]
    lives = block(data, "lives")["rows"]
    csv_text = demo.http.get("/social/export/lives.csv", params=PERIOD, headers=AUTH)
    assert csv_text.status_code == 200
    exported = list(csv.DictReader(io.StringIO(csv_text.content.decode("utf-8-sig"))))
    assert [row["live_id"] for row in exported] == [r["live_id"] for r in lives]
    funnel = demo.http.get("/social/export/live_funnel.xlsx", params=PERIOD, headers=AUTH)
    assert funnel.status_code == 200 and funnel.content[:2] == b"PK"


def test_kpi_change_is_shown_as_the_relative_change(demo: Demo) -> None:
    """change_pct is a fraction: a value that doubled shows "+100.0%", never ×100 again."""
    week = {**PERIOD, "from": "2026-03-25", "to": "2026-03-31", "compare": "previous"}
    items = build(demo.client, "/social", week)["blocks"][0]["items"]
    shown = 0
    for item in items:
        pct = item["change_pct"]
        if pct is None:
            assert item["change_display"] == "—"
            continue
        expected = (item["value"] - item["previous"]) / item["previous"]
        assert float(pct) == pytest.approx(float(expected))
        sign = "+" if pct > 0 else ("\u2212" if pct < 0 else "")
        assert item["change_display"] == f"{sign}{abs(float(pct)) * 100:,.1f}%"
        shown += 1
    assert shown > 0
