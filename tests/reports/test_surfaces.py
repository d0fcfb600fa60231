"""The digest from the CLI, over HTTP (tenant-scoped) and from `serve`'s scheduler."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import socialscope
from socialscope.api import create_app
from socialscope.cli.main import _register, app
from socialscope.config import parse_config
from socialscope.server.runtime import report_scheduler
from socialscope.server.state import ServerState
from socialscope.store.duckdb import Store
from tests.api.conftest import TestClient, bearer
from tests.reports.conftest import SEED

ADMIN = "adm-SECRET-rep-0a1b2c3d"
KEY_REP = "rep-SECRET-9f8e7d6c5b"
KEY_OTHER = "oth-SECRET-1a2b3c4d5e"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("surfaces") / "s.duckdb"
    with socialscope.connect(path) as client:
        client.ingest([SEED])
    return path


def test_cli_writes_the_document(db: Path, tmp_path: Path) -> None:
    _register()
    runner = CliRunner()
    args = ["--db", str(db), "report", "--shop", "rep_shop", "--from", "2026-11-02"]
    out = runner.invoke(app, [*args, "--to", "2026-11-08", "--out", str(tmp_path), "--lang", "pl"])
    assert out.exit_code == 0, out.output
    written = Path(out.output.strip())
    assert written.name == "socialscope-rep_shop-2026-11-02_2026-11-08-pl.html"
    assert "Podsumowanie" in written.read_text(encoding="utf-8")
    bad = runner.invoke(app, [*args, "--to", "2026-11-08", "--period", "yesterday"])
    assert bad.exit_code == 2 and "not both" in bad.output
    missing = runner.invoke(app, ["--db", str(db), "report"])
    assert missing.exit_code == 2 and "--shop is required" in missing.output
    nope = runner.invoke(app, ["--db", str(db), "report", "--shop", "nope"])
    assert nope.exit_code == 2 and "unknown shop 'nope'" in nope.output


@pytest.fixture
def http(db: Path, tmp_path: Path) -> Iterator[TestClient]:
    copy = tmp_path / "api.duckdb"
    copy.write_bytes(db.read_bytes())
    config = parse_config(
        {
            "admin_key": ADMIN,
            "shops": [
                {"shop_id": "rep_shop", "api_key": KEY_REP},
                {"shop_id": "other_shop", "api_key": KEY_OTHER},
            ],
        }
    )
    state = ServerState(config, Store(copy))
    try:
        with TestClient(create_app(state)) as client:
            yield client
    finally:
        state.store.close()


def test_http_digest_is_tenant_scoped(http: TestClient) -> None:
    query = {"from": "2026-11-02", "to": "2026-11-08"}
    own = http.get("/api/v1/reports/digest", params=query, headers=bearer(KEY_REP))
    assert own.status_code == 200, own.text
    assert own.headers["content-type"].startswith("text/html")
    assert "Report Shop" in own.text and KEY_REP not in own.text
    other = http.get(
        "/api/v1/reports/digest", params={**query, "shop": "rep_shop"}, headers=bearer(KEY_OTHER)
    )
    assert other.status_code == 403
    assert "Report Shop" not in other.text
    pdf = http.get(
        "/api/v1/reports/digest",
        params={**query, "shop": "rep_shop", "format": "pdf"},
        headers=bearer(ADMIN),
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    several = http.get("/api/v1/reports/digest", params=query, headers=bearer(ADMIN))
    assert several.status_code == 400 and "shop is required" in several.text
    bad = http.get(
        "/api/v1/reports/digest", params={"period": "fortnight"}, headers=bearer(KEY_REP)
    )
    assert bad.status_code == 400 and "unknown period" in bad.text
    assert http.get("/api/v1/reports/digest").status_code == 401
    assert http.get("/api/v1/reports/runs", headers=bearer(KEY_REP)).json() == []
    unnamed = http.get("/api/v1/reports/runs", headers=bearer(ADMIN))  # several shops
    assert unnamed.status_code == 400 and "shop is required" in unnamed.text
    runs_of_other = http.get(
        "/api/v1/reports/runs", params={"shop": "other_shop"}, headers=bearer(KEY_REP)
    )
    assert runs_of_other.status_code == 403


def test_serve_scheduler_delivers_and_records(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "sched.duckdb"
    copy.write_bytes(db.read_bytes())
    out = tmp_path / "reports"
    config = parse_config(
        {
            "shops": [{"shop_id": "rep_shop"}],
            "reports": [
                {
                    "id": "daily",
                    "shop_id": "rep_shop",
                    "every": "day",
                    "formats": ["html"],
                    "folder": str(out),
                }
            ],
        }
    )
    state = ServerState(config, Store(copy))
    scheduler = report_scheduler(state, interval_s=0.05)
    scheduler.start()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (out.exists() and any(out.iterdir())):
            time.sleep(0.1)
    finally:
        scheduler.stop()
    files = list(out.iterdir())
    assert len(files) == 1 and files[0].suffix == ".html"
    recorded = (
        state.client().store.con.execute("SELECT schedule_id, status FROM _report_runs").fetchall()
    )
    assert recorded == [("daily", "delivered")]  # once, though the loop ran many times
    state.store.close()
