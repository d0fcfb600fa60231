"""Static platform benchmarks (METRICS.md section 10) beside a KPI, in the page's language.

Which ones: with exactly one channel in the filter, that channel's entries and those valid
for any channel; otherwise every entry of the metric (each labelled with its channel), so a
shop looking at all channels sees how each platform's typical value compares. Values are
shown with all the digits the source gives (0.035 %, never rounded to 0.0 %).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel import numbers as babel_numbers

from socialscope.metrics.spec import Unit
from socialscope.platform_benchmarks import AS_CITED, Benchmark, Kind, benchmarks_for
from socialscope.web import i18n

_VARIANT_KEYS = {
    "per post, by followers": "benchmark_variant_per_post",
    "organic": "benchmark_variant_organic",
    "ads": "benchmark_variant_ads",
    "e-commerce": "benchmark_variant_ecommerce",
    "email pop-up": "benchmark_variant_email_popup",
    "average response": "benchmark_variant_average_response",
    "first response": "benchmark_variant_first_response",
}
"""Benchmark variants as platform_benchmarks names them → UI keys."""
_UNNAMED_SOURCE = "not named in METRICS.md"


def _exact(value: float, unit: Unit, lang: str) -> str:
    """A benchmark value with the source's own precision (no rounding to one decimal)."""
    d = Decimal(repr(value))
    if unit is Unit.RATIO:
        text = babel_numbers.format_decimal(
            d * 100, format="#,##0.####", locale=i18n.babel_locale(lang)
        )
        return f"{text}%"
    return i18n.format_value(d, unit.value, lang)


def display(b: Benchmark, lang: str) -> str:
    """ "0.47%", "2–3%", "≤ 40 s" in the page's language."""
    if b.kind is Kind.TARGET_MAX:
        return "≤ " + _exact(b.high, b.unit, lang)
    if b.low == b.high:
        return _exact(b.low, b.unit, lang)
    if b.unit is Unit.RATIO:
        return _exact(b.low, b.unit, lang).removesuffix("%") + "–" + _exact(b.high, b.unit, lang)
    return _exact(b.low, b.unit, lang) + "–" + _exact(b.high, b.unit, lang)


def entry(b: Benchmark, lang: str) -> dict[str, Any]:
    variant = _VARIANT_KEYS.get(b.variant or "")
    return {
        "metric": b.metric,
        "low": b.low,
        "high": b.high,
        "kind": b.kind.value,
        "channel": b.channel,
        "channel_label": i18n.value_label(lang, "channel", b.channel)
        if b.channel
        else i18n.t(lang, "all_channels"),
        "variant": b.variant,
        "variant_label": i18n.t(lang, variant) if variant else (b.variant or ""),
        "display": display(b, lang),
        "source": i18n.t(lang, "benchmark_source_unnamed")
        if b.source == _UNNAMED_SOURCE
        else b.source,
        "date": i18n.t(lang, "benchmark_as_cited") if b.date == AS_CITED else b.date,
    }


def for_kpi(metric: str, channels: tuple[str, ...], lang: str) -> list[dict[str, Any]]:
    """The benchmarks shown beside one KPI card."""
    channel = channels[0] if len(channels) == 1 else None
    return [entry(b, lang) for b in benchmarks_for(metric, channel)]


def attach(block: dict[str, Any], channels: tuple[str, ...], lang: str) -> dict[str, Any]:
    """A KPI block with each card's benchmarks (an empty list where there are none)."""
    if block.get("kind") == "kpis":
        for item in block["items"]:
            item["benchmarks"] = for_kpi(item["metric"], channels, lang)
    return block
