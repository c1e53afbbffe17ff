"""A side of a policy file, opened as ``rungate check`` opens it."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from gate.policy import load_policy
from gate.sources import RunSource
from gate.sources.open import open_source


def open_side(policy: Path, side: Literal["candidate", "baseline"]) -> RunSource:
    spec = getattr(load_policy(policy), side)
    assert spec is not None, f"{policy} has no {side}"
    return open_source(spec)
