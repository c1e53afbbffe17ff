"""Two-sample tests of "is the candidate worse than the baseline by more than the tolerance?".

Every test works in oriented units, where higher is better (the core negates
lower-is-better metrics first), and answers with a ``Comparison``: the
difference, a two-sided (1 - 2*alpha) interval whose ends are the two
one-sided (1 - alpha) bounds, and the two one-sided p-values. A test's
interval and its p-values agree: ``p_worse <= alpha`` exactly when the upper
bound lies below ``-tolerance``, and ``p_better <= alpha`` exactly when the
lower bound lies above 0.

scipy is imported inside the tests that need it: ``scipy.stats`` alone costs
over a second of start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Sample = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Comparison:
    test: str
    delta: float  # candidate minus baseline, oriented so that negative is worse
    low: float  # one-sided (1 - alpha) lower bound of the difference
    high: float  # one-sided (1 - alpha) upper bound of the difference
    p_worse: float  # H0: not worse than -tolerance
    p_better: float  # H0: not better than the baseline
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class StatSettings:
    tolerance: float
    alpha: float
    resamples: int = 10_000
    seed: int = 0


StatTest = Callable[[Sample, Sample, StatSettings], Comparison]


def compare(test: str, candidate: Sample, baseline: Sample, settings: StatSettings) -> Comparison:
    """Run the named test; both samples need at least two values."""
    from gate.stats.bootstrap import bootstrap_test
    from gate.stats.ranks import mann_whitney_test
    from gate.stats.welch import welch_test

    tests: dict[str, StatTest] = {
        "welch": welch_test,
        "bootstrap": bootstrap_test,
        "mannwhitney": mann_whitney_test,
    }
    return tests[test](candidate, baseline, settings)
