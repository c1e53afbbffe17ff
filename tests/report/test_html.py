from __future__ import annotations

import re

from support.results import every_verdict_result, injection_result

from gate.report.html import render_html


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
