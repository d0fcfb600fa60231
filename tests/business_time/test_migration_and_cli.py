"""Schema version 2 (shop calendars): migrating a v1 store, and `socialscope calendar`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from socialscope.cli.main import _register, app
from socialscope.client import connect
from socialscope.contract.tables import SCHEMA_VERSION
from socialscope.store.migrations import _v1, current_version
from tests.business_time.conftest import SEED


def _v1_store(path: Path) -> None:
    """A store as socialscope with schema version 1 left it, holding one shop."""
    con = duckdb.connect(str(path))
    _v1(con)
    con.execute("INSERT INTO _meta VALUES ('schema_version', '1')")
    con.execute(
        "INSERT INTO shops (shop_id, name, timezone, service_hours) "
        "VALUES ('old_shop', 'Old', 'UTC', '10:00-12:00')"
    )
    con.close()


def test_v1_store_migrates_to_current(tmp_path: Path) -> None:
    path = tmp_path / "v1.duckdb"
    _v1_store(path)
    assert SCHEMA_VERSION >= 2
    with connect(path) as client:
        con = client.store.con
        assert current_version(con) == SCHEMA_VERSION
        assert client.store.table_exists("shop_hours")
        assert client.store.table_exists("shop_holidays")
        # old rows stay; the shop falls back to its service hours every day
        assert con.execute("SELECT count(*) FROM shops").fetchone() == (1,)
        assert client.calendar("old_shop") == {
            "shop_id": "old_shop",
            "hours": "mon-sun 10:00-12:00",
            "default": True,
            "holidays": [],
        }
        client.set_calendar("old_shop", "mon 09:00-10:00")
    with connect(path) as client:  # reopening: nothing left to migrate, data kept
        assert current_version(client.store.con) == SCHEMA_VERSION
        assert client.calendar("old_shop")["hours"] == "mon 09:00-10:00; tue-sun closed"


def test_fresh_store_is_current(tmp_path: Path) -> None:
    with connect(tmp_path / "new.duckdb") as client:
        assert current_version(client.store.con) == SCHEMA_VERSION
        assert client.calendar("nobody")["hours"] == "mon-sun 08:00-23:00"  # the default


def test_client_calendar_api(tmp_path: Path) -> None:
    with connect(tmp_path / "api.duckdb") as client:
        client.set_calendar("s", "sat 10:00-14:00; mon-fri 09:00-18:00")
        client.add_holiday("s", "2026-12-25", name="Christmas")
        client.add_holiday("s", date(2026, 12, 26))
        cal = client.calendar("s")
        assert cal["hours"] == "mon-fri 09:00-18:00; sat 10:00-14:00; sun closed"
        assert cal["holidays"] == [(date(2026, 12, 25), "Christmas"), (date(2026, 12, 26), None)]
        assert client.remove_holiday("s", "2026-12-26") is True
        assert client.remove_holiday("s", "2026-12-26") is False
        client.set_calendar("s", "default")
        assert client.calendar("s")["default"] is True


def test_cli_calendar_commands(tmp_path: Path) -> None:
    _register()
    db = str(tmp_path / "cli.duckdb")
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str, str]:
        res = runner.invoke(app, ["--db", db, *args])
        return res.exit_code, res.stdout, res.stderr

    assert run("ingest", str(SEED))[0] == 0
    code, out, _ = run("calendar", "show", "default_shop")
    assert code == 0
    assert "hours: mon-sun 09:00-18:00    # default: service_hours every day" in out
    assert "holidays: none" in out

    code, out, _ = run(
        "calendar", "set", "biz_shop", "--hours", "mon-fri 09:00-12:00,13:00-18:00; sat 10:00-14:00"
    )
    assert code == 0
    assert "biz_shop: mon-fri 09:00-12:00,13:00-18:00; sat 10:00-14:00; sun closed" in out

    code, out, _ = run("calendar", "holiday", "biz_shop", "2026-12-25", "--name", "Christmas")
    assert (code, out.strip()) == (0, "biz_shop: 2026-12-25 closed (Christmas)")
    code, out, _ = run("calendar", "show", "biz_shop")
    assert "hours: mon-fri 09:00-12:00,13:00-18:00; sat 10:00-14:00; sun closed\n" in out
    assert "2026-12-25  Christmas" in out
    code, out, _ = run("calendar", "holiday", "biz_shop", "2026-12-25", "--remove")
    assert (code, out.strip()) == (0, "biz_shop: 2026-12-25 reopened")

    code, _, err = run("calendar", "set", "biz_shop", "--hours", "mon-fri 09:00-18:00; xyz 10:00")
    assert code == 2
    assert "part 2 'xyz 10:00'" in err and "unknown weekday 'xyz'" in err
    code, _, err = run("calendar", "holiday", "biz_shop", "25.12.2026")
    assert code == 2 and "'25.12.2026' is not a date YYYY-MM-DD" in err

    # the parameter reaches the metrics from the command line
    code, out, _ = run(
        "query",
        "avg_response_time",
        "--shop",
        "biz_shop",
        "--from",
        "2026-05-04",
        "--to",
        "2026-05-04",
        "--param",
        "duration=business",
        "--format",
        "json",
    )
    assert code == 0, out
    assert '"avg_response_time": 500' in out  # (600 + 0 + 900) / 3, see test_seed.py


def test_v2_store_gains_comment_updated_at_and_webhook_log(tmp_path: Path) -> None:
    """A v2 store's comments table had no updated_at: v3 adds it (and its local twin),
    keeps the rows, and creates the webhook event log and keyword rules."""
    path = tmp_path / "v2.duckdb"
    con = duckdb.connect(str(path))
    _v1(con)
    con.execute("ALTER TABLE comments DROP COLUMN updated_at")
    con.execute("ALTER TABLE comments DROP COLUMN updated_at_local")
    con.execute(
        "INSERT INTO comments (shop_id, event_id, channel, post_id, comment_id, customer_id,"
        " author, ts) VALUES ('s', 'e1', 'facebook', 'p', 'c', 'u', 'customer', now())"
    )
    con.execute("INSERT INTO _meta VALUES ('schema_version', '2')")
    con.close()
    with connect(path) as client:
        con2 = client.store.con
        assert current_version(con2) == SCHEMA_VERSION
        cols = {r[0] for r in con2.execute("DESCRIBE comments").fetchall()}
        assert {"updated_at", "updated_at_local"} <= cols
        assert con2.execute("SELECT count(*) FROM comments").fetchone() == (1,)
        assert client.store.table_exists("_webhook_events")
        assert client.store.table_exists("keyword_rules")
