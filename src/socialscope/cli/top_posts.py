"""`socialscope top-posts`: posts ranked by engagement rate by reach."""

from __future__ import annotations

from typing import Annotated

import typer

from socialscope.cli.main import app, open_client
from socialscope.cli.overview import wide_console
from socialscope.cli.render import Format, emit
from socialscope.metrics.query import QueryError
from socialscope.top_posts import COLUMNS, TopPosts, top_posts


@app.command("top-posts")
def top_posts_command(
    ctx: typer.Context,
    shop: Annotated[
        str | None, typer.Option("--shop", help="Shop id (default: every shop).")
    ] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="First local date.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last local date.")] = None,
    channel: Annotated[str | None, typer.Option("--channel", help="Only this channel.")] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="Only this post kind (post, reel, ...).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many posts.")] = 10,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TABLE,
) -> None:
    """Posts ranked by engagement_rate_by_reach (ties: engagements, then post_id), with
    their counters; posts without reach come last. Activity basis: posts with content
    rows dated in the period. Default period: the span of the shop's posts."""
    try:
        with open_client(ctx) as client:
            shops = [shop] if shop else sorted(client.shops())
            if not shops:
                raise QueryError("the store holds no shops yet: import data first")
            results = [
                top_posts(client, s, date_from, date_to, channel, kind, limit) for s in shops
            ]
    except (QueryError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if fmt is Format.TABLE:
        console = wide_console()
        for res in results:
            emit(res.rows, COLUMNS, fmt, console=console, title=_title(res))
        return
    emit([{"shop_id": r.shop, **row} for r in results for row in r.rows], _all_columns(), fmt)


def _title(res: TopPosts) -> str:
    return f"Top posts — {res.shop} · {res.date_from} – {res.date_to}"


def _all_columns() -> list[str]:
    return ["shop_id", *COLUMNS]
