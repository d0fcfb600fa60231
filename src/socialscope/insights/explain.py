"""Rank what happened around a flagged point.

An event is a candidate when its local time lies in [point start − window, point end)
(window: 2 days for the daily grain, 3 h for the hourly grain; a week or month bucket is
its own slot, with a lead-in of 2 / 3 days); staff absences are
measured over the point's own slot. Its score is

    score = impact × timing × direction

* impact — how unusual the event is (see insights/events.py and insights/staff.py);
* timing — 1 inside the point's slot, else 0.5 ** (time before the slot / (window / 2)):
  an event the day before counts half, two days before a quarter;
* direction — events that bring activity (post, live, campaign, product, big order) count
  fully for a rise and half for a drop; staff absences and refunds the other way round
  (refunds count fully both ways for a refund metric, e.g. refund_amount);
  orders and refunds weigh 0.3 more when the metric is not about sales;
* at most 3 explanations of one kind per point.

With a channel (a `channel` dimension or filter), events of another channel are left out
(events without a channel are kept); with a currency slice (money metrics), orders and
refunds of another currency are left out. Explanations are sorted by score, highest first, at
most `MAX_EXPLANATIONS` per point.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from socialscope.insights import events as ev
from socialscope.insights import staff as st
from socialscope.insights.baseline import Bucket, add_months

if TYPE_CHECKING:
    from socialscope.client import Client

MAX_EXPLANATIONS = 10
PER_KIND = 3
"""At most 3 explanations of one kind per point (the highest scored): a busy day's fourth
big order adds nothing a reader needs."""
OFF_TOPIC = 0.3
"""Weight of orders and refunds when the metric is not about sales (sections 4 and 7, or
money): a big order rarely explains a rise in conversations."""
DEFAULT_WINDOW = {
    "day": timedelta(days=2),
    "hour": timedelta(hours=3),
    "week": timedelta(days=2),
    "month": timedelta(days=3),
}
STAFF_HISTORY = {
    "day": timedelta(days=43),
    "hour": timedelta(days=8),
    "week": timedelta(days=7 * 6 + 1),
    "month": timedelta(days=31 * 6 + 1),
}
"""How far before the first slot the agents' log is read (their peer slots, staff.py)."""
REFUND_STRETCHES = 20
MIN_REFUND_STRETCHES = 4
"""Week/month windows compare their refund count with at most 20 earlier stretches, and only
those after the shop's first known refund (at least 4 of them, else no "many refunds")."""
ACTIVITY = frozenset({"post", "live", "campaign", "product", "big_order"})
MANY_REFUNDS_Z = 3.0


@dataclass(frozen=True)
class Found:
    """An event chosen for one point, with its score (the explanation before formatting)."""

    event: ev.Event
    score: float


def slot(bucket: Bucket, grain: str) -> tuple[datetime, datetime]:
    """A point's local span [start, end)."""
    if grain in ("day", "week", "month"):
        assert isinstance(bucket, date)
        start = datetime(bucket.year, bucket.month, bucket.day)
        if grain == "day":
            return start, start + timedelta(days=1)
        if grain == "week":
            return start, start + timedelta(days=7)
        nxt = add_months(bucket, 1)
        return start, datetime(nxt.year, nxt.month, nxt.day)
    assert isinstance(bucket, datetime)
    return bucket, bucket + timedelta(hours=1)


