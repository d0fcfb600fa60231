"""Live ingest under load: signed LINE and Meta webhook batches against `socialscope serve`.

    python -m benchmarks.run --only webhooks [--scale tiny|small|full]
    python -m benchmarks.webhooks [--scale ...] [--rate 2000] [--keep DIR]

A real ``socialscope serve`` process on loopback, over a fresh store, configured with
several shops (the first one with the test secrets and ids of ``../shared/webhooks``),
receives requests from :mod:`benchmarks.loadgen` (asyncio + uvloop, pre-built request
bytes, kept-alive connections) in two phases:

* **paced** — an open loop at ``rate`` requests/s (2,000): latency percentiles measured
  from each request's scheduled time, ingest lag, the server's CPU;
* **closed** — ``connections`` connections sending back to back: the maximum req/s.

Half the requests are LINE (1–5 message events per request), half Meta (Messenger page
messages, some Instagram; 1–5 entries per request); every event id is unique and the
texts are Chinese with emoji. *Ingest lag* is measured with marker requests (one every
0.5 s, to a shop of their own, each a new customer's first message): from the marker's
acknowledgement until a metric query (``GET /api/v1/query?metrics=inbound_messages``)
counts it. After the load the benchmark waits until the server has stored every
acknowledged event, stops it (SIGTERM: it drains and closes the store), opens the store
read-only and checks that every acknowledged event is in ``messages`` and in the webhook
event log exactly once.

The **reference**, measured in the same run by the same load generator with the same
requests: a FastAPI app with one POST route that reads the body and answers 200 JSON (no
signature, no inbox), in its own process under uvicorn with the server's settings — the
floor of the HTTP stack socialscope runs on. socialscope's figures are reported as ratios
to it.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import math
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import numpy as np
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from rich.console import Console
from rich.table import Table

from benchmarks import loadgen
from benchmarks.loadgen import Phase

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
MANIFEST_PATH = SHARED / "webhooks" / "manifest.json"
HOST = "127.0.0.1"
ADMIN_KEY = "bench-admin-key-0123456789abcdef"
LAG_SHOP = "bench_lag"
HISTORY_PREFIX = "history:"
"""Event ids of the messages imported before the server starts (not checked for loss)."""

RPS_TARGET = 2000.0  # closed loop, requests/s
P99_TARGET_MS = 250.0  # paced at 2,000 requests/s
LAG_TARGET_S = 2.0  # acknowledgement -> visible to a query, max over the paced run

LINE, MESSENGER, INSTAGRAM = 0, 1, 2
PLATFORM_NAMES = ("line", "messenger", "instagram")
CLK_TCK = os.sysconf("SC_CLK_TCK")

TEXTS = (
    "請問這件外套還有黑色M嗎？😍 想直接下單",
    "+1 我要兩件",
    "運費怎麼算？台中可以店到店嗎",
    "สวัสดีค่ะ ขอดูไซส์ L ได้ไหม",
    "已匯款，末五碼 12345，麻煩確認 🙏",
    "這個顏色跟照片一樣嗎？有實拍圖嗎",
    "直播那件格紋裙還有貨嗎？#3",
    "謝謝！收到了 ❤️",
    "可以改地址嗎？寄到公司 台北市信義區",
    "請問尺寸表🙂 身高160體重50穿哪個",
)


# -- settings ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Settings:
    """How long and how hard each phase runs."""

    duration_s: float
    rate: float = 2000.0
    """Requests/s of the paced run."""
    connections: int = 64
    """Connections of the closed loop and of the paced run's pool."""
    closed_prepared_per_s: float = 5000.0
    """Requests prepared per second of the closed loop (it ends early if they run out)."""
    shops: int = 4
    customers_per_shop: int = 2000
    """Customers per shop and platform (LINE, Messenger, Instagram) the load picks from."""
    history_per_customer: int = 3
    """Messages every pool customer already has in the store before the server starts
    (customer, agent reply, customer, ... over the last 30 days): the shops have history,
    as in production, and a batch touches a small share of a shop's threads."""
    warmup_requests: int = 300
    marker_every_s: float = 0.5
    poll_interval_s: float = 0.1
    scrape_interval_s: float = 1.0
    timeout_s: float = 10.0
    reference: bool = True
    lag_grace_s: float = 20.0
    drain_timeout_s: float = 180.0
    intake_workers: int | None = None
    """`server.intake_workers` of the server under test (None: its default)."""


SETTINGS: dict[str, Settings] = {
    "tiny": Settings(3.0),
    "small": Settings(10.0),
    "full": Settings(30.0),
}


# -- shops and the configuration -------------------------------------------------------------
@dataclass(frozen=True)
class BenchShop:
    shop_id: str
    name: str
    timezone: str
    line_secret: str
    bot_user_id: str
    page_id: str
    instagram_id: str


def manifest() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))
    return data


def bench_shops(n: int, man: dict[str, Any]) -> list[BenchShop]:
    """`n` load shops (the first with the manifest's LINE channel, Page and IG account)
    and, last, the shop the lag markers go to. One Meta app (the manifest's secret) serves
    every shop's Page, as one app does in production; every LINE channel has its own
    secret."""
    ids, secrets = man["ids"], man["secrets"]
    shops = [
        BenchShop(
            "alley_closet",
            "Alley Closet 小巷衣櫥",
            "Asia/Taipei",
            secrets["line_channel_secret"],
            ids["line_bot_user_id"],
            str(ids["facebook_page_id"]),
            str(ids["instagram_account_id"]),
        )
    ]
    zones = ("Asia/Taipei", "Asia/Bangkok", "UTC", "America/New_York")
    for k in range(1, n + 1):
        shop_id = LAG_SHOP if k == n else f"bench_shop_{k}"
        seed = hashlib.sha256(f"socialscope-bench-{shop_id}".encode()).hexdigest()
        shops.append(
            BenchShop(
                shop_id,
                f"Bench shop {k} 測試商店",
                "UTC" if k == n else zones[k % len(zones)],
                seed[:32],
                "U" + seed[32:64],
                str(104857600200000 + k),
                str(17841400200000000 + k),
            )
        )
    return shops


