"""The sticky merge-request note against a local server that plays GitLab."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer
from support.fake_forge import TOKEN, FakeGitLab, FakeTime
from test_github_comment import REPORT

from gate.errors import PublishError
from gate.publish.body import marker
from gate.publish.post import CommentRequest, post_report
from gate.publish.sticky import Posted


@pytest.fixture
def gitlab(httpserver: HTTPServer) -> FakeGitLab:
    return FakeGitLab(httpserver)


def environment(fake: FakeGitLab) -> dict[str, str]:
    return {
        "GITLAB_CI": "true",
        "RUNGATE_GITLAB_TOKEN": TOKEN,
        "CI_API_V4_URL": fake.api_url,
        "CI_PROJECT_ID": fake.project,
        "CI_MERGE_REQUEST_IID": str(fake.iid),
        "CI_PROJECT_URL": "https://gitlab.test/group/models",
        "CI_JOB_TOKEN": "job-token-that-cannot-post",
    }


def post(fake: FakeGitLab, fake_time: FakeTime, report: str = REPORT) -> Posted:
    return post_report(
        report,
        CommentRequest(),
        environment(fake),
        platform="gitlab",
        sleep=fake_time.sleep,
        clock=fake_time.clock,
    )


def test_create_then_update_the_note(gitlab: FakeGitLab) -> None:
    fake_time = FakeTime()
    first = post(gitlab, fake_time)
    assert first.action == "created"
    assert gitlab.notes[0]["body"] == f"{marker('default')}\n{REPORT}"
    assert (
        first.url
        == f"https://gitlab.test/group/models/-/merge_requests/3#note_{gitlab.notes[0]['id']}"
    )
    (create,) = gitlab.calls("POST")
    assert create.path == "/api/v4/projects/42/merge_requests/3/notes"
    assert create.headers["Private-Token"] == TOKEN and "Authorization" not in create.headers
    assert post(gitlab, fake_time, "## rungate: ❌ fail\n").action == "updated"
    assert len(gitlab.notes) == 1 and gitlab.notes[0]["body"].endswith("❌ fail\n")
    assert len(gitlab.calls("PUT")) == 1


@pytest.mark.parametrize("link_header", [True, False])
def test_paging_by_link_or_x_next_page(gitlab: FakeGitLab, link_header: bool) -> None:
    gitlab.link_header = link_header
    for index in range(150):
        gitlab.add_note(f"note {index}", author_id=5)
    ours = gitlab.add_note(f"{marker('default')}\nold", author_id=gitlab.user_id)
    assert post(gitlab, FakeTime()).action == "updated"
    assert ours["body"].endswith(REPORT)
    pages = [seen.query.get("page", "1") for seen in gitlab.calls("GET") if "notes" in seen.path]
    assert pages == ["1", "2"]


def test_other_authors_and_system_notes_are_never_ours(gitlab: FakeGitLab) -> None:
    someone = gitlab.add_note(f"{marker('default')}\nsomeone else", author_id=5)
    system = gitlab.add_note(f"{marker('default')}\nsystem", author_id=77, system=True)
    assert post(gitlab, FakeTime()).action == "created"
    assert someone["body"].endswith("someone else") and system["body"].endswith("system")
    assert len(gitlab.notes) == 3


def test_a_rate_limit_with_retry_after_and_a_502(gitlab: FakeGitLab) -> None:
    gitlab.fail_next("POST", "/notes$", 429, {"message": "Retry later"}, **{"Retry-After": "7"})
    gitlab.fail_next("POST", "/notes$", 502, {"message": "Bad Gateway"})
    fake_time = FakeTime()
    assert post(gitlab, fake_time).action == "created"
    assert fake_time.sleeps == [7.0, 2.0]


def test_a_token_without_rights_says_what_it_needs(gitlab: FakeGitLab) -> None:
    gitlab.fail_next("POST", "/notes$", 403, {"message": "403 Forbidden"})
    with pytest.raises(PublishError, match=r"merge request 42!3: .*403 Forbidden .*api scope"):
        post(gitlab, FakeTime())


def test_a_missing_token_names_the_variable(gitlab: FakeGitLab) -> None:
    env = environment(gitlab)
    del env["RUNGATE_GITLAB_TOKEN"]
    with pytest.raises(PublishError, match=r"RUNGATE_GITLAB_TOKEN is not set.*job token"):
        post_report(REPORT, CommentRequest(), env, platform="gitlab")
    assert gitlab.seen == []
