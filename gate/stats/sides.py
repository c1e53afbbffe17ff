"""Running a test on one metric's two sides as the gate needs it: at any scale, with a
percentage tolerance as an estimate, and no proof drawn from a spread that was not seen.

- Both sides and the tolerance are divided by the power of two just above the
  largest magnitude (exact in floating point), and the bounds multiplied back:
  a verdict is the same in seconds or picoseconds, and no variance of huge but
  finite values overflows into a NaN. McNemar's 0/1 outcomes are left as they are.
- A percentage tolerance is an estimate, not a constant. "At most 20% slower" means the
  candidate's mean against 1.2 times the baseline's; taking 20% of the *observed*
  baseline mean as known ignores that mean's own uncertainty (measured: false alarms
  above alpha at the boundary). So "worse by more than the tolerance" and "not worse
  than it" compare the candidate with the baseline scaled by
  ``k = 1 - fraction * sign(baseline mean)`` (oriented units), with no further
  tolerance; whether it got better is tested plainly.
- Two sides with no spread at all give an exact answer, but from few runs of
  discrete values (accuracy 1.0 twice a side) that is luck, not proof: below
  ``EXACT_PROOF_RUNS`` a side, zero spread does not show non-inferiority.
"""

from __future__ import annotations

import math

import numpy as np

from gate.model import replace
from gate.stats import Comparison, Sample, StatSettings, compare
from gate.vocabulary import TestName

EXACT_PROOF_RUNS = 10


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


def data_scale(*sides: Sample) -> float:
    """The power of two just above the largest magnitude of finite values (1 for none)."""
    finite = [np.abs(side[np.isfinite(side)]) for side in sides]
    largest = max((float(values.max()) for values in finite if values.size), default=0.0)
    return 1.0 if largest == 0.0 else math.ldexp(1.0, math.frexp(largest)[1])


def compare_sides(
    test: TestName,
    candidate: Sample,
    baseline: Sample,
    settings: StatSettings,
    *,
    fraction: float | None = None,
) -> Comparison:
    """``compare`` in oriented units; ``fraction``: the tolerance is that share of the
    baseline mean (``settings.tolerance`` is then only its observed value)."""
    scale = 1.0 if test is TestName.MCNEMAR else data_scale(candidate, baseline)
    scaled = replace(settings, tolerance=settings.tolerance / scale)
    cand, base = candidate / scale, baseline / scale
    if fraction is not None and test is not TestName.MCNEMAR:
        comparison = relative_compare(test, cand, base, scaled, fraction)
    else:
        comparison = compare(test, cand, base, scaled)
    comparison = comparison.scaled(scale)
    few = min(candidate.size, baseline.size) < EXACT_PROOF_RUNS
    if comparison.se == 0.0 and few and comparison.p_noninferior <= settings.alpha:
        comparison = replace(
            comparison,
            p_noninferior=1.0,
            notes=(
                *comparison.notes,
                f"no spread at all in {min(candidate.size, baseline.size)} values: that does "
                f"not show non-inferiority (it needs {EXACT_PROOF_RUNS} values a side)",
            ),
        )
    return comparison
