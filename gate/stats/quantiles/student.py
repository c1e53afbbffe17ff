"""Normal and Student-t quantiles, to within a few units in the last place of scipy's.

The normal quantile solves ``P(Z > x) = q`` by Newton's method on the standard library's
``erfc`` (``erf`` near the centre), from Abramowitz & Stegun's 26.2.23. The
Student-t quantile, for an integer number of degrees of freedom, is the Cornish-Fisher
expansion in powers of 1/df (Abramowitz & Stegun 26.7.5, five terms) from
``EXPANSION_DF`` degrees of freedom on. Below, it solves ``P(T > t) = q`` by Newton's
method on ``log P(T > t)`` against ``log t`` (nearly a straight line in the heavy tail
of few degrees of freedom, a parabola in the normal one of many), from that expansion.
The tail is half a regularized incomplete beta function, ``I_x(df/2, 1/2)`` at
``x = df / (df + t^2)``, by its continued fraction (Abramowitz & Stegun 26.5.8), whose
prefactor ``Gamma((df+1)/2) / Gamma(df/2)`` is an exact product up to ``EXACT_GAMMA``
degrees of freedom and Stirling's series above (a difference of ``lgamma`` values
would lose digits to their size). The upper tail ``1 - p`` of a probability
``p >= 0.5`` is exact in floating point, so nothing is lost to cancellation at small
alphas. Compared with ``scipy.special.stdtrit`` on a grid of 1 to 20,000 degrees of
freedom: within 2e-14 relative (``tests/stats/quantiles``).
"""

from __future__ import annotations

import functools
import math

EXACT_GAMMA = 100  # degrees of freedom up to which the gamma ratio is a product
# From here on the expansion's first omitted term, about g6(x) / df^6, is below 1e-15 of
# the quantile down to p = 1e-7, and the continued fraction, whose rounding grows with the
# degrees of freedom, is no longer needed (measured against scipy: tests/stats/quantiles).
EXPANSION_DF = 1000
_EPS = 2.220446049250313e-16
_SQRT2 = math.sqrt(2.0)
_SQRT_2PI = math.sqrt(2.0 * math.pi)
_TINY = 1e-300


def normal_quantile(p: float) -> float:
    """The standard normal quantile (``scipy.special.ndtri``)."""
    if not 0.0 < p < 1.0:
        raise ValueError(f"probability {p} outside (0, 1)")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -_normal_upper(p)
    return _normal_upper(1.0 - p)  # exact: p >= 0.5


@functools.lru_cache(maxsize=256)  # the runs-needed search asks the same few at every df
def _normal_upper(q: float) -> float:
    """The ``x > 0`` with ``P(Z > x) = q < 0.5``: Newton's method on ``erfc`` (or, near the
    centre, ``erf``, which keeps its relative precision there) from a rough start."""
    centre = q >= 0.25
    x = max(_rough_normal_quantile(q), 2.0 * (0.5 - q))  # the latter is below the root
    for _ in range(50):
        density = math.exp(-0.5 * x * x) / _SQRT_2PI
        if centre:
            step = (1.0 - 2.0 * q - math.erf(x / _SQRT2)) / (2.0 * density)
        else:
            step = (0.5 * math.erfc(x / _SQRT2) - q) / density
        x += step
        if abs(step) < 1e-9 * x:  # converging quadratically: the error left is below 1e-17
            break
    return x


def t_quantile(df: int, p: float) -> float:
    """The Student-t quantile on ``df`` (a positive integer) degrees of freedom
    (``scipy.special.stdtrit``)."""
    if not 0.0 < p < 1.0:
        raise ValueError(f"probability {p} outside (0, 1)")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -_upper(df, p)
    return _upper(df, 1.0 - p)  # exact: p >= 0.5


def _upper(df: int, q: float) -> float:
    """The ``t > 0`` with ``P(T > t) = q < 0.5``."""
    if df == 1:  # Cauchy
        return 1.0 / math.tan(math.pi * q)
    if df == 2:
        return (1.0 - 2.0 * q) / math.sqrt(2.0 * q * (1.0 - q))
    if df >= EXPANSION_DF:
        return _cornish_fisher(df, q, -normal_quantile(q))
    # Near the centre the equation is P(|T| < t) = 1 - 2q (exact for q >= 1/4), whose
    # left side, unlike 1 - 2 P(T > t), keeps its relative precision as t goes to 0.
    centre = q >= 0.25
    target = math.log(1.0 - 2.0 * q if centre else q)
    # A start from below near the centre: the density there is under 1/2.
    t = max(_cornish_fisher(df, q, -normal_quantile(q)), 2.0 * (0.5 - q))
    for _ in range(100):
        inside, tail = _masses(df, t)
        # The derivatives of their logs against log t: 2 t f(t) / inside, -t f(t) / tail.
        density = t * _density(df, t)
        if centre:
            step = (target - math.log(inside)) / (2.0 * density / inside)
        else:
            step = (math.log(tail) - target) / (density / tail)
        step = max(min(step, 1.0), -1.0)  # at most a factor e at a time
        t *= math.exp(step)
        if abs(step) < 1e-11:  # converging quadratically: the error left is below 1e-20
            break
    return t


