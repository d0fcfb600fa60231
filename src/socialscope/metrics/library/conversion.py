"""METRICS.md section 4: inquiry conversion and loss (询单转化 / 流失)."""

from __future__ import annotations

from socialscope.metrics.factspec import FactSpec
from socialscope.metrics.spec import MetricSpec

FACTS: tuple[FactSpec, ...] = ()
METRICS: tuple[MetricSpec, ...] = ()
