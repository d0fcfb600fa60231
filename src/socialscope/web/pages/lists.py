"""The drill-down lists: the conversations and the orders behind a number.

Hidden pages (opened from a KPI card, a chart point or a table cell, see `web/drill.py`):
``/conversations`` and ``/orders`` with the page filters (shop, period, channels), the
``where`` filters of the slice (``where=DIM=V1,V2``; several pairs either as repeated
``where`` parameters or ``;``-separated in one), the metric the list explains (``metric``,
for the heading only), a row ``limit`` (default 500, at most 10,000) and the parameters the
rows depend on (``threshold_s``, ``duration``, ``inquiry_window_h``). The rows are
`client.conversations(...)` / `client.orders(...)` exactly; the table block ``rows`` is
what ``/conversations/export/rows.csv`` exports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from socialscope.drilldown import _FALSE as FALSE_WORDS
from socialscope.drilldown import _TRUE as TRUE_WORDS
from socialscope.drilldown import (
    CONVERSATION_COLUMNS,
    CONVERSATION_FILTERS,
    CONVERSATION_PARAMS,
    ORDER_COLUMNS,
    ORDER_FILTERS,
    ORDER_PARAMS,
    DrilldownResult,
)
from socialscope.metrics import frames
from socialscope.metrics.query import QueryError
from socialscope.metrics.registry import REGISTRY
from socialscope.metrics.spec import ParamSpec
from socialscope.web import i18n
from socialscope.web.blocks import PageContext, table
from socialscope.web.drill import CONVERSATIONS, ORDERS
from socialscope.web.pages import Page, register

DEFAULT_LIMIT = 500
MAX_LIMIT = 10_000
LINK_SPAN = timedelta(days=365)
"""How far before an order (or after a conversation) its linked conversation (orders) is
looked for: the lists are dated, a link names one id over a span that surely holds it."""

PAIR_SEPARATOR = ";"
LIST_PARAMS: dict[str, tuple[ParamSpec, ...]] = {
    CONVERSATIONS: CONVERSATION_PARAMS,
    ORDERS: ORDER_PARAMS,
}
LIST_FILTERS: dict[str, tuple[str, ...]] = {
    CONVERSATIONS: CONVERSATION_FILTERS,
    ORDERS: ORDER_FILTERS,
}
LIST_COLUMNS: dict[str, tuple[str, ...]] = {
    CONVERSATIONS: CONVERSATION_COLUMNS,
    ORDERS: ORDER_COLUMNS,
}
TITLE_KEYS = {CONVERSATIONS: "nav_conversations", ORDERS: "nav_orders"}
UNITS: dict[str, dict[str, str]] = {
    CONVERSATIONS: {
        "rounds": "count",
        "unanswered_rounds": "count",
        "first_response_s": "seconds",
        "longest_response_s": "seconds",
        "three_minute_failed_round": "count",
        "csat": "count",
    },
    ORDERS: {"amount": "money", "refunded_amount": "money"},
}
MONEY_COLUMNS = frozenset({"amount", "refunded_amount"})


# -- the `where` and `param` URL formats (shared with the metric explorer) -----------------
def split_pairs(raw: str | Sequence[str] | None, what: str = "where") -> list[tuple[str, str]]:
    """``NAME=VALUE`` pairs from one or more strings, each holding ``;``-separated pairs."""
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    pairs: list[tuple[str, str]] = []
    for item in items:
        for part in item.split(PAIR_SEPARATOR):
            part = part.strip()
            if not part:
                continue
            name, sep, value = part.partition("=")
            if not sep or not name.strip():
                raise QueryError(f"{what}: expected NAME=VALUE, got {part[:60]!r}")
            pairs.append((name.strip(), value.strip()))
    return pairs


def parse_where(raw: str | Sequence[str] | None) -> dict[str, list[str]]:
    """``DIM=V1,V2;DIM2=V`` → {DIM: [V1, V2], DIM2: [V]} (a dimension named twice: any of
    its values). An empty value (``DIM=``) stands for "no value" (null) in the lists."""
    out: dict[str, list[str]] = {}
    for name, value in split_pairs(raw, "where"):
        values = [v.strip() for v in value.split(",")]
        values = [v for v in values if v] or [""]
        merged = out.setdefault(name, [])
        merged.extend(v for v in values if v not in merged)
    return out


def format_where(where: Mapping[str, Sequence[str]]) -> str:
    """The inverse of `parse_where`: one ``where`` URL value."""
    return PAIR_SEPARATOR.join(f"{k}={','.join(v)}" for k, v in where.items())


def parse_params(raw: str | Sequence[str] | None) -> dict[str, str]:
    """``NAME=VALUE;NAME2=VALUE2`` → {NAME: VALUE} (the metric layer parses the values)."""
    return dict(split_pairs(raw, "param"))


def describe_where(ctx: PageContext, where: Mapping[str, Sequence[str]]) -> str:
    """ "Channel: LINE, Facebook · 3-minute rule: failed" in the page's language."""
    parts = []
    for dim, values in where.items():
        shown = [_value_label(ctx.lang, dim, v) for v in values]
        parts.append(f"{i18n.column_label(ctx.lang, dim)}: {', '.join(shown)}")
    return " · ".join(parts)


