"""lm-evaluation-harness output: ``results_<date>.json`` and ``samples_<task>_<date>.jsonl``.

Read as lm-eval 0.4 writes them (``lm_eval/loggers/evaluation_tracker.py``):
``results{task: {"acc,none": x, "acc_stderr,none": s, alias, ...}}`` makes the
run's metrics ``task/acc`` (``task/METRIC,FILTER`` when the filter is not
``none``); ``higher_is_better{task: {metric: bool}}`` their directions. The
``--log_samples`` files beside a results file, with the same date, hold one
line per document and filter: ``doc_id``, ``filter``, ``metrics`` (the names)
and one score per metric, keyed here by ``doc_id`` with ``doc_hash`` kept so
two sides that scored different documents under one id are caught.
"""

from __future__ import annotations

import json
from pathlib import Path

from gate.errors import RunSetError
from gate.model import Run, display_value
from gate.sources.evallogs.log_json import json_object, key_text, list_field, number, object_field
from gate.sources.evallogs.log_source import Logs, ScoreTable, excerpt, log_files, run_name
from gate.sources.run_values import json_type, read_text, shown
from gate.vocabulary import Direction

RESULTS = "results_"
WHAT = "lm-eval output"
NOT_METRICS = frozenset({"alias", "name", "sample_len", "samples"})


def read_lm_eval(paths: tuple[Path, ...], *, tasks: tuple[str, ...] = ()) -> Logs:
    runs: list[Run] = []
    directions: dict[str, Direction] = {}
    for path in paths:
        for file in log_files(path, ("results_*.json",), "lm-eval results_*.json files"):
            run, given = _run(file, run_name(path, file), tasks)
            runs.append(run)
            directions.update(given)
    if tasks:
        found = {name.split("/", 1)[0] for run in runs for name in run.metrics}
        missing = [task for task in tasks if task not in found]
        if missing:
            where = ", ".join(str(path) for path in paths)
            raise RunSetError(f"no results for the task {missing[0]!r}", source=where)
    return Logs(runs, directions)


def _run(file: Path, name: str, tasks: tuple[str, ...]) -> tuple[Run, dict[str, Direction]]:
    document = json_object(file, read_text(file))
    results = object_field(file, document, "results", what=WHAT)
    better = document.get("higher_is_better", {})
    if not isinstance(better, dict):
        raise RunSetError(
            f"must be an object, not {json_type(better)}",
            source=str(file),
            place="higher_is_better",
        )
    metrics: dict[str, float] = {}
    directions: dict[str, Direction] = {}
    table = ScoreTable()
    date = file.name.removeprefix(RESULTS).removesuffix(".json")
    for task, values in results.items():
        if tasks and task not in tasks:
            continue
        place = f"results.{task}"
        if not isinstance(values, dict):
            raise RunSetError(
                f"must be an object, not {json_type(values)}", source=str(file), place=place
            )
        own = better.get(task, {})
        for key, value in values.items():
            metric, _, filter_name = str(key).partition(",")
            if key in NOT_METRICS or not filter_name or metric.endswith("_stderr"):
                continue
            full = _name(task, metric, filter_name)
            metrics[full] = number(file, f"{place}.{key}", value)
            if isinstance(own, dict) and isinstance(own.get(metric), bool):
                directions[full] = Direction.HIGHER if own[metric] else Direction.LOWER
        samples = file.with_name(f"samples_{task}_{date}.jsonl")
        if samples.is_file():
            _samples(samples, task, table)
    config = document.get("config")
    config = config if isinstance(config, dict) else {}
    params = {
        key: display_value(config[key])
        for key in ("model", "model_args", "num_fewshot", "limit", "gen_kwargs")
        if config.get(key) not in (None, "", {})
    }
    tags = {
        tag: str(document[field])
        for tag, field in (
            ("commit", "git_hash"),
            ("model", "model_name"),
            ("lm_eval", "lm_eval_version"),
        )
        if isinstance(document.get(field), str) and document[field]
    }
    moment = document.get("date")
    start = (
        float(moment) if isinstance(moment, (int, float)) and not isinstance(moment, bool) else None
    )
    run = Run(
        id=name,
        metrics=metrics,
        params=params,
        tags=tags,
        start_time=start,
        origin=str(file),
        examples=table.examples(),
    )
    return run, directions


def _name(task: str, metric: str, filter_name: str) -> str:
    return f"{task}/{metric}" if filter_name == "none" else f"{task}/{metric},{filter_name}"


def _samples(file: Path, task: str, table: ScoreTable) -> None:
    text = read_text(file)
    lines = 0
    for line_number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        lines += 1
        place = f"line {line_number}"
        record = json_object(file, line, place)
        doc_id = key_text(file, place, record.get("doc_id"), "doc_id")
        filter_name = record.get("filter", "none")
        names = list_field(file, record, "metrics", place=place, what=WHAT)
        digest = record.get("doc_hash")
        shown_input = _input(record)
        for metric in names:
            if not isinstance(metric, str):
                raise RunSetError(
                    f"`metrics` must list names, not {shown(metric)}", source=str(file), place=place
                )
            value = record.get(metric)
            if isinstance(value, (list, dict)):
                continue  # a corpus-level metric's parts (bleu, f1): no per-example score
            score = number(file, f"{place}, {metric}", value)
            table.add(
                _name(task, metric, str(filter_name)),
                doc_id,
                score,
                digest=digest if isinstance(digest, str) else None,
                excerpt=shown_input,
            )
    if not lines:
        raise RunSetError("the samples file is empty", source=str(file))


def _input(record: dict[str, object]) -> str:
    """The prompt lm-eval sent, else the document."""
    arguments = record.get("arguments")
    if isinstance(arguments, dict) and arguments:
        first = next(iter(arguments.values()))
        if isinstance(first, dict) and isinstance(first.get("arg_0"), str):
            return excerpt(first["arg_0"])
    doc = record.get("doc")
    return excerpt(doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False))
