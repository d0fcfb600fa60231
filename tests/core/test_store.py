"""Store, migrations, registry rules, settings and generated docs."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from socialscope.cli.main import _register, app
from socialscope.client import Client, connect
from socialscope.contract.tables import SCHEMA_VERSION, TABLES
from socialscope.docs import GENERATED
from socialscope.metrics.registry import Registry, RegistryError, build_registry
from socialscope.metrics.spec import Count, MetricSpec, Ratio, Unit
from socialscope.store.ddl import storage_columns
from socialscope.store.migrations import SchemaVersionError, current_version
from tests.core.conftest import put, rebuild

ROOT = Path(__file__).resolve().parents[2]


def test_every_schema_table_is_stored_with_its_types(client: Client) -> None:
    con = client.store.con
    for spec in TABLES.values():
        got = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = ? ORDER BY ordinal_position",
            [spec.name],
        ).fetchall()
        assert got == storage_columns(spec)
    assert (
        dict(
            con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = 'orders'"
            ).fetchall()
        )["amount"]
        == "DECIMAL(18,4)"
    )


def test_schema_version_recorded_and_newer_store_refused(tmp_path: Path) -> None:
    path = tmp_path / "v.duckdb"
    with connect(path) as c:
        assert current_version(c.store.con) == SCHEMA_VERSION
    con = duckdb.connect(str(path))
    con.execute(
        "UPDATE _meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)]
    )
    con.close()
    with pytest.raises(SchemaVersionError, match="upgrade socialscope"):
        connect(path)


def test_registry_rules() -> None:
    reg = Registry()
    ok = MetricSpec("a_count", "A", "a", Unit.COUNT, "2", Count(), fact="orders")
    reg.add(ok)
    with pytest.raises(RegistryError, match="declared twice"):
        reg.add(ok)
    with pytest.raises(RegistryError, match="not snake_case"):
        reg.add(MetricSpec("BadId", "B", "b", Unit.COUNT, "2", Count(), fact="orders"))
    with pytest.raises(RegistryError, match="unknown fact"):
        reg.add(MetricSpec("b", "B", "b", Unit.COUNT, "2", Count(), fact="nope"))
    with pytest.raises(RegistryError, match="not on fact"):
        reg.add(
            MetricSpec(
                "c", "C", "c", Unit.COUNT, "2", Count(), fact="orders", dimensions=("sender",)
            )
        )
    with pytest.raises(RegistryError, match="unregistered metric"):
        reg.add(MetricSpec("r", "R", "r", Unit.RATIO, "2", Ratio("a_count", "zzz")))
    with pytest.raises(RegistryError, match="needs a fact with a currency"):
        reg.add(MetricSpec("m", "M", "m", Unit.MONEY, "2", Count(), fact="messages"))
    assert len(build_registry()) >= 16


def test_generated_docs_are_current() -> None:
    for name, render in GENERATED.items():
        committed = (ROOT / "docs" / name).read_text(encoding="utf-8")
        assert committed == render(), f"docs/{name} is stale: run `make docs`"


def test_every_metric_is_documented() -> None:
    text = (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
    for spec in build_registry():
        assert f"### `{spec.id}`" in text


def test_idle_setting_changes_conversations(tmp_path: Path) -> None:
    _register()
    db = tmp_path / "s.duckdb"
    with connect(db) as c:
        put(c, "shops", [{"shop_id": "s", "timezone": "UTC"}])
        for i, ts in enumerate(["2026-03-01 10:00:00", "2026-03-01 16:00:00"]):
            put(
                c,
                "messages",
                [
                    {
                        "shop_id": "s",
                        "event_id": f"e{i}",
                        "channel": "line",
                        "customer_id": "u",
                        "ts": ts,
                        "sender": "customer",
                    }
                ],
            )
    runner = CliRunner()
    assert (
        runner.invoke(app, ["--db", str(db), "settings", "conversation_idle_h", "4"]).exit_code == 0
    )
    with connect(db) as c:
        assert c.query("conversations").rows[0]["conversations"] == 2
    result = runner.invoke(app, ["--db", str(db), "settings", "conversation_idle_h", "-1"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["--db", str(db), "settings"])
    assert "conversation_idle_h = 4.0" in result.stdout


def test_delete_shops_removes_every_per_shop_row(tmp_path: Path) -> None:
    from socialscope.store.maintenance import _tables_with_shop_id, delete_shops

    with connect(tmp_path / "d.duckdb") as c:
        for shop in ("gone", "kept"):
            put(c, "shops", [{"shop_id": shop, "timezone": "UTC"}])
            put(
                c,
                "messages",
                [
                    {
                        "shop_id": shop,
                        "event_id": "e",
                        "channel": "line",
                        "customer_id": "u",
                        "ts": "2026-03-01 10:00:00",
                        "sender": "customer",
                    }
                ],
            )
        c.set_calendar("gone", "mon-fri 09:00-18:00")
        rebuild(c)
        delete_shops(c.store, ["gone"])
        con = c.store.con
        for name in _tables_with_shop_id(c.store):
            left = con.execute(f'SELECT count(*) FROM "{name}" WHERE shop_id = ?', ["gone"])
            assert left.fetchone() == (0,), name
        assert con.execute("SELECT count(*) FROM d_messages").fetchone() == (1,)
        assert "shop_hours" in _tables_with_shop_id(c.store)


def test_older_derived_tables_are_rederived_on_open(tmp_path: Path) -> None:
    from socialscope.store.derive import DERIVED_VERSION

    path = tmp_path / "old.duckdb"
    with connect(path) as c:
        put(c, "shops", [{"shop_id": "s", "timezone": "UTC"}])
        put(
            c,
            "messages",
            [
                {
                    "shop_id": "s",
                    "event_id": "e",
                    "channel": "line",
                    "customer_id": "u",
                    "ts": "2026-03-01 10:00:00",
                    "sender": "customer",
                    "kind": "message",
                }
            ],
        )
    con = duckdb.connect(str(path))  # a store derived by an older socialscope
    con.execute("UPDATE _meta SET value = '1' WHERE key = 'derived_version'")
    con.execute("ALTER TABLE d_rounds DROP COLUMN is_first_human")
    con.close()
    with connect(path) as c:
        got = c.store.con.execute("SELECT round_no, is_first_human FROM d_rounds").fetchall()
        assert got == [(1, True)]
        version = c.store.con.execute(
            "SELECT value FROM _meta WHERE key = 'derived_version'"
        ).fetchone()
        assert version == (str(DERIVED_VERSION),)
