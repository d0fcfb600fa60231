"""What the metric layer needs from an engine: tables, and running an Ibis expression."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

import pyarrow as pa

Builder = Callable[[], tuple[Any, Mapping[str, Any]]]
"""() -> (Ibis expression, {param name: ibis.param expression})."""


class Engine(Protocol):
    name: str

    def table(self, name: str) -> Any:
        """The Ibis table expression for a stored table."""
        ...

    def run(self, shape: tuple[Any, ...], build: Builder, values: Mapping[str, Any]) -> pa.Table:
        """Run the expression built by `build` with parameter values; `shape` keys a cache."""
        ...
