"""METRICS.md section 3, point-in-time reception: queue_waiting, online_agents,
agent_saturation (接待 / 在線客服 / 飽和度).

These are snapshots as of one moment (`as_of`; by default the end of the query period,
capped at now), not counts of events in the period: they take no time dimension, and a
comparison (compare=previous|yoy) compares the snapshots at the ends of the two periods.
Fact preparation and the exact definition of the moment live in `reception_facts.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from socialscope.metrics.factspec import FactSpec
from socialscope.metrics.library import reception_facts as rf
from socialscope.metrics.spec import (
    SNAPSHOT_PARAM,
    Better,
    Chart,
    Count,
    Custom,
    MetricSpec,
    ParamSpec,
    Ratio,
    Sum,
    Unit,
)

SECTION = "3. Service quality"

assert SNAPSHOT_PARAM == rf.AS_OF

AS_OF = ParamSpec(
    rf.AS_OF,
    None,
    "The moment of the snapshot: an ISO date-time with an offset (an instant, e.g. "
    "2026-05-01T15:00:00+08:00), without one (shop-local wall-clock time), or 'now'. "
    "Default: the end of the query period (24:00 local of `to`), capped at now — so a "
    "period that includes today gives the state now. Always capped at now.",
    parse=rf.parse_as_of,
)

_MOMENT = (
    "A naive as_of is compared with shop-local times, like the period bounds (within the "
    "repeated hour of a DST fall-back it is ambiguous; give an offset to be exact). Events "
    "at exactly as_of have happened. Snapshot metric: no time dimension; with compare, "
    "each period's end (as_of must not be given)."
)
_OPEN = (
    "Open at as_of: a human conversation (section 1) whose last customer message at or "
    "before as_of is at most the conversation idle gap (store setting conversation_idle_h, "
    "default 24 h) before as_of, with no close event at or after that message (up to "
    "as_of). An older one is abandoned, not waiting."
)
_STAFF = (
    "By staff_id: the conversation's staff (first agent message at or after H) once that "
    "message was sent by as_of, else none (not yet assigned)."
)
_PRESENT = (
    "Present: the agent's latest agent_status row at or before as_of says online or busy "
    "(busy = online but saturated, as Douyin 飞鸽 counts it); away and offline are not "
    "present, nor is an agent without any status row by then."
)

FACTS: tuple[FactSpec, ...] = (
    FactSpec(
        "queue_rounds",
        "d_rounds",
        "effective_start_local",
        {"channel": "channel", "staff_id": "snap_staff_id"},
        "Snapshot: rounds waiting for a human reply at as_of (one per waiting "
        "conversation) with how long they have waited; staff = the conversation's staff "
        "once assigned by as_of.",
        prepare=rf.waiting_rounds,
    ),
    FactSpec(
        "agents_present",
        "agent_status",
        "ts_local",
        {"staff_id": "staff_id"},
        "Snapshot: agents whose latest status at or before as_of is online or busy, with "
        "their latest capacity (default 5).",
        prepare=rf.agents_present,
    ),
    FactSpec(
        "assigned_open_conversations",
        "d_conversations",
        "first_ts_local",
        {"channel": "channel", "staff_id": "staff_id"},
        "Snapshot: human conversations open at as_of whose staff (assigned by as_of) is "
        "present (online or busy) at as_of.",
        prepare=rf.assigned_open_conversations,
    ),
)


def _max_wait(t: Any, params: Mapping[str, Any]) -> Any:
    return t.wait_s.max()


def _mean_wait(t: Any, params: Mapping[str, Any]) -> Any:
    return t.wait_s.mean()


METRICS: tuple[MetricSpec, ...] = (
    MetricSpec(
        "queue_waiting",
        "Conversations waiting (排隊)",
        "Snapshot as of as_of: open human conversations whose last customer round is "
        "unanswered — its effective start is at or before as_of and its reply is none or "
        "after as_of.",
        Unit.COUNT,
        SECTION,
        Count(),
        fact="queue_rounds",
        dimensions=("channel", "staff_id"),
        better=Better.LOWER,
        chart=Chart.TABLE,
        params=(AS_OF,),
        notes=f"{_OPEN} {_STAFF} {_MOMENT}",
        snapshot=True,
    ),
    MetricSpec(
        "queue_wait_max_s",
        "Longest wait in queue",
        "Snapshot as of as_of: the longest time a waiting conversation (queue_waiting) has "
        "waited, as_of − the waiting round's effective start, in seconds; null when none "
        "waits.",
        Unit.SECONDS,
        SECTION,
        Custom(_max_wait),
        fact="queue_rounds",
        dimensions=("channel", "staff_id"),
        better=Better.LOWER,
        chart=Chart.TABLE,
        params=(AS_OF,),
        notes="Calendar time (service hours play no part). With an offset or the default "
        "capped at now the wait is exact; a naive as_of measures it in shop-local "
        "wall-clock time.",
        snapshot=True,
    ),
    MetricSpec(
        "queue_wait_avg_s",
        "Average wait in queue",
        "Snapshot as of as_of: the mean time the waiting conversations (queue_waiting) have "
        "waited, as_of − the waiting round's effective start, in seconds; null when none "
        "waits.",
        Unit.SECONDS,
        SECTION,
        Custom(_mean_wait),
        fact="queue_rounds",
        dimensions=("channel", "staff_id"),
        better=Better.LOWER,
        chart=Chart.TABLE,
        params=(AS_OF,),
        snapshot=True,
    ),
    MetricSpec(
        "online_agents",
        "Online agents (在線客服)",
        "Snapshot as of as_of: agents whose latest agent_status at or before as_of is "
        "online or busy.",
        Unit.COUNT,
        SECTION,
        Count(),
        fact="agents_present",
        dimensions=("staff_id",),
        better=Better.NEUTRAL,
        chart=Chart.TABLE,
        params=(AS_OF,),
        notes=f"{_PRESENT} {_MOMENT}",
        snapshot=True,
    ),
    MetricSpec(
        "agent_capacity",
        "Agent capacity",
        "Snapshot as of as_of: Σ capacity of the agents present (online or busy) — each "
        "agent's capacity on their latest agent_status row at or before as_of (default 5).",
        Unit.COUNT,
        SECTION,
        Sum("capacity"),
        fact="agents_present",
        dimensions=("staff_id",),
        better=Better.NEUTRAL,
        chart=Chart.TABLE,
        params=(AS_OF,),
        snapshot=True,
    ),
    MetricSpec(
        "agent_open_conversations",
        "Open conversations of present agents",
        "Snapshot as of as_of: open human conversations whose staff is present (online or "
        "busy) at as_of.",
        Unit.COUNT,
        SECTION,
        Count(),
        fact="assigned_open_conversations",
        dimensions=("channel", "staff_id"),
        better=Better.NEUTRAL,
        chart=Chart.TABLE,
        params=(AS_OF,),
        notes=f"{_OPEN} Assigned: the conversation's staff (first agent message at or after "
        "H), once that message was sent by as_of; unassigned conversations count for no "
        "agent.",
        snapshot=True,
    ),
    MetricSpec(
        "agent_saturation",
        "Agent saturation (飽和度)",
        "Snapshot as of as_of: agent_open_conversations / agent_capacity — open human "
        "conversations assigned to present agents over the sum of those agents' capacity; "
        "null when that capacity is 0.",
        Unit.RATIO,
        SECTION,
        Ratio("agent_open_conversations", "agent_capacity"),
        dimensions=("staff_id",),
        better=Better.NEUTRAL,
        chart=Chart.TABLE,
        params=(AS_OF,),
        notes=f"{_PRESENT} {_OPEN} {_MOMENT} Can exceed 1 (more open conversations than capacity).",
        snapshot=True,
    ),
)
