"""Runs from DVC: a metrics file read at git revisions, or ``dvc exp show --json`` output.

```yaml
baseline:
  dvc: {path: metrics.json, rev: main, latest: 5}   # the 5 newest commits of main changing it
candidate:
  dvc: {path: metrics.json}                          # the file as it is in the working tree
```

``rev`` is a git revision or a list of them (one run each); with ``latest: N``
and one ``rev``, the runs are the N newest commits of ``rev`` that changed the
file (``git log``). The file is read with ``git show REV:./PATH`` in the
repository (``repo:``, else the policy's folder), so no DVC is needed while git
holds it; a file that DVC caches (``cache: true``, its default) is read with
``dvc metrics diff`` instead (``gate.sources.dvc.cached``). A metrics file is JSON
or YAML; nested keys join with dots (``train.loss``), as DVC shows them; numbers
are metrics, lists of numbers are series, anything else is left out, as ``dvc
metrics`` does. ``params.yaml`` at the same revision gives the params, named as
``exp show`` names them. ``exp_show:`` reads a saved ``dvc exp show --json``
instead (see ``gate.sources.dvc.exp_show``).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import yaml

from gate.errors import NoRunsError, RunSetError
from gate.model import Run, RunSet, display_value
from gate.policy.sources import DvcSpec
from gate.sources import RunSource
from gate.sources.dvc.cached import dvc_installed, metrics_at
from gate.sources.dvc.exp_show import flatten, read_exp_show
from gate.sources.files.source import FileSource
from gate.sources.git.repo import Commit, Git, SubprocessGit
from gate.sources.run_values import metric_value, read_text

SHORT = 12
PARAMS_FILE = "params.yaml"  # DVC's default params file
LOCK_FILE = "dvc.lock"  # where git keeps the hashes of the files DVC caches


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
            path = self.folder / self.file
            params = self.folder / PARAMS_FILE
            document = _document(read_text(path), self.file, origin=str(path))
            run = _run(document, "workspace", None, origin=str(path))
            if params.is_file():
                run = _with_params(run, read_text(params), origin=str(params))
            runs = [run]
        elif self.latest is not None:
            commits = self.git.log(self.revs[0], self.file, self.latest)
            if not commits and (self.folder / LOCK_FILE).is_file():
                # A file DVC caches is not in git: its changes are those of dvc.lock.
                commits = self.git.log(self.revs[0], LOCK_FILE, self.latest)
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
        origin = f"{self.file} at {commit.sha[:SHORT]}"
        try:
            text = self.git.show(commit.sha, self.file).decode("utf-8-sig", errors="replace")
            document = _document(text, self.file, origin=origin)
        except RunSetError as err:
            # Not in git: DVC caches the file (its default), and git holds only a hash.
            if not dvc_installed():
                raise RunSetError(
                    f"{err.message}. If DVC caches {self.file} (an output with `cache: true`, "
                    "its default), install DVC so that rungate can read it with `dvc metrics "
                    "diff`, or mark it `cache: false` in dvc.yaml so that git keeps it",
                    source=err.source,
                ) from None
            try:
                document = metrics_at(self.folder, commit.sha, self.file)
            except RunSetError as dvc_err:
                raise RunSetError(
                    f"{err.message}; nor could DVC read it: {dvc_err.message}", source=err.source
                ) from None
        run = _run(document, run_id, commit, origin=origin)
        try:
            params = self.git.show(commit.sha, PARAMS_FILE).decode("utf-8-sig", errors="replace")
        except RunSetError:
            return run  # no params.yaml at that commit: no params
        return _with_params(run, params, origin=f"{PARAMS_FILE} at {commit.sha[:SHORT]}")


def _document(text: str, file: str, *, origin: str) -> dict[str, object]:
    try:
        document = json.loads(text) if file.lower().endswith(".json") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as err:
        raise RunSetError(f"not valid JSON or YAML: {err}", source=origin) from None
    if not isinstance(document, dict):
        raise RunSetError("a metrics file must hold a mapping of names to values", source=origin)
    return document


def _with_params(run: Run, text: str, *, origin: str) -> Run:
    """The run with the params of ``params.yaml``, flattened as ``dvc exp show`` names them."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise RunSetError(f"not valid YAML: {err}", source=origin) from None
    if not isinstance(document, dict):
        return run
    params = {name: display_value(value) for name, value in flatten(document).items()}
    return replace(run, params=params)


def _run(document: dict[str, object], run_id: str, commit: Commit | None, *, origin: str) -> Run:
    metrics: dict[str, float] = {}
    series: dict[str, tuple[float, ...]] = {}
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
