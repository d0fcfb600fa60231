"""The HTTP counters of the intake processes, shown by the owner's ``/metrics``.

Each intake process counts its requests on its own registry and writes a snapshot of the
shared families (``requests_total``, ``request_seconds``, ``webhook_rejected_total``) to
``<its lane>/telemetry.json`` about once a second and when it stops. The owner adds the
snapshots to its own samples when it renders ``/metrics``; when a lane's process is
replaced (another pid), the previous process's last snapshot is kept as a base, so the
counters stay monotonic. Counts of the last second before a process is killed are lost.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry
from prometheus_client.metrics_core import Metric
from prometheus_client.samples import Sample

log = logging.getLogger("socialscope.intake")

SHARED_FAMILIES = frozenset({"requests", "request_seconds", "webhook_rejected"})
SNAPSHOT = "telemetry.json"

Key = tuple[str, tuple[tuple[str, str], ...]]


def _key(name: str, labels: Mapping[str, str]) -> Key:
    return name, tuple(sorted(labels.items()))


def snapshot(registry: CollectorRegistry) -> dict[Key, float]:
    """The shared families' samples (no `_created` timestamps)."""
    out: dict[Key, float] = {}
    for family in registry.collect():
        if family.name not in SHARED_FAMILIES:
            continue
        for s in family.samples:
            if not s.name.endswith("_created"):
                out[_key(s.name, s.labels)] = float(s.value)
    return out


def write_snapshot(path: Path, registry: CollectorRegistry) -> None:
    """Atomically replace `path` with this process's counts."""
    samples = snapshot(registry).items()
    doc = {"pid": os.getpid(), "samples": [[n, dict(lbl), v] for (n, lbl), v in samples]}
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(doc), encoding="utf-8")
    os.replace(tmp, path)


class SnapshotWriter:
    """Writes the snapshot every `every` seconds from a daemon thread, and on `stop`."""

    def __init__(self, path: Path, registry: CollectorRegistry, every: float = 1.0) -> None:
        self.path = path
        self.registry = registry
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="telemetry-snapshot", daemon=True)

    def start(self) -> SnapshotWriter:
        self._thread.start()
        return self

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            self._write()

    def _write(self) -> None:
        try:
            write_snapshot(self.path, self.registry)
        except OSError as exc:
            log.warning("cannot write the telemetry snapshot (%s)", type(exc).__name__)

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        self._write()


class SnapshotReader:
    """The sum of every intake process's counts, past processes of a lane included."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._current: dict[str, tuple[int, dict[Key, float]]] = {}
        self._retired: dict[Key, float] = {}
        self._lock = threading.Lock()

    def totals(self) -> dict[Key, float]:
        with self._lock:
            for path in sorted(self.root.glob(f"w*/{SNAPSHOT}")):
                try:
                    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue
                pid = int(doc.get("pid", 0))
                samples = {_key(str(n), labels): float(v) for n, labels, v in doc["samples"]}
                lane = path.parent.name
                before = self._current.get(lane)
                if before is not None and before[0] != pid:
                    for key, value in before[1].items():
                        self._retired[key] = self._retired.get(key, 0.0) + value
                self._current[lane] = (pid, samples)
            out = dict(self._retired)
            for _, samples in self._current.values():
                for key, value in samples.items():
                    out[key] = out.get(key, 0.0) + value
            return out


class Merged:
    """A registry view whose shared families include the external counts."""

    def __init__(
        self, registry: CollectorRegistry, external: Callable[[], Mapping[Key, float]]
    ) -> None:
        self.registry = registry
        self.external = external

    def collect(self) -> Iterator[Metric]:
        extra = dict(self.external())
        for family in self.registry.collect():
            if family.name in SHARED_FAMILIES and extra:
                samples = []
                for s in family.samples:
                    add = extra.pop(_key(s.name, s.labels), 0.0)
                    samples.append(s._replace(value=s.value + add) if add else s)
                prefix = family.name + "_"
                for (name, labels), value in list(extra.items()):
                    if name.startswith(prefix) or name == family.name:
                        samples.append(Sample(name, dict(labels), value, None, None))
                        del extra[(name, labels)]
                family.samples = samples
            yield family
