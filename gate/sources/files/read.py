"""Read runs from a run-set file (JSON, JSON Lines or CSV) or a directory of them.

JSON holds ``{"runs": [RUN, ...]}``, a bare list of runs, or one RUN; JSON Lines holds
one RUN a line; a RUN is ``{"id": ..., "metrics": {...}, "params": {...},
"tags": {...}, "start_time": ...}`` with only ``metrics`` required. See
``gate.sources.files.csv_runs`` for CSV.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from functools import partial
from pathlib import Path

from gate.errors import RunSetError
from gate.model import Run
from gate.sources.files.csv_runs import runs_from_csv
from gate.sources.files.records import run_from_record
from gate.sources.run_values import json_type, located, read_text, shown

SUFFIXES = (".json", ".jsonl", ".csv")


def read_runs(*paths: Path) -> list[Run]:
    """Every run of ``paths``: run-set files or directories of them (read in name order).

    Run ids must be unique across all of them.
    """
    runs: list[Run] = []
    first_seen: dict[str, Run] = {}
    for path in paths:
        for file in _run_files(path):
            file_runs = _read_file(file)
            _check_unique_ids(file_runs, first_seen, file)
            runs.extend(file_runs)
    return runs


def _run_files(path: Path) -> list[Path]:
    try:
        if path.is_dir():
            return _directory_files(path)
        if not path.exists():
            raise RunSetError("no such file or directory", source=str(path))
    except OSError as err:
        raise RunSetError(f"cannot read: {err.strerror or err}", source=str(path)) from None
    if path.suffix.lower() not in SUFFIXES:
        raise RunSetError(
            f"unsupported file type {path.suffix or '(none)'!r}; expected .json, .jsonl or .csv",
            source=str(path),
        )
    return [path]


def _directory_files(directory: Path) -> list[Path]:
    files = sorted(
        (
            entry
            for entry in directory.iterdir()
            if not entry.name.startswith(".")
            and entry.suffix.lower() in SUFFIXES
            and entry.is_file()
        ),
        key=lambda entry: entry.name,
    )
    if not files:
        raise RunSetError("the directory has no .json, .jsonl or .csv files", source=str(directory))
    return files


def _read_file(path: Path) -> list[Run]:
    text = read_text(path)
    runs = _READERS[path.suffix.lower()](text, path)
    if not runs:
        raise RunSetError("the file has no runs", source=str(path))
    return runs


def _runs_from_json(text: str, path: Path) -> list[Run]:
    records = _run_records(_load_json(text, path), path)
    runs = []
    for position, record in enumerate(records, 1):
        build = partial(
            run_from_record,
            record,
            default_id=f"{path.name}#{position}",
            origin=f"{path}, run {position}",
        )
        runs.append(located(path, f"run {position}", build))
    return runs


def _runs_from_jsonl(text: str, path: Path) -> list[Run]:
    runs: list[Run] = []
    # Not splitlines(): it also splits at U+2028 and friends, which JSON strings may hold raw.
    for line, line_text in enumerate(text.split("\n"), 1):
        if not line_text.strip():
            continue
        build = partial(
            run_from_record,
            _load_json(line_text, path, line=line),
            default_id=f"{path.name}#{len(runs) + 1}",
            origin=f"{path}, line {line}",
        )
        runs.append(located(path, f"line {line}", build))
    return runs


def _load_json(text: str, path: Path, *, line: int | None = None) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        place = f"line {line or err.lineno}, column {err.colno}"
        raise RunSetError(f"malformed JSON: {err.msg}", source=str(path), place=place) from None
    except (ValueError, RecursionError) as err:
        # Numbers beyond int's digit limit raise ValueError; deep nesting, RecursionError.
        where = None if line is None else f"line {line}"
        raise RunSetError(f"unreadable JSON: {err}", source=str(path), place=where) from None


def _run_records(document: object, path: Path) -> list[object]:
    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        raise RunSetError(
            f"expected a list of runs or an object with a 'runs' list, not {json_type(document)}",
            source=str(path),
        )
    if "runs" not in document and ("metrics" in document or "examples" in document):
        return [document]  # one run a file, as a per-seed job often writes it
    if "runs" not in document:
        close = difflib.get_close_matches("runs", [str(key) for key in document], n=1)
        hint = f" (is {shown(close[0])} meant to be 'runs'?)" if close else ""
        raise RunSetError(f"the object has no 'runs' list{hint}", source=str(path))
    runs = document["runs"]
    if not isinstance(runs, list):
        raise RunSetError(f"'runs' must be a list, not {json_type(runs)}", source=str(path))
    return runs


def _check_unique_ids(runs: list[Run], first_seen: dict[str, Run], path: Path) -> None:
    for run in runs:
        earlier = first_seen.setdefault(run.id, run)
        if earlier is not run:
            raise RunSetError(
                f"duplicate run id {shown(run.id)}: {earlier.origin} and {run.origin}",
                source=str(path),
            )


_READERS: dict[str, Callable[[str, Path], list[Run]]] = {
    ".json": _runs_from_json,
    ".jsonl": _runs_from_jsonl,
    ".csv": runs_from_csv,
}
