"""The incident state machine (`incidents.step`) as a property: over any sequence of
evaluations, each maximal run of breaching evaluations is exactly one incident — one
firing message at its first evaluation and one resolved message at the first evaluation
after it — and a snapshot rule with `for` fires only once the breach has lasted that long.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

from hypothesis import given, settings
from hypothesis import strategies as st

from socialscope.alerts.engine import Evaluation, Observation
from socialscope.alerts.incidents import States, step
from socialscope.alerts.rules import AlertRule

T0 = datetime(2026, 5, 4, tzinfo=UTC)
BUCKET = AlertRule.model_validate(
    {"id": "r", "shop_id": "s", "metric": "conversations", "condition": "below 3"}
)
SNAPSHOT = AlertRule.model_validate(
    {"id": "q", "shop_id": "s", "condition": "queue_waiting > 2", "for": "3m"}
)


def run(rule: AlertRule, breaches: list[bool]) -> list[tuple[int, str, str]]:
    """(evaluation index, state, incident id) of every message, one evaluation a minute."""
    states: States = {}
    ids = count()
    out = []
    for i, holds in enumerate(breaches):
        obs = Observation(rule, "s", "m", {}, holds, 1.0, 3.0, "detail")
        evaluation = Evaluation([obs], {("s", rule.id)}, [("s", rule)])
        result = step(states, evaluation, T0 + timedelta(minutes=i), lambda: str(next(ids)))
        states = result.states
        out += [(i, t.state, t.incident_id) for t in result.transitions]
    return out


def runs(breaches: list[bool], wait: int = 0) -> list[tuple[int, int | None]]:
    """(first index, index after the end or None) of each breach run at least `wait`
    evaluations long (counted from its first evaluation)."""
    found = []
    i = 0
    while i < len(breaches):
        if not breaches[i]:
            i += 1
            continue
        j = i
        while j < len(breaches) and breaches[j]:
            j += 1
        if j - i > wait:
            found.append((i + wait, j if j < len(breaches) else None))
        i = j
    return found


@settings(max_examples=200, deadline=None)
@given(st.lists(st.booleans(), max_size=40))
def test_one_firing_and_one_resolved_per_breach(breaches: list[bool]) -> None:
    messages = run(BUCKET, breaches)
    expected = []
    for n, (start, end) in enumerate(runs(breaches)):
        expected.append((start, "firing", str(n)))
        if end is not None:
            expected.append((end, "resolved", str(n)))
    assert messages == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.booleans(), max_size=40))
def test_snapshot_for_waits_until_the_breach_lasted(breaches: list[bool]) -> None:
    """for = 3m with one evaluation a minute: the fourth consecutive breaching evaluation
    fires (3 minutes after the first); a shorter breach sends nothing."""
    messages = run(SNAPSHOT, breaches)
    expected = []
    for n, (start, end) in enumerate(runs(breaches, wait=3)):
        expected.append((start, "firing", str(n)))
        if end is not None:
            expected.append((end, "resolved", str(n)))
    assert messages == expected
