"""Quantiles of the normal and Student-t distributions without scipy (``student``).

The power figures need two quantiles a metric; importing ``scipy.special`` for them
costs a bootstrap-only gate about 0.2 s, more than its whole statistics.
"""
