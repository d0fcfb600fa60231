"""The digest as HTML (Jinja2) and as PDF (WeasyPrint), in the shop's language."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from socialscope.insights.anomalies import Explanation
from socialscope.metrics.registry import REGISTRY
from socialscope.reports.content import Figure, ReportData, Slice
from socialscope.reports.svg import sparkline
from socialscope.reports.texts import check_language, text
from socialscope.web import i18n
from socialscope.web.anomaly_marks import explanation_text


class RenderError(RuntimeError):
    """The PDF could not be produced (WeasyPrint or its system libraries are missing)."""


@cache
def _env() -> Environment:
    return Environment(
        loader=PackageLoader("socialscope.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _unit(metric: str) -> str:
    return REGISTRY.get(metric).unit.value


class _View:
    """Formatting helpers bound to one language and currency, for the template."""

    def __init__(self, data: ReportData, lang: str) -> None:
        self.data = data
        self.lang = lang

    def t(self, key: str, **params: object) -> str:
        return text(self.lang, key, **params)

    def label(self, metric: str) -> str:
        return i18n.metric_label(self.lang, metric)

    def value(self, metric: str, value: object) -> str:
        return i18n.format_value(value, _unit(metric), self.lang, self.data.currency)

    def change(self, figure: Figure) -> str:
        return i18n.format_change(figure.change_pct, self.lang)

    def tone(self, figure: Figure) -> str:
        good = figure.good
        return "neutral" if good is None else ("good" if good else "bad")

    def dim(self, dimension: str, value: object) -> str:
        return i18n.value_label(self.lang, dimension, value)

    def day(self, value: Any) -> str:
        return i18n.format_date(value, self.lang)

    def when(self, value: datetime) -> str:
        """An instant shown in the shop's local time."""
        local = value.astimezone(ZoneInfo(self.data.timezone)).replace(tzinfo=None)
        return i18n.format_datetime(local, self.lang, seconds=False)

    def pct(self, value: float | None) -> str:
        return i18n.format_change(value, self.lang)

    def chart(self, metric: str) -> str:
        days = self.data.daily
        return sparkline(
            [d.get(metric) for d in days],
            [self.day(d["date"]) for d in days],
            title=self.label(metric),
        )

    def explain(self, e: Explanation) -> str:
        """An anomaly's explanation in the report's language (the dashboard's texts)."""
        return explanation_text(self.lang, e)

    def slice_figure(self, row: Slice, metric: str) -> Figure:
        return row.figures[metric]


def title_key(period_name: str) -> str:
    if period_name == "yesterday":
        return "title_daily"
    if period_name in ("last-week", "last-7-days"):
        return "title_weekly"
    return "title_custom"


def render_html(data: ReportData, lang: str) -> str:
    """The digest page (self-contained: inline CSS and SVG, no scripts, no remote files)."""
    check_language(lang)
    view = _View(data, lang)
    p = data.period
    context: Mapping[str, Any] = {
        "d": data,
        "v": view,
        "lang": lang,
        "title": text(lang, title_key(p.name)),
        "period": i18n.format_period(p.date_from, p.date_to, lang),
        "previous": i18n.format_period(p.previous_from, p.previous_to, lang),
        "generated": view.when(data.generated_at),
        "known_metrics": frozenset(spec.id for spec in REGISTRY),
    }
    return _env().get_template("digest.html").render(**context)


def render_pdf(html: str) -> bytes:
    """The same page printed to PDF by WeasyPrint (A4, fonts from the system)."""
    try:
        from weasyprint import HTML
    except OSError as exc:  # pango/cairo libraries missing on the machine
        raise RenderError(
            f"PDF output needs the Pango library (Debian: apt-get install libpango-1.0-0 "
            f"libpangoft2-1.0-0): {exc}"
        ) from exc
    pdf = HTML(string=html).write_pdf()
    if not isinstance(pdf, bytes):  # pragma: no cover - write_pdf() without a target
        raise RenderError("WeasyPrint returned no document")
    return pdf
