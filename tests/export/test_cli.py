"""`socialscope export` from the command line: export, --verify, errors, a busy store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from typer.testing import CliRunner

from socialscope.client import Client
from socialscope.export import read_manifest
from tests.export.conftest import PLAIN

CLI = "from socialscope.cli.main import main; main()"


def _app() -> object:
    from socialscope.cli.main import _register, app

    _register()
    return app


def test_export_verify_and_json(seeded: Client, tmp_path: Path) -> None:
    db = seeded.store.path
    seeded.close()
    out = tmp_path / "export"
    runner = CliRunner()
    app = _app()
    first = runner.invoke(app, ["--db", str(db), "export", str(out), "--json"])  # type: ignore[arg-type]
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    assert report["kept"] == 0 and report["rows"]["orders"] == 6
    limited = runner.invoke(
        app,  # type: ignore[arg-type]
        [
            "--db",
            str(db),
            "export",
            str(out),
            "--format",
            "parquet",
            "--shop",
            PLAIN,
            "--tables",
            "orders,refunds",
            "--tables",
            "shops",
        ],
    )
    assert limited.exit_code == 0, limited.output
    assert "0 partition(s) written" in limited.stdout
    checked = runner.invoke(app, ["export", "--verify", str(out)])  # type: ignore[arg-type]
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.strip().endswith(": ok")

    part = read_manifest(out).tables["orders"].partitions[0]
    (out / part.path).write_bytes(b"garbage")
    broken = runner.invoke(app, ["export", "--verify", str(out), "--json"])  # type: ignore[arg-type]
    assert broken.exit_code == 1
    assert json.loads(broken.stdout)["problems"] == [
        f"orders: {part.path}: sha256 differs from the manifest"
    ]


def test_cli_errors_are_clear(seeded: Client, tmp_path: Path) -> None:
    db = seeded.store.path
    seeded.close()
    runner = CliRunner()
    app = _app()
    fmt = runner.invoke(app, ["--db", str(db), "export", str(tmp_path / "o"), "--format", "csv"])  # type: ignore[arg-type]
    assert fmt.exit_code == 2 and "--format 'csv' is not supported" in fmt.stderr
    table = runner.invoke(app, ["--db", str(db), "export", str(tmp_path / "o"), "--tables", "x"])  # type: ignore[arg-type]
    assert table.exit_code == 2 and "--tables: unknown table(s) x" in table.stderr
    missing = runner.invoke(
        app, ["--db", str(tmp_path / "none.duckdb"), "export", str(tmp_path / "o")]
    )  # type: ignore[arg-type]
    assert missing.exit_code == 2 and "no store at" in missing.stderr
    assert not (tmp_path / "none.duckdb").exists()
    nothing = runner.invoke(app, ["export", "--verify", str(tmp_path)])  # type: ignore[arg-type]
    assert nothing.exit_code == 2 and "manifest.json does not exist" in nothing.stderr


def test_busy_store_exits_3(seeded: Client, tmp_path: Path) -> None:
    """While another process (e.g. `serve`) owns the store, export says so (exit 3)."""
    db = seeded.store.path
    seeded.close()
    holder = textwrap.dedent(
        f"""
        import sys, duckdb
        con = duckdb.connect({str(db)!r})
        print("open", flush=True)
        sys.stdin.readline()
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "open"
        done = subprocess.run(
            [sys.executable, "-c", CLI, "--db", str(db), "export", str(tmp_path / "o")],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    finally:
        proc.communicate("\n", timeout=30)
    assert done.returncode == 3, done.stderr
    assert "is open in another process" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "o" / "manifest.json").exists()
