"""Where a finished digest goes: a folder (written atomically) or a webhook (signed POST).

A file appears under its final name only when complete (temporary file, fsync, rename), so
a mail or sync job watching the folder never picks up half a PDF. A webhook receives the
document as the body with a signature it can check with the shared secret:
``X-Socialscope-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`` and the
timestamp in ``X-Socialscope-Timestamp`` (a receiver rejects old timestamps to stop replays).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from socialscope import outbound

CONTENT_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}
SIGNATURE_HEADER = "X-Socialscope-Signature"
TIMESTAMP_HEADER = "X-Socialscope-Timestamp"


class DeliveryError(RuntimeError):
    """A digest could not be delivered; says where and why (never the secret)."""


@dataclass(frozen=True)
class Document:
    shop: str
    period_key: str
    fmt: str  # html | pdf
    lang: str
    body: bytes

    @property
    def filename(self) -> str:
        safe_shop = "".join(c if c.isalnum() or c in "-_" else "_" for c in self.shop)
        return f"socialscope-{safe_shop}-{self.period_key}-{self.lang}.{self.fmt}"


def write_file(doc: Document, target: Path) -> Path:
    """Write into `target` (a folder, created if needed, or a file path) atomically."""
    path = target / doc.filename if target.is_dir() or not target.suffix else target
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, 0o644)  # a report is meant to be read (mkstemp makes 0600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(doc.body)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return path


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def post(
    doc: Document,
    url: str,
    secret: str | None,
    *,
    attempts: int = 4,
    backoff_s: float = 1.0,
    timeout_s: float = 30.0,
) -> int:
    """POST the document; retried with exponential backoff on network errors and 5xx/429.

    The receiver can de-duplicate on ``X-Socialscope-Report`` (shop, period, language and
    format), which stays the same across retries. Returns the final HTTP status."""
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": CONTENT_TYPES[doc.fmt],
        "X-Socialscope-Report": doc.filename,
        TIMESTAMP_HEADER: timestamp,
    }
    if secret:
        headers[SIGNATURE_HEADER] = signature(secret, timestamp, doc.body)
    last = "no attempt made"
    for attempt in range(attempts):
        if attempt:
            time.sleep(backoff_s * 2 ** (attempt - 1))
        try:
            with httpx.HTTPTransport() as transport:
                status = outbound.post(transport, url, doc.body, headers, timeout_s)
        except httpx.HTTPError as exc:
            last = f"{type(exc).__name__}"
            continue
        if status < 300:
            return status
        last = f"HTTP {status}"
        if status < 500 and status != 429:
            break  # the receiver refuses it: retrying will not help
    raise DeliveryError(f"report {doc.filename} not delivered to {outbound.shown(url)}: {last}")
