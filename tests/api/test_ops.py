"""Health, Prometheus metrics, the error contract, extra routers and secret hygiene."""

from __future__ import annotations

import logging
import re

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY as GLOBAL_REGISTRY

import socialscope
from socialscope.api import Telemetry, create_app
from socialscope.contract.tables import SCHEMA_VERSION
from socialscope.server.state import ServerState
from tests.api.conftest import (
    ADMIN,
    LOCAL_TOKEN,
    SECRETS,
    SHOP_B,
    A,
    B,
    bearer,
    error_of,
    make_config,
)


def test_healthz_needs_no_key(http: TestClient) -> None:
    r = http.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {
        "status": "ok",
        "version": socialscope.__version__,
        "schema_version": SCHEMA_VERSION,
    }


def test_healthz_is_503_when_the_store_is_gone(
    state: ServerState, http: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> None:
        raise RuntimeError("store closed")

    monkeypatch.setattr(state, "client", broken)
    r = http.get("/healthz")
    assert r.status_code == 503
    assert error_of(r) == "the store cannot be read"


def _sample(text: str, name: str, **labels: str) -> float | None:
    want = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        m = re.fullmatch(r"(\w+)(?:\{(.*)\})? (\S+)", line)
        if m and m.group(1) == name and ",".join(sorted((m.group(2) or "").split(","))) == want:
            return float(m.group(3))
    return None


def test_prometheus_counts_requests_by_route_template(http: TestClient) -> None:
    http.get("/api/v1/metrics/conversations", headers=A)
    http.get("/api/v1/metrics/nope", headers=A)
    http.get("/api/v1/metrics/nope2", headers=A)
    http.get("/api/v1/metrics")
    http.get("/no/such/path/at/all")
    r = http.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    text = r.text
    route = "/api/v1/metrics/{metric_id}"
    assert _sample(text, "requests_total", route=route, status="200") == 1
    assert _sample(text, "requests_total", route=route, status="404") == 2
    assert _sample(text, "requests_total", route="/api/v1/metrics", status="401") == 1
    assert _sample(text, "requests_total", route="unmatched", status="404") == 1
    assert "/api/v1/metrics/nope" not in text  # raw paths are never labels
    assert _sample(text, "request_seconds_count", route=route) == 3
    # the webhook side's metrics exist from the start
    for name in ("events_stored_total", "events_duplicate_total", "webhook_rejected_total"):
        assert f"# TYPE {name} counter" in text
    for name in ("inbox_depth", "ingest_lag_seconds"):
        assert f"# TYPE {name} gauge" in text


def test_telemetry_is_per_app_and_usable_by_the_webhook_side(
    state: ServerState, app: FastAPI
) -> None:
    telemetry = state.telemetry  # create_app put one there
    assert isinstance(telemetry, Telemetry)
    assert telemetry.registry is not GLOBAL_REGISTRY
    telemetry.events_stored_total.labels(platform="line").inc(3)
    telemetry.events_duplicate_total.labels(platform="meta").inc()
    telemetry.webhook_rejected_total.labels(platform="shopify", reason="signature").inc()
    telemetry.inbox_depth.set(7)
    telemetry.ingest_lag_seconds.set(1.5)
    text = telemetry.render().decode()
    assert _sample(text, "events_stored_total", platform="line") == 3
    assert _sample(text, "events_duplicate_total", platform="meta") == 1
    assert _sample(text, "webhook_rejected_total", platform="shopify", reason="signature") == 1
    assert _sample(text, "inbox_depth") == 7
    assert _sample(text, "ingest_lag_seconds") == 1.5
    # a second app gets its own registry; a given telemetry is kept
    other = ServerState(make_config(), state.store, local_token=LOCAL_TOKEN)
    create_app(other)
    assert other.telemetry is not telemetry
    assert _sample(other.telemetry.render().decode(), "inbox_depth") == 0
    mine = Telemetry(namespace="socialscope")
    kept = ServerState(make_config(), state.store, telemetry=mine)
    create_app(kept)
    assert kept.telemetry is mine
    assert "socialscope_requests_total" in mine.render().decode()


def _failing_app(state: ServerState) -> FastAPI:
    extra = APIRouter()

    @extra.get("/boom")
    def boom() -> None:
        raise RuntimeError("internal detail /srv/private/path")

    @extra.get("/extra")
    def fine() -> dict[str, str]:
        return {"extra": "yes"}

    return create_app(state, extra_routers=[extra])


def test_extra_routers_and_the_json_500(state: ServerState) -> None:
    app = _failing_app(state)
    with TestClient(app) as http:
        assert http.get("/extra").json() == {"extra": "yes"}
        r = http.get("/boom")
        assert r.status_code == 500
        assert error_of(r) == "internal server error"
        assert "/srv/private" not in r.text
        text = http.get("/metrics").text
    assert _sample(text, "requests_total", route="/boom", status="500") == 1


def test_a_failing_query_is_a_json_500(
    state: ServerState, http: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise ValueError("duckdb said something internal")

    client = state.client()
    monkeypatch.setattr(client, "query", explode)
    # a sync route runs in a worker thread: make every thread's client fail the same way
    monkeypatch.setattr(state, "client", lambda: client)
    r = http.get("/api/v1/query", params={"metrics": "conversations"}, headers=ADMIN)
    assert r.status_code == 500
    assert error_of(r) == "internal server error"
    assert "duckdb" not in r.text


def test_openapi_and_docs(http: TestClient) -> None:
    schema = http.get("/openapi.json").json()
    assert schema["info"]["version"] == socialscope.__version__
    assert "/api/v1/query" in schema["paths"]
    assert "/api/v1/ingest/{table}" in schema["paths"]
    for path in schema["paths"].values():
        for op in path.values():
            assert "422" not in op["responses"]
    assert "BearerKey" in schema["components"]["securitySchemes"]
    assert http.get("/docs").status_code == 200


def test_secrets_never_appear_in_responses_or_logs(
    state: ServerState, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    app = _failing_app(state)
    seen: list[str] = []
    with TestClient(app) as http:
        calls: list[tuple[str, str, dict[str, str], dict[str, str] | None]] = [
            ("GET", "/api/v1/metrics", {}, None),
            ("GET", "/api/v1/metrics", {"Authorization": "Bearer wrong"}, None),
            ("GET", "/api/v1/metrics", {"Authorization": "Basic " + SECRETS[0]}, None),
            ("GET", "/api/v1/metrics", {"Authorization": SECRETS[2]}, None),
            ("GET", "/api/v1/metrics", {"Authorization": "Bearer " + SECRETS[0] + "x"}, None),
            ("GET", "/api/v1/query", A, {"metrics": "conversations", "shop": SHOP_B}),
            ("GET", "/api/v1/query", B, {"metrics": "nope"}),
            ("GET", "/api/v1/query", ADMIN, {"metrics": "conversations"}),
            ("GET", "/api/v1/conversations", bearer(LOCAL_TOKEN), {"limit": "-3"}),
            ("GET", "/api/v1/metrics/nope", ADMIN, None),
            ("GET", "/boom", ADMIN, None),
            ("GET", "/healthz", ADMIN, None),
            ("GET", "/metrics", ADMIN, None),
            ("GET", "/openapi.json", ADMIN, None),
            ("GET", "/docs", ADMIN, None),
            ("POST", "/api/v1/ingest/messages", A, None),
            ("POST", "/api/v1/ingest/nope", A, None),
        ]
        for method, path, headers, params in calls:
            r = http.request(method, path, headers=headers, params=params, content=b"[{]")
            seen.append(r.text)
            seen.extend(f"{k}: {v}" for k, v in r.headers.items())
        r = http.post(
            "/api/v1/ingest/messages",
            json=[{"shop_id": SHOP_B, "event_id": "x"}],
            headers=A,
        )
        seen.append(r.text)
    seen.extend(record.getMessage() for record in caplog.records)
    seen.extend(caplog.text.splitlines())
    seen.append(repr(state.config))
    seen.append(str(state.config.model_dump()))
    assert len(seen) > 40
    for secret in SECRETS:
        leaks = [s for s in seen if secret in s]
        assert not leaks, f"a secret leaked: {leaks[:3]}"
    assert any("unknown API key" in m for m in seen)  # refusals are logged, keys are not
