"""What ``rungate check`` does once it has a verdict: tell the CI system, and comment.

None of it can change the exit status: the gate's verdict decides that. A file
the runner gave us that cannot be written, or a comment that cannot be posted,
is a warning; the report is still in the files asked for.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from gate.ci import actions
from gate.errors import PublishError, RungateError
from gate.publish.post import CommentRequest, platform_of, post_report
from gate.result import GateResult
from gate.retrying_http import Clock, Sleep


def after_check(
    result: GateResult,
    *,
    reports: Mapping[str, Path],
    comment: CommentRequest | None,
    environ: Mapping[str, str],
    stdout_is_taken: bool,
    sleep: Sleep = time.sleep,
    clock: Clock = time.time,
) -> None:
    """``reports`` maps a kind (markdown, json, html, junit) to the path it was written to."""
    # Workflow commands go to stdout, where the runner looks for them, unless a report
    # is being piped out there; the runner reads them on stderr too.
    commands = sys.stderr if stdout_is_taken else sys.stdout
    in_actions = actions.in_github_actions(environ)
    if in_actions:
        _report_to_actions(result, reports, environ, commands)
    if comment is not None:
        _post(result, comment, environ, commands if in_actions else None, sleep, clock)


def after_error(
    error: RungateError,
    *,
    comment: CommentRequest,
    environ: Mapping[str, str],
    sleep: Sleep = time.sleep,
    clock: Clock = time.time,
) -> None:
    """The gate could not judge: the sticky comment says so and why, instead of keeping
    an earlier pass or fail that no longer applies. The exit status stays 2."""
    from gate.report.markdown import render_error_markdown

    in_actions = actions.in_github_actions(environ)
    commands = sys.stderr if in_actions else None  # stdout may carry a report
    _post(render_error_markdown(str(error)), comment, environ, commands, sleep, clock)


def _post(
    report: GateResult | str,
    comment: CommentRequest,
    environ: Mapping[str, str],
    commands: TextIO | None,
    sleep: Sleep,
    clock: Clock,
) -> None:
    """Post the sticky comment; any failure is a warning, never an exit status."""
    platform = platform_of(environ)
    if platform is None:
        warn("--comment posts only inside GitHub Actions or GitLab CI; no comment was posted")
        return
    try:
        posted = post_report(report, comment, environ, platform=platform, sleep=sleep, clock=clock)
    except PublishError as exc:
        warn(f"no comment was posted: {exc}", commands)
        return
    except Exception as exc:  # a bug of ours in posting must not change the gate's status
        warn(
            f"no comment was posted: internal error {type(exc).__name__}: {exc} (a bug in rungate)",
            commands,
        )
        return
    link = f": {posted.url}" if posted.url else ""
    print(f"rungate: {posted.action} the comment on {posted.where}{link}", file=sys.stderr)


def _report_to_actions(
    result: GateResult,
    reports: Mapping[str, Path],
    environ: Mapping[str, str],
    commands: TextIO,
) -> None:
    for line in actions.annotation_lines(result):
        print(line, file=commands)
    summary = environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        try:
            path = Path(summary)
            written = path.stat().st_size if path.exists() else 0
            text = actions.job_summary(result, already_written=written)
            if text is None:
                warn("the job summary of this step is full; the report was not added", commands)
            else:
                actions.append(path, ("\n" if written else "") + text)
        except OSError as exc:
            warn(f"cannot write the job summary {summary}: {exc.strerror or exc}", commands)
    output = environ.get("GITHUB_OUTPUT")
    if output:
        try:
            actions.append(
                Path(output), actions.format_outputs(actions.step_outputs(result, reports))
            )
        except OSError as exc:
            warn(f"cannot write the step outputs {output}: {exc.strerror or exc}", commands)


def warn(message: str, commands: TextIO | None = None) -> None:
    """A problem that does not change the verdict: an annotation in Actions, else a line."""
    if commands is not None:
        print(actions.workflow_command("warning", message, title="rungate"), file=commands)
    else:
        print(f"rungate: warning: {message}", file=sys.stderr)
