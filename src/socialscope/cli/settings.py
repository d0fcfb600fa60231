"""`socialscope settings`: store-level settings that change derived data."""

from __future__ import annotations

from typing import Annotated

import typer

from socialscope.cli.main import app, open_client
from socialscope.store.derive import DEFAULT_IDLE_HOURS, IDLE_SETTING, refresh

SETTINGS: dict[str, tuple[float, str]] = {
    IDLE_SETTING: (
        DEFAULT_IDLE_HOURS,
        "Hours without a message after which a thread's next message starts a new "
        "conversation (when conversation_id is empty).",
    ),
}


@app.command()
def settings(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Setting to show or change.")] = None,
    value: Annotated[str | None, typer.Argument(help="New value.")] = None,
) -> None:
    """Show the store's settings, or change one (derived tables are rebuilt)."""
    with open_client(ctx) as client:
        con = client.store.con
        stored = dict(con.execute("SELECT key, value FROM _meta").fetchall())
        if name is None:
            for key, (default, doc) in SETTINGS.items():
                typer.echo(f"{key} = {stored.get(key, default)}    # {doc}")
            return
        if name not in SETTINGS:
            typer.echo(
                f"error: unknown setting {name!r}; settings: {', '.join(SETTINGS)}", err=True
            )
            raise typer.Exit(2)
        if value is None:
            typer.echo(str(stored.get(name, SETTINGS[name][0])))
            return
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if number <= 0:
            typer.echo(f"error: {name} must be a positive number of hours", err=True)
            raise typer.Exit(2)
        con.execute("INSERT OR REPLACE INTO _meta VALUES (?, ?)", [name, str(number)])
        refresh(client.store)
        typer.echo(f"{name} = {number}; derived tables rebuilt")