def config_toml(
    shops: Sequence[BenchShop], man: dict[str, Any], intake_workers: int | None = None
) -> str:
    """The server's TOML: the admin key, the intake processes (when set; else the
    server's default), then every shop with its LINE and Meta secrets."""
    secrets, ids = man["secrets"], man["ids"]
    parts = [f'admin_key = "{ADMIN_KEY}"']
    if intake_workers is not None:
        parts += ["", "[server]", f"intake_workers = {intake_workers}"]
    for shop in shops:
        parts += [
            "",
            "[[shops]]",
            f'shop_id = "{shop.shop_id}"',
            f'name = "{shop.name}"',
            f'timezone = "{shop.timezone}"',
            "",
            "[shops.line]",
            f'channel_secret = "{shop.line_secret}"',
            f'bot_user_id = "{shop.bot_user_id}"',
            "",
            "[shops.meta]",
            f'app_secret = "{secrets["meta_app_secret"]}"',
            f'verify_token = "{secrets["meta_verify_token"]}"',
            f'page_ids = ["{shop.page_id}"]',
            f'instagram_ids = ["{shop.instagram_id}"]',
            f'bot_app_ids = ["{ids["meta_app_id"]}"]',
        ]
    return "\n".join(parts) + "\n"


# -- requests ------------------------------------------------------------------------------
def line_message_id(phase: int, i: int, k: int) -> str:
    return f"9{phase}{i:09d}{k}"


def line_event_id(phase: int, i: int, k: int) -> str:
    return f"01BENCH{phase}{i:09d}{k}00000000"


def meta_mid(platform: int, phase: int, i: int, k: int) -> str:
    if platform == INSTAGRAM:
        return f"aWdfZAGbench{phase}x{i:09d}x{k}"
    return f"m_bench{phase}.{i:09d}.{k}"


def event_keys(platform: int, phase: int, i: int, k: int) -> tuple[str, str]:
    """(messages.event_id, _webhook_events.dedupe_key) of event k of request i."""
    if platform == LINE:
        return (
            f"line:msg:{line_message_id(phase, i, k)}",
            f"line:event:{line_event_id(phase, i, k)}",
        )
    prefix = "instagram" if platform == INSTAGRAM else "messenger"
    key = f"{prefix}:mid:{meta_mid(platform, phase, i, k)}"
    return key, key


