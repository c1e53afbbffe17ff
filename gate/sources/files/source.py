"""Run sets from local files: a file, a folder of files, or several of either."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from gate.model import Run, RunSet
from gate.sources.files.read import read_runs
from gate.sources.selection import describe_selection, select_runs

Reader = Callable[[tuple[Path, ...]], list[Run]]


def read_run_files(paths: tuple[Path, ...]) -> list[Run]:
    return read_runs(*paths)


class FileSource:
    """Runs read from files, optionally narrowed by a selection.

    ``reader`` turns the paths into runs: rungate's JSON, JSON Lines and CSV
    files by default, or another format's (``kind`` names it in descriptions).
    """

    commit_field = "tags.commit"  # where git-aware selection looks for a run's commit

    def __init__(
        self,
        paths: Sequence[Path],
        *,
        where: tuple[tuple[str, tuple[str, ...]], ...] = (),
        latest: int | None = None,
        reader: Reader = read_run_files,
        kind: str = "",
        run_word: str = "run",
        unit: str | None = None,
    ):
        self.paths = tuple(paths)
        self.where = where
        self.latest = latest
        self.reader = reader
        self.kind = kind
        self.run_word = run_word
        self.unit = unit

    def describe(self) -> str:
        names = ", ".join(str(path) for path in self.paths)
        if self.kind:
            names = f"{self.kind} {names}"
        selection = describe_selection(dict(self.where), self.latest)
        return f"{names} ({selection})" if selection else names

    def local_paths(self) -> tuple[Path, ...]:
        return self.paths

    def narrowed(self, field: str, value: str) -> FileSource:
        """The same files and selection, keeping only runs whose ``field`` is ``value``."""
        where = dict(self.where)
        if field in where and value not in where[field]:
            where[field] = ()  # both conditions cannot hold: nothing will match
        else:
            where[field] = (value,)
        return FileSource(
            self.paths,
            where=tuple(where.items()),
            latest=self.latest,
            reader=self.reader,
            kind=self.kind,
            run_word=self.run_word,
            unit=self.unit,
        )

    def load(self, histories: frozenset[str] = frozenset()) -> RunSet:
        # Files carry whatever series they have; there is nothing more to fetch.
        runs = self.reader(self.paths)
        if self.where or self.latest is not None:
            runs = select_runs(
                runs, where=dict(self.where), latest=self.latest, source=self.describe()
            )
        return RunSet(
            runs=tuple(runs), description=self.describe(), run_word=self.run_word, unit=self.unit
        )
