"""The condition grammar, config errors that name the rule, `alerts list`, and
`alerts test RULE` replaying a rule over the seeded history (times worked out by hand in
the docstrings from the seed described in conftest.py)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from socialscope.alerts.conditions import (
    ChangeVsYesterday,
    ConditionError,
    Threshold,
    parse_condition,
    parse_duration,
)
from socialscope.cli.main import _register, app
from socialscope.config import ConfigError, parse_config
from tests.alerts.conftest import HOOK_SECRET, SHOP, URL_PASSWORD, URL_TOKEN, config_dict, rule

_register()


def toml_value(value: Any) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(value)


def write_toml(path: Path, data: dict[str, Any]) -> Path:
    lines = []
    for table in ("shops", "alert_webhooks", "alerts"):
        for item in data.get(table, []):
            lines.append(f"[[{table}]]")
            lines += [f"{k} = {toml_value(v)}" for k, v in item.items() if v is not None]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# -- grammar -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("below 0.8", Threshold("<", 0.8)),
        ("above 20", Threshold(">", 20.0)),
        ("<= 0.8", Threshold("<=", 0.8)),
        (">=1e3", Threshold(">=", 1000.0)),
        ("queue_waiting > 20", Threshold(">", 20.0, "queue_waiting")),
        ("change_vs_yesterday < -30%", ChangeVsYesterday("<", -30.0)),
        ("  change_vs_yesterday   >= 15.5 % ", ChangeVsYesterday(">=", 15.5)),
    ],
)
def test_conditions_parse(text: str, expected: Any) -> None:
    assert parse_condition(text) == expected


@pytest.mark.parametrize(
    "text", ["", "bellow 0.8", "below", "< x", "== 3", "change_vs_yesterday < -30", "nan", "> inf"]
)
def test_bad_conditions_say_what_is_expected(text: str) -> None:
    with pytest.raises(ConditionError):
        parse_condition(text)


@given(
    op=st.sampled_from(["<", "<=", ">", ">="]),
    value=st.floats(allow_nan=False, allow_infinity=False, width=32),
    pct=st.booleans(),
)
def test_grammar_round_trips(op: str, value: float, pct: bool) -> None:
    text = f"change_vs_yesterday {op} {value!r}%" if pct else f"{op} {value!r}"
    cond = parse_condition(text)
    assert parse_condition(cond.text()) == cond
    if isinstance(cond, Threshold):
        assert cond.holds(value) == (op in ("<=", ">="))
        assert not cond.holds(None)


def test_durations() -> None:
    assert parse_duration("2h") == timedelta(hours=2)
    assert parse_duration("90m") == timedelta(minutes=90)
    assert parse_duration("0") == timedelta(0)
    with pytest.raises(ConditionError):
        parse_duration("two hours")


# -- config errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"condition": "bellow 0.8"}, "rule 'reply_rate_low': condition: cannot read 'bellow 0.8'"),
        ({"for": "90m"}, "rule 'reply_rate_low': for: '90m' is not a whole number of hours"),
        ({"metric": "no_such_metric"}, "rule 'reply_rate_low': metric: unknown metric"),
        ({"by": ["colour"]}, "rule 'reply_rate_low': by: 'colour' is not a dimension"),
        ({"where": {"hour": "1"}}, "rule 'reply_rate_low': where: 'hour' is not a dimension"),
        ({"params": {"bogus": 1}}, "rule 'reply_rate_low': params: 'bogus'"),
        ({"shop_id": "ghost"}, "rule 'reply_rate_low': shop_id 'ghost' is not configured"),
        ({"deliver": ["pager"]}, "rule 'reply_rate_low': deliver: 'pager'"),
        ({"severity": "loud"}, "alerts.0 (rule 'reply_rate_low').severity: Input should be"),
        ({"treshold": 3}, "alerts.0 (rule 'reply_rate_low').treshold: Extra inputs"),
        (
            {"metric": "interacting_users", "condition": "change_vs_yesterday < -30%"},
            "interacting_users is not additive across hours",
        ),
        (
            {"metric": "queue_waiting", "condition": "anomaly"},
            "queue_waiting is a snapshot metric; only a threshold applies",
        ),
    ],
)
def test_config_errors_name_the_rule_and_field(change: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_config(config_dict(rule(**change)))
    assert fragment in str(err.value)


def test_duplicate_rule_ids_are_an_error() -> None:
    with pytest.raises(ConfigError, match="rule id 'reply_rate_low' is used twice"):
        parse_config(config_dict(rule(), rule()))


def test_env_secret_and_cli_list_without_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOOK_SECRET_VAR", HOOK_SECRET)
    data = config_dict(rule(deliver=["log", "ops"]), port=9999)
    data["alert_webhooks"][0]["secret"] = "env:HOOK_SECRET_VAR"
    config = parse_config(data)
    assert config.alert_webhooks[0].secret.get_secret_value() == HOOK_SECRET
    assert HOOK_SECRET not in repr(config)
    path = write_toml(tmp_path / "c.toml", data)
    out = CliRunner().invoke(app, ["alerts", "list", "--config", str(path), "--format", "json"])
    assert out.exit_code == 0, out.output
    (listed,) = json.loads(out.stdout)
    assert listed["deliver"] == [
        {"name": "log", "kind": "log"},
        {"name": "ops", "kind": "webhook", "url": "http://127.0.0.1:9999/hook"},
    ]
    for secret in (HOOK_SECRET, URL_PASSWORD, URL_TOKEN):
        assert secret not in out.output


def test_cli_reports_a_bad_rule(tmp_path: Path) -> None:
    path = write_toml(tmp_path / "c.toml", config_dict(rule(condition="below zero")))
    out = CliRunner().invoke(app, ["alerts", "list", "--config", str(path)])
    assert out.exit_code == 2
    assert "rule 'reply_rate_low': condition: cannot read 'below zero'" in out.output


# -- replay --------------------------------------------------------------------------------


def replay(db: Path, tmp_path: Path, data: dict[str, Any], *args: str) -> list[dict[str, Any]]:
    path = write_toml(tmp_path / "c.toml", data)
    out = CliRunner().invoke(
        app,
        ["--db", str(db), "alerts", "test", *args, "--config", str(path), "--format", "json"],
    )
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert isinstance(rows, list)
    return rows


def test_replay_reply_rate_below_target_for_two_hours(db: Path, tmp_path: Path) -> None:
    """Hourly rates on 2026-05-04 (local): 10→1, 11→1, 12→0.5, 13→0.75, 14→1, 15→0.25,
    16→1, 17→1; 2026-05-03 all 1. Evaluated at every local hour boundary, 'below 0.8 for
    2h' first holds at 14:00 (hours 12, 13) and stops at 15:00 (hours 13, 14); hour 15
    alone (0.25) never makes two. So: firing 14:00, resolved 15:00 — and nothing else."""
    rows = replay(
        db,
        tmp_path,
        config_dict(rule(deliver=["log"])),
        "reply_rate_low",
        "--from",
        "2026-05-03",
        "--to",
        "2026-05-04",
    )
    assert [(r["local"], r["state"], r["value"]) for r in rows] == [
        ("2026-05-04 14:00", "firing", 0.75),
        ("2026-05-04 15:00", "resolved", 1.0),
    ]
    assert [r["at"] for r in rows] == ["2026-05-04T06:00:00+00:00", "2026-05-04T07:00:00+00:00"]


def test_replay_daily_grain_and_nothing_recorded(db: Path, tmp_path: Path) -> None:
    """Daily 3-minute reply rate: 2026-05-03 = 40/40 = 1; 2026-05-04 = 26/32 = 0.8125.
    'below 0.85' by day is judged at each local midnight on the day before: it fires at
    2026-05-05 00:00 and, the next day having no conversations (no value), resolves at
    2026-05-06 00:00."""
    data = config_dict(rule(condition="below 0.85", grain="day", **{"for": "1d"}))
    rows = replay(
        db, tmp_path, data, "reply_rate_low", "--from", "2026-05-02", "--to", "2026-05-05"
    )
    assert [(r["local"], r["state"]) for r in rows] == [
        ("2026-05-05 00:00", "firing"),
        ("2026-05-06 00:00", "resolved"),
    ]
    assert rows[0]["value"] == pytest.approx(26 / 32)
    out = CliRunner().invoke(app, ["--db", str(db), "alerts", "history", "--format", "json"])
    assert out.exit_code == 0 and json.loads(out.stdout) == []


def test_replay_unknown_rule(db: Path, tmp_path: Path) -> None:
    path = write_toml(tmp_path / "c.toml", config_dict(rule()))
    out = CliRunner().invoke(
        app, ["--db", str(db), "alerts", "test", "nope", "--config", str(path)]
    )
    assert out.exit_code == 2
    assert "no rule 'nope' in the config (rules: reply_rate_low)" in out.output
    assert SHOP  # the seed's shop is the rule's


def test_cli_run_for_cron_records_once(db: Path, tmp_path: Path) -> None:
    """`alerts run --as-of 14:20 local` fires reply_rate_low (hours 12 and 13: 0.5, 0.75);
    a second run at 14:30 records nothing new; `history` shows the one message, delivered
    to the log."""
    path = write_toml(tmp_path / "c.toml", config_dict(rule()))
    base = ["--db", str(db), "alerts", "run", "--config", str(path), "--format", "json"]
    first = CliRunner().invoke(app, [*base, "--as-of", "2026-05-04T14:20:00+08:00"])
    assert first.exit_code == 0, first.output
    rows = json.loads(first.stdout)
    assert [(r["rule_id"], r["state"], r["value"], r["at"]) for r in rows] == [
        ("reply_rate_low", "firing", 0.75, "2026-05-04T06:20:00+00:00")
    ]
    again = CliRunner().invoke(app, [*base, "--as-of", "2026-05-04T14:30:00+08:00"])
    assert again.exit_code == 0 and json.loads(again.stdout) == []
    history = CliRunner().invoke(
        app, ["--db", str(db), "alerts", "history", "--shop", SHOP, "--format", "json"]
    )
    (row,) = json.loads(history.stdout)
    assert row["deliveries"] == [
        {"target": "log", "status": "sent", "attempts": 1, "last_error": None}
    ]
    naive = CliRunner().invoke(app, [*base, "--as-of", "2026-05-04T14:20:00"])
    assert naive.exit_code == 2 and "--as-of: give an offset" in naive.output