def _meta_json(doc: Any) -> bytes:
    """As Meta sends it: non-ASCII escaped as \\uXXXX and '/' as '\\/'."""
    return json.dumps(doc, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/").encode()


@dataclass
class Plan:
    """The requests of one phase, and what each carries (to check the store afterwards)."""

    phase: int
    name: str
    requests: list[bytes] = field(default_factory=list)
    platform: bytearray = field(default_factory=bytearray)
    shop: bytearray = field(default_factory=bytearray)
    events: bytearray = field(default_factory=bytearray)
    markers: dict[int, str] = field(default_factory=dict)
    """Request index -> customer id of the lag markers (in send order)."""

    def keys(self, i: int, shops: Sequence[BenchShop]) -> Iterator[tuple[str, str, str]]:
        """(shop_id, event_id, dedupe_key) of every event of request i."""
        shop_id = shops[self.shop[i]].shop_id
        for k in range(self.events[i]):
            event_id, dedupe = event_keys(self.platform[i], self.phase, i, k)
            yield shop_id, event_id, dedupe

    def count_events(self, indexes: Sequence[int] | range | None = None) -> int:
        idx = range(len(self.requests)) if indexes is None else indexes
        return sum(self.events[i] for i in idx)


class Builder:
    """Signed request bytes, deterministic for a seed."""

    def __init__(self, shops: Sequence[BenchShop], man: dict[str, Any], settings: Settings):
        self.shops = shops
        self.load_shops = len(shops) - 1  # the last one is the lag markers' shop
        self.meta_secret = man["secrets"]["meta_app_secret"].encode()
        self.customers = settings.customers_per_shop
        self.host = HOST

    def _headers_line(self, body: bytes, secret: str) -> list[tuple[str, str]]:
        sig = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
        return [
            ("Content-Type", "application/json; charset=utf-8"),
            ("User-Agent", "LineBotWebhook/2.0"),
            ("X-Line-Signature", sig.decode()),
        ]

    def _headers_meta(self, body: bytes) -> list[tuple[str, str]]:
        sha256 = hmac.new(self.meta_secret, body, hashlib.sha256).hexdigest()
        sha1 = hmac.new(self.meta_secret, body, hashlib.sha1).hexdigest()
        return [
            ("Content-Type", "application/json"),
            ("User-Agent", "facebookexternalua"),
            ("X-Hub-Signature", f"sha1={sha1}"),
            ("X-Hub-Signature-256", f"sha256={sha256}"),
        ]

    def line(
        self, phase: int, i: int, shop: BenchShop, n: int, ts_ms: int, customers: Sequence[str]
    ) -> bytes:
        events = []
        for k in range(n):
            user = customers[k % len(customers)]
            events.append(
                {
                    "type": "message",
                    "mode": "active",
                    "timestamp": ts_ms + k,
                    "webhookEventId": line_event_id(phase, i, k),
                    "deliveryContext": {"isRedelivery": False},
                    "source": {"type": "user", "userId": user},
                    "replyToken": hashlib.md5(f"{phase}.{i}.{k}".encode()).hexdigest(),
                    "message": {
                        "type": "text",
                        "id": line_message_id(phase, i, k),
                        "quoteToken": f"q{phase}{i}{k}",
                        "text": TEXTS[(i + k) % len(TEXTS)],
                    },
                }
            )
        body = json.dumps(
            {"destination": shop.bot_user_id, "events": events},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        return loadgen.request_bytes(
            "POST", "/webhooks/line", self.host, self._headers_line(body, shop.line_secret), body
        )

    def meta(
        self,
        platform: int,
        phase: int,
        i: int,
        shop: BenchShop,
        n: int,
        ts_ms: int,
        customers: Sequence[str],
    ) -> bytes:
        account = shop.instagram_id if platform == INSTAGRAM else shop.page_id
        entries = []
        for k in range(n):
            entries.append(
                {
                    "id": account,
                    "time": ts_ms + k + 300,
                    "messaging": [
                        {
                            "sender": {"id": customers[k % len(customers)]},
                            "recipient": {"id": account},
                            "timestamp": ts_ms + k,
                            "message": {
                                "mid": meta_mid(platform, phase, i, k),
                                "text": TEXTS[(i + k + 3) % len(TEXTS)],
                            },
                        }
                    ],
                }
            )
        surface = "instagram" if platform == INSTAGRAM else "page"
        body = _meta_json({"object": surface, "entry": entries})
        return loadgen.request_bytes(
            "POST", "/webhooks/meta", self.host, self._headers_meta(body), body
        )

    def customer(self, platform: int, shop_index: int, c: int) -> str:
        if platform == LINE:
            return "U" + hashlib.md5(f"c{shop_index}.{c}".encode()).hexdigest()
        base = 2400000000000000 if platform == MESSENGER else 17000000000000000
        return str(base + shop_index * 100_000 + c)

    def plan(
        self,
        phase: int,
        name: str,
        count: int,
        *,
        rate: float,
        seed: int,
        marker_every: int = 0,
        start_ms: int | None = None,
    ) -> Plan:
        """`count` requests: 50 % LINE, 40 % Messenger, 10 % Instagram, 1–5 events each,
        spread over the load shops; every `marker_every`-th one a lag marker."""
        rng = random.Random(seed)
        plan = Plan(phase, name)
        base = start_ms if start_ms is not None else int(time.time() * 1000)
        marker_no = 0
        for i in range(count):
            ts_ms = base + int(i * 1000 / rate)
            roll = rng.random()
            platform = LINE if roll < 0.5 else MESSENGER if roll < 0.9 else INSTAGRAM
            if marker_every and i % marker_every == marker_every // 2:
                shop_index = len(self.shops) - 1
                platform = LINE if marker_no % 2 == 0 else MESSENGER
                n = 1
                customer = self.customer(platform, shop_index, 10_000 + phase * 1000 + marker_no)
                customers = [customer]
                plan.markers[i] = customer
                marker_no += 1
            else:
                shop_index = rng.randrange(self.load_shops)
                n = rng.randint(1, 5)
                customers = [
                    self.customer(platform, shop_index, rng.randrange(self.customers))
                    for _ in range(n)
                ]
            shop = self.shops[shop_index]
            if platform == LINE:
                raw = self.line(phase, i, shop, n, ts_ms, customers)
            else:
                raw = self.meta(platform, phase, i, shop, n, ts_ms, customers)
            plan.requests.append(raw)
            plan.platform.append(platform)
            plan.shop.append(shop_index)
            plan.events.append(n)
        return plan


# -- history ---------------------------------------------------------------------------------
def seed_history(db: Path, shops: Sequence[BenchShop], builder: Builder, s: Settings) -> int:
    """Import past conversations of every pool customer with socialscope's own loader (the
    shops first, as the server's config sync would); the number of message rows."""
    import pyarrow as pa

    from socialscope.ingest.loader import ingest_arrow
    from socialscope.store.duckdb import Store

    channels = {LINE: "line", MESSENGER: "facebook", INSTAGRAM: "instagram"}
    now = datetime.now(UTC).replace(microsecond=0)
    rows: dict[str, list[str | None]] = {
        k: []
        for k in (
            "shop_id",
            "event_id",
            "channel",
            "customer_id",
            "ts",
            "sender",
            "staff_id",
            "text",
        )
    }
    for shop_index in range(len(shops) - 1):  # not the markers' shop
        for platform, channel in channels.items():
            for c in range(s.customers_per_shop):
                customer = builder.customer(platform, shop_index, c)
                start = now - timedelta(days=1 + (c * 7919 + platform * 31) % 29, hours=c % 11)
                for m in range(s.history_per_customer):
                    agent = m % 2 == 1
                    rows["shop_id"].append(shops[shop_index].shop_id)
                    rows["event_id"].append(f"{HISTORY_PREFIX}{platform}:{c}:{m}")
                    rows["channel"].append(channel)
                    rows["customer_id"].append(customer)
                    ts = start + timedelta(seconds=90 * m + (c % 5) * 20)
                    rows["ts"].append(ts.isoformat().replace("+00:00", "Z"))
                    rows["sender"].append("agent" if agent else "customer")
                    rows["staff_id"].append(f"staff_{c % 4}" if agent else None)
                    rows["text"].append(TEXTS[(c + m) % len(TEXTS)])
    shop_rows = {
        "shop_id": [sh.shop_id for sh in shops],
        "name": [sh.name for sh in shops],
        "timezone": [sh.timezone for sh in shops],
        "currency": ["USD" for _ in shops],
    }
    store = Store(db)
    try:
        ingest_arrow(
            store,
            {"shops": pa.table(shop_rows), "messages": pa.table(rows)},
            source="bench-history",
        )
    finally:
        store.close()
    return len(rows["event_id"])


# -- processes -----------------------------------------------------------------------------
def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int, tid: int | None = None) -> float:
    """utime + stime of a process (all its threads), or of one of its threads, from
    /proc/<pid>/stat or /proc/<pid>/task/<tid>/stat."""
    path = f"/proc/{pid}/stat" if tid is None else f"/proc/{pid}/task/{tid}/stat"
    with open(path, "rb") as fh:
        fields = fh.read().rsplit(b")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (the intake processes of `socialscope serve`)."""
    out = [pid]
    for p in out:
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    out.extend(int(c) for c in fh.read().split())
        except OSError:
            continue
    return out


def tree_cpu(pid: int) -> dict[int, float]:
    """CPU seconds of `pid` and of each of its descendants, by pid."""
    out = {}
    for p in process_tree(pid):
        with suppress(OSError):
            out[p] = cpu_seconds(p)
    return out


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    with open("/proc/stat") as fh:
        values = [int(v) for v in fh.readline().split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    total = sum(values[:8])
    return (total - idle) / CLK_TCK, total / CLK_TCK


@dataclass
class CpuWindow:
    """CPU used by the server, this process and the machine between two points."""

    pid: int
    t0: float = 0.0
    server0: dict[int, float] = field(default_factory=dict)
    main0: float = 0.0
    self0: float = 0.0
    busy0: float = 0.0
    total0: float = 0.0

    def start(self) -> CpuWindow:
        self.t0 = time.perf_counter()
        self.server0 = tree_cpu(self.pid)
        self.main0 = cpu_seconds(self.pid, self.pid)
        self.self0 = cpu_seconds(os.getpid())
        self.busy0, self.total0 = machine_busy()
        return self

    def stop(self, requests: int) -> dict[str, Any]:
        wall = time.perf_counter() - self.t0
        tree = tree_cpu(self.pid)
        owner = tree.get(self.pid, 0.0) - self.server0.get(self.pid, 0.0)
        server = sum(v - self.server0.get(p, 0.0) for p, v in tree.items())
        main = cpu_seconds(self.pid, self.pid) - self.main0
        client = cpu_seconds(os.getpid()) - self.self0
        busy, total = machine_busy()
        busy -= self.busy0
        total -= self.total0

        def per_1k(cpu: float) -> float | None:
            return round(1000 * cpu / requests, 4) if requests else None

        return {
            "wall_s": round(wall, 3),
            "server_cpu_s": round(server, 3),
            "server_cpu_pct_of_one_core": round(100 * server / wall, 1) if wall else None,
            "server_cpu_s_per_1k_requests": per_1k(server),
            "server_processes": len(tree),
            "owner_process_cpu_s_per_1k_requests": per_1k(owner),
            "intake_processes_cpu_s_per_1k_requests": per_1k(server - owner),
            "server_main_thread_cpu_s_per_1k_requests": per_1k(main),
            "server_other_threads_cpu_s_per_1k_requests": per_1k(max(0.0, owner - main)),
            "loadgen_cpu_s": round(client, 3),
            "loadgen_cpu_pct_of_one_core": round(100 * client / wall, 1) if wall else None,
            "machine_busy_pct": round(100 * busy / total, 1) if total else None,
            "machine_cores": os.cpu_count(),
            "other_processes_cores": round((busy - server - client) / wall, 2) if wall else None,
        }


class Process:
    """A server child process with its log file."""

    def __init__(self, name: str, args: Sequence[str], log: Path, env: dict[str, str] | None):
        self.name = name
        self.args = list(args)
        self.log = log
        self.env = env
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self, port: int, timeout: float = 60.0) -> None:
        self.port = port
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                self.args,
                cwd=ROOT,
                env={**os.environ, "PYTHONUNBUFFERED": "1", **(self.env or {})},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited early:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} did not start within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self, timeout: float = 120.0) -> int | None:
        """SIGTERM and wait (SIGKILL after `timeout`); the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def socialscope_process(db: Path, config: Path, log: Path) -> Process:
    code = "from socialscope.cli.main import main; main()"
    args = [sys.executable, "-c", code, "--db", str(db), "serve", "--config", str(config)]
    return Process("socialscope serve", args, log, None)


def reference_process(log: Path) -> Process:
    code = "import sys; from benchmarks.webhooks import serve_reference; serve_reference()"
    return Process("reference", [sys.executable, "-c", code], log, None)


def reference_app() -> FastAPI:
    """FastAPI, one POST route: read the body, answer 200 JSON. Nothing else."""
    app = FastAPI()

    @app.post("/webhooks/{platform}")
    async def webhook(platform: str, request: Request) -> JSONResponse:
        await request.body()
        return JSONResponse({"status": "ok", "events": 0, "request_id": uuid.uuid4().hex})

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    return app


def serve_reference() -> None:
    """The reference server (``--port`` given as the last argument), with the same uvicorn
    settings as `socialscope serve` (socialscope.server.runtime.serve)."""
    import uvicorn

    port = int(sys.argv[-1])
    uvicorn.run(
        reference_app(),
        host=HOST,
        port=port,
        log_level="info",
        access_log=False,
        limit_concurrency=2048,
        timeout_keep_alive=30,
    )


# -- watchers: lag markers and the server's own gauges -------------------------------------
@dataclass
class MarkerPoller:
    """Polls a metric query on the markers' shop until it counts each acked marker.

    Markers are the only traffic of their shop and are sent 0.5 s apart, and the server
    stores requests in inbox (acknowledgement) order, so when the query counts n messages
    the first n markers are visible: marker n's lag is the time from its acknowledgement
    to the end of the first poll that counted n (an upper bound, within one poll)."""

    plan: Plan
    port: int
    interval: float
    baseline: int = 0
    """Marker messages the shop held before this phase."""
    seen_at: dict[int, float] = field(default_factory=dict)
    polls: int = 0
    poll_errors: int = 0
    poll_ms: list[float] = field(default_factory=list)

    def request(self) -> bytes:
        today = datetime.now(UTC).date()
        query = urlencode(
            {
                "metrics": "inbound_messages",
                "shop": LAG_SHOP,
                "from": (today - timedelta(days=2)).isoformat(),
                "to": (today + timedelta(days=2)).isoformat(),
            }
        )
        return loadgen.request_bytes(
            "GET",
            f"/api/v1/query?{query}",
            HOST,
            [("Authorization", f"Bearer {ADMIN_KEY}"), ("Accept", "application/json")],
        )

    async def __call__(self, phase: Phase, done: asyncio.Event) -> None:
        order = sorted(self.plan.markers)
        raw = self.request()
        conn = loadgen.Connection(HOST, self.port)
        try:
            while True:
                acked = [i for i in order if not math.isnan(phase.acked_at[i])]
                waiting = [i for i in acked if i not in self.seen_at]
                if done.is_set() and not waiting:
                    return
                if waiting:
                    t0 = time.perf_counter()
                    try:
                        status, body = await conn.request(raw)
                    except (OSError, asyncio.IncompleteReadError, loadgen.HTTPError):
                        status, body = -1, b""
                    now = time.perf_counter()
                    self.polls += 1
                    self.poll_ms.append((now - t0) * 1000)
                    count = count_from(body) if status == 200 else None
                    if count is None:
                        self.poll_errors += 1
                    else:
                        visible = count - self.baseline
                        # inbox order = acknowledgement order (the markers are 0.5 s apart)
                        by_ack = sorted(acked, key=lambda i: phase.acked_at[i])
                        for i in by_ack[: max(0, visible)]:
                            self.seen_at.setdefault(i, now)
                await asyncio.sleep(self.interval)
        finally:
            conn.close()

    def lags(self, phase: Phase) -> dict[str, Any]:
        acked = [i for i in self.plan.markers if not math.isnan(phase.acked_at[i])]
        lags = [self.seen_at[i] - phase.acked_at[i] for i in acked if i in self.seen_at]
        unseen = len(acked) - len(lags)
        arr = np.asarray(lags) if lags else np.asarray([math.nan])
        sent = [i for i in self.plan.markers if phase.status[i] != loadgen.NOT_SENT]
        return {
            "markers_sent": len(sent),
            "markers_acked": len(acked),
            "markers_unseen": unseen,
            "lag_p50_s": round(float(np.percentile(arr, 50)), 3),
            "lag_p95_s": round(float(np.percentile(arr, 95)), 3),
            "lag_max_s": math.inf if unseen else round(float(arr.max()), 3),
            "polls": self.polls,
            "poll_errors": self.poll_errors,
            "poll_interval_s": self.interval,
            "poll_p50_ms": round(float(np.percentile(self.poll_ms, 50)), 1)
            if self.poll_ms
            else None,
            "method": "markers (one every 0.5 s, own shop, new customer each): acknowledgement "
            "-> a GET /api/v1/query?metrics=inbound_messages answer that counts the marker",
        }


def marker_count(port: int) -> int:
    """What the markers' query counts now (before a phase)."""
    req = MarkerPoller(Plan(0, "none"), port, 0).request()
    head, _, _ = req.partition(b"\r\n")
    path = head.split(b" ")[1].decode()
    request = urllib.request.Request(
        f"http://{HOST}:{port}{path}", headers={"Authorization": f"Bearer {ADMIN_KEY}"}
    )
    with urllib.request.urlopen(request, timeout=30) as r:
        count = count_from(r.read())
    if count is None:
        raise RuntimeError("the markers' query gave no count")
    return count


