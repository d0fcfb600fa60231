"""`socialscope settings`: store-level settings that change derived data."""

from __future__ import annotations

from typing import Annotated

import typer

from socialscope.cli.main import app, open_client
from socialscope.store.settings import SETTINGS, SettingError, check_name

READ_AT_QUERY_TIME = frozenset({"privacy_k"})
"""Settings that only change what queries return (nothing to rebuild)."""


@app.command()
def settings(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Setting to show or change.")] = None,
    value: Annotated[str | None, typer.Argument(help="New value.")] = None,
) -> None:
    """Show the store's settings, or change one (derived tables are rebuilt)."""
    with open_client(ctx, store=True) as client:
        current = client.settings()
        if name is None:
            for key, (_, doc) in SETTINGS.items():
                typer.echo(f"{key} = {current[key]}    # {doc}")
            return
        try:
            check_name(name)
            if value is None:
                typer.echo(str(current[name]))
                return
            client.set_setting(name, value)  # validated (positive number) by the store
        except SettingError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        rebuilt = "" if name in READ_AT_QUERY_TIME else "; derived tables rebuilt"
        typer.echo(f"{name} = {client.settings()[name]}{rebuilt}")
