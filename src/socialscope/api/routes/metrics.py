"""``GET /api/v1/metrics`` and ``GET /api/v1/metrics/{metric_id}``: the metric registry.

Each record carries the fields of ``socialscope metrics list --format json`` (built by the
same ``spec_record``), with a stable shape: ``fact`` for metrics over a fact table,
``numerator``/``denominator`` for ratios, the others null.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel

from socialscope.api.errors import error_responses
from socialscope.api.routes import API_PREFIX
from socialscope.api.security import CurrentPrincipal, require_principal
from socialscope.cli.query import spec_record
from socialscope.metrics.registry import REGISTRY

router = APIRouter(prefix=API_PREFIX, tags=["metrics"], dependencies=[Depends(require_principal)])

RECORD_KEYS = (
    "id",
    "label",
    "unit",
    "dimensions",
    "section",
    "description",
    "better",
    "chart",
    "kind",
    "params",
    "fact",
    "numerator",
    "denominator",
)


class MetricParam(BaseModel):
    name: str
    default: str | int | float | bool | None
    doc: str


class MetricRecord(BaseModel):
    """One registered metric."""

    id: str
    label: str
    unit: str
    dimensions: list[str]
    section: str
    description: str
    better: str
    chart: str
    kind: str
    params: list[MetricParam]
    fact: str | None
    numerator: str | None
    denominator: str | None


def metric_record(metric_id: str) -> dict[str, Any]:
    """The registry record of a metric, every key present (None where not applicable)."""
    record = spec_record(REGISTRY.get(metric_id))
    return {key: record.get(key) for key in RECORD_KEYS}


@router.get(
    "/metrics",
    response_model=list[MetricRecord],
    responses=error_responses(400, 401, 500),
    summary="Every registered metric",
)
def list_metrics(principal: CurrentPrincipal) -> list[dict[str, Any]]:
    return [metric_record(metric_id) for metric_id in REGISTRY.ids()]


@router.get(
    "/metrics/{metric_id}",
    response_model=MetricRecord,
    responses=error_responses(400, 401, 404, 500),
    summary="One metric's definition",
)
def get_metric(metric_id: str, principal: CurrentPrincipal) -> dict[str, Any]:
    if metric_id not in REGISTRY:
        raise HTTPException(
            404, f"unknown metric {metric_id!r}; valid metrics: {', '.join(REGISTRY.ids())}"
        )
    return metric_record(metric_id)
