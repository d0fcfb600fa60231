"""Fact preparation for the point-in-time reception metrics (METRICS.md section 3:
queue_waiting, online_agents, agent_saturation).

These facts are *snapshots*: each prepared row is a conversation, round or agent as it
stood at one moment S, not an event dated in the period. Everything is Ibis over the
derived tables (d_messages, d_conversations, d_rounds), agent_status and the store's
`_meta` settings; nothing is engine SQL.

The moment S. Stored times have a UTC column (`ts`) and a shop-local twin (`ts_local`).
S is the earlier of two bounds — a shop-local wall-clock bound (compared with the local
twins, like every period bound) and a UTC bound (compared with the UTC columns):

- as_of not given: 24:00 local of the period's `to` date, capped at now (UTC);
- as_of with an offset (`2026-05-01T15:00:00+08:00`, `...Z`): that instant, capped at now;
- naive as_of (`2026-05-01T15:00:00`): that shop-local wall-clock time, capped at now;
- as_of=now: now.

"Now" is the engine's current time, evaluated when the statement runs (the compiled
statement stays cacheable). An event has happened at S when its time is at or before S.

A snapshot fact dates every row at the period's start (its time column is overwritten),
so the runner's period filter keeps them all; the runner refuses a time dimension for
snapshot metrics (MetricSpec.snapshot).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import ibis

from socialscope.metrics.factspec import PERIOD_FROM, PERIOD_TO
from socialscope.metrics.query import QueryError

Lookup = Callable[[str], Any]

AS_OF = "as_of"
NOW = "now"
DEFAULT_CAPACITY = 5
DEFAULT_IDLE_HOURS = 24.0  # store/derive.py DEFAULT_IDLE_HOURS
IDLE_SETTING = "conversation_idle_h"  # store/derive.py IDLE_SETTING
PRESENT_STATES: tuple[str, ...] = ("online", "busy")
"""agent_status values that count as an agent present and working (busy: online but
saturated, as Douyin 飞鸽 counts it)."""


def parse_as_of(raw: str) -> datetime | str:
    """The as_of parameter given as text: an ISO 8601 date-time, with an offset (an
    instant) or without (shop-local wall-clock time), or `now`."""
    text = raw.strip()
    if text.lower() == NOW:
        return NOW
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"expected an ISO date-time such as 2026-05-01T15:00:00+08:00 (an instant), "
            f"2026-05-01T15:00:00 (shop-local time) or 'now', got {raw!r}"
        ) from None


def as_of_value(params: Mapping[str, Any]) -> datetime | str | None:
    """The as_of parameter's value (None when absent), checked."""
    raw = params.get(AS_OF)
    if raw is None or isinstance(raw, datetime):
        return raw
    if isinstance(raw, str):
        try:
            return parse_as_of(raw)
        except ValueError as exc:
            raise QueryError(f"parameter {AS_OF}: {exc}") from None
    raise QueryError(f"parameter {AS_OF}: expected an ISO date-time or 'now', got {raw!r}")


@dataclass(frozen=True)
class Snapshot:
    """The moment S = min(local bound, UTC bound); `local` None means no local bound."""

    local: Any | None  # Ibis timestamp scalar, shop-local wall-clock time
    utc: Any  # Ibis timestamp scalar, UTC

    def reached(self, local_ts: Any, utc_ts: Any) -> Any:
        """Whether an event (local twin, UTC time) happened at or before S."""
        pred = utc_ts <= self.utc
        if self.local is not None:
            pred = pred & (local_ts <= self.local)
        return pred

    def seconds_since(self, local_ts: Any, utc_ts: Any) -> Any:
        """S − the event, in seconds (the smaller of the two bounds' differences)."""
        elapsed = self.utc.epoch_seconds() - utc_ts.epoch_seconds()
        if self.local is not None:
            elapsed = ibis.least(elapsed, self.local.epoch_seconds() - local_ts.epoch_seconds())
        return elapsed


def snapshot(params: Mapping[str, Any]) -> Snapshot:
    """The query's moment S (see the module docstring)."""
    now = ibis.now().cast("timestamp")
    value = as_of_value(params)
    if value is None:
        return Snapshot(params[PERIOD_TO], now)
    if isinstance(value, str):  # "now"
        return Snapshot(None, now)
    if value.tzinfo is not None:
        instant = value.astimezone(UTC).replace(tzinfo=None)
        return Snapshot(None, ibis.least(ibis.literal(instant, "timestamp"), now))
    return Snapshot(ibis.literal(value, "timestamp"), now)


def idle_seconds(lookup: Lookup) -> Any:
    """The conversation idle gap (store setting conversation_idle_h, default 24 h) in
    seconds, as an Ibis scalar read from `_meta` when the statement runs."""
    meta = lookup("_meta")
    hours = meta.filter(meta.key == IDLE_SETTING).value.try_cast("float64").max()
    return hours.coalesce(DEFAULT_IDLE_HOURS) * 3600


