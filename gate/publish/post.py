"""Posting a report as the sticky comment of a pull request (GitHub) or merge request (GitLab)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from gate.errors import ApiError, PublishError
from gate.publish import github, gitlab
from gate.publish.body import (
    DEFAULT_COMMENT_ID,
    GITLAB_NOTE_LIMIT,
    comment_body,
    where_the_full_report_is,
)
from gate.publish.sticky import CommentMode, Posted, post_sticky
from gate.result import GateResult
from gate.retrying_http import Clock, RetryPolicy, Sleep

GITHUB = "github"
GITLAB = "gitlab"


def platform_of(environ: Mapping[str, str]) -> str | None:
    """The CI system this process runs in, as far as commenting goes."""
    if environ.get("GITHUB_ACTIONS") == "true":
        return GITHUB
    if environ.get("GITLAB_CI") == "true":
        return GITLAB
    return None


def actions_run_url(environ: Mapping[str, str]) -> str | None:
    """The page of this workflow run, where its job summary is."""
    parts = [environ.get(name, "") for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY")]
    run_id = environ.get("GITHUB_RUN_ID", "")
    if not all(parts) or not run_id.isdigit():
        return None
    return f"{parts[0].rstrip('/')}/{parts[1]}/actions/runs/{run_id}"


@dataclass(frozen=True)
class CommentRequest:
    comment_id: str = DEFAULT_COMMENT_ID
    mode: CommentMode = CommentMode.UPDATE
    number: int | None = None  # the pull/merge request; None: from the CI environment
    repository: str | None = None  # GitHub OWNER/NAME or GitLab project; None: likewise
    details_url: str | None = None  # where the full report is, for a shortened comment
    require_head_sha: str | None = None  # post only if the pull request's head is this


def post_report(
    report: GateResult | str,
    request: CommentRequest,
    environ: Mapping[str, str],
    *,
    platform: str,
    policy: RetryPolicy | None = None,
    sleep: Sleep = time.sleep,
    clock: Clock = time.time,
) -> Posted:
    """Create, update or replace the comment; a ``PublishError`` says why it could not.

    ``report`` is a result, or the text of a Markdown report file (see ``comment_body``).
    """
    if platform == GITLAB:
        if request.require_head_sha:
            raise PublishError("--require-head-sha works on GitHub only")
        lab_target = gitlab.gitlab_target(
            environ, number=request.number, project=request.repository
        )
        lab = gitlab.GitLabThread(
            lab_target, gitlab.gitlab_client(lab_target, policy=policy, sleep=sleep, clock=clock)
        )
        body = comment_body(
            report,
            comment_id=request.comment_id,
            limit=GITLAB_NOTE_LIMIT,
            full_report_hint=where_the_full_report_is(None, platform=GITLAB),
        )
        try:
            return post_sticky(lab, body, comment_id=request.comment_id, mode=request.mode)
        except ApiError as exc:
            raise gitlab.explain(exc, lab.where) from exc

    hub_target = github.github_target(environ, number=request.number, repository=request.repository)
    hub = github.GitHubThread(
        hub_target, github.github_client(hub_target, policy=policy, sleep=sleep, clock=clock)
    )
    body = comment_body(
        report,
        comment_id=request.comment_id,
        full_report_hint=where_the_full_report_is(request.details_url),
    )
    try:
        if request.require_head_sha and hub.head_sha() != request.require_head_sha:
            raise PublishError(
                f"{hub.where}: its head commit is not {request.require_head_sha}; the pull "
                "request number does not belong to the run that made this report"
            )
        return post_sticky(hub, body, comment_id=request.comment_id, mode=request.mode)
    except ApiError as exc:
        raise github.explain(exc, hub.where) from exc
