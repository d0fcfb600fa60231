"""Incidents: one alert per incident, a "resolved" message when it clears.

An incident is keyed by rule + shop + (metric, dimension values). The state machine is
``ok → firing → resolved`` (``ok → pending → firing`` for a snapshot rule with a ``for``:
the snapshot must breach at every evaluation for that long). Evaluating the same breach
again changes nothing, so ten evaluations of one incident give one firing message.

`step` is pure (the replay of `socialscope alerts test` runs it in memory); `apply` runs
it over the store's `_alert_state` and writes the history and outbox rows of the
transitions in the same transaction.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from socialscope.alerts.conditions import Anomaly
from socialscope.alerts.engine import Evaluation, Observation
from socialscope.alerts.rules import AlertRule
from socialscope.alerts.store import HISTORY, OUTBOX, STATE, fetch_dicts, iso, utc
from socialscope.store.duckdb import Store

FIRING = "firing"
RESOLVED = "resolved"
PENDING = "pending"


def incident_key(metric: str, dims: dict[str, Any]) -> str:
    return json.dumps({"metric": metric, "dims": dims}, sort_keys=True, ensure_ascii=False)


def dims_json(dims: dict[str, Any]) -> str:
    return json.dumps(dims, sort_keys=True, ensure_ascii=False, default=str)


@dataclass(frozen=True)
class IncidentState:
    """An open incident (firing) or a snapshot breach waiting for its ``for`` (pending)."""

    state: str
    since: datetime
    metric: str
    dims: dict[str, Any]
    incident_id: str | None = None
    value: float | None = None


@dataclass(frozen=True)
class Transition:
    """A firing or resolved message: one `_alert_history` row."""

    shop_id: str
    rule: AlertRule
    incident_id: str
    state: str
    at: datetime
    metric: str
    dims: dict[str, Any]
    value: float | None
    threshold: float | None
    message: str

    def history_row(self) -> dict[str, Any]:
        return {
            "shop_id": self.shop_id,
            "rule_id": self.rule.id,
            "incident_id": self.incident_id,
            "state": self.state,
            "at": self.at,
            "metric": self.metric,
            "dims": dims_json(self.dims),
            "value": self.value,
            "threshold": self.threshold,
            "message": self.message,
            "severity": self.rule.severity,
        }


States = dict[tuple[str, str, str], IncidentState]
"""(shop, rule id, incident key) → its open state."""


@dataclass
class StepResult:
    states: States
    transitions: list[Transition] = field(default_factory=list)


def _resolved_message(
    rule: AlertRule, shop: str, obs: Observation | None, st: IncidentState
) -> str:
    if obs is not None:
        now = f"now {obs.detail}"
    elif isinstance(rule.parsed, Anomaly):
        now = "back within the expected band"
    else:
        now = "no longer observed"
    dims = f" {dims_json(st.dims)}" if st.dims else ""
    return f"resolved: {shop} {rule.id} ({st.metric}{dims}): {now}"


def _firing_message(rule: AlertRule, shop: str, obs: Observation) -> str:
    dims = f" {dims_json(obs.dims)}" if obs.dims else ""
    return f"[{rule.severity}] {shop} {rule.id} ({obs.metric}{dims}): {obs.detail}"


def step(
    states: States,
    evaluation: Evaluation,
    at: datetime,
    new_id: Callable[[], str] = lambda: uuid.uuid4().hex,
) -> StepResult:
    """The transitions of one evaluation at ``at`` and the states after it."""
    out = dict(states)
    result = StepResult(out)
    seen: set[tuple[str, str, str]] = set()
    for obs in evaluation.observations:
        key = (obs.shop, obs.rule.id, incident_key(obs.metric, obs.dims))
        seen.add(key)
        current = out.get(key)
        if obs.holds:
            if current is not None and current.state == FIRING:
                continue
            wait = obs.rule.duration if obs.rule.is_snapshot else None
            if wait and (current is None or current.state != PENDING):
                out[key] = IncidentState(PENDING, at, obs.metric, obs.dims, value=obs.value)
                continue
            if wait and current is not None and at - current.since < wait:
                continue
            incident = new_id()
            out[key] = IncidentState(FIRING, at, obs.metric, obs.dims, incident, obs.value)
            result.transitions.append(
                Transition(
                    obs.shop,
                    obs.rule,
                    incident,
                    FIRING,
                    at,
                    obs.metric,
                    obs.dims,
                    obs.value,
                    obs.threshold,
                    _firing_message(obs.rule, obs.shop, obs),
                )
            )
        elif current is not None:
            _close(result, key, current, obs.rule, obs, at)
    rules = {(shop, rule.id): rule for shop, rule in evaluation.evaluated}
    for key, current in list(out.items()):
        rule = rules.get((key[0], key[1]))
        if rule is None or key in seen:
            continue  # not evaluated this time (an error, or another rule): unchanged
        _close(result, key, current, rule, None, at)
    return result


def _close(
    result: StepResult,
    key: tuple[str, str, str],
    current: IncidentState,
    rule: AlertRule,
    obs: Observation | None,
    at: datetime,
) -> None:
    del result.states[key]
    if current.state != FIRING or current.incident_id is None:
        return
    result.transitions.append(
        Transition(
            key[0],
            rule,
            current.incident_id,
            RESOLVED,
            at,
            current.metric,
            current.dims,
            obs.value if obs is not None else None,
            obs.threshold if obs is not None else None,
            _resolved_message(rule, key[0], obs, current),
        )
    )


# -- over the store ------------------------------------------------------------------------


def _write_unconfigured(
    store: Store, key: tuple[str, str, str], st: IncidentState, at: datetime
) -> None:
    row = store.con.execute(
        f"SELECT severity FROM {HISTORY} WHERE incident_id = ? AND state = 'firing' LIMIT 1",
        [st.incident_id],
    ).fetchone()
    dims = f" {dims_json(st.dims)}" if st.dims else ""
    message = (
        f"resolved: {key[0]} {key[1]} ({st.metric}{dims}): the rule no longer applies to this "
        "shop in the configuration"
    )
    store.con.execute(
        f"INSERT INTO {HISTORY} VALUES (?, ?, ?, 'resolved', ?::TIMESTAMPTZ, ?, ?, NULL, NULL, "
        "?, ?)",
        [
            key[0],
            key[1],
            st.incident_id,
            iso(at),
            st.metric,
            dims_json(st.dims),
            message,
            row[0] if row else "info",
        ],
    )


def load_states(store: Store) -> States:
    rows = fetch_dicts(
        store,
        f"SELECT shop_id, rule_id, incident_key, state, incident_id, "
        f"CAST(since AS TIMESTAMP) AS since, metric, dims, value FROM {STATE}",
    )
    out: States = {}
    for r in rows:
        since = utc(r["since"])
        assert since is not None
        out[(r["shop_id"], r["rule_id"], r["incident_key"])] = IncidentState(
            r["state"],
            since,
            r["metric"],
            json.loads(r["dims"] or "{}"),
            r["incident_id"],
            r["value"],
        )
    return out


def _save_states(store: Store, before: States, after: States) -> None:
    con = store.con
    for key in before.keys() - after.keys():
        con.execute(
            f"DELETE FROM {STATE} WHERE shop_id = ? AND rule_id = ? AND incident_key = ?", list(key)
        )
    for key, st in after.items():
        if before.get(key) == st:
            continue
        con.execute(
            f"INSERT OR REPLACE INTO {STATE} VALUES (?, ?, ?, ?, ?, ?::TIMESTAMPTZ, ?, ?, ?)",
            [
                *key,
                st.state,
                st.incident_id,
                iso(st.since),
                st.metric,
                dims_json(st.dims),
                st.value,
            ],
        )


def payload(t: Transition) -> dict[str, Any]:
    """The delivered message, minus the per-delivery fields (delivery id, timestamp)."""
    return {
        "event": f"alert.{t.state}",
        "state": t.state,
        "incident_id": t.incident_id,
        "rule_id": t.rule.id,
        "shop_id": t.shop_id,
        "metric": t.metric,
        "dims": t.dims,
        "value": t.value,
        "threshold": t.threshold,
        "condition": t.rule.condition,
        "for": t.rule.for_,
        "grain": t.rule.grain,
        "severity": t.rule.severity,
        "message": t.message,
        "at": iso(t.at),
    }


def write_transitions(store: Store, transitions: Iterable[Transition], now: datetime) -> None:
    """History rows and one outbox row per delivery target (inside the caller's
    transaction)."""
    con = store.con
    for t in transitions:
        row = t.history_row()
        con.execute(
            f"INSERT INTO {HISTORY} VALUES (?, ?, ?, ?, ?::TIMESTAMPTZ, ?, ?, ?, ?, ?, ?)",
            [*(row[k] if k != "at" else iso(t.at) for k in row)],
        )
        body = json.dumps(payload(t), ensure_ascii=False, default=str)
        for target in dict.fromkeys(t.rule.deliver):
            con.execute(
                f'INSERT INTO {OUTBOX} (delivery_id, incident_id, shop_id, rule_id, state, "at", '
                "target, payload, status, attempts, next_attempt_at, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?::TIMESTAMPTZ, ?, ?, 'pending', 0, ?::TIMESTAMPTZ, "
                "?::TIMESTAMPTZ)",
                [
                    uuid.uuid4().hex,
                    t.incident_id,
                    t.shop_id,
                    t.rule.id,
                    t.state,
                    iso(t.at),
                    target,
                    body,
                    iso(now),
                    iso(now),
                ],
            )


def apply(
    store: Store,
    evaluation: Evaluation,
    at: datetime,
    now: datetime | None = None,
    *,
    complete: bool = True,
) -> list[Transition]:
    """Run `step` over the stored states; persist states, history and outbox atomically.

    ``complete``: the evaluation covers every configured rule, so an open incident of a
    rule (or a shop) the configuration no longer names is closed: a "resolved" history
    row saying so, with no delivery (its targets are gone with the rule)."""
    now = now or datetime.now(UTC)
    store.con.execute("BEGIN TRANSACTION")
    try:
        before = load_states(store)
        result = step(before, evaluation, at)
        stale = {}
        if complete:
            stale = {k: v for k, v in result.states.items() if k[:2] not in evaluation.planned}
        for key in stale:
            del result.states[key]
        if result.transitions or result.states != before:
            _save_states(store, before, result.states)
            write_transitions(store, result.transitions, now)
        for key, st in stale.items():
            if st.state == FIRING:
                _write_unconfigured(store, key, st, at)
        store.con.execute("COMMIT")
    except BaseException:
        store.con.execute("ROLLBACK")
        raise
    return result.transitions
