"""Signed webhook delivery to a real HTTP receiver on 127.0.0.1, retries with backoff
while it is down, nothing lost and nothing sent twice — also across a restart of the
delivery loop — and no secret in any log line."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import logging
import re
import socket
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from socialscope.alerts.delivery import Outbox, backoff, verify
from socialscope.alerts.history import read_history
from socialscope.alerts.service import run_once
from socialscope.alerts.store import OUTBOX
from socialscope.client import connect
from socialscope.config import parse_config
from tests.alerts.conftest import (
    HOOK_SECRET,
    SHOP,
    URL_PASSWORD,
    URL_TOKEN,
    Receiver,
    config_dict,
    rule,
)

TPE = ZoneInfo("Asia/Taipei")
FIRING_AT = datetime(2026, 5, 4, 14, 20, tzinfo=TPE)
RESOLVED_AT = datetime(2026, 5, 4, 15, 5, tzinfo=TPE)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_signed_payload_reaches_a_real_receiver(db: Path, receiver: Receiver) -> None:
    config = parse_config(config_dict(rule(deliver=["ops"]), port=receiver.port))
    with connect(db) as client:
        result = run_once(client, config, FIRING_AT)
        assert result.delivery.sent == 1
    assert len(receiver.received) == 1
    got = receiver.received[0]
    assert got.path == f"/hook?token={URL_TOKEN}"
    expected = "sha256=" + hmac.new(HOOK_SECRET.encode(), got.body, hashlib.sha256).hexdigest()
    assert got.headers["X-Socialscope-Signature"] == expected
    body = got.json
    assert got.headers["X-Socialscope-Delivery"] == body["delivery_id"]
    assert got.headers["Idempotency-Key"] == body["delivery_id"]
    assert got.headers["X-Socialscope-Timestamp"] == str(body["timestamp"])
    assert abs(body["timestamp"] - time.time()) < 60
    assert verify(
        HOOK_SECRET.encode(),
        got.body,
        got.headers["X-Socialscope-Signature"],
        got.headers["X-Socialscope-Timestamp"],
        time.time(),
    )
    assert not verify(b"wrong", got.body, expected, str(body["timestamp"]), time.time())
    assert not verify(  # replayed an hour later
        HOOK_SECRET.encode(), got.body, expected, str(body["timestamp"]), time.time() + 3600
    )
    assert {k: body[k] for k in ("event", "state", "rule_id", "shop_id", "metric")} == {
        "event": "alert.firing",
        "state": "firing",
        "rule_id": "reply_rate_low",
        "shop_id": SHOP,
        "metric": "three_minute_reply_rate",
    }
    assert body["value"] == 0.75 and body["threshold"] == 0.8
    assert body["at"] == "2026-05-04T06:20:00+00:00"


def test_receiver_down_then_up_retries_nothing_lost_nothing_twice(
    db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()  # nobody listens yet: connection refused
    config = parse_config(config_dict(rule(deliver=["ops", "log"]), port=port))
    receiver = Receiver(port)
    with connect(db) as client, caplog.at_level(logging.DEBUG):
        run_once(client, config, FIRING_AT, deliver=False)
        run_once(client, config, RESOLVED_AT, deliver=False)
        transport = TimedTransport()
        outbox = Outbox(client.store, config.alert_webhooks, transport=transport)

        def ops_rows() -> list[tuple[int, str, str | None]]:
            return sorted(
                client.store.con.execute(
                    f"SELECT attempts, status, last_error FROM {OUTBOX} WHERE target = 'ops'"
                ).fetchall()
            )

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and [r[0] for r in ops_rows()] != [0, 3]:
            outbox.run_once()
            time.sleep(0.005)
        outbox.close()  # the delivery loop stops ("restart")
        # the resolved message waits behind its incident's firing one (order kept)
        assert ops_rows() == [(0, "pending", None), (3, "pending", "ConnectError")]
        _check_backoff(caplog.records, transport.calls)

        receiver.start()
        try:
            again = Outbox(client.store, config.alert_webhooks)  # a new loop after restart
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and len(receiver.received) < 2:
                again.run_once()
                time.sleep(0.02)
            for _ in range(5):  # more rounds: nothing is sent again
                again.run_once(datetime.now(UTC))
            again.close()
            again2 = Outbox(client.store, config.alert_webhooks)
            assert again2.run_once().sent == 0
            again2.close()
        finally:
            receiver.stop()
        history = read_history(client.store)
    states = [r.json["state"] for r in receiver.received]
    assert states == ["firing", "resolved"]  # in order, each once
    ids = [r.json["delivery_id"] for r in receiver.received]
    assert len(set(ids)) == 2
    assert [r.json["attempt"] for r in receiver.received] == [4, 1]
    assert [d["status"] for r in history for d in r["deliveries"]] == ["sent"] * 4
    text = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (HOOK_SECRET, URL_PASSWORD, URL_TOKEN):
        assert secret not in text
    assert "retry in" in text


class TimedTransport(httpx.HTTPTransport):
    """The real transport, noting when each delivery id was tried."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: dict[str, list[float]] = {}

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        delivery = request.headers["X-Socialscope-Delivery"]
        self.calls.setdefault(delivery, []).append(time.monotonic())
        return super().handle_request(request)


