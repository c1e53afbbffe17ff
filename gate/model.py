"""Runs and run sets: what every source produces and the core consumes."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Run:
    """One training or evaluation run.

    ``metrics`` values are floats and may be NaN or infinite: a diverged run is
    evidence, and the policy decides what it means (see ``non_finite``).
    ``series`` holds metrics given as a sequence of values: a step history (in
    step order) or per-example scores; the policy says which, and how a run's
    single value is drawn from it (``aggregate``, ``pair_by: example``).
    ``params`` and ``tags`` are kept as display strings. ``origin`` says where
    the run came from (``runs/pr/a.json, run 3``) so errors and reports can
    name it.
    """

    id: str
    metrics: Mapping[str, float]
    params: Mapping[str, str] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)
    start_time: float | None = None
    origin: str = ""
    series: Mapping[str, tuple[float, ...]] = field(default_factory=dict)

    def field_value(self, path: str) -> str | None:
        """The value of a dotted field path (``id``, ``params.lr``, ``tags.branch``)."""
        if path == "id":
            return self.id
        if path == "start_time":
            return None if self.start_time is None else format_number(self.start_time)
        section, _, name = path.partition(".")
        if section == "params":
            return self.params.get(name)
        if section == "tags":
            return self.tags.get(name)
        if section == "metrics" and name in self.metrics:
            return format_number(self.metrics[name])
        return None


@dataclass(frozen=True)
class RunSet:
    """The runs of one side of the comparison, and a description of where they came from."""

    runs: tuple[Run, ...]
    description: str
    run_word: str = "run"  # what one run is: a "round" of pytest-benchmark
    unit: str | None = None  # the unit of every metric's values, when the source knows it

    def metric_names(self) -> set[str]:
        return {name for run in self.runs for name in (*run.metrics, *run.series)}


FIELD_SECTIONS = ("params", "tags", "metrics")


def is_valid_field_path(path: str) -> bool:
    if path in ("id", "start_time"):
        return True
    section, dot, name = path.partition(".")
    return section in FIELD_SECTIONS and bool(dot) and bool(name)


def format_number(value: float) -> str:
    """A short, exact-enough display form of a number (``0.91``, ``1e-05``, ``nan``)."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}"


def display_value(value: object) -> str:
    """The display string of a param, tag or selector value from JSON or YAML."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_number(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"))
