"""The hand-derived oracle tests of tests/metrics and tests/service, on every engine.

The test functions are those modules' own (imported, not copied): their seed fixtures
(`interaction`, `sales`, `staff`, `seed`) resolve to this package's conftest, which binds
them to the engine under test; so do tests/funnels' `web` and `social`. Tests that build
their own store (no seed fixture) stay in their home module only.
"""

from __future__ import annotations

import inspect
from types import ModuleType

import pytest

from tests.funnels import test_modes
from tests.metrics import test_seed_edges, test_seed_interaction, test_seed_sales, test_seed_staff
from tests.portability.conftest import ENGINES
from tests.service import test_service_hours, test_service_seed


@pytest.fixture(scope="session", params=[p for p in ENGINES if p.id != "duckdb"])
def engine(request: pytest.FixtureRequest) -> str:
    """Only the other engines here: on DuckDB these tests already run in their home
    modules (tests/metrics, tests/service, tests/funnels)."""
    return str(request.param)


SEED_FIXTURES = {"interaction", "sales", "staff", "seed", "web", "social"}
DUCKDB_ONLY = {
    # switches off the DuckDB engine's statement cache: nothing to switch off elsewhere
    "test_uncached_statement_gives_the_same_counts",
}


def _reuse(module: ModuleType, prefix: str) -> None:
    for name, fn in vars(module).items():
        if not name.startswith("test_") or not inspect.isfunction(fn) or name in DUCKDB_ONLY:
            continue
        if SEED_FIXTURES & set(inspect.signature(fn).parameters):
            globals()[f"test_{prefix}_{name[5:]}"] = fn


_reuse(test_seed_edges, "edges")
_reuse(test_seed_interaction, "interaction")
_reuse(test_seed_sales, "sales")
_reuse(test_seed_staff, "staff")
_reuse(test_service_seed, "service")
_reuse(test_service_hours, "hours")
_reuse(test_modes, "funnel_modes")
