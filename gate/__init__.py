"""rungate: a statistical regression gate for machine-learning experiment runs."""

from __future__ import annotations

__version__ = "0.1.0"
