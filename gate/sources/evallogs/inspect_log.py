"""inspect_ai logs: ``.eval`` (a ZIP of JSON members) and ``.json`` (one object).

Both hold the same log, read here as inspect_ai writes its log ``version`` 2:
``eval{task, model, ...}``, ``results{scores[{name, scorer, metrics}]}`` and
samples ``{id, epoch, input, scores{SCORER: {value}}}`` (inline in ``.json``;
in ``.eval``, the ``summaries.json`` member, else ``samples/ID_epoch_N.json``).
A scorer's value becomes metric ``TASK/SCORER`` (a dict of named values
``TASK/SCORER/KEY``), as a float the way inspect maps it: ``C`` 1, ``P`` 0.5,
``I`` and ``N`` 0, ``yes``/``true`` 1, ``no``/``false`` 0, numbers and numeric
text as they are. Each sample is keyed by its ``id``, its epoch the repeat (0 for
the first). The run's metrics are the results' first reported statistic of each
score (``accuracy``, ``mean``).
"""

from __future__ import annotations

from pathlib import Path

from gate.errors import RecordError, RunSetError
from gate.model import Run, display_value
from gate.sources.evallogs.inspect_zip import EvalZip
from gate.sources.evallogs.log_json import (
    json_list,
    json_object,
    key_text,
    list_field,
    number,
    object_field,
)
from gate.sources.evallogs.log_source import Logs, ScoreTable, excerpt, log_files, run_name
from gate.sources.run_values import read_text, shown, start_time_value

VERSIONS = (2,)
SUMMARIES = "summaries.json"
WHAT = "an inspect_ai log"
WORDS = {"C": 1.0, "P": 0.5, "I": 0.0, "N": 0.0, "yes": 1.0, "true": 1.0, "no": 0.0, "false": 0.0}
SPREADS = frozenset({"stderr", "std", "var"})  # reported beside a score, not the score


def read_inspect(
    paths: tuple[Path, ...], *, tasks: tuple[str, ...] = (), codec: str = "zstandard"
) -> Logs:
    runs = []
    for path in paths:
        for file in log_files(path, ("*.eval", "*.json"), "inspect_ai logs (.eval, .json)"):
            header, samples = _read(file, codec)
            run = _run(file, run_name(path, file), header, samples, tasks)
            if run is not None:
                runs.append(run)
    if tasks and not runs:
        where = ", ".join(str(path) for path in paths)
        raise RunSetError(f"no log of the task {tasks[0]!r}", source=where)
    return Logs(runs)


def _read(file: Path, codec: str) -> tuple[dict[str, object], list[tuple[str, dict[str, object]]]]:
    """The log's header and its samples, each with where it was found."""
    if file.suffix.lower() != ".eval":
        log = json_object(file, read_text(file))
        _check_version(file, log)
        found = list_field(file, log, "samples", what=WHAT) if "samples" in log else []
        samples = []
        for index, sample in enumerate(found):
            samples.append((f"samples[{index}]", _sample(file, f"samples[{index}]", sample)))
        return log, samples
    try:
        stream = file.open("rb")
    except OSError as err:
        raise RunSetError(f"cannot read: {err.strerror or err}", source=str(file)) from None
    with stream:
        archive = EvalZip(file, stream, codec=codec)
        header = json_object(file, archive.read("header.json"), "header.json")
        _check_version(file, header)
        samples = _zip_samples(file, archive)
    return header, samples


def _zip_samples(file: Path, archive: EvalZip) -> list[tuple[str, dict[str, object]]]:
    """The samples' scores: from ``summaries.json``, one member that holds each sample's id,
    epoch, input and scores, where the log has it; else from each sample's own member
    (which also holds its messages and events, and is far larger)."""
    if SUMMARIES in archive.names():
        summaries = json_list(file, archive.read(SUMMARIES), SUMMARIES)
        return [
            (f"{SUMMARIES}[{index}]", _sample(file, f"{SUMMARIES}[{index}]", item))
            for index, item in enumerate(summaries)
        ]
    names = sorted(
        name for name in archive.names() if name.startswith("samples/") and name.endswith(".json")
    )
    return [(name, json_object(file, archive.read(name), name)) for name in names]


def _sample(file: Path, place: str, value: object) -> dict[str, object]:
    if not isinstance(value, dict):
        raise RunSetError("a sample must be an object", source=str(file), place=place)
    return value


def _check_version(file: Path, log: dict[str, object]) -> None:
    version = log.get("version")
    if version not in VERSIONS:
        raise RunSetError(
            f"an inspect_ai log of version {shown(version)}; this rungate reads version "
            f"{', '.join(map(str, VERSIONS))}",
            source=str(file),
            place="version",
        )
    status = log.get("status")
    if status != "success":
        raise RunSetError(
            f"the evaluation did not finish (status {shown(status)})",
            source=str(file),
            place="status",
        )


