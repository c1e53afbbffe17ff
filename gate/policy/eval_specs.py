"""``lm_eval:``, ``inspect:`` and ``promptfoo:``: evaluation logs as a side's runs.

Each names a log file or a folder of them (``{path: ...}``, or the path alone)::

    candidate: {lm_eval: {path: results/pr/, tasks: [mmlu]}}  # results_*.json, samples_*.jsonl
    baseline:  {inspect: logs/main/}                          # .eval and .json logs
    candidate: {promptfoo: out.json}                          # promptfoo eval -o out.json

One evaluation (a results file, an inspect log, a promptfoo output file) is one
run; ``where:`` and ``latest:`` select among them as among run files, and
``tasks:`` (``prompts:`` for promptfoo) keeps the metrics of some tasks only.
Nothing is read here: ``gate.sources.evallogs`` reads the logs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gate.policy import values
from gate.policy.table import Table, key
from gate.policy.values import Where
from gate.policy.yamldoc import Path_, YamlDocument, only_keys


@dataclass(frozen=True)
class EvalLogSpec:
    """What every evaluation-log kind takes: the logs, and a selection among them."""

    path: tuple[Path, ...] = key(values.paths, help="a log file or folder, or a list of them")
    where: Where = key(values.where, default=())
    latest: int | None = key(values.count, default=None)


@dataclass(frozen=True)
class LmEvalSpec(EvalLogSpec):
    """``lm_eval:``: lm-evaluation-harness output (``--output_path``, ``--log_samples``)."""

    path: tuple[Path, ...] = key(
        values.paths, help="an lm-eval output folder (results_*.json, samples_*.jsonl) or file"
    )
    tasks: tuple[str, ...] = key(values.texts, default=())  # (): every task


@dataclass(frozen=True)
class InspectSpec(EvalLogSpec):
    """``inspect:``: inspect_ai logs, ``.eval`` (a ZIP) or ``.json``."""

    path: tuple[Path, ...] = key(
        values.paths, help="an inspect_ai log (.eval or .json) or a folder of them"
    )
    tasks: tuple[str, ...] = key(values.texts, default=())


@dataclass(frozen=True)
class PromptfooSpec(EvalLogSpec):
    """``promptfoo:``: the output file of ``promptfoo eval -o out.json``."""

    path: tuple[Path, ...] = key(
        values.paths, help="a promptfoo output file (promptfoo eval -o out.json) or a folder"
    )
    prompts: tuple[str, ...] = key(values.texts, default=())  # prompt labels; (): every prompt


LM_EVAL = Table(LmEvalSpec, example="`{path: results/pr/, tasks: [mmlu]}`")
INSPECT = Table(InspectSpec, example="`{path: logs/main/, latest: 1}`")
PROMPTFOO = Table(PromptfooSpec, example="`{path: out.json}`")
EVAL_TABLES: dict[str, Table[Any]] = {
    "lm_eval": LM_EVAL,
    "inspect": INSPECT,
    "promptfoo": PROMPTFOO,
}


def _parser(kind: str) -> Callable[[YamlDocument, Path_, dict[str, object]], EvalLogSpec]:
    table = EVAL_TABLES[kind]

    def parse(doc: YamlDocument, path: Path_, node: dict[str, object]) -> EvalLogSpec:
        only_keys(doc, path, node, (kind,))
        given = node[kind]
        given = {"path": given} if isinstance(given, (str, list)) else given
        spec: EvalLogSpec = table.parse(doc, (*path, kind), given)
        return spec

    return parse


EVAL_KINDS = {kind: _parser(kind) for kind in EVAL_TABLES}
