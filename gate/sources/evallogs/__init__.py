"""Evaluation logs as run sets: lm-evaluation-harness, inspect_ai and promptfoo.

Each log file (one evaluation) is one ``Run``: the aggregate numbers the log
reports go into ``Run.metrics``, its per-example scores into ``Run.examples``,
keyed by the example's id in the log (``gate.model.ExampleScores``). Metric
names are ``TASK/NAME`` (``mmlu/acc``, ``arith/match``, ``PROMPT/pass``).

The readers (``lm_eval``, ``inspect_log``, ``promptfoo``) read only what they
need and say which file and which place in it is wrong; ``log_source`` selects
among the runs like run files do (``where:``, ``latest:``, ``git:``).
"""

from __future__ import annotations

from functools import partial

from gate.policy.eval_specs import EvalLogSpec, InspectSpec, LmEvalSpec, PromptfooSpec
from gate.sources import RunSource
from gate.sources.evallogs.log_source import EvalLogSource


def open_eval_logs(spec: EvalLogSpec) -> RunSource:
    """The source of the logs ``spec`` names; nothing is read yet."""
    if isinstance(spec, LmEvalSpec):
        from gate.sources.evallogs.lm_eval import read_lm_eval

        return EvalLogSource(spec, partial(read_lm_eval, tasks=spec.tasks), kind="lm-eval")
    if isinstance(spec, InspectSpec):
        from gate.sources.evallogs.inspect_log import read_inspect

        return EvalLogSource(spec, partial(read_inspect, tasks=spec.tasks), kind="inspect")
    assert isinstance(spec, PromptfooSpec)
    from gate.sources.evallogs.promptfoo import read_promptfoo

    return EvalLogSource(spec, partial(read_promptfoo, prompts=spec.prompts), kind="promptfoo")
