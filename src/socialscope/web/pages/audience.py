"""Audience (/audience): who a shop's users are and where its lost users went.

Blocks, all from the privacy runners (docs/audience.md): the options (set, traffic
source, product, month), the profile of the chosen set beside buyers and non-buyers (a
chart and a table per attribute, small groups merged into `other`), users per traffic
source, the lost users' destinations of one complete month, peer benchmark cards for a
few metrics, and the export of the set as the shop's own customer ids. Customer ids are
on the page's data only when the export is asked (`ids=1`, the export link), and then
only the shop's own, k or more of them.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from socialscope.audience.destinations import LossDestinations
from socialscope.audience.export import export_ids
from socialscope.audience.privacy import PrivacyError
from socialscope.audience.profile import ATTRIBUTES, AudienceProfile
from socialscope.audience.usersets import SETS, UserSetRequest
from socialscope.contract.enums import TrafficSource
from socialscope.web.blocks import PALETTE, PageContext, table
from socialscope.web.controls import Choice, Field, error_block, notes_block, options_block
from socialscope.web.pages import Page, register

PAGE_SETS: tuple[str, ...] = tuple(s for s in SETS if s != "post_commenters")
"""post_commenters needs a post id: reachable from the CLI and API, not this form."""
DEFAULT_SET = "click_users"
POPULATIONS: tuple[str, ...] = ("set", "buyers", "non_buyers")
PEER_METRICS: tuple[str, ...] = (
    "sales_amount",
    "order_count",
    "aov",
    "conversion_rate",
    "three_minute_reply_rate",
)
IDS_BLOCK = "audience_ids"


def default_month(day: date, today: date) -> str:
    """The month of `day` when it is over by `today`, else the month before it."""
    first = day.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    if nxt > today:
        first = (first - timedelta(days=1)).replace(day=1)
    return f"{first:%Y-%m}"


def build(ctx: PageContext) -> dict[str, Any]:
    f = ctx.filters
    extra = f.extra
    set_name = extra.get("set") or DEFAULT_SET
    source = extra.get("traffic_source") or None
    product = extra.get("product_id") or None
    month = extra.get("month") or default_month(f.date_to, date.today())
    blocks: list[dict[str, Any]] = [_options(ctx, set_name, source or "", product or "", month)]
    try:
        if set_name not in PAGE_SETS:
            raise ValueError(f"set: choose one of {', '.join(PAGE_SETS)}")
        req = ctx.client.user_set_request(
            set_name, f.date_from, f.date_to, f.shop, product_id=product, traffic_source=source
        )
        profile = ctx.client.audience_profile(req)
    except ValueError as exc:
        return {"blocks": [*blocks, error_block(str(exc))]}
    blocks += _profile_blocks(ctx, profile)
    blocks += _export_blocks(ctx, req, profile.k)
    blocks += _destination_blocks(ctx, month)
    blocks.append(_peer_block(ctx))
    return {"blocks": blocks}


def _options(ctx: PageContext, set_name: str, source: str, product: str, month: str) -> Any:
    fields = [
        Field(
            "set",
            ctx.t("audience_set"),
            "select",
            set_name,
            [Choice(s, ctx.t(f"set_{s}")) for s in PAGE_SETS],
        ),
        Field(
            "traffic_source",
            ctx.t("audience_traffic_source"),
            "select",
            source,
            [Choice("", ctx.t("audience_any_source"))]
            + [Choice(s.value, s.value) for s in TrafficSource],
        ),
        Field("product_id", ctx.t("audience_product"), "text", product),
        Field("month", ctx.t("audience_month"), "text", month, help=ctx.t("audience_month_help")),
    ]
    return options_block(ctx, "audience_options", ctx.t("audience_options_title"), fields)


def _population_label(ctx: PageContext, profile: AudienceProfile, pop: str) -> str:
    return ctx.t(f"set_{profile.request.set if pop == 'set' else pop}")


def _profile_blocks(ctx: PageContext, profile: AudienceProfile) -> list[dict[str, Any]]:
    req_set = profile.request.set
    overall = {
        ("set" if g.population == req_set else g.population): g
        for g in profile.groups
        if g.traffic_source == "all"
    }
    pops = [p for p in POPULATIONS if p in overall]
    out: list[dict[str, Any]] = []
    notes = [ctx.t("audience_k_note", k=profile.k)]
    for p in pops:
        if overall[p].users is None:
            notes.append(ctx.t("audience_suppressed", name=_population_label(ctx, profile, p)))
    out.append(notes_block("audience_notes", ctx.t("audience_profile_title"), notes))
    for attr in ATTRIBUTES:
        values: list[str] = []
        shares: dict[str, dict[str, float]] = {}
        for p in pops:
            cells = overall[p].attributes.get(attr, [])
            shares[p] = {c.value: c.share for c in cells}
            values += [c.value for c in cells if c.value not in values]
        rows = [{"value": v, **{f"{p}_share": shares[p].get(v) for p in pops}} for v in values]
        traces = [
            {
                "type": "bar",
                "name": _population_label(ctx, profile, p),
                "x": values,
                "y": [shares[p].get(v) for v in values],
                "marker": {"color": PALETTE[i % len(PALETTE)]},
            }
            for i, p in enumerate(pops)
        ]
        title = ctx.t("audience_by", attribute=ctx.t(f"attr_{attr}"))
        out.append(
            {
                "kind": "chart",
                "id": f"audience_{attr}",
                "title": title,
                "figure": {
                    "data": traces,
                    "layout": {
                        "barmode": "group",
                        "margin": {"l": 48, "r": 16, "t": 16, "b": 40},
                        "legend": {"orientation": "h", "y": -0.2},
                        "yaxis": {"tickformat": ".0%", "rangemode": "tozero"},
                        "paper_bgcolor": "rgba(0,0,0,0)",
                        "plot_bgcolor": "rgba(0,0,0,0)",
                        "autosize": True,
                    },
                },
                "columns": ["value", *(f"{p}_share" for p in pops)],
                "rows": rows,
                "empty": not rows,
            }
        )
        units = {f"{p}_share": "ratio" for p in pops}
        out.append(
            table(
                ctx,
                f"audience_{attr}_table",
                title,
                ["value", *units],
                rows,
                units=units,
            )
        )
    by_source = [
        {
            "population": _population_label(
                ctx, profile, "set" if g.population == req_set else g.population
            ),
            "traffic_source": g.traffic_source,
            "users": g.users,
        }
        for g in profile.groups
    ]
    out.append(
        table(
            ctx,
            "audience_sources",
            ctx.t("audience_sources_title"),
            ["population", "traffic_source", "users"],
            by_source,
            units={"users": "count"},
        )
    )
    return out


def _export_blocks(ctx: PageContext, req: UserSetRequest, k: int) -> list[dict[str, Any]]:
    try:
        ids = export_ids(ctx.client, req)
    except PrivacyError:
        return [
            notes_block(
                "audience_export",
                ctx.t("audience_export_title"),
                [ctx.t("audience_export_refused", k=k)],
            )
        ]
    url = f"/audience/export/{IDS_BLOCK}.csv?" + ctx.filters.query_string(ids="1")
    row = {"set": ctx.t(f"set_{req.set}"), "customers": len(ids), "download": ctx.t("export_csv")}
    out = [
        table(
            ctx,
            "audience_export",
            ctx.t("audience_export_title"),
            ["set", "customers", "download"],
            [row],
            links=[{"download": url}],
            units={"customers": "count"},
        )
    ]
    if ctx.filters.extra.get("ids") == "1":
        # the shop's own customer ids, asked for by the export link (k or more)
        out.append(
            {
                "kind": "ids",
                "id": IDS_BLOCK,
                "columns": ["customer_id"],
                "rows": [{"customer_id": i} for i in ids],
            }
        )
    return out


def _destination_blocks(ctx: PageContext, month: str) -> list[dict[str, Any]]:
    # never named here: a page context cannot tell an owner of several shops from the
    # admin key, which must not see other shops' names (the API names a key's own shops)
    try:
        result: LossDestinations = ctx.client.loss_destinations(ctx.filters.shop, month)
    except ValueError as exc:
        return [error_block(str(exc))]
    rows = [g.to_json() for g in result.groups]
    columns = ["category", "price_band", "users", "orders", "share"]
    title = ctx.t("audience_destinations_title", month=month)
    note = ctx.t("audience_destinations_note", lost=result.lost_users, k=result.k)
    return [
        notes_block("audience_destinations_notes", title, [note]),
        table(
            ctx,
            "audience_destinations",
            title,
            columns,
            rows,
            units={"users": "count", "orders": "count", "share": "ratio"},
        ),
    ]


def _peer_block(ctx: PageContext) -> dict[str, Any]:
    """Peer benchmark cards: the kpis block shape, peers' quantiles beside the value."""
    f = ctx.filters
    items = []
    for m in PEER_METRICS:
        try:
            b = ctx.client.peer_benchmark(m, f.shop, f.date_from, f.date_to)
        except ValueError:
            continue
        group = ctx.t("peer_source", tier=b.tier or "—", category=b.category or "—")
        count = ctx.t("peer_count", band=b.peers)

        def bench(display: str, label: str, group: str = group, count: str = count) -> Any:
            return {
                "display": display,
                "channel_label": label,
                "variant_label": "",
                "source": group,
                "date": count,
            }

        if b.enough_peers and b.rank is not None:
            benches = [bench(f"{b.rank:.0f}", ctx.t("peer_rank_label"))]
        else:
            benches = [bench("—", ctx.t("peer_not_enough"))]
        if b.enough_peers:
            for q in ("p25", "p50", "p75", "p90"):
                label = ctx.t("peer_excellent") if q == "p90" else q
                benches.append(bench(ctx.fmt(getattr(b, q), m), label))
        items.append(
            {
                "metric": m,
                "label": _metric_label(ctx, m),
                "description": ctx.t("peer_card_help"),
                "value": b.value,
                "display": ctx.fmt(b.value, m),
                "change_display": None,
                "trend": "flat",
                "previous_display": "",
                "good": None,
                "drill": None,
                "benchmarks": benches,
                "rank": b.rank,
                "enough_peers": b.enough_peers,
                "peers": b.peers,
            }
        )
    return {
        "kind": "kpis",
        "id": "audience_peers",
        "title": ctx.t("audience_peers_title"),
        "items": items,
    }


def _metric_label(ctx: PageContext, metric: str) -> str:
    from socialscope.web import i18n

    return i18n.metric_label(ctx.lang, metric)


register(
    Page(
        "/audience",
        "nav_audience",
        build,
        extra_keys=("set", "traffic_source", "product_id", "month", "ids"),
    )
)
