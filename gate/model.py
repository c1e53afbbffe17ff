"""Runs and run sets: what every source produces and the core consumes."""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from gate.vocabulary import Direction

_Record = TypeVar("_Record")


@dataclass(frozen=True)
class ExampleScores:
    """One metric's per-example scores in one run, keyed by the example's id.

    Evaluation logs (lm-evaluation-harness, inspect_ai, promptfoo) name their
    examples, so two sides are paired by key, never by position. The tuples are
    parallel: entry ``i`` is example ``keys[i]`` at repeat ``repeats[i]`` (an
    inspect epoch, a promptfoo repeat; all 0 when the log has none). ``hashes``
    holds a digest of the example's input where the log has one (lm-eval's
    ``doc_hash``), so that two sides that evaluated different texts under the
    same id are caught; ``excerpts`` a short raw excerpt of the input for the
    report (escaped where it is rendered, like every string from a run file).
    """

    keys: tuple[str, ...]
    scores: tuple[float, ...]
    repeats: tuple[int, ...] | None = None
    hashes: tuple[str, ...] | None = None
    excerpts: tuple[str, ...] | None = None

    def __len__(self) -> int:
        return len(self.keys)


@dataclass(frozen=True)
class Run:
    """One training or evaluation run.

    ``metrics`` values are floats and may be NaN or infinite: a diverged run is
    evidence, and the policy decides what it means (see ``non_finite``).
    ``series`` holds metrics given as a sequence of values: a step history (in
    step order) or per-example scores; the policy says which, and how a run's
    single value is drawn from it (``aggregate``, ``pair_by: example``).
    ``examples`` holds per-example scores keyed by example id (evaluation logs).
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
    examples: Mapping[str, ExampleScores] = field(default_factory=dict)

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
    # main's recorded history up to and including the baseline, oldest first, when
    # the side was read from a history store: trends and shifts are drawn from it
    history: tuple[CommitRuns, ...] = ()
    # what the report must say about where the runs came from ("recorded twice", "stale")
    notes: tuple[str, ...] = ()
    # which way is better for a metric, where the source says (lm-eval's higher_is_better):
    # the default of a metric whose policy gives no direction
    directions: Mapping[str, Direction] = field(default_factory=dict)

    def metric_names(self) -> set[str]:
        return {name for run in self.runs for name in (*run.metrics, *run.series, *run.examples)}


@dataclass(frozen=True)
class CommitRuns:
    """The runs recorded for one commit of a branch (a history store's unit).

    ``duplicate`` is the number of run sets recorded for the same commit before
    this one (0 for the first): recording twice keeps both, marked.
    """

    commit: str  # the full SHA
    branch: str
    recorded_at: float  # Unix time of the recording
    runs: tuple[Run, ...]
    origin: str = ""  # where the record lives, for messages ("rungate-history:records/ab12….json")
    duplicate: int = 0
    # which way is better, where the recorded logs said (``RunSet.directions``)
    directions: Mapping[str, Direction] = field(default_factory=dict)


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


def replace(obj: _Record, /, **changes: Any) -> _Record:
    """``dataclasses.replace`` for the core's records, at a tenth of its cost.

    The core copies its frozen records a few times a metric (a gate of 200 metrics, some
    3,000 times); the standard function calls ``__init__`` with every field by name, about
    20 microseconds for a result of 40 fields. A record with no ``__post_init__``, no
    ``__slots__`` and only ``init`` fields is exactly its ``__dict__``, so the copy is that
    dict with the changes; any other falls back to the standard function.
    """
    kind: type[Any] = type(obj)
    plain = _PLAIN.get(kind)
    if plain is None:
        plain = _PLAIN[kind] = _plain(kind)
    if not plain or not changes.keys() <= kind.__dataclass_fields__.keys():
        return dataclasses.replace(obj, **changes)  # type: ignore[type-var]
    copy: _Record = object.__new__(kind)
    state = copy.__dict__
    state.update(obj.__dict__)
    state.update(changes)
    return copy


_PLAIN: dict[type[Any], bool] = {}


def _plain(kind: type[Any]) -> bool:
    if not dataclasses.is_dataclass(kind):
        return False
    fields = dataclasses.fields(kind)  # without the pseudo-fields (ClassVar, InitVar)
    return (
        len(fields) == len(kind.__dataclass_fields__)
        and not hasattr(kind, "__post_init__")
        and "__slots__" not in kind.__dict__
        and all(f.init for f in fields)
    )
