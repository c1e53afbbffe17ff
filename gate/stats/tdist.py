"""Student-t answers shared by Welch's and the paired t-test."""

from __future__ import annotations

from gate.stats import Comparison, StatSettings
from gate.vocabulary import TestName


def t_comparison(
    test: TestName, delta: float, se: float, df: float, settings: StatSettings
) -> Comparison:
    """Bounds and p-values of a difference ``delta`` with standard error ``se`` on ``df``."""
    if se == 0.0:
        return exact_comparison(test, delta, settings)
    from scipy import special  # about 0.3 s; scipy.stats would cost over a second

    t_crit = float(special.stdtrit(df, 1.0 - settings.alpha))
    shifted = (delta + settings.tolerance) / se
    return Comparison(
        test=test,
        delta=delta,
        low=delta - t_crit * se,
        high=delta + t_crit * se,
        # P(T <= t) of the shifted statistic: small when even the best case is too bad.
        p_worse=float(special.stdtr(df, shifted)),
        p_better=float(special.stdtr(df, -delta / se)),
        p_noninferior=float(special.stdtr(df, -shifted)),
        se=se,
        df=df,
    )


def exact_comparison(test: TestName, delta: float, settings: StatSettings) -> Comparison:
    """No spread at all: the difference is known exactly, so the answer is certain."""
    # Rounding in the means must not turn "exactly at the tolerance" (0.90 - 0.91 against a
    # tolerance of 0.01) into a regression: a difference within rounding of 0 or of the
    # tolerance is taken to be exactly there, for the p-values and the bounds alike.
    slack = 1e-12 * max(1.0, abs(delta), settings.tolerance)
    if abs(delta) <= slack:
        delta = 0.0
    elif abs(delta + settings.tolerance) <= slack:
        delta = -settings.tolerance
    beyond = delta + settings.tolerance
    return Comparison(
        test=test,
        delta=delta,
        low=delta,
        high=delta,
        p_worse=0.0 if beyond < 0 else 1.0,
        p_better=0.0 if delta > 0 else 1.0,
        p_noninferior=0.0 if beyond > 0 else 1.0,
        se=0.0,
        notes=("no spread at all: the difference is exact",),
    )
