"""METRICS.md section 6: consideration — site traffic (進站), leads, sessions before purchase.

Session metrics live on the fact `sessions` (web_sessions dated by started_at, local);
leads on `leads` (lead / signup touchpoints, dated by their ts); sessions before purchase
on `first_purchases` (one row per customer whose first paid order was paid in the period,
dated by that payment). How the rows are built is in `consideration_facts.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from socialscope.metrics.factspec import FactSpec
from socialscope.metrics.library.consideration_facts import (
    LOOKBACK_DAYS,
    SOCIAL_CHANNELS,
    SOCIAL_MEDIA,
    is_social,
    prepare_first_purchases,
    prepare_leads,
)
from socialscope.metrics.spec import (
    Better,
    Count,
    CountDistinct,
    Custom,
    MetricSpec,
    Ratio,
    Sum,
    Unit,
)

SECTION = "6. Consideration"

SESSION_DIMENSIONS = ("channel", "source", "medium", "campaign", "device")

SESSION_NOTES = (
    "A session is in the period when its started_at (shop-local) is; a visit that runs past "
    "midnight belongs to the day it started. Slices use the session's own channel, source, "
    "medium, campaign and device as imported (no normalisation)."
)
SOCIAL_NOTES = (
    f"Social channels (SCHEMA enum): {', '.join(sorted(SOCIAL_CHANNELS))}. Not social: "
    "web_chat (the shop's own site chat), email and sms (owned direct messaging), other "
    "(unknown). A session is also social when its medium, lower-cased with '-' and ' ' read "
    f"as '_', is one of {', '.join(sorted(SOCIAL_MEDIA))} — so Social, Paid-Social, "
    "social-paid and 'social media' count; cpc, email or referral do not."
)
DURATION_NOTES = (
    " A session without a value (null) is left out of both the sum and the count, so it "
    "neither counts as 0 s nor changes the mean; the mean is the ratio of the summed parts "
    "(so it aggregates correctly over days and slices)."
)
LEAD_NOTES = (
    "A lead is a visitor (visitor_id) with ≥1 touchpoint of event lead or signup whose ts "
    "(local) is in the period, counted once however many such events. channel is the "
    "touchpoint's channel, trimmed and lower-cased so it meets the session enum ('Facebook' "
    "→ facebook; blank → none); a visitor with leads on two channels is a lead of each, "
    "once in the total."
)
LEAD_RATE_NOTES = (
    LEAD_NOTES
    + " lead_rate = leads / visitors of the same slice, from the summed parts: for a date or "
    "a channel, the leads dated / labelled so (by the lead touchpoint) over the visitors "
    "with a session started that day / from that channel (by the session). The two sets are "
    "not nested: a lead by a visitor without a session in the slice (e.g. a platform lead "
    "form) still counts, so the rate can exceed 1, and a slice with leads but no visitors "
    "has no rate (null)."
)
FIRST_PURCHASE_NOTES = (
    "Customers (orders.customer_id) whose first paid order ever in the shop (smallest "
    "paid_at among orders with paid_at and no cancelled_at) was paid in the period (local); "
    "an order that is not their first paid one adds nobody. Their sessions: web_sessions "
    "with their customer_id, plus sessions without a customer_id of a visitor linked to "
    "them (a visitor_id that appears with their customer_id on any web session or "
    "touchpoint); a session of another customer never counts. Counted: sessions with "
    f"paid_at − {LOOKBACK_DAYS} days ≤ started_at < paid_at (exact 24-hour days; a session "
    f"{LOOKBACK_DAYS} days + 1 s before does not count, nor one started at or after the "
    "payment). A customer with no such session counts with 0. first_session_channel is the "
    "channel of the earliest of those sessions (ties: session_id); null when it has none or "
    "there were no sessions."
)
MEDIAN_NOTES = (
    " The median is the usual one: with an even number of customers, the mean of the two "
    "middle values (so it can be 1.5); null when no customer is in the slice."
)

FACTS: tuple[FactSpec, ...] = (
    FactSpec(
        "sessions",
        "web_sessions",
        "started_at_local",
        {d: d for d in SESSION_DIMENSIONS},
        "Web sessions, dated by started_at.",
    ),
    FactSpec(
        "leads",
        "touchpoints",
        "ts_local",
        {"channel": "channel"},
        "Touchpoints of event lead or signup, dated by their ts; channel normalised.",
        prepare=prepare_leads,
    ),
    FactSpec(
        "first_purchases",
        "d_orders",
        "paid_at_local",
        {"first_session_channel": "first_session_channel"},
        "One row per customer whose first paid order (not cancelled) was paid in the period, "
        f"dated by that payment, with their sessions in the {LOOKBACK_DAYS} days before it.",
        prepare=prepare_first_purchases,
    ),
)


def _median_sessions(t: Any, params: Mapping[str, Any]) -> Any:
    return t.n_sessions.median()


METRICS: tuple[MetricSpec, ...] = (
    MetricSpec(
        "sessions",
        "Sessions",
        "Web sessions started in the period.",
        Unit.COUNT,
        SECTION,
        Count(),
        fact="sessions",
        dimensions=SESSION_DIMENSIONS,
        notes=SESSION_NOTES,
    ),
    MetricSpec(
        "social_sessions",
        "Social sessions",
        "Sessions started in the period whose channel is a social channel (SCHEMA enum) or "
        "whose medium is social / paid_social.",
        Unit.COUNT,
        SECTION,
        Count(is_social),
        fact="sessions",
        dimensions=SESSION_DIMENSIONS,
        notes=SESSION_NOTES + " " + SOCIAL_NOTES,
    ),
    MetricSpec(
        "social_session_share",
        "Social session share",
        "social_sessions / sessions.",
        Unit.RATIO,
        SECTION,
        Ratio("social_sessions", "sessions"),
        dimensions=SESSION_DIMENSIONS,
        better=Better.NEUTRAL,
        notes=SOCIAL_NOTES,
    ),
    MetricSpec(
        "visitors",
        "Visitors",
        "Distinct visitor_id with a session started in the period — over the whole slice, "
        "never a sum of daily distinct counts.",
        Unit.COUNT,
        SECTION,
        CountDistinct("visitor_id"),
        fact="sessions",
        dimensions=SESSION_DIMENSIONS,
        notes=SESSION_NOTES
        + " By channel (or source, ...), a visitor with sessions from two channels is a "
        "visitor of each and once in the total.",
    ),
    MetricSpec(
        "session_duration_total",
        "Session time, total",
        "Σ duration_s of sessions started in the period (part of avg_session_duration).",
        Unit.SECONDS,
        SECTION,
        Sum("duration_s"),
        fact="sessions",
        dimensions=SESSION_DIMENSIONS,
        better=Better.NEUTRAL,
        notes=SESSION_NOTES + DURATION_NOTES + " Null when no session has a duration.",
    ),
    MetricSpec(
        "sessions_with_duration",
        "Sessions with a duration",
        "Sessions started in the period whose duration_s is known.",
        Unit.COUNT,
        SECTION,
        Count(lambda t: t.duration_s.notnull()),
        fact="sessions",
        dimensions=SESSION_DIMENSIONS,
        better=Better.NEUTRAL,
        notes=SESSION_NOTES + DURATION_NOTES,
    ),
    MetricSpec(
        "avg_session_duration",
        "Average session duration",
        "Mean duration_s of the sessions started in the period that have one "
        "(session_duration_total / sessions_with_duration).",
        Unit.SECONDS,
        SECTION,
        Ratio("session_duration_total", "sessions_with_duration"),
        dimensions=SESSION_DIMENSIONS,
        notes=SESSION_NOTES + DURATION_NOTES,
    ),
    MetricSpec(
        "engaged_time_total",
        "Engaged time, total",
        "Σ engaged_s of sessions started in the period (part of avg_engaged_time).",
        Unit.SECONDS,
        SECTION,
        Sum("engaged_s"),
        fact="sessions",
        dimensions=SESSION_DIMENSIONS,
        better=Better.NEUTRAL,
        notes=SESSION_NOTES + DURATION_NOTES + " Null when no session has an engaged time.",
    ),
    MetricSpec(
        "sessions_with_engaged_time",
        "Sessions with an engaged time",
        "Sessions started in the period whose engaged_s is known.",
        Unit.COUNT,
        SECTION,
        Count(lambda t: t.engaged_s.notnull()),
        fact="sessions",
        dimensions=SESSION_DIMENSIONS,
        better=Better.NEUTRAL,
        notes=SESSION_NOTES + DURATION_NOTES,
    ),
    MetricSpec(
        "avg_engaged_time",
        "Average engaged time",
        "Mean engaged_s of the sessions started in the period that have one "
        "(engaged_time_total / sessions_with_engaged_time).",
        Unit.SECONDS,
        SECTION,
        Ratio("engaged_time_total", "sessions_with_engaged_time"),
        dimensions=SESSION_DIMENSIONS,
        notes=SESSION_NOTES + DURATION_NOTES,
    ),
    MetricSpec(
        "leads",
        "Leads",
        "Distinct visitors with a lead or signup touchpoint in the period.",
        Unit.COUNT,
        SECTION,
        CountDistinct("visitor_id"),
        fact="leads",
        dimensions=("channel",),
        notes=LEAD_NOTES,
    ),
    MetricSpec(
        "lead_rate",
        "Lead rate",
        "leads / visitors of the same slice.",
        Unit.RATIO,
        SECTION,
        Ratio("leads", "visitors"),
        dimensions=("channel",),
        notes=LEAD_RATE_NOTES,
    ),
    MetricSpec(
        "first_purchase_customers",
        "First-time buyers",
        "Customers whose first paid order (not cancelled) was paid in the period "
        "(part of sessions_before_purchase).",
        Unit.COUNT,
        SECTION,
        Count(),
        fact="first_purchases",
        dimensions=("first_session_channel",),
        notes=FIRST_PURCHASE_NOTES,
    ),
    MetricSpec(
        "first_purchase_sessions",
        "Sessions before first purchases",
        f"Σ over first-time buyers in the period of their sessions in the {LOOKBACK_DAYS} "
        "days before their first paid order (part of sessions_before_purchase).",
        Unit.COUNT,
        SECTION,
        Sum("n_sessions"),
        fact="first_purchases",
        dimensions=("first_session_channel",),
        better=Better.NEUTRAL,
        notes=FIRST_PURCHASE_NOTES,
    ),
    MetricSpec(
        "sessions_before_purchase",
        "Sessions before purchase (mean)",
        "Per customer whose first paid order was paid in the period: the number of their "
        f"sessions in the {LOOKBACK_DAYS} days before it, averaged "
        "(first_purchase_sessions / first_purchase_customers).",
        Unit.NUMBER,
        SECTION,
        Ratio("first_purchase_sessions", "first_purchase_customers"),
        dimensions=("first_session_channel",),
        better=Better.NEUTRAL,
        notes=FIRST_PURCHASE_NOTES + " The mean is null when no customer is in the slice.",
    ),
    MetricSpec(
        "sessions_before_purchase_median",
        "Sessions before purchase (median)",
        "Per customer whose first paid order was paid in the period: the number of their "
        f"sessions in the {LOOKBACK_DAYS} days before it, median.",
        Unit.NUMBER,
        SECTION,
        Custom(_median_sessions),
        fact="first_purchases",
        dimensions=("first_session_channel",),
        better=Better.NEUTRAL,
        notes=FIRST_PURCHASE_NOTES + MEDIAN_NOTES,
    ),
)
