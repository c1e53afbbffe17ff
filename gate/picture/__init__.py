"""What the pictures are drawn from: per-run values and main's trend, gathered by the core.

Pure like the rest of the core: runs and a metric's policy in, plain data out
(``gate.result.MetricPicture``); the drawing is in ``gate/report/pictures/``.
"""

from __future__ import annotations

from gate.picture.gather import metric_picture, metric_trend, with_shifts

__all__ = ["metric_picture", "metric_trend", "with_shifts"]
