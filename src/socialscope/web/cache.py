"""A small per-process cache for the dashboard's heavy results (attribution paths and
models, campaign reviews): the same shop, period and options within a few minutes are not
computed twice.

An entry is keyed by what was asked *and* by the store's import log (`_imports`: how many
imports and the latest one), so any import — file, API or webhook — makes older entries
unreachable at once. Entries also expire after `TTL_S` (a change the import log does not
record, such as a new keyword rule, shows within that time).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from socialscope.client import Client

T = TypeVar("T")
TTL_S = 600.0
MAX_ENTRIES = 64


class ResultCache:
    def __init__(self, ttl_s: float = TTL_S, max_entries: int = MAX_ENTRIES) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, client: Client, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value for `key` over this store's current data, else `compute()`."""
        full = (store_version(client), key)
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(full)
            if hit is not None and now - hit[0] < self.ttl_s:
                self._entries.move_to_end(full)
                value: T = hit[1]
                return value
        value = compute()
        with self._lock:
            self._entries[full] = (time.monotonic(), value)
            self._entries.move_to_end(full)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def store_version(client: Client) -> tuple[str, int, str]:
    """Which data the store holds: its file, and the count and time of its last import
    (another engine: its data's source and export time)."""
    if client.engine.name != "duckdb":
        engine = client.engine
        return (str(getattr(engine, "source", "")), 0, str(getattr(engine, "data_stamp", "")))
    row = client.store.con.execute("SELECT count(*), max(imported_at) FROM _imports").fetchone()
    count, last = (row or (0, None))[:2]
    return (str(getattr(client.store, "path", "")), int(count or 0), str(last))


RESULTS = ResultCache()
"""The process's cache (the server runs one dashboard per process)."""
