"""Runs from DVC: a metrics file read at git revisions, or ``dvc exp show --json`` output.

```yaml
baseline:
  dvc: {path: metrics.json, rev: main, latest: 5}   # the 5 newest commits of main changing it
candidate:
  dvc: {path: metrics.json}                          # the file as it is in the working tree
```

``rev`` is a git revision or a list of them (one run each); with ``latest: N``
and one ``rev``, the runs are the N newest commits of ``rev`` that changed the
file (``git log``). The file is read with ``git show REV:./PATH``, from the
policy's folder, so no DVC is needed. A metrics file is JSON or YAML; nested
keys join with dots (``train.loss``), as DVC shows them; numbers are metrics,
lists of numbers are series, anything else is left out, as ``dvc metrics``
does. ``exp_show:`` reads a saved ``dvc exp show --json`` instead (see
``gate.sources.dvc.exp_show``).
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from gate.errors import NoRunsError, RunSetError
from gate.model import Run, RunSet
from gate.policy.sources import DvcSpec
from gate.sources import RunSource
from gate.sources.dvc.exp_show import flatten, read_exp_show
from gate.sources.files.source import FileSource
from gate.sources.git.repo import Commit, Git, SubprocessGit
from gate.sources.run_values import metric_value, read_text

SHORT = 12


def open_dvc(spec: DvcSpec) -> RunSource:
    if spec.path is None:
        return FileSource(
            spec.exp_show,
            where=spec.where,
            latest=spec.latest,
            reader=read_exp_show,
            kind="dvc exp show",
        )
    git = SubprocessGit(spec.folder)
    return DvcMetricsSource(spec.folder, spec.path, spec.rev, latest=spec.latest, git=git)


class DvcMetricsSource:
    """A DVC metrics file at some git revisions (or in the working tree): a run each."""

    commit_field = "tags.commit"

    def __init__(
        self, folder: Path, file: str, revs: tuple[str, ...], *, latest: int | None, git: Git
    ):
        self.folder = folder
        self.file = file
        self.revs = revs
        self.latest = latest
        self.git = git

    def describe(self) -> str:
        if not self.revs:
            return f"dvc {self.file} (working tree)"
        newest = f", the {self.latest} newest commits changing it" if self.latest else ""
        return f"dvc {self.file} at {', '.join(self.revs)}{newest}"

    def local_paths(self) -> tuple[Path, ...]:
        return (self.folder / self.file,)

    def narrowed(self, field: str, value: str) -> DvcMetricsSource:
        """The file at one revision: a commit (exactly), or a branch (its newest commits)."""
        latest = None if field == self.commit_field else self.latest
        return DvcMetricsSource(self.folder, self.file, (value,), latest=latest, git=self.git)

    def load(self, histories: frozenset[str] = frozenset()) -> RunSet:
        if not self.revs:
            text = read_text(self.folder / self.file)
            runs = [_run(text, self.file, "workspace", None, origin=str(self.folder / self.file))]
        elif self.latest is not None:
            commits = self.git.log(self.revs[0], self.file, self.latest)
            if not commits:
                raise NoRunsError(
                    f"no commit of {self.revs[0]} changed {self.file}", source=self.describe()
                )
            runs = [self._at(commit.sha[:SHORT], commit) for commit in commits]
        else:
            runs = [self._at(rev, self._commit(rev)) for rev in self.revs]
        return RunSet(runs=tuple(runs), description=self.describe())

    def _commit(self, rev: str) -> Commit:
        found = self.git.commit(rev)
        if found is None:
            raise RunSetError(f"git finds no commit named {rev!r}", source=self.describe())
        return found

    def _at(self, run_id: str, commit: Commit) -> Run:
        text = self.git.show(commit.sha, self.file).decode("utf-8-sig", errors="replace")
        return _run(text, self.file, run_id, commit, origin=f"{self.file} at {commit.sha[:SHORT]}")


def _run(text: str, file: str, run_id: str, commit: Commit | None, *, origin: str) -> Run:
    metrics: dict[str, float] = {}
    series: dict[str, tuple[float, ...]] = {}
    try:
        document = json.loads(text) if file.lower().endswith(".json") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as err:
        raise RunSetError(f"not valid JSON or YAML: {err}", source=origin) from None
    if not isinstance(document, dict):
        raise RunSetError("a metrics file must hold a mapping of names to values", source=origin)
    for name, value in flatten(document).items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            metrics[name] = metric_value(value, name=name, run_id=run_id)
        elif isinstance(value, list) and value and all(_is_number(item) for item in value):
            series[name] = tuple(metric_value(item, name=name, run_id=run_id) for item in value)
    tags = {} if commit is None else {"commit": commit.sha}
    if commit is not None and run_id != commit.sha[:SHORT]:
        tags["rev"] = run_id
    return Run(
        id=run_id,
        metrics=metrics,
        series=series,
        tags=tags,
        start_time=None if commit is None else commit.time,
        origin=origin,
    )


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