def count_from(body: bytes) -> int | None:
    """The inbound_messages value of a one-row query answer."""
    try:
        rows = json.loads(body)
        value = rows[0]["inbound_messages"] if rows else 0
        return int(value or 0)
    except (ValueError, KeyError, IndexError, TypeError):
        return None


@dataclass
class Scraper:
    """Reads the server's Prometheus gauges every `interval` seconds during a phase."""

    port: int
    interval: float
    samples: list[tuple[float, float, float]] = field(default_factory=list)
    """(seconds since start, ingest_lag_seconds, events_stored_total)."""

    async def __call__(self, phase: Phase, done: asyncio.Event) -> None:
        conn = loadgen.Connection(HOST, self.port)
        raw = loadgen.request_bytes("GET", "/metrics", HOST)
        t0 = time.perf_counter()
        try:
            while not done.is_set():
                try:
                    status, body = await conn.request(raw)
                except (OSError, asyncio.IncompleteReadError, loadgen.HTTPError):
                    status, body = -1, b""
                if status == 200:
                    gauges = prometheus_values(body.decode())
                    self.samples.append(
                        (
                            time.perf_counter() - t0,
                            gauges.get("ingest_lag_seconds", math.nan),
                            gauges.get("events_stored_total", math.nan),
                        )
                    )
                with suppress(TimeoutError):
                    await asyncio.wait_for(done.wait(), self.interval)
        finally:
            conn.close()

    def summary(self) -> dict[str, Any]:
        lags = [s[1] for s in self.samples if not math.isnan(s[1])]
        return {
            "scrapes": len(self.samples),
            "ingest_lag_seconds_gauge_max": round(max(lags), 3) if lags else None,
            "note": "the server's gauge: receipt of the oldest request of a batch -> the "
            "batch stored (sampled every second)",
        }


