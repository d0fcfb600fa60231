"""The dashboard's pages: each a builder from a PageContext to the page's data (its JSON
twin). The HTML view renders that same data; nothing on a page is computed elsewhere."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from socialscope.web.blocks import PageContext

Builder = Callable[[PageContext], dict[str, Any]]


@dataclass(frozen=True)
class Page:
    path: str
    """URL path (``/overview``); the JSON twin is ``path + ".json"``."""
    title_key: str
    builder: Builder
    extra_keys: tuple[str, ...] = ()
    """Page-specific URL parameters kept with the filters (tab, metric, by, ...)."""
    template: str = "page.html"
    hidden: bool = False
    """Not in the navigation (the drill-down lists, opened from a number)."""


PAGES: dict[str, Page] = {}


def register(page: Page) -> Page:
    PAGES[page.path] = page
    return page


PAGE_MODULES: tuple[str, ...] = (
    "overview",
    "service",
    "social",
    "funnels",
    "products",
    "audience",
    "attribution",
    "campaigns",
    "explore",
    "lists",
    "alerts",
)
"""The page modules, in navigation order."""


def load_pages() -> dict[str, Page]:
    """Import the page modules (each registers itself) and keep PAGES in navigation order,
    whichever page module happened to be imported first (a test, a tool)."""
    for name in PAGE_MODULES:
        importlib.import_module(f"socialscope.web.pages.{name}")
    rank = {f"socialscope.web.pages.{name}": i for i, name in enumerate(PAGE_MODULES)}
    ordered = sorted(PAGES.values(), key=lambda p: rank.get(p.builder.__module__, len(rank)))
    PAGES.clear()
    PAGES.update((page.path, page) for page in ordered)  # stable: a module's own order stays
    return PAGES
