"""Request bodies and documented responses of the analysis routes (api/routes/analysis.py).

Request models validate before any runner runs, so a bad option is a 400 naming the body
field (``body field 'paths.2.conversions': ...``); the runners then check what only they
can (an unknown model or step, a shop without data). Response models document the JSON
the runners' ``to_json()`` produce; the routes send that JSON as it is, so the HTTP
answer is byte for byte what the CLI's ``--format json`` prints.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

NO_NUL = r"^[^\x00]*$"
"""Text fields refuse NUL characters (the SQL layer cannot take one)."""
Text = Annotated[str, StringConstraints(pattern=NO_NUL, max_length=200)]
Channel = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]

MAX_COUNT = 1e12
"""Largest conversions / nulls of one inline path row (keeps sums finite)."""
MAX_HOURS = 1e6
"""Largest hours_till_conv of a touch (about 114 years)."""
MAX_VALUE = Decimal(10) ** 14
"""Values must fit DECIMAL(18,4)."""
MAX_TOUCHES = 1000
"""Longest inline path."""
MAX_LOOKBACK_DAYS = 3660
"""Longest journey lookback and campaign trailing period (about ten years)."""
MAX_REVIEW_DAYS = 366
"""Most days after a launch a campaign review compares."""
MAX_REVIEW_WEEKS = 520
"""Most weeks of baseline history before a launch."""

Count = Annotated[float, Field(ge=0, le=MAX_COUNT, allow_inf_nan=False)]
Hours = Annotated[float, Field(ge=0, le=MAX_HOURS, allow_inf_nan=False)]
MarkovOrder = Annotated[int, Field(ge=1, le=3)]


class InlinePath(BaseModel):
    """One path row, as a row of the paths CSV (``path`` oldest touch first)."""

    model_config = ConfigDict(extra="forbid")

    path: list[Channel] = Field(min_length=1, max_length=MAX_TOUCHES)
    conversions: Count
    value: Decimal = Field(default=Decimal(0), ge=0, lt=MAX_VALUE, allow_inf_nan=False)
    nulls: Count = 0.0
    hours_till_conv: list[Hours] | None = Field(default=None, max_length=MAX_TOUCHES)

    @model_validator(mode="after")
    def _consistent(self) -> InlinePath:
        if self.hours_till_conv is not None and len(self.hours_till_conv) != len(self.path):
            raise ValueError(
                f"hours_till_conv has {len(self.hours_till_conv)} numbers for a path of "
                f"{len(self.path)} touches"
            )
        if self.value != 0 and self.conversions == 0:
            raise ValueError(f"value {self.value} on a path without conversions")
        return self

    def record(self) -> dict[str, Any]:
        """The row for socialscope.attribution.paths.paths_from_records."""
        return {
            "path": list(self.path),
            "conversions": self.conversions,
            "value": self.value,
            "nulls": self.nulls,
            "hours_till_conv": self.hours_till_conv,
        }


class ModelOptions(BaseModel):
    """Which attribution models run (as `socialscope attribution --models/--order`)."""

    models: Text | list[Text] = Field(
        default="all",
        description="all, or names: first_touch, last_touch, linear, position_based, "
        "time_decay, markov, shapley; markov_o2 style keys pick one Markov order.",
    )
    orders: list[MarkovOrder] = Field(
        default=[1], min_length=1, description="Markov orders of markov/all (1 to 3)."
    )
    half_life_hours: float = Field(
        default=168.0, gt=0, le=MAX_HOURS, allow_inf_nan=False, description="time_decay."
    )


STORE_FIELDS = frozenset(
    {
        "shop",
        "date_from",
        "date_to",
        "lookback_days",
        "include",
        "touch_events",
        "conversion",
        "net_of_refunds",
    }
)
"""Fields of the store mode; with inline ``paths`` none of them may be given."""


class AttributionBody(ModelOptions):
    """Either inline ``paths``, or a shop and period whose paths are built from the store."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    paths: list[InlinePath] | None = Field(
        default=None, description="Inline paths (then no store option may be given)."
    )
    shop: Text | None = Field(
        default=None, description="Shop id; a shop key reads its own shop when none is given."
    )
    date_from: date | None = Field(
        default=None, alias="from", description="First local date of the conversions."
    )
    date_to: date | None = Field(default=None, alias="to", description="Last local date.")
    lookback_days: int = Field(default=30, ge=1, le=MAX_LOOKBACK_DAYS)
    include: list[Literal["chat", "comment", "live"]] = Field(
        default=[], description="Touches beside touchpoints."
    )
    touch_events: list[Text] = Field(
        default=["click"], description="Touchpoint events that are touches."
    )
    conversion: Literal["paid_order", "purchase"] = "paid_order"
    net_of_refunds: bool = False
    currency: Text | None = Field(
        default=None,
        description="Store mode: the conversions' currency (needed when several); "
        "inline paths: the label of their values.",
    )


Duration = Annotated[str, StringConstraints(pattern=NO_NUL, max_length=40)]


