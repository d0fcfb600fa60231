"""``POST /api/v1/ingest/{table}``: canonical rows into the store, like ``socialscope ingest``.

The body is a JSON array of row objects, or NDJSON (one object per line): Content-Type
``application/x-ndjson`` (or ``application/jsonl``) means NDJSON; ``application/json``
or none is sniffed (``[`` opens an array, anything else is read as NDJSON). Its size is
checked against ``server.max_body_bytes`` from Content-Length first, then while reading
(413). Malformed JSON is a 400 naming the line.

Every row is parsed here, checked against the key's shops (one row of another shop: 403,
nothing stored), written back one object per line to a temporary ``.ndjson`` file and
imported by the loader the CLI uses (``ingest_paths``), under the server's write lock.
Re-serialising also means the importer sees exactly the object that was checked (a JSON
object with a repeated key keeps its last value here and in the file).

The response is the CLI's ``--format json`` report plus the import's ``batch_id`` and
the rows it quarantined: ``line`` is the body line (NDJSON) or the 1-based element
number (array); the quarantine table itself (``socialscope quarantine``) counts records,
which differ only when an NDJSON body has blank lines.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from socialscope.api.body import BodyTooLargeError, read_limited
from socialscope.api.errors import error_responses
from socialscope.api.routes import API_PREFIX
from socialscope.api.routes.query import State
from socialscope.api.security import CurrentPrincipal, Principal, check_rows, require_principal
from socialscope.contract.tables import TABLES
from socialscope.ingest.loader import IngestError, TableCounts, ingest_paths
from socialscope.server.state import ServerState

router = APIRouter(prefix=API_PREFIX, tags=["ingest"], dependencies=[Depends(require_principal)])

NDJSON_TYPES = frozenset(
    {"application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonl"}
)
SNIFFED_TYPES = frozenset({"", "application/json", "text/plain"})
QUARANTINE_LIMIT = 1000
"""At most this many quarantined rows are listed in a response (the counts are exact)."""


class Counts(BaseModel):
    stored: int
    duplicates: int
    updated: int
    quarantined: int


class QuarantinedRow(BaseModel):
    table: str
    line: int | None
    column: str | None
    reason: str


class IngestResult(BaseModel):
    """The CLI's ``ingest --format json`` report, with the batch and the rejected rows."""

    tables: dict[str, Counts]
    batch_id: str | None
    quarantine: list[QuarantinedRow]


