"""`rungate check`: load the policy and both run sets, decide, report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from gate.decide import decide
from gate.errors import UsageError
from gate.outputs import STDOUT, check_outputs, write_text
from gate.policy import load_policy
from gate.result import GateResult
from gate.sources import RunSource
from gate.sources.local import FileSource


def run_check(
    *,
    policy: Path,
    candidate: Sequence[Path],
    baseline: Sequence[Path],
    markdown: Path | None = None,
    json: Path | None = None,
    html: Path | None = None,
) -> int:
    reports = {
        path: render
        for path, render in ((markdown, _markdown), (json, _json), (html, _html))
        if path is not None
    }
    if sum(1 for path in reports if path == STDOUT) > 1:
        raise UsageError("only one report can go to stdout ('-')")
    gate_policy = load_policy(policy)
    candidate_source = _side("candidate", candidate, gate_policy.candidate)
    baseline_source = _side("baseline", baseline, gate_policy.baseline)
    check_outputs(
        reports, inputs=[policy, *candidate_source.local_paths(), *baseline_source.local_paths()]
    )
    # Both sides are read before anything is written, so a bad input leaves no report behind.
    histories = frozenset(spec.name for spec in gate_policy.metrics if spec.needs_history)
    result = decide(gate_policy, candidate_source.load(histories), baseline_source.load(histories))

    for path, render in reports.items():
        write_text(path, render(result))
    if STDOUT not in reports:
        from gate.report.summary import summary_text

        print(summary_text(result), end="")
    return 0 if result.passed else 1


def _side(name: str, paths: Sequence[Path], from_policy: RunSource | None) -> RunSource:
    if paths:
        return FileSource(paths)
    if from_policy is None:
        raise UsageError(f"no {name} run set: give --{name} PATH or set `{name}:` in the policy")
    return from_policy


def _markdown(result: GateResult) -> str:
    from gate.report.markdown import render_markdown

    return render_markdown(result)


def _json(result: GateResult) -> str:
    from gate.report.json_report import render_json

    return render_json(result)


def _html(result: GateResult) -> str:
    from gate.report.html import render_html

    return render_html(result)
