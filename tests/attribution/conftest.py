"""Helpers for the attribution tests: run one model over a few hand-written paths."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from socialscope.attribution.paths import paths_from_records
from socialscope.attribution.runner import AttributionRequest, AttributionResult, attribute


def run(
    records: Sequence[Mapping[str, Any]], models: tuple[str, ...], **options: Any
) -> AttributionResult:
    return attribute(paths_from_records(records), AttributionRequest(models=models, **options))


def conversions(result: AttributionResult, key: str) -> dict[str, float]:
    return {c: credit.conversions for c, credit in result.models[key].items()}


def values(result: AttributionResult, key: str) -> dict[str, Decimal]:
    return {c: credit.value for c, credit in result.models[key].items()}
