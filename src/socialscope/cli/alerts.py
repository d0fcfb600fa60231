"""`socialscope alerts`: list the configured rules, evaluate them once (cron), read the
history, and replay a rule over historical data (docs/alerts.md)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer

from socialscope.cli.main import app, db_path, open_client
from socialscope.cli.overview import wide_console
from socialscope.cli.render import Format, emit
from socialscope.config import CONFIG_ENV, Config, ConfigError, load_config

alerts_app = typer.Typer(
    help="Alerts: rules from the config (the alerts tables), evaluated by `serve` as data arrives "
    "and on a schedule, or here with `run` (for cron); their history; `test` replays a rule.",
    no_args_is_help=True,
)
app.add_typer(alerts_app, name="alerts")

ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", envvar=CONFIG_ENV, show_envvar=True, help="TOML configuration."),
]
FormatOpt = Annotated[Format, typer.Option("--format", help="Output format.")]
RULE_COLUMNS = ["id", "shop_id", "metric", "condition", "for", "grain", "by", "severity", "deliver"]
HISTORY_COLUMNS = [
    "at",
    "shop_id",
    "rule_id",
    "state",
    "severity",
    "metric",
    "dims",
    "value",
    "threshold",
    "message",
    "deliveries",
]
RUN_COLUMNS = ["at", "shop_id", "rule_id", "state", "value", "threshold", "message"]
REMOTE_LIMIT = 10_000
"""The most rows the server's API gives at once."""
TEST_COLUMNS = [
    "at",
    "local",
    "shop_id",
    "state",
    "metric",
    "dims",
    "value",
    "threshold",
    "message",
]


def _fail(exc: Exception) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(2)


def _config(path: Path | None) -> Config:
    try:
        return load_config(path)
    except ConfigError as exc:
        raise _fail(exc) from None


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@alerts_app.command("list")
def list_rules(config: ConfigOpt = None, fmt: FormatOpt = Format.TABLE) -> None:
    """The configured rules (webhook targets by name and URL without credentials)."""
    from socialscope.alerts.rules import public_rule

    cfg = _config(config)
    hooks = {h.name: h for h in cfg.alert_webhooks}
    rules = [public_rule(r, hooks) for r in cfg.alerts]
    if fmt is Format.JSON:
        _print_json(rules)
        return
    rows = [
        {
            **r,
            "metric": r["metric"] or "(overview)",
            "by": ",".join(r["by"]),
            "deliver": ",".join(t["name"] for t in r["deliver"]),
        }
        for r in rules
    ]
    emit(rows, RULE_COLUMNS, fmt, console=wide_console())


