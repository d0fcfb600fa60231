"""Attribution benchmark: socialscope against ChannelAttribution and marketing_attribution_models.

All three run on the same generated paths (benchmarks/attribution_data.py) in the same
run. Before anything is timed, every number whose definition matches is compared (a
difference beyond the stated tolerance raises MismatchError, exit code 2); where the
definitions differ the size of the difference is recorded, not checked.

* socialscope: ``read_paths_csv`` + ``attribute`` with every model and Markov orders 1–3
  on the aggregated file (the headline figure), each model alone, and time decay on the
  per-journey file (touch times keep journeys from being aggregated).
* ChannelAttribution (``ca``): ``heuristic_models`` (first, last, linear) and
  ``markov_model`` orders 1–3 on a DataFrame of the same CSV (read untimed).
  Its Markov removal effects are always simulated (2.2.5 has no exact mode: ``nsim_start``,
  ``nfold``, ``conv_par`` steer a Monte-Carlo run until it converges), so its credits are
  compared within MARKOV_SIM_TOLERANCE of the total conversions; ``ncore=1`` and the
  default convergence settings, ``seed=0``.
* marketing_attribution_models (``mam``, the polars "Nova MAM" 2.x): the aggregated file as
  its ``grouped_journey`` format (one row per path and outcome: converting rows carry the
  conversions and value, null rows the nulls; this conversion is not timed), then the
  ``MAM`` constructor and its first/last click, linear, position-based, Markov (order 1
  only) and Shapley (``max_size=None``: every channel of a set, as METRICS.md) runs; time
  decay in its ``journey`` format from the per-journey file. MAM attributes value
  (conversions only when no value column is given), so value is compared.

Either library missing (``make test`` does not install the bench extra) is skipped with
the reason in the results.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from benchmarks.attribution_data import (
    JOURNEY_SCALES,
    generate_journeys,
    read_meta,
)
from benchmarks.common import MismatchError, Timing, target, timed
from socialscope.attribution.paths import PathSet
from socialscope.attribution.paths_csv import read_paths_csv
from socialscope.attribution.runner import AttributionRequest, AttributionResult, attribute

ORDERS = (1, 2, 3)
HALF_LIFE_H = 168.0
VALUE_TOLERANCE = 0.01
"""Money: socialscope rounds each channel's value to 4 places and puts the rounding residue
on the largest channel; the libraries sum float64. 1 cent covers both."""
COUNT_TOLERANCE = 1e-6
"""Conversions of exact models (float64 sums of fractions in a different order)."""
SHARE_TOLERANCE = 1e-9
"""Normalised removal effects, both exact (sparse LU vs dense inverse)."""
MARKOV_SIM_TOLERANCE = 0.02
"""ChannelAttribution simulates: a channel's credited conversions may differ from the exact
ones by up to 2 % of the total conversions (observed: ≤ 0.6 % with its defaults)."""


@dataclass(frozen=True)
class Runs:
    socialscope: int
    libraries: int


RUNS: dict[str, Runs] = {"full": Runs(5, 1), "small": Runs(5, 3), "tiny": Runs(1, 1)}


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """ChannelAttribution prints banners and progress to stdout."""
    with contextlib.redirect_stdout(io.StringIO()):
        yield


def _ca() -> Any | None:
    try:
        with _quiet():
            import ChannelAttribution
    except ImportError:
        return None
    return ChannelAttribution


def _mam() -> Any | None:
    try:
        import mam
    except ImportError:
        return None
    return mam


# -- socialscope -------------------------------------------------------------------------
def _all_request() -> AttributionRequest:
    return AttributionRequest(markov_orders=ORDERS, half_life_hours=HALF_LIFE_H)


def socialscope_all(paths_csv: Path) -> AttributionResult:
    """The headline: read the aggregated file and run every model, Markov orders 1–3."""
    return attribute(read_paths_csv(paths_csv), _all_request())


def socialscope_model(paths: PathSet, key: str) -> AttributionResult:
    """One model key alone (markov_oK: that order only) on already read paths."""
    if key.startswith("markov_o"):
        request = AttributionRequest(models=("markov",), markov_orders=(int(key[-1]),))
    else:
        request = AttributionRequest(models=(key,), half_life_hours=HALF_LIFE_H)
    return attribute(paths, request)


def socialscope_time_decay(journeys_csv: Path) -> AttributionResult:
    return socialscope_model(read_paths_csv(journeys_csv), "time_decay")


def _credits(result: AttributionResult, key: str, measure: str) -> dict[str, float]:
    return {c: float(getattr(credit, measure)) for c, credit in result.models[key].items()}


# -- ChannelAttribution -------------------------------------------------------------------
def ca_heuristics(ca: Any, frame: Any) -> Any:
    with _quiet():
        return ca.heuristic_models(
            frame, "path", "total_conversions", var_value="total_conversion_value", sep=">",
            flg_pro=False,
        )  # fmt: skip


def ca_markov(ca: Any, frame: Any, order: int) -> Any:
    with _quiet():
        out = ca.markov_model(
            frame, "path", "total_conversions", var_value="total_conversion_value",
            var_null="total_null", order=order, sep=">", ncore=1, seed=0, out_more=True,
            verbose=False, flg_pro=False,
        )  # fmt: skip
    return out["result"]


def _ca_frame_credits(frame: Any, column: str) -> dict[str, float]:
    return {str(c): float(v) for c, v in zip(frame["channel_name"], frame[column], strict=True)}


# -- marketing_attribution_models ------------------------------------------------------------
def mam_grouped(paths_csv: Path) -> Any:
    """The aggregated file as MAM's grouped_journey rows (untimed conversion)."""
    import polars as pl

    p = pl.read_csv(paths_csv, schema_overrides={"total_conversion_value": pl.Float64})
    conv = p.filter(pl.col("total_conversions") > 0).select(
        path="path",
        occurrences=pl.col("total_conversions").cast(pl.Int64),
        has_conv=pl.lit(True),
        value="total_conversion_value",
    )
    nulls = p.filter(pl.col("total_null") > 0).select(
        path="path",
        occurrences=pl.col("total_null").cast(pl.Int64),
        has_conv=pl.lit(False),
        value=pl.lit(0.0),
    )
    return pl.concat([conv, nulls])


