"""Small stand-ins for GitHub's and GitLab's comment APIs, served by a real HTTP server.

They keep comments in memory, page them the way the real APIs do (a ``Link``
header; GitLab's ``X-Next-Page`` too), check the token, and record every request.
``fail_next`` queues canned faults (a 403 with ``retry-after``, a 502 ...) for
the next matching requests, so a test can play any failure sequence.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

TOKEN = "ghs_s3cr3t-t0ken-value"
BOT = {"login": "github-actions[bot]", "type": "Bot"}
HUMAN = {"login": "octocat", "type": "User"}
BODY_LIMIT = 65_536
START = 1_700_000_000.0


@dataclass
class Fault:
    method: str
    path_pattern: str
    status: int
    body: object  # JSON, or a str sent as it is (``raw``)
    headers: dict[str, str] = field(default_factory=dict)
    raw: bool = False


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


def _json(payload: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(payload), status, headers, content_type="application/json")


class FakeForge:
    """What both fakes share: the server, the token check, faults, the request log."""

    link_header = True  # GitLab sends X-Next-Page too; a test can take Link away
    auth_header = "Authorization"
    auth_value = f"Bearer {TOKEN}"

    def __init__(self, server: HTTPServer, prefix: str) -> None:
        self.server = server
        self.prefix = prefix
        self.faults: list[Fault] = []
        self.seen: list[Seen] = []
        self.next_id = 1000
        server.expect_request(re.compile(".*")).respond_with_handler(self._handle)

    @property
    def api_url(self) -> str:
        return self.server.url_for(self.prefix).rstrip("/")

    def fail_next(
        self, method: str, path_pattern: str, status: int, body: object, **headers: str
    ) -> None:
        self.faults.append(Fault(method, path_pattern, status, body, headers))

    def answer_next_with_text(self, method: str, path_pattern: str, text: str) -> None:
        """The next such request gets 200 and ``text`` as it is (a proxy's HTML page)."""
        self.faults.append(Fault(method, path_pattern, 200, text, {}, raw=True))

    def calls(self, method: str | None = None) -> list[Seen]:
        return [seen for seen in self.seen if method is None or seen.method == method]

    def _handle(self, request: Request) -> Response:
        body = json.loads(request.data) if request.data else None
        self.seen.append(
            Seen(request.method, request.path, dict(request.args), dict(request.headers), body)
        )
        if request.headers.get(self.auth_header) != self.auth_value:
            return _json({"message": "Bad credentials"}, 401)
        for fault in self.faults:
            if fault.method == request.method and re.search(fault.path_pattern, request.path):
                self.faults.remove(fault)
                if fault.raw:
                    return Response(str(fault.body), fault.status, fault.headers)
                return _json(fault.body, fault.status, fault.headers)
        if not request.path.startswith(self.prefix):
            return _json({"message": "Not Found"}, 404)
        return self.route(request, request.path[len(self.prefix) :], body)

    def route(self, request: Request, path: str, body: Any) -> Response:
        raise NotImplementedError

    def _page(self, request: Request, items: list[dict[str, Any]], path: str) -> Response:
        per_page = min(int(request.args.get("per_page", 30)), 100)
        page = int(request.args.get("page", 1))
        chunk = items[(page - 1) * per_page : page * per_page]
        headers = {}
        if page * per_page < len(items):
            query = {**request.args, "page": str(page + 1)}
            url = f"{self.api_url}{path}?{urlencode(query)}"
            headers = self.next_page_header(page + 1)
            if self.link_header:
                headers["Link"] = f'<{url}>; rel="next"'
        return _json(chunk, headers=headers)

    def next_page_header(self, page: int) -> dict[str, str]:
        return {}


class FakeGitHub(FakeForge):
    """``/repos/{repo}/issues/{n}/comments`` and friends, under an optional ``/api/v3``."""

    def __init__(
        self,
        server: HTTPServer,
        *,
        prefix: str = "",
        repo: str = "octo/models",
        number: int = 7,
        identity: dict[str, str] | None = None,
    ) -> None:
        super().__init__(server, prefix)
        self.repo = repo
        self.number = number
        self.identity = identity  # None: an installation token, which GET /user refuses
        self.head_sha = "a" * 40
        self.comments: list[dict[str, Any]] = []

    def refuse_a_forks_token(self, permissions: str = "pull_requests=write") -> None:
        """The next comment is refused as GitHub refuses a fork's read-only token."""
        self.fail_next(
            "POST",
            "/comments$",
            403,
            {"message": "Resource not accessible by integration"},
            **{"x-accepted-github-permissions": permissions},
        )

    def add_comment(self, body: str, user: dict[str, str]) -> dict[str, Any]:
        self.next_id += 1
        comment = {"id": self.next_id, "body": body, "user": dict(user)}
        comment["html_url"] = f"https://github.test/{self.repo}/pull/{self.number}#c{self.next_id}"
        self.comments.append(comment)
        return comment

    def route(self, request: Request, path: str, body: Any) -> Response:
        thread = f"/repos/{self.repo}/issues/{self.number}/comments"
        single = re.fullmatch(rf"/repos/{re.escape(self.repo)}/issues/comments/(\d+)", path)
        if path == "/user" and request.method == "GET":
            if self.identity is None:
                return _json({"message": "Resource not accessible by integration"}, 403)
            return _json(self.identity)
        if path == thread and request.method == "GET":
            return self._page(request, self.comments, path)
        if request.method in ("POST", "PATCH") and len(body["body"]) > BODY_LIMIT:
            return _json({"message": "Validation Failed", "errors": ["Body is too long"]}, 422)
        if path == thread and request.method == "POST":
            return _json(self.add_comment(body["body"], self.identity or BOT), 201)
        if path == f"/repos/{self.repo}/pulls/{self.number}" and request.method == "GET":
            return _json({"number": self.number, "head": {"sha": self.head_sha}})
        if single:
            found = [c for c in self.comments if c["id"] == int(single[1])]
            if not found:
                return _json({"message": "Not Found"}, 404)
            if request.method == "PATCH":
                found[0]["body"] = body["body"]
                return _json(found[0])
            if request.method == "DELETE":
                self.comments.remove(found[0])
                return Response(status=204)
        return _json({"message": "Not Found"}, 404)


class FakeGitLab(FakeForge):
    """``/projects/{id}/merge_requests/{iid}/notes`` under ``/api/v4``."""

    auth_header = "PRIVATE-TOKEN"
    auth_value = TOKEN

    def __init__(
        self, server: HTTPServer, *, project: str = "42", iid: int = 3, user_id: int = 77
    ) -> None:
        super().__init__(server, "/api/v4")
        self.project = project
        self.iid = iid
        self.user_id = user_id
        self.notes: list[dict[str, Any]] = []

    def add_note(self, body: str, author_id: int, *, system: bool = False) -> dict[str, Any]:
        self.next_id += 1
        note = {"id": self.next_id, "body": body, "author": {"id": author_id}, "system": system}
        self.notes.append(note)
        return note

    def next_page_header(self, page: int) -> dict[str, str]:
        return {"X-Next-Page": str(page)}

    def route(self, request: Request, path: str, body: Any) -> Response:
        notes = f"/projects/{self.project}/merge_requests/{self.iid}/notes"
        single = re.fullmatch(rf"{re.escape(notes)}/(\d+)", path)
        if path == "/user" and request.method == "GET":
            return _json({"id": self.user_id, "username": "project_42_bot"})
        if path == notes and request.method == "GET":
            return self._page(request, self.notes, path)
        if path == notes and request.method == "POST":
            return _json(self.add_note(body["body"], self.user_id), 201)
        if single:
            found = [n for n in self.notes if n["id"] == int(single[1])]
            if not found:
                return _json({"message": "404 Not found"}, 404)
            if request.method == "PUT":
                found[0]["body"] = body["body"]
                return _json(found[0])
            if request.method == "DELETE":
                self.notes.remove(found[0])
                return Response(status=204)
        return _json({"message": "404 Not found"}, 404)


class FakeTime:
    """A clock that only moves when something sleeps; every sleep is recorded."""

    def __init__(self) -> None:
        self.now = START
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now
