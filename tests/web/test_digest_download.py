"""The dashboard's digest links: the PDF of the period on screen, downloaded in Chromium,
and the HTML in the dashboard's language; a shop key only gets its own shop."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.web.conftest import SHOP_KEYS, LiveServer, Tab


def test_digest_pdf_downloads_for_the_period_on_screen(
    tab: Tab, live: LiveServer, tmp_path: Path
) -> None:
    page = tab.page
    page.goto(f"{live.url}/overview?shop=alley_closet&preset=last_7_days")
    page.wait_for_load_state("networkidle")
    shown_from = page.input_value("input[name=from]")
    shown_to = page.input_value("input[name=to]")
    with page.expect_download(timeout=120_000) as info:
        page.click("#digest-pdf")
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.name == f"socialscope-alley_closet-{shown_from}_{shown_to}-en.pdf"
    assert target.read_bytes().startswith(b"%PDF-")
    assert not tab.errors


def test_digest_html_language_and_tenancy(live: LiveServer) -> None:
    key = {"Authorization": f"Bearer {SHOP_KEYS['alley_closet']}"}
    own = httpx.get(
        f"{live.url}/digest.html",
        params={
            "shop": "alley_closet",
            "from": "2026-01-01",
            "to": "2026-01-07",
            "lang": "zh-Hant",
        },
        headers=key,
        timeout=120,
    )
    assert own.status_code == 200 and 'lang="zh-Hant"' in own.text and "用戶互動" in own.text
    others = [s for s in live.shops if s != "alley_closet"]
    other = httpx.get(f"{live.url}/digest.html", params={"shop": others[0]}, headers=key)
    assert other.status_code == 403
    assert httpx.get(f"{live.url}/digest.html").status_code == 401
    bad = httpx.get(f"{live.url}/digest.docx", headers=key)
    assert bad.status_code == 404