def mam_journeys(journeys_csv: Path) -> Any:
    """The per-journey file as MAM's journey rows (untimed conversion)."""
    import polars as pl

    j = pl.read_csv(journeys_csv, schema_overrides={"total_conversion_value": pl.Float64})
    return j.with_row_index("jid").select(
        journey_id=pl.col("jid").cast(pl.Utf8),
        path="path",
        time_till_end="hours_till_conv",
        has_conv=pl.col("total_conversions") > 0,
        value="total_conversion_value",
    )


def mam_model(mam: Any, grouped: Any) -> Any:
    return mam.MAM(
        grouped, format_type="grouped_journey", channels_colname="path",
        journey_with_conv_colname="has_conv", occurrences_colname="occurrences",
        conversion_value_colname="value", path_separator=" > ",
    )  # fmt: skip


def mam_time_decay(mam: Any, journeys: Any) -> Any:
    model = mam.MAM(
        journeys, format_type="journey", channels_colname="path",
        journey_with_conv_colname="has_conv", user_id_colname="journey_id",
        time_till_conv_colname="time_till_end", conversion_value_colname="value",
        path_separator=" > ",
    )  # fmt: skip
    return model.run_time_decay(HALF_LIFE_H)


MAM_RUNS: dict[str, Callable[[Any], Any]] = {
    "first_touch": lambda m: m.run_first_click(),
    "last_touch": lambda m: m.run_last_click(),
    "linear": lambda m: m.run_linear(),
    "position_based": lambda m: m.run_position_based(),
    "markov_o1": lambda m: m.run_markov(),
    "shapley": lambda m: m.run_shapley(max_size=None),
}


def _mam_credits(result: Any) -> dict[str, float]:
    table = result.to_dict()
    return {str(c): float(v) for c, v in zip(table["channels"], table["attribution"], strict=True)}


