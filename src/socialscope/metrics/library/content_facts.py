"""Preparation of the social-content facts (METRICS.md section 5), in Ibis.

`content_metrics` holds daily platform counters: post-level rows (a post_id) and
account-level rows (post_id empty: followers). Its `date` is the platform's day, taken as
the shop-local date; it has no timestamp twin, so every fact here writes that day's local
midnight into the time column the runner filters and buckets on. The facts are declared on
`posts` (whose `published_at_local` names that column); those built from content_metrics
read their default period (a query without from/to) from its `date` (`range_source`).

Three shapes:
- `post_days` — one row per post-level content_metrics row, with the post's kind and the
  engagements resolved (Σ engagements; where empty, likes + comments + shares + saves);
- `post_first_week` — one row per post, dated by its publish time, with its engagements
  in its first 7 local days and the account followers on its publish date;
- `follower_days` — one row per (shop, channel, local day of the period) from the
  channel's first follower value on: the followers at the end of that day and at the end
  of the day before, each the last value reported on or before that day (carried over
  days without a value).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import ibis

from socialscope.metrics.factspec import PERIOD_FROM, PERIOD_TO

Lookup = Callable[[str], Any]

TIME_COLUMN = "published_at_local"
"""The time column of every content fact (posts' local publish time: see the docstring)."""

FIRST_WEEK_DAYS = 7
"""A post's engagement window for engagement_rate_by_followers: publish date .. +6."""


def _present(column: Any) -> Any:
    return column.notnull() & (column != "")


def engagement_value(t: Any) -> Any:
    """Σ engagements as the platform reported it; where it left it empty, likes + comments
    + shares + saves, an empty part counting 0."""
    parts = [t[c].fill_null(0) for c in ("likes", "comments", "shares", "saves")]
    return t.engagements.coalesce(parts[0] + parts[1] + parts[2] + parts[3])


def _day_start(date_column: Any) -> Any:
    """A date as the local timestamp of its midnight."""
    return date_column.cast("timestamp")


def _post_rows(lookup: Lookup) -> Any:
    cm = lookup("content_metrics")
    return cm.filter(_present(cm.post_id))


def _account_followers(lookup: Lookup) -> Any:
    cm = lookup("content_metrics")
    cm = cm.filter(~_present(cm.post_id), cm.followers.notnull())
    return cm.select(
        v_shop=cm.shop_id, v_channel=cm.channel, v_date=cm.date, v_followers=cm.followers
    )


def prepare_post_days(t: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """Post-level content_metrics rows with the post's kind (`post_kind`, null when the post
    is not in `posts`) and `engagement_total`, dated by their day (local midnight)."""
    cm = _post_rows(lookup)
    kinds = t.select(k_shop=t.shop_id, k_channel=t.channel, k_post=t.post_id, post_kind=t.kind)
    j = cm.left_join(
        kinds,
        [cm.shop_id == kinds.k_shop, cm.channel == kinds.k_channel, cm.post_id == kinds.k_post],
    )
    return j.select(
        "shop_id",
        "channel",
        "post_id",
        "post_kind",
        "impressions",
        "reach",
        "video_views",
        "link_clicks",
        engagement_total=engagement_value(j),
        **{TIME_COLUMN: _day_start(j.date)},
    )


def prepare_post_first_week(t: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """posts -> one row per post with `first_week_engagements` (Σ engagement_value of its
    post-level rows dated publish date .. publish date + 6, local; null when it has none)
    and `publish_followers` (the account-level followers of its channel on its local
    publish date; null when that row or value is missing)."""
    posts = t.mutate(publish_date=t.published_at_local.date())
    cm = _post_rows(lookup)
    rows = cm.select(
        e_shop=cm.shop_id,
        e_channel=cm.channel,
        e_post=cm.post_id,
        e_date=cm.date,
        e_value=engagement_value(cm),
    )
    window = posts.select(
        w_shop=posts.shop_id,
        w_channel=posts.channel,
        w_post=posts.post_id,
        w_first=posts.publish_date,
    )
    hits = window.join(
        rows,
        [
            window.w_shop == rows.e_shop,
            window.w_channel == rows.e_channel,
            window.w_post == rows.e_post,
            rows.e_date >= window.w_first,
            rows.e_date < window.w_first + ibis.interval(days=FIRST_WEEK_DAYS),
        ],
    )
    week = hits.group_by(g_shop=hits.w_shop, g_channel=hits.w_channel, g_post=hits.w_post).agg(
        first_week_engagements=hits.e_value.sum()
    )
    posts = posts.left_join(
        week,
        [
            posts.shop_id == week.g_shop,
            posts.channel == week.g_channel,
            posts.post_id == week.g_post,
        ],
    ).drop("g_shop", "g_channel", "g_post")
    fol = _account_followers(lookup)
    posts = posts.left_join(
        fol,
        [
            posts.shop_id == fol.v_shop,
            posts.channel == fol.v_channel,
            posts.publish_date == fol.v_date,
        ],
    )
    return posts.mutate(publish_followers=posts.v_followers).drop(
        "v_shop", "v_channel", "v_date", "v_followers"
    )


def _latest_match(left: Any, right: Any, on: Any, keys: list[Any]) -> Any:
    """Each `left` row with the `right` row of greatest v_day satisfying `on` and `keys`
    (nulls when none): a left as-of join written as join + row_number."""
    cols = left.columns
    joined = left.left_join(right, [*keys, on])
    rank = ibis.row_number().over(
        group_by=[joined[c] for c in cols],
        order_by=[joined.v_day.desc(), joined.v_followers.desc()],
    )
    joined = joined.mutate(_rn=rank)
    return joined.filter(joined._rn == 0).drop("_rn")


def prepare_follower_days(t: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """One row per (shop, channel, local day of the period) once the channel has a follower
    value: `end_followers` (the last account-level value dated on or before the day) and
    `prev_followers` (the last one dated before it; null when there is none), dated by the
    day's local midnight."""
    fol = _account_followers(lookup)
    fol = fol.mutate(v_day=_day_start(fol.v_date))
    p_from, p_to = params[PERIOD_FROM], params[PERIOD_TO]
    channels = (
        fol.filter(fol.v_day < p_to).select(shop_id=fol.v_shop, channel=fol.v_channel).distinct()
    )
    days = channels.mutate(day=ibis.range(p_from, p_to, ibis.interval(days=1)).unnest())
    # "the last value on or before": a join on the bounds and the latest match per row,
    # not asof_join (Spark has no as-of join; the answer is the same on DuckDB)
    end = _latest_match(
        days,
        fol,
        days.day >= fol.v_day,
        [days.shop_id == fol.v_shop, days.channel == fol.v_channel],
    )
    end = end.filter(end.v_followers.notnull()).select(
        "shop_id", "channel", "day", end_followers=end.v_followers
    )
    prev = fol.view()
    both = _latest_match(
        end, prev, end.day > prev.v_day, [end.shop_id == prev.v_shop, end.channel == prev.v_channel]
    )
    return both.select(
        "shop_id",
        "channel",
        "end_followers",
        prev_followers=both.v_followers,
        **{TIME_COLUMN: both.day},
    )
