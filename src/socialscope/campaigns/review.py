"""The campaign review runner: a typed request in, a typed result (and its JSON) out.

For a campaign, a post or a live it answers two questions of a marketing project review:
what the top of the funnel must deliver for a sales target (targets, from the shop's
trailing rates), and whether site traffic, the ad conversion rate and sales moved after
the launch beyond what the weeks before predicted (lift). Every number comes from
registered metrics through `Client.query`; see docs/campaign-review.md for the method.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from socialscope.campaigns.baseline import MIN_WEEKS
from socialscope.campaigns.chains import chain_steps, trailing_values
from socialscope.campaigns.lift import LiftWindow, MetricLift, measure
from socialscope.campaigns.subjects import KINDS, Kind, find_subject
from socialscope.campaigns.targets import Rate, TargetPlan, back_calculate
from socialscope.client import Client
from socialscope.metrics.query import QueryError


class ReviewError(QueryError):
    """A review request that cannot be answered, with what to change."""


@dataclass(frozen=True)
class CampaignReviewRequest:
    shop: str | None  # None: the store's only shop
    kind: Kind
    ref: str  # the campaign name (utm campaign), post_id or live_id
    launch: date | None = None  # default: the subject's start (see subjects.py)
    days_after: int = 14
    weeks_before: int = 6
    trailing_days: int = 28
    target_sales: Decimal | None = None  # in the shop's currency
    interval: float = 0.9


@dataclass(frozen=True)
class CampaignReviewResult:
    shop: str
    kind: Kind
    ref: str
    channel: str | None
    currency: str | None
    launch: date
    launch_from: str  # "given", or where the default launch date was read
    interval: float
    trailing_from: date  # the trailing period the rates come from
    trailing_to: date
    targets: TargetPlan
    window_from: date | None  # the data window of the lift: history start ...
    window_to: date | None  # ... to the last day after the launch that was compared
    days_after: int  # days compared (fewer than asked when the data ends sooner)
    lift: tuple[MetricLift, ...]
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


def _plain(value: Any) -> Any:
    """JSON-safe like the CLI's other JSON: dates ISO, Decimals as numbers, rates with their
    value."""
    if isinstance(value, Rate):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)} | {
            "value": _plain(value.value)
        }
    if isinstance(value, TargetPlan):
        return {
            "target": _plain(value.target),
            "complete": value.complete,
            "stopped": value.stopped,
            "stages": _plain(value.stages),
        }
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _check(req: CampaignReviewRequest) -> None:
    if req.kind not in KINDS:
        raise ReviewError(f"unknown kind {req.kind!r}; use one of: {', '.join(KINDS)}")
    if req.days_after < 1:
        raise ReviewError(f"days_after must be at least 1, got {req.days_after}")
    if req.weeks_before < MIN_WEEKS:
        raise ReviewError(
            f"weeks_before must be at least {MIN_WEEKS} (every weekday seen twice), "
            f"got {req.weeks_before}"
        )
    if req.trailing_days < 1:
        raise ReviewError(f"trailing_days must be at least 1, got {req.trailing_days}")
    if not 0 < req.interval < 1:
        raise ReviewError(f"interval must lie between 0 and 1, got {req.interval}")
    if req.target_sales is not None and req.target_sales < 0:
        raise ReviewError(f"target_sales cannot be negative, got {req.target_sales}")


def _shop(client: Client, shop: str | None) -> str:
    shops = client.shops()
    if shop is None:
        if len(shops) != 1:
            names = ", ".join(sorted(shops)) or "none"
            raise ReviewError(f"name a shop (--shop); shops in this store: {names}")
        return next(iter(shops))
    if shop not in shops:
        raise ReviewError(f"unknown shop {shop!r}; shops in this store: {', '.join(sorted(shops))}")
    return shop


def _last_data_day(client: Client, shop: str) -> date | None:
    """The shop's last local date with a session or an order: the lift compares no day
    after it (a review run mid-campaign compares the days so far)."""
    days: list[date] = []
    for metric in ("sessions", "order_count"):
        res = client.query([metric], by=["date"], shop=shop, dense=False)
        days += [r["date"] for r in res.rows if r[metric]]
    return max(days, default=None)


def run_review(client: Client, req: CampaignReviewRequest) -> CampaignReviewResult:
    """Targets and lift for one campaign, post or live."""
    _check(req)
    shop = _shop(client, req.shop)
    subject = find_subject(client, req.kind, shop, req.ref, planned=req.launch is not None)
    launch = req.launch or subject.start
    if launch is None:
        raise ReviewError(f"{req.kind} {req.ref!r} has no start date; pass --launch")
    launch_from = "given" if req.launch is not None else subject.start_from
    currency = client.shops()[shop].get("currency")
    notes: list[str] = []

    trailing_from = launch - timedelta(days=req.trailing_days)
    trailing_to = launch - timedelta(days=1)
    values = trailing_values(client, req.kind, shop, currency, trailing_from, trailing_to)
    plan = back_calculate(req.target_sales, chain_steps(req.kind, values))

    last = _last_data_day(client, shop)
    window_from = window_to = None
    lift: tuple[MetricLift, ...] = ()
    days = 0
    if last is None or last < launch:
        notes.append(f"no lift: the shop has no session or order on or after the launch ({launch})")
    else:
        window_to = min(launch + timedelta(days=req.days_after - 1), last)
        days = (window_to - launch).days + 1
        if days < req.days_after:
            notes.append(
                f"the data ends on {last}: {days} of the {req.days_after} days after the "
                f"launch are compared"
            )
        window = LiftWindow(
            launch=launch,
            history_from=launch - timedelta(days=7 * req.weeks_before),
            after_to=window_to,
            weeks_before=req.weeks_before,
            level=req.interval,
        )
        lift = measure(client, shop, window, subject.channel, currency)
        starts = [m.history_from for m in lift if m.history_from is not None]
        window_from = min(starts, default=window.history_from)
    return CampaignReviewResult(
        shop=shop,
        kind=req.kind,
        ref=req.ref,
        channel=subject.channel,
        currency=currency,
        launch=launch,
        launch_from=launch_from,
        interval=req.interval,
        trailing_from=trailing_from,
        trailing_to=trailing_to,
        targets=plan,
        window_from=window_from,
        window_to=window_to,
        days_after=days,
        lift=lift,
        notes=tuple(notes),
    )
