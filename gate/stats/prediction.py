"""The prediction test: one run against the spread of two or more on the other side.

Training is expensive, so a pull request often brings one run against a history
of main's runs. With one value ``x`` and ``n`` runs of the other side (mean
``m``, standard deviation ``s``), ``x - m`` has the standard error of a new
observation, ``s * sqrt(1 + 1/n)``, and ``(x - m) / se`` follows Student's t
with ``n - 1`` degrees of freedom when both come from one normal distribution
(the prediction interval of a new value). It assumes the single run varies as
much as the replicated side's runs do: the only spread there is to measure.
"""

from __future__ import annotations

import math

from gate.stats import Comparison, Sample, StatSettings
from gate.stats.tdist import t_comparison
from gate.vocabulary import TestName


def prediction_test(candidate: Sample, baseline: Sample, settings: StatSettings) -> Comparison:
    """``candidate`` or ``baseline`` holds one value; the other at least two."""
    replicated = baseline if candidate.size == 1 else candidate
    n = replicated.size
    delta = float(candidate.mean() - baseline.mean())
    se = float(replicated.std(ddof=1)) * math.sqrt(1.0 + 1.0 / n)
    return t_comparison(TestName.PREDICTION, delta, se, n - 1, settings)
