"""The HTML report: the Markdown report rendered into one self-contained page."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from gate.report.escape import one_line
from gate.report.markdown import render_markdown
from gate.report.pictures.report_figures import pictures_section
from gate.report.templates import render
from gate.result import GateResult

# The only raw HTML the report templates write: the folded blocks GitHub renders too
# (many passing metrics, the examples that changed most). Every string from a run file
# is escaped before it reaches the Markdown, so any other tag can only be text.
_FOLDING_TAG = re.compile(r"</?(?:details|summary)>")


def markdown_to_html(markdown: str) -> str:
    """CommonMark plus tables; raw HTML is shown as text, but for the folding tags."""
    parser = MarkdownIt("commonmark", {"html": True}).enable("table")
    parser.add_render_rule("html_block", _folding_only)
    parser.add_render_rule("html_inline", _folding_only)
    return str(parser.render(markdown))


def _folding_only(self: object, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """A raw HTML token with its folding tags kept and everything else escaped."""
    content = tokens[idx].content
    texts = _FOLDING_TAG.split(content)
    tags = _FOLDING_TAG.findall(content)
    return html.escape(texts[0], quote=False) + "".join(
        tag + html.escape(text, quote=False) for tag, text in zip(tags, texts[1:], strict=True)
    )


def render_html(result: GateResult) -> str:
    return render(
        "report.html.j2",
        title=f"rungate: {result.verdict} — {one_line(result.candidate)}",
        body=markdown_to_html(render_markdown(result)),
        pictures=pictures_section(result),
    )
