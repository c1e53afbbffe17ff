"""The comment's sparkline, and the picture data the JSON report carries for it."""

from __future__ import annotations

import dataclasses
import json

import pytest
from support.histories import pictured_result, sha

from gate.errors import UsageError
from gate.report.json_read import read_json_report
from gate.report.json_report import render_json
from gate.report.markdown import render_markdown
from gate.report.pictures.sparkline import BLOCKS, blocks, recent_history
from gate.report.trim import fit_result, github_length
from gate.result import MetricPicture


def test_blocks_span_the_scale() -> None:
    assert blocks([0.0, 0.5, 1.0], 0.0, 1.0) == "▁▅█"
    assert blocks([2.0, 2.0], 2.0, 2.0) == "▄▄"


def test_the_sparkline_is_the_last_commits_and_the_candidate_on_one_scale() -> None:
    accuracy = pictured_result().metrics[0]
    spark = recent_history(accuracy)
    assert spark is not None
    assert spark.commits == 20 and len(spark.history) == 20
    assert set(spark.history) <= set(BLOCKS)
    assert spark.candidate == "▁"  # the regressed candidate is below all of main's history
    assert spark.low == accuracy.candidate.mean
    assert spark.high == max(p.mean for p in accuracy.picture.trend[-20:])
    assert recent_history(pictured_result(with_history=False).metrics[0]) is None


def test_the_report_shows_it_for_failing_metrics_only() -> None:
    markdown = render_markdown(pictured_result())
    lines = [line for line in markdown.splitlines() if "recorded commits" in line]
    assert len(lines) == 1
    assert lines[0].startswith("  - main's last 20 recorded commits: `")
    assert "→ this change: `▁`" in lines[0]
    assert "recorded commits" not in render_markdown(pictured_result(with_history=False))


def test_the_json_report_carries_the_pictures_and_reads_back_the_same() -> None:
    result = pictured_result()
    text = render_json(result)
    document = json.loads(text)
    # the last 50 of the 60 recorded commits: more than the sparkline's 20
    assert document["history_commits"] == [sha(i) for i in range(10, 60)]
    accuracy = document["metrics"][0]["picture"]
    assert accuracy["candidate"] == [0.861, 0.872, 0.866, 0.869, 0.875]
    assert accuracy["trend"][0][0] == 0 and accuracy["trend"][0][2] == 3
    assert accuracy["shifts"] == [sha(40)]
    read = read_json_report(text, source="report.json")
    recent = [
        dataclasses.replace(m, picture=dataclasses.replace(m.picture, trend=m.picture.trend[-50:]))
        for m in result.metrics
    ]
    assert read == dataclasses.replace(result, metrics=tuple(recent))
    assert render_json(read) == text


def test_the_comment_from_report_json_is_the_comment_from_the_result() -> None:
    result = pictured_result()
    read = read_json_report(render_json(result), source="report.json")

    def comment(of: object) -> str:
        return fit_result(of, limit=900, measure=github_length, note=lambda size: "_cut_")  # type: ignore[arg-type]

    short = comment(result)
    assert "_cut_" in short and "recorded commits: `" in short
    assert comment(read) == short


def test_a_report_from_before_pictures_reads_with_empty_pictures() -> None:
    document = json.loads(render_json(pictured_result()))
    del document["history_commits"]
    for metric in document["metrics"]:
        del metric["picture"]
    read = read_json_report(json.dumps(document), source="old.json")
    assert all(metric.picture == MetricPicture() for metric in read.metrics)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["metrics"][0]["picture"]["trend"].append([50, 0.9, 1]), r"trend\[50\]\[0\]"),
        (lambda d: d["metrics"][0]["picture"]["trend"].append([0, "x", 1]), r"trend\[50\]\[1\]"),
        (
            lambda d: d["metrics"][0]["picture"]["trend"].append([0, 1]),
            r"trend\[50\]: expected \[commit index",
        ),
        (lambda d: d["metrics"][1]["picture"].update(candidate=[None]), r"candidate\[0\]"),
        (lambda d: d["metrics"][0]["picture"].update(shifts=[1]), r"shifts\[0\]"),
    ],
)
def test_a_bad_picture_is_an_error_naming_the_key(change: object, message: str) -> None:
    document = json.loads(render_json(pictured_result()))
    change(document)  # type: ignore[operator]
    with pytest.raises(UsageError, match=r"report.json.*metrics\[\d\]\.picture\." + message):
        read_json_report(json.dumps(document), source="report.json")
