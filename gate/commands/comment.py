"""`rungate comment`: post a report that a gate already wrote, as the sticky comment.

It exists for the fork-safe pattern: a ``pull_request`` workflow (read-only token)
runs the gate and uploads the report; a ``workflow_run`` workflow, which may
write, posts it. Posting is all it does, so a failure to post is an error
(exit 2, one line), unlike ``rungate check --comment``, where it is a warning.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from gate.errors import UsageError
from gate.publish.post import GITHUB, CommentRequest, platform_of, post_report

MAX_REPORT_BYTES = 50 * 1024 * 1024  # far above any report; stops a runaway artifact early


def run_comment(
    *, report: Path, request: CommentRequest, environ: Mapping[str, str] | None = None
) -> int:
    env = os.environ if environ is None else environ
    text = _read_report(report)
    posted = post_report(text, request, env, platform=platform_of(env) or GITHUB)
    link = f": {posted.url}" if posted.url else ""
    print(f"rungate: {posted.action} the comment on {posted.where}{link}")
    return 0


def _read_report(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_REPORT_BYTES:
            raise UsageError("the report is larger than 50 MiB", source=str(path))
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise UsageError(
            f"cannot read the report: {exc.strerror or exc}", source=str(path)
        ) from exc
