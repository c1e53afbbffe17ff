"""The HTML report and the dashboard drawn by a real browser (headless Chromium): they
load with no console error and no request, each chart holds the points it should, and
a screenshot is saved (in the test's temporary folder) for a person to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.browser import chromium_path, open_page
from support.histories import HOSTILE_NAME, history, pictured_result, sha
from support.paths import ROOT
from support.policies import metric as metric_policy

from gate.cli import main
from gate.report.html import render_html
from gate.report.pictures.site import CHART_PIXELS_PER_COLUMN, CHART_SIZE, write_dashboard

COLUMNS = (CHART_SIZE[0] - 46 - 8) // CHART_PIXELS_PER_COLUMN
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_the_html_report_draws_its_pictures(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    report.write_text(render_html(pictured_result(name=HOSTILE_NAME)), encoding="utf-8")
    with open_page(report, tmp_path / "profile") as visit:
        page = visit.page
        assert visit.errors == [] and visit.refused == []
        figures = page.locator("figure.metric")
        assert figures.count() == 2
        first = figures.nth(0)
        assert first.locator("figcaption strong").text_content() == HOSTILE_NAME
        assert first.locator("svg.runs circle.run.baseline").count() == 3
        assert first.locator("svg.runs circle.run.candidate").count() == 5
        assert first.locator("svg.trend g.commits circle").count() == 60
        assert first.locator("svg.trend line.shift").count() == 1
        assert first.locator("svg.trend circle.run.candidate").count() == 5
        assert figures.nth(1).locator("svg.trend line.shift").count() == 0
        box = first.locator("svg.trend").bounding_box()
        assert box is not None and box["width"] > 400 and box["height"] > 100
        assert page.evaluate("document.querySelectorAll('script').length") == 0
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes().startswith(PNG_MAGIC)


def test_the_dashboard_draws_a_chart_per_metric_and_filters_them(tmp_path: Path) -> None:
    names = [f"suite{i % 3}/metric_{i:02d}" for i in range(24)]
    records = history(
        400, dict.fromkeys(names, 0.9), runs=2, shifts={"suite0/metric_00": (250, 0.03)}
    )
    specs = [metric_policy(name) for name in names]
    index = write_dashboard(
        records,
        specs,
        tmp_path / "site",
        shifts={"suite0/metric_00": [sha(250)]},
        commit_url="https://github.example/o/r/commit/{commit}",
    )
    with open_page(index, tmp_path / "profile", width=1400) as visit:
        page = visit.page
        assert visit.errors == [] and visit.refused == []
        charts = page.locator("figure.chart")
        assert charts.count() == 24
        counts = page.evaluate(
            "() => Array.from(document.querySelectorAll('figure.chart'),"
            " f => f.querySelectorAll('svg.trend g.commits circle').length)"
        )
        assert counts == [COLUMNS] * 24
        last = charts.nth(0).locator("g.commits a").last.get_attribute("href")
        assert last == f"https://github.example/o/r/commit/{sha(399)}"
        assert charts.nth(0).locator("line.shift").count() == 1
        assert page.locator("line.shift").count() == 1
        page.screenshot(path=str(tmp_path / "dashboard.png"))
        page.fill("#filter", "SUITE1/")
        assert page.locator("figure.chart:visible").count() == 8
        assert page.text_content("#shown") == "8"
        page.fill("#filter", "")
        assert page.locator("figure.chart:visible").count() == 24
        assert visit.errors == []
    assert (tmp_path / "dashboard.png").read_bytes().startswith(PNG_MAGIC)


def test_the_example_gates_html_report_draws_a_picture_per_metric(tmp_path: Path) -> None:
    report = tmp_path / "example.html"
    policy = ROOT / "examples" / "policy.yml"
    assert main(["check", "--policy", str(policy), "--html", str(report)]) == 0
    with open_page(report, tmp_path / "profile") as visit:
        assert visit.errors == [] and visit.refused == []
        figures = visit.page.locator("figure.metric")
        assert figures.count() == visit.page.locator("table").nth(0).locator("tbody tr").count()
        for i in range(figures.count()):
            assert figures.nth(i).locator("svg.runs circle.run.candidate").count() == 5
        assert visit.page.locator("svg.trend").count() == 0  # no history store


def test_without_chromium_the_browser_tests_skip_and_fail_in_ci(tmp_path: Path) -> None:
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y chromium"):
        chromium_path(in_ci=False, search_path=str(tmp_path))
    with pytest.raises(pytest.fail.Exception, match="CI must run the browser tests"):
        chromium_path(in_ci=True, search_path=str(tmp_path))
