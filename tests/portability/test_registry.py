"""Every registered metric on every engine, on a week of demo data (three shops).

The metrics are taken from the registry at collection time, so a new metric is included
without touching this file. They are batched: one query per fact and dimension set (money
metrics by currency, snapshot metrics without a time dimension), per engine, then each metric is
its own test item comparing the engine's column with the DuckDB answer — ints and
Decimals exactly, floats to 1e-9 relative. (The hand-derived values are checked by
test_oracles.py; this sweep proves that every definition runs and agrees everywhere.)
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from socialscope.client import Client
from socialscope.metrics.registry import REGISTRY
from socialscope.metrics.spec import MetricSpec
from tests.portability.conftest import on_engine

END = date(2026, 3, 31)
PERIOD = {"date_from": date(2026, 3, 25), "date_to": END}


def demo_client(path: Path) -> Client:
    """A store holding a week of the deterministic demo data (every table)."""
    import socialscope
    from socialscope.demo.generate import DemoConfig, generate_demo

    client = socialscope.connect(path)
    client.ingest_arrow(generate_demo(DemoConfig(days=7, end_date=END)), source="demo")
    return client


def dimensions(spec: MetricSpec) -> tuple[str, ...]:
    """The query dimensions a metric is swept by: shop, a day (not for snapshots), and the
    currency for money metrics (never summed across currencies)."""
    allowed = REGISTRY.all_dimensions(spec)
    dims = ["shop_id"]
    if not spec.snapshot:
        dims.append("date")
    if spec.is_money and "currency" in allowed:
        dims.append("currency")
    return tuple(dims)


def fact_of(spec: MetricSpec) -> str:
    """The fact a metric aggregates (a ratio: its numerator's)."""
    if spec.fact is not None:
        return spec.fact
    return fact_of(REGISTRY.get(spec.agg.numerator))


def batches() -> dict[tuple[tuple[str, ...], str], list[str]]:
    """Metrics grouped by dimensions and fact: one small aggregate per query (a single
    query over every fact is one huge plan, which Spark takes minutes to optimise)."""
    out: dict[tuple[tuple[str, ...], str], list[str]] = {}
    for spec in REGISTRY:
        out.setdefault((dimensions(spec), fact_of(spec)), []).append(spec.id)
    return out


def sweep(client: Client) -> dict[str, list[dict[str, Any]] | BaseException]:
    """metric -> its rows (dimensions + value), or the error its query raised."""
    out: dict[str, list[dict[str, Any]] | BaseException] = {}
    for (dims, _), metrics in batches().items():
        try:
            rows = client.query(metrics, by=list(dims), **PERIOD).rows
        except Exception:  # one bad metric must not hide the others: run them one by one
            for metric in metrics:
                try:
                    one = client.query([metric], by=list(dims), **PERIOD).rows
                    out[metric] = [{**{d: r[d] for d in dims}, "v": r[metric]} for r in one]
                except Exception as exc:
                    out[metric] = exc
            continue
        for metric in metrics:
            out[metric] = [{**{d: r[d] for d in dims}, "v": r[metric]} for r in rows]
    return out


@pytest.fixture(scope="module")
def demo_duckdb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    client = demo_client(tmp_path_factory.mktemp("port_demo") / "t.duckdb")
    yield client
    client.close()


@pytest.fixture(scope="module")
def reference(demo_duckdb: Client) -> dict[str, list[dict[str, Any]] | BaseException]:
    return sweep(demo_duckdb)


@pytest.fixture(scope="module")
def demo(
    demo_duckdb: Client, engine: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Client]:
    client = on_engine(demo_duckdb, engine, tmp_path_factory.mktemp("port_demo_pq"))
    yield client
    if client is not demo_duckdb:
        client.close()


@pytest.fixture(scope="module")
def answers(demo: Client) -> dict[str, list[dict[str, Any]] | BaseException]:
    return sweep(demo)


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return a is not None and b is not None and Decimal(a) == Decimal(b)
    return bool(a == b)


@pytest.mark.parametrize("metric", REGISTRY.ids())
def test_registered_metric(
    metric: str,
    answers: dict[str, list[dict[str, Any]] | BaseException],
    reference: dict[str, list[dict[str, Any]] | BaseException],
) -> None:
    expected = reference[metric]
    assert not isinstance(expected, BaseException), f"duckdb reference failed: {expected!r}"
    got = answers[metric]
    if isinstance(got, BaseException):
        raise got
    assert len(got) == len(expected), (metric, got, expected)
    for g, e in zip(got, expected, strict=True):
        assert g.keys() == e.keys()
        for key in e:
            assert same(g[key], e[key]), (metric, key, g, e)


def test_sweep_has_data(reference: dict[str, list[dict[str, Any]] | BaseException]) -> None:
    """The sweep is not vacuous: most metrics have a non-zero value somewhere."""
    nonzero = [
        m
        for m, rows in reference.items()
        if not isinstance(rows, BaseException) and any(r["v"] not in (None, 0) for r in rows)
    ]
    assert len(nonzero) >= len(reference) * 0.7, sorted(set(reference) - set(nonzero))
