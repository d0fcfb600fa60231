"""`socialscope anomalies`: the JSON array is exactly the runner's objects; errors exit 2."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import socialscope
from socialscope.cli.main import _register, app
from tests.insights.conftest import EVAL_FROM, LAST, SPIKE

PERIOD = ["--shop", "s1", "--from", str(EVAL_FROM), "--to", str(LAST)]


def _run(db: Path, *args: str) -> tuple[int, str]:
    _register()
    out = CliRunner().invoke(app, ["--db", str(db), "anomalies", *args])
    return out.exit_code, out.output


def test_json_is_one_object_per_flagged_point(synthetic_db: Path) -> None:
    code, output = _run(synthetic_db, "order_count", "--by", "channel", *PERIOD, "--format", "json")
    assert code == 0, output
    printed = json.loads(output)
    with socialscope.connect(synthetic_db, read_only=True) as client:
        expected = [
            a.to_json()
            for a in client.anomalies(
                "order_count", shop="s1", date_from=EVAL_FROM, date_to=LAST, by="channel"
            )
        ]
    assert printed == expected
    assert len(printed) == 7 and {p["channel"] for p in printed} == {
        "facebook",
        "instagram",
        "line",
    }


def test_table_lists_the_point_and_its_first_explanation(synthetic_db: Path) -> None:
    code, output = _run(synthetic_db, "order_count", *PERIOD, "--sensitivity", "3")
    assert code == 0, output
    assert str(SPIKE) in output and "Winter drop" in output and "▲" in output


def test_bad_input_exits_2_naming_the_field(synthetic_db: Path) -> None:
    code, output = _run(synthetic_db, "order_count", "--shop", "s1", "--grain", "minute")
    assert code == 2 and "grain must be one of" in output
    code, output = _run(synthetic_db, "order_count", "--shop", "s1", "--where", "channel")
    assert code == 2 and "--where must look like NAME=VALUE" in output
