"""Engine selection: the CLI's global options, `socialscope.connect(engine=...)`, the
install hint without pyspark, the read-only commands and the read-only server."""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import socialscope
from socialscope.client import Client
from socialscope.config import parse_config
from socialscope.export import export_parquet

with warnings.catch_warnings():  # as in tests/api/conftest.py: only Starlette's httpx note
    from starlette.exceptions import StarletteDeprecationWarning

    warnings.filterwarnings(
        "ignore",
        message="Using `httpx` with `starlette.testclient` is deprecated",
        category=StarletteDeprecationWarning,
    )
    from fastapi.testclient import TestClient

SERVICE = Path(__file__).parents[1] / "service" / "seeds" / "service"
QUERY = ["query", "conversations,first_response_time_median,csat_rate", "--by", "shop_id,date"]
QUERY += ["--from", "2026-05-04", "--to", "2026-05-06", "--format", "json"]
ADMIN_KEY = "adm-SECRET-portability-5e1f"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The service seed as a DuckDB store and as a Parquet export: (db, data dir)."""
    base = tmp_path_factory.mktemp("selection")
    with socialscope.connect(base / "t.duckdb") as client:
        client.ingest([SERVICE])
        export_parquet(client.store, base / "parquet")
    return base / "t.duckdb", base / "parquet"


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """`socialscope ARGS` in this process (main(), so its error handling is included)."""
    from socialscope.cli.main import main

    old = sys.argv
    sys.argv = ["socialscope", *args]
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.argv = old
    out = capsys.readouterr()
    return code, out.out, out.err


def test_without_pyspark_the_engine_says_how_to_install(
    exported: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark -> ImportError
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    code, _, err = run_cli(["--engine", "pyspark", "--data", str(exported[1]), *QUERY], capsys)
    assert code == 2
    assert "pip install 'socialscope[spark]'" in err
    assert "Traceback" not in err
    with pytest.raises(Exception, match=r"socialscope\[spark\]"):
        socialscope.connect(engine="pyspark", data=exported[1])


def test_pyspark_needs_a_data_directory(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["--engine", "pyspark", *QUERY], capsys)
    assert code == 2
    assert "--engine pyspark needs --data DIR" in err


def test_unknown_engine_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["--engine", "oracle", *QUERY], capsys)
    assert code == 2
    assert "unknown engine 'oracle'" in err


def test_a_directory_without_manifest_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("pyspark")
    code, _, err = run_cli(["--engine", "pyspark", "--data", str(tmp_path), *QUERY], capsys)
    assert code == 2
    assert "no manifest" in err and "export --format parquet" in err


@pytest.mark.parametrize(
    "args",
    [
        ["ingest", str(SERVICE)],
        ["settings"],
        ["keywords", "show", "--shop", "taipei_shop"],
        ["calendar", "show", "taipei_shop"],
        ["demo", "--no-serve"],
    ],
    ids=["ingest", "settings", "keywords", "calendar", "demo"],
)
def test_writing_commands_need_the_duckdb_engine(
    args: list[str], exported: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(["--engine", "pyspark", "--data", str(exported[1]), *args], capsys)
    assert code == 2, err
    assert "--engine duckdb" in err and "read-only" in err


def test_connect_duckdb_refuses_data() -> None:
    with pytest.raises(ValueError, match="data= is read by engine='pyspark'"):
        socialscope.connect(engine="duckdb", data="somewhere")


# -- on PySpark ---------------------------------------------------------------------------


@pytest.mark.pyspark
def test_cli_query_on_pyspark_equals_duckdb(
    exported: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("pyspark")
    db, data = exported
    code, duck, err = run_cli(["--db", str(db), *QUERY], capsys)
    assert code == 0, err
    code, spark, err = run_cli(["--engine", "pyspark", "--data", str(data), *QUERY], capsys)
    assert code == 0, err
    assert json.loads(spark) == json.loads(duck)
    assert any(r["conversations"] for r in json.loads(duck))


@pytest.fixture(scope="module")
def spark_http(exported: tuple[Path, Path]) -> Iterator[Any]:
    pytest.importorskip("pyspark")
    from socialscope.engines.pyspark import SMALL_DATA_CONF, SparkEngine
    from socialscope.server.readonly import build_read_only

    config = parse_config({"admin_key": ADMIN_KEY, "shops": [{"shop_id": "taipei_shop"}]})
    client = Client.over_engine(SparkEngine(exported[1], conf=SMALL_DATA_CONF))
    server = build_read_only(config, client)
    with TestClient(server.app) as http:
        yield http
    server.close()


@pytest.mark.pyspark
def test_read_only_server_answers_queries_and_refuses_writes(
    spark_http: Any, exported: tuple[Path, Path]
) -> None:
    admin = {"Authorization": f"Bearer {ADMIN_KEY}"}
    health = spark_http.get("/healthz")
    assert health.status_code == 200 and health.json()["schema_version"] >= 1
    params = {"metrics": "conversations", "shop": "taipei_shop", "by": "date"}
    params |= {"from": "2026-05-04", "to": "2026-05-06"}
    r = spark_http.get("/api/v1/query", params=params, headers=admin)
    assert r.status_code == 200, r.text
    with socialscope.connect(exported[0], read_only=True) as duck:
        expected = duck.query(
            ["conversations"],
            by=["date"],
            shop="taipei_shop",
            date_from="2026-05-04",
            date_to="2026-05-06",
        ).rows
    got = r.json()
    rows = got["rows"] if isinstance(got, dict) else got
    assert [row["conversations"] for row in rows] == [e["conversations"] for e in expected]
    row = {
        "shop_id": "taipei_shop",
        "event_id": "ro-1",
        "channel": "line",
        "conversation_id": "conv-ro-1",
        "customer_id": "U-ro",
        "ts": "2026-05-04T10:00:00+08:00",
        "sender": "customer",
        "kind": "message",
        "text": "hello",
    }
    write = spark_http.post("/api/v1/ingest/messages", json=[row], headers=admin)
    assert write.status_code == 409
    assert "read-only" in write.json()["error"]["message"]
    hook = spark_http.post("/webhooks/line", content=b"{}")
    assert hook.status_code == 503
    assert "read-only" in hook.json()["error"]["message"]
