"""Tests of "is the candidate worse than the baseline by more than the tolerance?".

Every test works in oriented units, where higher is better (the core negates
lower-is-better metrics first), and answers with a ``Comparison``: the
difference, two one-sided (1 - alpha) bounds of it, and three one-sided
p-values. A test's bounds agree with its p-values:

- ``p_worse <= alpha``       exactly when ``high < -tolerance`` (a regression),
- ``p_better <= alpha``      exactly when ``low > 0`` (an improvement),
- ``p_noninferior <= alpha`` exactly when ``low > -tolerance`` (proven not worse).

Unpaired tests take the two sides as they are; paired tests take them aligned,
``candidate[i]`` paired with ``baseline[i]``.

scipy is imported inside the tests that need it: ``scipy.stats`` alone costs
over a second of start-up.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from gate.model import replace
from gate.vocabulary import Statistic, TestName

Sample = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Comparison:
    test: TestName
    delta: float  # the estimate, candidate minus baseline, oriented so that negative is worse
    low: float  # one-sided (1 - alpha) lower bound of the difference
    high: float  # one-sided (1 - alpha) upper bound of the difference
    p_worse: float  # H0: not worse than -tolerance
    p_better: float  # H0: not better than the baseline
    p_noninferior: float  # H0: worse than -tolerance
    se: float | None = None  # standard error of the estimate, for power figures
    df: float | None = None  # degrees of freedom behind ``se``; None for a normal reference
    floor: float = 0.0  # the smallest p-value this test can give at these sizes
    notes: tuple[str, ...] = ()
    # A percentage tolerance (gate.stats.sides): the candidate is tested against
    # ``margin`` times the baseline, with these bounds of candidate - margin * baseline.
    margin: float | None = None
    margin_low: float | None = None
    margin_high: float | None = None

    def scaled(self, factor: float) -> Comparison:
        """The same answer for data multiplied by ``factor``: p-values do not change."""

        def times(value: float | None) -> float | None:
            return None if value is None else value * factor

        return replace(
            self,
            delta=self.delta * factor,
            low=self.low * factor,
            high=self.high * factor,
            se=times(self.se),
            margin_low=times(self.margin_low),
            margin_high=times(self.margin_high),
        )


@dataclass(frozen=True)
class StatSettings:
    tolerance: float
    alpha: float
    resamples: int = 10_000
    seed: int = 0
    statistic: Statistic = Statistic.MEAN


StatTest = Callable[[Sample, Sample, StatSettings], Comparison]


def compare(
    test: TestName, candidate: Sample, baseline: Sample, settings: StatSettings
) -> Comparison:
    """Run the named test; each side needs at least two values (paired: two pairs)."""
    return _tests()[test](candidate, baseline, settings)


@functools.cache
def _tests() -> dict[TestName, StatTest]:
    # Imported at the first test, not with this package, and once, not at every call (a
    # gate of 200 metrics compares 400 times).
    from gate.stats.bootstrap import bootstrap_test, paired_bootstrap_test
    from gate.stats.mcnemar import mcnemar_test
    from gate.stats.paired import paired_t_test, sign_flip_test, wilcoxon_test
    from gate.stats.prediction import prediction_test
    from gate.stats.ranks import mann_whitney_test
    from gate.stats.welch import welch_test

    return {
        TestName.WELCH: welch_test,
        TestName.BOOTSTRAP: bootstrap_test,
        TestName.MANNWHITNEY: mann_whitney_test,
        TestName.PAIRED_T: paired_t_test,
        TestName.WILCOXON: wilcoxon_test,
        TestName.SIGNFLIP: sign_flip_test,
        TestName.PAIRED_BOOTSTRAP: paired_bootstrap_test,
        TestName.MCNEMAR: mcnemar_test,
        TestName.PREDICTION: prediction_test,
    }
