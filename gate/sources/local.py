"""Run sets from local files: a file, a folder of files, or several of either."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from gate.model import RunSet
from gate.sources.files import read_runs
from gate.sources.select import describe_selection, select_runs


class FileSource:
    """Runs read from JSON, JSON Lines and CSV files, optionally narrowed by a selection."""

    commit_field = "tags.commit"  # where git-aware selection looks for a run's commit

    def __init__(
        self,
        paths: Sequence[Path],
        *,
        where: tuple[tuple[str, tuple[str, ...]], ...] = (),
        latest: int | None = None,
    ):
        self.paths = tuple(paths)
        self.where = where
        self.latest = latest

    def describe(self) -> str:
        names = ", ".join(str(path) for path in self.paths)
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
        return FileSource(self.paths, where=tuple(where.items()), latest=self.latest)

    def load(self, histories: frozenset[str] = frozenset()) -> RunSet:
        # Files carry whatever series they have; there is nothing more to fetch.
        runs = read_runs(*self.paths)
        if self.where or self.latest is not None:
            runs = select_runs(
                runs, where=dict(self.where), latest=self.latest, source=self.describe()
            )
        return RunSet(runs=tuple(runs), description=self.describe())
