"""Reading a request body without ever holding more than the configured limit."""

from __future__ import annotations

from fastapi import Request


class BodyTooLargeError(Exception):
    """The body (declared or streamed) is larger than the limit."""


async def read_limited(request: Request, limit: int) -> bytes:
    """The raw body; refuses a declared Content-Length over `limit` before reading, and
    stops reading as soon as the streamed bytes pass it. (An unparseable Content-Length is
    left to the caller to judge; the stream is counted either way.)"""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            too_large = int(declared) > limit
        except ValueError:
            too_large = False
        if too_large:
            raise BodyTooLargeError
    chunks: list[bytes] = []
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit:
            raise BodyTooLargeError
        chunks.append(chunk)
    return b"".join(chunks)
