"""MLflow's file store, read directly: ``mlruns/<experiment>/<run>/``.

An experiment folder holds ``meta.yaml`` (``experiment_id``, ``name``,
``lifecycle_stage``); a run folder holds ``meta.yaml`` (``run_id``,
``run_name``, ``status`` as MLflow's number, ``start_time``/``end_time`` in
epoch ms, ``lifecycle_stage``), ``metrics/NAME`` with ``timestamp value step``
lines, and ``params/NAME`` and ``tags/NAME`` holding the value. Names with
``/`` are subfolders. Deleted experiments and runs are skipped.
"""

from __future__ import annotations

import math
from pathlib import Path

import yaml

from gate.errors import RunSetError
from gate.sources.mlflow.runs import MlflowRecord, metric_number
from gate.sources.run_values import read_text, shown

# MLflow's RunStatus numbers, as the file store writes them.
STATUSES = {1: "RUNNING", 2: "SCHEDULED", 3: "FINISHED", 4: "FAILED", 5: "KILLED"}


class MlflowFileStore:
    """An ``mlruns/`` folder."""

    def __init__(self, location: Path):
        self.location = location

    def experiment_id(self, name: str | None, experiment_id: str | None) -> str:
        if not self.location.is_dir():
            raise RunSetError(
                "no such folder (an MLflow mlruns/ folder)", source=str(self.location)
            )
        found: list[tuple[str, bool]] = []  # (folder name, deleted)
        trash = self.location / ".trash"  # where MLflow moves deleted experiments
        for folder in sorted(
            [*self.location.iterdir(), *(trash.iterdir() if trash.is_dir() else [])]
        ):
            meta_file = folder / "meta.yaml"
            if folder.name.startswith(".") or not meta_file.is_file():
                continue
            meta = _meta(meta_file)
            if (name is not None and meta.get("name") == name) or (
                name is None and str(meta.get("experiment_id", folder.name)) == experiment_id
            ):
                deleted = folder.parent == trash or meta.get("lifecycle_stage") == "deleted"
                found.append((folder.name, deleted))
        active = [folder for folder, deleted in found if not deleted]
        label = f"named {name!r}" if name is not None else f"with id {experiment_id}"
        if not active:
            state = "is deleted" if found else "does not exist"
            raise RunSetError(f"the experiment {label} {state}", source=str(self.location))
        return active[0]

    def records(self, experiment_id: str) -> list[MlflowRecord]:
        records = []
        for folder in sorted((self.location / experiment_id).iterdir()):
            meta_file = folder / "meta.yaml"
            if not meta_file.is_file():
                continue
            meta = _meta(meta_file)
            if meta.get("lifecycle_stage") == "deleted":
                continue
            records.append(_record(folder, meta))
        return records

    def history(self, experiment_id: str, run_id: str, metric: str) -> tuple[float, ...]:
        points = _points(self.location / experiment_id / run_id / "metrics" / metric)
        return tuple(value for _, _, value in sorted(points, key=lambda p: (p[0], p[1])))


def _record(folder: Path, meta: dict[str, object]) -> MlflowRecord:
    metrics = {}
    for name, file in _named_files(folder / "metrics"):
        points = _points(file)
        if points:
            metrics[name] = max(points, key=lambda p: (p[0], p[1]))[2]
    status = meta.get("status")
    run_id = str(meta.get("run_id") or meta.get("run_uuid") or folder.name)
    return MlflowRecord(
        run_id=run_id,
        run_name=str(meta.get("run_name") or ""),
        status=STATUSES.get(status, str(status)) if isinstance(status, int) else str(status),
        start_time=_millis(meta.get("start_time")),
        end_time=_millis(meta.get("end_time")),
        user_id=str(meta.get("user_id") or ""),
        metrics=metrics,
        params={name: read_text(file) for name, file in _named_files(folder / "params")},
        tags={name: read_text(file) for name, file in _named_files(folder / "tags")},
    )


def _named_files(folder: Path) -> list[tuple[str, Path]]:
    if not folder.is_dir():
        return []
    return sorted(
        (file.relative_to(folder).as_posix(), file) for file in folder.rglob("*") if file.is_file()
    )


def _points(file: Path) -> list[tuple[float, float, float]]:
    """``(step, timestamp, value)`` for every line of a metric file."""
    points = []
    for number, line in enumerate(read_text(file).splitlines(), 1):
        fields = line.split()
        if not fields:
            continue
        value = metric_number(fields[1]) if len(fields) in (2, 3) else None
        try:
            timestamp = float(fields[0])
            step = float(fields[2]) if len(fields) == 3 else 0.0
        except ValueError:
            value = None
        if value is None:
            raise RunSetError(
                f"not a `timestamp value step` line: {shown(line)}", source=f"{file}:{number}"
            )
        points.append((step, timestamp, value))
    return points


def _meta(file: Path) -> dict[str, object]:
    try:
        meta = yaml.safe_load(read_text(file))
    except yaml.YAMLError as err:
        raise RunSetError(f"not valid YAML: {err}", source=str(file)) from None
    if not isinstance(meta, dict):
        raise RunSetError("expected a mapping", source=str(file))
    return meta


def _millis(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return int(value)
