"""Runs from pytest-benchmark's JSON files (``pytest --benchmark-json=FILE``): one run a round.

Each benchmark is a metric, named by its ``name`` (``test_sort[100]``), or by
its ``fullname`` (``tests/test_x.py::test_sort[100]``) when two benchmarks of a
file share a name. Its ``stats.data`` are the per-round times, in seconds per
iteration; round *i* of every benchmark of a file makes run *i* (``FILE#i``),
so the rounds are the samples the test compares. Every run of a file carries
its ``commit_info`` (``tags.commit``, ``tags.branch``, ``tags.dirty``), its
machine (``tags.machine``, ``tags.cpu``, ``tags.python``) and its ``datetime``
as the start time. Times are lower-is-better, but the policy still says so.

A folder means every ``.json`` file under it, as ``--benchmark-autosave``
keeps them in ``.benchmarks/``; such saved files have rounds only when they
were saved with ``--benchmark-save-data``.
"""

from __future__ import annotations

import json
from pathlib import Path

from gate.errors import RecordError, RunSetError
from gate.model import Run
from gate.policy.sources import BenchmarkSpec
from gate.sources import RunSource
from gate.sources.files.source import FileSource
from gate.sources.run_values import json_type, located, metric_value, read_text, start_time_value


def open_benchmark(spec: BenchmarkSpec) -> RunSource:
    return FileSource(
        spec.path,
        where=spec.where,
        latest=spec.latest,
        reader=read_benchmark_runs,
        kind="pytest-benchmark",
        run_word="round",  # each benchmark's round i makes run i
        unit="s",  # stats.data: seconds per iteration
    )


def read_benchmark_runs(paths: tuple[Path, ...]) -> list[Run]:
    runs: list[Run] = []
    seen: dict[str, Path] = {}
    for path in paths:
        for file in _files(path):
            name = file.relative_to(path).as_posix() if path.is_dir() else file.name
            if name in seen:
                raise RunSetError(
                    f"two files make runs named {name}#N: {seen[name]} and {file}", source=str(file)
                )
            seen[name] = file
            runs.extend(_runs_of(file, name))
    return runs


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(f for f in path.rglob("*.json") if not f.name.startswith("."))
        if not files:
            raise RunSetError("the folder has no .json files", source=str(path))
        return files
    if not path.is_file():
        raise RunSetError("no such file or directory", source=str(path))
    return [path]


def _runs_of(file: Path, name: str) -> list[Run]:
    text = read_text(file)
    try:
        document = json.loads(text)
    except ValueError as err:
        raise RunSetError(f"not a readable JSON file: {err}", source=str(file)) from None
    benchmarks = document.get("benchmarks") if isinstance(document, dict) else None
    if not isinstance(benchmarks, list) or not benchmarks:
        raise RunSetError(
            "no `benchmarks` list: is this a file of pytest --benchmark-json?", source=str(file)
        )
    samples = located(file, "benchmarks", lambda: _samples(benchmarks))
    tags = _tags(document)
    moment = document.get("datetime")
    start = None if moment is None else located(file, "datetime", lambda: _start(moment))
    rounds = max(len(values) for values in samples.values())
    return [
        Run(
            id=f"{name}#{index + 1}",
            metrics={
                name: values[index] for name, values in samples.items() if index < len(values)
            },
            tags=tags,
            start_time=start,
            origin=f"{file}, round {index + 1}",
        )
        for index in range(rounds)
    ]


def _samples(benchmarks: list[object]) -> dict[str, list[float]]:
    entries = []
    for number, entry in enumerate(benchmarks, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise RecordError(f"benchmark {number} is not an object with a name")
        entries.append(entry)
    names = [entry["name"] for entry in entries]
    samples: dict[str, list[float]] = {}
    for entry in entries:
        name = entry["name"]
        if names.count(name) > 1:
            name = str(entry.get("fullname") or name)
        stats = entry.get("stats")
        data = stats.get("data") if isinstance(stats, dict) else None
        if not isinstance(data, list) or not data:
            raise RecordError(
                f"benchmark {name!r} has no per-round times (stats.data): "
                "--benchmark-json writes them; saved runs need --benchmark-save-data"
            )
        samples[name] = [metric_value(value, name=name, run_id="each round") for value in data]
    return samples


def _tags(document: dict[str, object]) -> dict[str, str]:
    tags: dict[str, str] = {}
    commit = document.get("commit_info")
    if isinstance(commit, dict):
        if commit.get("id") and commit.get("id") != "unversioned":
            tags["commit"] = str(commit["id"])
        if commit.get("branch") and commit.get("branch") != "(unknown)":
            tags["branch"] = str(commit["branch"])
        if "dirty" in commit:
            tags["dirty"] = "true" if commit["dirty"] else "false"
    machine = document.get("machine_info")
    if isinstance(machine, dict):
        cpu = machine.get("cpu")
        for tag, value in (
            ("machine", machine.get("node")),
            ("python", machine.get("python_version")),
            ("cpu", cpu.get("brand_raw") if isinstance(cpu, dict) else None),
        ):
            if isinstance(value, str) and value:
                tags[tag] = value
    return tags


def _start(moment: object) -> float:
    if not isinstance(moment, str):
        raise RecordError(f"datetime must be a string, not {json_type(moment)}")
    return start_time_value(moment, run_id="every round")
