"""Rendering result rows as a table, JSON or CSV — one place for every command."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.table import Table


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


def json_value(value: Any) -> Any:
    """A JSON-safe value: dates as YYYY-MM-DD, hours as YYYY-MM-DDTHH:MM, money as numbers."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def text_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1 else f"{value:,.2f}"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def to_json(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    return json.dumps(
        [{c: json_value(r.get(c)) for c in columns} for r in rows], ensure_ascii=False, indent=2
    )


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow(["" if r.get(c) is None else json_value(r.get(c)) for c in columns])
    return buf.getvalue()


def rich_table(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    title: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Table:
    table = Table(title=title, show_lines=False)
    for c in columns:
        numeric = any(isinstance(r.get(c), int | float | Decimal) for r in rows[:20])
        table.add_column((headers or {}).get(c, c), justify="right" if numeric else "left")
    for r in rows:
        table.add_row(*(text_value(r.get(c)) for c in columns))
    return table


def emit(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: Format,
    console: Console | None = None,
    title: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> None:
    """Print rows in the asked format on stdout."""
    out = console or Console(soft_wrap=True)
    if fmt is Format.JSON:
        print(to_json(rows, columns))
    elif fmt is Format.CSV:
        print(to_csv(rows, columns), end="")
    else:
        out.print(rich_table(rows, columns, title, headers))
