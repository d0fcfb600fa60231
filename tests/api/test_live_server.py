"""The app under a real uvicorn server on 127.0.0.1, called over TCP with httpx."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from socialscope.server.state import ServerState
from tests.api.conftest import ADMIN, MAX_BODY, SHOP_A, SHOP_B, A, B

METRICS = "conversations,inbound_messages,three_minute_reply_rate"


@pytest.fixture
def live(app: FastAPI) -> Iterator[str]:
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_level="warning", ws="none", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped while starting"
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)
        assert not thread.is_alive()


def test_live_server_end_to_end(live: str, state: ServerState) -> None:
    with httpx.Client(base_url=live, timeout=30) as http:
        health = http.get("/healthz")
        assert health.status_code == 200 and health.json()["status"] == "ok"

        assert http.get("/api/v1/metrics").status_code == 401
        assert (
            http.get("/api/v1/metrics", headers={"Authorization": "Bearer no"}).status_code == 401
        )
        denied = http.get("/api/v1/query", params={"metrics": METRICS, "shop": SHOP_B}, headers=A)
        assert denied.status_code == 403
        assert denied.json()["error"]["message"] == f"this key may only read shop {SHOP_A}"

        own = http.get("/api/v1/query", params={"metrics": METRICS, "by": "date"}, headers=A)
        admin = http.get(
            "/api/v1/query",
            params={"metrics": METRICS, "by": "date", "shop": SHOP_A},
            headers=ADMIN,
        )
        assert own.status_code == 200 and own.json() == admin.json()

        rows = [
            {
                "shop_id": SHOP_A,
                "event_id": f"live-{i}",
                "channel": "line",
                "conversation_id": "live-c",
                "customer_id": "U-live",
                "ts": f"2026-05-06T10:0{i}:00+08:00",
                "sender": "customer" if i % 2 == 0 else "agent",
                "staff_id": None if i % 2 == 0 else "s_a",
                "kind": "message",
            }
            for i in range(4)
        ]
        body = "".join(json.dumps(r) + "\n" for r in rows)
        r = http.post(
            "/api/v1/ingest/messages",
            content=body,
            headers={**A, "Content-Type": "application/x-ndjson"},
        )
        assert r.status_code == 200, r.text
        assert r.json()["tables"]["messages"]["stored"] == 4, r.json()["quarantine"]
        convs = http.get(
            "/api/v1/conversations", params={"where": "conversation_id=live-c"}, headers=A
        )
        assert [c["conversation_id"] for c in convs.json()] == ["live-c"]

        big = b"[" + b" " * (MAX_BODY + 10) + b"]"
        r = http.post(
            "/api/v1/ingest/messages",
            content=big,
            headers={**A, "Content-Type": "application/json"},
        )
        assert r.status_code == 413

        text = http.get("/metrics").text
        assert 'requests_total{route="/api/v1/query",status="200"}' in text


def test_live_server_concurrent_reads_and_a_write(live: str) -> None:
    """Reads run on per-thread cursors while an import holds the write lock."""

    def read(i: int) -> Any:
        headers, shop = (A, SHOP_A) if i % 2 == 0 else (B, SHOP_B)
        with httpx.Client(base_url=live, timeout=60) as http:
            r = http.get(
                "/api/v1/query", params={"metrics": METRICS, "by": "shop_id"}, headers=headers
            )
            assert r.status_code == 200, r.text
            assert {row["shop_id"] for row in r.json()} == {shop}
            return r.json()

    def write() -> int:
        rows = [
            {
                "shop_id": SHOP_A,
                "event_id": f"conc-{i}",
                "channel": "line",
                "conversation_id": f"conc-{i}",
                "customer_id": "U-conc",
                "ts": "2026-05-07T09:00:00+08:00",
                "sender": "customer",
                "kind": "message",
            }
            for i in range(20)
        ]
        with httpx.Client(base_url=live, timeout=60) as http:
            r = http.post("/api/v1/ingest/messages", json=rows, headers=A)
            assert r.status_code == 200, r.text
            stored: int = r.json()["tables"]["messages"]["stored"]
            return stored

    with ThreadPoolExecutor(max_workers=6) as pool:
        writes = pool.submit(write)
        results = list(pool.map(read, range(12)))
        assert writes.result() == 20
    assert all(results)
