"""Step syntax, and strict mode / `same` on customer-level sources (seeds/social; the seed
is listed in test_builtin.py)."""

from __future__ import annotations

import pytest

from socialscope.funnels import FunnelError, Step, parse_step, parse_steps
from socialscope.funnels.steps import Filter
from tests.funnels.conftest import Seed


def test_parse_filters() -> None:
    step = parse_step("order[source=live|post, channel!=line,live_id=*,post_id=]")
    assert step == Step(
        "order",
        (
            Filter("source", "in", ("live", "post")),
            Filter("channel", "not_in", ("line",)),
            Filter("live_id", "present"),
            Filter("post_id", "absent"),
        ),
    )
    assert step.label == "order[source=live|post,channel!=line,live_id=*,post_id=]"
    assert parse_step(step.label) == step


def test_parse_steps_splits_on_top_level_commas() -> None:
    steps = parse_steps("comment[live_id=*],&keyword_comment,order[source=live,channel=line]")
    assert [s.label for s in steps] == [
        "comment[live_id=*]",
        "&keyword_comment",
        "order[source=live,channel=line]",
    ]
    assert [s.overlap for s in steps] == [False, True, False]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("visit", "unknown funnel event 'visit'"),
        ("click[live_id=L1]", "click events have no dimension 'live_id'"),
        ("order[source=live", "must close with"),
        ("order[source]", "is not dim=value"),
        ("order[source!=]", "needs a value"),
    ],
)
def test_parse_errors(text: str, message: str) -> None:
    with pytest.raises(FunnelError, match=message):
        parse_step(text)


def test_strict_ignores_sources_the_funnel_does_not_use(social: Seed) -> None:
    # inquiry -> paid, strict: the sources are customer messages and payments. C1's
    # order creation (o1 11:00) stands between m1 (10:00) and the payment (11:30) but
    # orders are not a source of this funnel -> C1 converts; P2 likewise (m3 -> o3 paid);
    # P3 has no payment -> [3, 2]
    assert social.counts("inquiry,paid", "tp", "2026-03-10", unit="customer", mode="strict") == [
        3,
        2,
    ]


def test_same_dimension(social: Seed) -> None:
    # comment -> keyword_comment (a later comment each): C1 c1 -> c2; F3 c4 (L2) -> c5
    # (L1); F2 and C6 have one comment each -> [4, 2]
    steps = "comment,keyword_comment"
    day = "2026-03-10"
    assert social.counts(steps, "tp", day, unit="customer") == [4, 2]
    # same live: F3's "+1" is on another live than its first comment, and from c5 there
    # is no later comment -> only C1 (c1 and c2 on L1); c6 has no live -> [4, 1]
    assert social.counts(steps, "tp", day, unit="customer", same=("live_id",)) == [4, 1]
    # strict: C1 c1 -> c2 is its next comment; F3 c4 -> c5 next -> [4, 2]
    assert social.counts(steps, "tp", day, unit="customer", mode="strict") == [4, 2]
