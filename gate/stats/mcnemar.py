"""The exact McNemar test for 0/1 outcomes on shared examples, with a tolerance.

Only the examples the two models disagree on carry information. Among those
``d`` discordant examples, the count the candidate gets wrong (and the
baseline right) is binomial given ``d``; a difference in accuracy ``D``
corresponds to the probability ``(1 - D * N / d) / 2``. The bounds are
Clopper-Pearson bounds of that probability mapped back to ``D``, which agree
exactly with the binomial p-values. The scores must all be 0 or 1; ``gate.samples``
checks that, naming the metric, before any test runs.
"""

from __future__ import annotations

import numpy as np

from gate.stats import Comparison, Sample, StatSettings
from gate.vocabulary import TestName


def mcnemar_test(candidate: Sample, baseline: Sample, settings: StatSettings) -> Comparison:
    from scipy import special

    # The caller (gate.samples) has checked that every score is 0 or 1.
    total = candidate.size
    lost = int(np.count_nonzero((baseline == 1) & (candidate == 0)))
    gained = int(np.count_nonzero((baseline == 0) & (candidate == 1)))
    discordant = lost + gained
    delta = (gained - lost) / total
    if discordant == 0:
        from gate.stats.tdist import exact_comparison

        return exact_comparison(TestName.MCNEMAR, 0.0, settings)
    alpha, scale = settings.alpha, discordant / total

    def at_least(k: int, p: float) -> float:  # P(X >= k)
        return 1.0 if k <= 0 else float(special.bdtrc(k - 1, discordant, p))

    def at_most(k: int, p: float) -> float:  # P(X <= k)
        return 1.0 if k >= discordant else float(special.bdtr(k, discordant, p))

    # Clopper-Pearson one-sided bounds of the probability of "lost".
    lost_low = 0.0 if lost == 0 else float(special.betaincinv(lost, discordant - lost + 1, alpha))
    lost_high = (
        1.0
        if lost == discordant
        else float(special.betaincinv(lost + 1, discordant - lost, 1 - alpha))
    )
    margin = (1 + settings.tolerance / scale) / 2
    if margin > 1.0:  # the tolerance exceeds any drop these examples could show
        worse_p, noninferior_p = 1.0, 0.0
    else:
        worse_p, noninferior_p = at_least(lost, margin), at_most(lost, margin)
    return Comparison(
        test=TestName.MCNEMAR,
        delta=delta,
        low=scale * (1 - 2 * lost_high),
        high=scale * (1 - 2 * lost_low),
        p_worse=worse_p,
        p_better=at_most(lost, 0.5),
        p_noninferior=noninferior_p,
        se=float(np.sqrt(discordant)) / total,
        notes=(f"{discordant} of {total} examples differ: {lost} lost, {gained} gained",),
    )
