"""`rungate explain METRIC`: judge as `rungate check` does, then say in plain words how one
metric was judged. Exit status as check's, for that metric: 0, 1 when it fails the gate."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from gate.commands.arguments import Context
from gate.commands.check import load_and_decide, open_sides
from gate.errors import UsageError
from gate.policy import load_policy
from gate.policy.yamldoc import did_you_mean
from gate.report.explanation import render_explanation


def from_args(args: argparse.Namespace, context: Context) -> int:
    return run_explain(
        metric=args.metric, policy=args.policy, candidate=args.candidate, baseline=args.baseline
    )


def run_explain(
    *, metric: str, policy: Path, candidate: Sequence[Path], baseline: Sequence[Path]
) -> int:
    gate_policy = load_policy(policy)
    if metric not in gate_policy.metric_names:
        hint = did_you_mean(metric, gate_policy.metric_names)
        raise UsageError(f"the policy gates no metric {metric!r}{hint}", source=str(policy))
    result = load_and_decide(gate_policy, *open_sides(gate_policy, candidate, baseline))
    (judged,) = [found for found in result.metrics if found.name == metric]
    print(render_explanation(result, judged), end="")
    return 1 if judged.fails_gate else 0
