"""Fact preparation for METRICS.md section 3 (service speed and quality).

Everything here is Ibis over the derived tables of `store/derive.py` (d_rounds,
d_conversations) and the canonical `shops` and `ratings` tables; nothing is engine SQL.

A prepared fact keeps the *name* of its time column from the table it starts from (the
runner looks a query's data range up on the unprepared table), so e.g. the 3-minute fact
carries its conversation's first eligible round start in `effective_start_local`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import ibis

from socialscope.metrics.query import QueryError

DEFAULT_THRESHOLD_S = 180.0
DEFAULT_SERVICE_HOURS = "08:00-23:00"
_DEFAULT_START_S = 8 * 3600
_DEFAULT_END_S = 23 * 3600

Lookup = Callable[[str], Any]


def parse_seconds(raw: str) -> float:
    """A duration parameter given as text (CLI, HTTP): a finite number of seconds ≥ 0."""
    value = float(raw)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"expected a number of seconds ≥ 0, got {raw!r}")
    return value


def seconds_param(params: Mapping[str, Any], name: str, default: float) -> float:
    """A duration parameter's value (default when absent or None), checked."""
    raw = params.get(name)
    if raw is None:
        return default
    try:
        value = parse_seconds(raw) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError) as exc:
        raise QueryError(f"parameter {name}: {exc}") from None
    if not math.isfinite(value) or value < 0:
        raise QueryError(f"parameter {name}: expected a number of seconds ≥ 0, got {raw!r}")
    return value


def threshold_s(params: Mapping[str, Any]) -> float:
    return seconds_param(params, "threshold_s", DEFAULT_THRESHOLD_S)


def sla_s(params: Mapping[str, Any]) -> float:
    """sla_s when given, else threshold_s (itself 180 s by default)."""
    return seconds_param(params, "sla_s", threshold_s(params))


# -- service hours -------------------------------------------------------------------------
def _clock_seconds(text: Any) -> Any:
    """Clock text "HH:MM" -> seconds after midnight (null when unparseable)."""
    parts = text.strip().split(":")
    hours = parts[0].strip().try_cast("int64")
    minutes = parts[1].strip().try_cast("int64")
    ok = (hours.between(0, 23) & minutes.between(0, 59)) | ((hours == 24) & (minutes == 0))
    return ibis.ifelse(ok, hours * 3600 + minutes * 60, ibis.null("int64"))


def service_window(hours: Any) -> tuple[Any, Any]:
    """(start, end) of a shop's "HH:MM-HH:MM" service hours in seconds after local
    midnight; an empty or unparseable value means the default 08:00-23:00."""
    text = hours.fill_null(DEFAULT_SERVICE_HOURS)
    ends = text.split("-")
    start = _clock_seconds(ends[0])
    end = _clock_seconds(ends[1])
    valid = (ends.length() == 2) & start.notnull() & end.notnull()
    return (
        ibis.ifelse(valid, start, _DEFAULT_START_S),
        ibis.ifelse(valid, end, _DEFAULT_END_S),
    )


def shop_service_windows(shops: Any) -> Any:
    """shops -> (sw_shop, sw_start, sw_end): each shop's service window in seconds after
    local midnight. Parsed on the (small) shops table, so the rounds only compare numbers."""
    start, end = service_window(shops.service_hours)
    return shops.select(sw_shop=shops.shop_id, sw_start=start, sw_end=end)


def in_window(local_ts: Any, start: Any, end: Any) -> Any:
    """Whether a shop-local timestamp falls in [start, end) (seconds after midnight).

    A window whose end is before its start runs overnight ("20:00-02:00": from 20:00 to
    02:00 the next morning); equal ends ("00:00-00:00") mean service around the clock.
    """
    tod = local_ts.hour() * 3600 + local_ts.minute() * 60 + local_ts.second()
    same_day = (tod >= start) & (tod < end)
    overnight = (tod >= start) | (tod < end)
    return ibis.cases(
        (start < end, same_day),
        (start > end, overnight),
        else_=ibis.literal(True),
    )


