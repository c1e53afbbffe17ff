"""The E-divisive means statistic of Matteson and James (2014), vectorised.

For a segment ``z[0:n]``, a left part ``X = z[0:tau]`` and a right part
``Y = z[tau:kappa]``, with ``alpha = 1`` (absolute differences)::

    E(X, Y) = 2/(|X||Y|) sum|x - y| - 1/C(|X|,2) sum_{x<x'}|x - x'| - 1/C(|Y|,2) sum_{y<y'}|y - y'|
    Q(X, Y) = |X||Y| / (|X| + |Y|) * E(X, Y)

The candidate change point is the ``tau`` of the largest ``Q`` over ``tau`` and
``kappa``: the right part may end before the segment does, so that a short
excursion that came back (a bad commit, reverted) stands out against the level
on both sides of it instead of being averaged with the level after it.

Every sum is a rectangle of the distance matrix ``D``: with ``R[a, k] = sum_{b<k}
D[a, b]`` (one cumulative sum along the rows) and its cumulative sum down the
rows, ``Q`` follows for all ``(tau, kappa)`` at once. ``kappa`` runs over every
position in segments of up to ``KAPPA_GRID`` commits and over ``KAPPA_GRID``
evenly spaced ends (the segment's end among them) in longer ones, which bounds
the work at O(n^2) arithmetic in blocks of rows and O(n * KAPPA_GRID) memory:
about 10 ms of CPU at n = 1,000 (benchmarks/changepoints.py).

Matteson, D. S. and James, N. A. (2014). A nonparametric approach for multiple
change point analysis of multivariate data. Journal of the American Statistical
Association 109(505), 334-345. doi:10.1080/01621459.2013.849605
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Values = npt.NDArray[np.float64]
BLOCK_ROWS = 128  # rows of the distance matrix held at once: memory O(BLOCK_ROWS * n)
KAPPA_GRID = 64  # the most right-part ends searched in one segment
ROUNDING = 1e-12  # a Q of scaled values (at most 1 apart) below this per value is 0


@dataclass(frozen=True)
class Split:
    """The best split of a segment: left ``[0, tau)``, right ``[tau, kappa)``; ``q`` its Q."""

    tau: int
    kappa: int
    q: float


def energy_q(left: Values, right: Values) -> float:
    """``Q(X, Y)`` of two samples, straight from the definition (a reference for tests)."""
    n_x, n_y = left.size, right.size
    between = np.abs(left[:, None] - right[None, :]).sum()
    within_x = np.abs(left[:, None] - left[None, :]).sum() / 2
    within_y = np.abs(right[:, None] - right[None, :]).sum() / 2
    e = 2 * between / (n_x * n_y) - within_x / _pairs(n_x) - within_y / _pairs(n_y)
    return float(n_x * n_y / (n_x + n_y) * e)


def _pairs(n: int) -> float:
    return n * (n - 1) / 2


def best_split(values: Values, min_size: int) -> Split | None:
    """The ``(tau, kappa)`` of largest ``Q`` with at least ``min_size`` (2 or more) values
    in each part, or None when the segment is too short or constant."""
    n = values.size
    if n < 2 * min_size:
        return None
    centre = values - values.mean()
    scale = float(np.max(np.abs(centre)))
    if scale == 0.0:
        return None  # a constant segment: no split differs from another
    z = centre / scale  # so that no sum of huge values overflows; Q scales back below
    kappas = np.arange(2 * min_size, n + 1)
    if kappas.size > KAPPA_GRID:
        kappas = np.unique(np.linspace(2 * min_size, n, KAPPA_GRID).round().astype(int))
    before = np.empty(n)  # before[i] = sum_{a<i} D[i, a]
    rows_to = np.empty((n, kappas.size))  # rows_to[a, j] = R[a, kappas[j]]
    block = np.empty((min(BLOCK_ROWS, n), n))  # reused: no fresh pages for each block
    for start in range(0, n, BLOCK_ROWS):
        rows = np.arange(start, min(start + BLOCK_ROWS, n))
        running = block[: rows.size]
        np.subtract(z[rows, None], z[None, :], out=running)
        np.abs(running, out=running)
        np.cumsum(running, axis=1, out=running)
        before[rows] = np.where(rows > 0, running[rows - start, np.maximum(rows - 1, 0)], 0.0)
        rows_to[rows] = running[:, kappas - 1]
    within = np.concatenate(([0.0], np.cumsum(before)))  # pairs inside [0, t)
    corner = np.zeros((n + 1, kappas.size))  # corner[t, j] = sum_{a<t, b<kappas[j]} D[a, b]
    corner[1:] = rows_to.cumsum(axis=0)
    tau = np.arange(n + 1, dtype=float)[:, None]
    n_x, n_y = tau, kappas[None, :] - tau
    between = corner - 2 * within[:, None]  # a in [0, tau), b in [tau, kappa)
    within_right = within[None, kappas] - within[:, None] - between
    valid = (n_x >= min_size) & (n_y >= min_size)
    with np.errstate(divide="ignore", invalid="ignore"):
        e = (
            2 * between / (n_x * n_y)
            - within[:, None] / (n_x * (n_x - 1) / 2)
            - within_right / (n_y * (n_y - 1) / 2)
        )
        q = np.where(valid, n_x * n_y / (n_x + n_y) * e, -np.inf)
    best_tau, best_j = divmod(int(np.argmax(q)), kappas.size)
    if not q[best_tau, best_j] > ROUNDING * n:  # no split better than rounding noise
        return None
    return Split(tau=best_tau, kappa=int(kappas[best_j]), q=float(q[best_tau, best_j]) * scale)
