"""What is being reviewed: a campaign, a post or a live — its channel and its launch date.

This identifies the subject, it measures nothing: a post's channel and publish date and a
live's channel and start date are attributes of their rows (posts, live_sessions), read
from the store as they are. A campaign has no row of its own; it starts on the first local
date with a session in it (the `sessions` metric sliced by campaign) or with an order
tagged with it that was not cancelled (orders.campaign: no order metric is sliced by
campaign, so that date is read from the orders themselves).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from socialscope.client import Client
from socialscope.metrics.query import QueryError

Kind = Literal["campaign", "post", "live"]
KINDS: tuple[Kind, ...] = ("campaign", "post", "live")


class SubjectError(QueryError):
    """The campaign, post or live cannot be found (the message names what was looked for)."""


@dataclass(frozen=True)
class Subject:
    kind: Kind
    ref: str
    channel: str | None  # the post's or live's channel; None for a campaign
    start: date | None  # its launch date (shop-local); None when it has no data yet
    start_from: str  # what the start date is, e.g. "posts.published_at (local date)"


def _day(value: Any) -> date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, datetime) else value


def _rows(client: Client, table: str, shop: str, key: str, ref: str, cols: list[str]) -> Any:
    t = client.engine.table(table)
    expr = t.filter((t.shop_id == shop) & (t[key] == ref)).select(*cols)
    return expr.to_pyarrow().to_pylist()


def _entity(client: Client, kind: Kind, shop: str, ref: str) -> Subject:
    table, key, column = (
        ("posts", "post_id", "published_at")
        if kind == "post"
        else ("live_sessions", "live_id", "started_at")
    )
    rows = _rows(client, table, shop, key, ref, ["channel", f"{column}_local"])
    if not rows:
        raise SubjectError(f"no {kind} {ref!r} in shop {shop!r} (table {table})")
    channels = sorted({r["channel"] for r in rows})
    if len(channels) > 1:
        raise SubjectError(
            f"{kind} {ref!r} exists on several channels ({', '.join(channels)}) in shop "
            f"{shop!r}; its review would mix them"
        )
    return Subject(
        kind,
        ref,
        channels[0],
        _day(rows[0][f"{column}_local"]),
        f"{table}.{column} (local date)",
    )


def _campaign(client: Client, shop: str, ref: str) -> Subject:
    res = client.query(["sessions"], by=["date"], shop=shop, where={"campaign": [ref]}, dense=False)
    session_days = [r["date"] for r in res.rows if r["sessions"]]
    t = client.engine.table("orders")
    first_order = (
        t.filter((t.shop_id == shop) & (t.campaign == ref) & t.cancelled_at.isnull())
        .created_at_local.min()
        .to_pyarrow()
        .as_py()
    )
    starts = [d for d in (min(session_days, default=None), _day(first_order)) if d is not None]
    if not starts:
        raise SubjectError(
            f"campaign {ref!r} has no session and no order in shop {shop!r}; pass --launch "
            f"to plan one that has not started"
        )
    return Subject(
        "campaign", ref, None, min(starts), "the campaign's first session or order, local date"
    )


def find_subject(client: Client, kind: Kind, shop: str, ref: str, planned: bool) -> Subject:
    """The subject; `planned` (a launch date was given) lets a campaign without data pass."""
    if kind not in KINDS:
        raise SubjectError(f"unknown kind {kind!r}; use one of: {', '.join(KINDS)}")
    if kind != "campaign":
        return _entity(client, kind, shop, ref)
    try:
        return _campaign(client, shop, ref)
    except SubjectError:
        if not planned:
            raise
        return Subject("campaign", ref, None, None, "given")
