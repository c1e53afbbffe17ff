"""The source of a kind of evaluation log: its files, read by its reader, then selected."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from gate.errors import RunSetError
from gate.model import ExampleScores, Run, RunSet
from gate.policy.eval_specs import EvalLogSpec
from gate.sources.selection import describe_selection, select_runs
from gate.vocabulary import Direction

EXCERPT_CHARS = 200  # of an example's input, for the report's list of changed examples


@dataclass(frozen=True)
class Logs:
    """What a reader found: one run a log, and the directions the logs give."""

    runs: list[Run]
    directions: Mapping[str, Direction] = field(default_factory=dict)


Reader = Callable[[tuple[Path, ...]], Logs]


class EvalLogSource:
    """Runs read from evaluation logs, optionally narrowed by a selection."""

    commit_field = "tags.commit"  # where git-aware selection looks for a run's commit

    def __init__(
        self,
        spec: EvalLogSpec,
        reader: Reader,
        *,
        kind: str,
        where: tuple[tuple[str, tuple[str, ...]], ...] | None = None,
    ):
        self.spec = spec
        self.reader = reader
        self.kind = kind
        self.where = spec.where if where is None else where

    def describe(self) -> str:
        names = ", ".join(str(path) for path in self.spec.path)
        selection = describe_selection(dict(self.where), self.spec.latest)
        return f"{self.kind} {names}" + (f" ({selection})" if selection else "")

    def local_paths(self) -> tuple[Path, ...]:
        return self.spec.path

    def narrowed(self, field: str, value: str) -> EvalLogSource:
        """The same logs, keeping only runs whose ``field`` is ``value``."""
        where = dict(self.where)
        where[field] = () if field in where and value not in where[field] else (value,)
        return EvalLogSource(self.spec, self.reader, kind=self.kind, where=tuple(where.items()))

    def load(self, histories: frozenset[str] = frozenset()) -> RunSet:
        logs = self.reader(self.spec.path)
        runs = logs.runs
        if self.where or self.spec.latest is not None:
            runs = select_runs(
                runs, where=dict(self.where), latest=self.spec.latest, source=self.describe()
            )
        return RunSet(runs=tuple(runs), description=self.describe(), directions=logs.directions)


def log_files(path: Path, patterns: tuple[str, ...], what: str) -> list[Path]:
    """The log files a path names: the file itself, or those under the folder."""
    if path.is_dir():
        found = sorted(
            {file for pattern in patterns for file in path.rglob(pattern)}
            - {file for file in path.rglob(".*")}
        )
        if not found:
            raise RunSetError(f"the folder has no {what}", source=str(path))
        return found
    if not path.is_file():
        raise RunSetError("no such file or directory", source=str(path))
    return [path]


def run_name(path: Path, file: Path) -> str:
    """A run's id: the log's path under the folder the policy names, or its file name."""
    return file.relative_to(path).as_posix() if path.is_dir() else file.name


class ScoreTable:
    """Per-example scores gathered metric by metric, in log order."""

    def __init__(self) -> None:
        self._columns: dict[
            str, tuple[list[str], list[float], list[int], list[str], list[str]]
        ] = {}

    def add(
        self,
        metric: str,
        key: str,
        score: float,
        *,
        repeat: int = 0,
        digest: str | None = None,
        excerpt: str = "",
    ) -> None:
        keys, scores, repeats, hashes, excerpts = self._columns.setdefault(
            metric, ([], [], [], [], [])
        )
        keys.append(key)
        scores.append(score)
        repeats.append(repeat)
        excerpts.append(excerpt)
        if digest is not None:
            hashes.append(digest)

    def examples(self) -> dict[str, ExampleScores]:
        return dict(self._built())

    def _built(self) -> Iterator[tuple[str, ExampleScores]]:
        for metric, (keys, scores, repeats, hashes, excerpts) in self._columns.items():
            yield (
                metric,
                ExampleScores(
                    keys=tuple(keys),
                    scores=tuple(scores),
                    repeats=tuple(repeats) if any(repeats) else None,
                    hashes=tuple(hashes) if len(hashes) == len(keys) else None,
                    excerpts=tuple(excerpts) if any(excerpts) else None,
                ),
            )


def excerpt(text: str) -> str:
    """The start of an example's input, raw (the report escapes it where it lands)."""
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"


def mean_of(values: list[float]) -> float:
    return math.fsum(values) / len(values) if values else math.nan