class Explainer:
    """Loads the shop's events once for a run, then explains each flagged point."""

    def __init__(
        self,
        client: Client,
        shop: str,
        timezone: str,
        grain: str,
        first: Bucket,
        last: Bucket,
        window: timedelta | None = None,
        sales: bool = True,
        refunds: bool = False,
    ) -> None:
        self.grain = grain
        self.sales = sales
        self.refunds = refunds
        self.window = window if window is not None else DEFAULT_WINDOW[grain]
        lo = slot(first, grain)[0] - self.window
        hi = slot(last, grain)[1]
        span = ev.Span(lo, hi, timezone)
        self.events: list[ev.Event] = [
            *ev.posts(client, shop, span),
            *ev.lives(client, shop, span),
            *ev.campaigns(client, shop, span),
            *ev.products(client, shop, span),
            *ev.big_orders(client, shop, span),
            *ev.refunds(client, shop, span),
        ]
        refund_span = span
        if grain in ("week", "month"):  # 20 earlier stretches of a window's length
            longest = slot(last, grain)[1] - slot(last, grain)[0] + self.window
            extra = max(timedelta(0), longest * REFUND_STRETCHES - ev.AMOUNT_HISTORY)
            refund_span = ev.Span(lo - extra, hi, timezone)
        self.refund_days = ev.refund_counts(client, shop, refund_span)
        self.first_refund = min(self.refund_days, default=None)
        history = STAFF_HISTORY[grain]
        self.staff = st.load(client, shop, ev.Span(lo - history, hi, timezone))
        self.timezone = timezone

    def _timing(self, local: datetime, start: datetime) -> float:
        if local >= start:
            return 1.0
        half = self.window.total_seconds() / 2 or 1.0
        return float(0.5 ** ((start - local).total_seconds() / half))

    def _many_refunds(self, start: datetime, end: datetime) -> ev.Event | None:
        """More refunds on the window's local dates than on the same number of dates
        before (20 earlier stretches; robust z >= 3, at least 2 refunds)."""
        lo = start - self.window
        first, last = lo.date(), (end - timedelta(microseconds=1)).date()
        length = (last - first).days + 1
        dates = [first + timedelta(days=i) for i in range(length)]
        n = sum(self.refund_days.get(d, 0) for d in dates)
        stretches = range(1, REFUND_STRETCHES + 1)
        if self.grain in ("week", "month"):  # no stretch before the shop's refunds began
            if self.first_refund is None:
                return None
            stretches = range(
                1, min(REFUND_STRETCHES, (first - self.first_refund).days // length) + 1
            )
            if len(stretches) < MIN_REFUND_STRETCHES:
                return None
        past = [
            float(sum(self.refund_days.get(d - timedelta(days=length * k), 0) for d in dates))
            for k in stretches
        ]
        usual = statistics.median(past)
        z = ev.robust_z(float(n), past)
        if n < 2 or n <= usual or z < MANY_REFUNDS_Z:
            return None
        return ev.Event(
            "refund",
            ev.local_to_utc(lo, self.timezone),
            lo,
            "explain_refunds_many",
            {"n": str(n), "usual": f"{usual:g}"},
            {"refunds": str(n), "usual": f"{usual:g}"},
            1.0 + min(z, 20.0) / 4,
        )

    def explain(
        self,
        bucket: Bucket,
        direction: str,
        channel: str | None = None,
        currency: str | None = None,
    ) -> list[Found]:
        start, end = slot(bucket, self.grain)
        lo = start - self.window
        candidates: list[ev.Event] = [e for e in self.events if lo <= e.local < end]
        many = self._many_refunds(start, end)
        if many is not None:
            candidates.append(many)
        candidates.extend(st.absences(self.staff, start, end, self.grain))
        found = []
        for e in candidates:
            if channel is not None and e.channel is not None and e.channel != channel:
                continue
            if currency is not None and e.currency is not None and e.currency != currency:
                continue
            if e.kind in ACTIVITY:
                weight = 1.0 if direction == "up" else 0.5
            elif e.kind == "refund" and self.refunds:
                weight = 1.0  # a refund metric: refunds are its very events
            else:  # staff absences and refunds take activity (or money) away
                weight = 1.0 if direction == "down" else 0.5
            if e.kind in ("big_order", "refund") and not self.sales:
                weight *= OFF_TOPIC
            found.append(Found(e, round(e.impact * self._timing(e.local, start) * weight, 4)))
        found.sort(key=lambda f: (-f.score, f.event.at, f.event.label))
        kept: list[Found] = []
        per_kind: dict[str, int] = {}
        for f in found:
            per_kind[f.event.kind] = per_kind.get(f.event.kind, 0) + 1
            if per_kind[f.event.kind] <= PER_KIND:
                kept.append(f)
        return kept[:MAX_EXPLANATIONS]


def channel_of(dims: dict[str, Any], where: Sequence[str] | None) -> str | None:
    """The one channel a slice is about, if any (a dimension value or a single filter)."""
    value = dims.get("channel")
    if value is not None:
        return str(value)
    if where is not None and len(where) == 1:
        return str(where[0])
    return None
