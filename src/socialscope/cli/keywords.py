"""`socialscope keywords`: the purchase-keyword rules that make a comment a "+1" order."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from socialscope.cli.main import app, open_client
from socialscope.cli.render import Format, emit
from socialscope.keywords import (
    DEFAULT_RULES,
    KeywordRuleError,
    compile_rules,
    normalize,
    parse,
)

keywords_app = typer.Typer(
    help="Purchase keywords: the rules (Python regular expressions on the NFKC-normalised "
    "comment text, optional groups qty and variant) that make a customer's comment a "
    'purchase intent. Default: the text starts with "+N" ("+1", "＋１", "+2 白色S"). '
    "A post's rules replace its shop's.",
    no_args_is_help=True,
)
app.add_typer(keywords_app, name="keywords")

_SHOP = typer.Option("--shop", help="Shop id.")
_POST = typer.Option("--post", help="A post id: that post's own rules (default: the shop's).")
_FORMAT = typer.Option("--format", help="Output format.")
_RULE_COLUMNS = ["shop_id", "post_id", "source", "n", "rule"]


def _fail(exc: Exception) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(2)


def _rule_rows(info: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per rule in force, then the shop's post-level rules."""
    rows = []
    for ruleset in [info, *info.get("posts", [])]:
        for n, rule in enumerate(ruleset["rules"], start=1):
            rows.append(
                {
                    "shop_id": ruleset["shop_id"],
                    "post_id": ruleset["post_id"],
                    "source": ruleset["source"],
                    "n": n,
                    "rule": rule,
                }
            )
    return rows


def _show(info: dict[str, Any], fmt: Format) -> None:
    rows = _rule_rows(info)
    if fmt is not Format.TABLE:
        emit(rows, _RULE_COLUMNS, fmt)
        return
    where = info["shop_id"] + (f" · post {info['post_id']}" if info["post_id"] else "")
    emit(rows, _RULE_COLUMNS, fmt, title=f"Purchase keywords — {where}")
    for ruleset in [info, *info.get("posts", [])]:
        label = f"post {ruleset['post_id']}" if ruleset["post_id"] else "shop"
        if ruleset["error"]:
            typer.echo(f"{label}: stored rules do not validate, they match nothing: ", nl=False)
            typer.echo(ruleset["error"])
        elif not ruleset["rules"]:
            typer.echo(f"{label}: no rules: no comment is a purchase intent")
    counts = info.get("counts")
    if counts is not None:
        typer.echo(
            f"{counts['intents']:,} of {counts['comments']:,} comments are purchase intents "
            f"(quantity {counts['quantity']:,})"
        )


def _note_unknown(client: Any, shop: str) -> None:
    if shop not in client.shops():
        typer.echo(f"note: shop {shop!r} is not in the store (yet)", err=True)


@keywords_app.command("show")
def show_cmd(
    ctx: typer.Context,
    shop: Annotated[str, _SHOP],
    post: Annotated[str | None, _POST] = None,
    fmt: Annotated[Format, _FORMAT] = Format.TABLE,
) -> None:
    """Print the rules in force for a shop or post, and the intents they give. Without
    --post: the shop's rules, then the rules of its posts that have their own."""
    with open_client(ctx, store=True) as client:
        info = client.keyword_rules(shop, post)
        _note_unknown(client, shop)
    _show(info, fmt)


@keywords_app.command("set")
def set_cmd(
    ctx: typer.Context,
    rules: Annotated[
        list[str],
        typer.Argument(
            help="Regular expressions, tried in order (first match wins), e.g. "
            r"'^\+ ?(?P<qty>\d+)' or '^(?P<variant>\S+)\s*\+(?P<qty>\d+)' for '3號 +1'.",
            metavar="RULE",
        ),
    ],
    shop: Annotated[str, _SHOP],
    post: Annotated[str | None, _POST] = None,
    fmt: Annotated[Format, _FORMAT] = Format.TABLE,
) -> None:
    """Replace a shop's (or one post's) rules; its comments are re-parsed at once. A rule
    is a Python regular expression searched in the comment text after NFKC normalisation
    and whitespace collapsing; optional named groups: qty (digits; absent means 1) and
    variant. Rules are tried in order, the first match decides."""
    with open_client(ctx, store=True) as client:
        try:
            info = client.set_keyword_rules(shop, rules, post)
        except KeywordRuleError as exc:
            raise _fail(exc) from None
        _note_unknown(client, shop)
    _show(info, fmt)


@keywords_app.command("reset")
def reset_cmd(
    ctx: typer.Context,
    shop: Annotated[str, _SHOP],
    post: Annotated[str | None, _POST] = None,
    fmt: Annotated[Format, _FORMAT] = Format.TABLE,
) -> None:
    """Remove a shop's (or one post's) own rules: a post falls back to its shop's rules,
    a shop to the default set."""
    with open_client(ctx, store=True) as client:
        try:
            removed = client.reset_keyword_rules(shop, post)
        except KeywordRuleError as exc:
            raise _fail(exc) from None
        info = client.keyword_rules(shop, post)
    if fmt is not Format.TABLE:
        emit(
            [{"shop_id": shop, "post_id": post, "removed": removed}],
            ["shop_id", "post_id", "removed"],
            fmt,
        )
        return
    what = f"{shop} post {post}" if post else shop
    if not removed:
        typer.echo(f"{what}: had no rules of its own")
    else:
        typer.echo(f"{what}: own rules removed; now using the {info['source']} rules")
    _show(info, fmt)


@keywords_app.command("test")
def parse_texts(
    ctx: typer.Context,
    texts: Annotated[list[str], typer.Argument(help="Comment texts to parse.", metavar="TEXT")],
    shop: Annotated[str, _SHOP],
    post: Annotated[str | None, _POST] = None,
    rule: Annotated[
        list[str] | None,
        typer.Option("--rule", help="Try these rules instead of the stored ones (repeatable)."),
    ] = None,
    fmt: Annotated[Format, _FORMAT] = Format.TABLE,
) -> None:
    """Parse texts with a shop's or post's rules (or with --rule ones): whether each is a
    purchase intent, its quantity and variant, and the number of the rule that matched."""
    if rule:
        patterns: list[str] = list(rule)
    else:
        with open_client(ctx, store=True) as client:
            patterns = list(client.keyword_rules(shop, post)["rules"])
    try:
        compiled = compile_rules(patterns)
    except KeywordRuleError as exc:
        raise _fail(exc) from None
    rows = []
    for text in texts:
        intent = parse(text, compiled)
        matched = next(
            (n for n, r in enumerate(compiled, start=1) if parse(text, [r]) is not None), None
        )
        rows.append(
            {
                "text": text,
                "normalized": normalize(text),
                "purchase_intent": intent is not None,
                "quantity": intent.quantity if intent else None,
                "variant": intent.variant if intent else None,
                "rule": matched,
            }
        )
    columns = ["text", "normalized", "purchase_intent", "quantity", "variant", "rule"]
    where = shop + (f" · post {post}" if post else "")
    which = "--rule rules" if rule else ("default rules" if patterns == list(DEFAULT_RULES) else "")
    emit(
        rows,
        columns,
        fmt,
        title=f"Purchase keywords test — {where}" + (f" ({which})" if which else ""),
    )
