"""`socialscope calendar`: a shop's opening hours and holidays (for duration=business)."""

from __future__ import annotations

from typing import Annotated

import typer

from socialscope.cli.main import app, open_client
from socialscope.metrics.library.business_time import CalendarError

calendar_app = typer.Typer(
    help="Shop opening hours and holidays: response times with --param duration=business "
    "count only the seconds the shop is open (shop-local time).",
    no_args_is_help=True,
)
app.add_typer(calendar_app, name="calendar")

_HOURS_HELP = (
    'Weekly opening hours, e.g. "mon-fri 09:00-12:00,13:00-18:00; sat 10:00-14:00" '
    "(days not named are closed; 20:00-02:00 runs past midnight; 24:00 allowed); "
    '"default" = the shop\'s service_hours every day.'
)


def _fail(exc: Exception) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(2)


@calendar_app.command("show")
def show(ctx: typer.Context, shop: Annotated[str, typer.Argument(help="Shop id.")]) -> None:
    """Print a shop's opening hours and holidays."""
    with open_client(ctx, store=True) as client:
        cal = client.calendar(shop)
        if shop not in client.shops():
            typer.echo(f"note: shop {shop!r} is not in the store (yet)", err=True)
    suffix = "    # default: service_hours every day" if cal["default"] else ""
    typer.echo(f"hours: {cal['hours']}{suffix}")
    if not cal["holidays"]:
        typer.echo("holidays: none")
        return
    typer.echo("holidays:")
    for day, name in cal["holidays"]:
        typer.echo(f"  {day.isoformat()}{'  ' + name if name else ''}")


@calendar_app.command("set")
def set_hours(
    ctx: typer.Context,
    shop: Annotated[str, typer.Argument(help="Shop id.")],
    hours: Annotated[str, typer.Option("--hours", help=_HOURS_HELP)],
) -> None:
    """Replace a shop's weekly opening hours."""
    with open_client(ctx, store=True) as client:
        try:
            client.set_calendar(shop, hours)
        except CalendarError as exc:
            raise _fail(exc) from None
        cal = client.calendar(shop)
    typer.echo(f"{shop}: {cal['hours']}" + ("    # default" if cal["default"] else ""))


@calendar_app.command("holiday")
def holiday(
    ctx: typer.Context,
    shop: Annotated[str, typer.Argument(help="Shop id.")],
    day: Annotated[str, typer.Argument(help="Local date YYYY-MM-DD, closed all day.")],
    name: Annotated[str | None, typer.Option("--name", help="What the holiday is.")] = None,
    remove: Annotated[bool, typer.Option("--remove", help="Reopen the date instead.")] = False,
) -> None:
    """Close a shop for a whole local date (or reopen it with --remove)."""
    with open_client(ctx, store=True) as client:
        try:
            if remove:
                if not client.remove_holiday(shop, day):
                    typer.echo(f"{shop}: {day} was not a holiday")
                    return
                typer.echo(f"{shop}: {day} reopened")
                return
            client.add_holiday(shop, day, name)
        except CalendarError as exc:
            raise _fail(exc) from None
    typer.echo(f"{shop}: {day} closed" + (f" ({name})" if name else ""))
