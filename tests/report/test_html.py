from __future__ import annotations

import re

from support.results import every_verdict_result, injection_result, metric, result

from gate.report.html import markdown_to_html, render_html
from gate.result import Verdict


def test_is_one_self_contained_page() -> None:
    page = render_html(every_verdict_result())
    assert page.startswith("<!DOCTYPE html>")
    assert page.rstrip().endswith("</html>")
    assert "<style>" in page
    assert not re.search(r"<script|<link|<img|<iframe|\bsrc=|\bhref=|@import|url\(", page)
    assert "default-src 'none'" in page


def test_body_is_the_rendered_markdown() -> None:
    page = render_html(every_verdict_result())
    assert "<h2>rungate: ❌ fail — 1 regression, 1 missing</h2>" in page
    assert page.count("<table>") == 2
    assert '<td style="text-align:left">latency_ms</td>' in page


def test_injected_strings_are_text() -> None:
    page = render_html(injection_result())
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<a " not in page
    title = re.search(r"<title>(.*)</title>", page)
    assert title is not None
    assert "&lt;script&gt;" in title.group(1)
    assert "\n" not in title.group(1)


def test_the_folded_blocks_fold_and_other_raw_html_stays_text() -> None:
    markdown = (
        "<details><summary>3 metrics that pass</summary>\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n</details>\n\n"
        "<img src=x onerror=alert(1)>\n\nsome <b>bold</b> and <details> inline\n"
    )
    page = markdown_to_html(markdown)
    assert "<details><summary>3 metrics that pass</summary>" in page
    assert "</details>" in page and "<table>" in page  # the table inside is still Markdown
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page


def test_the_report_of_many_passing_metrics_folds_them() -> None:
    quiet = (
        metric(f"m{i}", Verdict.INCONCLUSIVE, reasons=("beyond the tolerance, not significantly",))
        for i in range(12)
    )
    page = render_html(result(*quiet))
    assert re.search(r"<details><summary>12 metrics that do not fail the gate", page)
    assert "&lt;details&gt;" not in page and "&lt;/details&gt;" not in page
