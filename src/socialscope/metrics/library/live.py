"""METRICS.md section 5: lives (viewers, peak, watch time) and the comment-to-order
sales funnels of lives and posts.

Live counters live on `lives` (live_sessions, dated by started_at). The funnels live on
`live_funnel_customers` / `post_funnel_customers`: one row per (live or post, customer)
in any step, dated by the live's start / the post's publish time; how they are built is in
`live_facts.py`. Step counts are distinct customers over the slice; each step rate is a
ratio of two of them (so it can exceed 1: see FUNNEL_NOTES).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from socialscope.metrics.factspec import FactSpec
from socialscope.metrics.library.live_facts import prepare_live_funnel, prepare_post_funnel
from socialscope.metrics.spec import Chart, CountDistinct, Custom, MetricSpec, Ratio, Sum, Unit

SECTION = "5. Social content and live"
LIVE_DIMENSIONS = ("channel", "live_id")
POST_DIMENSIONS = ("channel", "post_id")

LIVE_NOTES = (
    "Lives started in the period (started_at, shop-local); an empty counter counts 0. "
    "Figures are as the platform reported them for the whole live."
)
FUNNEL_NOTES = (
    "Cohort: the {entity} {dated} in the period (shop-local); its comments and orders count "
    "whenever they came (up to the time of the query). Customers are identity-resolved: a "
    "comment's author counts as the customer its (channel, identity) maps to in "
    "`identities`, so an Instagram commenter mapped to a store customer who ordered is one "
    "customer in both steps. Steps: commenting = a customer comment (author customer, not "
    "deleted; page replies never count) {where}; keyword = such a comment that is a "
    "purchase intent (the shop's / post's keyword rules, d_comment_intents); ordering = a "
    "customer_id of an order of source {source} with that {key}, not cancelled{extra}; "
    "paying = such an order with paid_at (refunds do not change it). Each step is counted "
    "as defined, not as a subset of the step before: customers of the {entity}'s orders "
    "count as ordering whether they commented or not, so a step rate can exceed 1. Without "
    "{key} as a dimension a customer in several {entity}s counts once (distinct over the "
    "slice)."
)
LIVE_FUNNEL_NOTES = FUNNEL_NOTES.format(
    entity="live",
    dated="started",
    where="with that live_id",
    source="live",
    key="live_id",
    extra="",
)
POST_FUNNEL_NOTES = FUNNEL_NOTES.format(
    entity="post",
    dated="published",
    where="on that post (same channel and post_id) without a live_id — comments written "
    "during a live belong to the live funnel",
    source="post",
    key="post_id",
    extra=" (and of the post's channel when the order has a channel)",
)

FACTS: tuple[FactSpec, ...] = (
    FactSpec(
        "lives",
        "live_sessions",
        "started_at_local",
        {"channel": "channel", "live_id": "live_id"},
        "Live streams, dated by their start.",
    ),
    FactSpec(
        "live_funnel_customers",
        "live_sessions",
        "started_at_local",
        {"channel": "channel", "live_id": "live_id"},
        "One row per (live, identity-resolved customer) who commented on it or ordered from "
        "it (source live), with a flag per funnel step; dated by the live's start.",
        prepare=prepare_live_funnel,
    ),
    FactSpec(
        "post_funnel_customers",
        "posts",
        "published_at_local",
        {"channel": "channel", "post_id": "post_id"},
        "One row per (post, identity-resolved customer) who commented on it (outside a "
        "live) or ordered from it (source post), with a flag per funnel step; dated by the "
        "post's publish time.",
        prepare=prepare_post_funnel,
    ),
)


def _peak(t: Any, params: Mapping[str, Any]) -> Any:
    return t.peak_concurrent_viewers.max()


def _step(
    metric_id: str, label: str, description: str, fact: str, flag: str, live: bool
) -> MetricSpec:
    return MetricSpec(
        metric_id,
        label,
        description,
        Unit.COUNT,
        SECTION,
        CountDistinct("person_id", lambda t: t[flag]),
        fact=fact,
        dimensions=LIVE_DIMENSIONS if live else POST_DIMENSIONS,
        chart=Chart.BAR,
        notes=LIVE_FUNNEL_NOTES if live else POST_FUNNEL_NOTES,
    )


def _rate(metric_id: str, label: str, numerator: str, denominator: str, live: bool) -> MetricSpec:
    return MetricSpec(
        metric_id,
        label,
        f"{numerator} / {denominator} (null when {denominator} is 0).",
        Unit.RATIO,
        SECTION,
        Ratio(numerator, denominator),
        dimensions=LIVE_DIMENSIONS if live else POST_DIMENSIONS,
        chart=Chart.BAR,
        notes=LIVE_FUNNEL_NOTES if live else POST_FUNNEL_NOTES,
    )


_LIVE = "live_funnel_customers"
_POST = "post_funnel_customers"

METRICS: tuple[MetricSpec, ...] = (
    MetricSpec(
        "live_viewers",
        "Live viewers",
        "Σ unique_viewers of lives started in the period (a viewer of two lives counts twice).",
        Unit.COUNT,
        SECTION,
        Sum("unique_viewers"),
        fact="lives",
        dimensions=LIVE_DIMENSIONS,
        notes=LIVE_NOTES,
    ),
    MetricSpec(
        "live_peak_viewers",
        "Live peak viewers",
        "The highest peak_concurrent_viewers of the lives started in the period.",
        Unit.COUNT,
        SECTION,
        Custom(_peak),
        fact="lives",
        dimensions=LIVE_DIMENSIONS,
        notes=LIVE_NOTES + " A maximum, not a sum: 0 when no live reported a peak.",
    ),
    MetricSpec(
        "live_watch_seconds",
        "Live watch time",
        "Σ total_watch_seconds of lives started in the period.",
        Unit.SECONDS,
        SECTION,
        Sum("total_watch_seconds"),
        fact="lives",
        dimensions=LIVE_DIMENSIONS,
        notes=LIVE_NOTES + " Null (not 0) when no live of the slice reported watch time.",
    ),
    _step(
        "live_commenting_customers",
        "Live commenting customers",
        "Distinct customers with a customer comment (not deleted) on lives started in the period.",
        _LIVE,
        "commented",
        live=True,
    ),
    _step(
        "live_keyword_customers",
        "Live keyword customers (+1)",
        "Distinct customers with a purchase-keyword comment on lives started in the period.",
        _LIVE,
        "keyword",
        live=True,
    ),
    _step(
        "live_ordering_customers",
        "Live ordering customers",
        "Distinct customers with an order (not cancelled) of source live and that live_id, "
        "for lives started in the period.",
        _LIVE,
        "ordered",
        live=True,
    ),
    _step(
        "live_paying_customers",
        "Live paying customers",
        "Distinct customers with a paid order (not cancelled) of source live and that "
        "live_id, for lives started in the period.",
        _LIVE,
        "paid",
        live=True,
    ),
    _rate(
        "live_commenting_rate",
        "Live commenting rate",
        "live_commenting_customers",
        "live_viewers",
        live=True,
    ),
    _rate(
        "live_keyword_rate",
        "Live keyword rate",
        "live_keyword_customers",
        "live_commenting_customers",
        live=True,
    ),
    _rate(
        "live_ordering_rate",
        "Live ordering rate",
        "live_ordering_customers",
        "live_keyword_customers",
        live=True,
    ),
    _rate(
        "live_paying_rate",
        "Live paying rate",
        "live_paying_customers",
        "live_ordering_customers",
        live=True,
    ),
    _step(
        "post_commenting_customers",
        "Post commenting customers",
        "Distinct customers with a customer comment (not deleted) on posts published in the "
        "period.",
        _POST,
        "commented",
        live=False,
    ),
    _step(
        "post_keyword_customers",
        "Post keyword customers (+1)",
        "Distinct customers with a purchase-keyword comment on posts published in the period.",
        _POST,
        "keyword",
        live=False,
    ),
    _step(
        "post_ordering_customers",
        "Post ordering customers",
        "Distinct customers with an order (not cancelled) of source post and that post_id, "
        "for posts published in the period.",
        _POST,
        "ordered",
        live=False,
    ),
    _step(
        "post_paying_customers",
        "Post paying customers",
        "Distinct customers with a paid order (not cancelled) of source post and that "
        "post_id, for posts published in the period.",
        _POST,
        "paid",
        live=False,
    ),
    _rate(
        "post_keyword_rate",
        "Post keyword rate",
        "post_keyword_customers",
        "post_commenting_customers",
        live=False,
    ),
    _rate(
        "post_ordering_rate",
        "Post ordering rate",
        "post_ordering_customers",
        "post_keyword_customers",
        live=False,
    ),
    _rate(
        "post_paying_rate",
        "Post paying rate",
        "post_paying_customers",
        "post_ordering_customers",
        live=False,
    ),
)
