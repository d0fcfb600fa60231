"""Social (METRICS.md section 5): content reach and engagement, followers, posts, lives —
KPI cards with comparison and the static platform benchmarks beside them, a trend, the
top posts, every live with its sales funnel (viewers → commenting → +1 keyword → ordering
→ paying) and one chosen live's funnel as a chart, and the posts' sales funnel.

Every number is a registered metric (or `top_posts`, built from them). Reach is gross
reach (a sum of daily reach) and is labelled so. A funnel step is counted as defined, not
as a subset of the previous step, so a step rate can exceed 100 % (METRICS.md 5).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from socialscope.top_posts import top_posts
from socialscope.web import benchmarks, i18n
from socialscope.web.blocks import PALETTE, PageContext, safe, table, trend_chart
from socialscope.web.controls import Choice, Field, error_block, options_block
from socialscope.web.pages import Page, register
from socialscope.web.pages.service import kpi_block

KPIS = (
    "impressions",
    "reach",
    "engagements",
    "engagement_rate_by_reach",
    "engagement_rate_by_impressions",
    "engagement_rate_by_followers",
    "followers",
    "net_follower_growth",
    "follower_growth_rate",
    "posts_published",
    "click_through_rate",
    "live_viewers",
)
TREND = ("impressions", "reach", "engagements")
RATE_TREND = ("engagement_rate_by_reach", "engagement_rate_by_impressions")
LIVE_STEPS = (
    "live_viewers",
    "live_commenting_customers",
    "live_keyword_customers",
    "live_ordering_customers",
    "live_paying_customers",
)
LIVE_RATES = ("live_commenting_rate", "live_keyword_rate", "live_ordering_rate", "live_paying_rate")
"""Each step / the step before it (LIVE_RATES[i] belongs to LIVE_STEPS[i + 1])."""
LIVE_EXTRA = ("live_peak_viewers", "live_watch_seconds")
POST_STEPS = (
    "post_commenting_customers",
    "post_keyword_customers",
    "post_ordering_customers",
    "post_paying_customers",
)
POST_RATES = ("post_keyword_rate", "post_ordering_rate", "post_paying_rate")
TOP_POSTS = 10
POST_FUNNEL_LIMIT = 50
CAPTION_CHARS = 60
EXTRA_KEYS = ("live",)


def build(ctx: PageContext) -> dict[str, Any]:
    lives = safe(_lives_table, ctx)
    blocks = [
        safe(_kpis, ctx),
        safe(trend_chart, ctx, "social_trend", TREND),
        safe(trend_chart, ctx, "engagement_trend", RATE_TREND),
        safe(_top_posts, ctx),
        lives,
        *_live_funnel(ctx, lives),
        safe(_post_funnel_table, ctx),
    ]
    return {"blocks": blocks}


def _kpis(ctx: PageContext) -> dict[str, Any]:
    block = kpi_block(ctx, KPIS, {})
    return benchmarks.attach(block, ctx.filters.channels, ctx.lang)


def _channel_rows(ctx: PageContext, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    channels = set(ctx.filters.channels)
    return [r for r in rows if not channels or r.get("channel") in channels]


def _top_posts(ctx: PageContext) -> dict[str, Any]:
    """The best posts by engagement rate by reach (`top_posts`); with several channels in
    the filter, the ranking over those channels (renumbered)."""
    f = ctx.filters
    one = f.channels[0] if len(f.channels) == 1 else None
    result = top_posts(
        ctx.client,
        shop=f.shop,
        date_from=f.date_from,
        date_to=f.date_to,
        channel=one,
        limit=None if len(f.channels) > 1 else TOP_POSTS,
    )
    rows = _channel_rows(ctx, result.rows)[:TOP_POSTS]
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    columns = [
        "rank",
        "channel",
        "post_id",
        "kind",
        "published_at",
        "impressions",
        "reach",
        "engagements",
        "engagement_rate_by_reach",
        "link_clicks",
        "caption",
    ]
    block = table(ctx, "top_posts", ctx.t("top_posts_title"), columns, rows)
    for raw, cells in zip(block["rows"], block["display"], strict=True):
        if isinstance(raw.get("published_at"), datetime):
            cells["published_at"] = i18n.format_datetime(raw["published_at"], ctx.lang, False)
        caption = str(raw.get("caption") or "")
        if len(caption) > CAPTION_CHARS:
            cells["caption"] = caption[: CAPTION_CHARS - 1] + "…"
    return block


def _live_details(ctx: PageContext, live_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Title, channel and local start of the lives, from `live_sessions`."""
    if not live_ids:
        return {}
    lives = ctx.client.engine.table("live_sessions")
    rows = (
        lives.filter(lives.shop_id == ctx.filters.shop, lives.live_id.isin(list(live_ids)))
        .select("live_id", "channel", "title", "started_at_local")
        .to_pyarrow()
        .to_pylist()
    )
    return {str(r["live_id"]): r for r in rows}