def cpu_watcher(cpu: CpuWindow, box: dict[str, Any]) -> loadgen.Watcher:
    """Closes the CPU window (into `box`) the moment the load is done."""

    async def watch(phase: Phase, done: asyncio.Event) -> None:
        await done.wait()
        box.update(cpu.stop(phase.ok))

    return watch


def prometheus_values(text: str) -> dict[str, float]:
    """Metric name -> value, summed over labels (comments skipped)."""
    out: dict[str, float] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        name_labels, _, value = line.rpartition(" ")
        name = name_labels.split("{", 1)[0]
        try:
            out[name] = out.get(name, 0.0) + float(value)
        except ValueError:
            continue
    return out


def stored_events(port: int) -> float:
    with urllib.request.urlopen(f"http://{HOST}:{port}/metrics", timeout=10) as r:
        return prometheus_values(r.read().decode()).get("events_stored_total", 0.0)


def wait_stored(port: int, expected: int, timeout: float) -> tuple[bool, float]:
    """Wait until the server has stored `expected` events; (reached, seconds waited)."""
    t0 = time.perf_counter()
    while True:
        got = stored_events(port)
        waited = time.perf_counter() - t0
        if got >= expected:
            return True, waited
        if waited > timeout:
            return False, waited
        time.sleep(0.05)


# -- the store check ----------------------------------------------------------------------------
def acked_and_sent(
    phases: Sequence[tuple[Plan, Phase]], shops: Sequence[BenchShop]
) -> tuple[set[tuple[str, str, str]], set[tuple[str, str, str]]]:
    """(events of 2xx-answered requests, events of requests sent but not acknowledged)."""
    acked: set[tuple[str, str, str]] = set()
    unacked: set[tuple[str, str, str]] = set()
    for plan, phase in phases:
        for i, status in enumerate(phase.status):
            if status == loadgen.NOT_SENT:
                continue
            target = acked if 200 <= status < 300 else unacked
            target.update(plan.keys(i, shops))
    return acked, unacked