# -- conversations at S ----------------------------------------------------------------------
def conversations_at(lookup: Lookup, s: Snapshot) -> Any:
    """Human conversations open at S, with the staff assigned at S.

    Open at S: the conversation is human (section 1), its last customer message at or
    before S is at most the idle gap before S, and no `close` event came at or after that
    message (up to S). Staff at S (`snap_staff_id`): the conversation's staff (the first
    agent message at or after H) once that message has happened, else null.
    Columns: o_shop, o_conv, channel, snap_staff_id, last_customer_ts(_local).
    """
    m = lookup("d_messages")
    m = m.filter(s.reached(m.ts_local, m.ts))
    is_customer = (m.sender == "customer") & (m.kind == "message")
    is_agent = (m.sender == "agent") & (m.kind == "message")
    state = m.group_by(o_shop=m.shop_id, o_conv=m.conversation_id).agg(
        last_customer_ts=m.ts.max(where=is_customer),
        last_customer_ts_local=m.ts_local.max(where=is_customer),
        last_close_ts=m.ts.max(where=m.kind == "close"),
        last_agent_ts=m.ts.max(where=is_agent),
    )
    c = lookup("d_conversations")
    c = c.filter(c.is_human).select(
        c_shop=c.shop_id,
        c_conv=c.conversation_id,
        channel=c.channel,
        human_start=c.human_start,
        conv_staff_id=c.staff_id,
    )
    j = state.join(c, [state.o_shop == c.c_shop, state.o_conv == c.c_conv])
    closed = j.last_close_ts.notnull() & (j.last_close_ts >= j.last_customer_ts)
    recent = s.seconds_since(j.last_customer_ts_local, j.last_customer_ts) <= idle_seconds(lookup)
    j = j.filter(j.last_customer_ts.notnull(), recent, ~closed)
    assigned = j.last_agent_ts.notnull() & (j.last_agent_ts >= j.human_start)
    return j.select(
        "o_shop",
        "o_conv",
        "channel",
        "last_customer_ts",
        "last_customer_ts_local",
        snap_staff_id=ibis.ifelse(assigned, j.conv_staff_id, ibis.null("string")),
    )


def waiting_rounds(t: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """d_rounds -> the rounds waiting for a human reply at S, one per waiting conversation.

    Waiting at S: a human round whose effective start is at or before S and whose reply
    is null or after S, in a conversation open at S. (A round whose reply comes after S
    is necessarily its conversation's last round at S: the next run starts after that
    reply.) `wait_s` = S − effective start, in seconds; `snap_staff_id` as in
    conversations_at.
    """
    s = snapshot(params)
    r = t.filter(
        t.is_human,
        s.reached(t.effective_start_local, t.effective_start),
        t.reply_ts.isnull() | ~s.reached(t.reply_ts_local, t.reply_ts),
    )
    open_ = conversations_at(lookup, s).drop(
        "channel", "last_customer_ts", "last_customer_ts_local"
    )
    r = r.join(open_, [r.shop_id == open_.o_shop, r.conversation_id == open_.o_conv])
    r = r.mutate(
        wait_s=s.seconds_since(r.effective_start_local, r.effective_start),
        effective_start_local=params[PERIOD_FROM],
    )
    return r.drop("o_shop", "o_conv")


# -- agents at S -----------------------------------------------------------------------------
def agents_present(t: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """agent_status -> one row per agent present at S: whose latest status at or before S
    is online or busy, with that row's capacity (default 5)."""
    return _present(t, snapshot(params)).mutate(ts_local=params[PERIOD_FROM])


def _present(t: Any, s: Snapshot) -> Any:
    st = t.filter(s.reached(t.ts_local, t.ts))
    st = st.mutate(
        _rn=ibis.row_number().over(group_by=[st.shop_id, st.staff_id], order_by=[st.ts.desc()])
    )
    latest = st.filter(st._rn == 0).drop("_rn")
    latest = latest.filter(latest.status.isin(list(PRESENT_STATES)))
    return latest.mutate(capacity=latest.capacity.coalesce(DEFAULT_CAPACITY))


def assigned_open_conversations(t: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """d_conversations -> conversations open at S whose staff at S is present at S."""
    s = snapshot(params)
    present = _present(lookup("agent_status"), s).select(p_shop="shop_id", p_staff="staff_id")
    open_ = conversations_at(lookup, s)
    j = open_.join(
        present, [open_.o_shop == present.p_shop, open_.snap_staff_id == present.p_staff]
    )
    return j.select(
        shop_id=j.o_shop,
        conversation_id=j.o_conv,
        channel=j.channel,
        staff_id=j.snap_staff_id,
        first_ts_local=params[PERIOD_FROM],
    )