def _lives_table(ctx: PageContext) -> dict[str, Any]:
    """Every live started in the period: its funnel counts and step rates (most viewers
    first); a live's id opens its funnel chart below."""
    metrics = (*LIVE_STEPS, *LIVE_RATES, *LIVE_EXTRA)
    result = ctx.query(metrics, by=["live_id"], compare=False, dense=False)
    rows = [dict(r) for r in result.rows if r.get("live_id") is not None]
    details = _live_details(ctx, [r["live_id"] for r in rows])
    for r in rows:
        info = details.get(r["live_id"], {})
        r["title"] = info.get("title")
        r["started_at"] = info.get("started_at_local")
    rows.sort(key=lambda r: (-(r.get("live_viewers") or 0), str(r["live_id"])))
    links = [
        {"live_id": "?" + ctx.filters.query_string(live=r["live_id"]) + "#block-live_funnel"}
        for r in rows
    ]
    columns = ["live_id", "title", "started_at", *_interleave(LIVE_STEPS, LIVE_RATES), *LIVE_EXTRA]
    block = table(ctx, "lives", ctx.t("lives_title"), columns, rows, links)
    for raw, cells in zip(block["rows"], block["display"], strict=True):
        if isinstance(raw.get("started_at"), datetime):
            cells["started_at"] = i18n.format_datetime(raw["started_at"], ctx.lang, False)
    return block


def _interleave(steps: Sequence[str], rates: Sequence[str]) -> list[str]:
    """step 1, step 2, rate 2, step 3, rate 3, ... (rates[i] measures steps[i + 1])."""
    out = [steps[0]]
    for step, rate in zip(steps[1:], rates, strict=True):
        out += [step, rate]
    return out


def _live_funnel(ctx: PageContext, lives: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The chosen live (``live=``; default the one with most viewers) as a funnel chart,
    and the picker. An unknown live id is a message, not a failure."""
    if lives.get("kind") != "table" or not lives["rows"]:
        return []
    ids = [str(r["live_id"]) for r in lives["rows"]]
    asked = ctx.filters.extra.get("live")
    picker = options_block(
        ctx,
        "live_picker",
        ctx.t("live_funnel_title"),
        [
            Field(
                "live",
                ctx.t("live_choose"),
                "select",
                asked if asked in ids else ids[0],
                [Choice(i, _live_label(r)) for i, r in zip(ids, lives["rows"], strict=True)],
            )
        ],
    )
    if asked is not None and asked not in ids:
        return [picker, error_block(ctx.t("live_unknown", live=asked))]
    chosen = asked or ids[0]
    row = lives["rows"][ids.index(chosen)]
    return [picker, funnel_chart(ctx, "live_funnel", _live_label(row), LIVE_STEPS, row)]


def _live_label(row: Mapping[str, Any]) -> str:
    title = row.get("title")
    return f"{row['live_id']} · {title}" if title else str(row["live_id"])


def funnel_chart(
    ctx: PageContext,
    chart_id: str,
    title: str,
    steps: Sequence[str],
    values: Mapping[str, Any],
) -> dict[str, Any]:
    """Registered step counts as a Plotly funnel; the export holds each step's count and
    its rate from the previous step and from step 1 (null where that step is 0)."""
    labels = [i18n.metric_label(ctx.lang, s) for s in steps]
    counts = [int(values.get(s) or 0) for s in steps]
    rows = []
    for i, (step, count) in enumerate(zip(steps, counts, strict=True)):
        prev = counts[i - 1] if i else None
        rows.append(
            {
                "step": step,
                "count": count,
                "rate_from_previous": (count / prev) if prev else None,
                "rate_from_first": (count / counts[0]) if counts[0] else None,
            }
        )
    figure = {
        "data": [
            {
                "type": "funnel",
                "y": labels,
                "x": counts,
                "textinfo": "value+percent previous",
                "marker": {"color": [PALETTE[i % len(PALETTE)] for i in range(len(steps))]},
                "hovertemplate": "%{y}: %{x}<extra></extra>",
            }
        ],
        "layout": {
            "margin": {"l": 180, "r": 16, "t": 16, "b": 24},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "autosize": True,
        },
    }
    return {
        "kind": "chart",
        "id": chart_id,
        "title": title,
        "figure": figure,
        "columns": ["step", "count", "rate_from_previous", "rate_from_first"],
        "rows": rows,
        "empty": not any(counts),
    }


def _post_funnel_table(ctx: PageContext) -> dict[str, Any]:
    """Posts published in the period with any funnel activity: commenting → +1 keyword →
    ordering → paying customers and the step rates (most orderers first)."""
    metrics = (*POST_STEPS, *POST_RATES)
    result = ctx.query(metrics, by=["post_id"], compare=False, dense=False)
    rows = [
        dict(r)
        for r in result.rows
        if r.get("post_id") is not None and any(r.get(s) for s in POST_STEPS)
    ]
    rows.sort(
        key=lambda r: (
            -(r.get("post_ordering_customers") or 0),
            -(r.get("post_commenting_customers") or 0),
            str(r["post_id"]),
        )
    )
    truncated = len(rows) > POST_FUNNEL_LIMIT
    rows = rows[:POST_FUNNEL_LIMIT]
    columns = ["post_id", *_interleave(POST_STEPS, POST_RATES)]
    block = table(ctx, "post_funnel", ctx.t("post_funnel_title"), columns, rows)
    block["truncated"] = truncated
    return block


register(Page("/social", "nav_social", build, extra_keys=EXTRA_KEYS))
