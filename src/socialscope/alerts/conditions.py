"""The condition grammar of an alert rule, parsed into typed conditions.

::

    condition  := threshold | change | anomaly
    threshold  := ("below" | "above") NUMBER          below 0.8, above 20
                | OP NUMBER                           <= 0.8
                | METRIC OP NUMBER                    queue_waiting > 20
    change     := "change_vs_yesterday" OP NUMBER "%" change_vs_yesterday < -30%
    anomaly    := ("anomaly" | "anomaly_any_overview") ["(" "sensitivity" "=" NUMBER ")"]
    OP         := "<" | "<=" | ">" | ">="

``below X`` is ``< X`` and ``above X`` is ``> X``. Durations (``for``) are ``N`` followed
by ``s``, ``m``, ``h`` or ``d`` (``2h``, ``90m``, ``1d``) or ``0``.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

OPS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
WORDS = {"below": "<", "above": ">"}
CHANGE = "change_vs_yesterday"
ANOMALY = "anomaly"
ANOMALY_ANY = "anomaly_any_overview"


class ConditionError(ValueError):
    """A condition or duration that does not parse; the message says what is expected."""


@dataclass(frozen=True)
class Threshold:
    """The metric's value compared with a number (a bucket value, or a snapshot)."""

    op: str
    value: float
    metric: str | None = None
    """The metric named inside the condition (``queue_waiting > 20``), if any."""

    def holds(self, x: float | None) -> bool:
        return x is not None and not math.isnan(x) and OPS[self.op](x, self.value)

    def text(self) -> str:
        return f"{self.op} {_num(self.value)}"


@dataclass(frozen=True)
class ChangeVsYesterday:
    """Today's value up to the last complete hour vs yesterday's up to the same hour, in %."""

    op: str
    pct: float

    def holds(self, change_pct: float | None) -> bool:
        return change_pct is not None and OPS[self.op](change_pct, self.pct)

    def text(self) -> str:
        return f"{CHANGE} {self.op} {_num(self.pct)}%"


@dataclass(frozen=True)
class Anomaly:
    """A point of the metric's series outside the anomaly runner's expected band."""

    any_overview: bool = False
    sensitivity: float | None = None

    def text(self) -> str:
        name = ANOMALY_ANY if self.any_overview else ANOMALY
        return name if self.sensitivity is None else f"{name}(sensitivity={self.sensitivity:g})"


Condition = Threshold | ChangeVsYesterday | Anomaly

_NUM = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_OP = r"<=|>=|<|>"
_WORD_RE = re.compile(rf"^(below|above)\s+({_NUM})$")
_OP_RE = re.compile(rf"^({_OP})\s*({_NUM})$")
_METRIC_RE = re.compile(rf"^([a-z][a-z0-9_]*)\s*({_OP})\s*({_NUM})$")
_CHANGE_RE = re.compile(rf"^{CHANGE}\s*({_OP})\s*({_NUM})\s*%$")
_ANOMALY_RE = re.compile(
    rf"^({ANOMALY_ANY}|{ANOMALY})\s*(?:\(\s*sensitivity\s*=\s*({_NUM})\s*\))?$"
)
_DURATION_RE = re.compile(r"^(\d+)\s*([smhd])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

EXPECTED = (
    "expected 'below N', 'above N', '<= N' (also <, >, >=), 'METRIC > N', "
    "'change_vs_yesterday < -30%', 'anomaly' or 'anomaly_any_overview'"
)


def _num(x: float) -> str:
    """The shortest text that reads back as the same float (20.0 → "20")."""
    text = repr(x)
    return text[:-2] if text.endswith(".0") else text


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ConditionError(f"{text!r} is not a finite number")
    return value


def parse_condition(text: str) -> Condition:
    """The typed condition of ``text``; ConditionError says what was expected."""
    if not isinstance(text, str):
        raise ConditionError(f"not text; {EXPECTED}")
    s = " ".join(text.strip().split())
    if m := _WORD_RE.match(s):
        return Threshold(WORDS[m.group(1)], _finite(m.group(2)))
    if m := _OP_RE.match(s):
        return Threshold(m.group(1), _finite(m.group(2)))
    if m := _CHANGE_RE.match(s):
        return ChangeVsYesterday(m.group(1), _finite(m.group(2)))
    if m := _ANOMALY_RE.match(s):
        sensitivity = _finite(m.group(2)) if m.group(2) is not None else None
        if sensitivity is not None and sensitivity <= 0:
            raise ConditionError("sensitivity must be a positive number")
        return Anomaly(any_overview=m.group(1) == ANOMALY_ANY, sensitivity=sensitivity)
    if m := _METRIC_RE.match(s):
        if m.group(1) in (CHANGE, ANOMALY, ANOMALY_ANY, *WORDS):
            raise ConditionError(f"cannot read {text!r}; {EXPECTED}")
        return Threshold(m.group(2), _finite(m.group(3)), metric=m.group(1))
    raise ConditionError(f"cannot read {text!r}; {EXPECTED}")


def parse_duration(text: str | int) -> timedelta:
    """``2h`` → 2 hours; ``0`` (or 0) → no duration."""
    if isinstance(text, int) and not isinstance(text, bool) and text == 0:
        return timedelta(0)
    if not isinstance(text, str):
        raise ConditionError("a duration is text such as '2h', '90m', '1d' or '0'")
    s = text.strip()
    if s == "0":
        return timedelta(0)
    m = _DURATION_RE.match(s)
    if not m:
        raise ConditionError(f"cannot read duration {text!r}; write e.g. '2h', '90m', '1d' or '0'")
    return timedelta(seconds=int(m.group(1)) * _UNITS[m.group(2)])


def format_duration(d: timedelta) -> str:
    seconds = int(d.total_seconds())
    for unit in ("d", "h", "m"):
        if seconds and seconds % _UNITS[unit] == 0:
            return f"{seconds // _UNITS[unit]}{unit}"
    return f"{seconds}s" if seconds else "0"
