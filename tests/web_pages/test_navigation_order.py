"""The navigation lists the pages in one fixed order, whatever imported a page first."""

from __future__ import annotations

import importlib

from socialscope.web.pages import PAGES, load_pages


def test_pages_keep_the_navigation_order_whatever_was_imported_first() -> None:
    # a test or tool importing a later page module first must not reorder the menu
    importlib.import_module("socialscope.web.pages.lists")
    importlib.import_module("socialscope.web.pages.campaigns")
    shown = [path for path, page in load_pages().items() if not page.hidden]
    assert shown == [
        "/overview",
        "/customer-service",
        "/social",
        "/funnels",
        "/products",
        "/audience",
        "/attribution",
        "/campaigns",
        "/explore",
        "/alerts",
    ]
    assert set(PAGES) >= {"/conversations", "/orders"}  # hidden drill-down lists
