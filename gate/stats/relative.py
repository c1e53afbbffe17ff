"""A tolerance given as a percentage of the baseline mean, tested as what it is: an estimate.

"At most 20% slower" means the candidate's mean against 1.2 times the baseline's.
Taking 20% of the *observed* baseline mean as a known constant ignores the
baseline mean's own uncertainty and raises false alarms (measured: .095 at alpha
.05 on the boundary). So the tests of "worse by more than the tolerance" and
"not worse than it" compare the candidate with the baseline scaled by
``k = 1 - fraction * sign(baseline mean)`` (in oriented units, higher is better),
with no further tolerance; whether it got better is tested plainly. McNemar's
0/1 outcomes cannot be scaled, so there the percentage stays a constant.
"""

from __future__ import annotations

import math
from dataclasses import replace

from gate.stats import Comparison, Sample, StatSettings, compare
from gate.vocabulary import TestName


def margin_factor(baseline_mean: float, fraction: float) -> float:
    """The factor of the baseline that marks the tolerance, in oriented units."""
    return 1.0 - fraction * math.copysign(1.0, baseline_mean)


def relative_compare(
    test: TestName, candidate: Sample, baseline: Sample, settings: StatSettings, fraction: float
) -> Comparison:
    """``compare``, with the tolerance ``fraction`` times the baseline mean (not zero)."""
    plain = compare(test, candidate, baseline, replace(settings, tolerance=0.0))
    factor = margin_factor(float(baseline.mean()), fraction)
    margin = compare(test, candidate, factor * baseline, replace(settings, tolerance=0.0))
    return replace(
        plain,
        p_worse=margin.p_worse,
        p_noninferior=margin.p_noninferior,
        margin=factor,
        margin_high=margin.high,
        margin_low=margin.low,
    )
