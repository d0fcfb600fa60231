"""METRICS.md section 5: social content (awareness / 觸及 / 互動), and section 6's
click_through_rate (it sums the same content counters).

Post counters (impressions, gross reach, engagements, ...) live on the fact `post_days`:
post-level content_metrics rows, activity basis — a row counts when its day is in the
period, whenever the post was published. Account-level rows (post_id empty) never enter
them; they carry the followers, on the fact `follower_days` (a stock, so each time bucket
reads the value at its end, see `content_facts.py`). engagement_rate_by_followers is a
per-post cohort (posts published in the period) on `post_first_week`.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterator, Mapping
from typing import Any

from socialscope.contract.enums import Channel
from socialscope.metrics.factspec import FactSpec
from socialscope.metrics.library.content_facts import (
    TIME_COLUMN,
    prepare_follower_days,
    prepare_post_days,
    prepare_post_first_week,
)
from socialscope.metrics.spec import (
    Better,
    Chart,
    Count,
    Custom,
    MetricSpec,
    Ratio,
    Sum,
    Unit,
)

SECTION = "5. Social content and live"
SECTION_CONSIDERATION = "6. Consideration"

POST_DIMENSIONS = ("channel", "post_id", "post_kind")
CHANNELS: tuple[str, ...] = tuple(c.value for c in Channel)
"""The channel enum is closed (ingest rejects other values): a per-channel value is
computed for each, then summed — one aggregate, whatever the slice."""

ACTIVITY_NOTES = (
    "Activity basis: post-level content_metrics rows (post_id set) whose day is in the "
    "period, whatever the post's publish date; account-level rows (post_id empty) are never "
    "summed here. The platform's `date` is taken as the shop-local day, so every row sits "
    "at 00:00 of its day (by hour, everything falls in the 00:00 bucket). post_kind is the "
    "post's kind from `posts` (empty when the post is not there). An empty counter counts 0."
)
ENGAGEMENT_RULE = (
    "A row's engagements: its `engagements` column; where the platform left it empty, "
    "likes + comments + shares + saves, an empty part counting 0."
)
FOLLOWER_NOTES = (
    "A channel's followers on a day: the last account-level `followers` value dated on or "
    "before that day (days without a row carry the previous value, however old). "
    "`followers` is that value at the end of the period — or, sliced by date/week/month, at "
    "the end of each bucket (its last day inside the period), summed over the slice's "
    "channels; a channel with no value yet by then counts for nothing. The start of the "
    "period (or of a bucket) is the day before it, read the same way. A channel with no "
    "value on or before that day is left out of net_follower_growth and followers_start "
    "(its growth is unknown: it would otherwise count its whole audience as growth), while "
    "its followers still count in `followers`. Weekly growth values therefore add up to "
    "the period's growth when every channel has a value before the period. Hour buckets: "
    "values sit at 00:00 of each day. With compare=previous each period is read the same "
    "way at its own ends."
)


def _per_channel(t: Any, column: str, *, first: bool) -> Iterator[Any]:
    """For each channel: `column` on its first (or last) day in the slice (null if none)."""
    day = t[TIME_COLUMN]
    for channel in CHANNELS:
        where = t.channel == channel
        yield t[column].argmin(day, where=where) if first else t[column].argmax(day, where=where)


def _total(terms: Iterator[Any]) -> Any:
    return functools.reduce(operator.add, (term.fill_null(0) for term in terms))


def _followers_end(t: Any, params: Mapping[str, Any]) -> Any:
    return _total(_per_channel(t, "end_followers", first=False))


def _followers_start(t: Any, params: Mapping[str, Any]) -> Any:
    return _total(_per_channel(t, "prev_followers", first=True))


def _net_growth(t: Any, params: Mapping[str, Any]) -> Any:
    ends = _per_channel(t, "end_followers", first=False)
    starts = _per_channel(t, "prev_followers", first=True)
    # a null start (unknown) leaves the channel out: end − null is null, counted 0
    return _total(end - start for end, start in zip(ends, starts, strict=True))


def _mean_rate_by_followers(t: Any, params: Mapping[str, Any]) -> Any:
    counted = t.first_week_engagements.notnull() & (t.publish_followers > 0)
    rate = t.first_week_engagements.cast("float64") / t.publish_followers.cast("float64")
    return rate.mean(where=counted.fill_null(False))


FACTS: tuple[FactSpec, ...] = (
    FactSpec(
        "post_days",
        "posts",
        TIME_COLUMN,
        {"channel": "channel", "post_id": "post_id", "post_kind": "post_kind"},
        "Post-level content_metrics rows (post_id set) with the post's kind and resolved "
        "engagements, dated by their day (local midnight).",
        prepare=prepare_post_days,
        range_source=("content_metrics", "date"),
    ),
    FactSpec(
        "post_first_week",
        "posts",
        TIME_COLUMN,
        {"channel": "channel"},
        "One row per post, dated by its publish time: its engagements in its first 7 local "
        "days and the account followers of its channel on its publish date.",
        prepare=prepare_post_first_week,
    ),
    FactSpec(
        "follower_days",
        "posts",
        TIME_COLUMN,
        {"channel": "channel"},
        "One row per channel and local day of the period (from the channel's first value "
        "on): account followers at the end of that day and of the day before, carried over "
        "days without a value.",
        prepare=prepare_follower_days,
        range_source=("content_metrics", "date"),
    ),
    FactSpec(
        "published_posts",
        "posts",
        "published_at_local",
        {"channel": "channel", "kind": "kind", "post_kind": "kind"},
        "Posts, dated by their publish time.",
    ),
)


def _sum_metric(metric_id: str, label: str, column: str, description: str) -> MetricSpec:
    return MetricSpec(
        metric_id,
        label,
        description,
        Unit.COUNT,
        SECTION,
        Sum(column),
        fact="post_days",
        dimensions=POST_DIMENSIONS,
        notes=ACTIVITY_NOTES,
    )


METRICS: tuple[MetricSpec, ...] = (
    _sum_metric(
        "impressions",
        "Impressions",
        "impressions",
        "Σ impressions over post-level content_metrics rows dated in the period.",
    ),
    _sum_metric(
        "video_views",
        "Video views",
        "video_views",
        "Σ video_views over post-level content_metrics rows dated in the period.",
    ),
    _sum_metric(
        "link_clicks",
        "Link clicks",
        "link_clicks",
        "Σ link_clicks over post-level content_metrics rows dated in the period.",
    ),
    _sum_metric(
        "reach",
        "Gross reach",
        "reach",
        "Gross reach: Σ of post-level daily reach in the period — a sum of daily reach, so "
        "a person reached on two days or by two posts counts twice (unique reach cannot be "
        "derived from daily counters).",
    ),
    MetricSpec(
        "engagements",
        "Engagements",
        "Σ engagements over post-level content_metrics rows dated in the period; where the "
        "platform left it empty, likes + comments + shares + saves.",
        Unit.COUNT,
        SECTION,
        Sum("engagement_total"),
        fact="post_days",
        dimensions=POST_DIMENSIONS,
        notes=f"{ENGAGEMENT_RULE} {ACTIVITY_NOTES}",
    ),
    MetricSpec(
        "engagement_rate_by_reach",
        "Engagement rate by reach",
        "engagements / reach (gross reach), both summed over the slice's post-level rows.",
        Unit.RATIO,
        SECTION,
        Ratio("engagements", "reach"),
        dimensions=POST_DIMENSIONS,
        notes="Null when the slice's gross reach is 0 (or empty). Gross reach counts a "
        "person once per day and post, so this rate is lower than one over unique reach.",
    ),
    MetricSpec(
        "engagement_rate_by_impressions",
        "Engagement rate by impressions",
        "engagements / impressions, both summed over the slice's post-level rows.",
        Unit.RATIO,
        SECTION,
        Ratio("engagements", "impressions"),
        dimensions=POST_DIMENSIONS,
        notes="Null when the slice's impressions are 0 (or empty).",
    ),
    MetricSpec(
        "engagement_rate_by_followers",
        "Engagement rate by followers (per post)",
        "Mean over posts published in the period of (the post's engagements in its first 7 "
        "days / the account followers on its publish date) — Rival IQ's per-post rate, "
        "shown beside the static platform benchmarks (socialscope benchmarks).",
        Unit.RATIO,
        SECTION,
        Custom(_mean_rate_by_followers),
        fact="post_first_week",
        dimensions=("channel",),
        notes="A mean of per-post ratios, as defined (not a ratio of sums). First 7 days: "
        "post-level rows dated from the post's local publish date to 6 days after, counted "
        "in full even when they fall after the period's end (up to the data available at "
        "query time). Followers: the account-level row of the post's channel dated on its "
        "local publish date (not carried from an earlier day). A post without such a value "
        "(or with 0 followers), or without any post-level row in its first 7 days, is left "
        f"out of the mean; null when no post is left. {ENGAGEMENT_RULE}",
    ),
    MetricSpec(
        "followers",
        "Followers",
        "Account followers at the end of the period: per channel the value on the last day "
        "with a value; over several channels the sum of each channel's last value.",
        Unit.COUNT,
        SECTION,
        Custom(_followers_end),
        fact="follower_days",
        dimensions=("channel",),
        better=Better.HIGHER,
        notes=FOLLOWER_NOTES,
    ),
    MetricSpec(
        "followers_start",
        "Followers at the start",
        "Account followers on the day before the period (per channel the last value on or "
        "before it, summed over channels) — the base of follower_growth_rate.",
        Unit.COUNT,
        SECTION,
        Custom(_followers_start),
        fact="follower_days",
        dimensions=("channel",),
        better=Better.NEUTRAL,
        notes=FOLLOWER_NOTES,
    ),
    MetricSpec(
        "net_follower_growth",
        "Net follower growth",
        "Followers at the end of the period − followers on the day before the period, per "
        "channel, then summed.",
        Unit.COUNT,
        SECTION,
        Custom(_net_growth),
        fact="follower_days",
        dimensions=("channel",),
        notes=FOLLOWER_NOTES,
    ),
    MetricSpec(
        "follower_growth_rate",
        "Follower growth rate",
        "net_follower_growth / followers_start (followers on the day before the period); "
        "null when that start value is 0 or missing.",
        Unit.RATIO,
        SECTION,
        Ratio("net_follower_growth", "followers_start"),
        dimensions=("channel",),
        notes=FOLLOWER_NOTES,
    ),
    MetricSpec(
        "posts_published",
        "Posts published",
        "Posts with published_at in the period.",
        Unit.COUNT,
        SECTION,
        Count(),
        fact="published_posts",
        dimensions=("channel", "kind", "post_kind"),
        chart=Chart.BAR,
        better=Better.NEUTRAL,
        notes="Every row of `posts`, lives (kind live) included. `post_kind` is the same as "
        "`kind`, offered so posts_published combines with the content counters by kind.",
    ),
    MetricSpec(
        "click_through_rate",
        "Click-through rate (content)",
        "Σ link_clicks / Σ impressions over post-level content_metrics rows dated in the period.",
        Unit.RATIO,
        SECTION_CONSIDERATION,
        Ratio("link_clicks", "impressions"),
        dimensions=("channel", "post_id"),
        notes="Null when the slice's impressions are 0. " + ACTIVITY_NOTES,
    ),
)