def verify_store(
    db: Path, acked: set[tuple[str, str, str]], unacked: set[tuple[str, str, str]]
) -> dict[str, Any]:
    """Every acknowledged event stored exactly once: in `messages` (by shop and event_id)
    and in the webhook event log (by shop and dedupe key). The imported history is left
    out."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        messages = {
            (str(s), str(e)): int(n)
            for s, e, n in con.execute(
                "SELECT shop_id, event_id, count(*) FROM messages "
                f"WHERE NOT starts_with(event_id, '{HISTORY_PREFIX}') GROUP BY ALL"
            ).fetchall()
        }
        logged = {
            (str(s), str(k)): int(n)
            for s, k, n in con.execute(
                "SELECT shop_id, dedupe_key, count(*) FROM _webhook_events GROUP BY ALL"
            ).fetchall()
        }
        quarantined = con.execute("SELECT count(*) FROM _quarantine").fetchone()
    finally:
        con.close()
    missing_rows = sum(1 for s, e, _ in acked if (s, e) not in messages)
    missing_log = sum(1 for s, _, k in acked if (s, k) not in logged)
    dup_rows = sum(1 for n in messages.values() if n > 1)
    dup_log = sum(1 for n in logged.values() if n > 1)
    sent = {(s, e) for s, e, _ in acked} | {(s, e) for s, e, _ in unacked}
    unexpected = sum(1 for key in messages if key not in sent)
    stored_unacked = sum(1 for s, e, _ in unacked if (s, e) in messages)
    return {
        "acked_events": len(acked),
        "unacked_events_sent": len(unacked),
        "stored_message_rows": sum(messages.values()),
        "logged_events": sum(logged.values()),
        "acked_missing_from_messages": missing_rows,
        "acked_missing_from_event_log": missing_log,
        "message_rows_stored_twice": dup_rows,
        "event_log_entries_twice": dup_log,
        "unacked_but_stored": stored_unacked,
        "unexpected_rows": unexpected,
        "quarantined": int(quarantined[0]) if quarantined else 0,
        "lost": missing_rows + missing_log,
        "duplicated": dup_rows + dup_log,
    }


# -- the run ---------------------------------------------------------------------------------
def target(name: str, value: float, limit: float, *, at_most: bool, unit: str) -> dict[str, Any]:
    met = value <= limit if at_most else value >= limit
    return {
        "target": name,
        "value": value if math.isinf(value) else round(value, 4),
        "limit": limit,
        "comparison": "<=" if at_most else ">=",
        "unit": unit,
        "met": bool(met),
    }


@contextmanager
def workdir(keep: Path | None) -> Iterator[Path]:
    if keep is not None:
        if keep.exists():
            shutil.rmtree(keep)
        keep.mkdir(parents=True)
        yield keep
        return
    with tempfile.TemporaryDirectory(prefix="ss-bench-webhooks-") as tmp:
        yield Path(tmp)


Log = Callable[[str], None]


def _run_reference(
    work: Path, s: Settings, paced_plan: Plan, closed_plan: Plan, say: Log
) -> dict[str, Any]:
    proc = reference_process(work / "reference.log")
    port = free_port()
    proc.args.append(str(port))
    proc.start(port)
    try:
        say(f"  reference: warm-up, paced {s.rate:g}/s x {s.duration_s:g} s")
        loadgen.run(
            loadgen.closed_loop(
                HOST, port, paced_plan.requests[: s.warmup_requests], connections=8, duration=30
            )
        )
        cpu = CpuWindow(proc.pid).start()
        paced = loadgen.run(
            loadgen.paced(
                HOST,
                port,
                paced_plan.requests,
                connections=s.connections,
                rate=s.rate,
                timeout=s.timeout_s,
                name="reference paced",
            )
        )
        paced_cpu = cpu.stop(paced.ok)
        say(f"  reference: closed loop, {s.connections} connections x {s.duration_s:g} s")
        cpu = CpuWindow(proc.pid).start()
        # the reference stores nothing: the same requests may be sent twice
        closed = loadgen.run(
            loadgen.closed_loop(
                HOST,
                port,
                closed_plan.requests * 2,
                connections=s.connections,
                duration=s.duration_s,
                timeout=s.timeout_s,
                name="reference closed",
            )
        )
        closed_cpu = cpu.stop(closed.ok)
    finally:
        proc.stop()
    return {
        "what": "FastAPI app, one POST route reading the body and answering 200 JSON, under "
        "uvicorn with socialscope serve's settings, in its own process",
        "paced": {**paced.summary(), "cpu": paced_cpu},
        "closed": {**closed.summary(), "cpu": closed_cpu},
    }


@dataclass(frozen=True)
class Evidence:
    """What the store check used: the events of acknowledged and of unacknowledged
    requests, as (shop_id, event_id, dedupe_key), and the store file (gone unless kept)."""

    acked: set[tuple[str, str, str]]
    unacked: set[tuple[str, str, str]]
    db: Path


def bench_webhooks(
    scale: str,
    console: Console | None = None,
    *,
    settings: Settings | None = None,
    keep: Path | None = None,
) -> dict[str, Any]:
    """Run the benchmark; the results section (see the module docstring)."""
    return run_webhooks(scale, console, settings=settings, keep=keep)[0]


def run_webhooks(
    scale: str,
    console: Console | None = None,
    *,
    settings: Settings | None = None,
    keep: Path | None = None,
) -> tuple[dict[str, Any], Evidence]:
    """The results section and the evidence of the store check."""
    s = settings or SETTINGS[scale]
    out = console or Console()

    def say(text: str) -> None:
        out.print(text, highlight=False)

    man = manifest()
    shops = bench_shops(s.shops, man)
    builder = Builder(shops, man, s)
    marker_every = max(1, round(s.marker_every_s * s.rate))
    t_build = time.perf_counter()
    warm = builder.plan(1, "warmup", s.warmup_requests, rate=s.rate, seed=1)
    paced_n = round(s.rate * s.duration_s)
    paced_plan = builder.plan(2, "paced", paced_n, rate=s.rate, seed=2, marker_every=marker_every)
    closed_n = round(s.closed_prepared_per_s * s.duration_s)
    closed_plan = builder.plan(
        3, "closed", closed_n, rate=s.closed_prepared_per_s, seed=3, marker_every=marker_every
    )
    build_s = time.perf_counter() - t_build
    plans = (warm, paced_plan, closed_plan)
    sizes = [len(r) for p in plans for r in p.requests]
    mix = {
        name: sum(1 for p in plans for x in p.platform if x == code)
        for code, name in enumerate(PLATFORM_NAMES)
    }
    say(
        f"  prepared {sum(len(p.requests) for p in plans):,} requests "
        f"({sum(p.count_events() for p in plans):,} events) in {build_s:.1f} s"
    )
    results: dict[str, Any] = {
        "load_average_start": list(os.getloadavg()),
        "settings": asdict(s),
        "shops": [sh.shop_id for sh in shops],
        "load_generator": {
            "client": "benchmarks/loadgen.py: asyncio + uvloop, HTTP/1.1 keep-alive, "
            "pre-built signed request bytes, in the benchmark's process",
            "prepare_s": round(build_s, 2),
            "request_bytes_mean": round(float(np.mean(sizes)), 1),
            "requests_by_platform": mix,
            "events_per_request": "1-5 (uniform); markers 1",
        },
    }
    with workdir(keep) as work:
        if s.reference:
            results["reference"] = _run_reference(work, s, paced_plan, closed_plan, say)
        results["socialscope"], phases, db = _run_socialscope(
            work, s, shops, man, builder, plans, say
        )
        acked, unacked = acked_and_sent(phases, shops)
        say("  checking the store: every acknowledged event exactly once ...")
        results["loss"] = verify_store(db, acked, unacked)
    results["load_average_end"] = list(os.getloadavg())
    results["disturbed"] = disturbed(results)
    _ratios_and_targets(results, s)
    return results, Evidence(acked, unacked, db)


def _run_socialscope(
    work: Path,
    s: Settings,
    shops: Sequence[BenchShop],
    man: dict[str, Any],
    builder: Builder,
    plans: tuple[Plan, Plan, Plan],
    say: Log,
) -> tuple[dict[str, Any], list[tuple[Plan, Phase]], Path]:
    warm, paced_plan, closed_plan = plans
    db = work / "store.duckdb"
    cfg = work / "socialscope.toml"
    cfg.write_text(config_toml(shops, man, s.intake_workers), encoding="utf-8")
    out: dict[str, Any] = {}
    if s.history_per_customer:
        t0 = time.perf_counter()
        rows = seed_history(db, shops, builder, s)
        out["history"] = {"message_rows": rows, "seconds": round(time.perf_counter() - t0, 2)}
        say(f"  socialscope: history of {rows:,} messages imported")
    proc = socialscope_process(db, cfg, work / "server.log")
    port = free_port()
    proc.args += ["--port", str(port)]
    t0 = time.perf_counter()
    proc.start(port)
    out["startup_s"] = round(time.perf_counter() - t0, 2)
    phases: list[tuple[Plan, Phase]] = []
    expected = 0

    def acked_events(plan: Plan, phase: Phase) -> int:
        return sum(plan.events[i] for i, st in enumerate(phase.status) if 200 <= st < 300)

    try:
        say(f"  socialscope: warm-up ({len(warm.requests)} requests)")
        phase = loadgen.run(
            loadgen.closed_loop(HOST, port, warm.requests, connections=8, duration=60)
        )
        phases.append((warm, phase))
        expected += acked_events(warm, phase)
        ok, waited = wait_stored(port, expected, s.drain_timeout_s)
        out["warmup"] = {**phase.summary(), "drained": ok, "drain_s": round(waited, 2)}

        for plan in (paced_plan, closed_plan):
            if plan is paced_plan:
                say(f"  socialscope: paced {s.rate:g}/s x {s.duration_s:g} s")
            else:
                say(f"  socialscope: closed loop, {s.connections} connections x {s.duration_s:g} s")
            baseline = marker_count(port)
            poller = MarkerPoller(plan, port, s.poll_interval_s, baseline=baseline)
            scraper = Scraper(port, s.scrape_interval_s)
            cpu = CpuWindow(proc.pid).start()
            load_cpu: dict[str, Any] = {}

            watchers: list[loadgen.Watcher] = [poller, scraper, cpu_watcher(cpu, load_cpu)]
            if plan is paced_plan:
                coro = loadgen.paced(
                    HOST,
                    port,
                    plan.requests,
                    connections=s.connections,
                    rate=s.rate,
                    timeout=s.timeout_s,
                    name="socialscope paced",
                    watchers=watchers,
                    grace=s.lag_grace_s,
                )
            else:
                coro = loadgen.closed_loop(
                    HOST,
                    port,
                    plan.requests,
                    connections=s.connections,
                    duration=s.duration_s,
                    timeout=s.timeout_s,
                    name="socialscope closed",
                    watchers=watchers,
                    grace=s.lag_grace_s,
                )
            phase = loadgen.run(coro)
            phases.append((plan, phase))
            expected += acked_events(plan, phase)
            load_end = phase.started + phase.elapsed
            ok, _ = wait_stored(port, expected, s.drain_timeout_s)
            drained_after = time.perf_counter() - load_end
            incl = cpu.stop(phase.ok)
            out[plan.name] = {
                **phase.summary(),
                "events_acked": acked_events(plan, phase),
                "events_per_s": round(acked_events(plan, phase) / phase.elapsed, 1)
                if phase.elapsed
                else None,
                "cpu": load_cpu,
                "cpu_incl_drain": incl,
                "drained": ok,
                "drained_s_after_load": round(drained_after, 2),
                "requests_per_s_until_stored": round(phase.ok / (phase.elapsed + drained_after), 1),
                "lag": poller.lags(phase),
                "server_gauges": scraper.summary(),
            }
    finally:
        code = proc.stop()
        out["exit_code"] = code
        if code not in (0, None):
            out["log_tail"] = proc.log_tail()
    return out, phases, db


OTHER_LOAD_LIMIT = 0.25
"""Cores other processes may use during a phase before its figures are flagged."""


def disturbed(results: dict[str, Any]) -> list[str]:
    """The phases during which other processes used more than OTHER_LOAD_LIMIT cores."""
    out = []
    for server in ("reference", "socialscope"):
        for name in ("paced", "closed"):
            cpu = results.get(server, {}).get(name, {}).get("cpu", {})
            other = cpu.get("other_processes_cores")
            if other is not None and other > OTHER_LOAD_LIMIT:
                out.append(f"{server} {name}: other processes used {other:.2f} cores")
    return out


def _ratios_and_targets(results: dict[str, Any], s: Settings) -> None:
    ss = results["socialscope"]
    paced, closed = ss["paced"], ss["closed"]
    loss = results["loss"]
    ref = results.get("reference")
    if ref is not None:

        def ratio(a: Any, b: Any) -> float | None:
            return round(a / b, 4) if a is not None and b else None

        results["ratios"] = {
            "closed_req_per_s_vs_reference": ratio(
                closed["requests_per_s"], ref["closed"]["requests_per_s"]
            ),
            "paced_p99_vs_reference": ratio(
                paced["latency_ms"]["p99"], ref["paced"]["latency_ms"]["p99"]
            ),
            "paced_p50_vs_reference": ratio(
                paced["latency_ms"]["p50"], ref["paced"]["latency_ms"]["p50"]
            ),
            "paced_cpu_per_1k_vs_reference": ratio(
                paced["cpu"]["server_cpu_s_per_1k_requests"],
                ref["paced"]["cpu"]["server_cpu_s_per_1k_requests"],
            ),
        }
    results["targets"] = [
        target(
            f"webhooks: closed-loop req/s >= {RPS_TARGET:,.0f}",
            float(closed["requests_per_s"]),
            RPS_TARGET,
            at_most=False,
            unit="req/s",
        ),
        target(
            f"webhooks: p99 latency at {s.rate:,.0f} req/s <= {P99_TARGET_MS:g} ms",
            float(paced["latency_ms"]["p99"]),
            P99_TARGET_MS,
            at_most=True,
            unit="ms",
        ),
        target(
            "webhooks: acked events lost or stored twice == 0",
            float(loss["lost"] + loss["duplicated"]),
            0,
            at_most=True,
            unit="events",
        ),
        target(
            f"webhooks: ingest lag max at {s.rate:,.0f} req/s <= {LAG_TARGET_S:g} s",
            float(paced["lag"]["lag_max_s"]),
            LAG_TARGET_S,
            at_most=True,
            unit="s",
        ),
    ]


# -- reporting -----------------------------------------------------------------------------------
def _ms(value: float) -> str:
    return f"{value:.1f} ms" if value < 1000 else f"{value / 1000:.2f} s"


def _fmt(value: Any, spec: str) -> str:
    return "—" if value is None else spec.format(value)


def report_table(b: dict[str, Any]) -> Table:
    """The console table of a results section."""
    table = Table(title="webhooks — live ingest under load (loopback)")
    for col in (
        "server",
        "phase",
        "requests ok",
        "req/s",
        "errors",
        "p50",
        "p95",
        "p99",
        "max",
        "server CPU",
        "CPU-s/1k req",
        "lag p95/max",
    ):
        table.add_column(
            col, justify="left" if col in ("server", "phase") else "right", no_wrap=True
        )

    def row(server: str, name: str, p: dict[str, Any], lag: dict[str, Any] | None) -> None:
        lat = p["latency_ms"]
        cpu = p.get("cpu") or {}
        rate = p.get("target_rate_per_s")
        table.add_row(
            server,
            f"{name} {rate:,.0f}/s" if rate else f"{name} ×{p['connections']}",
            f"{p['requests_ok']:,}",
            f"{p['requests_per_s']:,.0f}",
            str(p["requests_failed"]),
            _ms(lat["p50"]),
            _ms(lat["p95"]),
            _ms(lat["p99"]),
            _ms(lat["max"]),
            _fmt(cpu.get("server_cpu_pct_of_one_core"), "{:.0f} %"),
            _fmt(cpu.get("server_cpu_s_per_1k_requests"), "{:.3f}"),
            f"{lag['lag_p95_s']:.2f}/{lag['lag_max_s']:.2f} s" if lag else "",
        )

    ref = b.get("reference")
    if ref:
        row("reference", "paced", ref["paced"], None)
        row("reference", "closed", ref["closed"], None)
    ss = b["socialscope"]
    row("socialscope", "paced", ss["paced"], ss["paced"]["lag"])
    row("socialscope", "closed", ss["closed"], ss["closed"]["lag"])
    return table


def print_summary(console: Console, b: dict[str, Any]) -> None:
    console.print(report_table(b))
    loss = b["loss"]
    console.print(
        f"store: {loss['acked_events']:,} acknowledged events, {loss['lost']} lost, "
        f"{loss['duplicated']} stored twice, {loss['unacked_but_stored']} unacknowledged "
        f"but stored, {loss['quarantined']} quarantined",
        highlight=False,
    )
    for warning in b.get("disturbed", []):
        console.print(f"[yellow]disturbed:[/] {warning} (the machine was not quiet)")
    if "ratios" in b:
        console.print(
            "vs reference: "
            + ", ".join(f"{k} {v}" for k, v in b["ratios"].items() if v is not None),
            highlight=False,
        )


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.webhooks", description=__doc__)
    p.add_argument("--scale", choices=sorted(SETTINGS), default="small")
    p.add_argument("--duration", type=float, default=None, help="seconds per phase")
    p.add_argument("--rate", type=float, default=None, help="paced requests/s (2000)")
    p.add_argument("--connections", type=int, default=None)
    p.add_argument("--no-reference", action="store_true")
    p.add_argument("--intake-workers", type=int, default=None, help="server.intake_workers")
    p.add_argument("--keep", type=Path, default=None, help="keep the store and logs here")
    p.add_argument("--json", type=Path, default=None, help="also write the section here")
    args = p.parse_args(argv)
    s = SETTINGS[args.scale]
    changes: dict[str, Any] = {}
    if args.duration is not None:
        changes["duration_s"] = args.duration
    if args.rate is not None:
        changes["rate"] = args.rate
    if args.connections is not None:
        changes["connections"] = args.connections
    if args.intake_workers is not None:
        changes["intake_workers"] = args.intake_workers
    if args.no_reference:
        changes["reference"] = False
    s = Settings(**{**asdict(s), **changes})
    console = Console(width=None if sys.stdout.isatty() else 150)
    b = bench_webhooks(args.scale, console, settings=s, keep=args.keep)
    if args.json:
        args.json.write_text(json.dumps(b, indent=2, default=str))
    print_summary(console, b)
    for t in b["targets"]:
        console.print(f"{'met ' if t['met'] else 'MISS'} {t['target']}: {t['value']} {t['unit']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
