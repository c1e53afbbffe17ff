"""Where the tests find the project's files, wherever a test module sits."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DATA = ROOT / "tests" / "sources" / "data"  # files written by the real tools
