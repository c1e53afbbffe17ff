"""Resampling shared across the metrics of a gate (``batch``): the bootstrap's count rows
times every metric's data in one matrix product, instead of one small product a metric.
"""
