"""`socialscope audience profile|export`, `socialscope loss-destinations` and
`socialscope peers`: the privacy-sensitive runners (docs/audience.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from socialscope.cli.main import app, open_client
from socialscope.cli.query import parse_pairs
from socialscope.cli.render import Format, emit
from socialscope.metrics.query import QueryError

audience_app = typer.Typer(
    help="User sets of a shop: k-anonymous profiles and the export of the shop's own customer ids.",
    no_args_is_help=True,
)
app.add_typer(audience_app, name="audience")

SetArg = Annotated[
    str,
    typer.Argument(
        help="click_users, exposure_users, buyers, non_buyers, lost_users, "
        "inquiring_customers, live_commenters or post_commenters."
    ),
]
ShopOpt = Annotated[str | None, typer.Option("--shop", help="Shop id (default: the only one).")]
FromOpt = Annotated[str, typer.Option("--from", help="First local date, YYYY-MM-DD.")]
ToOpt = Annotated[str, typer.Option("--to", help="Last local date (inclusive).")]
ProductOpt = Annotated[str | None, typer.Option("--product-id", help="Only this product.")]
CategoryOpt = Annotated[str | None, typer.Option("--category", help="Only this category.")]
SourceOpt = Annotated[
    str | None, typer.Option("--traffic-source", help="Only this traffic source.")
]
LiveOpt = Annotated[str | None, typer.Option("--live-id", help="live_commenters: one live.")]
PostOpt = Annotated[str | None, typer.Option("--post-id", help="post_commenters: the post.")]
KOpt = Annotated[
    int | None,
    typer.Option("--k", help="k-anonymity threshold (≥ 3; default: the privacy_k setting)."),
]
FormatOpt = Annotated[Format, typer.Option("--format", help="Output format.")]


def _fail(exc: Exception) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(2)


@audience_app.command("profile")
def profile_command(
    ctx: typer.Context,
    set_name: SetArg,
    date_from: FromOpt,
    date_to: ToOpt,
    shop: ShopOpt = None,
    product_id: ProductOpt = None,
    category: CategoryOpt = None,
    traffic_source: SourceOpt = None,
    live_id: LiveOpt = None,
    post_id: PostOpt = None,
    k: KOpt = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """The set's distribution over gender, age_band, region and segment, overall and per
    traffic source, beside buyers and non-buyers; values of fewer than k users are merged
    into `other`, groups of fewer than k users are suppressed."""
    try:
        with open_client(ctx, read_only=True) as client:
            req = client.user_set_request(
                set_name, date_from, date_to, shop, product_id, category, traffic_source,
                live_id, post_id,
            )  # fmt: skip
            result = client.audience_profile(req, k=k).to_json()
    except (QueryError, ValueError) as exc:
        raise _fail(exc) from None
    if fmt is Format.JSON:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    rows: list[dict[str, Any]] = []
    for g in result["groups"]:
        base = {"population": g["population"], "traffic_source": g["traffic_source"]}
        if g["suppressed"]:
            rows.append({**base, "attribute": "", "value": f"(fewer than {result['k']} users)"})
            continue
        for attr, cells in g["attributes"].items():
            for c in cells:
                rows.append({**base, "attribute": attr, **c, "share": round(c["share"], 4)})
    cols = ["population", "traffic_source", "attribute", "value", "users", "share"]
    emit(rows, cols, fmt, title=f"Audience — {result['shop']} · {result['set']} · k={result['k']}")


@audience_app.command("export")
def export_command(
    ctx: typer.Context,
    set_name: SetArg,
    date_from: FromOpt,
    date_to: ToOpt,
    shop: ShopOpt = None,
    product_id: ProductOpt = None,
    category: CategoryOpt = None,
    traffic_source: SourceOpt = None,
    live_id: LiveOpt = None,
    post_id: PostOpt = None,
    k: KOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write the CSV here.")] = None,
) -> None:
    """The set as a CSV of the shop's own customer ids (a re-targeting audience); sets of
    fewer than k customers are refused."""
    try:
        with open_client(ctx, read_only=True) as client:
            req = client.user_set_request(
                set_name, date_from, date_to, shop, product_id, category, traffic_source,
                live_id, post_id,
            )  # fmt: skip
            text = client.audience_export(req, k=k)
    except (QueryError, ValueError) as exc:
        raise _fail(exc) from None
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"{len(text.splitlines()) - 1} customer ids written to {out}", err=True)


@app.command("loss-destinations")
def loss_destinations_command(
    ctx: typer.Context,
    shop: Annotated[str, typer.Option("--shop", help="Shop id.")],
    month: Annotated[str, typer.Option("--month", help="A complete calendar month, YYYY-MM.")],
    k: KOpt = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Where the shop's lost users (click users without a paid order) bought instead in
    the store's other shops, by product category × price band; only groups of ≥ k users,
    never another shop's identity or a user's."""
    try:
        with open_client(ctx, read_only=True) as client:
            result = client.loss_destinations(shop, month, k=k).to_json()
    except (QueryError, ValueError) as exc:
        raise _fail(exc) from None
    if fmt is Format.JSON:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    rows = [{**g, "share": round(g["share"], 4)} for g in result["groups"]]
    cols = ["category", "price_band", "users", "orders", "share"]
    title = (
        f"Loss destinations — {result['shop']} · {month} · lost users "
        f"{result['lost_users']} · k={result['k']}"
    )
    emit(rows, cols, fmt, title=title)


@app.command("peers")
def peers_command(
    ctx: typer.Context,
    metric: Annotated[str, typer.Argument(help="A registered metric id.")],
    shop: Annotated[str, typer.Option("--shop", help="Shop id.")],
    date_from: Annotated[str | None, typer.Option("--from", help="First local date.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last local date.")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", help="Metric parameter NAME=VALUE; repeatable.")
    ] = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """The shop's value against peers of the same tier and category: percentile rank and
    peers' p25/p50/p75/p90 (p90: excellent value of same-tier shops); fewer than 5 peers
    with a value: "not enough peers"."""
    try:
        with open_client(ctx, read_only=True) as client:
            params = {k: ",".join(v) for k, v in parse_pairs(param or [], "--param").items()}
            result = client.peer_benchmark(metric, shop, date_from, date_to, params).to_json()
    except (QueryError, ValueError) as exc:
        raise _fail(exc) from None
    if fmt is Format.JSON:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    fields = [
        "value", "currency", "peers", "percentile_rank", "p25", "p50", "p75", "p90",
        "message", "better",
    ]  # fmt: skip
    rows = [{"field": f, "value": result[f]} for f in fields]
    rows[fields.index("p90")]["field"] = f"p90 ({result['p90_label']})"
    title = (
        f"Peer benchmark — {metric} · {shop} · {result['from']} – {result['to']} · "
        f"peers: tier {result['tier']}, category {result['category']}"
    )
    emit(rows, ["field", "value"], fmt, title=title)
