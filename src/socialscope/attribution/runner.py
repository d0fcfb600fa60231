"""Every requested model over one PathSet, side by side (METRICS.md section 8).

Models compute float64 credits per channel; the runner turns them into the report:
conversions (float), value (Decimal, 4 places, in the paths' currency) and share of the
model's conversions. Value credits are rounded per channel and the rounding residue is
given to the channel with the largest value, so each model's values add up to the input's
total value exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from socialscope.attribution import heuristics, markov, shapley
from socialscope.attribution.arrays import Credits, Floats, PathArrays, path_arrays
from socialscope.attribution.paths import PathSet

ALL_MODELS: tuple[str, ...] = (
    "first_touch",
    "last_touch",
    "linear",
    "position_based",
    "time_decay",
    "markov",
    "shapley",
)
MARKOV_ORDERS: tuple[int, ...] = (1, 2, 3)
MEASURES = ("conversions", "value", "share")
_FOUR_PLACES = Decimal("0.0001")
_RULES: dict[str, Callable[[PathArrays], Credits]] = {
    "first_touch": heuristics.first_touch,
    "last_touch": heuristics.last_touch,
    "linear": heuristics.linear,
    "position_based": heuristics.position_based,
}


def markov_key(order: int) -> str:
    return f"markov_o{order}"


def model_keys() -> tuple[str, ...]:
    """Every result key, in report order."""
    keys: list[str] = []
    for model in ALL_MODELS:
        keys += [markov_key(k) for k in MARKOV_ORDERS] if model == "markov" else [model]
    return tuple(keys)


@dataclass(frozen=True)
class AttributionRequest:
    """Which models to run and their parameters."""

    models: tuple[str, ...] = ALL_MODELS
    markov_orders: tuple[int, ...] = (1,)  # each in 1..3 → result keys markov_o1..markov_o3
    half_life_hours: float = heuristics.DEFAULT_HALF_LIFE_HOURS
    shapley_exact_max: int = shapley.DEFAULT_EXACT_MAX
    shapley_samples: int = shapley.DEFAULT_SAMPLES
    seed: int = 0

    def __post_init__(self) -> None:
        unknown = [m for m in self.models if m not in ALL_MODELS]
        if unknown or not self.models:
            raise ValueError(
                f"unknown model(s) {', '.join(unknown) or '(none given)'}; "
                f"allowed: {', '.join(ALL_MODELS)}"
            )
        bad = [k for k in self.markov_orders if k not in MARKOV_ORDERS]
        if bad or ("markov" in self.models and not self.markov_orders):
            raise ValueError(
                f"unknown Markov order(s) {', '.join(map(str, bad)) or '(none given)'}; "
                f"allowed: {', '.join(map(str, MARKOV_ORDERS))}"
            )
        if not (self.half_life_hours > 0 and np.isfinite(self.half_life_hours)):
            raise ValueError(
                f"half-life must be a positive number of hours, not {self.half_life_hours}"
            )
        if self.shapley_exact_max < 1 or self.shapley_samples < 2:
            raise ValueError("shapley_exact_max must be >= 1 and shapley_samples >= 2")

    @property
    def keys(self) -> tuple[str, ...]:
        """The result keys this request asks for, in report order."""
        wanted = {markov_key(k) for k in self.markov_orders if "markov" in self.models} | set(
            self.models
        )
        return tuple(k for k in model_keys() if k in wanted)


def parse_models(text: str, orders: Iterable[int] | None = None) -> AttributionRequest:
    """A request from `--models` (`all` or names, `markov_o2` style keys allowed) and
    `--order`: `markov`/`all` take the orders given (default 1), `markov_oK` adds order K."""
    names = [n.strip() for n in text.split(",") if n.strip()]
    allowed = (*ALL_MODELS, *(markov_key(k) for k in MARKOV_ORDERS))
    unknown = [n for n in names if n != "all" and n not in allowed]
    if unknown or not names:
        raise ValueError(
            f"unknown model(s) {', '.join(unknown) or '(none given)'}; "
            f"allowed: all, {', '.join(allowed)}"
        )
    models = list(ALL_MODELS) if "all" in names else []
    order_set = set(orders or ())
    for name in names:
        if name.startswith("markov_o"):
            order_set.add(int(name.removeprefix("markov_o")))
            name = "markov"
        if name in ALL_MODELS and name not in models:
            models.append(name)
    plain_markov = "all" in names or "markov" in names
    if plain_markov and orders is None:
        order_set.add(1)
    if orders is not None and "markov" not in models:
        raise ValueError("--order needs markov among the models (or `all`)")
    return AttributionRequest(
        models=tuple(m for m in ALL_MODELS if m in models),
        markov_orders=tuple(sorted(order_set)),
    )


@dataclass(frozen=True)
class ChannelCredit:
    conversions: float
    value: Decimal
    share: float | None  # of the model's conversions; None when it has none


@dataclass(frozen=True)
class AttributionResult:
    """Credits per model key and channel (channels sorted by name), and the totals."""

    models: dict[str, dict[str, ChannelCredit]]
    channels: tuple[str, ...]
    paths: int  # path rows used (with conversions or nulls)
    conversions: float
    nulls: float
    value: Decimal
    currency: str | None
    skipped: dict[str, str] = field(default_factory=dict)  # model key → why it did not run
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The issue's JSON shape, plus share, value, currency, skipped and notes."""
        return {
            "models": {
                key: {
                    "conversions": {c: credit.conversions for c, credit in credits.items()},
                    "value": {c: _number(credit.value) for c, credit in credits.items()},
                    "share": {c: credit.share for c, credit in credits.items()},
                }
                for key, credits in self.models.items()
            },
            "paths": self.paths,
            "conversions": _count(self.conversions),
            "nulls": _count(self.nulls),
            "value": _number(self.value),
            "currency": self.currency,
            "skipped": dict(self.skipped),
            "notes": list(self.notes),
        }

    def comparison(self, measure: str = "conversions") -> list[dict[str, Any]]:
        """Side by side: one row per channel, one column per model key."""
        if measure not in MEASURES:
            raise ValueError(f"unknown measure {measure!r}; allowed: {', '.join(MEASURES)}")
        return [
            {
                "channel": channel,
                **{key: getattr(credits[channel], measure) for key, credits in self.models.items()},
            }
            for channel in self.channels
        ]


