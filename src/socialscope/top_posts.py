"""Top posts (METRICS.md section 5): posts ranked by engagement_rate_by_reach.

Built from the registered content metrics queried by (channel, post_id) — the same
numbers `socialscope query` gives — plus each post's kind, publish time and caption from
`posts`. Activity basis, like the metrics: a post is listed when it has post-level
content_metrics rows dated in the period, whenever it was published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from socialscope.client import Client

RANK_METRIC = "engagement_rate_by_reach"
COUNTERS: tuple[str, ...] = (
    "impressions",
    "reach",
    "engagements",
    "engagement_rate_by_reach",
    "engagement_rate_by_impressions",
    "link_clicks",
    "video_views",
)
COLUMNS: tuple[str, ...] = (
    "rank",
    "channel",
    "post_id",
    "kind",
    "published_at",
    *COUNTERS,
    "caption",
)
"""Output columns; published_at is the shop-local wall-clock time."""


@dataclass(frozen=True)
class TopPosts:
    shop: str | None
    date_from: date | None
    date_to: date | None
    rows: list[dict[str, Any]]


def rank_key(row: dict[str, Any]) -> tuple[Any, ...]:
    """Highest rate first; posts without reach (rate null) last; ties: more engagements
    first, then post_id, then channel (ascending)."""
    rate = row[RANK_METRIC]
    return (
        rate is None,
        -(rate or 0.0),
        -(row["engagements"] or 0),
        row["post_id"],
        row["channel"],
    )


def top_posts(
    client: Client,
    shop: str | None = None,
    date_from: date | str | None = None,
    date_to: date | str | None = None,
    channel: str | None = None,
    kind: str | None = None,
    limit: int | None = 10,
) -> TopPosts:
    """The `limit` best posts of a shop in the period (all when limit is None), optionally
    of one channel or post kind. Without dates: the runner's default (the posts' span)."""
    if limit is not None and limit < 1:
        raise ValueError("limit must be at least 1")
    where: dict[str, list[str]] = {}
    if channel:
        where["channel"] = [channel]
    if kind:
        where["post_kind"] = [kind]
    result = client.query(
        list(COUNTERS),
        by=["channel", "post_id"],
        date_from=date_from,
        date_to=date_to,
        shop=shop,
        where=where or None,
    )
    rows = sorted((dict(r) for r in result.rows), key=rank_key)
    if limit is not None:
        rows = rows[:limit]
    shop_id = shop if shop is not None else _only_shop(client)
    details = _post_details(client, shop_id, [r["post_id"] for r in rows])
    out = []
    for i, row in enumerate(rows, start=1):
        info = details.get((row["channel"], row["post_id"]), {})
        out.append(
            {
                "rank": i,
                **row,
                "kind": info.get("kind"),
                "published_at": info.get("published_at_local"),
                "caption": info.get("caption"),
            }
        )
    return TopPosts(shop_id, result.date_from, result.date_to, out)


def _only_shop(client: Client) -> str | None:
    shops = sorted(client.shops())
    return shops[0] if len(shops) == 1 else None


def _post_details(
    client: Client, shop: str | None, post_ids: list[str]
) -> dict[tuple[str, str], dict[str, Any]]:
    if shop is None or not post_ids:
        return {}
    posts = client.engine.table("posts")
    rows = (
        posts.filter(posts.shop_id == shop, posts.post_id.isin(post_ids))
        .select("channel", "post_id", "kind", "published_at_local", "caption")
        .to_pyarrow()
        .to_pylist()
    )
    return {(r["channel"], r["post_id"]): r for r in rows}
