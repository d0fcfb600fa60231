"""A real `socialscope serve` process on 127.0.0.1, configured with the manifest's secrets."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
WEBHOOKS = SHARED / "webhooks"
MANIFEST: dict[str, Any] = json.loads((WEBHOOKS / "manifest.json").read_text(encoding="utf-8"))
SECRETS = MANIFEST["secrets"]
IDS = MANIFEST["ids"]
SHOP = "alley_closet"
ADMIN_KEY = "admin-key-for-tests-0123456789"
SHOP_KEY = "shop-key-for-tests-abcdef"
INBOX_APP_ID = "263902037430900"


def config_toml(extra_server: str = "") -> str:
    return f"""
admin_key = "{ADMIN_KEY}"

[server]
{extra_server}

[[shops]]
shop_id = "{SHOP}"
name = "Alley Closet 小巷衣櫥"
timezone = "Asia/Taipei"
currency = "TWD"
api_key = "env:TEST_SHOP_KEY"

[shops.line]
channel_secret = "{SECRETS["line_channel_secret"]}"
bot_user_id = "{IDS["line_bot_user_id"]}"

[shops.meta]
app_secret = "{SECRETS["meta_app_secret"]}"
verify_token = "{SECRETS["meta_verify_token"]}"
page_ids = ["{IDS["facebook_page_id"]}"]
instagram_ids = ["{IDS["instagram_account_id"]}"]
bot_app_ids = ["{IDS["meta_app_id"]}"]

[shops.shopify]
shop_domain = "{IDS["shopify_shop_domain"]}"
client_secret = "{SECRETS["shopify_client_secret"]}"
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class ServerProcess:
    """One `socialscope serve` child process."""

    db: Path
    config: Path
    port: int
    log: Path
    proc: subprocess.Popen[bytes] | None = None
    _out: Any = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> None:
        env = {**os.environ, "TEST_SHOP_KEY": SHOP_KEY, "PYTHONUNBUFFERED": "1"}
        code = "from socialscope.cli.main import main; main()"
        args = ["--db", str(self.db), "serve", "--config", str(self.config)]
        args += ["--port", str(self.port)]
        self._close_log()
        self._out = self.log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code, *args],
            env=env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self._close_log()
                raise RuntimeError(f"server exited early:\n{self.log.read_text()[-3000:]}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"server did not start:\n{self.log.read_text()[-3000:]}")

    def _close_log(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None

    def stop(self, timeout: float = 60.0) -> None:
        try:
            if self.proc is None or self.proc.poll() is not None:
                return
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise
        finally:
            self._close_log()

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self._close_log()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    cfg = tmp_path / "socialscope.toml"
    cfg.write_text(config_toml(), encoding="utf-8")
    proc = ServerProcess(tmp_path / "store.duckdb", cfg, free_port(), tmp_path / "server.log")
    proc.start()
    try:
        yield proc
    finally:
        proc.stop()
