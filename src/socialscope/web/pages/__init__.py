"""The dashboard's pages: each a builder from a PageContext to the page's data (its JSON
twin). The HTML view renders that same data; nothing on a page is computed elsewhere."""

from __future__ import annotations

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


def load_pages() -> dict[str, Page]:
    """Import the page modules (each registers itself)."""
    from socialscope.web.pages import overview as _overview  # noqa: F401

    for name in ("service", "social", "funnels", "attribution", "campaigns", "explore", "lists"):
        try:
            __import__(f"socialscope.web.pages.{name}")
        except ModuleNotFoundError as exc:  # a page still being written
            if exc.name != f"socialscope.web.pages.{name}":
                raise
    return PAGES
