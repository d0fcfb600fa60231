"""Fixtures of the alert tests: a seeded store, configs, and a real HTTP receiver.

The seed (seeds/alerts) holds shop ``alley`` (Asia/Taipei, service hours 08-23):

* 2026-05-03: conversations at :05 :15 :25 :35 of hours 10-17, plus :40 :45 :50 :55 of
  hours 10 and 11 (40 in all), every one answered after 60 s;
* 2026-05-04: conversations at :05 :15 :25 :35 of hours 10-17 (32); the first
  (4 - good) of each hour are answered after 300 s (failing the 3-minute rule), the others
  after 60 s, with good = 4, 4, 2, 3, 4, 1, 4, 4 for hours 10..17.

So the hourly three_minute_reply_rate of 2026-05-04 is 1, 1, 0.5, 0.75, 1, 0.25, 1, 1 for
hours 10..17 (hours without conversations: no value). Shop ``other`` (Europe/Warsaw) has
no data.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from socialscope.client import connect

SEED = Path(__file__).parent / "seeds" / "alerts"
SHOP = "alley"
OTHER = "other"
HOOK_SECRET = "hook-SECRET-5d1c9e7a3b"
URL_TOKEN = "urltoken-SECRET-8b2f"
URL_PASSWORD = "pw-SECRET-3a7e"


@pytest.fixture(scope="session")
def alerts_seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded template store (copy it, never open it)."""
    path = tmp_path_factory.mktemp("alerts_seed") / "seed.duckdb"
    with connect(path) as client:
        report = client.ingest([SEED])
        assert report.quarantined_total == 0, report
    return path


@pytest.fixture
def db(alerts_seed_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "db.duckdb"
    shutil.copyfile(alerts_seed_db, path)
    return path


def rule(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "reply_rate_low",
        "shop_id": SHOP,
        "metric": "three_minute_reply_rate",
        "condition": "below 0.8",
        "for": "2h",
        "grain": "hour",
    }
    base.update(kw)
    return base


def config_dict(*rules: dict[str, Any], port: int | None = None, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "shops": [{"shop_id": SHOP, "timezone": "Asia/Taipei"}, {"shop_id": OTHER}],
        "alerts": list(rules),
        **extra,
    }
    if port is not None:
        data["alert_webhooks"] = [
            {
                "name": "ops",
                "url": f"http://bot:{URL_PASSWORD}@127.0.0.1:{port}/hook?token={URL_TOKEN}",
                "secret": HOOK_SECRET,
                "max_attempts": 6,
                "backoff_base_s": 0.05,
                "backoff_max_s": 0.4,
                "timeout_s": 2,
            }
        ]
    return data


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    path: str

    @property
    def json(self) -> dict[str, Any]:
        data = json.loads(self.body)
        assert isinstance(data, dict)
        return data


@dataclass
class Receiver:
    """A real HTTP receiver on 127.0.0.1 that records every POST and answers 200."""

    port: int
    received: list[Received] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    def start(self) -> None:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                outer.received.append(Received(dict(self.headers.items()), body, self.path))
                self.send_response(200)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver(0)
    r.start()
    yield r
    r.stop()
