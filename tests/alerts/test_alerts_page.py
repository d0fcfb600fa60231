"""The dashboard's Alerts page (/alerts): its data equals the stored history (firing
incidents first), and in Debian's Chromium it renders without console errors in the
four languages."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import uvicorn

from socialscope.alerts.service import run_once
from socialscope.client import connect
from socialscope.config import parse_config
from socialscope.server.runtime import Server, build
from socialscope.web import i18n
from tests.alerts.conftest import SHOP, config_dict, rule
from tests.web.conftest import SHOTS, _free_port
from tests.web_pages.pagectx import block
from tests.web_pages.pagectx import build as build_page

TPE = ZoneInfo("Asia/Taipei")
ADMIN = "admin-SECRET-page-5e7f"
PERIOD = {"shop": SHOP, "preset": "custom", "from": "2026-05-04", "to": "2026-05-04"}


@pytest.fixture(scope="module")
def page_db(alerts_seed_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """History: reply_rate_low fired 14:20 and resolved 15:05 (local); queue_any
    (queue_waiting >= 0, always true) fired at 13:00 and stays firing."""
    db = tmp_path_factory.mktemp("alerts_page") / "db.duckdb"
    shutil.copyfile(alerts_seed_db, db)
    queue = rule(id="queue_any", metric=None, condition="queue_waiting >= 0", severity="info")
    config = parse_config(config_dict(rule(severity="critical"), {**queue, "for": "0"}))
    with connect(db) as client:
        for hh, mm in ((13, 0), (14, 20), (15, 5)):
            run_once(client, config, datetime(2026, 5, 4, hh, mm, tzinfo=TPE))
    return db


@pytest.fixture(scope="module")
def server(page_db: Path) -> Iterator[tuple[str, Server]]:
    config = parse_config({"admin_key": ADMIN, "shops": [{"shop_id": SHOP}]})
    srv = build(config, page_db, local_token="local-page-token")
    port = _free_port()
    uv = uvicorn.Server(uvicorn.Config(srv.app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert uv.started
    try:
        yield f"http://127.0.0.1:{port}", srv
    finally:
        uv.should_exit = True
        thread.join(10)
        srv.close()


def test_page_data_lists_firing_first_with_history(server: tuple[str, Server]) -> None:
    client = server[1].state.client()
    data = build_page(client, "/alerts", PERIOD)
    incidents = block(data, "alerts_incidents")
    assert [
        (r["rule_id"], r["state"], r["fired_at"], r["resolved_at"]) for r in incidents["rows"]
    ] == [
        ("queue_any", "firing", "2026-05-04 13:00", None),
        ("reply_rate_low", "resolved", "2026-05-04 14:20", "2026-05-04 15:05"),
    ]
    assert incidents["title"] == "Incidents (1 firing)"
    assert incidents["display"][0]["state"] == "Firing"
    history = block(data, "alerts_history")
    assert [(r["at"], r["rule_id"], r["state"]) for r in history["rows"]] == [
        ("2026-05-04 15:05", "reply_rate_low", "resolved"),
        ("2026-05-04 14:20", "reply_rate_low", "firing"),
        ("2026-05-04 13:00", "queue_any", "firing"),
    ]
    assert history["rows"][0]["deliveries"] == "log: sent"
    later = build_page(client, "/alerts", {**PERIOD, "from": "2026-05-10", "to": "2026-05-11"})
    assert [r["rule_id"] for r in block(later, "alerts_incidents")["rows"]] == ["queue_any"]
    assert block(later, "alerts_history")["rows"] == []


def test_alerts_page_in_the_browser(server: tuple[str, Server], browser: Any) -> None:
    url = server[0]
    query = "&".join(f"{k}={v}" for k, v in PERIOD.items())
    context = browser.new_context(locale="en-US")
    try:
        page: Any = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{url}/login")
        page.fill("#api_key", ADMIN)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        response = page.goto(f"{url}/alerts?{query}")
        assert response is not None and response.status == 200
        page.wait_for_load_state("networkidle")
        nav = page.locator("nav.pages").text_content() or ""
        assert "Alerts" in nav
        text = page.locator("main").text_content() or page.content()
        assert "Incidents (1 firing)" in text
        assert "queue_any" in text and "reply_rate_low" in text
        assert page.locator(".error").count() == 0
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "alerts-en.png"), full_page=True)
        for lang in ("zh-Hant", "zh-Hans", "pl"):
            with page.expect_navigation():
                page.select_option("select[name=lang]", lang)
            page.wait_for_load_state("networkidle")
            assert page.locator("html").get_attribute("lang") == lang
            assert (page.locator("h1").text_content() or "").strip() == i18n.t(lang, "nav_alerts")
            body = page.content()
            assert i18n.t(lang, "alert_state_firing") in body
            assert i18n.t(lang, "alert_state_resolved") in body
            page.screenshot(path=str(SHOTS / f"alerts-{lang}.png"), full_page=True)
        assert errors == [], errors
    finally:
        context.close()
