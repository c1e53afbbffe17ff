"""The dashboard's page, read as HTML: a chart per metric, points per column, links to
commits, shifts, escaped names, a filter allowed by its hash and nothing fetched."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from support.histories import HOSTILE_NAME, history, sha
from support.policies import metric as metric_policy

from gate.commands.dashboard import run_dashboard
from gate.errors import UsageError
from gate.policy import Policy
from gate.report.pictures.site import (
    CHART_PIXELS_PER_COLUMN,
    CHART_SIZE,
    commit_url_template,
    render_dashboard,
    write_dashboard,
)

URL = "https://github.example/o/r/commit/{commit}"
COLUMNS = (CHART_SIZE[0] - 46 - 8) // CHART_PIXELS_PER_COLUMN


class Charts(HTMLParser):
    """Per chart (``figure.chart``): its name and the hrefs of its points."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: list[tuple[str, list[str]]] = []
        self.shifts = 0
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "figure" and found.get("class") == "chart":
            self.charts.append((found.get("data-name") or "", []))
        elif tag == "a" and self.charts:
            self.charts[-1][1].append(found.get("href") or "")
        elif tag == "line" and found.get("class") == "shift":
            self.shifts += 1
        self._in_script = tag == "script"

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)
            self._in_script = False


def charts_of(page: str) -> Charts:
    parser = Charts()
    parser.feed(page)
    return parser


def test_a_chart_per_metric_with_a_point_per_commit_linked_to_it() -> None:
    records = history(30, {"acc": 0.9, "loss": 0.3})
    specs = [metric_policy("loss", "lower"), metric_policy("acc")]
    page = charts_of(render_dashboard(records, specs, commit_url=URL))
    assert [name for name, _ in page.charts] == ["loss", "acc"]
    for _, links in page.charts:
        assert links == [URL.replace("{commit}", sha(i)) for i in range(30)]


def test_long_histories_get_a_point_per_column_linked_to_its_newest_commit() -> None:
    records = history(1000, {"acc": 0.9}, runs=1)
    page = charts_of(render_dashboard(records, [metric_policy("acc")], commit_url=URL))
    ((_, links),) = page.charts
    assert len(links) == COLUMNS
    assert links[-1] == URL.replace("{commit}", sha(999))


def test_shifts_are_marked_and_counted() -> None:
    records = history(50, {"acc": 0.9, "f1": 0.8}, shifts={"acc": (30, 0.02)})
    shifts = {"acc": [sha(30)], "f1": ["0" * 40]}  # a commit not in the history draws nothing
    page = render_dashboard(records, [metric_policy("acc"), metric_policy("f1")], shifts=shifts)
    assert charts_of(page).shifts == 1
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", page)
    assert captions[0].endswith("· 1 shift") and "last 0.92" in captions[0]
    assert "shift" not in captions[1]
    assert "<a " not in page  # without a URL template the points link nowhere


def test_names_and_commits_are_escaped_and_urls_quoted() -> None:
    records = list(history(3, {HOSTILE_NAME: 0.9}))
    records[1] = dataclasses.replace(records[1], commit='a"b<c>/../x')
    page = render_dashboard(records, [metric_policy(HOSTILE_NAME)], commit_url=URL)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    parsed = charts_of(page)
    assert parsed.charts[0][0] == HOSTILE_NAME.lower()
    assert URL.replace("{commit}", "a%22b%3Cc%3E%2F..%2Fx") in parsed.charts[0][1]


def test_the_only_script_is_the_filter_allowed_by_its_hash() -> None:
    page = render_dashboard(history(3, {"acc": 0.9}), [metric_policy("acc")])
    parsed = charts_of(page)
    (script,) = parsed.scripts
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in page
    assert "default-src 'none'" in page
    assert not re.search(r"<link|<img|<iframe|\bsrc=|@import|url\(", page)


def test_commit_urls_come_from_the_github_job() -> None:
    environ = {"GITHUB_SERVER_URL": "https://github.com/", "GITHUB_REPOSITORY": "o/r"}
    assert commit_url_template(environ) == "https://github.com/o/r/commit/{commit}"
    assert commit_url_template({}) is None
    with pytest.raises(UsageError, match="no \\{commit\\}"):
        render_dashboard((), [metric_policy("acc")], commit_url="https://x/commit/")


def test_write_dashboard_writes_a_pages_site(tmp_path: Path) -> None:
    index = write_dashboard(history(5, {"acc": 0.9}), [metric_policy("acc")], tmp_path / "site")
    assert index == tmp_path / "site" / "index.html"
    assert sorted(p.name for p in index.parent.iterdir()) == [".nojekyll", "index.html"]
    assert "5 recorded commits" in index.read_text(encoding="utf-8")


def test_an_empty_history_is_a_page_that_says_so() -> None:
    page = render_dashboard((), [metric_policy("acc")])
    assert "0 recorded commits" in page and "no values recorded" in page


def test_the_command_links_to_the_jobs_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = Policy(metrics=(metric_policy("acc"),))
    environ = {"GITHUB_SERVER_URL": "https://ghe.example", "GITHUB_REPOSITORY": "o/r"}
    records = history(4, {"acc": 0.9})
    assert run_dashboard(policy=policy, records=records, out=tmp_path, environ=environ) == 0
    page = charts_of((tmp_path / "index.html").read_text(encoding="utf-8"))
    assert page.charts[0][1][-1] == f"https://ghe.example/o/r/commit/{sha(3)}"
    assert capsys.readouterr().out == (
        f"rungate: wrote the dashboard of 1 metric over 4 recorded commits to "
        f"{tmp_path / 'index.html'}\n"
    )
