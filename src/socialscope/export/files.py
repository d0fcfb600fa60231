"""File-system steps of an export: partition paths, durable writes, the directory lock."""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import secrets
from pathlib import Path
from types import TracebackType
from urllib.parse import quote, unquote

LOCK_NAME = ".export.lock"
STAGING_PREFIX = ".staging-"
"""Directories inside DIR where many partitions are written in one pass before each file
is moved to its partition directory (same file system, so every move is a rename)."""
NULL_MONTH = "__HIVE_DEFAULT_PARTITION__"
"""Directory name of the rows of a dated table whose dating column is NULL (the Hive /
Spark spelling of a null partition value)."""


def encode(value: str) -> str:
    """A partition value as a directory name: every byte but [A-Za-z0-9_.~-] percent-
    encoded (UTF-8), so `/`, `=`, `%` and non-ASCII shop ids make one safe path segment.
    Spark and Hive decode %XX in partition values."""
    encoded = quote(value, safe="")
    if encoded in ("", ".", ".."):  # not a usable directory name on its own
        encoded = "".join(f"%{b:02X}" for b in value.encode("utf-8")) or "%00"
    return encoded


def decode(segment: str) -> str:
    return unquote(segment)


def partition_dir(table: str, shop_id: str, month: str | None, dated: bool) -> str:
    """The relative posix directory of a partition."""
    parts = [table, f"shop_id={encode(shop_id)}"]
    if dated:
        parts.append(f"month={month if month is not None else NULL_MONTH}")
    return "/".join(parts)


def new_file_name(directory: Path) -> str:
    """`part-<8 hex>.parquet`, not yet present in `directory`."""
    while True:
        name = f"part-{secrets.token_hex(4)}.parquet"
        if not (directory / name).exists() and not (directory / temp_name(name)).exists():
            return name


def temp_name(name: str) -> str:
    return f".{name}.tmp"


def is_temp(name: str) -> bool:
    return name.startswith(".") and name.endswith(".tmp")


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Make a rename or unlink in `path` durable (the directory entry itself)."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_dirs(root: Path, rel_dir: str) -> Path:
    """Create `root/rel_dir` component by component, fsyncing the parent of each directory
    it creates, so the new partition path survives a power loss with the manifest."""
    here = root
    for part in rel_dir.split("/"):
        child = here / part
        try:
            child.mkdir()
        except FileExistsError:
            pass
        else:
            fsync_dir(here)
        here = child
    return here


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_temp_text(path: Path, text: str) -> Path:
    """Write `text` to a temp file beside `path`, fsync it; returns the temp path (the
    caller replaces, so a failure can be injected between the steps)."""
    tmp = path.with_name(temp_name(path.name))
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    return tmp


class ExportLockedError(RuntimeError):
    """Another export is writing into the same directory."""


class DirectoryLock:
    """An exclusive advisory lock on `DIR/.export.lock` (flock: released by the kernel if
    the process dies, so a crash never leaves a stale lock behind)."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / LOCK_NAME
        self._fd: int | None = None

    def __enter__(self) -> DirectoryLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EACCES, errno.EAGAIN):
                raise ExportLockedError(
                    f"another export is writing into {self.path.parent} (lock {self.path} is "
                    "held); wait for it to finish"
                ) from None
            raise
        self._fd = fd
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
