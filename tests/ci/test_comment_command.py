"""``rungate comment REPORT``: a JSON report rendered anew, or a Markdown report as it is;
exit 0 when posted, 2 with one line when not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from support.big_gate import write_big_gate
from support.fake_forge import TOKEN, FakeGitHub
from support.results import INJECTION, every_verdict_result, injection_result

from gate.cli import main
from gate.publish.body import marker
from gate.report.escape import md_escape
from gate.report.json_read import read_json_report
from gate.report.json_report import render_json
from gate.report.markdown import render_markdown

REPORT = "\n".join(
    [
        "## rungate: ❌ fail — 1 regression",
        "",
        "| Metric | Verdict |",
        "|:--|:--|",
        "| acc | ❌ regression |",
        "",
    ]
)


@pytest.fixture
def github(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    """A workflow_run job: no pull request in its event, so the number comes from --pr."""
    fake = FakeGitHub(httpserver, prefix="/api/v3", number=31)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_API_URL", fake.api_url)
    monkeypatch.setenv("GITHUB_REPOSITORY", "someone/else")  # --repo overrides it
    return fake


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "report.md"
    path.write_text(REPORT, encoding="utf-8")
    return path


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert TOKEN not in err
    return err


def test_posts_then_updates(
    github: FakeGitHub, report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["comment", str(report), "--pr", "31", "--repo", "octo/models"]
    assert main(argv) == 0
    assert capsys.readouterr().out.startswith("rungate: created the comment on pull request")
    report.write_text(REPORT.replace("❌ fail", "✅ pass"), encoding="utf-8")
    assert main(argv) == 0
    assert "updated" in capsys.readouterr().out
    (comment,) = github.comments
    assert comment["body"] == marker("default") + "\n" + REPORT.replace("❌ fail", "✅ pass")


def test_a_forks_403_is_exit_2_with_the_permission_hint(
    github: FakeGitHub, report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    github.refuse_a_forks_token()
    assert main(["comment", str(report), "--pr", "31", "--repo", "octo/models"]) == 2
    line = one_line(capsys)
    assert line.startswith("rungate: error: pull request octo/models#31: GitHub refused")
    assert "pull_requests=write" in line


def test_a_json_report_is_rendered_anew(github: FakeGitHub, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text(render_json(every_verdict_result()), encoding="utf-8")
    assert main(["comment", str(report), "--pr", "31", "--repo", "octo/models"]) == 0
    (comment,) = github.comments
    rendered = render_markdown(read_json_report(report.read_text("utf-8"), source="r"))
    assert comment["body"] == marker("default") + "\n" + rendered
    assert rendered.startswith("## rungate: ❌ fail — 1 regression, 1 missing\n")


def test_a_forks_json_report_cannot_inject_markup(github: FakeGitHub, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text(render_json(injection_result()), encoding="utf-8")
    assert main(["comment", str(report), "--pr", "31", "--repo", "octo/models"]) == 0
    body = github.comments[0]["body"]
    assert body.startswith(marker("default") + "\n## rungate: ❌ fail — 1 regression\n")
    assert INJECTION.splitlines()[0] not in body and "@octocat" not in body
    assert f"| {md_escape(INJECTION)} | ❌ regression |" in body


@pytest.mark.parametrize("kind", ["json", "markdown"])
def test_a_parameter_value_like_a_failed_metric_is_not_shown_as_one(
    github: FakeGitHub, tmp_path: Path, kind: str
) -> None:
    # Regression: shortening read the rendered rows, and took the row of a parameter
    # whose value starts with the verdict's cross for a failed metric's.
    policy = write_big_gate(
        tmp_path, candidate_params={"optimizer": "sgd"}, baseline_params={"optimizer": "❌ adam"}
    )
    report = tmp_path / f"report.{kind}"
    assert main(["check", "--policy", str(policy), f"--{kind}", str(report)]) == 1
    assert main(["comment", str(report), "--pr", "31", "--repo", "octo/models"]) == 0
    body = github.comments[0]["body"]
    assert "too long for a comment" in body
    assert "\n| f1 | ❌ regression |" in body
    assert "❌ adam" not in body


def test_a_shortened_json_report_links_the_gates_run(github: FakeGitHub, tmp_path: Path) -> None:
    policy = write_big_gate(tmp_path, candidate_params={}, baseline_params={})
    report = tmp_path / "report.json"
    assert main(["check", "--policy", str(policy), "--json", str(report)]) == 1
    url = "https://github.test/octo/models/actions/runs/99"
    argv = ["comment", str(report), "--pr", "31", "--repo", "octo/models", "--details-url", url]
    assert main(argv) == 0
    body = github.comments[0]["body"]
    assert "this shows the verdict and the failed metrics." in body
    assert f"The whole report is in the [job summary]({url}) of the workflow run" in body
    assert "| f1 | ❌ regression |" in body and "### Failed metrics" in body
    assert "metric_001" not in body


def test_a_long_markdown_report_is_cut_before_a_heading(github: FakeGitHub, report: Path) -> None:
    details = "".join(f"- detail {i}\n" for i in range(8000))
    report.write_text(REPORT + "\n### Details\n\n" + details, encoding="utf-8")
    assert main(["comment", str(report), "--pr", "31", "--repo", "octo/models"]) == 0
    body = github.comments[0]["body"]
    assert body.startswith(marker("default") + "\n" + REPORT + "\n> [!NOTE]\n")
    assert "this shows its beginning" in body and "detail 0" not in body


def _broken(change: str) -> str:
    """The every-verdict JSON report with one change, written as ``key.path=JSON``."""
    document = json.loads(render_json(every_verdict_result()))
    path, value = change.split("=", 1)
    *parents, last = path.split(".")
    target = document
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if isinstance(target, list):
        target[int(last)] = json.loads(value)
    else:
        target[last] = json.loads(value)
    return json.dumps(document)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "report.json: line 1, column 2: not valid JSON: Expecting property name"),
        ('{"metrics": []}', "report.json: schema_version: missing"),
        ('{"schema_version": 2}', "schema_version: is 2; this rungate reads version 1"),
        ('{"schema_version": true}', "schema_version: expected a whole number >= 0, got a boolean"),
        ('{"schema_version": 1, "alpha": NaN}', "not valid JSON: NaN is not a JSON number"),
        ('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", "report.json: not valid JSON"),
        (
            render_json(every_verdict_result()).replace('"alpha": 0.05', '"alpha": 1e400'),
            "report.json: alpha: expected a finite number, got inf",
        ),
        (
            _broken("metrics.1.name=null"),
            "report.json: metrics[1].name: expected a string, got null",
        ),
        (
            _broken("metrics.0.baseline.n=-1"),
            "metrics[0].baseline.n: expected a whole number >= 0, got -1",
        ),
        (_broken('metrics.2.verdict="fine"'), 'metrics[2].verdict: expected one of "missing", '),
        (
            _broken('metrics.2.direction="up"'),
            'metrics[2].direction: expected one of "higher", "lower", got "up"',
        ),
        (
            _broken("metrics.1.fails_gate=false"),
            "metrics[1].fails_gate: is false, but a regression fails the gate",
        ),
        (_broken('metrics.1.reasons=["ok", 3]'), "metrics[1].reasons[1]: expected a string, got 3"),
        (
            _broken("param_differences.0.baseline={}"),
            "param_differences[0].baseline: expected an array, got an object",
        ),
        (_broken('verdict="pass"'), 'verdict: is "pass", but 2 metrics fail the gate'),
        (_broken("counts.pass=5"), "counts.pass: is 5, but 1 metrics have that verdict"),
        (_broken('metrics.0.paired_by="seed"'), "metrics[0].paired_by: is set, but pairs is null"),
        (_broken("candidate.runs=1.5"), "candidate.runs: expected a whole number >= 0, got 1.5"),
    ],
)
def test_a_malformed_json_report_is_exit_2_naming_the_place(
    github: FakeGitHub,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    message: str,
) -> None:
    report = tmp_path / "report.json"
    report.write_text(text, encoding="utf-8")
    assert main(["comment", str(report), "--pr", "31", "--repo", "octo/models"]) == 2
    line = one_line(capsys)
    assert line.startswith(f"rungate: error: {report}: ") and message in line, line
    assert github.seen == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--pr", "0"], "argument --pr: not a positive whole number: '0'"),
        (["--pr=--repo=x/y"], "argument --pr: not a positive whole number: '--repo=x/y'"),
        (["--pr", "31", "--comment-id", "x y"], "--comment-id 'x y'"),
        (["--pr", "31", "--repo", "not a repo"], "not a repository OWNER/NAME"),
        (["--pr", "31", "--repo", "o/r", "--require-head-sha", "b" * 40], "head commit is not"),
        ([], "is not about a pull request"),
    ],
)
def test_errors_are_exit_2_and_one_line(
    github: FakeGitHub,
    report: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    github.repo = "o/r"
    assert main(["comment", str(report), *argv]) == 2
    assert message in capsys.readouterr().err
    assert github.comments == []


def test_a_missing_report_or_api_url(
    github: FakeGitHub,
    report: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["comment", str(report.with_name("nope.md")), "--pr", "3"]) == 2
    assert "nope.md: cannot read the report" in one_line(capsys)
    monkeypatch.delenv("GITHUB_API_URL")
    assert main(["comment", str(report), "--pr", "3", "--repo", "o/r"]) == 2
    assert "GITHUB_API_URL is not set" in one_line(capsys)
    assert github.seen == []


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ({"head": "not an object"}, "did not say which commit is its head"),
        ("<html>a proxy's page</html>", "something that is not JSON"),
    ],
)
def test_an_api_answer_of_the_wrong_shape_is_one_line(
    github: FakeGitHub,
    report: Path,
    capsys: pytest.CaptureFixture[str],
    fault: object,
    message: str,
) -> None:
    github.repo = "o/r"
    if isinstance(fault, str):
        github.answer_next_with_text("GET", "/pulls/31$", fault)
    else:
        github.fail_next("GET", "/pulls/31$", 200, fault)
    argv = ["--pr", "31", "--repo", "o/r", "--require-head-sha", "b" * 40]
    assert main(["comment", str(report), *argv]) == 2
    line = one_line(capsys)
    assert message in line and "internal error" not in line
