"""Static platform benchmarks (METRICS.md section 10), shown beside a shop's own value.

Each entry names the registered metric it sits beside and carries its value in that
metric's unit (ratios as 0..1, seconds as seconds), so a surface can put the two side by
side without converting. The figures, sources and dates are those METRICS.md cites; where
it gives no publication date the entry says so instead of guessing one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from socialscope.metrics.spec import Unit

AS_CITED = "as cited in METRICS.md"
"""The date of a source whose publication date METRICS.md does not give."""


class Kind(StrEnum):
    TYPICAL = "typical"  # what peers typically reach: a value or a low–high range
    TARGET_MAX = "target_max"  # a ceiling to stay at or under (guidance)


@dataclass(frozen=True)
class Benchmark:
    metric: str
    low: float
    high: float  # equal to low for a single value
    unit: Unit
    kind: Kind
    channel: str | None  # None: any channel
    variant: str | None  # organic / ads / e-commerce / ...
    source: str
    date: str
    note: str = ""

    @property
    def display(self) -> str:
        """The value as people quote it: `0.47 %`, `2–3 %`, `≤ 40 s`."""

        def one(v: float) -> str:
            if self.unit is Unit.RATIO:
                return f"{v * 100:g} %"
            if self.unit is Unit.SECONDS:
                return f"{v:g} s"
            return f"{v:g}"

        if self.kind is Kind.TARGET_MAX:
            return f"≤ {one(self.high)}"
        if self.low == self.high:
            return one(self.low)
        if self.unit is Unit.RATIO:
            return f"{self.low * 100:g}–{self.high * 100:g} %"
        return f"{one(self.low)}–{one(self.high)}"

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["unit"] = self.unit.value
        out["kind"] = self.kind.value
        out["display"] = self.display
        return out


def _typical(
    metric: str,
    value: float,
    channel: str | None,
    variant: str | None,
    source: str,
    date: str,
    high: float | None = None,
    note: str = "",
) -> Benchmark:
    high = value if high is None else high
    return Benchmark(
        metric, value, high, Unit.RATIO, Kind.TYPICAL, channel, variant, source, date, note
    )


_RIVAL_IQ = "Rival IQ, Social Media Industry Benchmark Report"
_RIVAL_IQ_DATE = "2025"
_PER_POST = "per post, by followers"
_CHATDESK = "Chatdesk"
_FEIGE = "Feige (Douyin 飞鸽) service guidance"

BENCHMARKS: tuple[Benchmark, ...] = (
    _typical(
        "engagement_rate_by_followers", 0.0006, "facebook", _PER_POST, _RIVAL_IQ, _RIVAL_IQ_DATE
    ),
    _typical(
        "engagement_rate_by_followers", 0.0047, "instagram", _PER_POST, _RIVAL_IQ, _RIVAL_IQ_DATE
    ),
    _typical(
        "engagement_rate_by_followers", 0.0569, "tiktok", _PER_POST, _RIVAL_IQ, _RIVAL_IQ_DATE
    ),
    _typical("engagement_rate_by_followers", 0.00035, "x", _PER_POST, _RIVAL_IQ, _RIVAL_IQ_DATE),
    _typical("click_through_rate", 0.18, "instagram", "organic", _CHATDESK, AS_CITED),
    _typical("click_through_rate", 0.18, "instagram", "ads", _CHATDESK, AS_CITED),
    _typical("click_through_rate", 0.14, "tiktok", "organic", _CHATDESK, AS_CITED),
    _typical("click_through_rate", 0.023, "tiktok", "ads", _CHATDESK, AS_CITED),
    _typical("click_through_rate", 0.09, "facebook", "ads", _CHATDESK, AS_CITED),
    _typical("conversion_rate", 0.02, None, "e-commerce", "BigCommerce", AS_CITED, high=0.03),
    _typical(
        "lead_rate",
        0.038,
        None,
        "email pop-up",
        "not named in METRICS.md",
        AS_CITED,
        note="Lead conversion of an email pop-up; METRICS.md cites no source for it.",
    ),
    Benchmark(
        "avg_response_time",
        40.0,
        40.0,
        Unit.SECONDS,
        Kind.TARGET_MAX,
        None,
        "average response",
        _FEIGE,
        AS_CITED,
    ),
    Benchmark(
        "first_response_time_avg",
        60.0,
        60.0,
        Unit.SECONDS,
        Kind.TARGET_MAX,
        None,
        "first response",
        _FEIGE,
        AS_CITED,
    ),
)


def benchmarks_for(metric_id: str, channel: str | None = None) -> list[Benchmark]:
    """The benchmarks beside a metric, in declaration order.

    With a channel: that channel's entries and those valid for any channel (channel None);
    without: all of the metric's entries.
    """
    return [
        b
        for b in BENCHMARKS
        if b.metric == metric_id and (channel is None or b.channel in (None, channel))
    ]
