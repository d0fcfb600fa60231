"""`socialscope report`: the daily/weekly digest of a shop as HTML or PDF, on demand or as
scheduled in the config (`--due`)."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer

from socialscope.cli.main import app, open_client
from socialscope.config import ConfigError, load_config
from socialscope.reports.deliver import DeliveryError, post, write_file
from socialscope.reports.digest import build_report, report_period
from socialscope.reports.period import PeriodError
from socialscope.reports.render import RenderError


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PeriodError(f"{option} {value!r} is not a date (YYYY-MM-DD)") from None


def _now(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise PeriodError(f"--now {value!r} is not an ISO timestamp") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@app.command("report")
def report_command(
    ctx: typer.Context,
    shop: Annotated[str | None, typer.Option("--shop", help="The shop of the digest.")] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="yesterday | last-week | last-7-days | last-30-days | last-month "
            "(shop-local; default yesterday).",
        ),
    ] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="First local date.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last local date.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="html | pdf")] = "html",
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="en | zh-Hant | zh-Hans | pl (default: the shop's)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="A folder or file to write (default: current folder)."),
    ] = None,
    post_url: Annotated[
        str | None, typer.Option("--post", help="Also POST the document to this URL.")
    ] = None,
    secret_env: Annotated[
        str | None,
        typer.Option("--secret-env", help="Environment variable holding the signing secret."),
    ] = None,
    due: Annotated[
        bool,
        typer.Option("--due", help="Produce the scheduled digests that are due (config)."),
    ] = False,
    config_path: Annotated[
        Path | None, typer.Option("--config", help="The TOML config (for --due).")
    ] = None,
    now: Annotated[
        str | None, typer.Option("--now", help="Pretend the time is this instant (testing).")
    ] = None,
) -> None:
    """The Social Data Overview and the customer-service summary against the previous
    period, with the period's anomalies and fired alerts, as HTML or PDF in the shop's
    language."""
    try:
        moment = _now(now)
        if due:
            _run_due(ctx, config_path, moment)
            return
        if shop is None:
            raise PeriodError("--shop is required (or --due to run the schedule)")
        with open_client(ctx, read_only=True) as client:
            chosen = report_period(
                client, shop, period, _day(date_from, "--from"), _day(date_to, "--to"), moment
            )
            doc, _ = build_report(client, shop, chosen, fmt, lang, now=moment)
        path = write_file(doc, out or Path.cwd())
        typer.echo(str(path))
        if post_url:
            secret = os.environ.get(secret_env) if secret_env else None
            if secret_env and secret is None:
                raise PeriodError(f"--secret-env: environment variable {secret_env} is not set")
            status = post(doc, post_url, secret)
            typer.echo(f"posted ({status})")
    except (PeriodError, ValueError, ConfigError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    except (RenderError, DeliveryError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None


def _run_due(ctx: typer.Context, config_path: Path | None, moment: datetime | None) -> None:
    from socialscope.reports.schedule import run_due

    config = load_config(config_path)
    if not config.reports:
        raise ConfigError("the configuration has no [[reports]] schedule")
    with open_client(ctx) as client:
        outcomes = run_due(client, config, moment)
    if not outcomes:
        typer.echo("no digest is due")
    failed = False
    for o in outcomes:
        typer.echo(f"{o.schedule_id}\t{o.shop}\t{o.period_key}\t{o.status}\t{o.detail}")
        failed |= o.status != "delivered"
    if failed:
        raise typer.Exit(1)