def _instant(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise _fail(ValueError("--as-of: expected an ISO date-time with an offset")) from None
    if value.tzinfo is None:
        raise _fail(ValueError("--as-of: give an offset (e.g. 2026-05-04T14:00:00+08:00)"))
    return value


@alerts_app.command("run")
def run(
    ctx: typer.Context,
    config: ConfigOpt = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Evaluate as of this instant (ISO with offset; default now)."),
    ] = None,
    deliver: Annotated[
        bool, typer.Option("--deliver/--no-deliver", help="Send the due outbox messages.")
    ] = True,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Evaluate every rule once, record firing/resolved messages and deliver due ones (cron).

    Exit code 0; rules that could not be evaluated are reported on stderr (exit code 1).
    """
    from socialscope.alerts.service import run_once
    from socialscope.alerts.store import iso

    cfg = _config(config)
    when = _instant(as_of)
    with open_client(ctx) as client:
        result = run_once(client, cfg, when, deliver=deliver)
    rows = [
        {**t.history_row(), "at": iso(t.at), "dims": json.dumps(t.dims, ensure_ascii=False)}
        for t in result.transitions
    ]
    emit(
        rows,
        ["at", "shop_id", "rule_id", "state", "value", "threshold", "message"],
        fmt,
        console=wide_console(),
    )
    d = result.delivery
    typer.echo(f"deliveries: {d.sent} sent, {d.retried} to retry, {d.failed} failed", err=True)
    for shop, rule, message in result.errors:
        typer.echo(f"error: rule {rule} at shop {shop}: {message}", err=True)
    if result.errors:
        raise typer.Exit(1)


@alerts_app.command("history")
def history(
    ctx: typer.Context,
    shop: Annotated[str | None, typer.Option("--shop", help="Only this shop.")] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="From this UTC date (or ISO instant).")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="To this UTC date, inclusive (or ISO instant).")
    ] = None,
    rule: Annotated[str | None, typer.Option("--rule", help="Only this rule id.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most N rows.")] = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Firing and resolved messages, newest first, with the state of their deliveries."""
    from socialscope.alerts.history import flat, read_history
    from socialscope.server import remote

    server = remote.owner(db_path(ctx))
    if server is not None:  # the server owns the store: ask its API (same rows)
        given = {"shop": shop, "from": date_from, "to": date_to, "rule": rule}
        params: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
        params["limit"] = limit if limit is not None else REMOTE_LIMIT
        rows = remote.alert_history(server, params)
    else:
        with open_client(ctx, read_only=False) as client:
            try:
                rows = read_history(
                    client.store, {shop} if shop else None, date_from, date_to, rule, limit
                )
            except ValueError as exc:
                raise _fail(exc) from None
    if fmt is Format.JSON:
        _print_json(rows)
        return
    emit([flat(r) for r in rows], HISTORY_COLUMNS, fmt, console=wide_console())


def _day(text: str | None, name: str, default: date) -> date:
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _fail(ValueError(f"{name}: expected a date YYYY-MM-DD, got {text!r}")) from None


@alerts_app.command("test")
def replay_rule(
    ctx: typer.Context,
    rule_id: Annotated[str, typer.Argument(metavar="RULE", help="A rule id of the config.")],
    config: ConfigOpt = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="First local date (default: 7 days ago).")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Last local date (default: today, UTC).")
    ] = None,
    shop: Annotated[str | None, typer.Option("--shop", help="Only this shop (for '*').")] = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Replay a rule hour by hour (or day by day) over stored data: when it would have fired and resolved. Nothing is recorded or delivered."""  # noqa: E501
    from zoneinfo import ZoneInfo

    from socialscope.alerts.replay import replay

    cfg = _config(config)
    rule = next((r for r in cfg.alerts if r.id == rule_id), None)
    if rule is None:
        known = ", ".join(r.id for r in cfg.alerts) or "none"
        raise _fail(ValueError(f"RULE: no rule {rule_id!r} in the config (rules: {known})"))
    if shop is not None:
        if rule.shop_id not in ("*", shop):
            raise _fail(ValueError(f"--shop: rule {rule_id!r} is for shop {rule.shop_id!r}"))
        rule = rule.model_copy(update={"shop_id": shop})
    today = datetime.now(UTC).date()
    end = _day(date_to, "--to", today)
    start = _day(date_from, "--from", end - timedelta(days=6))
    with open_client(ctx) as client:
        try:
            transitions, errors = replay(client, rule, start, end, [s.shop_id for s in cfg.shops])
        except ValueError as exc:
            raise _fail(exc) from None
        zones = {s: (v.get("timezone") or "UTC") for s, v in client.shops().items()}
    rows = []
    for t in transitions:
        local = t.at.astimezone(ZoneInfo(zones.get(t.shop_id, "UTC")))
        rows.append(
            {
                "at": t.at.isoformat(),
                "local": local.strftime("%Y-%m-%d %H:%M"),
                "shop_id": t.shop_id,
                "state": t.state,
                "metric": t.metric,
                "dims": t.dims if fmt is Format.JSON else json.dumps(t.dims, ensure_ascii=False),
                "value": t.value,
                "threshold": t.threshold,
                "message": t.message,
            }
        )
    if fmt is Format.JSON:
        _print_json(rows)
    else:
        emit(rows, TEST_COLUMNS, fmt, console=wide_console())
    for s, r, message in errors:
        typer.echo(f"error: rule {r} at shop {s}: {message}", err=True)
    if errors:
        raise typer.Exit(1)
