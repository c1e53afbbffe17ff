"""The SVG pictures: well-formed, one mark per value, escaped names, bounded size."""

from __future__ import annotations

import dataclasses
import math
import re
import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest
from support.histories import HOSTILE_NAME, pictured_result, sha
from support.results import every_verdict_result, metric
from support.results import result as make_result

from gate.report.html import render_html
from gate.report.pictures.column_bins import bin_columns, bin_of
from gate.report.pictures.report_figures import MAX_FIGURES, pictures_section
from gate.report.pictures.svg_runs import runs_svg, tolerance_line
from gate.report.pictures.svg_trend import trend_svg
from gate.result import MetricPicture, SideSummary, TrendPoint, Verdict

SVG = "{http://www.w3.org/2000/svg}"


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def with_class(root: ET.Element, tag: str, css: str) -> list[ET.Element]:
    return [e for e in root.iter(SVG + tag) if css in e.get("class", "").split()]


def trend(count: int, start: int = 0) -> tuple[TrendPoint, ...]:
    return tuple(TrendPoint(sha(i), 0.9 + 0.001 * (i % 7), 3) for i in range(start, count))


def test_the_runs_picture_has_a_point_per_run_and_a_mean_per_side() -> None:
    accuracy = pictured_result().metrics[0]
    root = parsed(runs_svg(accuracy))
    assert len(with_class(root, "circle", "baseline")) == 3
    assert len(with_class(root, "circle", "candidate")) == 5
    assert len(with_class(root, "line", "mean")) == 2
    assert len(with_class(root, "rect", "interval")) == 1
    # the tolerance line and the floor (at_least: 0.85), each with its shaded side
    assert len(with_class(root, "rect", "tolerance-zone")) == 1
    assert len(with_class(root, "rect", "limit-zone")) == 1
    labels = [t.text for t in root.iter(SVG + "text")]
    assert "tolerance" in labels and "≥ 0.85" in labels


def test_the_tolerance_line_is_on_the_worse_side() -> None:
    higher, lower = pictured_result().metrics
    assert higher.baseline.mean is not None and lower.baseline.mean is not None
    assert tolerance_line(higher) == higher.baseline.mean - 0.01
    assert tolerance_line(lower) == lower.baseline.mean + 0.05 * lower.baseline.mean


def test_nothing_to_draw_draws_nothing_and_non_finite_values_are_skipped() -> None:
    result = every_verdict_result()  # NaN means and infinite percentages along the way
    for each in result.metrics:
        svg = runs_svg(each)
        if svg:
            parsed(svg)
            assert "nan" not in svg and "inf" not in svg
    nan = math.nan
    nothing = metric(
        "m",
        Verdict.MISSING,
        baseline=SideSummary(n=0, mean=None, sd=None, non_finite=2),
        candidate=SideSummary(n=1, mean=nan, sd=nan, non_finite=1),
        picture=MetricPicture(candidate=(nan, math.inf)),
    )
    assert runs_svg(nothing) == ""
    assert trend_svg("m", ()) == ""


def test_the_trend_has_a_point_per_commit_up_to_one_per_column() -> None:
    short = parsed(trend_svg("m", trend(40)))
    assert len(list(short.iter(SVG + "circle"))) == 40
    long = parsed(trend_svg("m", trend(1000), size=(560, 170)))
    points = list(long.find(f"{SVG}g[@class='commits']") or [])
    assert len(points) == (560 - 46 - 8) // 5  # one per 5-pixel column of the plot
    assert "999" not in points[0].findtext(f"{SVG}title", "")


def test_shifts_are_drawn_where_the_trend_has_them() -> None:
    points = trend(60)
    svg = trend_svg("m", points, shifts=(sha(40), sha(10), "not-in-history", sha(0)))
    root = parsed(svg)
    # the first commit starts the history: no shift can be seen before it
    assert len(with_class(root, "line", "shift")) == 2
    assert len(with_class(root, "line", "level")) == 3
    assert with_class(parsed(trend_svg("m", points)), "line", "shift") == []


def test_names_and_commits_from_run_files_are_escaped() -> None:
    accuracy = pictured_result(name=HOSTILE_NAME).metrics[0]
    hostile = dataclasses.replace(
        accuracy,
        picture=dataclasses.replace(
            accuracy.picture, trend=(TrendPoint('<b>"x"&', 0.9, 1), *accuracy.picture.trend)
        ),
    )
    page = render_html(make_result(hostile))
    assert "<script" not in page and "<b>" not in page
    for svg in re.findall(r"<svg.*?</svg>", page, re.S):
        root = parsed(svg)
        assert HOSTILE_NAME in root.get("aria-label", "")
    assert "&lt;b&gt;&quot;x&quot;&amp;" in page


def test_the_html_report_draws_a_figure_per_metric_worst_first_and_stays_small() -> None:
    page = render_html(pictured_result())
    figures = re.findall(r'<figure class="metric">.*?</figure>', page, re.S)
    assert len(figures) == 2 and "accuracy" in figures[0]
    for figure in figures:
        svgs = re.findall(r"<svg.*?</svg>", figure, re.S)
        assert [parsed(svg).get("class") for svg in svgs] == ["runs", "trend"]
        assert all(len(svg) < 8_000 for svg in svgs)
    assert not re.search(r"<script|<link|<img|<iframe|\bsrc=|\bhref=|@import|url\(", page)


def test_no_history_no_trend_and_many_metrics_are_capped() -> None:
    page = render_html(pictured_result(with_history=False))
    assert 'class="runs"' in page and 'class="trend"' not in page
    many = make_result(
        *(
            metric(f"m{i}", Verdict.PASS, picture=MetricPicture(baseline=(0.9,), candidate=(0.9,)))
            for i in range(MAX_FIGURES + 5)
        )
    )
    section = pictures_section(many)
    assert section.count("<figure") == MAX_FIGURES
    assert "5 more metrics are left out" in section


def test_columns_split_evenly_and_keep_the_extremes() -> None:
    values = [float(i % 10) for i in range(1000)]
    bins = bin_columns(values, 90)
    assert len(bins) == 90
    assert bins[0].first == 0 and bins[-1].last == 999
    assert all(a.last + 1 == b.first for a, b in pairwise(bins))
    assert {b.count for b in bins} <= {11, 12}
    assert all(b.low == 0.0 and b.high == 9.0 for b in bins)
    assert bin_columns(values[:5], 90) == bin_columns(values[:5], 5)
    assert [bin_of(bins, i) for i in (0, 11, 999)] == [0, 1, 89]


@pytest.mark.parametrize(
    "values", [(0.0, 5e-324, 1e-323), (-1e308, 1e308, 0.0), (1e-300, 1e-300, 2e-300)]
)
def test_values_no_scale_can_span_leave_the_report_whole(values: tuple[float, ...]) -> None:
    picture = MetricPicture(candidate=values, baseline=values)
    shown = metric("m", Verdict.PASS, picture=picture)
    page = render_html(make_result(shown))
    assert page.rstrip().endswith("</html>")
