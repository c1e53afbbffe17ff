"""Runs from rungate's own run files: JSON, JSON Lines and CSV (``read``, with ``records``
for one JSON run and ``csv_runs`` for a table), and ``FileSource`` (``source``), which
other file formats reuse with a reader of their own."""