def attribute(paths: PathSet, request: AttributionRequest) -> AttributionResult:
    """Run the request's models over the paths (PathsError for unusable paths)."""
    arrays = path_arrays(paths)
    skipped: dict[str, str] = {}
    notes: list[str] = []
    models: dict[str, dict[str, ChannelCredit]] = {}
    for key in request.keys:
        credits: Credits
        if key in _RULES:
            credits = _RULES[key](arrays)
        elif key == "time_decay":
            if arrays.hours is None:
                skipped[key] = "the paths have no touch times (hours_till_conv)"
                continue
            credits = heuristics.time_decay(arrays, request.half_life_hours)
            notes.append(f"time_decay: half-life {request.half_life_hours:g} h")
        elif key.startswith("markov_o"):
            credits = markov.markov(arrays, int(key.removeprefix("markov_o")))
        else:
            result = shapley.shapley(
                arrays,
                exact_max=request.shapley_exact_max,
                samples=request.shapley_samples,
                seed=request.seed,
            )
            if result.sampled_sets and result.standard_error is not None:
                notes.append(
                    f"shapley: {result.sampled_sets} channel set(s) with more than "
                    f"{request.shapley_exact_max} channels estimated from "
                    f"{request.shapley_samples} random orders (seed {request.seed}); "
                    f"largest standard error of a channel's conversions "
                    f"{float(result.standard_error.max()):.4g}"
                )
            credits = result
        models[key] = _report(arrays, credits)
    return AttributionResult(
        models=models,
        channels=arrays.channels,
        paths=arrays.rows,
        conversions=float(arrays.conversions.sum()),
        nulls=float(arrays.nulls.sum()),
        value=arrays.total_value,
        currency=paths.currency,
        skipped=skipped,
        notes=tuple(notes),
    )


def _report(arrays: PathArrays, credits: Credits) -> dict[str, ChannelCredit]:
    total = float(credits.conversions.sum())
    values = _money(credits.value, arrays.total_value)
    return {
        channel: ChannelCredit(
            conversions=float(credits.conversions[i]),
            value=values[i],
            share=float(credits.conversions[i]) / total if total != 0 else None,
        )
        for i, channel in enumerate(arrays.channels)
    }


def _money(credit: Floats, total: Decimal) -> list[Decimal]:
    """Per-channel values to 4 places, the residue on the largest so they add to `total`."""
    values = [Decimal(repr(float(v) + 0.0)).quantize(_FOUR_PLACES) for v in credit]
    if values:
        largest = int(np.argmax(credit))  # ties: the first channel by name
        values[largest] += total - sum(values, Decimal(0))
    return values


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _count(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
