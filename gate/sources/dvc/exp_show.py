"""Runs from a saved ``dvc exp show --json`` (DVC 3's format): one run a commit or experiment.

The file is a list of commits; each is ``{"rev", "name", "data", "error",
"experiments"}`` and ``experiments`` is a list of ``{"name", "executor",
"revs": [EXPERIMENT, ...]}`` with experiments shaped like commits. ``data``
holds ``timestamp`` (ISO 8601) and ``metrics`` and ``params`` as
``{FILE: {"data": {...}}}``.

Each commit and experiment with data is a run: its id is its name (an
experiment's, or the branch DVC names a commit by), else its rev;
``tags.commit`` is the commit it was run from, ``tags.rev`` its own rev,
``tags.kind`` ``workspace``, ``commit`` or ``experiment``. Metrics and params
are flattened with dots; a name found in two files is written ``FILE:name``,
as ``dvc exp show`` writes it. Queued, running and failed experiments (no data
or an error) are left out.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from gate.errors import RecordError, RunSetError
from gate.model import Run, display_value
from gate.sources.run_values import located, metric_value, read_text, shown, start_time_value

WORKSPACE = "workspace"


def read_exp_show(paths: tuple[Path, ...]) -> list[Run]:
    runs: list[Run] = []
    for path in paths:
        text = read_text(path)
        try:
            document = json.loads(text)
        except ValueError as err:
            raise RunSetError(f"not a readable JSON file: {err}", source=str(path)) from None
        if isinstance(document, dict):
            raise RunSetError(
                "this looks like DVC 2's `exp show --json`; rungate reads DVC 3's (a list)",
                source=str(path),
            )
        if not isinstance(document, list):
            raise RunSetError("expected a list of commits (dvc exp show --json)", source=str(path))
        found = list(_with_kinds(document, path))
        files_of: dict[str, set[str]] = {}
        for state, _, _ in found:
            for file, name in _names(state.get("data")):
                files_of.setdefault(name, set()).add(file)
        shared = frozenset(name for name, files in files_of.items() if len(files) > 1)
        given = Counter(str(state.get("name")) for state, _, _ in found if state.get("name"))
        for state, kind, commit in found:
            unique = bool(state.get("name")) and given[str(state.get("name"))] == 1
            runs.append(
                located(
                    path,
                    f"rev {state.get('rev')}",
                    partial(_run, state, kind, commit, unique, shared, path),
                )
            )
    if not runs:
        raise RunSetError("no commit or experiment with data", source=", ".join(map(str, paths)))
    return runs


def _with_kinds(document: list[object], path: Path) -> Iterator[tuple[dict[str, object], str, str]]:
    """(state, kind, commit it was run from) for each commit and experiment with data."""
    for entry in document:
        if not isinstance(entry, dict):
            raise RunSetError(f"a commit entry is not an object: {shown(entry)}", source=str(path))
        rev = str(entry.get("rev"))
        if _usable(entry):
            yield entry, WORKSPACE if rev == WORKSPACE else "commit", rev
        for group in entry.get("experiments") or []:
            if not isinstance(group, dict):
                continue
            executor = group.get("executor")
            state = executor.get("state") if isinstance(executor, dict) else None
            if state in ("queued", "running", "failed"):
                continue
            for experiment in group.get("revs") or []:
                if isinstance(experiment, dict) and _usable(experiment):
                    yield experiment, "experiment", rev


def _usable(state: dict[str, object]) -> bool:
    return isinstance(state.get("data"), dict) and not state.get("error")


def _names(data: object) -> Iterator[tuple[str, str]]:
    """(file, flattened name) of every metric and param."""
    if not isinstance(data, dict):
        return
    for section in ("metrics", "params"):
        for file, entry in (data.get(section) or {}).items():
            if isinstance(entry, dict) and isinstance(entry.get("data"), dict):
                for name in flatten(entry["data"]):
                    yield str(file), name


def _run(
    state: dict[str, object],
    kind: str,
    commit: str,
    named: bool,
    shared: frozenset[str],
    path: Path,
) -> Run:
    data = state["data"]
    assert isinstance(data, dict)
    rev = str(state.get("rev"))
    run_id = str(state["name"]) if named else rev
    metrics: dict[str, float] = {}
    params: dict[str, str] = {}
    for section in ("metrics", "params"):
        for file, entry in (data.get(section) or {}).items():
            if not isinstance(entry, dict) or "error" in entry:
                message = entry.get("error") if isinstance(entry, dict) else entry
                raise RecordError(f"DVC could not read {section} file {file}: {shown(message)}")
            for name, value in flatten(entry.get("data") or {}).items():
                shown_name = f"{file}:{name}" if name in shared else name
                if section == "params":
                    params[shown_name] = display_value(value)
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    metrics[shown_name] = metric_value(value, name=shown_name, run_id=run_id)
    tags = {"kind": kind, "rev": rev}
    if kind != WORKSPACE:
        tags["commit"] = commit
    timestamp = data.get("timestamp")
    return Run(
        id=run_id,
        metrics=metrics,
        params=params,
        tags=tags,
        start_time=None if timestamp is None else start_time_value(timestamp, run_id=run_id),
        origin=f"{path}, rev {rev}",
    )


def flatten(mapping: dict[str, object], prefix: str = "") -> dict[str, object]:
    """Nested keys joined with dots, as DVC shows them: ``{"train": {"loss": 1}}`` -> train.loss."""
    flat: dict[str, object] = {}
    for key, value in mapping.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat
