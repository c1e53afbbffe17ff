"""The Mann-Whitney U test and its Hodges-Lehmann-type bounds on the location shift.

A rank test asks whether the candidate's values tend to lie below the
baseline's, shifted by the tolerance; it makes no assumption of normality and
shrugs off a wild run. Its bounds invert the same test over the pairwise
differences, so bound and test agree by construction.
"""

from __future__ import annotations

import math

import numpy as np

from gate.stats import Comparison, Sample, StatSettings
from gate.stats.inversion import lower_bound, upper_bound
from gate.vocabulary import TestName

# Up to this many pairwise differences are listed and scipy's own choice of method applies.
LISTED_PAIRS = 250_000


def mann_whitney_test(candidate: Sample, baseline: Sample, settings: StatSettings) -> Comparison:
    from scipy.stats import mannwhitneyu  # over a second to import: only when this test is used

    alpha, tolerance = settings.alpha, settings.tolerance
    listed = candidate.size * baseline.size <= LISTED_PAIRS
    # Above the cut-over always the normal approximation, as scipy uses for more than
    # 8 runs a side: its bounds come without listing the pairs (gate.stats.large).
    method = "auto" if listed else "asymptotic"

    def p_value(shift: float, alternative: str) -> float:
        """P-value of "the candidate minus ``shift`` lies below/above the baseline"."""
        return float(
            mannwhitneyu(candidate - shift, baseline, alternative=alternative, method=method).pvalue
        )

    if listed:
        pairwise = np.subtract.outer(candidate, baseline).ravel()
        delta = float(np.median(pairwise))  # the Hodges-Lehmann estimate of the shift
        low = lower_bound(pairwise, lambda s: p_value(s, "greater") <= alpha)
        high = upper_bound(pairwise, lambda s: p_value(s, "less") <= alpha)
    else:
        from gate.stats.large.rank_normal import mann_whitney_bounds

        low, high, delta = mann_whitney_bounds(candidate, baseline, alpha)
    floor = smallest_p(candidate.size, baseline.size)
    # Welch's standard error stands in for power figures; ranks have no simple one.
    se = math.sqrt(candidate.var(ddof=1) / candidate.size + baseline.var(ddof=1) / baseline.size)
    return Comparison(
        test=TestName.MANNWHITNEY,
        delta=delta,
        low=low,
        high=high,
        p_worse=p_value(-tolerance, "less"),
        p_better=p_value(0.0, "greater"),
        p_noninferior=p_value(-tolerance, "greater"),
        se=se,
        floor=floor,
        notes=floor_note(
            "Mann-Whitney", TestName.MANNWHITNEY, floor, alpha, candidate.size, baseline.size
        ),
    )


def smallest_p(n_candidate: int, n_baseline: int) -> float:
    """The smallest one-sided p-value an exact two-sample rank test can give (no ties)."""
    ways = math.comb(n_candidate + n_baseline, n_candidate)
    return 1.0 / ways if ways < 2**1000 else 0.0  # beyond, 1 / ways is no float


def runs_to_reach(test: TestName, alpha: float) -> int | None:
    """Runs (pairs) a side with which an exact rank or sign test can give p <= alpha at all."""
    for n in range(2, 64):
        floor = smallest_p(n, n) if test is TestName.MANNWHITNEY else 0.5**n
        if floor <= alpha:
            return n
    return None


def floor_note(
    label: str, test: TestName, floor: float, alpha: float, *sizes: int
) -> tuple[str, ...]:
    if floor <= alpha:
        return ()
    runs = " and ".join(str(size) for size in sizes)
    enough = runs_to_reach(test, alpha)
    more = f"{enough} runs a side could" if enough else "more runs could"
    return (
        f"with {runs} runs the {label} test cannot reach p <= {alpha:g} (its smallest p is "
        f"{floor:.3g}), so it cannot flag this metric at all; {more} (or use a t-test)",
    )
