"""The live-ingest load benchmark, run small: the code works and counts loss correctly.

A few hundred signed LINE and Meta requests go through the real `socialscope serve` and
the reference app (benchmarks/webhooks.py); no timing is asserted. Then the kept store is
damaged on purpose — rows of acknowledged events deleted, one stored twice — and the
store check must report exactly that damage.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest
from rich.console import Console

from benchmarks import loadgen
from benchmarks.webhooks import (
    LINE,
    MESSENGER,
    Settings,
    event_keys,
    prometheus_values,
    run_webhooks,
    verify_store,
)

SMOKE = Settings(
    duration_s=1.0,
    rate=200.0,
    connections=8,
    closed_prepared_per_s=250.0,
    shops=2,
    customers_per_shop=40,
    warmup_requests=30,
    marker_every_s=0.25,
    lag_grace_s=15.0,
    drain_timeout_s=60.0,
)


@pytest.mark.timeout(120)
def test_webhooks_benchmark_small_run_and_loss_check(tmp_path: Path) -> None:
    work = tmp_path / "work"
    results, evidence = run_webhooks("tiny", Console(quiet=True), settings=SMOKE, keep=work)

    ref = results["reference"]
    for name in ("paced", "closed"):
        assert ref[name]["requests_ok"] > 0
        assert ref[name]["requests_failed"] == 0
    ss = results["socialscope"]
    assert ss["exit_code"] == 0
    assert ss["history"]["message_rows"] == 2 * 3 * 40 * 3  # shops x platforms x customers x 3
    paced, closed = ss["paced"], ss["closed"]
    assert paced["requests_ok"] == paced["requests_prepared"] == 200
    assert paced["requests_failed"] == 0 and closed["requests_failed"] == 0
    assert closed["requests_ok"] > 0
    assert paced["drained"] and closed["drained"]
    assert paced["cpu"]["server_cpu_s"] >= 0
    for phase in (paced, closed):
        lag = phase["lag"]
        assert lag["markers_acked"] >= 1
        assert lag["markers_unseen"] == 0
        assert lag["lag_max_s"] >= 0

    loss = results["loss"]
    acked_events = sum(ss[p]["events_acked"] for p in ("paced", "closed")) + sum(1 for _ in ())
    assert loss["acked_events"] == len(evidence.acked) >= acked_events > 0
    assert loss["lost"] == loss["duplicated"] == 0
    assert loss["unexpected_rows"] == loss["quarantined"] == 0
    assert loss["stored_message_rows"] == loss["logged_events"] == len(evidence.acked)
    assert {t["target"].split(":")[0] for t in results["targets"]} == {"webhooks"}
    assert all("met" in t for t in results["targets"])
    assert set(results["ratios"]) >= {"closed_req_per_s_vs_reference", "paced_p99_vs_reference"}

    # damage the kept store: 3 acknowledged messages and 1 log entry gone, 1 row twice
    gone = sorted(evidence.acked)[:3]
    twice = sorted(evidence.acked)[-1]
    con = duckdb.connect(str(evidence.db))
    try:
        for shop_id, event_id, _ in gone:
            con.execute(
                "DELETE FROM messages WHERE shop_id = ? AND event_id = ?", [shop_id, event_id]
            )
        con.execute(
            "DELETE FROM _webhook_events WHERE shop_id = ? AND dedupe_key = ?",
            [gone[0][0], gone[0][2]],
        )
        con.execute(
            "INSERT INTO messages SELECT * FROM messages WHERE shop_id = ? AND event_id = ?",
            [twice[0], twice[1]],
        )
    finally:
        con.close()
    damaged = verify_store(evidence.db, evidence.acked, evidence.unacked)
    assert damaged["acked_missing_from_messages"] == 3
    assert damaged["acked_missing_from_event_log"] == 1
    assert damaged["message_rows_stored_twice"] == 1
    assert damaged["lost"] == 4 and damaged["duplicated"] == 1


def test_event_keys_follow_the_adapters() -> None:
    assert event_keys(LINE, 2, 7, 1) == (
        "line:msg:920000000071",
        f"line:event:01BENCH2{7:09d}100000000",
    )
    mid = event_keys(MESSENGER, 3, 5, 0)
    assert mid[0] == mid[1] == "messenger:mid:m_bench3.000000005.0"


def test_prometheus_values_sum_over_labels() -> None:
    text = (
        "# HELP events_stored_total x\n"
        'events_stored_total{platform="line"} 3.0\n'
        'events_stored_total{platform="meta"} 4.0\n'
        "ingest_lag_seconds 0.25\n"
    )
    assert prometheus_values(text) == {"events_stored_total": 7.0, "ingest_lag_seconds": 0.25}


def test_loadgen_reads_chunked_and_closed_responses() -> None:
    """The client reads Content-Length, chunked and close-delimited bodies."""
    answers = [
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
        b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
        b"HTTP/1.1 500 Oops\r\nConnection: close\r\n\r\nbye",
    ]

    async def main() -> list[tuple[int, bytes]]:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            for answer in answers:
                await reader.readuntil(b"\r\n\r\n")
                writer.write(answer)
                await writer.drain()
                if b"close" in answer:
                    break
            writer.close()

        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        conn = loadgen.Connection("127.0.0.1", port)
        raw = loadgen.request_bytes("GET", "/", "127.0.0.1")
        try:
            return [await conn.request(raw) for _ in answers]
        finally:
            conn.close()
            server.close()
            await server.wait_closed()

    # In a thread of its own: the session's Playwright browser (tests/conftest.py) keeps an
    # event loop running in this process's main thread.
    with ThreadPoolExecutor(1) as pool:
        got = pool.submit(asyncio.run, main()).result(timeout=60)
    assert got == [(200, b"ok"), (201, b"abcde"), (500, b"bye")]
