"""Building a page's context from a URL query, as the view does (shared by page tests)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from socialscope.client import Client
from socialscope.web.blocks import PageContext
from socialscope.web.filters import parse_filters
from socialscope.web.pages import load_pages

PERIOD = {"shop": "alley_closet", "preset": "custom", "from": "2026-03-18", "to": "2026-03-31"}
"""The 14 days of the demo store (tests/web_pages/conftest.py)."""
EMPTY_PERIOD = {**PERIOD, "from": "2020-01-01", "to": "2020-01-31"}


def make_ctx(client: Client, path: str, query: Mapping[str, Any], lang: str = "en") -> PageContext:
    shops = client.shops()
    page = load_pages()[path]
    filters = parse_filters(query, shops, sorted(shops), extra_keys=page.extra_keys)
    return PageContext(client, filters, lang, shops[filters.shop].get("currency"), sorted(shops))


def build(client: Client, path: str, query: Mapping[str, Any], lang: str = "en") -> dict[str, Any]:
    page = load_pages()[path]
    data: dict[str, Any] = page.builder(make_ctx(client, path, query, lang))
    return data


def block(data: Mapping[str, Any], block_id: str) -> dict[str, Any]:
    for b in data["blocks"]:
        if b.get("id") == block_id:
            found: dict[str, Any] = b
            return found
    raise AssertionError(f"no block {block_id}: {[b.get('id') for b in data['blocks']]}")


def kinds(data: Mapping[str, Any]) -> list[str]:
    return [str(b["kind"]) for b in data["blocks"]]


def errors(data: Mapping[str, Any]) -> list[str]:
    return [str(b["message"]) for b in data["blocks"] if b["kind"] == "error"]


def kpi_values(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        item["metric"]: item["value"]
        for b in data["blocks"]
        if b["kind"] == "kpis"
        for item in b["items"]
    }