def _check_backoff(records: list[logging.LogRecord], calls: dict[str, list[float]]) -> None:
    """Each retry came no sooner than the wait logged by the attempt before it, and the
    waits grew (0.025-0.05 s, then 0.05-0.1 s, then 0.1-0.2 s)."""
    attempts: dict[str, list[float]] = {}
    for r in records:
        m = re.match(
            r"alert delivery (\w+) to ops: attempt \d+ failed .* retry in ([\d.]+) s",
            r.getMessage(),
        )
        if m:
            attempts.setdefault(m.group(1), []).append(float(m.group(2)))
    assert len(attempts) == 1
    for delivery, waits in attempts.items():
        assert len(waits) == 3
        assert 0.025 <= waits[0] <= 0.05 and 0.05 <= waits[1] <= 0.1 and 0.1 <= waits[2] <= 0.2
        tried = calls[delivery]
        assert len(tried) == 3
        for (t0, t1), wait in zip(itertools.pairwise(tried), waits, strict=False):
            assert t1 - t0 >= wait - 0.005


def test_bounded_attempts_then_failed_and_shown_in_history(db: Path) -> None:
    port = free_port()
    data = config_dict(rule(deliver=["ops"]), port=port)
    data["alert_webhooks"][0]["max_attempts"] = 2
    config = parse_config(data)
    with connect(db) as client:
        run_once(client, config, FIRING_AT)
        outbox = Outbox(client.store, config.alert_webhooks)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not outbox.run_once().failed:
            time.sleep(0.01)
        outbox.close()
        (row,) = read_history(client.store)
    assert row["deliveries"] == [
        {"target": "ops", "status": "failed", "attempts": 2, "last_error": "ConnectError"}
    ]


def test_backoff_is_exponential_with_jitter_and_capped() -> None:
    config = parse_config(config_dict(rule(), port=1))
    hook = config.alert_webhooks[0]
    low = [backoff(hook, n, lambda: 0.0).total_seconds() for n in range(1, 6)]
    high = [backoff(hook, n, lambda: 1.0).total_seconds() for n in range(1, 6)]
    assert low == pytest.approx([0.025, 0.05, 0.1, 0.2, 0.2])
    assert high == pytest.approx([0.05, 0.1, 0.2, 0.4, 0.4])


def test_a_tampered_or_reformatted_body_fails_verification(db: Path, receiver: Receiver) -> None:
    """The signature covers the exact bytes sent: a changed value, or the same JSON
    re-serialised differently, does not verify (receivers must check the raw body)."""
    config = parse_config(config_dict(rule(deliver=["ops"]), port=receiver.port))
    with connect(db) as client:
        run_once(client, config, FIRING_AT)
    got = receiver.received[0]
    signature = got.headers["X-Socialscope-Signature"]
    stamp = got.headers["X-Socialscope-Timestamp"]
    compact = json.dumps(json.loads(got.body), separators=(",", ":")).encode()
    tampered = got.body.replace(b'"value": 0.75', b'"value": 0.95')
    assert tampered != got.body and compact != got.body
    for body in (compact, tampered):
        assert not verify(HOOK_SECRET.encode(), body, signature, stamp, time.time())
    assert verify(HOOK_SECRET.encode(), got.body, signature, stamp, time.time())
