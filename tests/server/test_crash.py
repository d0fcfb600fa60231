"""kill -9 in the middle of a burst: every acknowledged request is stored exactly once."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from pathlib import Path

import duckdb
import httpx

from tests.server.conftest import IDS, SECRETS, SHOP, ServerProcess, config_toml, free_port


def line_request(n: int, events: int) -> tuple[bytes, list[str]]:
    """A signed-ready LINE body with `events` text messages; returns body and message ids."""
    evs = []
    ids = []
    for k in range(events):
        mid = f"{n:08d}{k:02d}"
        ids.append(mid)
        evs.append(
            {
                "type": "message",
                "mode": "active",
                "timestamp": 1752321675482 + n * 10 + k,
                "webhookEventId": f"01CRASH{n:010d}{k:02d}",
                "deliveryContext": {"isRedelivery": False},
                "source": {"type": "user", "userId": f"U{n % 37:032x}"},
                "replyToken": "x",
                "message": {"type": "text", "id": mid, "text": f"訊息 {n}-{k}"},
            }
        )
    body = json.dumps(
        {"destination": IDS["line_bot_user_id"], "events": evs}, ensure_ascii=False
    ).encode()
    return body, ids


def sign(body: bytes) -> str:
    key = SECRETS["line_channel_secret"].encode()
    return base64.b64encode(hmac.new(key, body, hashlib.sha256).digest()).decode()


def test_sigkill_mid_burst_loses_no_acknowledged_event(tmp_path: Path) -> None:
    cfg = tmp_path / "socialscope.toml"
    cfg.write_text(config_toml(), encoding="utf-8")
    server = ServerProcess(tmp_path / "store.duckdb", cfg, free_port(), tmp_path / "server.log")
    server.start()
    acked: list[str] = []
    sent: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def worker(w: int) -> None:
        with httpx.Client(base_url=server.url, timeout=5) as client:
            n = w
            while not stop.is_set():
                body, ids = line_request(n, 1 + n % 5)
                n += 4
                with lock:
                    sent.extend(ids)
                try:
                    r = client.post(
                        "/webhooks/line",
                        content=body,
                        headers={
                            "x-line-signature": sign(body),
                            "content-type": "application/json",
                        },
                    )
                except httpx.HTTPError:
                    return  # the server is gone: this request was not acknowledged
                if r.status_code == 200:
                    with lock:
                        acked.extend(ids)

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with lock:
            if len(acked) >= 600:
                break
        time.sleep(0.05)
    server.kill()
    stop.set()
    for t in threads:
        t.join()
    assert len(acked) >= 600

    server.start()  # drains what the inbox holds before serving
    server.stop()
    con = duckdb.connect(str(server.db), read_only=True)
    try:
        stored = dict(
            con.execute(
                "SELECT event_id, count(*) FROM messages WHERE shop_id = ? GROUP BY event_id",
                [SHOP],
            ).fetchall()
        )
        missing = [m for m in acked if stored.get(f"line:msg:{m}") != 1]
        assert not missing, f"{len(missing)} acknowledged messages not stored once"
        assert all(c == 1 for c in stored.values())
        assert set(stored) <= {f"line:msg:{m}" for m in sent}
    finally:
        con.close()
