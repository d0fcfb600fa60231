"""CSV and XLSX exports of a block's rows: the raw values the table shows (money as exact
decimals, dates as dates), with the column ids as the header row."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA = "text/csv; charset=utf-8"
EXPORTERS = ("csv", "xlsx")


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return value


def to_csv(columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        out = []
        for c in columns:
            v = _cell(r.get(c))
            out.append("" if v is None else (v.isoformat() if isinstance(v, date) else v))
        writer.writerow(out)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 CJK right


def to_xlsx(columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("data")
    ws.append(list(columns))
    for r in rows:
        line = []
        for c in columns:
            v = _cell(r.get(c))
            if isinstance(v, datetime) and v.tzinfo is not None:
                v = v.replace(tzinfo=None)
            if isinstance(v, Decimal):
                v = float(v)  # a spreadsheet number; the CSV keeps the exact decimal
            line.append(v)
        ws.append(line)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_rows(
    fmt: str, columns: Sequence[str], rows: Sequence[Mapping[str, Any]], lang: str
) -> tuple[bytes, str]:
    del lang  # headers are column ids, so a file reads the same in every language
    if fmt == "csv":
        return to_csv(columns, rows), CSV_MEDIA
    return to_xlsx(columns, rows), XLSX_MEDIA
