"""Edges that know a CI system: GitHub Actions' files and annotations (``actions``),
posting the report as a comment (``comment``), and what ``rungate check`` does after
judging (``after_check``)."""
