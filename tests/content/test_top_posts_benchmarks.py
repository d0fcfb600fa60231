"""Top posts, the static benchmarks, and their CLI commands.

pl_shop posts with content rows in 2026-03-29 .. 04-04 (all instagram):
  Q6 reel  04-02 imp 300 reach 100 eng 30 -> rate 0.3
  Q2 photo 03-29 imp 200 reach 100 eng 20 -> 0.2
  Q1 reel  03-30 imp 100 reach  50 eng 10 -> 0.2
  Q3 post  03-31 imp  80 reach  40 eng  8 -> 0.2
  Q4 post  04-01 imp  80 reach  40 eng  8 -> 0.2
  Q5 video 04-02 imp  10 reach   0 eng  3 -> null (no reach): last
Ranking: Q6 (0.3); then the 0.2 tie by engagements: Q2 (20), Q1 (10), Q3 and Q4 (8 each:
by post_id Q3 < Q4); Q5 last.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from typer.testing import CliRunner

from socialscope.cli.main import _register, app
from socialscope.metrics.registry import REGISTRY
from socialscope.metrics.spec import Unit
from socialscope.platform_benchmarks import AS_CITED, BENCHMARKS, Kind, benchmarks_for
from socialscope.top_posts import top_posts

_register()
runner = CliRunner()

PL = {"shop": "pl_shop", "date_from": "2026-03-29", "date_to": "2026-04-04"}


def test_top_posts_order_with_ties_and_no_reach_last(social: Any) -> None:
    res = top_posts(social.client, **PL)
    assert [r["post_id"] for r in res.rows] == ["Q6", "Q2", "Q1", "Q3", "Q4", "Q5"]
    assert [r["rank"] for r in res.rows] == [1, 2, 3, 4, 5, 6]
    q6 = res.rows[0]
    assert (q6["impressions"], q6["reach"], q6["engagements"]) == (300, 100, 30)
    assert q6["engagement_rate_by_reach"] == pytest.approx(0.3)
    assert q6["engagement_rate_by_impressions"] == pytest.approx(0.1)
    assert (q6["link_clicks"], q6["video_views"], q6["kind"]) == (6, 120, "reel")
    assert res.rows[-1]["engagement_rate_by_reach"] is None
    q1 = res.rows[2]
    # published 2026-03-29 22:30 UTC = 03-30 00:30 CEST (shop-local wall-clock time)
    assert q1["published_at"] == datetime(2026, 3, 30, 0, 30)
    assert q1["caption"] == "00:30 CEST on 03-30"


def test_top_posts_limit_kind_and_channel(social: Any) -> None:
    assert [r["post_id"] for r in top_posts(social.client, **PL, limit=3).rows] == [
        "Q6",
        "Q2",
        "Q1",
    ]
    reels = top_posts(social.client, **PL, kind="reel")
    assert [r["post_id"] for r in reels.rows] == ["Q6", "Q1"]
    assert top_posts(social.client, **PL, channel="facebook").rows == []
    with pytest.raises(ValueError, match="limit"):
        top_posts(social.client, **PL, limit=0)


def test_benchmarks_engagement_rate_by_followers() -> None:
    got = benchmarks_for("engagement_rate_by_followers")
    # Rival IQ: Facebook 0.06 %, Instagram 0.47 %, TikTok 5.69 %, X 0.035 %, as 0..1
    assert [(b.channel, b.low, b.high) for b in got] == [
        ("facebook", 0.0006, 0.0006),
        ("instagram", 0.0047, 0.0047),
        ("tiktok", 0.0569, 0.0569),
        ("x", 0.00035, 0.00035),
    ]
    assert all(b.source.startswith("Rival IQ") and b.date == "2025" for b in got)
    assert [b.display for b in benchmarks_for("engagement_rate_by_followers", "x")] == ["0.035 %"]


def test_benchmarks_ctr_per_channel_and_variant() -> None:
    tiktok = benchmarks_for("click_through_rate", "tiktok")
    assert [(b.variant, b.low) for b in tiktok] == [("organic", 0.14), ("ads", 0.023)]
    assert [(b.variant, b.low) for b in benchmarks_for("click_through_rate", "facebook")] == [
        ("ads", 0.09)
    ]
    ig = benchmarks_for("click_through_rate", "instagram")
    assert [(b.variant, b.low) for b in ig] == [("organic", 0.18), ("ads", 0.18)]
    assert all(b.source == "Chatdesk" and b.date == AS_CITED for b in ig)
    assert benchmarks_for("click_through_rate", "line") == []


def test_benchmarks_any_channel_and_targets() -> None:
    (conv,) = benchmarks_for("conversion_rate", "instagram")  # valid for any channel
    assert (conv.channel, conv.low, conv.high, conv.display) == (None, 0.02, 0.03, "2–3 %")
    assert conv.source == "BigCommerce"
    (lead,) = benchmarks_for("lead_rate")
    assert (lead.low, lead.variant) == (0.038, "email pop-up")
    (avg,) = benchmarks_for("avg_response_time")
    (first,) = benchmarks_for("first_response_time_avg")
    assert (avg.high, avg.unit, avg.kind, avg.display) == (
        40.0,
        Unit.SECONDS,
        Kind.TARGET_MAX,
        "≤ 40 s",
    )
    assert (first.high, first.display) == (60.0, "≤ 60 s")
    assert benchmarks_for("no_such_metric") == []


def test_benchmark_units_match_their_metrics() -> None:
    mine = {"engagement_rate_by_followers", "click_through_rate"}
    service = {"avg_response_time", "first_response_time_avg"}
    assert (mine | service) <= set(REGISTRY.ids())
    for b in BENCHMARKS:
        if b.metric in REGISTRY:
            assert REGISTRY.get(b.metric).unit is b.unit, b
        assert b.low <= b.high


def test_cli_top_posts(social: Any) -> None:
    args = ["--db", str(social.db), "top-posts", "--shop", "pl_shop"]
    args += ["--from", "2026-03-29", "--to", "2026-04-04", "--limit", "3", "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["rank"], r["post_id"]) for r in rows] == [(1, "Q6"), (2, "Q2"), (3, "Q1")]
    assert rows[2]["published_at"] == "2026-03-30T00:30"
    assert rows[0]["shop_id"] == "pl_shop"
    table = runner.invoke(app, [*args[:-2], "--format", "table", "--kind", "reel"])
    assert table.exit_code == 0, table.output
    assert "Q6" in table.output and "Q2" not in table.output
    bad = runner.invoke(app, ["--db", str(social.db), "top-posts", "--shop", "nowhere"])
    assert bad.exit_code == 2
    assert "unknown shop" in bad.output


def test_cli_benchmarks() -> None:
    result = runner.invoke(app, ["benchmarks", "click_through_rate", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["channel"], r["variant"], r["low"]) for r in rows] == [
        ("instagram", "organic", 0.18),
        ("instagram", "ads", 0.18),
        ("tiktok", "organic", 0.14),
        ("tiktok", "ads", 0.023),
        ("facebook", "ads", 0.09),
    ]
    everything = runner.invoke(app, ["benchmarks", "--format", "json"])
    assert len(json.loads(everything.output)) == len(BENCHMARKS)
    table = runner.invoke(app, ["benchmarks", "avg_response_time"])
    assert table.exit_code == 0 and "≤ 40 s" in table.output
    unknown = runner.invoke(app, ["benchmarks", "no_such_metric"])
    assert unknown.exit_code == 2
    assert "no benchmark" in unknown.output
