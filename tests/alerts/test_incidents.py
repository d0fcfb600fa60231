"""Firing, de-duplication and resolution over the seeded store (values in conftest.py).

Rule: three_minute_reply_rate below 0.8 for 2h (hourly, complete hours only). The hours
of 2026-05-04 (Asia/Taipei) have rates 1, 1, 0.5, 0.75, 1, 0.25, 1, 1 for 10..17, so:

* at 14:20 local the last two complete hours are 12 and 13: 0.5, 0.75 → firing;
* at 14:59 the same hours (14 is not complete): still the same incident, no new message;
* at 15:05 hours 13, 14: 0.75, 1 → resolved.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from socialscope.alerts.history import read_history
from socialscope.alerts.incidents import load_states
from socialscope.alerts.service import run_once
from socialscope.alerts.store import HISTORY
from socialscope.client import connect
from socialscope.config import parse_config
from tests.alerts.conftest import OTHER, SHOP, config_dict, rule

TPE = ZoneInfo("Asia/Taipei")


def at(hh: int, mm: int, day: int = 4) -> datetime:
    return datetime(2026, 5, day, hh, mm, tzinfo=TPE)


def test_fires_once_per_incident_and_resolves_once(db: Path) -> None:
    config = parse_config(config_dict(rule()))
    with connect(db) as client:
        assert run_once(client, config, at(13, 59)).transitions == []
        first = run_once(client, config, at(14, 20))
        assert [(t.state, t.value, t.threshold) for t in first.transitions] == [
            ("firing", 0.75, 0.8)
        ]
        assert "0.5, 0.75" in first.transitions[0].message
        for minute in range(21, 31):  # ten more evaluations of the same incident
            assert run_once(client, config, at(14, minute)).transitions == []
        assert run_once(client, config, at(14, 59)).transitions == []
        resolved = run_once(client, config, at(15, 5))
        assert [(t.state, t.value) for t in resolved.transitions] == [("resolved", 1.0)]
        assert resolved.transitions[0].incident_id == first.transitions[0].incident_id
        assert run_once(client, config, at(15, 30)).transitions == []
        rows = read_history(client.store)
        assert [r["state"] for r in rows] == ["resolved", "firing"]
        assert {r["incident_id"] for r in rows} == {first.transitions[0].incident_id}
        assert rows[1]["at"] == "2026-05-04T06:20:00+00:00"
        assert rows[0]["at"] == "2026-05-04T07:05:00+00:00"
        assert rows[0]["deliveries"] == [
            {"target": "log", "status": "sent", "attempts": 1, "last_error": None}
        ]
        assert load_states(client.store) == {}


def test_history_table_has_exactly_the_agreed_columns(db: Path) -> None:
    with connect(db) as client:
        cols = client.store.con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            f"WHERE table_name = '{HISTORY}' ORDER BY ordinal_position"
        ).fetchall()
    assert cols == [
        ("shop_id", "VARCHAR"),
        ("rule_id", "VARCHAR"),
        ("incident_id", "VARCHAR"),
        ("state", "VARCHAR"),
        ("at", "TIMESTAMP WITH TIME ZONE"),
        ("metric", "VARCHAR"),
        ("dims", "VARCHAR"),
        ("value", "DOUBLE"),
        ("threshold", "DOUBLE"),
        ("message", "VARCHAR"),
        ("severity", "VARCHAR"),
    ]


def test_new_breach_after_resolution_is_a_new_incident(db: Path) -> None:
    """Hours 15 (0.25) and 16 (1): no. Lower the bar to 'below 1.01 for 1h' and the
    breach is continuous; 'below 0.3 for 1h' fires only on hour 15 (at 16:xx)."""
    config = parse_config(config_dict(rule(condition="below 0.3", **{"for": "1h"})))
    with connect(db) as client:
        assert run_once(client, config, at(15, 30)).transitions == []
        fired = run_once(client, config, at(16, 1)).transitions
        assert [t.state for t in fired] == ["firing"]
        assert [t.state for t in run_once(client, config, at(17, 1)).transitions] == ["resolved"]


def test_log_delivery_is_structured_and_once(db: Path, caplog: pytest.LogCaptureFixture) -> None:
    config = parse_config(config_dict(rule(severity="critical")))
    with connect(db) as client, caplog.at_level(logging.INFO, "socialscope.alerts"):
        for minute in range(20, 30):
            run_once(client, config, at(14, minute))
        run_once(client, config, at(15, 5))
    lines = [r for r in caplog.records if r.getMessage().startswith("alert {")]
    messages = [json.loads(r.getMessage()[len("alert ") :]) for r in lines]
    assert [(m["state"], m["severity"]) for m in messages] == [
        ("firing", "critical"),
        ("resolved", "critical"),
    ]
    assert lines[0].levelno == logging.ERROR and lines[1].levelno == logging.INFO
    assert messages[0]["rule_id"] == "reply_rate_low" and messages[0]["shop_id"] == SHOP


def test_by_dimension_slices_are_separate_incidents(db: Path) -> None:
    config = parse_config(config_dict(rule(by=["channel"])))
    with connect(db) as client:
        fired = run_once(client, config, at(14, 20)).transitions
        assert [(t.dims, t.state) for t in fired] == [({"channel": "line"}, "firing")]
        assert json.loads(fired[0].history_row()["dims"]) == {"channel": "line"}


def test_snapshot_rule_for_every_configured_shop_with_pending_duration(db: Path) -> None:
    """At 13:05 the 13:05 conversation (answered 13:10) waits: queue_waiting = 1 at
    13:06..13:09, 0 at 13:10. With for = 2m it fires at the evaluation 2 minutes after the
    first breach. Shop `other` never waits (no data: 0)."""
    config = parse_config(
        config_dict(
            rule(
                id="queue", shop_id="*", metric=None, condition="queue_waiting > 0", **{"for": "2m"}
            )
        )
    )
    with connect(db) as client:
        assert run_once(client, config, at(13, 6)).transitions == []  # pending
        assert run_once(client, config, at(13, 7)).transitions == []  # 1 minute
        fired = run_once(client, config, at(13, 8)).transitions
        assert [(t.shop_id, t.state, t.value) for t in fired] == [(SHOP, "firing", 1.0)]
        assert run_once(client, config, at(13, 9)).transitions == []
        done = run_once(client, config, at(13, 10)).transitions
        assert [(t.shop_id, t.state, t.value) for t in done] == [(SHOP, "resolved", 0.0)]
        assert {r["shop_id"] for r in read_history(client.store)} == {SHOP}
        assert OTHER not in {t.shop_id for t in fired}


def test_change_vs_yesterday(db: Path) -> None:
    """Conversations through the last complete hour: 2026-05-04 has 4 per hour from 10,
    2026-05-03 has 8 in hours 10 and 11, then 4. At 11:xx: 4 vs 8 (-50 %) → firing; at
    14:xx: 16 vs 24 (-33.3 %) still; at 15:xx: 20 vs 28 (-28.6 %) → resolved."""
    config = parse_config(
        config_dict(
            rule(
                id="drop",
                metric="conversations",
                condition="change_vs_yesterday < -30%",
                **{"for": "0"},
            )
        )
    )
    with connect(db) as client:
        assert run_once(client, config, at(10, 30)).transitions == []  # 0 vs 0: no value
        fired = run_once(client, config, at(11, 0)).transitions
        assert [(t.state, t.value) for t in fired] == [("firing", -50.0)]
        assert run_once(client, config, at(14, 10)).transitions == []
        done = run_once(client, config, at(15, 0)).transitions
        assert [t.state for t in done] == ["resolved"]
        assert done[0].value == pytest.approx(-100 * 8 / 28)


def test_a_broken_rule_does_not_stop_the_others(db: Path) -> None:
    config = parse_config(config_dict(rule(), rule(id="ghost", shop_id="nowhere"), shops=[]))
    with connect(db) as client:
        result = run_once(client, config, at(14, 20))
    assert [t.rule.id for t in result.transitions] == ["reply_rate_low"]
    assert [(s, r) for s, r, _ in result.errors] == [("nowhere", "ghost")]


def test_incident_of_a_removed_rule_is_closed_without_delivery(db: Path) -> None:
    """The rule fires, then leaves the configuration: its open incident is resolved in
    the history (saying why) and nothing is queued for delivery (its targets went too)."""
    before = parse_config(config_dict(rule(severity="critical")))
    after = parse_config(config_dict(rule(id="other_rule", condition="below 0.1")))
    with connect(db) as client:
        fired = run_once(client, before, at(14, 20)).transitions
        assert run_once(client, after, at(14, 25)).transitions == []
        rows = read_history(client.store)
        outbox = client.store.con.execute("SELECT count(*) FROM _alert_outbox").fetchone()
        assert load_states(client.store) == {}
    assert [(r["rule_id"], r["state"], r["severity"]) for r in rows] == [
        ("reply_rate_low", "resolved", "critical"),
        ("reply_rate_low", "firing", "critical"),
    ]
    assert rows[0]["incident_id"] == fired[0].incident_id
    assert rows[0]["message"].endswith(
        "the rule no longer applies to this shop in the configuration"
    )
    assert rows[0]["deliveries"] == []
    assert outbox == (1,)  # the firing message's log delivery only
