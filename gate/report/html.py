"""The HTML report: the Markdown report rendered into one self-contained page."""

from __future__ import annotations

from markdown_it import MarkdownIt

from gate.report.escape import one_line
from gate.report.markdown import render_markdown
from gate.report.pictures.report_figures import pictures_section
from gate.report.templates import render
from gate.result import GateResult


def markdown_to_html(markdown: str) -> str:
    """CommonMark plus tables, with raw HTML shown as text rather than passed through."""
    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    return str(parser.render(markdown))


def render_html(result: GateResult) -> str:
    return render(
        "report.html.j2",
        title=f"rungate: {result.verdict} — {one_line(result.candidate)}",
        body=markdown_to_html(render_markdown(result)),
        pictures=pictures_section(result),
    )