def _run(
    file: Path,
    name: str,
    header: dict[str, object],
    samples: list[tuple[str, dict[str, object]]],
    tasks: tuple[str, ...],
) -> Run | None:
    spec = object_field(file, header, "eval", what=WHAT)
    task = spec.get("task")
    if not isinstance(task, str) or not task:
        raise RunSetError(
            f"`task` must be a name, not {shown(task)}", source=str(file), place="eval.task"
        )
    if tasks and task not in tasks:
        return None
    table = ScoreTable()
    for place, sample in samples:
        key = key_text(file, f"{place}.id", sample.get("id"), "id")
        epoch = sample.get("epoch", 1)
        if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 1:
            raise RunSetError(
                f"`epoch` must be a whole number from 1, not {shown(epoch)}",
                source=str(file),
                place=f"{place}.epoch",
            )
        text = _input(sample.get("input"))
        if sample.get("scores") is None and sample.get("error") is not None:
            continue  # an errored sample has no score: it is missing from this side
        scores = object_field(file, sample, "scores", place=place, what=WHAT)
        for scorer, score in scores.items():
            where = f"{place}.scores.{scorer}"
            if not isinstance(score, dict) or "value" not in score:
                raise RunSetError(
                    "a score must be an object with a `value`", source=str(file), place=where
                )
            value = score["value"]
            named = value.items() if isinstance(value, dict) else [(None, value)]
            for part, item in named:
                metric = f"{task}/{scorer}" if part is None else f"{task}/{scorer}/{part}"
                table.add(
                    metric,
                    key,
                    _score(file, f"{where}.value", item),
                    repeat=epoch - 1,
                    excerpt=text,
                )
    return Run(
        id=name,
        metrics=_metrics(file, header, task),
        params=_params(spec),
        tags=_tags(spec),
        start_time=_start(file, spec.get("created")),
        origin=str(file),
        examples=table.examples(),
    )


def _score(file: Path, place: str, value: object) -> float:
    if isinstance(value, str):
        word = WORDS.get(value, WORDS.get(value.lower()))
        if word is not None:
            return word
        try:
            return float(value)
        except ValueError:
            raise RunSetError(
                f"not a score inspect maps to a number: {shown(value)}",
                source=str(file),
                place=place,
            ) from None
    return number(file, place, value)


def _metrics(file: Path, header: dict[str, object], task: str) -> dict[str, float]:
    results = header.get("results")
    if not isinstance(results, dict):
        return {}
    metrics = {}
    for index, score in enumerate(list_field(file, results, "scores", place="results", what=WHAT)):
        place = f"results.scores[{index}]"
        if not isinstance(score, dict):
            raise RunSetError("must be an object", source=str(file), place=place)
        name, scorer = score.get("name"), score.get("scorer", score.get("name"))
        stats = object_field(file, score, "metrics", place=place, what=WHAT)
        values = [
            entry.get("value")
            for key, entry in stats.items()
            if key not in SPREADS and isinstance(entry, dict)
        ]
        if not values or not isinstance(name, str) or not isinstance(scorer, str):
            continue
        metric = f"{task}/{scorer}" if name == scorer else f"{task}/{scorer}/{name}"
        metrics[metric] = number(file, f"{place}.metrics", values[0])
    return metrics


def _input(value: object) -> str:
    """The sample's input: a string, or the text of its first message."""
    if isinstance(value, str):
        return excerpt(value)
    if isinstance(value, list) and value and isinstance(value[0], dict):
        content = value[0].get("content")
        if isinstance(content, str):
            return excerpt(content)
    return ""


def _params(spec: dict[str, object]) -> dict[str, str]:
    params = {"model": display_value(spec["model"])} if "model" in spec else {}
    for field in ("task_args", "model_args", "model_generate_config"):
        value = spec.get(field)
        if isinstance(value, dict):
            params.update({f"{key}": display_value(item) for key, item in value.items()})
    return params


def _tags(spec: dict[str, object]) -> dict[str, str]:
    tags = {"task": str(spec["task"])}
    revision = spec.get("revision")
    if isinstance(revision, dict) and isinstance(revision.get("commit"), str):
        tags["commit"] = revision["commit"]
    if isinstance(spec.get("model"), str):
        tags["model"] = str(spec["model"])
    return tags


def _start(file: Path, created: object) -> float | None:
    if created is None:
        return None
    try:
        return start_time_value(created, run_id=file.name)
    except RecordError as err:
        raise RunSetError(str(err), source=str(file), place="eval.created") from None
