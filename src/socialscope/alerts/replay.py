"""`socialscope alerts test RULE`: replay a rule over historical data, without delivering.

The rule is evaluated at every step of the period — each local hour boundary (grain
hour, and snapshot rules) or each local midnight (grain day) from ``from`` 00:00 to the
end of ``to`` — through the same engine and the same incident state machine as live
evaluation, but with the states kept in memory: nothing is written or sent. The replay
reads the data as it is stored now (events that arrived late are already there).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from socialscope.alerts.engine import Evaluation, evaluate, rule_shops, shop_zone
from socialscope.alerts.incidents import States, Transition, step
from socialscope.alerts.rules import AlertRule
from socialscope.client import Client

MAX_STEPS = 24 * 400
"""A replay covers at most about 400 days of hours."""


def steps(date_from: date, date_to: date, grain: str, zone: str) -> list[datetime]:
    """The evaluation instants (aware, UTC) of the period in the shop's zone."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone)
    start = datetime.combine(date_from, time(0), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(date_to + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    if grain == "day":
        out = []
        d = date_from
        while d <= date_to + timedelta(days=1):
            out.append(datetime.combine(d, time(0), tzinfo=tz).astimezone(UTC))
            d += timedelta(days=1)
        return out
    out = []
    t = start
    while t <= end:
        out.append(t)
        t += timedelta(hours=1)  # UTC hours: every local hour boundary, DST included
    return out


def replay(
    client: Client,
    rule: AlertRule,
    date_from: date,
    date_to: date,
    configured_shops: Sequence[str] = (),
) -> tuple[list[Transition], list[tuple[str, str, str]]]:
    """The firing and resolved messages the rule would have sent, and evaluation errors."""
    if date_from > date_to:
        raise ValueError(f"from ({date_from}) is after to ({date_to})")
    transitions: list[Transition] = []
    errors: list[tuple[str, str, str]] = []
    for shop in rule_shops(rule, configured_shops, client):
        zone = str(shop_zone(client, shop))
        grain = "hour" if rule.is_snapshot else rule.grain
        instants = steps(date_from, date_to, grain, zone)
        if len(instants) > MAX_STEPS:
            raise ValueError(f"the period is too long to replay ({len(instants)} steps)")
        states: States = {}
        shop_rule = rule.model_copy(update={"shop_id": shop})
        for at in instants:
            evaluation: Evaluation = evaluate(client, [shop_rule], at, [shop])
            errors += evaluation.errors
            result = step(states, evaluation, at)
            states = result.states
            transitions += result.transitions
    transitions.sort(key=lambda t: (t.at, t.shop_id, t.state != "resolved"))
    return transitions, list(dict.fromkeys(errors))