# -- comparison ------------------------------------------------------------------------------
def _compare(
    where: str, ours: Mapping[str, float], theirs: Mapping[str, float], tolerance: float
) -> float:
    """Largest |difference| over every channel either side names; raises beyond tolerance."""
    channels = sorted(set(ours) | set(theirs))
    worst = max((abs(ours.get(c, 0.0) - theirs.get(c, 0.0)) for c in channels), default=0.0)
    if worst > tolerance:
        detail = ", ".join(
            f"{c}: {ours.get(c, 0.0):.6f} vs {theirs.get(c, 0.0):.6f}" for c in channels
        )
        raise MismatchError(f"attribution {where}: differs by {worst:g} > {tolerance:g}: {detail}")
    return worst


def _check_ca(ca: Any, frame: Any, ours: AttributionResult) -> dict[str, Any]:
    total = ours.conversions
    checks: dict[str, Any] = {}
    heur = ca_heuristics(ca, frame)
    for key, prefix in (("first_touch", "first"), ("last_touch", "last"), ("linear", "linear")):
        for measure, col, tol in (
            ("conversions", f"{prefix}_touch_conversions", COUNT_TOLERANCE),
            ("value", f"{prefix}_touch_value", VALUE_TOLERANCE),
        ):
            worst = _compare(
                f"ChannelAttribution {key} {measure}",
                _credits(ours, key, measure),
                _ca_frame_credits(heur, col),
                tol,
            )
            checks[f"{key}.{measure}"] = {"max_abs_diff": worst, "tolerance": tol}
    for k in ORDERS:
        key = f"markov_o{k}"
        res = ca_markov(ca, frame, k)
        tol = MARKOV_SIM_TOLERANCE * total
        worst = _compare(
            f"ChannelAttribution {key} conversions (simulated)",
            _credits(ours, key, "conversions"),
            _ca_frame_credits(res, "total_conversions"),
            tol,
        )
        checks[f"{key}.conversions"] = {
            "max_abs_diff": worst,
            "max_diff_share_of_total": worst / total if total else 0.0,
            "tolerance": tol,
            "note": "ChannelAttribution simulates the chain (no exact mode)",
        }
    return checks