class FunnelBody(BaseModel):
    """A funnel: `steps` or `builtin`, a shop and period, and the options of
    `socialscope funnel` (docs/funnels.md)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    steps: (
        Annotated[str, StringConstraints(pattern=NO_NUL, max_length=4000)]
        | list[Annotated[str, StringConstraints(pattern=NO_NUL, max_length=1000)]]
        | None
    ) = Field(
        default=None,
        description="Comma-separated steps (`impression,click,purchase`), or one step per "
        "item; a step is `event` or `event[dim=value,...]`.",
    )
    builtin: Text | None = Field(default=None, description="A built-in funnel's name.")
    shop: Text | None = Field(
        default=None, description="Shop id; a shop key reads its own shop when none is given."
    )
    date_from: date | None = Field(
        default=None,
        alias="from",
        description="First local date of the entries (with `to`; neither: the last 30 "
        "days of the shop's data).",
    )
    date_to: date | None = Field(default=None, alias="to", description="Last local date.")
    unit: Literal["visitor", "customer"] | None = Field(
        default=None, description="The counted unit (default visitor; built-ins set it)."
    )
    mode: Literal["ordered", "strict", "any"] = "ordered"
    window: Duration = Field(default="14d", description="From step 1: 14d, 36h, 90m, 30s.")
    step_windows: dict[Annotated[str, StringConstraints(pattern=r"^[0-9]{1,2}$")], Duration] = (
        Field(default={}, description='Most time from the previous step, e.g. {"3": "1d"}.')
    )
    counting: Literal["unique", "totals"] = "unique"
    by: Text | None = Field(default=None, description="Breakdown dimension.")
    breakdown_at: Literal["first", "last"] = "first"
    same: list[Text] | None = Field(
        default=None, description="Every step shares step 1's value of these dimensions."
    )


class FunnelStepOut(BaseModel):
    step: int
    label: str
    count: int
    conversion_from_first: float | None
    conversion_from_previous: float | None
    drop_off: int | None
    drop_off_rate: float | None
    median_s_from_previous: float | None
    mean_s_from_previous: float | None
    median_s_from_first: float | None
    mean_s_from_first: float | None


class FunnelValueOut(BaseModel):
    currency: str | None
    conversions: int
    total: str = Field(description="Decimal as a string (never a binary float).")
    mean: str


class FunnelSliceOut(BaseModel):
    value: Any
    steps: list[FunnelStepOut]
    values: list[FunnelValueOut]


class FunnelOut(BaseModel):
    """`FunnelResult.to_json()`: the request as run, the overall slice and the breakdown."""

    request: dict[str, Any]
    overall: FunnelSliceOut
    breakdown: list[FunnelSliceOut]


class BuiltinFunnelOut(BaseModel):
    name: str
    steps: list[str]
    unit: str
    same: list[str]
    description: str


class CampaignReviewBody(BaseModel):
    """The review of one campaign, post or live (`socialscope campaign-review`)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["campaign", "post", "live"]
    ref: Annotated[str, StringConstraints(pattern=NO_NUL, min_length=1, max_length=200)] = Field(
        description="The campaign name (utm campaign), post_id or live_id."
    )
    shop: Text | None = Field(
        default=None, description="Shop id; a shop key reads its own shop when none is given."
    )
    launch: date | None = Field(default=None, description="Default: the subject's start.")
    days_after: int = Field(default=14, ge=1, le=MAX_REVIEW_DAYS)
    weeks_before: int = Field(default=6, ge=1, le=MAX_REVIEW_WEEKS)
    trailing_days: int = Field(default=28, ge=1, le=MAX_LOOKBACK_DAYS)
    target_sales: Decimal | None = Field(
        default=None, ge=0, lt=MAX_VALUE, description="Sales target in the shop's currency."
    )
    interval: float = Field(default=0.9, gt=0, lt=1, description="Prediction interval level.")


class CampaignReviewOut(BaseModel):
    """`CampaignReviewResult.to_json()` (docs/campaign-review.md)."""

    shop: str
    kind: str
    ref: str
    channel: str | None
    currency: str | None
    launch: str
    launch_from: str
    interval: float
    trailing_from: str
    trailing_to: str
    targets: dict[str, Any] = Field(description="target, complete, stopped, stages.")
    window_from: str | None
    window_to: str | None
    days_after: int
    lift: list[dict[str, Any]] = Field(description="One entry per metric compared.")
    notes: list[str]


class ModelCredits(BaseModel):
    conversions: dict[str, float]
    value: dict[str, float]
    share: dict[str, float | None]


class AttributionOut(BaseModel):
    """`socialscope attribution --format json`: credits per model key and channel."""

    models: dict[str, ModelCredits]
    paths: int
    conversions: float
    nulls: float
    value: float
    currency: str | None
    skipped: dict[str, str]
    notes: list[str]


class TopPostRow(BaseModel):
    rank: int
    channel: str | None
    post_id: str | None
    kind: str | None
    published_at: str | None = Field(description="Shop-local wall-clock time.")
    impressions: float | None
    reach: float | None
    engagements: float | None
    engagement_rate_by_reach: float | None
    engagement_rate_by_impressions: float | None
    link_clicks: float | None
    video_views: float | None
    caption: str | None


class TopPostsOut(BaseModel):
    """The ranked posts of one shop and the period they were read over."""

    shop: str | None
    date_from: str | None = Field(alias="from")
    date_to: str | None = Field(alias="to")
    rows: list[TopPostRow]


class BenchmarkOut(BaseModel):
    """One static benchmark (`socialscope benchmarks --format json`)."""

    metric: str
    low: float
    high: float
    unit: str
    kind: str
    channel: str | None
    variant: str | None
    source: str
    date: str
    note: str
    display: str
