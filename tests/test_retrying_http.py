"""The one retrying HTTP client (gate.retrying_http), against a real server on 127.0.0.1.

Each test scripts the server's answers; time is a ``FakeTime``, so the waits are
checked without sleeping. Both rules are exercised: a tracking server's
(``ServerRule``, raising ``RunSetError``) and the forges' (``forge_client``,
raising ``PublishError``).
"""

from __future__ import annotations

import email.utils
import functools
import json
import re

import pytest
import requests
from pytest_httpserver import HTTPServer
from support.fake_forge import START, FakeTime
from werkzeug import Request, Response

from gate.errors import ApiError, PublishError, RungateError, RunSetError
from gate.publish.forge_api import forge_client
from gate.retrying_http import Failures, RetryingClient, RetryPolicy, ServerRule, redact_url

SOURCE = "test server"
TOKEN = "tok-3f9a-very-secret"
PASSWORD = "pa55-w0rd-secret"


class AnswerError(RunSetError):
    """What the test client raises for an error answer that is not retried."""

    def __init__(self, where: str, response: requests.Response) -> None:
        super().__init__(f"{where}: HTTP {response.status_code}: {response.text}", source=SOURCE)
        self.status = response.status_code


SERVER_FAILURES = Failures(
    peer="server", error=functools.partial(RunSetError, source=SOURCE), from_answer=AnswerError
)


class Script:
    """Answers requests with the queued answers in turn, then with 200 ``{"ok": true}``."""

    def __init__(self, server: HTTPServer) -> None:
        self.answers: list[Response] = []
        self.seen: list[Request] = []
        server.expect_request(re.compile(".*")).respond_with_handler(self._answer)

    def then(self, status: int, body: str = "", **headers: str) -> Script:
        self.answers.append(Response(body, status, headers))
        return self

    def _answer(self, request: Request) -> Response:
        self.seen.append(request)
        if self.answers:
            return self.answers.pop(0)
        return Response(json.dumps({"ok": True}), 200, content_type="application/json")


@pytest.fixture
def script(httpserver: HTTPServer) -> Script:
    return Script(httpserver)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def server_client(fake_time: FakeTime, policy: RetryPolicy | None = None) -> RetryingClient:
    return RetryingClient(
        rule=ServerRule(),
        failures=SERVER_FAILURES,
        policy=policy,
        sleep=fake_time.sleep,
        clock=fake_time.clock,
    )


def publisher_client(fake_time: FakeTime) -> RetryingClient:
    return forge_client(
        headers={"Accept": "application/json"},
        auth_headers={"Authorization": f"Bearer {TOKEN}"},
        sleep=fake_time.sleep,
        clock=fake_time.clock,
    )


CLIENTS = {"server": server_client, "publisher": publisher_client}


@pytest.mark.parametrize("kind", CLIENTS)
def test_retry_after_in_seconds_is_waited(
    kind: str, script: Script, httpserver: HTTPServer, fake_time: FakeTime
) -> None:
    script.then(429, "slow down", **{"Retry-After": "7"})
    response = CLIENTS[kind](fake_time).request("GET", httpserver.url_for("/runs"))
    assert response.json() == {"ok": True}
    assert fake_time.sleeps == [7.0]
    assert len(script.seen) == 2


@pytest.mark.parametrize("kind", CLIENTS)
def test_retry_after_as_an_http_date_is_waited_until(
    kind: str, script: Script, httpserver: HTTPServer, fake_time: FakeTime
) -> None:
    date = email.utils.formatdate(START + 30, usegmt=True)
    script.then(429, "slow down", **{"Retry-After": date})
    CLIENTS[kind](fake_time).request("GET", httpserver.url_for("/runs"))
    assert fake_time.sleeps == [30.0]


