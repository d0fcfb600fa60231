"""METRICS.md section 3: service quality and speed (服務 / 響應)."""

from __future__ import annotations

from socialscope.metrics.factspec import FactSpec
from socialscope.metrics.spec import MetricSpec

FACTS: tuple[FactSpec, ...] = ()
METRICS: tuple[MetricSpec, ...] = ()
