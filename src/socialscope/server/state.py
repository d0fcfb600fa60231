"""What every request handler of the server shares: config, the open store, the writer lock."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from socialscope.client import Client
from socialscope.config import Config
from socialscope.engines.base import ReadOnlyEngineError
from socialscope.store.duckdb import Store

T = TypeVar("T")


@dataclass
class ServerState:
    """The server's one open store and the per-thread clients over it.

    Reads run on a per-thread cursor (DuckDB MVCC: they never wait for writers). Writes —
    the webhook drainer and `POST /api/v1/ingest` — take `write_lock`, so two writers
    never race on the same rows; after a write, `changed()` tells every thread's client to
    forget cached shops and statements.
    """

    config: Config
    store: Store | None
    """None when serving another engine read-only (`engine_client`)."""
    local_token: str | None = None
    """A random admin token written (0600) beside the store for the local CLI."""
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    telemetry: Any = None
    _local: threading.local = field(default_factory=threading.local)
    _generation: int = 0
    engine_client: Client | None = None
    """A read-only client on another engine (PySpark over a Parquet export, an Ibis URL):
    every thread reads through it and writes raise ReadOnlyEngineError (HTTP 409)."""

    def client(self) -> Client:
        """This thread's client (created on first use, refreshed after writes)."""
        if self.engine_client is not None:
            return self.engine_client
        assert self.store is not None
        local = self._local
        client: Client | None = getattr(local, "client", None)
        if client is None:
            client = Client.over(self.store.cursor())
            local.client = client
            local.generation = self._generation
        elif local.generation != self._generation:
            client.invalidate()
            local.generation = self._generation
        return client

    @property
    def generation(self) -> int:
        """The data version: bumped after every write (the alert evaluator polls it)."""
        return self._generation

    def changed(self) -> None:
        """Data changed: every thread's client drops its caches before its next use."""
        self._generation += 1

    @contextmanager
    def writing(self) -> Iterator[Client]:
        """The writer client, under the write lock; caches are invalidated afterwards."""
        if self.engine_client is not None:
            raise ReadOnlyEngineError(self.engine_client.engine.name)
        with self.write_lock:
            try:
                yield self.client()
            finally:
                self.changed()

    def write(self, fn: Callable[[Client], T]) -> T:
        with self.writing() as client:
            return fn(client)
