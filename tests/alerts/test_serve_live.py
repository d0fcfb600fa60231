"""Evaluation triggered by live ingest through a real `socialscope serve`: a signed LINE
webhook (a customer message sent now) leaves a conversation waiting, so the snapshot rule
`queue_waiting > 0` fires; the alert is in the history and at a real webhook receiver
within seconds, and no secret appears in the server's log."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from socialscope.cli.main import _register, app
from tests.alerts.conftest import HOOK_SECRET, Receiver
from tests.server.conftest import ServerProcess, free_port

_register()
LINE_SECRET = "line-SECRET-0a1b2c3d4e5f"
BOT = "U0123456789abcdef0123456789abcdef"
ADMIN_KEY = "admin-SECRET-live-9e8d"


def config_toml(receiver_port: int) -> str:
    return f"""
admin_key = "{ADMIN_KEY}"

[server]
drain_interval_s = 0.05

[[shops]]
shop_id = "live_shop"
timezone = "Asia/Taipei"
api_key = "env:TEST_SHOP_KEY"

[shops.line]
channel_secret = "{LINE_SECRET}"
bot_user_id = "{BOT}"

[[alert_webhooks]]
name = "ops"
url = "http://127.0.0.1:{receiver_port}/alerts"
secret = "{HOOK_SECRET}"

[[alerts]]
id = "queue_building"
shop_id = "*"
condition = "queue_waiting > 0"
severity = "critical"
deliver = ["log", "ops"]
"""


def line_body(now_ms: int) -> bytes:
    event = {
        "type": "message",
        "message": {"type": "text", "id": "900000000000000001", "text": "還有黑色M嗎？"},
        "webhookEventId": "01JLIVEALERTTEST000000001",
        "deliveryContext": {"isRedelivery": False},
        "timestamp": now_ms,
        "source": {"type": "user", "userId": "Uabcdefabcdefabcdefabcdefabcdef01"},
        "mode": "active",
        "replyToken": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    }
    return json.dumps({"destination": BOT, "events": [event]}).encode()


def test_live_webhook_fires_alert_within_seconds(tmp_path: Path, receiver: Receiver) -> None:
    config = tmp_path / "c.toml"
    config.write_text(config_toml(receiver.port), encoding="utf-8")
    server = ServerProcess(tmp_path / "live.duckdb", config, free_port(), tmp_path / "serve.log")
    server.start()
    try:
        headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
        time.sleep(1.0)  # the evaluator's first passes: nothing waits yet
        assert httpx.get(server.url + "/api/v1/alerts", headers=headers).json() == []
        body = line_body(int(time.time() * 1000))
        signature = base64.b64encode(
            hmac.new(LINE_SECRET.encode(), body, hashlib.sha256).digest()
        ).decode()
        posted = time.monotonic()
        response = httpx.post(
            server.url + "/webhooks/line",
            content=body,
            headers={"X-Line-Signature": signature, "Content-Type": "application/json"},
        )
        assert response.status_code == 200
        rows: list[dict[str, object]] = []
        while time.monotonic() - posted < 10 and not (rows and receiver.received):
            rows = httpx.get(server.url + "/api/v1/alerts", headers=headers).json()
            time.sleep(0.1)
        elapsed = time.monotonic() - posted
        assert [(r["shop_id"], r["rule_id"], r["state"], r["value"]) for r in rows] == [
            ("live_shop", "queue_building", "firing", 1.0)
        ]
        assert elapsed < 10
        assert len(receiver.received) == 1
        assert receiver.received[0].json["rule_id"] == "queue_building"
        time.sleep(1.5)  # more evaluations of the same incident: still one message
        later = httpx.get(server.url + "/api/v1/alerts", headers=headers).json()
        assert len(later) == 1
        assert {d["target"]: d["status"] for d in later[0]["deliveries"]} == {
            "log": "sent",
            "ops": "sent",
        }
        assert len(receiver.received) == 1
        # the CLI asks the server that owns the store: the same rows
        cli = CliRunner().invoke(
            app, ["--db", str(server.db), "alerts", "history", "--format", "json"]
        )
        assert cli.exit_code == 0, cli.output
        assert json.loads(cli.stdout) == later
    finally:
        server.stop()
    log = (tmp_path / "serve.log").read_text(encoding="utf-8", errors="replace")
    assert '"rule_id": "queue_building"' in log  # the structured log delivery
    for secret in (HOOK_SECRET, LINE_SECRET, ADMIN_KEY):
        assert secret not in log
