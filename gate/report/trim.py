"""Shortening a Markdown report to a size limit, keeping what a reader needs first.

A comment (65,536 characters on GitHub) or a job summary (1 MiB) cannot always hold
the whole report. The short form keeps, in this order of priority: the verdict
line, a note saying where the full report is, the table rows of the metrics that
fail the gate, then their details. It works on the rendered Markdown, so that
``rungate comment`` can shorten a report file it did not render itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

from gate.report.escape import ELLIPSIS
from gate.report.wording import VERDICT_EMOJI, verdict_label
from gate.result import Verdict

Measure = Callable[[str], int]

# A failing row's verdict cell starts with one of these; in non-inferiority mode an
# inconclusive metric that fails the gate is marked with the regression's cross too.
FAILING_MARKS = tuple(VERDICT_EMOJI[v] for v in Verdict if v.fails_gate)
FAILING_DETAIL_LABELS = frozenset(verdict_label(v) for v in Verdict if v.fails_gate)
FAILS_IN_MODE = "fails the gate)"
_CELL_SEPARATOR = re.compile(r"(?<!\\)\|")
# "- ❌ **accuracy** — regression": a metric's entry in the details.
_DETAIL = re.compile(r"- (?:\S+ )?\*\*(?P<name>.+)\*\* — (?P<label>.+)")


def github_length(text: str) -> int:
    """An upper bound of the characters GitHub counts in a comment body.

    GitHub's exact rule is not documented. UTF-8 bytes are at least the code
    points and the UTF-16 units of any text, and a newline is counted twice in
    case it is stored as CRLF.
    """
    return len(text.encode("utf-8")) + text.count("\n")


def utf8_length(text: str) -> int:
    return len(text.encode("utf-8"))


@dataclass(frozen=True)
class ReportParts:
    headline: str
    table_header: tuple[str, ...]
    failing_rows: tuple[str, ...]
    failing_details: tuple[str, ...]  # one block of lines per failing metric


def split_report(markdown: str, failing_names: Collection[str] | None = None) -> ReportParts:
    """The parts of a rendered report. A metric fails when its (escaped) name is in
    ``failing_names``; without them, when its verdict is one that always fails."""
    lines = markdown.splitlines()
    headline = next((line for line in lines if line.startswith("## ")), "")
    if not headline:
        headline = next((line for line in lines if line.strip()), "")
    header: tuple[str, ...] = ()
    rows: list[str] = []
    details: list[str] = []
    for index, line in enumerate(lines):
        if _is_table_row(line):
            cells = _CELL_SEPARATOR.split(line)
            if not header and index + 1 < len(lines) and _is_separator(lines[index + 1]):
                header = (line, lines[index + 1])
            elif len(cells) > 2 and _fails(cells[1].strip(), cells[2].strip(), failing_names):
                rows.append(line)
        elif (detail := _DETAIL.fullmatch(line)) and _fails(
            detail["name"], detail["label"], failing_names, detail=True
        ):
            block = [line]
            for following in lines[index + 1 :]:
                if not following.startswith("  "):
                    break
                block.append(following)
            details.append("\n".join(block))
    return ReportParts(headline, header, tuple(rows), tuple(details))


def _is_table_row(line: str) -> bool:
    return line.startswith("|") and line.rstrip().endswith("|")


def _is_separator(line: str) -> bool:
    return _is_table_row(line) and set(line) <= set("|:- ")


def _fails(
    name: str, verdict: str, failing_names: Collection[str] | None, *, detail: bool = False
) -> bool:
    if failing_names is not None:
        return name in failing_names
    if detail:
        return verdict in FAILING_DETAIL_LABELS or verdict.endswith(FAILS_IN_MODE)
    return verdict.startswith(FAILING_MARKS)


def fit_report(
    markdown: str,
    *,
    limit: int,
    measure: Measure,
    prefix: str = "",
    note: Callable[[int], str],
    failing_names: Collection[str] | None = None,
) -> str:
    """``prefix + markdown`` if it measures at most ``limit``; else the short form.

    ``note(full_size)`` explains that the report was shortened and where the full
    one is. The result never measures more than ``limit``.
    """
    full = prefix + markdown
    size = measure(full)
    if size <= limit:
        return full
    parts = split_report(markdown, failing_names)
    text = prefix + _cut(parts.headline, limit // 4, measure) + "\n\n" + note(size) + "\n"
    text = _add_rows(text, parts, limit, measure)
    for index, block in enumerate(parts.failing_details):
        heading = "\n### Failed metrics\n\n" if index == 0 else ""
        candidate = text + heading + block + "\n"
        if measure(candidate) > limit:
            break
        text = candidate
    return _cut(text, limit, measure)


def _add_rows(text: str, parts: ReportParts, limit: int, measure: Measure) -> str:
    if not parts.failing_rows or not parts.table_header:
        return text
    table = text + "\n" + "\n".join(parts.table_header) + "\n"
    shown = 0
    for row in parts.failing_rows:
        more = len(parts.failing_rows) - shown - 1
        reserve = f"\n_… and {more} more failed metrics._\n" if more else ""
        if measure(table + row + "\n" + reserve) > limit:
            break
        table += row + "\n"
        shown += 1
    if shown == 0:
        return text
    hidden = len(parts.failing_rows) - shown
    if hidden:
        table += f"\n_… and {hidden} more failed metrics._\n"
    return table


def _cut(text: str, limit: int, measure: Measure) -> str:
    """The longest start of ``text`` (with an ellipsis) that measures at most ``limit``."""
    if measure(text) <= limit:
        return text
    low, high = 0, len(text)
    while low < high:  # binary search on the number of characters kept
        middle = (low + high + 1) // 2
        if measure(text[:middle] + ELLIPSIS) <= limit:
            low = middle
        else:
            high = middle - 1
    return text[:low] + ELLIPSIS if measure(text[:low] + ELLIPSIS) <= limit else ""
