"""One call from a shop and a period to a finished document (HTML or PDF)."""

from __future__ import annotations

from datetime import date, datetime

from socialscope.client import Client
from socialscope.reports.content import ReportData, collect
from socialscope.reports.deliver import Document
from socialscope.reports.period import Period, resolve
from socialscope.reports.render import render_html, render_pdf
from socialscope.reports.texts import shop_language

FORMATS = ("html", "pdf")


def report_period(
    client: Client,
    shop: str,
    period: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    now: datetime | None = None,
) -> Period:
    """A named period in the shop's local calendar, or an explicit range."""
    shops = client.shops()
    if shop not in shops:
        known = ", ".join(sorted(shops)) or "none"
        raise ValueError(f"unknown shop {shop!r}; the store holds: {known}")
    timezone = str(shops[shop].get("timezone") or "UTC")
    return resolve(period, timezone, date_from=date_from, date_to=date_to, now=now)


def build_report(
    client: Client,
    shop: str,
    period: Period,
    fmt: str = "html",
    lang: str | None = None,
    *,
    now: datetime | None = None,
) -> tuple[Document, ReportData]:
    """Collect, render and (for PDF) print the digest; returns the document and its data."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; use html or pdf")
    data = collect(client, shop, period, now=now)
    language = shop_language(data.timezone, lang)
    html = render_html(data, language)
    body = render_pdf(html) if fmt == "pdf" else html.encode("utf-8")
    return Document(shop, period.key, fmt, language, body), data
