"""`rungate comment`: post a report that a gate already wrote, as the sticky comment.

It exists for the fork-safe pattern: a ``pull_request`` workflow (read-only token)
runs the gate and uploads the JSON report; a ``workflow_run`` workflow, which may
write, posts it. The JSON report is read back into a result and rendered anew, so
the comment is shortened by what fails the gate and every string in it is escaped,
whoever edited the file. A Markdown report is posted as it is, cut only before
headings. Posting is all it does, so a failure to post is an error (exit 2, one
line), unlike ``rungate check --comment``, where it is a warning.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from pathlib import Path

from gate.commands.arguments import Context, comment_request
from gate.errors import UsageError
from gate.publish.post import GITHUB, CommentRequest, platform_of, post_report
from gate.report.json_read import read_json_report
from gate.result import GateResult

MAX_REPORT_BYTES = 50 * 1024 * 1024  # far above any report; stops a runaway artifact early


def from_args(args: argparse.Namespace, context: Context) -> int:
    return run_comment(report=args.report, request=comment_request(args))


def run_comment(
    *, report: Path, request: CommentRequest, environ: Mapping[str, str] | None = None
) -> int:
    env = os.environ if environ is None else environ
    content = load_report(report)
    posted = post_report(content, request, env, platform=platform_of(env) or GITHUB)
    link = f": {posted.url}" if posted.url else ""
    print(f"rungate: {posted.action} the comment on {posted.where}{link}")
    return 0


def load_report(path: Path) -> GateResult | str:
    """A JSON report (a file that starts with ``{``) as its result; else Markdown text."""
    text = _read_report(path)
    if text.lstrip().startswith("{"):
        return read_json_report(text, source=str(path))
    return text


def _read_report(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_REPORT_BYTES:
            raise UsageError("the report is larger than 50 MiB", source=str(path))
        return path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        raise UsageError(
            f"cannot read the report: {exc.strerror or exc}", source=str(path)
        ) from exc
