"""Scheduled digests: produced once per period, to a folder and to a signed webhook (a
real HTTP receiver on 127.0.0.1), retried after a failed delivery, never sent twice."""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest

import socialscope
from socialscope.config import parse_config
from socialscope.reports import deliver
from socialscope.reports.schedule import run_due, runs
from tests.reports.conftest import SEED

SECRET = "rpt-SECRET-5c1d9e7a3b"
# Tue 2026-11-10 02:00 Taipei: last week's digest (11-02..11-08) is due from Mon 08:00.
NOW = datetime(2026, 11, 9, 18, 0, tzinfo=UTC)


class Receiver:
    """A webhook receiver on loopback; `fail` answers 503 to the next N requests."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.fail = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.fail:
                    receiver.fail -= 1
                    self.send_response(503)
                else:
                    receiver.received.append((dict(self.headers), body))
                    self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/digest?token=abc"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def client(tmp_path: Path) -> Iterator[Any]:
    with socialscope.connect(tmp_path / "s.duckdb") as c:
        c.ingest([SEED])
        yield c


def _config(folder: Path, url: str | None = None, **extra: Any) -> Any:
    report: dict[str, Any] = {
        "id": "weekly",
        "shop_id": "rep_shop",
        "every": "week",
        "weekday": "mon",
        "at": "08:00",
        "formats": ["html", "pdf"],
        "folder": str(folder),
        **extra,
    }
    if url:
        report |= {"webhook_url": url, "webhook_secret": SECRET}
    return parse_config({"shops": [{"shop_id": "rep_shop"}], "reports": [report]})


def test_folder_delivery_once_per_period(client: Any, tmp_path: Path) -> None:
    config = _config(tmp_path / "out")
    first = run_due(client, config, NOW)
    assert [(o.period_key, o.status) for o in first] == [("2026-11-02_2026-11-08", "delivered")]
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    # Taipei → 繁體中文 by default; both formats; no temporary file left behind.
    assert files == [
        "socialscope-rep_shop-2026-11-02_2026-11-08-zh-Hant.html",
        "socialscope-rep_shop-2026-11-02_2026-11-08-zh-Hant.pdf",
    ]
    assert run_due(client, config, NOW) == []  # already delivered: nothing twice
    assert [r["status"] for r in runs(client)] == ["delivered"]


def test_signed_webhook_retries_and_no_duplicates(
    client: Any, tmp_path: Path, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(deliver.time, "sleep", lambda s: None)  # no real backoff waits
    config = _config(tmp_path / "out", receiver.url, formats=["pdf"], language="en")
    receiver.fail = 10  # the receiver is down for every attempt of this run
    down = run_due(client, config, NOW)
    assert [o.status for o in down] == ["failed"]
    assert "503" in down[0].detail and "token" not in down[0].detail and SECRET not in str(down)
    assert receiver.received == []
    receiver.fail = 1  # back, after one more error: the retry inside the next run succeeds
    up = run_due(client, config, NOW)
    assert [o.status for o in up] == ["delivered"]
    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    assert body.startswith(b"%PDF-")
    stamp = headers["X-Socialscope-Timestamp"]
    expected = hmac.new(SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256)
    assert headers["X-Socialscope-Signature"] == "sha256=" + expected.hexdigest()
    assert headers["X-Socialscope-Report"].endswith("2026-11-02_2026-11-08-en.pdf")
    assert run_due(client, config, NOW) == []  # delivered: never sent again
    assert len(receiver.received) == 1


def test_next_period_becomes_due_a_week_later(client: Any, tmp_path: Path) -> None:
    config = _config(tmp_path / "out", formats=["html"])
    run_due(client, config, NOW)
    later = datetime(2026, 11, 16, 0, 0, tzinfo=UTC)  # Mon 08:00 Taipei
    assert [o.period_key for o in run_due(client, config, later)] == ["2026-11-09_2026-11-15"]


def test_every_shop_wildcard(client: Any, tmp_path: Path) -> None:
    config = parse_config(
        {
            "reports": [
                {
                    "id": "d",
                    "shop_id": "*",
                    "every": "day",
                    "folder": str(tmp_path),
                    "formats": ["html"],
                }
            ]
        }
    )
    shops = sorted(o.shop for o in run_due(client, config, NOW))
    assert shops == ["other_shop", "rep_shop"]
    polish = [p.name for p in tmp_path.iterdir() if p.name.startswith("socialscope-other_shop")]
    assert polish and polish[0].endswith("-pl.html")  # Europe/Warsaw → Polski
