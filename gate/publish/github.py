"""Pull-request comments on GitHub and GitHub Enterprise Server, through the REST API.

The API base always comes from ``GITHUB_API_URL`` (``https://HOST/api/v3`` on
Enterprise Server), never a built-in host.

Which comments are ours: the marker on the first line, and the author. A
personal access token can ask ``GET /user`` who it is, and then only that login
counts. The workflow's ``GITHUB_TOKEN`` (an installation token) gets a 403 there;
it posts as ``github-actions[bot]`` (a GitHub App token as ``APP[bot]``), so then
any author of type ``Bot`` counts, and no person's comment is ever edited.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import gate
from gate.errors import ApiError, PublishError
from gate.publish.forge_api import (
    MAX_PAGES,
    PER_PAGE,
    answer_json,
    check_same_origin,
    forge_client,
    json_list,
)
from gate.publish.sticky import Comment
from gate.retrying_http import Clock, RetryingClient, RetryPolicy, Sleep

API_VERSION = "2022-11-28"
FORK_DOC = "docs/github-action.md#pull-requests-from-forks"
_REPOSITORY = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class GitHubTarget:
    api_url: str
    repository: str  # OWNER/NAME
    number: int  # the pull request
    token: str = field(repr=False)


def github_target(
    environ: Mapping[str, str], *, number: int | None = None, repository: str | None = None
) -> GitHubTarget:
    """Where to comment, from the Actions environment; ``number``/``repository`` override it."""
    token = environ.get("GITHUB_TOKEN", "").strip()
    if not token:
        raise PublishError(
            "GITHUB_TOKEN is not set: give the step `env: GITHUB_TOKEN: ${{ github.token }}`"
        )
    api_url = environ.get("GITHUB_API_URL", "").strip().rstrip("/")
    if not api_url.startswith(("https://", "http://")):
        raise PublishError(
            "GITHUB_API_URL is not set (GitHub Actions sets it; elsewhere set it to "
            "https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server)"
        )
    repository = repository or environ.get("GITHUB_REPOSITORY", "")
    if not _REPOSITORY.fullmatch(repository):
        raise PublishError(f"not a repository OWNER/NAME: {repository!r} (GITHUB_REPOSITORY)")
    if number is None:
        number = pull_request_number(environ)
    return GitHubTarget(api_url, repository, number, token)


def pull_request_number(environ: Mapping[str, str]) -> int:
    """The pull request of the event that started the workflow (``GITHUB_EVENT_PATH``)."""
    event_name = environ.get("GITHUB_EVENT_NAME", "this event")
    path = environ.get("GITHUB_EVENT_PATH", "")
    try:
        event = json.loads(Path(path).read_text(encoding="utf-8")) if path else {}
    except (OSError, ValueError) as exc:
        raise PublishError(f"cannot read the event file GITHUB_EVENT_PATH={path}: {exc}") from exc
    if not isinstance(event, dict):
        event = {}
    candidates = [
        (event.get("pull_request") or {}).get("number"),
        (event.get("issue") or {}).get("number")
        if (event.get("issue") or {}).get("pull_request")
        else None,
        *[pr.get("number") for pr in (event.get("workflow_run") or {}).get("pull_requests", [])],
    ]
    for number in candidates:
        if isinstance(number, int) and not isinstance(number, bool) and number > 0:
            return number
    raise PublishError(f"{event_name} is not about a pull request: there is nothing to comment on")


class GitHubThread:
    """The comments of one pull request (they are issue comments in GitHub's API)."""

    def __init__(self, target: GitHubTarget, client: RetryingClient) -> None:
        self.target = target
        self.client = client
        self._repo_url = f"{target.api_url}/repos/{target.repository}"
        self._login: str | None = None
        self._login_known = False

    @property
    def where(self) -> str:
        return f"pull request {self.target.repository}#{self.target.number}"

    def comments(self) -> Iterator[Comment]:
        url: str | None = f"{self._repo_url}/issues/{self.target.number}/comments"
        params: dict[str, str | int] | None = {"per_page": PER_PAGE}
        for _ in range(MAX_PAGES):
            if url is None:
                return
            response = self.client.request("GET", url, params=params)
            for item in json_list(answer_json(response), url):
                yield self._comment(item)
            url = response.links.get("next", {}).get("url")
            params = None  # the next link carries the query
            if url is not None:
                check_same_origin(url, self.target.api_url)
        raise PublishError(f"{self.where}: more than {MAX_PAGES} pages of comments")

    def create(self, body: str) -> Comment:
        url = f"{self._repo_url}/issues/{self.target.number}/comments"
        return self._comment(answer_json(self.client.request("POST", url, json={"body": body})))

    def update(self, comment: Comment, body: str) -> Comment:
        url = f"{self._repo_url}/issues/comments/{comment.id}"
        return self._comment(answer_json(self.client.request("PATCH", url, json={"body": body})))

    def delete(self, comment: Comment) -> None:
        self.client.request("DELETE", f"{self._repo_url}/issues/comments/{comment.id}")

    def head_sha(self) -> str:
        pull = answer_json(
            self.client.request("GET", f"{self._repo_url}/pulls/{self.target.number}")
        )
        head = pull.get("head") if isinstance(pull, dict) else None
        sha = head.get("sha") if isinstance(head, dict) else None
        if not isinstance(sha, str):
            raise PublishError(f"{self.where}: the API did not say which commit is its head")
        return sha

    def _own_login(self) -> str | None:
        if not self._login_known:
            try:
                user = answer_json(self.client.request("GET", f"{self.target.api_url}/user"))
            except ApiError as exc:
                if exc.status not in (401, 403, 404):
                    raise
                user = None  # an installation token cannot ask who it is
            self._login = user.get("login") if isinstance(user, dict) else None
            self._login_known = True
        return self._login

    def _comment(self, item: object) -> Comment:
        if not isinstance(item, dict) or not isinstance(item.get("id"), int):
            raise PublishError(f"{self.where}: the API answered with something not a comment")
        user = item.get("user")
        user = user if isinstance(user, dict) else {}
        login = self._own_login()
        ours = user.get("login") == login if login else user.get("type") == "Bot"
        return Comment(
            id=item["id"], body=str(item.get("body") or ""), ours=ours, url=item.get("html_url")
        )


def github_client(
    target: GitHubTarget,
    *,
    policy: RetryPolicy | None = None,
    sleep: Sleep = time.sleep,
    clock: Clock = time.time,
) -> RetryingClient:
    return forge_client(
        headers={
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": f"rungate/{gate.__version__}",
        },
        auth_headers={"Authorization": f"Bearer {target.token}"},
        policy=policy,
        sleep=sleep,
        clock=clock,
    )


def explain(error: ApiError, where: str) -> PublishError:
    """A message for the failures people meet most, above all a fork's read-only token."""
    if error.status == 403 and "not accessible by integration" in error.api_message.lower():
        needed = error.headers.get("x-accepted-github-permissions", "pull_requests=write")
        return PublishError(
            f"{where}: GitHub refused to let this token comment (403 Resource not accessible "
            f"by integration; it needs {needed}). Give the job `permissions: pull-requests: "
            "write`; a pull request from a fork only ever gets a read-only token, so there run "
            f"the gate without commenting and post the report from a workflow_run workflow "
            f"with `rungate comment` (see {FORK_DOC})"
        )
    if error.status in (401, 404):
        return PublishError(
            f"{where}: {error.message} (is GITHUB_TOKEN valid, and can it see the repository?)"
        )
    return PublishError(f"{where}: {error.message}")
