"""The snapshot metrics through the CLI (`--param as_of=...`)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from socialscope.cli.main import _register, app
from tests.reception.conftest import make_seed

_register()


def test_cli_query_as_of(tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    make_seed(db).close()
    result = CliRunner().invoke(
        app,
        [
            "--db",
            str(db),
            "query",
            "queue_waiting,online_agents,agent_saturation",
            "--param",
            "as_of=2026-05-01T15:00:00+08:00",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    # Hand values: see test_reception_seed.py test_queue_at_15 / test_agents_at_15.
    assert json.loads(result.stdout) == [
        {"queue_waiting": 6, "online_agents": 3, "agent_saturation": 0.375}
    ]


def test_cli_time_dimension_error(tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    make_seed(db).close()
    result = CliRunner().invoke(app, ["--db", str(db), "query", "queue_waiting", "--by", "hour"])
    assert result.exit_code != 0
    assert "take no time dimension" in result.output + result.stderr
