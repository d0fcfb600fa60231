"""Staff absences from agent_status: who is usually online in a slot and was not.

agent_status is a log of status changes; an agent's status holds until their next row
(the last known status holds at most `HOLD` after it, so a forgotten log-out does not
count as days online). Online means `online` or `busy`. For a point's slot (a local day or
hour) an agent's online time is compared with the median of the same slot in the previous
weeks (the same weekday for days; the same hour of the previous 7 days for hours; for a
week or month the 6 stretches of the same length just before it, "usually online" then
meaning at least 1 h per day of the slot):

* an agent usually online for at least 1 h of the day (15 min of the hour) who was online
  for at most a quarter of that is *absent* — impact 1 + 2 × the missing share;
* fewer agents online than the median count of the peer slots gives one entry
  "n agents online (usually m)" — impact 1 + 2 × the missing share of agents.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from socialscope.client import Client

from socialscope.insights import events as ev
from socialscope.insights.events import Event, Span, local_to_utc

HOLD = timedelta(hours=12)
ONLINE = ("online", "busy")
ABSENT_SHARE = 0.25


@dataclass
class StaffLog:
    """Online intervals per agent over a local span, with the agents' names."""

    intervals: dict[str, list[tuple[datetime, datetime]]]
    names: dict[str, str]
    timezone: str

    def online_seconds(self, staff: str, lo: datetime, hi: datetime) -> float:
        total = 0.0
        for a, b in self.intervals.get(staff, ()):
            if a < hi and b > lo:
                total += (min(b, hi) - max(a, lo)).total_seconds()
        return total


def load(client: Client, shop: str, span: Span) -> StaffLog:
    def status(p: ev.Params) -> Any:
        t = client.engine.table("agent_status")
        t = t.filter(t.shop_id == p["shop"], t.ts_local >= p["lo"], t.ts_local < p["hi"])
        return t.select("staff_id", "ts_local", "status").order_by(["staff_id", "ts_local"])

    def names(p: ev.Params) -> Any:
        t = client.engine.table("staff")
        return t.filter(t.shop_id == p["shop"]).select("staff_id", "name")

    rows = ev.run(
        client, "agent_status", status, {"shop": shop, "lo": span.lo - HOLD, "hi": span.hi}
    )
    by_staff: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_staff[r["staff_id"]].append(r)
    intervals: dict[str, list[tuple[datetime, datetime]]] = {}
    for staff, changes in by_staff.items():
        spans = []
        for i, r in enumerate(changes):
            if r["status"] not in ONLINE:
                continue
            end = r["ts_local"] + HOLD
            if i + 1 < len(changes):
                end = min(end, changes[i + 1]["ts_local"])
            spans.append((r["ts_local"], end))
        intervals[staff] = spans
    known = {
        r["staff_id"]: r["name"] or r["staff_id"]
        for r in ev.run(client, "staff_names", names, {"shop": shop})
    }
    return StaffLog(intervals, known, span.timezone)


def absences(log: StaffLog, lo: datetime, hi: datetime, grain: str) -> list[Event]:
    """Absences in the slot [lo, hi) against its peer slots (see the module docstring)."""
    if grain == "day":
        peers = [(lo - timedelta(days=7 * k), hi - timedelta(days=7 * k)) for k in range(1, 7)]
        usual_min = 3600.0
    elif grain in ("week", "month"):  # the 6 stretches of the same length just before
        length = hi - lo
        peers = [(lo - length * k, hi - length * k) for k in range(1, 7)]
        usual_min = 3600.0 * length / timedelta(days=1)
    else:
        peers = [(lo - timedelta(days=k), hi - timedelta(days=k)) for k in range(1, 8)]
        usual_min = 900.0
    at = local_to_utc(lo, log.timezone)
    out: list[Event] = []
    online_now = 0
    counts = [0] * len(peers)
    for staff in sorted(log.intervals):
        now = log.online_seconds(staff, lo, hi)
        past = [log.online_seconds(staff, a, b) for a, b in peers]
        online_now += now > 0
        for i, p in enumerate(past):
            counts[i] += p > 0
        usual = statistics.median(past)
        if usual >= usual_min and now <= ABSENT_SHARE * usual:
            name = log.names.get(staff, staff)
            out.append(
                Event(
                    "staff_absence",
                    at,
                    lo,
                    "explain_absent",
                    {"name": name, "usual": _hours(usual), "now": _hours(now)},
                    {"staff_id": staff},
                    1.0 + 2.0 * (1.0 - now / usual),
                )
            )
    usual_count = statistics.median(counts) if counts else 0
    if usual_count >= 1 and online_now < usual_count:
        out.append(
            Event(
                "staff_absence",
                at,
                lo,
                "explain_fewer_agents",
                {"n": str(online_now), "usual": f"{usual_count:g}"},
                {"agents_online": str(online_now), "usual": f"{usual_count:g}"},
                1.0 + 2.0 * (1.0 - online_now / usual_count),
            )
        )
    return out


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f}"
