"""Confidence bounds by inverting a test: the shift at which it starts to reject.

Rank and sign tests are step functions of the shift, constant between a
finite set of breakpoints (pairwise differences, Walsh averages). Probing one
point inside each gap finds the exact bound by bisection, so the bound and the
test's p-value agree by construction.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from gate.stats import Sample


def upper_bound(breakpoints: Sample, rejects: Callable[[float], bool]) -> float:
    """The smallest breakpoint above which ``rejects(shift)`` holds; inf if it never does.

    ``rejects`` must be monotone: once true for a shift, true for every larger one.
    """
    points = np.unique(breakpoints)
    probes = _probes(points)
    if not rejects(float(probes[-1])):
        return math.inf
    lo, hi = 0, probes.size - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if rejects(float(probes[mid])):
            hi = mid
        else:
            lo = mid + 1
    # probes[lo] is the first rejecting probe: the boundary is the breakpoint before it.
    return float(points[max(lo - 1, 0)])


def lower_bound(breakpoints: Sample, rejects: Callable[[float], bool]) -> float:
    """The largest breakpoint below which ``rejects(shift)`` holds; -inf if it never does."""
    return -upper_bound(-breakpoints, lambda shift: rejects(-shift))


def _probes(points: Sample) -> Sample:
    """One shift inside each gap between sorted ``points``, and one beyond each end.

    The test is constant beyond the end breakpoints, so the outer probes only need to be
    clearly past them: by the points' magnitude too, since breakpoints that are equal but
    for rounding (the subset means of equal differences) span almost nothing, and a probe
    that close would sit inside the tests' rounding slack."""
    span = max(float(points[-1] - points[0]), float(np.abs(points).max()), 1.0)
    middles = (points[1:] + points[:-1]) / 2
    probes: Sample = np.concatenate(([points[0] - span], middles, [points[-1] + span]))
    return probes