def in_service_hours(local_ts: Any, hours: Any) -> Any:
    """Whether a shop-local timestamp falls in the "HH:MM-HH:MM" service hours (row-wise
    parsing: for tests and small tables; facts join shop_service_windows instead)."""
    start, end = service_window(hours)
    return in_window(local_ts, start, end)


# -- rounds --------------------------------------------------------------------------------
def _with_duration(rounds: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """d_rounds with response_s in the `duration` parameter's time (business_time.py);
    unchanged for the default, calendar time."""
    from socialscope.metrics.library.business_time import apply_duration

    return apply_duration(rounds, lookup, params)


def rounds_with_duration(t: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """d_rounds -> the same rounds, response_s in the query's duration (human_rounds)."""
    return _with_duration(t, lookup, params)


def first_human_rounds(rounds: Any) -> Any:
    """The first human round of each conversation (d_rounds rows, one per conversation)."""
    return rounds.filter(rounds.is_human & rounds.is_first_human)


def three_minute_conversations(t: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """d_rounds -> one row per conversation with ≥1 eligible round (3-minute rule).

    Eligible round: human, effective start within its shop's service hours (local time).
    `effective_start_local` becomes the first eligible round's effective start (the date
    of the conversation for this rule); `is_good`: every eligible round has a reply within
    threshold_s (inclusive); an unanswered eligible round fails the conversation.
    """
    limit = threshold_s(params)
    windows = shop_service_windows(lookup("shops"))
    r = _with_duration(t, lookup, params)
    r = r.filter(r.is_human)
    r = r.left_join(windows, r.shop_id == windows.sw_shop)
    # a round of a shop missing from `shops` gets the default window
    start = r.sw_start.coalesce(_DEFAULT_START_S)
    end = r.sw_end.coalesce(_DEFAULT_END_S)
    r = r.filter(in_window(r.effective_start_local, start, end))
    good = r.response_s.notnull() & (r.response_s <= limit)
    conv = r.group_by("shop_id", "conversation_id", "channel", "conv_staff_id").agg(
        effective_start_local=r.effective_start_local.min(),
        eligible_rounds=r.count(),
        failed_rounds=ibis.ifelse(good, 0, 1).sum(),
    )
    return conv.mutate(is_good=conv.failed_rounds == 0)


def first_responses(t: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """d_conversations -> human conversations with their first human round's reply.

    Dated by the conversation's first event (`first_ts_local`); `response_s` is null when
    that round has no reply. Human conversations without any round (no customer message)
    have no first response and are left out.
    """
    first = first_human_rounds(_with_duration(lookup("d_rounds"), lookup, params))
    first = first.select(
        f_shop=first.shop_id,
        f_conv=first.conversation_id,
        response_s=first.response_s,
        replied=first.reply_ts.notnull(),
    )
    c = t.filter(t.is_human)
    j = c.join(first, [c.shop_id == first.f_shop, c.conversation_id == first.f_conv])
    return j.drop("f_shop", "f_conv")


def sla_conversations(t: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """d_rounds -> the first human round of each human conversation, dated by its
    effective start, with `within_sla`: replied within sla_s (inclusive). An unanswered
    first round misses the SLA."""
    limit = sla_s(params)
    first = first_human_rounds(_with_duration(t, lookup, params))
    return first.mutate(
        within_sla=first.response_s.notnull() & (first.response_s <= limit),
    )


def ratings_with_conversation(t: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """ratings + the channel of the rated conversation and a staff: the rating's own
    staff_id, else the conversation's staff."""
    conv = lookup("d_conversations")
    conv = conv.select(
        c_shop=conv.shop_id,
        c_conv=conv.conversation_id,
        c_channel=conv.channel,
        c_staff=conv.staff_id,
    )
    j = t.left_join(conv, [t.shop_id == conv.c_shop, t.conversation_id == conv.c_conv])
    j = j.mutate(channel=j.c_channel, rated_staff_id=j.staff_id.coalesce(j.c_staff))
    return j.drop("c_shop", "c_conv", "c_channel", "c_staff")
