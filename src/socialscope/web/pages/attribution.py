"""Attribution (METRICS.md section 8): the models side by side for the shop and period —
paths built from the store (`attribution.journeys.build_paths`), every chosen model run on
them (`attribution.runner.attribute`), a grouped bar chart (channels × models) and the
comparison table (conversions, value, share), with how many paths, conversions and null
paths were used and what was skipped.

Options in the URL: ``models`` and ``orders`` (Markov orders; repeatable), ``lookback_d``,
``include`` (chat / comment / live touches; repeatable), ``conversion`` (paid_order |
purchase), ``half_life_h`` (time decay) and ``measure`` (conversions | value, for the
chart). The channel filter does not narrow attribution — channels are what it compares.

Paths and models are computed once per (shop, period, options) and kept in the process
cache (`web.cache`), so switching the chart's measure or the language costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from socialscope.attribution.heuristics import DEFAULT_HALF_LIFE_HOURS
from socialscope.attribution.journeys import (
    CONVERSIONS,
    TOUCH_KINDS,
    JourneyError,
    JourneyRequest,
    build_paths,
)
from socialscope.attribution.paths import PathsError
from socialscope.attribution.runner import (
    ALL_MODELS,
    MARKOV_ORDERS,
    AttributionRequest,
    AttributionResult,
    attribute,
    markov_key,
)
from socialscope.web import i18n
from socialscope.web.blocks import PALETTE, PageContext, table
from socialscope.web.cache import RESULTS
from socialscope.web.controls import Choice, Field, error_block, notes_block, options_block
from socialscope.web.pages import Page, register

MEASURES = ("conversions", "value")
_MARKOV = markov_key(1).removesuffix("1")
"""The prefix of the runner's Markov result keys (markov_o1 ... markov_o3)."""
_NAMED_TOUCHES = ("direct", "organic_search", "paid_search", "referral")
"""Touchpoint channels that are not social channels but have a label of their own."""
DEFAULT_LOOKBACK_D = 30
MAX_LOOKBACK_D = 365
EXTRA_KEYS = (
    "models",
    "orders",
    "lookback_d",
    "include",
    "conversion",
    "half_life_h",
    "measure",
)


@dataclass(frozen=True)
class Options:
    models: tuple[str, ...]
    orders: tuple[int, ...]
    lookback_d: int
    include: tuple[str, ...]
    conversion: str
    half_life_h: float
    measure: str


def _many(ctx: PageContext, key: str) -> list[str]:
    raw = ctx.filters.extra.get(key, "")
    return [v.strip() for part in raw.split(";") for v in part.split(",") if v.strip()]


def parse_options(ctx: PageContext) -> Options:
    """The options in the URL; ValueError naming the option that cannot be used."""
    models = _many(ctx, "models") or list(ALL_MODELS)
    unknown = [m for m in models if m not in ALL_MODELS]
    if unknown:
        raise ValueError(f"models: unknown {', '.join(unknown)}; use {', '.join(ALL_MODELS)}")
    orders: list[int] = []
    for raw in _many(ctx, "orders") or ["1"]:
        if raw not in {str(k) for k in MARKOV_ORDERS}:
            raise ValueError(f"orders: Markov orders are {', '.join(map(str, MARKOV_ORDERS))}")
        orders.append(int(raw))
    include = _many(ctx, "include")
    bad = [k for k in include if k not in TOUCH_KINDS]
    if bad:
        raise ValueError(f"include: unknown {', '.join(bad)}; use {', '.join(TOUCH_KINDS)}")
    lookback_raw = ctx.filters.extra.get("lookback_d", str(DEFAULT_LOOKBACK_D))
    if not lookback_raw.isdigit() or not 1 <= int(lookback_raw) <= MAX_LOOKBACK_D:
        raise ValueError(f"lookback_d: a whole number of days from 1 to {MAX_LOOKBACK_D}")
    half_raw = ctx.filters.extra.get("half_life_h", f"{DEFAULT_HALF_LIFE_HOURS:g}")
    try:
        half = float(half_raw)
    except ValueError:
        raise ValueError(f"half_life_h: not a number of hours: {half_raw[:20]!r}") from None
    if not half > 0 or half == float("inf"):
        raise ValueError("half_life_h: the half-life must be a positive number of hours")
    conversion = ctx.filters.extra.get("conversion", CONVERSIONS[0])
    if conversion not in CONVERSIONS:
        raise ValueError(f"conversion: use one of {', '.join(CONVERSIONS)}")
    measure = ctx.filters.extra.get("measure", MEASURES[0])
    if measure not in MEASURES:
        raise ValueError(f"measure: use one of {', '.join(MEASURES)}")
    return Options(
        tuple(m for m in ALL_MODELS if m in models),
        tuple(sorted(set(orders))),
        int(lookback_raw),
        tuple(k for k in TOUCH_KINDS if k in include),
        conversion,
        half,
        measure,
    )


