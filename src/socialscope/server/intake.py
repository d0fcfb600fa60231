"""Webhook intake in processes of their own, beside the process that owns the store.

Layout (``server.intake_workers`` ≥ 1, the default)::

    public port ──► intake process w1 … wN (share the listening socket)
                       POST /webhooks/*: size → signature → parse → own inbox lane → 200
                       anything else ──► owner's Unix socket  (<db>.sock)
    owner process:  drains every lane into the store; serves the API and the dashboard

The owner binds the public port (so a port in use fails at once, in the owner), starts
the intake processes with the socket (multiprocessing, *spawn*: nothing of the owner's
DuckDB state is forked) and watches them: one that dies is reported (log, the Prometheus
counter ``intake_restarts_total``) and started again on the same lane and socket;
connections wait in the socket's backlog meanwhile. An intake process exits when the
owner dies (``PR_SET_PDEATHSIG``, and a parent check as a fallback), so a killed owner
never leaves the port served by orphans. What an intake process acknowledged is on disk
in its lane and is drained at the owner's next start.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import socket
import threading
import time
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from socialscope.config import Config
from socialscope.server.lanes import lane_dir, lane_name
from socialscope.server.shared_telemetry import SNAPSHOT

log = logging.getLogger("socialscope.intake")

PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class IntakeSpec:
    """What one intake process needs (pickled to it)."""

    config: Config
    inbox_root: Path
    slot: int
    owner_uds: str
    owner_pid: int


def _die_with_parent(owner_pid: int) -> None:
    """Ask the kernel for SIGKILL when the owner dies; a watcher thread covers the race
    (the owner gone before the request) and platforms without prctl."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass

    def watch() -> None:
        while True:
            if os.getppid() != owner_pid:
                os.kill(os.getpid(), signal.SIGKILL)
            time.sleep(0.5)

    threading.Thread(target=watch, name="owner-watch", daemon=True).start()


def run_intake(spec: IntakeSpec, sock: socket.socket) -> None:
    """The body of an intake process: serve `sock` until SIGTERM/SIGINT."""
    _die_with_parent(spec.owner_pid)
    import uvicorn

    from socialscope.api.telemetry import Telemetry
    from socialscope.server.fastpath import WebhookFastPath
    from socialscope.server.inbox import Inbox
    from socialscope.server.proxy import OwnerProxy
    from socialscope.server.shared_telemetry import SnapshotWriter

    logging.basicConfig(level=logging.INFO, format="%(levelname)s:%(name)s: %(message)s")
    for name in ("httpx", "httpcore"):  # they log every proxied URL, query (secrets) included
        logging.getLogger(name).setLevel(logging.WARNING)
    lane = lane_dir(spec.inbox_root, lane_name(spec.slot))
    inbox = Inbox(lane)
    telemetry = Telemetry()
    writer = SnapshotWriter(lane / SNAPSHOT, telemetry.registry).start()
    app = WebhookFastPath(OwnerProxy(spec.owner_uds), spec.config, inbox, telemetry)
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        limit_concurrency=2048,
        timeout_keep_alive=30,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        inbox.close()
        writer.stop()


class IntakePool:
    """The intake processes of one owner: start, watch (restart the dead), stop."""

    def __init__(
        self,
        config: Config,
        inbox_root: Path,
        sock: socket.socket,
        owner_uds: str,
        workers: int,
        telemetry: Any = None,
    ) -> None:
        self.config = config
        self.inbox_root = inbox_root
        self.sock = sock
        self.owner_uds = owner_uds
        self.workers = workers
        self._ctx = multiprocessing.get_context("spawn")
        self._procs: dict[int, BaseProcess] = {}
        self._stopping = threading.Event()
        self._stopped = threading.Event()
        self._watcher: threading.Thread | None = None
        self.restarts = 0
        self._restarts_counter: Any = None
        if telemetry is not None:
            from prometheus_client import Counter, Gauge

            self._restarts_counter = Counter(
                "intake_restarts_total",
                "Intake processes that died and were started again.",
                registry=telemetry.registry,
            )
            alive = Gauge(
                "intake_processes", "Intake processes running.", registry=telemetry.registry
            )
            alive.set_function(lambda: float(len(self.alive())))

    def _spawn(self, slot: int) -> BaseProcess:
        spec = IntakeSpec(self.config, self.inbox_root, slot, self.owner_uds, os.getpid())
        proc = self._ctx.Process(
            target=run_intake, args=(spec, self.sock), name=f"socialscope-intake-{slot}"
        )
        proc.start()
        return proc

    def start(self) -> None:
        for slot in range(1, self.workers + 1):
            lane_dir(self.inbox_root, lane_name(slot)).mkdir(parents=True, exist_ok=True)
            self._procs[slot] = self._spawn(slot)
        self._watcher = threading.Thread(target=self._watch, name="intake-watch", daemon=True)
        self._watcher.start()

    def alive(self) -> list[int]:
        """The pids of the running intake processes."""
        return [p.pid for p in self._procs.values() if p.pid is not None and p.is_alive()]

    def _watch(self) -> None:
        # also the parent thread of restarted processes: it lives as long as the pool
        while not self._stopping.wait(0.2):
            for slot, proc in list(self._procs.items()):
                if proc.is_alive() or self._stopping.is_set():
                    continue
                code = proc.exitcode
                log.error(
                    "intake process %s (pid %s) exited with %s; starting it again",
                    slot,
                    proc.pid,
                    code,
                )
                proc.close()
                self.restarts += 1
                if self._restarts_counter is not None:
                    self._restarts_counter.inc()
                self._procs[slot] = self._spawn(slot)
        # Linux sends PR_SET_PDEATHSIG when the *thread* that started a process ends: stay
        # until the processes this thread restarted have stopped.
        self._stopped.wait()

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM every intake process (they finish the requests in flight), then wait."""
        self._stopping.set()
        time.sleep(0.25)  # the watcher's last round (it restarts nothing once stopping)
        for proc in self._procs.values():
            if proc.is_alive() and proc.pid is not None:
                os.kill(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for proc in self._procs.values():
            proc.join(max(0.0, deadline - time.monotonic()))
            if proc.is_alive():
                proc.kill()
                proc.join()
        self._stopped.set()
        if self._watcher is not None:
            self._watcher.join()


def listen(host: str, port: int, backlog: int = 2048) -> socket.socket:
    """The public listening socket (bound here, served by the intake processes)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(backlog)
    sock.set_inheritable(True)
    return sock


def owner_socket_path(db: Path) -> Path:
    """The owner's Unix socket, beside the store (a short name: paths are limited to
    about 100 bytes, so a long store path falls back to the temp directory)."""
    path = db.with_name(db.name + ".sock")
    if len(str(path)) < 100:
        return path
    import hashlib
    import tempfile

    digest = hashlib.sha256(str(db.resolve()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"socialscope-{digest}.sock"
