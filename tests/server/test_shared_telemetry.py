"""The owner's /metrics adds the intake processes' counters, monotonic across restarts."""

from __future__ import annotations

import json
from pathlib import Path

from socialscope.api.telemetry import Telemetry
from socialscope.server.shared_telemetry import SnapshotReader, snapshot


def write(path: Path, pid: int, telemetry: Telemetry) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    samples = [[n, dict(lbl), v] for (n, lbl), v in snapshot(telemetry.registry).items()]
    path.write_text(json.dumps({"pid": pid, "samples": samples}))


def value(text: str, line_start: str) -> float:
    found = [ln for ln in text.splitlines() if ln.startswith(line_start + " ")]
    assert len(found) == 1, (line_start, found)
    return float(found[0].rsplit(" ", 1)[1])


def test_owner_and_intake_counts_add_up_and_survive_a_restart(tmp_path: Path) -> None:
    owner = Telemetry()
    owner.observe_request("/healthz", 200, 0.001)
    owner.observe_request("/webhooks/line", 200, 0.002)  # the owner's own fast path
    owner.external = SnapshotReader(tmp_path).totals

    first = Telemetry()
    for _ in range(3):
        first.observe_request("/webhooks/line", 200, 0.004)
    first.webhook_rejected_total.labels(platform="meta", reason="signature").inc()
    write(tmp_path / "w1" / "telemetry.json", 101, first)
    text = owner.render().decode()
    line = 'requests_total{route="/webhooks/line",status="200"}'
    assert value(text, line) == 4
    assert value(text, 'requests_total{route="/healthz",status="200"}') == 1
    assert value(text, 'webhook_rejected_total{platform="meta",reason="signature"}') == 1
    assert value(text, 'request_seconds_count{route="/webhooks/line"}') == 4
    assert value(text, 'request_seconds_bucket{le="0.005",route="/webhooks/line"}') == 4

    # w1 restarted (another pid, counting from zero); w2 joins
    again = Telemetry()
    again.observe_request("/webhooks/line", 200, 0.004)
    write(tmp_path / "w1" / "telemetry.json", 102, again)
    other = Telemetry()
    other.observe_request("/webhooks/line", 401, 0.001)
    write(tmp_path / "w2" / "telemetry.json", 201, other)
    text = owner.render().decode()
    assert value(text, line) == 5  # 1 + 3 (the dead process's last) + 1
    assert value(text, 'requests_total{route="/webhooks/line",status="401"}') == 1
    assert value(text, 'webhook_rejected_total{platform="meta",reason="signature"}') == 1
    assert owner.render().decode() == text  # reading again adds nothing