def run(ctx: PageContext, opts: Options) -> AttributionResult:
    """Paths from the store and the models over them, cached per shop, period, options."""
    f = ctx.filters
    key = (
        "attribution",
        f.shop,
        f.date_from,
        f.date_to,
        ctx.currency,
        opts.models,
        opts.orders,
        opts.lookback_d,
        opts.include,
        opts.conversion,
        opts.half_life_h,
    )

    def compute() -> AttributionResult:
        paths = build_paths(
            ctx.client,
            JourneyRequest(
                shop=f.shop,
                date_from=f.date_from,
                date_to=f.date_to,
                include=frozenset(opts.include),
                lookback_days=opts.lookback_d,
                conversion=opts.conversion,
                # the shop's currency, as every amount on the dashboard: conversions in
                # another currency are left out (never added)
                currency=ctx.currency,
                # per-journey rows keep touch times (time decay needs them); otherwise
                # identical paths are aggregated, which the models read faster
                aggregate="time_decay" not in opts.models,
            ),
        )
        request = AttributionRequest(
            models=opts.models,
            markov_orders=opts.orders if "markov" in opts.models else (1,),
            half_life_hours=opts.half_life_h,
        )
        return attribute(paths, request)

    return RESULTS.get_or_compute(ctx.client, key, compute)


def build(ctx: PageContext) -> dict[str, Any]:
    try:
        opts = parse_options(ctx)
    except ValueError as exc:
        return {"blocks": [_options(ctx, None), error_block(str(exc))]}
    blocks: list[dict[str, Any]] = [_options(ctx, opts)]
    try:
        result = run(ctx, opts)
    except (JourneyError, PathsError) as exc:
        return {"blocks": [*blocks, error_block(str(exc))]}
    blocks += [
        _summary(ctx, result),
        chart(ctx, result, opts.measure),
        comparison_table(ctx, result),
        notes_block("attribution_notes", ctx.t("attribution_notes_title"), _notes(ctx, result)),
    ]
    return {"blocks": blocks}


def _options(ctx: PageContext, opts: Options | None) -> dict[str, Any]:
    o = opts or Options(
        ALL_MODELS,
        (1,),
        DEFAULT_LOOKBACK_D,
        (),
        CONVERSIONS[0],
        DEFAULT_HALF_LIFE_HOURS,
        "conversions",
    )
    fields = [
        Field(
            "models",
            ctx.t("attribution_models"),
            "checks",
            list(o.models),
            [Choice(m, ctx.t(f"model_{m}")) for m in ALL_MODELS],
        ),
        Field(
            "orders",
            ctx.t("attribution_orders"),
            "checks",
            [str(k) for k in o.orders],
            [Choice(str(k), ctx.t("markov_order", k=k)) for k in MARKOV_ORDERS],
        ),
        Field(
            "include",
            ctx.t("attribution_include"),
            "checks",
            list(o.include),
            [Choice(k, ctx.t(f"touch_{k}")) for k in TOUCH_KINDS],
        ),
        Field(
            "lookback_d",
            ctx.t("attribution_lookback_d"),
            "number",
            str(o.lookback_d),
            min=1,
            max=MAX_LOOKBACK_D,
            step=1,
        ),
        Field(
            "conversion",
            ctx.t("attribution_conversion"),
            "select",
            o.conversion,
            [Choice(c, ctx.t(f"conversion_{c}")) for c in CONVERSIONS],
        ),
        Field(
            "half_life_h",
            ctx.t("attribution_half_life_h"),
            "number",
            f"{o.half_life_h:g}",
            min=0,
            step="any",
        ),
        Field(
            "measure",
            ctx.t("attribution_measure"),
            "select",
            o.measure,
            [Choice(m, ctx.t(f"measure_{m}")) for m in MEASURES],
        ),
    ]
    return options_block(ctx, "attribution_options", ctx.t("attribution_options_title"), fields)


def touch_label(lang: str, channel: str) -> str:
    """A path channel: `chat:line` → "Chat · LINE"; plain channels as the filters show them."""
    kind, sep, rest = channel.partition(":")
    if sep and kind in TOUCH_KINDS:
        return f"{i18n.t(lang, f'touch_{kind}')} · {i18n.value_label(lang, 'channel', rest)}"
    if channel in _NAMED_TOUCHES:
        return i18n.t(lang, f"touch_{channel}")
    return i18n.value_label(lang, "channel", channel)


