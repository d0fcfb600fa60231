"""Funnel analysis (METRICS.md section 7): steps, matching modes, windows, breakdowns."""

from socialscope.funnels.request import FunnelRequest
from socialscope.funnels.result import FunnelResult, FunnelSlice, StepResult, ValueResult
from socialscope.funnels.runner import run_funnel
from socialscope.funnels.steps import FunnelError, Step, parse_step, parse_steps

__all__ = [
    "FunnelError",
    "FunnelRequest",
    "FunnelResult",
    "FunnelSlice",
    "Step",
    "StepResult",
    "ValueResult",
    "parse_step",
    "parse_steps",
    "run_funnel",
]