def test_server_errors_back_off_then_succeed(
    script: Script, httpserver: HTTPServer, fake_time: FakeTime
) -> None:
    script.then(503, "busy").then(502, "bad gateway")
    response = server_client(fake_time).request("POST", httpserver.url_for("/search"), json={})
    assert response.json() == {"ok": True}
    assert fake_time.sleeps == [0.5, 1.0]
    assert len(script.seen) == 3


def test_a_retry_after_of_zero_still_backs_off_from_a_tracking_server(
    script: Script, httpserver: HTTPServer, fake_time: FakeTime
) -> None:
    script.then(503, "busy", **{"Retry-After": "0"})
    server_client(fake_time).request("GET", httpserver.url_for("/runs"))
    assert fake_time.sleeps == [0.5]


def test_gives_up_after_the_attempts_with_the_callers_error(
    script: Script, httpserver: HTTPServer, fake_time: FakeTime
) -> None:
    for _ in range(9):
        script.then(500, "db down")
    client = server_client(fake_time, RetryPolicy(attempts=3))
    with pytest.raises(RunSetError) as caught:
        client.request("GET", httpserver.url_for("/runs"))
    assert type(caught.value) is RunSetError  # the caller's class, not the answer's
    assert str(caught.value) == (
        f"{SOURCE}: GET {httpserver.url_for('/runs')}: HTTP 500: db down (gave up after 3 attempts)"
    )
    assert len(script.seen) == 3
    assert fake_time.sleeps == [0.5, 1.0]


def test_a_publisher_gives_up_with_a_publish_error(
    script: Script, httpserver: HTTPServer, fake_time: FakeTime
) -> None:
    for _ in range(9):
        script.then(502, json.dumps({"message": "Bad Gateway"}))
    with pytest.raises(PublishError, match=r"HTTP 502: Bad Gateway \(gave up after 5 attempts\)"):
        publisher_client(fake_time).request("GET", httpserver.url_for("/comments"))
    assert fake_time.sleeps == [1.0, 2.0, 4.0, 8.0]


def test_the_total_time_is_bounded(
    script: Script, httpserver: HTTPServer, fake_time: FakeTime
) -> None:
    for _ in range(9):
        script.then(503, "busy")
    policy = RetryPolicy(attempts=10, first_backoff=4, max_backoff=100, max_total_seconds=10)
    with pytest.raises(RunSetError) as caught:
        server_client(fake_time, policy).request("GET", httpserver.url_for("/runs"))
    assert caught.value.message.endswith(
        "HTTP 503: busy (gave up after 2 attempts: waiting 8 s more for a retry would pass "
        "the 10 s limit)"
    )
    assert fake_time.sleeps == [4.0]  # 4 s, then 8 s more would pass 10 s
    assert len(script.seen) == 2


@pytest.mark.parametrize("kind", CLIENTS)
def test_a_retry_after_past_the_limit_fails_at_once(
    kind: str, script: Script, httpserver: HTTPServer, fake_time: FakeTime
) -> None:
    script.then(429, "slow down", **{"Retry-After": "3600"})
    with pytest.raises(RungateError, match=r"waiting 3600 s more for a retry would pass"):
        CLIENTS[kind](fake_time).request("GET", httpserver.url_for("/runs"))
    assert fake_time.sleeps == []
    assert len(script.seen) == 1


@pytest.mark.parametrize("kind", CLIENTS)
def test_a_404_is_not_retried(
    kind: str, script: Script, httpserver: HTTPServer, fake_time: FakeTime
) -> None:
    script.then(404, json.dumps({"message": "Not Found"}))
    with pytest.raises(RungateError) as caught:
        CLIENTS[kind](fake_time).request("GET", httpserver.url_for("/missing"))
    error = caught.value
    assert isinstance(error, (AnswerError, ApiError)) and error.status == 404  # the answer's error
    assert len(script.seen) == 1
    assert fake_time.sleeps == []


