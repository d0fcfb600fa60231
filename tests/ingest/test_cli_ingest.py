"""`socialscope ingest` and `socialscope quarantine` end to end through the Typer app."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from socialscope.cli import main as cli_main
from tests.ingest.conftest import MSG_HEADER, SHOPS, SHOPS_HEADER, write_csv

cli_main._register()
runner = CliRunner()


def _data(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    write_csv(d / "shops.csv", SHOPS_HEADER, SHOPS)
    write_csv(
        d / "messages.csv",
        MSG_HEADER,
        [
            ("tw", "e1", "line", "c1", "2026-05-01 09:00", "customer", None, "hi"),
            ("tw", "e2", "myspace", "c1", "2026-05-01 09:01", "customer", None, "bad"),
        ],
    )
    return d


def test_ingest_json_shape_strict_and_quarantine_listing(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    data = _data(tmp_path)
    res = runner.invoke(cli_main.app, ["--db", db, "ingest", str(data), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == {
        "tables": {
            "shops": {"stored": 2, "duplicates": 0, "updated": 0, "quarantined": 0},
            "messages": {"stored": 1, "duplicates": 0, "updated": 0, "quarantined": 1},
        }
    }
    res = runner.invoke(cli_main.app, ["--db", db, "ingest", str(data), "--strict"])
    assert res.exit_code == 1
    assert "messages" in res.stdout and "quarantined" in res.stdout

    res = runner.invoke(
        cli_main.app, ["--db", db, "quarantine", "--format", "json", "--table", "messages"]
    )
    assert res.exit_code == 0, res.output
    listed = json.loads(res.stdout)
    assert len(listed) == 2  # once per import
    assert set(listed[0]) == {"table", "source", "line", "column", "reason", "raw"}
    assert listed[0]["line"] == 3 and listed[0]["column"] == "channel"
    assert listed[0]["reason"].startswith("unknown channel 'myspace'")
    res = runner.invoke(cli_main.app, ["--db", db, "quarantine", "--format", "csv", "--limit", "1"])
    parsed = list(csv.reader(io.StringIO(res.stdout)))
    assert parsed[0] == ["table", "source", "line", "column", "reason", "raw"] and len(parsed) == 2
    res = runner.invoke(cli_main.app, ["--db", db, "quarantine"])
    assert res.exit_code == 0 and "myspace" in res.stdout


def test_ingest_single_file_with_table_option_and_whole_file_error(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    f = write_csv(tmp_path / "export-2026.csv", SHOPS_HEADER, SHOPS)
    res = runner.invoke(
        cli_main.app, ["--db", db, "ingest", str(f), "--table", "shops", "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["tables"]["shops"]["stored"] == 2
    res = runner.invoke(cli_main.app, ["--db", db, "ingest", str(f), "--format", "json"])
    assert res.exit_code == 2
    assert res.stdout == ""
    assert "export-2026.csv: unknown table 'export-2026'" in res.stderr
    broken = write_csv(tmp_path / "messages.csv", ("shop_id", "event_id"), [("tw", "e")])
    res = runner.invoke(cli_main.app, ["--db", db, "ingest", str(broken)])
    assert res.exit_code == 2
    assert "messages.csv: missing required columns channel, customer_id, ts, sender" in res.stderr
