"""METRICS.md section 3: service quality and speed (服務 / 響應).

Rounds, human start H, a round's effective start and response time, and a conversation's
staff come from the derived tables (section 1, `store/derive.py`); the fact preparation
lives in `service_facts.py`. Durations are calendar time (seconds between timestamps) by
default; `duration=business` counts only the shop's opening hours (`business_time.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis

from socialscope.metrics.factspec import FactSpec
from socialscope.metrics.library import service_facts as sf
from socialscope.metrics.library.business_time import parse_duration
from socialscope.metrics.spec import (
    Better,
    Chart,
    Count,
    Custom,
    MetricSpec,
    ParamSpec,
    Ratio,
    Unit,
)

SECTION = "3. Service quality"

THRESHOLD = ParamSpec(
    "threshold_s",
    180,
    "Reply-time threshold in seconds, inclusive: a reply at exactly threshold_s is in time, "
    "one second later is not.",
    parse=sf.parse_seconds,
)
SLA = ParamSpec(
    "sla_s",
    None,
    "First-response SLA in seconds, inclusive; when not given, threshold_s (180 s).",
    parse=sf.parse_seconds,
)

DURATION = ParamSpec(
    "duration",
    "calendar",
    "How response times are measured: `calendar` (seconds between the timestamps) or "
    "`business` (only the seconds inside the shop's opening hours: its calendar of weekly "
    "opening intervals and holidays — `socialscope calendar` — else its service_hours every "
    "day; shop-local wall-clock time).",
    parse=parse_duration,
)

FACTS: tuple[FactSpec, ...] = (
    FactSpec(
        "human_rounds",
        "d_rounds",
        "effective_start_local",
        {"channel": "channel", "staff_id": "reply_staff_id"},
        "Human rounds (section 1), dated by their effective start; staff = the staff of the reply.",
        prepare=sf.rounds_with_duration,
        base_filter=lambda t: t.is_human,
    ),
    FactSpec(
        "three_minute_conversations",
        "d_rounds",
        "effective_start_local",
        {"channel": "channel", "staff_id": "conv_staff_id"},
        "Conversations with ≥1 eligible round (human, effective start in the shop's service "
        "hours), dated by their first eligible round; staff = the conversation's staff.",
        prepare=sf.three_minute_conversations,
    ),
    FactSpec(
        "first_responses",
        "d_conversations",
        "first_ts_local",
        {"channel": "channel", "staff_id": "staff_id"},
        "Human conversations with a human round and that first round's reply, dated by the "
        "conversation's first event.",
        prepare=sf.first_responses,
    ),
    FactSpec(
        "first_human_rounds",
        "d_rounds",
        "effective_start_local",
        {"channel": "channel", "staff_id": "conv_staff_id"},
        "The first human round of each human conversation, dated by its effective start, "
        "with whether it was replied within sla_s.",
        prepare=sf.sla_conversations,
    ),
    FactSpec(
        "csat_ratings",
        "ratings",
        "ts_local",
        {"channel": "channel", "staff_id": "rated_staff_id"},
        "Ratings of kind csat, dated by their ts; channel of the rated conversation; staff = "
        "the rating's staff_id, else the conversation's staff.",
        prepare=sf.ratings_with_conversation,
        base_filter=lambda t: t.kind == "csat",
    ),
    FactSpec(
        "reviews",
        "ratings",
        "ts_local",
        {"product_id": "product_id"},
        "Ratings of kind review (product reviews), dated by their ts.",
        base_filter=lambda t: t.kind == "review",
    ),
)


def _mean_first_response(t: Any, params: Mapping[str, Any]) -> Any:
    return t.response_s.mean(where=t.replied)


def _replied_response_s(t: Any) -> Any:
    """response_s of replied conversations, null otherwise. Quantiles take their rows as
    a null-masked column rather than `where=`: Ibis compiles a filtered quantile's
    fraction into the mask too, which Spark refuses (it must be a constant)."""
    return ibis.ifelse(t.replied, t.response_s, ibis.null(t.response_s.type()))


def _median_first_response(t: Any, params: Mapping[str, Any]) -> Any:
    return _replied_response_s(t).median()


def _p90_first_response(t: Any, params: Mapping[str, Any]) -> Any:
    return _replied_response_s(t).quantile(0.9)


def _mean_response(t: Any, params: Mapping[str, Any]) -> Any:
    return t.response_s.mean(where=t.reply_ts.notnull())


def _slow_rounds(t: Any, params: Mapping[str, Any]) -> Any:
    limit = sf.threshold_s(params)
    return t.count(where=(t.reply_ts.notnull() & (t.response_s > limit)).fill_null(False))


_FRT_WHO = (
    "Per human conversation whose first human round is replied: that round's response time "
    "(reply ts − effective start, seconds), dated by the conversation's first event; by "
    "staff_id the conversation's staff."
)
_PERCENTILE_NOTE = (
    "Exact percentile with linear interpolation between the two nearest values "
    "(quantile_cont; the median of an even count is the mean of the middle two)."
)

METRICS: tuple[MetricSpec, ...] = (
    MetricSpec(
        "three_minute_good_conversations",
        "3-minute good conversations",
        "Eligible conversations (3-minute rule) whose every eligible round has a reply "
        "within threshold_s, dated by their first eligible round.",
        Unit.COUNT,
        SECTION,
        Count(lambda t: t.is_good),
        fact="three_minute_conversations",
        dimensions=("channel", "staff_id"),
        params=(THRESHOLD, DURATION),
    ),
    MetricSpec(
        "three_minute_eligible_conversations",
        "3-minute eligible conversations",
        "Conversations with at least one eligible round — a human round whose effective "
        "start is in the shop's service hours (shops.service_hours, default [08:00, 23:00) "
        "local) — dated by their first eligible round.",
        Unit.COUNT,
        SECTION,
        Count(),
        fact="three_minute_conversations",
        dimensions=("channel", "staff_id"),
        better=Better.NEUTRAL,
        params=(THRESHOLD, DURATION),
    ),
    MetricSpec(
        "three_minute_reply_rate",
        "3-minute reply rate (3分钟回复率)",
        "Douyin 飞鸽 rule: good conversations / eligible conversations. Eligible rounds are "
        "human rounds whose effective start is in the shop's service hours; a conversation "
        "is eligible with ≥1 eligible round and good when every eligible round has a reply "
        "within threshold_s (inclusive; an unanswered eligible round fails it). Dated by the "
        "first eligible round; rounds outside service hours count neither way. By staff_id: "
        "the conversation's staff.",
        Unit.RATIO,
        SECTION,
        Ratio("three_minute_good_conversations", "three_minute_eligible_conversations"),
        dimensions=("channel", "staff_id"),
        params=(THRESHOLD, DURATION),
        notes="Service hours are [start, end) in shop-local wall-clock time; an end before "
        "the start runs overnight (20:00-02:00), equal ends mean around the clock, and an "
        "empty or unparseable value means 08:00-23:00. A round's time of day is its "
        "effective start (max(first message, human start H)).",
    ),
    MetricSpec(
        "first_response_time_avg",
        "First response time, mean",
        _FRT_WHO + " Mean.",
        Unit.SECONDS,
        SECTION,
        Custom(_mean_first_response),
        fact="first_responses",
        dimensions=("channel", "staff_id"),
        better=Better.LOWER,
        params=(DURATION,),
        notes="Human conversations whose first human round is unanswered are left out (see "
        "sla_attainment and unreplied_conversations for those).",
    ),
    MetricSpec(
        "first_response_time_median",
        "First response time, median",
        _FRT_WHO + " Median.",
        Unit.SECONDS,
        SECTION,
        Custom(_median_first_response),
        fact="first_responses",
        dimensions=("channel", "staff_id"),
        better=Better.LOWER,
        params=(DURATION,),
        notes=_PERCENTILE_NOTE,
    ),
    MetricSpec(
        "first_response_time_p90",
        "First response time, p90",
        _FRT_WHO + " 90th percentile.",
        Unit.SECONDS,
        SECTION,
        Custom(_p90_first_response),
        fact="first_responses",
        dimensions=("channel", "staff_id"),
        better=Better.LOWER,
        params=(DURATION,),
        notes=_PERCENTILE_NOTE,
    ),
    MetricSpec(
        "avg_response_time",
        "Average response time",
        "Mean response time (reply ts − effective start, seconds) of all replied human rounds, "
        "dated by the round's effective start; by staff_id the staff who sent the reply.",
        Unit.SECONDS,
        SECTION,
        Custom(_mean_response),
        fact="human_rounds",
        dimensions=("channel", "staff_id"),
        better=Better.LOWER,
        params=(DURATION,),
    ),
    MetricSpec(
        "slow_rounds",
        "Slow rounds",
        "Replied human rounds with a response time > threshold_s, dated by the round's "
        "effective start; by staff_id the staff who sent the reply.",
        Unit.COUNT,
        SECTION,
        Custom(_slow_rounds),
        fact="human_rounds",
        dimensions=("channel", "staff_id"),
        better=Better.LOWER,
        params=(THRESHOLD, DURATION),
    ),
    MetricSpec(
        "unanswered_rounds",
        "Unanswered rounds",
        "Human rounds without a reply, dated by the round's effective start.",
        Unit.COUNT,
        SECTION,
        Count(lambda t: t.reply_ts.isnull()),
        fact="human_rounds",
        dimensions=("channel",),
        better=Better.LOWER,
    ),
    MetricSpec(
        "unreplied_conversations",
        "Unreplied conversations (未回复)",
        "Human conversations with no agent message at all, dated by their first event.",
        Unit.COUNT,
        SECTION,
        Count(lambda t: t.is_human & ~t.has_agent_message),
        fact="conversations",
        dimensions=("channel",),
        better=Better.LOWER,
    ),
    MetricSpec(
        "sla_conversations",
        "SLA conversations",
        "Human conversations whose first human round started (effective start) in the period.",
        Unit.COUNT,
        SECTION,
        Count(),
        fact="first_human_rounds",
        dimensions=("channel", "staff_id"),
        better=Better.NEUTRAL,
        params=(SLA, THRESHOLD, DURATION),
    ),
    MetricSpec(
        "sla_met_conversations",
        "SLA met conversations",
        "Human conversations whose first human round started in the period and was replied "
        "within sla_s (inclusive).",
        Unit.COUNT,
        SECTION,
        Count(lambda t: t.within_sla),
        fact="first_human_rounds",
        dimensions=("channel", "staff_id"),
        params=(SLA, THRESHOLD, DURATION),
    ),
    MetricSpec(
        "sla_attainment",
        "First-response SLA attainment",
        "Share of human conversations whose first response came within sla_s: "
        "sla_met_conversations / sla_conversations, dated by the first human round's "
        "effective start; by staff_id the conversation's staff.",
        Unit.RATIO,
        SECTION,
        Ratio("sla_met_conversations", "sla_conversations"),
        dimensions=("channel", "staff_id"),
        params=(SLA, THRESHOLD, DURATION),
        notes="A conversation whose first human round is still unanswered counts as missed "
        "(it is in the denominator, not the numerator): an unanswered customer missed the "
        "SLA. Calendar time at any hour by default (service hours play no part; see "
        "three_minute_reply_rate for that view, or duration=business). Human conversations "
        "without any customer round are not counted. sla_s defaults to threshold_s.",
    ),
    MetricSpec(
        "csat_ratings",
        "CSAT ratings",
        "Ratings of kind csat in the period.",
        Unit.COUNT,
        SECTION,
        Count(),
        fact="csat_ratings",
        dimensions=("staff_id", "channel"),
        better=Better.NEUTRAL,
    ),
    MetricSpec(
        "csat_positive_ratings",
        "Positive CSAT ratings",
        "Ratings of kind csat with score ≥ 4 in the period.",
        Unit.COUNT,
        SECTION,
        Count(lambda t: t.score >= 4),
        fact="csat_ratings",
        dimensions=("staff_id", "channel"),
    ),
    MetricSpec(
        "csat_rate",
        "CSAT rate",
        "csat ratings with score ≥ 4 / all csat ratings in the period.",
        Unit.RATIO,
        SECTION,
        Ratio("csat_positive_ratings", "csat_ratings"),
        dimensions=("staff_id", "channel"),
        notes="By staff_id: the rating's staff_id, else the staff of its conversation; by "
        "channel: the channel of its conversation (none without one).",
    ),
    MetricSpec(
        "negative_reviews",
        "Negative reviews (中差评)",
        "Ratings of kind review with score ≤ 2 in the period.",
        Unit.COUNT,
        SECTION,
        Count(lambda t: t.score <= 2),
        fact="reviews",
        dimensions=("product_id",),
        better=Better.LOWER,
        chart=Chart.BAR,
    ),
)
