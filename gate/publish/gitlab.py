"""Merge-request notes on GitLab, through the REST API (v4).

GitLab CI's job token cannot post notes, so the token comes from
``RUNGATE_GITLAB_TOKEN`` (a project or personal access token with the ``api``
scope), sent as ``PRIVATE-TOKEN``. Which notes are ours: the marker on the first
line and, when ``GET /user`` answers, that user as the author; system notes never.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote

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

TOKEN_VARIABLE = "RUNGATE_GITLAB_TOKEN"


@dataclass(frozen=True)
class GitLabTarget:
    api_url: str  # CI_API_V4_URL, e.g. https://gitlab.example.com/api/v4
    project: str  # an id, or a path such as group/project
    merge_request: int  # the IID, as shown in the merge request's URL
    token: str = field(repr=False)
    web_url: str | None = None  # CI_PROJECT_URL, for links to notes


def gitlab_target(
    environ: Mapping[str, str], *, number: int | None = None, project: str | None = None
) -> GitLabTarget:
    token = environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        raise PublishError(
            f"{TOKEN_VARIABLE} is not set: GitLab's job token cannot post notes, so give a "
            "project access token with the api scope in a masked CI/CD variable"
        )
    api_url = environ.get("CI_API_V4_URL", "").strip().rstrip("/")
    if not api_url.startswith(("https://", "http://")):
        raise PublishError("CI_API_V4_URL is not set (GitLab CI sets it)")
    project = project or environ.get("CI_PROJECT_ID", "").strip()
    if not project:
        raise PublishError("CI_PROJECT_ID is not set (GitLab CI sets it)")
    if number is None:
        iid = environ.get("CI_MERGE_REQUEST_IID", "").strip()
        if not iid.isdigit() or int(iid) <= 0:
            raise PublishError(
                "CI_MERGE_REQUEST_IID is not set: this is not a merge request pipeline "
                '(add `rules: - if: $CI_PIPELINE_SOURCE == "merge_request_event"`)'
            )
        number = int(iid)
    web_url = environ.get("CI_PROJECT_URL", "").strip().rstrip("/") or None
    return GitLabTarget(api_url, project, number, token, web_url)


class GitLabThread:
    def __init__(self, target: GitLabTarget, client: RetryingClient) -> None:
        self.target = target
        self.client = client
        self._notes_url = (
            f"{target.api_url}/projects/{quote(target.project, safe='')}"
            f"/merge_requests/{target.merge_request}/notes"
        )
        self._user_id: int | None = None
        self._user_known = False

    @property
    def where(self) -> str:
        return f"merge request {self.target.project}!{self.target.merge_request}"

    def comments(self) -> Iterator[Comment]:
        base: dict[str, str | int] = {"per_page": PER_PAGE, "sort": "asc", "order_by": "created_at"}
        url, params = self._notes_url, dict(base)
        for _ in range(MAX_PAGES):
            response = self.client.request("GET", url, params=params)
            for item in json_list(answer_json(response), url):
                yield self._note(item)
            next_link = response.links.get("next", {}).get("url")
            next_page = response.headers.get("x-next-page", "").strip()
            if next_link:
                check_same_origin(next_link, self.target.api_url)
                url, params = next_link, {}
            elif next_page.isdigit():
                url, params = self._notes_url, {**base, "page": int(next_page)}
            else:
                return
        raise PublishError(f"{self.where}: more than {MAX_PAGES} pages of notes")

    def create(self, body: str) -> Comment:
        return self._note(
            answer_json(self.client.request("POST", self._notes_url, json={"body": body}))
        )

    def update(self, comment: Comment, body: str) -> Comment:
        url = f"{self._notes_url}/{comment.id}"
        return self._note(answer_json(self.client.request("PUT", url, json={"body": body})))

    def delete(self, comment: Comment) -> None:
        self.client.request("DELETE", f"{self._notes_url}/{comment.id}")

    def _own_id(self) -> int | None:
        if not self._user_known:
            try:
                user = answer_json(self.client.request("GET", f"{self.target.api_url}/user"))
            except ApiError as exc:
                if exc.status not in (401, 403, 404):
                    raise
                user = None
            found = user.get("id") if isinstance(user, dict) else None
            self._user_id = found if isinstance(found, int) else None
            self._user_known = True
        return self._user_id

    def _note(self, item: object) -> Comment:
        if not isinstance(item, dict) or not isinstance(item.get("id"), int):
            raise PublishError(f"{self.where}: the API answered with something not a note")
        author = item.get("author")
        author_id = author.get("id") if isinstance(author, dict) else None
        own_id = self._own_id()
        ours = not item.get("system") and (own_id is None or author_id == own_id)
        url = None
        if self.target.web_url:
            url = f"{self.target.web_url}/-/merge_requests/{self.target.merge_request}"
            url += f"#note_{item['id']}"
        return Comment(id=item["id"], body=str(item.get("body") or ""), ours=ours, url=url)


def gitlab_client(
    target: GitLabTarget,
    *,
    policy: RetryPolicy | None = None,
    sleep: Sleep = time.sleep,
    clock: Clock = time.time,
) -> RetryingClient:
    return forge_client(
        headers={"Accept": "application/json", "User-Agent": f"rungate/{gate.__version__}"},
        auth_headers={"PRIVATE-TOKEN": target.token},
        policy=policy,
        sleep=sleep,
        clock=clock,
    )


def explain(error: ApiError, where: str) -> PublishError:
    if error.status in (401, 403):
        return PublishError(
            f"{where}: {error.message} (the token in {TOKEN_VARIABLE} needs the api scope and "
            "at least the Reporter role in the project)"
        )
    return PublishError(f"{where}: {error.message}")
