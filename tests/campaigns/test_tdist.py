"""Student t quantiles against printed t tables (two-sided 90 % / 95 % critical values)."""

from __future__ import annotations

import pytest

from socialscope.campaigns.tdist import incomplete_beta, t_quantile, t_upper_tail


@pytest.mark.parametrize(
    ("p", "df", "expected"),
    [
        # Values from a standard t table (e.g. any statistics textbook appendix):
        (0.95, 1, 6.313752),  # t(1) = Cauchy: tan(π·0.45) = 6.3138
        (0.975, 1, 12.706205),  # tan(π·0.475) = 12.7062
        (0.95, 6, 1.943180),  # the 2-week baseline: 14 days − 8 parameters
        (0.95, 34, 1.690924),  # the 6-week baseline: 42 − 8
        (0.975, 10, 2.228139),
        (0.90, 20, 1.325341),
        (0.95, 1e6, 1.644855),  # → the normal quantile z(0.95)
    ],
)
def test_quantile_matches_tables(p: float, df: float, expected: float) -> None:
    assert t_quantile(p, df) == pytest.approx(expected, abs=2e-6)


def test_symmetry_and_median() -> None:
    # t is symmetric about 0: q(0.05) = −q(0.95); the median is 0.
    assert t_quantile(0.05, 6) == pytest.approx(-1.943180, abs=2e-6)
    assert t_quantile(0.5, 6) == 0.0


def test_tail_and_beta_edges() -> None:
    # P(T > 0) = 1/2 for any df; I_0 = 0 and I_1 = 1; I_x(1, 1) = x (uniform CDF).
    assert t_upper_tail(0.0, 6) == pytest.approx(0.5)
    assert incomplete_beta(2.0, 3.0, 0.0) == 0.0
    assert incomplete_beta(2.0, 3.0, 1.0) == 1.0
    assert incomplete_beta(1.0, 1.0, 0.3) == pytest.approx(0.3)
    # I_x(a, 1) = x^a: I_0.5(3, 1) = 0.125.
    assert incomplete_beta(3.0, 1.0, 0.5) == pytest.approx(0.125)


@pytest.mark.parametrize(("p", "df"), [(0.0, 5), (1.0, 5), (0.9, 0)])
def test_bad_arguments(p: float, df: float) -> None:
    with pytest.raises(ValueError, match=r"quantile|degrees"):
        t_quantile(p, df)
