"""The evaluator and deliverer threads of `serve` (in-process, short intervals): they
evaluate on the schedule without new data, and at once when the data version moves;
repeated evaluations of one incident still give one message, delivered to the log."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from socialscope.alerts.history import read_history
from socialscope.alerts.service import AlertService
from socialscope.server.state import ServerState
from tests.alerts.conftest import SHOP, config_dict, rule
from tests.api.conftest import state_over_copy


@pytest.fixture
def state(alerts_seed_db: Path, tmp_path: Path) -> Iterator[ServerState]:
    always = rule(id="queue_any", metric=None, condition="queue_waiting >= 0", **{"for": "0"})
    yield from state_over_copy(alerts_seed_db, tmp_path, config_dict(always))


def wait_for(predicate: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError("timed out")


def test_schedule_and_data_version_wake_the_evaluator(state: ServerState) -> None:
    service = AlertService(state, poll_s=0.05, schedule_s=0.3)
    service.start()
    try:
        wait_for(lambda: service.evaluations >= 3)  # no data change: the schedule
        start = service.evaluations
        generation = state.generation
        state.changed()  # as after a drained batch
        assert state.generation == generation + 1
        wait_for(lambda: service.evaluations > start, timeout=5.0)
        store = state.client().store

        def delivered() -> bool:
            rows = read_history(store)
            return bool(rows) and rows[0]["deliveries"][0]["status"] == "sent"

        wait_for(delivered)
    finally:
        service.stop()
    rows = read_history(state.client().store)
    assert [(r["shop_id"], r["rule_id"], r["state"]) for r in rows] == [
        (SHOP, "queue_any", "firing")
    ]
    assert service.evaluations >= 4
