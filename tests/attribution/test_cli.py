"""`socialscope attribution --paths FILE` end to end through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from socialscope.cli.main import _register, app

_register()
runner = CliRunner()

# A > B: 1 conversion of 90 (hours 24 and 0); B: 1 null; A: 1 null.
# Markov order 1 (hand-solved in test_markov.py): A 1/3, B 2/3 → value 30, 60.
# first_touch: A 1; last_touch: B 1.
# time_decay (half-life 24 h): weights 1/2 and 1 → A 1/3, B 2/3.
FILE = (
    "path,total_conversions,total_conversion_value,total_null,hours_till_conv\n"
    "A > B,1,90,0,24 > 0\n"
    "B,0,0,1,0\n"
    "A,0,0,1,0\n"
)


@pytest.fixture
def paths_file(tmp_path: Path) -> Path:
    file = tmp_path / "paths.csv"
    file.write_text(FILE, encoding="utf-8")
    return file


def test_json_output(paths_file: Path) -> None:
    out = runner.invoke(
        app,
        ["attribution", "--paths", str(paths_file), "--format", "json", "--half-life-hours", "24"],
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert list(data["models"]) == [
        "first_touch",
        "last_touch",
        "linear",
        "position_based",
        "time_decay",
        "markov_o1",
        "shapley",
    ]
    assert (data["paths"], data["conversions"], data["nulls"], data["value"]) == (3, 1, 2, 90)
    assert data["models"]["first_touch"]["conversions"] == {"A": 1.0, "B": 0.0}
    assert data["models"]["last_touch"]["value"] == {"A": 0, "B": 90}
    assert data["models"]["markov_o1"]["conversions"] == pytest.approx({"A": 1 / 3, "B": 2 / 3})
    assert data["models"]["markov_o1"]["value"] == {"A": 30, "B": 60}
    assert data["models"]["time_decay"]["share"] == pytest.approx({"A": 1 / 3, "B": 2 / 3})
    assert data["skipped"] == {}
    assert data["notes"] == ["time_decay: half-life 24 h"]


def test_models_and_orders(paths_file: Path) -> None:
    args = ["attribution", "--paths", str(paths_file), "--format", "json"]
    out = runner.invoke(app, [*args, "--models", "markov", "--order", "1,2,3"])
    assert list(json.loads(out.stdout)["models"]) == ["markov_o1", "markov_o2", "markov_o3"]
    out = runner.invoke(app, [*args, "--models", "markov_o2,linear"])
    assert list(json.loads(out.stdout)["models"]) == ["linear", "markov_o2"]


def test_table_output(paths_file: Path) -> None:
    out = runner.invoke(
        app, ["attribution", "--paths", str(paths_file), "--currency", "TWD", "--order", "1,2"]
    )
    assert out.exit_code == 0, out.output
    text = out.stdout
    assert "Attributed conversions" in text
    assert "Attributed value (TWD)" in text
    for key in ("first_touch", "markov_o1", "markov_o2", "shapley"):
        assert key in text
    assert "paths 3 · conversions 1.00 · nulls 2.00 · value 90.00 TWD" in text
    assert "60.00" in text  # B's Markov value


def test_table_says_what_was_skipped(tmp_path: Path) -> None:
    file = tmp_path / "no_hours.csv"
    file.write_text(
        "path,total_conversions,total_conversion_value,total_null\nA > B,1,10,0\n",
        encoding="utf-8",
    )
    out = runner.invoke(app, ["attribution", "--paths", str(file), "--show", "share"])
    assert out.exit_code == 0, out.output
    assert "skipped time_decay: the paths have no touch times" in out.stdout
    assert "50.0%" in out.stdout  # linear: A > B, half each
    assert "Attributed value" not in out.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give the paths: --paths FILE.csv"),
        (["--models", "foo"], "unknown model(s) foo; allowed: all, first_touch"),
        (["--order", "4"], "unknown Markov order(s) 4"),
        (["--order", "x"], "--order takes comma-separated numbers"),
        (["--half-life-hours", "-1"], "half-life must be a positive number"),
    ],
)
def test_errors_exit_2(paths_file: Path, args: list[str], message: str) -> None:
    full = ["attribution", *(["--paths", str(paths_file)] if args else []), *args]
    out = runner.invoke(app, full)
    assert out.exit_code == 2
    assert message in out.stderr


def test_bad_file_exits_2_with_the_line(tmp_path: Path) -> None:
    file = tmp_path / "bad.csv"
    file.write_text(
        "path,total_conversions,total_conversion_value,total_null\nA,1,1,0\nB,x,0,0\n",
        encoding="utf-8",
    )
    out = runner.invoke(app, ["attribution", "--paths", str(file)])
    assert out.exit_code == 2
    assert f"error: {file}, line 3, column 'total_conversions': not a number" in out.stderr