def test_a_forge_retries_a_403_only_when_it_is_a_rate_limit(
    script: Script, httpserver: HTTPServer, fake_time: FakeTime
) -> None:
    script.then(403, json.dumps({"message": "You have exceeded a secondary rate limit"}))
    publisher_client(fake_time).request("GET", httpserver.url_for("/comments"))
    assert fake_time.sleeps == [60.0]
    script.then(403, json.dumps({"message": "Resource not accessible by integration"}))
    with pytest.raises(ApiError, match="not accessible"):
        publisher_client(fake_time).request("GET", httpserver.url_for("/comments"))
    assert fake_time.sleeps == [60.0]


def test_a_forge_keeps_writes_a_second_apart(
    script: Script, httpserver: HTTPServer, fake_time: FakeTime
) -> None:
    client = publisher_client(fake_time)
    for method in ("GET", "POST", "GET", "PATCH", "DELETE"):
        client.request(method, httpserver.url_for("/comments"))
    assert fake_time.sleeps == [1.0, 1.0]  # before the PATCH and the DELETE


def test_credentials_never_appear_in_messages(
    script: Script, httpserver: HTTPServer, fake_time: FakeTime
) -> None:
    for _ in range(9):
        script.then(500, "db down")
    url = httpserver.url_for("/runs").replace("://", f"://alice:{PASSWORD}@")
    with pytest.raises(RunSetError) as caught:
        server_client(fake_time).request("GET", f"{url}?token={TOKEN}#frag")
    assert script.seen[0].authorization is not None  # the credentials were sent, not shown
    assert script.seen[0].authorization.password == PASSWORD
    message = str(caught.value)
    assert f"GET {httpserver.url_for('/runs')}: HTTP 500" in message
    for secret in (PASSWORD, TOKEN, "alice", "frag"):
        assert secret not in message


@pytest.mark.parametrize("kind", CLIENTS)
def test_an_unreachable_server_is_retried_and_named_without_credentials(
    kind: str, fake_time: FakeTime
) -> None:
    url = f"http://alice:{PASSWORD}@127.0.0.1:9/runs?token={TOKEN}"  # the discard port
    with pytest.raises(RungateError) as caught:
        CLIENTS[kind](fake_time).request("GET", url)
    message = str(caught.value)
    assert "GET http://127.0.0.1:9/runs: cannot reach the " in message
    assert "gave up after" in message
    assert PASSWORD not in message and TOKEN not in message and "alice" not in message
    assert len(fake_time.sleeps) >= 3


def test_a_publishers_token_stays_out_of_its_client() -> None:
    client = publisher_client(FakeTime())
    assert TOKEN not in repr(client._session.auth)
    assert TOKEN not in repr(client.__dict__)


def test_redact_url_keeps_the_host_port_and_path() -> None:
    assert (
        redact_url(f"https://u:{PASSWORD}@[::1]:8443/a/b?t={TOKEN}#x") == "https://[::1]:8443/a/b"
    )


def test_a_token_header_never_follows_a_redirect_to_another_host(httpserver: HTTPServer) -> None:
    # GitLab's token is a custom header, which requests would carry across hosts.
    seen: dict[str, str | None] = {}

    def landing(request: Request) -> Response:
        seen[request.host.split(":")[0]] = request.headers.get("PRIVATE-TOKEN")
        return Response("[]", content_type="application/json")

    port = httpserver.port
    httpserver.expect_request("/away").respond_with_data(
        "", status=302, headers={"Location": f"http://localhost:{port}/landing"}
    )
    httpserver.expect_request("/near").respond_with_data(
        "", status=302, headers={"Location": f"http://127.0.0.1:{port}/landing"}
    )
    httpserver.expect_request("/landing").respond_with_handler(landing)
    client = forge_client(headers={}, auth_headers={"PRIVATE-TOKEN": "secret"})
    client.request("GET", httpserver.url_for("/near"))
    assert seen == {"127.0.0.1": "secret"}  # the same origin keeps it
    client.request("GET", httpserver.url_for("/away"))
    assert seen["localhost"] is None  # another host never sees it
