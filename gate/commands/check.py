"""`rungate check`: load the policy and both run sets, decide, report."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gate.commands.arguments import Context, comment_request
from gate.decide import decide
from gate.errors import RungateError, UsageError
from gate.outputs import STDOUT, check_outputs, write_text
from gate.picture import with_shifts
from gate.policy import Policy, load_policy
from gate.policy.sources import SourceSpec
from gate.result import GateResult
from gate.sources import RunSource
from gate.sources.open import open_paths, open_source

if TYPE_CHECKING:
    from gate.publish.post import CommentRequest


def from_args(args: argparse.Namespace, context: Context) -> int:
    return run_check(
        policy=args.policy,
        candidate=args.candidate,
        baseline=args.baseline,
        markdown=args.markdown,
        json=args.json,
        html=args.html,
        junit=args.junit,
        comment=comment_request(args) if args.comment else None,
    )


def run_check(
    *,
    policy: Path,
    candidate: Sequence[Path],
    baseline: Sequence[Path],
    markdown: Path | None = None,
    json: Path | None = None,
    html: Path | None = None,
    junit: Path | None = None,
    comment: CommentRequest | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    env = os.environ if environ is None else environ
    asked = {"markdown": markdown, "json": json, "html": html, "junit": junit}
    try:
        return _judge(policy, candidate, baseline, asked, comment, env)
    except RungateError as error:
        if comment is not None:
            from gate.ci.after_check import after_error

            after_error(error, comment=comment, environ=env)
        raise


def _judge(
    policy: Path,
    candidate: Sequence[Path],
    baseline: Sequence[Path],
    asked: Mapping[str, Path | None],
    comment: CommentRequest | None,
    env: Mapping[str, str],
) -> int:
    reports = {kind: path for kind, path in asked.items() if path is not None}
    if sum(1 for path in reports.values() if path == STDOUT) > 1:
        raise UsageError("only one report can go to stdout ('-')")
    gate_policy = load_policy(policy)
    sides = open_sides(gate_policy, candidate, baseline)
    check_outputs(
        reports.values(), inputs=[policy, *(path for side in sides for path in side.local_paths())]
    )
    # Both sides are read before anything is written, so a bad input leaves no report behind.
    result = load_and_decide(gate_policy, *sides)

    for kind, path in reports.items():
        write_text(path, RENDERERS[kind](result))
    if STDOUT not in reports.values():
        from gate.report.summary import render_stdout_summary

        print(render_stdout_summary(result), end="")
    # The CI edges render what they post from the result themselves.
    if comment is not None or env.get("GITHUB_ACTIONS") == "true":
        from gate.ci.after_check import after_check

        after_check(
            result,
            reports=reports,
            comment=comment,
            environ=env,
            stdout_is_taken=STDOUT in reports.values(),
        )
    return 0 if result.passed else 1


def open_sides(
    policy: Policy, candidate: Sequence[Path], baseline: Sequence[Path]
) -> tuple[RunSource, RunSource]:
    """The two sides' sources: command-line paths, else the policy's entries."""
    return (
        _side("candidate", candidate, policy.candidate, policy.source),
        _side("baseline", baseline, policy.baseline, policy.source),
    )


def load_and_decide(policy: Policy, candidate: RunSource, baseline: RunSource) -> GateResult:
    histories = frozenset(spec.name for spec in policy.metrics if spec.needs_history)
    candidate_runs, baseline_runs = candidate.load(histories), baseline.load(histories)
    if not baseline_runs.history:
        return decide(policy, candidate_runs, baseline_runs)
    # Only a baseline read from main's recorded history pays for the shift detection.
    from gate.sources.history.shifted import against_shifts

    baseline_runs, shifts = against_shifts(policy, baseline_runs)
    return with_shifts(decide(policy, candidate_runs, baseline_runs), shifts)


def _side(
    name: str, paths: Sequence[Path], from_policy: SourceSpec | None, policy: str
) -> RunSource:
    if paths:
        return open_paths(tuple(paths))
    if from_policy is None:
        raise UsageError(
            f"no {name} run set: give --{name} PATH or set `{name}:` in the policy",
            source=policy,
        )
    return open_source(from_policy)


def _markdown(result: GateResult) -> str:
    from gate.report.markdown import render_markdown

    return render_markdown(result)


def _json(result: GateResult) -> str:
    from gate.report.json_report import render_json

    return render_json(result)


def _html(result: GateResult) -> str:
    from gate.report.html import render_html

    return render_html(result)


def _junit(result: GateResult) -> str:
    from gate.report.junit import render_junit

    return render_junit(result)


RENDERERS: dict[str, Callable[[GateResult], str]] = {
    "markdown": _markdown,
    "json": _json,
    "html": _html,
    "junit": _junit,
}
