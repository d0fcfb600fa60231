"""How the CLI finds the server that owns a store.

DuckDB lets one process open a database file for writing, and while it does no other
process can open it at all. `socialscope serve` therefore writes ``<db>.server.json``
(url, pid, a random local admin token; mode 0600, so only the same user can read it) for
as long as it runs; the CLI reads it when the store is locked and sends its request to
the server instead, or says clearly what to do.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ServerInfo:
    url: str
    pid: int
    token: str


def info_path(db: Path) -> Path:
    return db.with_name(db.name + ".server.json")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def find(db: Path) -> ServerInfo | None:
    """The running server of this store, if its discovery file names a live process."""
    path = info_path(db)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        info = ServerInfo(str(data["url"]), int(data["pid"]), str(data["token"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return info if _alive(info.pid) else None


@contextmanager
def published(db: Path, url: str, token: str) -> Iterator[Path]:
    """Write the discovery file for the duration of the block."""
    path = info_path(db)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"url": url, "pid": os.getpid(), "token": token}, fh)
    os.replace(tmp, path)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)
