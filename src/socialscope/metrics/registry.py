"""The one registry of metrics, validated when it is built."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from socialscope.metrics.facts import COMMON_DIMENSIONS, FACTS, LIBRARY_MODULES
from socialscope.metrics.spec import MetricSpec, Ratio, Unit

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
CURRENCY = "currency"


class RegistryError(ValueError):
    """A metric declaration breaks a registry rule."""


class Registry:
    """Metric specs by id, in declaration order."""

    def __init__(self, specs: Iterable[MetricSpec] = ()) -> None:
        self._specs: dict[str, MetricSpec] = {}
        for spec in specs:
            self.add(spec)

    def add(self, spec: MetricSpec) -> None:
        if not _ID.match(spec.id):
            raise RegistryError(f"metric id {spec.id!r} is not snake_case")
        if spec.id in self._specs:
            raise RegistryError(f"metric {spec.id!r} is declared twice")
        if isinstance(spec.agg, Ratio):
            agg = spec.agg
            for part in (agg.numerator, agg.denominator):
                if part not in self._specs:
                    raise RegistryError(f"ratio {spec.id!r} uses unregistered metric {part!r}")
            spec = self._with_currency_split(spec)
            for part in (agg.numerator, agg.denominator):
                missing = set(spec.dimensions) - set(self._specs[part].dimensions)
                if part == agg.denominator and self.broadcasts_currency(spec):
                    missing.discard(CURRENCY)
                if missing:
                    raise RegistryError(
                        f"ratio {spec.id!r} offers {sorted(missing)} that {part!r} lacks"
                    )
            if spec.fact is not None:
                raise RegistryError(f"ratio {spec.id!r} must not name a fact")
        else:
            if spec.fact is None or spec.fact not in FACTS:
                raise RegistryError(f"metric {spec.id!r} names unknown fact {spec.fact!r}")
            fact_dims = set(FACTS[spec.fact].dimensions)
            unknown = set(spec.dimensions) - fact_dims
            if unknown:
                raise RegistryError(
                    f"metric {spec.id!r}: dimensions {sorted(unknown)} "
                    f"are not on fact {spec.fact!r}"
                )
            if spec.unit is Unit.MONEY and FACTS[spec.fact].currency_column is None:
                raise RegistryError(f"money metric {spec.id!r} needs a fact with a currency")
        self._specs[spec.id] = spec

    def currency_free(self, metric_id: str) -> bool:
        """True when no fact under the metric has a currency: its value is the same for
        every currency of a slice (e.g. click users, sessions)."""
        spec = self._specs[metric_id]
        if isinstance(spec.agg, Ratio):
            return self.currency_free(spec.agg.numerator) and self.currency_free(
                spec.agg.denominator
            )
        return spec.fact is not None and CURRENCY not in FACTS[spec.fact].dimensions

    def broadcasts_currency(self, spec: MetricSpec) -> bool:
        """A money ratio whose denominator is currency-free: split or filtered by
        currency, each currency's numerator is divided by the whole slice's denominator."""
        if not isinstance(spec.agg, Ratio) or spec.unit is not Unit.MONEY:
            return False
        numerator = self._specs[spec.agg.numerator]
        return CURRENCY in numerator.dimensions and self.currency_free(spec.agg.denominator)

    def _with_currency_split(self, spec: MetricSpec) -> MetricSpec:
        """The rule of docs/design.md (Money): a money ratio over a currency-free
        denominator offers the currency dimension of its numerator."""
        if self.broadcasts_currency(spec) and CURRENCY not in spec.dimensions:
            return replace(spec, dimensions=(*spec.dimensions, CURRENCY))
        return spec

    def get(self, metric_id: str) -> MetricSpec:
        try:
            return self._specs[metric_id]
        except KeyError:
            raise KeyError(metric_id) from None

    def __contains__(self, metric_id: object) -> bool:
        return metric_id in self._specs

    def __iter__(self) -> Iterator[MetricSpec]:
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)

    def ids(self) -> list[str]:
        return list(self._specs)

    def all_dimensions(self, spec: MetricSpec) -> tuple[str, ...]:
        return (*COMMON_DIMENSIONS, *spec.dimensions)


def build_registry() -> Registry:
    """Every metric of the library, in METRICS.md order."""
    registry = Registry()
    for name in LIBRARY_MODULES:
        for spec in importlib.import_module(name).METRICS:
            registry.add(spec)
    return registry


REGISTRY = build_registry()