def _check_mam(
    mam: Any, grouped: Any, journeys: Any, ours: AttributionResult, ours_td: AttributionResult
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(checks, differences by definition) against MAM."""
    checks: dict[str, Any] = {}
    model = mam_model(mam, grouped)
    for key in ("first_touch", "last_touch", "linear", "position_based", "shapley"):
        worst = _compare(
            f"marketing_attribution_models {key} value",
            _credits(ours, key, "value"),
            _mam_credits(MAM_RUNS[key](model)),
            VALUE_TOLERANCE,
        )
        checks[f"{key}.value"] = {"max_abs_diff": worst, "tolerance": VALUE_TOLERANCE}
    markov = MAM_RUNS["markov_o1"](model)
    effects = markov.metadata["removal_effect"]["removal_effect"]
    shares = {str(c): float(v) / float(effects.sum()) for c, v in effects.items()}
    ours_share = {c: float(x.share or 0.0) for c, x in ours.models["markov_o1"].items()}
    worst = _compare(
        "marketing_attribution_models markov_o1 removal-effect shares",
        ours_share,
        shares,
        SHARE_TOLERANCE,
    )
    checks["markov_o1.removal_effect_share"] = {"max_abs_diff": worst, "tolerance": SHARE_TOLERANCE}
    theirs_td = _mam_credits(mam_time_decay(mam, journeys))
    tol_td = VALUE_TOLERANCE + 1e-9 * float(ours_td.value)
    worst = _compare(
        "marketing_attribution_models time_decay value (per journey)",
        _credits(ours_td, "time_decay", "value"),
        theirs_td,
        tol_td,
    )
    checks["time_decay.value"] = {"max_abs_diff": worst, "tolerance": tol_td}
    # MAM hands each journey's value to that journey's own channels in proportion to their
    # removal effects; METRICS.md splits the total by the removal effects — same removal
    # effects (checked above), different credits.
    ours_value = _credits(ours, "markov_o1", "value")
    theirs_value = _mam_credits(markov)
    diff = max(abs(ours_value[c] - theirs_value.get(c, 0.0)) for c in ours_value)
    differences = {
        "markov_o1.value": {
            "max_abs_diff": diff,
            "max_diff_share_of_total_value": diff / float(ours.value) if ours.value else 0.0,
            "why": "MAM splits each journey's value over its own channels by removal effect "
            "(per-journey normalisation); METRICS.md: RE_c / sum(RE) x total value",
        }
    }
    return checks, differences


# -- the benchmark ---------------------------------------------------------------------------
def _time(fn: Callable[[], Any], runs: int) -> Timing:
    timing = Timing()
    for _ in range(runs):
        timing.add(timed(fn)[0])
    return timing


def _summed(timings: Mapping[str, Timing], keys: list[str]) -> float:
    return sum(timings[k].median for k in keys)


def bench_attribution(
    scale_name: str,
    data_root: Path,
    console: Console,
    *,
    runs: int | None = None,
    force: bool = False,
) -> dict[str, Any]:
    """Generate (or reuse) the journeys, check the implementations agree, then time them."""
    scale = JOURNEY_SCALES[scale_name]
    n = RUNS[scale_name] if runs is None else Runs(runs, runs)
    console.print(f"  journeys: {scale.journeys:,} ...")
    data = generate_journeys(scale, data_root, force=force)
    meta = read_meta(data)
    paths_csv, journeys_csv = data / "paths.csv", data / "journeys.csv"
    ours = socialscope_all(paths_csv)  # also the warm-up
    ours_td = socialscope_time_decay(journeys_csv)
    out: dict[str, Any] = {
        "data": {**meta, "paths_rows": ours.paths, "channels": list(ours.channels)},
        "libraries": {},
        "checks": {},
        "differences": {},
        "skipped": {},
    }
    ca, mam = _ca(), _mam()
    frame = grouped = journeys = None
    if ca is None:
        out["skipped"]["ChannelAttribution"] = "not installed (pip install -e '.[bench]')"
    else:
        import pandas as pd

        out["libraries"]["ChannelAttribution"] = _version("ChannelAttribution")
        frame = pd.read_csv(paths_csv)
        console.print("  checking ChannelAttribution ...")
        out["checks"]["ChannelAttribution"] = _check_ca(ca, frame, ours)
    if mam is None:
        out["skipped"]["marketing_attribution_models"] = "not installed (pip install -e '.[bench]')"
    else:
        out["libraries"]["marketing_attribution_models"] = _version("marketing_attribution_models")
        grouped, journeys = mam_grouped(paths_csv), mam_journeys(journeys_csv)
        console.print("  checking marketing_attribution_models ...")
        checks, differences = _check_mam(mam, grouped, journeys, ours, ours_td)
        out["checks"]["marketing_attribution_models"] = checks
        out["differences"]["marketing_attribution_models"] = differences

    console.print(f"  timing socialscope ({n.socialscope} runs) ...")
    paths = read_paths_csv(paths_csv)
    ss: dict[str, Timing] = {
        "all_models": _time(lambda: socialscope_all(paths_csv), n.socialscope),
        "read_paths_csv": _time(lambda: read_paths_csv(paths_csv), n.socialscope),
    }
    for key in ours.models:
        ss[key] = _time(lambda key=key: socialscope_model(paths, key), n.socialscope)
    ss["time_decay_journeys"] = _time(lambda: socialscope_time_decay(journeys_csv), n.socialscope)
    timings: dict[str, dict[str, Timing]] = {"socialscope": ss}
    if ca is not None:
        console.print(f"  timing ChannelAttribution ({n.libraries} runs) ...")
        timings["ChannelAttribution"] = {
            "heuristics": _time(lambda: ca_heuristics(ca, frame), n.libraries),
            **{
                f"markov_o{k}": _time(lambda k=k: ca_markov(ca, frame, k), n.libraries)
                for k in ORDERS
            },
        }
    if mam is not None:
        console.print(f"  timing marketing_attribution_models ({n.libraries} runs) ...")
        mt: dict[str, Timing] = {"init": _time(lambda: mam_model(mam, grouped), n.libraries)}
        model = mam_model(mam, grouped)
        for key, run in MAM_RUNS.items():
            mt[key] = _time(lambda run=run: run(model), n.libraries)
        mt["time_decay_journeys"] = _time(lambda: mam_time_decay(mam, journeys), n.libraries)
        timings["marketing_attribution_models"] = mt
    out["timings"] = {impl: {k: t.to_dict() for k, t in ts.items()} for impl, ts in timings.items()}
    out["comparisons"], out["targets"] = _ratios(timings)
    return out


def _version(dist: str) -> str:
    from importlib.metadata import version

    return version(dist)


def _ratios(timings: Mapping[str, Mapping[str, Timing]]) -> tuple[dict[str, Any], list[Any]]:
    """socialscope's time / each library's for the same work (medians), and the targets."""
    ss = timings["socialscope"]
    comparisons: dict[str, Any] = {}
    targets: list[Any] = []
    if "ChannelAttribution" in timings:
        ca = timings["ChannelAttribution"]
        keys = ["first_touch", "last_touch", "linear"]
        same = {"heuristics (first, last, linear)": (_summed(ss, keys), ca["heuristics"].median)}
        for k in ORDERS:
            same[f"markov_o{k}"] = (ss[f"markov_o{k}"].median, ca[f"markov_o{k}"].median)
        all_ss = _summed(ss, [*keys, *(f"markov_o{k}" for k in ORDERS)])
        all_ca = _summed(ca, ["heuristics", *(f"markov_o{k}" for k in ORDERS)])
        same["its models together"] = (all_ss, all_ca)
        comparisons["ChannelAttribution"] = _pairs(same)
        targets.append(
            target(
                "attribution: socialscope faster than ChannelAttribution (its models: "
                "heuristics + Markov 1-3)",
                all_ss / all_ca,
                1.0,
                at_most=True,
                unit="x",
            )
        )
    if "marketing_attribution_models" in timings:
        mt = timings["marketing_attribution_models"]
        same = {key: (ss[key].median, mt[key].median) for key in MAM_RUNS}
        same["time_decay (per-journey file)"] = (
            ss["time_decay_journeys"].median,
            mt["time_decay_journeys"].median,
        )
        all_ss = _summed(ss, list(MAM_RUNS)) + ss["time_decay_journeys"].median
        all_mam = mt["init"].median + _summed(mt, list(MAM_RUNS)) + mt["time_decay_journeys"].median
        same["its models together (incl. its constructor)"] = (all_ss, all_mam)
        comparisons["marketing_attribution_models"] = _pairs(same)
        targets.append(
            target(
                "attribution: socialscope faster than marketing_attribution_models (its "
                "models: heuristics, time decay, Markov 1, Shapley)",
                all_ss / all_mam,
                1.0,
                at_most=True,
                unit="x",
            )
        )
    return comparisons, targets


def _pairs(same: Mapping[str, tuple[float, float]]) -> dict[str, Any]:
    return {
        name: {
            "socialscope_s": round(ours, 6),
            "library_s": round(theirs, 6),
            "ratio": round(ours / theirs, 4) if theirs else None,
        }
        for name, (ours, theirs) in same.items()
    }


def print_summary(console: Console, result: Mapping[str, Any]) -> None:
    """socialscope against each library, same work, medians."""
    data = result["data"]
    table = Table(
        title=f"attribution — {data['journeys']:,} journeys, {data['paths_rows']:,} paths, "
        f"{data['conversions']:,} conversions"
    )
    for col in ("library", "work", "socialscope", "library time", "ratio"):
        table.add_column(col, justify="left" if col in ("library", "work") else "right")
    for lib, pairs in result["comparisons"].items():
        for work, pair in pairs.items():
            ratio = pair["ratio"]
            table.add_row(
                lib,
                work,
                f"{pair['socialscope_s']:.3f} s",
                f"{pair['library_s']:.3f} s",
                f"{ratio:.2f}×" if ratio is not None else "",
            )
    all_models = result["timings"]["socialscope"]["all_models"]["median_s"]
    table.add_row("—", "socialscope: read + every model, Markov 1-3", f"{all_models:.3f} s", "", "")
    console.print(table)
    for lib, why in result["skipped"].items():
        console.print(f"  [yellow]skipped[/] {lib}: {escape(why)}")