def _cornish_fisher(df: int, q: float, x: float) -> float:
    """The expansion around ``x``, the normal quantile of ``1 - q``."""
    x2 = x * x
    g1 = (x2 + 1.0) * x / 4.0
    g2 = ((5.0 * x2 + 16.0) * x2 + 3.0) * x / 96.0
    g3 = (((3.0 * x2 + 19.0) * x2 + 17.0) * x2 - 15.0) * x / 384.0
    g4 = ((((79.0 * x2 + 776.0) * x2 + 1482.0) * x2 - 1920.0) * x2 - 945.0) * x / 92160.0
    g5 = (((((27.0 * x2 + 339.0) * x2 + 930.0) * x2 - 1782.0) * x2 - 765.0) * x2 + 17955.0) * x
    return x + (g1 + (g2 + (g3 + (g4 + g5 / 368640.0 / df) / df) / df) / df) / df


def _rough_normal_quantile(q: float) -> float:
    """The normal quantile of ``1 - q`` (``q < 1/2``) to within 5e-4 (Abramowitz & Stegun
    26.2.23): a start for Newton's method."""
    w = math.sqrt(-2.0 * math.log(q))
    return w - (2.515517 + w * (0.802853 + w * 0.010328)) / (
        1.0 + w * (1.432788 + w * (0.189269 + w * 0.001308))
    )


@functools.lru_cache(maxsize=1024)
def _gamma_ratio(df: int) -> float:
    """``Gamma((df+1)/2) / (Gamma(df/2) sqrt(pi))``: the density's constant times sqrt(df)."""
    if df <= EXACT_GAMMA:
        # Gamma(z+1) = z Gamma(z), two degrees of freedom at a time, from df = 1 or 2.
        ratio = 1.0 / math.pi if df % 2 else 0.5
        for k in range(1 if df % 2 else 2, df, 2):
            ratio *= (k + 1) / k
        return ratio
    z = df / 2.0
    w = 1.0 / (z * z)
    # log(Gamma(z + 1/2) / Gamma(z)) = log(z)/2 - 1/(8z) + 1/(192 z^3) - 1/(640 z^5)
    #   + 17/(14336 z^7) - 31/(18432 z^9) + ...  (Stirling's series for each, subtracted)
    series = (-1.0 / 8.0 + w * (1.0 / 192.0 + w * (-1.0 / 640.0 + w * 17.0 / 14336.0))) / z
    return math.sqrt(z / math.pi) * math.exp(series)


def _density(df: int, t: float) -> float:
    return _gamma_ratio(df) / math.sqrt(df) * math.exp(-(df + 1) / 2.0 * math.log1p(t * t / df))


def _masses(df: int, t: float) -> tuple[float, float]:
    """``P(|T| < t)`` and ``P(T > t)`` for ``t > 0``, the smaller of ``I_x(df/2, 1/2)``
    (``x = df / (df + t^2)``) and ``I_y(1/2, df/2)`` (``y = 1 - x``) computed directly,
    the other as its complement."""
    a, b = df / 2.0, 0.5
    r = t * t / df
    x, y = 1.0 / (1.0 + r), r / (1.0 + r)  # x + y = 1, each to full relative precision
    # x^a y^b / B(a, b), in logs: a log x = -a log1p(r) keeps its precision.
    front = _gamma_ratio(df) * math.exp(-a * math.log1p(r) + b * math.log(y))
    if x < (a + 1.0) / (a + b + 2.0):
        outside = front * _beta_fraction(a, b, x) / a
        return 1.0 - outside, outside / 2.0
    inside = front * _beta_fraction(b, a, y) / b
    return inside, (1.0 - inside) / 2.0


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of ``I_x(a, b)``, by Lentz's method."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        for aa in (
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ):
            d = 1.0 + aa * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + aa / c
            c = c if abs(c) > _TINY else _TINY
            h *= d * c
        if abs(d * c - 1.0) < _EPS:
            break
    return h
