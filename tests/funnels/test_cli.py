"""`socialscope funnel` end to end on seeds/social (expected numbers: test_builtin.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

import socialscope
from socialscope.cli.main import _register, app
from tests.funnels.conftest import SEEDS

DAY = ["--from", "2026-03-10", "--to", "2026-03-10"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("funnel_cli") / "t.duckdb"
    with socialscope.connect(path) as client:  # closed again: the CLI opens the store
        client.ingest([SEEDS / "social"])
    _register()
    return path


def _run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", str(db), "funnel", *args])


def test_builtin_json(db: Path) -> None:
    out = _run(db, "--builtin", "service", *DAY, "--format", "json")
    assert out.exit_code == 0, out.output
    [result] = json.loads(out.output)
    assert [s["count"] for s in result["overall"]["steps"]] == [3, 2, 2]
    assert result["request"]["unit"] == "customer"
    assert result["overall"]["values"][0]["total"] == "700.0000"


def test_default_period_is_the_last_30_days_of_data(db: Path) -> None:
    # the latest inquiry is on 2026-03-10: the period is 02-09 .. 03-10, which also
    # holds U4's inquiry of 03-09 23:00 -> 4 inquirers; U4's o5 came after it -> 3 order
    out = _run(db, "--builtin", "service", "--format", "json")
    assert out.exit_code == 0, out.output
    [result] = json.loads(out.output)
    assert (result["request"]["date_from"], result["request"]["date_to"]) == (
        "2026-02-09",
        "2026-03-10",
    )
    assert [s["count"] for s in result["overall"]["steps"]] == [4, 3, 3]


def test_table_with_breakdown(db: Path) -> None:
    out = _run(db, "--steps", "comment,order", "--unit", "customer", *DAY, "--by", "channel")
    assert out.exit_code == 0, out.output
    assert "channel = facebook (taken at step 1)" in out.output
    assert "1. comment" in out.output


def test_list(db: Path) -> None:
    out = _run(db, "--list")
    assert out.exit_code == 0
    assert "comment[live_id=*] → &keyword_comment" in out.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--steps", "click,order", *DAY], "unit=customer"),
        (["--steps", "click,purchase", "--window", "3w"], "duration '3w'"),
        (["--steps", "click,purchase", "--step-window", "x=1d"], "STEP=DURATION"),
        (["--builtin", "nope"], "no built-in funnel 'nope'"),
        (["--steps", "click,purchase", "--builtin", "social"], "either --steps or --builtin"),
    ],
)
def test_errors(db: Path, args: list[str], message: str) -> None:
    out = _run(db, *args)
    assert out.exit_code == 2
    assert message in out.output
