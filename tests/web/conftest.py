"""A real server on 127.0.0.1 over the demo data, and Debian's Chromium driven by Playwright.

Screenshots go to ``test-output/screenshots/`` (not committed) for a reviewer to look at.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from socialscope.config import parse_config
from socialscope.demo.generate import DemoConfig, generate_demo
from socialscope.ingest.loader import ingest_arrow
from socialscope.server.runtime import Server, build
from socialscope.store.duckdb import Store
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: F401 - re-exported

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "screenshots"
ADMIN = "admin-key-web-tests-0123456789"
SHOP_KEYS = {"alley_closet": "key-alley-closet-web-0001"}


@dataclass
class LiveServer:
    url: str
    server: Server
    shops: list[str]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    db = tmp_path_factory.mktemp("web") / "demo.duckdb"
    tables = generate_demo(DemoConfig(seed=7, days=35))
    with Store(db) as store:
        ingest_arrow(store, tables, source="demo")
    shops = sorted(str(s) for s in tables["shops"].column("shop_id").to_pylist())
    config = parse_config(
        {
            "admin_key": ADMIN,
            "shops": [{"shop_id": s, "api_key": k} for s, k in SHOP_KEYS.items()],
        }
    )
    server = build(config, db, local_token="local-token-web-tests")
    port = _free_port()
    uv = uvicorn.Server(
        uvicorn.Config(server.app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert uv.started, "server did not start"
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", server, shops)
    finally:
        uv.should_exit = True
        thread.join(10)
        server.close()


@dataclass
class Tab:
    """A browser page that records console errors and page errors."""

    page: Any
    errors: list[str]

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def open_tab(browser: Any, live: LiveServer, key: str | None = ADMIN, **ctx: Any) -> Tab:
    context = browser.new_context(accept_downloads=True, **ctx)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    if key is not None:
        page.goto(f"{live.url}/login")
        page.fill("#api_key", key)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
    return Tab(page, errors)


@pytest.fixture
def tab(browser: Any, live: LiveServer) -> Iterator[Tab]:
    t = open_tab(browser, live, locale="en-US")
    try:
        yield t
    finally:
        t.page.context.close()