def _value_label(lang: str, dim: str, value: str) -> str:
    if value == "":
        return i18n.value_label(lang, dim, None)
    if dim in i18n.BOOLEAN_COLUMNS and value.lower() in TRUE_WORDS | FALSE_WORDS:
        return i18n.value_label(lang, dim, value.lower() in TRUE_WORDS)
    return i18n.value_label(lang, dim, value)


# -- the pages ---------------------------------------------------------------------------
def _limit(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    try:
        value = int(raw)
    except ValueError:
        raise QueryError(f"limit: a whole number from 1 to {MAX_LIMIT}, got {raw[:20]!r}") from None
    if not 1 <= value <= MAX_LIMIT:
        raise QueryError(f"limit: a whole number from 1 to {MAX_LIMIT}, got {value}")
    return value


def list_where(ctx: PageContext, kind: str) -> dict[str, list[str]]:
    """The `where` filters of the URL plus the page's channels (both must hold)."""
    where = parse_where(ctx.filters.extra.get("where"))
    allowed = LIST_FILTERS[kind]
    for dim in where:
        if dim not in allowed:
            raise QueryError(f"cannot filter on {dim!r}; filters: {', '.join(allowed)}")
    channels = list(ctx.filters.channels)
    if channels:
        if "channel" in where:
            where["channel"] = [c for c in where["channel"] if c in channels] or [
                "\x1f-no-channel"  # both filters hold: an empty intersection lists nothing
            ]
        else:
            where["channel"] = channels
    return where


def list_params(ctx: PageContext, kind: str) -> dict[str, str]:
    return {
        p.name: value
        for p in LIST_PARAMS[kind]
        if (value := ctx.filters.extra.get(p.name)) is not None
    }


def fetch(ctx: PageContext, kind: str) -> tuple[DrilldownResult, dict[str, list[str]]]:
    """The full list for the page's filters (what the rows and the export hold)."""
    where = list_where(ctx, kind)
    params = list_params(ctx, kind)
    f = ctx.filters
    run = ctx.client.conversations if kind == CONVERSATIONS else ctx.client.orders
    result = run(shop=f.shop, date_from=f.date_from, date_to=f.date_to, where=where, params=params)
    return result, where


def build_list(ctx: PageContext, kind: str) -> dict[str, Any]:
    extra = ctx.filters.extra
    metric = extra.get("metric")
    metric = metric if metric in REGISTRY else None
    list_title = ctx.t(TITLE_KEYS[kind])
    title = f"{list_title} · {i18n.metric_label(ctx.lang, metric)}" if metric else list_title
    try:
        limit = _limit(extra.get("limit"))
        result, where = fetch(ctx, kind)
    except QueryError as exc:
        return {"title": title, "blocks": [{"kind": "error", "message": str(exc)}]}
    total = len(result)
    arrow = result.to_arrow()
    rows = frames.records(arrow.slice(0, limit)) if total > limit else result.rows
    truncated = total > len(rows)
    shown_where = parse_where(extra.get("where"))
    if ctx.filters.channels and "channel" not in shown_where:
        shown_where["channel"] = list(ctx.filters.channels)
    params = list_params(ctx, kind)
    summary = describe_where(ctx, shown_where)
    if params:
        summary = " · ".join(
            [*([summary] if summary else []), *(f"{k} = {v}" for k, v in params.items())]
        )
    period = i18n.format_period(ctx.filters.date_from, ctx.filters.date_to, ctx.lang)
    definition = {
        "kind": "definition",
        "title": i18n.metric_label(ctx.lang, metric) if metric else list_title,
        "text": i18n.metric_description(ctx.lang, metric) if metric else "",
        "formula": f"{ctx.t('filters')}: {summary or '—'} · {period}",
        "metric": metric,
        "where": shown_where,
        "params": params,
    }
    block = table(
        ctx,
        "rows",
        f"{list_title} ({ctx.t('rows_count', n=total)})",
        LIST_COLUMNS[kind],
        rows,
        _links(ctx, kind, rows),
        UNITS[kind],
    )
    _display_cells(ctx, kind, block)
    notice = ctx.t("list_truncated", shown=len(rows), total=total) if truncated else None
    return {
        "title": title,
        "notice": notice,
        "list": {
            "kind": kind,
            "metric": metric,
            "where": where,
            "params": params,
            "total": total,
            "shown": len(rows),
            "limit": limit,
            "truncated": truncated,
        },
        "blocks": [definition, block],
    }


def _display_cells(ctx: PageContext, kind: str, block: dict[str, Any]) -> None:
    """Local times and dates in the page's language, amounts in the order's own currency."""
    for raw, cells in zip(block["rows"], block["display"], strict=True):
        for key, value in raw.items():
            if isinstance(value, datetime):
                cells[key] = i18n.format_datetime(value, ctx.lang)
            elif isinstance(value, date):
                cells[key] = i18n.format_date(value, ctx.lang)
            elif kind == ORDERS and key in MONEY_COLUMNS and value is not None:
                cells[key] = i18n.format_value(value, "money", ctx.lang, raw.get("currency"))


def list_url(
    kind: str,
    shop: str,
    start: date,
    end: date,
    where: Mapping[str, str],
    params: Mapping[str, str] | None = None,
) -> str:
    query = [
        ("shop", shop),
        ("preset", "custom"),
        ("from", start.isoformat()),
        ("to", end.isoformat()),
        ("compare", "none"),
        *(("where", f"{k}={v}") for k, v in where.items()),
        *sorted((params or {}).items()),
    ]
    return f"/{kind}?{urlencode(query)}"


def _day(value: Any, fallback: date) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return fallback


def _links(
    ctx: PageContext, kind: str, rows: Sequence[Mapping[str, Any]]
) -> list[dict[str, str | None]]:
    """Each conversation's orders and each order's conversation, as their own lists."""
    f = ctx.filters
    params = list_params(ctx, kind)
    links: list[dict[str, str | None]] = []
    for r in rows:
        link: dict[str, str | None] = {}
        if kind == CONVERSATIONS:
            ids = r.get("order_ids") or []
            if ids:
                first = _day(r.get("first_ts"), f.date_from)
                window = {k: v for k, v in params.items() if k == "inquiry_window_h"}
                link["order_ids"] = list_url(
                    ORDERS,
                    str(r.get("shop_id") or f.shop),
                    first - timedelta(days=1),
                    first + LINK_SPAN,
                    {"order_id": ",".join(str(i) for i in ids)},
                    window,
                )
        else:
            conversation = r.get("conversation_id")
            if conversation:
                created = _day(r.get("created_at"), f.date_to)
                link["conversation_id"] = list_url(
                    CONVERSATIONS,
                    str(r.get("shop_id") or f.shop),
                    created - LINK_SPAN,
                    created + timedelta(days=1),
                    {"conversation_id": str(conversation)},
                    params,
                )
        links.append(link)
    return links


def build_conversations(ctx: PageContext) -> dict[str, Any]:
    return build_list(ctx, CONVERSATIONS)


def build_orders(ctx: PageContext) -> dict[str, Any]:
    return build_list(ctx, ORDERS)


def _extra_keys(kind: str) -> tuple[str, ...]:
    return ("where", "metric", "limit", *(p.name for p in LIST_PARAMS[kind]))


register(
    Page(
        "/conversations",
        "nav_conversations",
        build_conversations,
        extra_keys=_extra_keys(CONVERSATIONS),
        hidden=True,
    )
)
register(Page("/orders", "nav_orders", build_orders, extra_keys=_extra_keys(ORDERS), hidden=True))