def model_label(lang: str, key: str) -> str:
    if key.startswith(_MARKOV):
        order = int(key.removeprefix(_MARKOV))
        return f"{i18n.t(lang, 'model_markov')} ({i18n.t(lang, 'markov_order', k=order)})"
    return i18n.t(lang, f"model_{key}")


def _summary(ctx: PageContext, result: AttributionResult) -> dict[str, Any]:
    """Paths, conversions, null paths and value, as cards (no comparison period)."""
    values: list[tuple[str, Any, str, str | None]] = [
        ("paths", result.paths, "count", None),
        ("conversions", result.conversions, "number", None),
        ("nulls", result.nulls, "number", None),
        ("value", result.value, "money", result.currency),
    ]
    items = [
        {
            "metric": name,
            "label": ctx.t(f"attribution_{name}"),
            "description": "",
            "unit": unit,
            "value": value,
            "display": i18n.format_value(value, unit, ctx.lang, currency),
            "change_display": None,
            "trend": "flat",
            "good": None,
            "drill": None,
        }
        for name, value, unit, currency in values
    ]
    return {"kind": "kpis", "items": items, "empty": not result.paths}


def chart(ctx: PageContext, result: AttributionResult, measure: str) -> dict[str, Any]:
    """Channels × models as grouped bars of attributed conversions (or value)."""
    labels = [touch_label(ctx.lang, c) for c in result.channels]
    traces = []
    rows = []
    for i, (key, credits) in enumerate(result.models.items()):
        ys = [_plain(getattr(credits[c], measure)) for c in result.channels]
        traces.append(
            {
                "type": "bar",
                "name": model_label(ctx.lang, key),
                "x": labels,
                "y": ys,
                "marker": {"color": PALETTE[i % len(PALETTE)]},
                "hovertemplate": "%{x}: %{y}<extra>%{fullData.name}</extra>",
            }
        )
        rows += [
            {"model": key, "channel": c, measure: getattr(credits[c], measure)}
            for c in result.channels
        ]
    layout = {
        "barmode": "group",
        "margin": {"l": 56, "r": 16, "t": 16, "b": 90},
        "legend": {"orientation": "h", "y": -0.35},
        "yaxis": {"gridcolor": "#e5e7eb"},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "autosize": True,
    }
    return {
        "kind": "chart",
        "id": "attribution_chart",
        "title": ctx.t(f"attribution_chart_{measure}"),
        "figure": {"data": traces, "layout": layout},
        "columns": ["model", "channel", measure],
        "rows": rows,
        "empty": not result.models or not result.channels or not result.conversions,
    }


def _plain(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def comparison_table(ctx: PageContext, result: AttributionResult) -> dict[str, Any]:
    """One row per channel; per model its attributed conversions, value and share."""
    rows: list[dict[str, Any]] = []
    for channel in result.channels:
        row: dict[str, Any] = {"channel": channel}
        for key, credits in result.models.items():
            credit = credits[channel]
            row[f"{key}__conversions"] = credit.conversions
            row[f"{key}__value"] = credit.value
            row[f"{key}__share"] = credit.share
        rows.append(row)
    columns = ["channel"]
    units: dict[str, str] = {}
    for key in result.models:
        for measure, unit in (("conversions", "number"), ("value", "money"), ("share", "ratio")):
            columns.append(f"{key}__{measure}")
            units[f"{key}__{measure}"] = unit
    block = table(
        ctx, "attribution_comparison", ctx.t("attribution_table_title"), columns, rows, units=units
    )
    for col in block["columns"]:
        key, _, measure = str(col["id"]).rpartition("__")
        if key:
            col["label"] = f"{model_label(ctx.lang, key)} · {ctx.t(f'measure_{measure}')}"
    for raw, cells in zip(rows, block["display"], strict=True):
        cells["channel"] = touch_label(ctx.lang, raw["channel"])
        for key in result.models:
            cells[f"{key}__value"] = i18n.format_value(
                raw[f"{key}__value"], "money", ctx.lang, result.currency
            )
    return block


def _notes(ctx: PageContext, result: AttributionResult) -> list[str]:
    out = [
        ctx.t(
            "attribution_counts",
            paths=i18n.format_value(result.paths, "count", ctx.lang),
            conversions=i18n.format_value(result.conversions, "number", ctx.lang),
            nulls=i18n.format_value(result.nulls, "number", ctx.lang),
        )
    ]
    for key, why in result.skipped.items():
        out.append(ctx.t("attribution_skipped", model=model_label(ctx.lang, key), why=why))
    out += list(result.notes)
    if result.currency:
        out.append(ctx.t("attribution_currency", currency=result.currency))
    if ctx.filters.channels:
        out.append(ctx.t("attribution_channel_filter"))
    return out


register(Page("/attribution", "nav_attribution", build, extra_keys=EXTRA_KEYS))
