"""The alert threads of `socialscope serve`, and one pass for `socialscope alerts run`.

The evaluator wakes every ``POLL_S`` and evaluates every rule when the store's data
version (`ServerState.generation`, bumped after each drained batch or API ingest) moved
— so an alert follows live data within about a second plus the evaluation — and at
least every ``SCHEDULE_S`` regardless (hours complete and snapshots age without new
data). The deliverer sends the outbox's due rows in its own thread, so a slow receiver
never delays evaluation.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from socialscope.alerts.delivery import DeliveryStats, Outbox
from socialscope.alerts.engine import evaluate
from socialscope.alerts.incidents import Transition, apply
from socialscope.client import Client
from socialscope.config import Config
from socialscope.server.state import ServerState
from socialscope.store.duckdb import Store

log = logging.getLogger("socialscope.alerts")

POLL_S = 1.0
SCHEDULE_S = 60.0


@dataclass
class RunResult:
    transitions: list[Transition]
    errors: list[tuple[str, str, str]]
    delivery: DeliveryStats


def run_once(
    client: Client,
    config: Config,
    as_of: datetime | None = None,
    *,
    deliver: bool = True,
    lock: threading.Lock | None = None,
) -> RunResult:
    """Evaluate every rule at ``as_of`` (default now), record transitions, deliver due."""
    as_of = as_of or datetime.now(UTC)
    shops = [s.shop_id for s in config.shops]
    evaluation = evaluate(client, config.alerts, as_of, shops)
    if lock is not None:
        with lock:
            transitions = apply(client.store, evaluation, as_of)
    else:
        transitions = apply(client.store, evaluation, as_of)
    stats = DeliveryStats()
    if deliver:
        outbox = Outbox(client.store, config.alert_webhooks, lock=lock)
        try:
            stats = outbox.run_once()
        finally:
            outbox.close()
    return RunResult(transitions, evaluation.errors, stats)


class AlertService:
    """Evaluator and deliverer threads over the server's store."""

    def __init__(self, state: ServerState, poll_s: float = POLL_S, schedule_s: float = SCHEDULE_S):
        self.state = state
        self.poll_s = poll_s
        self.schedule_s = schedule_s
        self._stop = threading.Event()
        self._deliver_now = threading.Event()
        self._threads = [
            threading.Thread(target=self._evaluate_loop, name="alerts-evaluate", daemon=True),
            threading.Thread(target=self._deliver_loop, name="alerts-deliver", daemon=True),
        ]
        self.evaluations = 0

    def start(self) -> None:
        for t in self._threads:
            t.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._deliver_now.set()
        for t in self._threads:
            t.join(timeout)

    def _store(self) -> Store:
        """Alerts write their incidents and outbox: only a DuckDB store will do."""
        if self.state.store is None:
            raise RuntimeError("alerts need the writable DuckDB store: serve with --engine duckdb")
        return self.state.store

    def _evaluate_loop(self) -> None:
        config = self.state.config
        shops = [s.shop_id for s in config.shops]
        store: Store = self._store().cursor()
        client = Client.over(store)
        seen = -1
        last = 0.0
        reported: set[tuple[str, str, str]] = set()
        while not self._stop.is_set():
            generation = self.state.generation
            if generation != seen or time.monotonic() - last >= self.schedule_s:
                if generation != seen:
                    client.invalidate()
                seen = generation
                last = time.monotonic()
                try:
                    as_of = datetime.now(UTC)
                    evaluation = evaluate(client, config.alerts, as_of, shops)
                    for shop, rule, message in set(evaluation.errors) - reported:
                        log.error(
                            "alert rule %s at shop %s cannot be evaluated: %s", rule, shop, message
                        )
                    reported = set(evaluation.errors)  # each new error is logged once
                    with self.state.write_lock:
                        transitions = apply(store, evaluation, as_of)
                    self.evaluations += 1
                    if transitions:
                        self._deliver_now.set()
                except Exception:
                    log.exception("alert evaluation failed")
            self._stop.wait(self.poll_s)

    def _deliver_loop(self) -> None:
        store = self._store().cursor()
        outbox = Outbox(store, self.state.config.alert_webhooks, lock=self.state.write_lock)
        try:
            while not self._stop.is_set():
                try:
                    outbox.run_once()
                    due = outbox.next_due()
                except Exception:
                    log.exception("alert delivery failed")
                    due = None
                wait = self.poll_s
                if due is not None:
                    wait = min(self.poll_s, max(0.0, (due - datetime.now(UTC)).total_seconds()))
                self._deliver_now.wait(wait)
                self._deliver_now.clear()
        finally:
            outbox.close()
