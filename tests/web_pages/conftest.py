"""One 14-day demo store (three shops, several channels and currencies) per test module,
served by the real app (`build`) for the HTTP checks of the page tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from socialscope.client import Client
from socialscope.config import Config
from socialscope.demo.generate import DemoConfig, generate_demo
from socialscope.ingest.loader import ingest_arrow
from socialscope.server.runtime import Server, build
from socialscope.store.duckdb import Store

END = date(2026, 3, 31)
SHOP = "alley_closet"
TOKEN = "t"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@dataclass
class Demo:
    db: Path
    server: Server
    http: TestClient

    @property
    def client(self) -> Client:
        return self.server.state.client()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    db = tmp_path_factory.mktemp("web_pages") / "demo.duckdb"
    with Store(db) as store:
        ingest_arrow(store, generate_demo(DemoConfig(seed=7, days=14, end_date=END)), "demo")
    server = build(Config(), db, local_token=TOKEN)
    try:
        with TestClient(server.app) as http:
            yield Demo(db, server, http)
    finally:
        server.close()
