"""Runs from a Weights & Biases runs table exported as CSV (the table's "Export as CSV").

W&B writes one row a run, with the columns shown in the table. The mapping:

- ``ID`` (or ``Run ID``) is the run id; without it, ``Name`` is (and must be unique);
- ``Created`` (or ``created_at``) is the start time;
- ``Name``, ``State``, ``Notes``, ``User``, ``Tags``, ``Sweep``, ``Group``,
  ``Job Type``, ``Hostname``, ``Commit`` and ``Runtime`` become tags, in lower
  case with ``_`` for spaces (``tags.state``, ``tags.job_type``);
- ``config.X`` columns, and the columns the policy lists under ``config:``,
  are parameters; ``summary.X`` columns are metrics;
- any other column is a metric when every non-empty cell is a number, else a
  parameter. An empty cell, or ``-``, means the run has no value there.

W&B's table does not say which unprefixed columns are config, so list the
numeric ones (``lr``, ``seed``) under ``config:`` to keep them out of the metrics.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from gate.errors import RecordError, RunSetError
from gate.model import Run
from gate.policy.sources import WandbSpec
from gate.sources import RunSource
from gate.sources.files.source import FileSource
from gate.sources.run_values import located, read_text, shown, start_time_value

ID_COLUMNS = ("id", "run id")
TIME_COLUMNS = ("created", "created_at")
TAG_COLUMNS = (
    "name", "state", "notes", "user", "tags", "sweep", "group", "job type", "hostname",
    "commit", "runtime",
)  # fmt: skip
MISSING = ("", "-")


def open_wandb(spec: WandbSpec) -> RunSource:
    config = frozenset(spec.config)
    return FileSource(
        spec.path,
        where=spec.where,
        latest=spec.latest,
        reader=lambda paths: read_wandb_runs(paths, config=config),
        kind="W&B export",
    )


def read_wandb_runs(paths: Sequence[Path], *, config: frozenset[str] = frozenset()) -> list[Run]:
    runs: list[Run] = []
    first_seen: dict[str, str] = {}
    for path in paths:
        for run in _runs_of(path, config):
            if run.id in first_seen:
                raise RunSetError(
                    f"two runs have the id {shown(run.id)}: {first_seen[run.id]} and {run.origin}; "
                    "add the ID column to the export",
                    source=str(path),
                )
            first_seen[run.id] = run.origin
            runs.append(run)
    return runs


def _runs_of(path: Path, config: frozenset[str]) -> list[Run]:
    rows = _rows(path)
    if len(rows) < 2:
        raise RunSetError("no runs: the file needs a header row and a row a run", source=str(path))
    (_, header), body = rows[0], rows[1:]
    for line, row in body:
        if len(row) != len(header):
            raise RunSetError(
                f"the row has {len(row)} cells but the header has {len(header)}",
                source=str(path),
                place=f"line {line}",
            )
    roles = [_role(name, index, header, body, config) for index, name in enumerate(header)]
    return [
        located(path, f"line {line}", partial(_run, roles, row, path, line)) for line, row in body
    ]


def _rows(path: Path) -> list[tuple[int, list[str]]]:
    text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((reader.line_num, row))
    except csv.Error as err:
        raise RunSetError(f"malformed CSV: {err}", source=str(path)) from None
    return rows


def _role(
    name: str,
    index: int,
    header: list[str],
    body: list[tuple[int, list[str]]],
    config: frozenset[str],
) -> tuple[str, str]:
    """(section, name) of a column: id, start_time, tags, params or metrics."""
    plain = name.strip()
    lower = plain.lower()
    if lower in ID_COLUMNS:
        return "id", plain
    if lower == "name":
        has_id = any(other.strip().lower() in ID_COLUMNS for other in header)
        return ("tags" if has_id else "id"), "name"
    if lower in TIME_COLUMNS:
        return "start_time", plain
    if lower in TAG_COLUMNS:
        return "tags", lower.replace(" ", "_")
    if plain in config:
        return "params", plain
    for prefix, section in (("config.", "params"), ("summary.", "metrics")):
        if plain.startswith(prefix) and len(plain) > len(prefix):
            return section, plain[len(prefix) :]
    cells = [row[index].strip() for _, row in body if row[index].strip() not in MISSING]
    return ("metrics" if all(_is_number(cell) for cell in cells) else "params"), plain


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _run(roles: list[tuple[str, str]], row: list[str], path: Path, line: int) -> Run:
    values: dict[str, dict[str, str]] = {"id": {}, "start_time": {}, "tags": {}, "params": {}}
    metrics: dict[str, float] = {}
    for (section, name), cell in zip(roles, row, strict=True):
        cell = cell.strip()
        if cell in MISSING:
            continue
        if section == "metrics":
            metrics[name] = float(cell)
        else:
            values[section][name] = cell
    if "name" in values["id"]:
        values["tags"]["name"] = values["id"]["name"]
    run_id = next(iter(values["id"].values()), None)
    if run_id is None:
        raise RecordError("the run has no ID and no Name")
    start = next(iter(values["start_time"].values()), None)
    return Run(
        id=run_id,
        metrics=metrics,
        params=values["params"],
        tags=values["tags"],
        start_time=None if start is None else start_time_value(start, run_id=run_id),
        origin=f"{path}, line {line}",
    )