class Rows:
    """Parsed body rows and the body line (or element number) each came from."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.lines: list[int] = []

    def add(self, row: Any, line: int, what: str) -> None:
        if not isinstance(row, dict):
            raise HTTPException(
                400, f"{what} {line}: expected a JSON object, got {_json_type(row)}"
            )
        self.rows.append(row)
        self.lines.append(line)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return type(value).__name__


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _loads(text: str) -> Any:
    return json.loads(text, parse_constant=_no_constants)


def parse_body(body: bytes, content_type: str | None) -> Rows:
    """The row objects of a JSON array or NDJSON body; 400/415 with the line at fault."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media not in NDJSON_TYPES and media not in SNIFFED_TYPES and not media.endswith("+json"):
        raise HTTPException(
            415,
            f"unsupported Content-Type {media!r}: send application/json (an array of "
            "objects) or application/x-ndjson (one object per line)",
        )
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise HTTPException(400, f"the body is not UTF-8 (byte {exc.start})") from None
    out = Rows()
    if media not in NDJSON_TYPES and text.lstrip().startswith("["):
        try:
            data = _loads(text)
        except json.JSONDecodeError as exc:
            raise HTTPException(
                400, f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from None
        except ValueError as exc:
            raise HTTPException(400, f"malformed JSON: {exc}") from None
        if not isinstance(data, list):  # pragma: no cover - '[' always opens an array
            raise HTTPException(400, "expected a JSON array of objects")
        for i, row in enumerate(data, start=1):
            out.add(row, i, "element")
        return out
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            row = _loads(line)
        except json.JSONDecodeError as exc:
            raise HTTPException(
                400, f"line {lineno}: malformed JSON at column {exc.colno}: {exc.msg}"
            ) from None
        except ValueError as exc:
            raise HTTPException(400, f"line {lineno}: malformed JSON: {exc}") from None
        out.add(row, lineno, "line")
    return out


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing (413) one larger than `limit` bytes before storing it."""
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in {"", "identity"}:
        raise HTTPException(415, f"unsupported Content-Encoding {encoding!r}: send it plain")
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            int(declared)
        except ValueError:
            raise HTTPException(400, "invalid Content-Length header") from None
    try:
        return await read_limited(request, limit)
    except BodyTooLargeError:
        raise HTTPException(413, _too_large(limit)) from None


def _too_large(limit: int) -> str:
    return (
        f"the body is larger than the server's limit of {limit:,} bytes "
        "(server.max_body_bytes): send the rows in smaller batches"
    )


def import_rows(state: ServerState, table: str, rows: Rows, source: str) -> dict[str, Any]:
    """Write the rows to a temporary NDJSON file and import it under the write lock."""
    with tempfile.TemporaryDirectory(prefix="socialscope-ingest-") as tmp:
        path = Path(tmp) / f"{table}.ndjson"
        with path.open("w", encoding="utf-8") as fh:
            for row in rows.rows:
                fh.write(json.dumps(row, ensure_ascii=False))
                fh.write("\n")
        with state.writing() as client:
            try:
                report = ingest_paths(client.store, [path], table=table, source=source)
            except IngestError as exc:
                message = str(exc).replace(str(path), "the request body").replace(tmp, "")
                raise IngestError(message) from None
            quarantined = client.store.con.execute(
                'SELECT table_name, line, "column", reason FROM _quarantine '
                "WHERE batch_id = ? ORDER BY table_name, line LIMIT ?",
                [report.batch_id, QUARANTINE_LIMIT],
            ).fetchall()
    result: dict[str, Any] = report.to_dict()
    result["batch_id"] = report.batch_id
    result["quarantine"] = [
        {
            "table": name,
            "line": _body_line(rows.lines, line),
            "column": column,
            "reason": reason,
        }
        for name, line, column, reason in quarantined
    ]
    return result


def _body_line(lines: Sequence[int], record: Any) -> int | None:
    """The body line of the file's record number `record` (1-based)."""
    if not isinstance(record, int) or not 1 <= record <= len(lines):
        return None
    return lines[record - 1]


def empty_result(table: str) -> dict[str, Any]:
    return {"tables": {table: TableCounts().to_dict()}, "batch_id": None, "quarantine": []}


ROWS_BODY: dict[str, Any] = {
    "type": "array",
    "items": {"type": "object", "additionalProperties": True},
}
BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": (
            "Canonical rows of the table (see docs/import-contract.md): a JSON array of "
            "objects, or NDJSON: the same objects, one per line."
        ),
        "content": {
            "application/json": {"schema": ROWS_BODY},
            "application/x-ndjson": {"schema": ROWS_BODY},
        },
    }
}


@router.post(
    "/ingest/{table}",
    response_model=IngestResult,
    responses=error_responses(400, 401, 403, 404, 413, 415, 500),
    openapi_extra=BODY_DOC,
    summary="Import canonical rows of one table",
)
async def ingest(
    table: Annotated[str, "A canonical table name"],
    request: Request,
    principal: CurrentPrincipal,
    state: State,
) -> JSONResponse:
    """Validate, quarantine bad rows, upsert by key (idempotent: a re-post gives
    duplicates). A shop key may only send rows of its own shop."""
    if table not in TABLES:
        raise HTTPException(404, f"unknown table {table!r}; tables are: {', '.join(TABLES)}")
    body = await read_body(request, state.config.server.max_body_bytes)
    rows = parse_body(body, request.headers.get("content-type"))
    check_rows(principal, rows.rows)
    if not rows.rows:
        return JSONResponse(empty_result(table))
    result = await run_in_threadpool(import_rows, state, table, rows, _source(table, principal))
    return JSONResponse(result)


def _source(table: str, principal: Principal) -> str:
    return f"POST {API_PREFIX}/ingest/{table} ({principal.name})"
