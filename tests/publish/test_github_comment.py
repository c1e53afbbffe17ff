"""The sticky pull-request comment against a local server that plays GitHub."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from support.fake_forge import BOT, HUMAN, START, TOKEN, FakeGitHub, FakeTime
from support.results import metric, result

import gate
from gate.errors import PublishError
from gate.publish.body import GITHUB_COMMENT_LIMIT, marker
from gate.publish.post import CommentRequest, post_report
from gate.publish.sticky import CommentMode, Posted
from gate.report.markdown import render_markdown
from gate.report.trim import github_length
from gate.result import GateResult, Verdict

REPORT = "## rungate: ✅ pass\n\n| Metric | Verdict |\n|:--|:--|\n| accuracy | ✅ pass |\n"


@pytest.fixture
def github(httpserver: HTTPServer) -> FakeGitHub:
    return FakeGitHub(httpserver)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def environment(fake: FakeGitHub, tmp_path: Path) -> dict[str, str]:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"number": fake.number, "pull_request": {"number": fake.number}}))
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_API_URL": fake.api_url,
        "GITHUB_REPOSITORY": fake.repo,
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
    }


def post(
    fake: FakeGitHub,
    tmp_path: Path,
    fake_time: FakeTime,
    report: GateResult | str = REPORT,
    **request: object,
) -> Posted:
    return post_report(
        report,
        CommentRequest(**request),  # type: ignore[arg-type]
        environment(fake, tmp_path),
        platform="github",
        sleep=fake_time.sleep,
        clock=fake_time.clock,
    )


def test_first_run_creates_the_comment_with_githubs_headers(
    github: FakeGitHub, tmp_path: Path, fake_time: FakeTime
) -> None:
    posted = post(github, tmp_path, fake_time)
    assert posted.action == "created"
    assert posted.url == github.comments[0]["html_url"]
    assert github.comments[0]["body"] == f"{marker('default')}\n{REPORT}"
    (create,) = github.calls("POST")
    assert create.path == "/repos/octo/models/issues/7/comments"
    assert create.headers["Authorization"] == f"Bearer {TOKEN}"
    assert create.headers["Accept"] == "application/vnd.github+json"
    assert create.headers["X-Github-Api-Version"] == "2022-11-28"
    assert create.headers["User-Agent"] == f"rungate/{gate.__version__}"
    listing = [seen for seen in github.calls("GET") if seen.path.endswith("/comments")]
    assert listing[0].query == {"per_page": "100"}
    # GET /user is refused to an installation token: asked once, not retried.
    assert [seen.path for seen in github.calls("GET")].count("/user") == 1
    assert fake_time.sleeps == []


def test_second_run_updates_the_same_comment(
    github: FakeGitHub, tmp_path: Path, fake_time: FakeTime
) -> None:
    post(github, tmp_path, fake_time)
    second = REPORT.replace("✅ pass", "❌ fail")
    assert post(github, tmp_path, fake_time, second).action == "updated"
    assert len(github.comments) == 1
    assert github.comments[0]["body"] == f"{marker('default')}\n{second}"
    (patch,) = github.calls("PATCH")
    assert patch.path == f"/repos/octo/models/issues/comments/{github.comments[0]['id']}"
    assert post(github, tmp_path, fake_time, second).action == "unchanged"
    assert len(github.calls("PATCH")) == 1 and len(github.calls("POST")) == 1


def test_the_marker_is_found_on_the_second_page(
    github: FakeGitHub, tmp_path: Path, fake_time: FakeTime
) -> None:
    for index in range(130):
        github.add_comment(f"review comment {index}", HUMAN)
    ours = github.add_comment(f"{marker('default')}\nold report", BOT)
    github.add_comment("a later comment", HUMAN)
    assert post(github, tmp_path, fake_time).action == "updated"
    assert ours["body"].endswith(REPORT)
    assert github.calls("POST") == []
    pages = [seen.query.get("page", "1") for seen in github.calls("GET") if "comments" in seen.path]
    assert pages == ["1", "2"]


def test_only_our_marker_and_a_bot_author_count(
    github: FakeGitHub, tmp_path: Path, fake_time: FakeTime
) -> None:
    person = github.add_comment(f"{marker('default')}\nI pasted the marker", HUMAN)
    other_gate = github.add_comment(f"{marker('latency')}\nanother gate's report", BOT)
    mention = github.add_comment(f"see {marker('default')} above", BOT)
    assert post(github, tmp_path, fake_time).action == "created"
    assert person["body"].endswith("I pasted the marker")
    assert other_gate["body"].endswith("another gate's report")
    assert mention["body"].startswith("see")
    assert len(github.comments) == 4


def test_a_personal_token_matches_its_own_login(
    httpserver: HTTPServer, tmp_path: Path, fake_time: FakeTime
) -> None:
    alice = {"login": "alice", "type": "User"}
    github = FakeGitHub(httpserver, identity=alice)
    bots = github.add_comment(f"{marker('default')}\nposted by some bot", BOT)
    mine = github.add_comment(f"{marker('default')}\nposted by alice", alice)
    assert post(github, tmp_path, fake_time).action == "updated"
    assert mine["body"].endswith(REPORT)
    assert bots["body"].endswith("posted by some bot")


def test_comment_ids_keep_one_comment_per_gate(
    github: FakeGitHub, tmp_path: Path, fake_time: FakeTime
) -> None:
    post(github, tmp_path, fake_time, comment_id="accuracy")
    post(github, tmp_path, fake_time, comment_id="latency")
    post(github, tmp_path, fake_time, "## rungate: ❌ fail\n", comment_id="accuracy")
    bodies = sorted(comment["body"] for comment in github.comments)
    assert bodies == [
        f"{marker('accuracy')}\n## rungate: ❌ fail\n",
        f"{marker('latency')}\n{REPORT}",
    ]


def test_modes_new_and_recreate(github: FakeGitHub, tmp_path: Path, fake_time: FakeTime) -> None:
    post(github, tmp_path, fake_time)
    assert post(github, tmp_path, fake_time, mode=CommentMode.NEW).action == "created"
    assert len(github.comments) == 2
    first_ids = {comment["id"] for comment in github.comments}
    fake_time.sleeps.clear()
    assert post(github, tmp_path, fake_time, mode=CommentMode.RECREATE).action == "recreated"
    assert len(github.comments) == 1 and github.comments[0]["id"] not in first_ids
    assert len(github.calls("DELETE")) == 2
    # Mutations keep a second apart (GitHub's advice against secondary rate limits).
    assert fake_time.sleeps == [1.0, 1.0]


def test_a_forks_read_only_token_is_not_retried_and_names_the_permission(
    github: FakeGitHub, tmp_path: Path, fake_time: FakeTime
) -> None:
    github.refuse_a_forks_token("issues=write; pull_requests=write")
    with pytest.raises(PublishError) as caught:
        post(github, tmp_path, fake_time)
    message = str(caught.value)
    assert "issues=write; pull_requests=write" in message
    assert "pull-requests: write" in message and "workflow_run" in message
    assert "rungate comment" in message and "pull request octo/models#7" in message
    assert TOKEN not in message
    assert len(github.calls("POST")) == 1 and fake_time.sleeps == []


@pytest.mark.parametrize(
    ("method", "status", "message", "headers", "waits"),
    [
        ("POST", 403, "You have exceeded a secondary rate limit.", {"retry-after": "30"}, 30.0),
        (
            "GET",
            403,
            "API rate limit exceeded",
            {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(START) + 120)},
            121.0,  # until the reset, and a second more
        ),
        ("POST", 429, "Too many requests", {}, 60.0),  # no time named: a minute
    ],
    ids=["secondary-rate-limit", "exhausted-rate-limit", "429-without-a-time"],
)
def test_a_rate_limit_waits_as_long_as_github_says(
    github: FakeGitHub,
    tmp_path: Path,
    fake_time: FakeTime,
    method: str,
    status: int,
    message: str,
    headers: dict[str, str],
    waits: float,
) -> None:
    github.fail_next(method, "/comments$", status, {"message": message}, **headers)
    assert post(github, tmp_path, fake_time).action == "created"
    assert fake_time.sleeps == [waits]
    assert len(github.calls(method)) == (2 if method == "POST" else 3)
    assert len(github.comments) == 1


def test_a_wait_longer_than_the_budget_fails_at_once(
    github: FakeGitHub, tmp_path: Path, fake_time: FakeTime
) -> None:
    github.fail_next("GET", "/comments$", 429, {"message": "slow down"}, **{"retry-after": "3600"})
    with pytest.raises(PublishError, match=r"HTTP 429: slow down .*waiting 3600 s"):
        post(github, tmp_path, fake_time)
    assert fake_time.sleeps == []


def test_a_502_is_retried_with_backoff(
    github: FakeGitHub, tmp_path: Path, fake_time: FakeTime
) -> None:
    github.fail_next("GET", "/comments$", 502, {"message": "Server Error"})
    github.fail_next("GET", "/comments$", 503, {"message": "Unavailable"})
    assert post(github, tmp_path, fake_time).action == "created"
    assert fake_time.sleeps == [1.0, 2.0]


def test_persistent_5xx_gives_up_after_five_attempts(
    github: FakeGitHub, tmp_path: Path, fake_time: FakeTime
) -> None:
    for _ in range(6):
        github.fail_next("POST", "/comments$", 502, {"message": "Bad Gateway"})
    with pytest.raises(PublishError, match=r"HTTP 502: Bad Gateway \(gave up after 5 attempts\)"):
        post(github, tmp_path, fake_time)
    assert fake_time.sleeps == [1.0, 2.0, 4.0, 8.0]
    assert len(github.calls("POST")) == 5


def test_an_unreachable_api_is_retried_then_reported_without_the_token(
    github: FakeGitHub, tmp_path: Path, fake_time: FakeTime
) -> None:
    env = environment(github, tmp_path)
    env["GITHUB_API_URL"] = "http://127.0.0.1:9"  # the discard port: nothing listens there
    with pytest.raises(PublishError) as caught:
        post_report(
            REPORT,
            CommentRequest(),
            env,
            platform="github",
            sleep=fake_time.sleep,
            clock=fake_time.clock,
        )
    assert "cannot reach the API" in str(caught.value) and TOKEN not in str(caught.value)
    assert fake_time.sleeps == [1.0, 2.0, 4.0, 8.0]


def test_an_oversized_result_is_cut_to_a_body_github_accepts(
    github: FakeGitHub, tmp_path: Path, fake_time: FakeTime
) -> None:
    passes = [metric(f"metric_{i}", Verdict.PASS) for i in range(1500)]
    failing = metric("val_loss", Verdict.REGRESSION, reasons=("worse by 15%",))
    gate = result(*passes[:750], failing, *passes[750:])
    assert github_length(render_markdown(gate)) > 2 * GITHUB_COMMENT_LIMIT
    assert post(github, tmp_path, fake_time, gate).action == "created"
    body = github.comments[0]["body"]
    assert github_length(body) <= GITHUB_COMMENT_LIMIT
    assert body.startswith(marker("default") + "\n## rungate: ❌ fail — 1 regression\n")
    assert "| val_loss | ❌ regression |" in body and "worse by 15%" in body
    assert "metric_1 " not in body
    assert "too long for a comment" in body and "job summary" in body


def test_github_enterprise_server_api_base(
    httpserver: HTTPServer, tmp_path: Path, fake_time: FakeTime
) -> None:
    github = FakeGitHub(httpserver, prefix="/api/v3")
    github.add_comment(f"{marker('default')}\nold", BOT)
    assert post(github, tmp_path, fake_time).action == "updated"
    assert github.seen and all(seen.path.startswith("/api/v3/") for seen in github.seen)


def test_a_page_link_to_another_host_is_not_followed(
    github: FakeGitHub, tmp_path: Path, fake_time: FakeTime
) -> None:
    github.fail_next(
        "GET", "/comments$", 200, [], Link='<http://evil.test/steal?page=2>; rel="next"'
    )
    with pytest.raises(PublishError, match=r"another host: evil\.test"):
        post(github, tmp_path, fake_time)


def test_the_head_commit_guard(github: FakeGitHub, tmp_path: Path, fake_time: FakeTime) -> None:
    with pytest.raises(PublishError, match=r"head commit is not b{40}"):
        post(github, tmp_path, fake_time, require_head_sha="b" * 40)
    assert github.comments == []
    assert post(github, tmp_path, fake_time, require_head_sha="a" * 40).action == "created"


@pytest.mark.parametrize(
    ("event", "number"),
    [
        ({"pull_request": {"number": 12}, "number": 12}, 12),
        ({"issue": {"number": 5, "pull_request": {"url": "x"}}}, 5),
        ({"workflow_run": {"pull_requests": [{"number": 9}]}}, 9),
    ],
)
def test_the_pull_request_number_comes_from_the_event(
    github: FakeGitHub, tmp_path: Path, fake_time: FakeTime, event: dict[str, object], number: int
) -> None:
    github.number = number
    env = environment(github, tmp_path)
    Path(env["GITHUB_EVENT_PATH"]).write_text(json.dumps(event))
    post_report(REPORT, CommentRequest(), env, platform="github", sleep=fake_time.sleep)
    assert github.calls("POST")[0].path == f"/repos/octo/models/issues/{number}/comments"


def test_a_push_event_has_nothing_to_comment_on(github: FakeGitHub, tmp_path: Path) -> None:
    env = environment(github, tmp_path)
    Path(env["GITHUB_EVENT_PATH"]).write_text(json.dumps({"ref": "refs/heads/main"}))
    env["GITHUB_EVENT_NAME"] = "push"
    with pytest.raises(PublishError, match="push is not about a pull request"):
        post_report(REPORT, CommentRequest(), env, platform="github")
    assert github.seen == []
