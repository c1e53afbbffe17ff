"""Fitting a report into a place with a size limit: a comment, a job summary.

A report that fits goes in whole. One that does not is shortened:

- from a result (``fit_result``): the short form of the Markdown report, rendered
  from the ``GateResult``: the verdict, a note on where the full report is, the table
  rows of the metrics that fail the gate and, once every one of those rows is shown,
  their details, as many as fit;
- from a Markdown file (``fit_markdown``), which ``rungate comment`` may be given:
  its first sections, cut before headings only. Its rows are never read: a row's
  text cannot tell a failing metric from a parameter whose value merely looks like one.

Either way a last hard cut (``hard_cut``) guarantees the limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from gate.report.escape import ELLIPSIS
from gate.report.markdown import ShortReport, render_markdown
from gate.result import GateResult

Measure = Callable[[str], int]
Note = Callable[[int], str]  # the full report's size -> our note saying it was shortened

FIRST_TRY = 16  # metrics added in the second try: enough to tell the size of one
# Where a Markdown report may be cut: before a "## " or "### " heading.
_SECTION_START = re.compile(r"\n(?=#{2,3} )")


def github_length(text: str) -> int:
    """An upper bound of the characters GitHub counts in a comment body.

    GitHub's exact rule is not documented. UTF-8 bytes are at least the code
    points and the UTF-16 units of any text, and a newline is counted twice in
    case it is stored as CRLF.
    """
    return len(text.encode("utf-8")) + text.count("\n")


def utf8_length(text: str) -> int:
    return len(text.encode("utf-8"))


def fit_result(
    result: GateResult, *, limit: int, measure: Measure, note: Note, prefix: str = ""
) -> str:
    """``prefix`` and the Markdown report of ``result`` if that measures at most ``limit``;
    else ``prefix`` and the short form. The result never measures more than ``limit``."""
    full = prefix + render_markdown(result)
    size = measure(full)
    if size <= limit:
        return full
    short = ShortReport(result, note=note(size))
    failing = len(short.failing)

    def rows_size(count: int) -> int:
        return measure(prefix + short.render(rows=count, details=0))

    def details_size(count: int) -> int:
        return measure(prefix + short.render(rows=failing, details=count))

    rows = most_that_fit(rows_size, limit, failing)
    # A detail helps only below its metric's row; with rows left out there is no room.
    details = most_that_fit(details_size, limit, failing) if rows == failing else 0
    return hard_cut(prefix + short.render(rows=rows, details=details), limit, measure)


def fit_markdown(
    markdown: str, *, limit: int, measure: Measure, note: Note, prefix: str = ""
) -> str:
    """``prefix + markdown`` if it measures at most ``limit``; else its first whole
    sections with ``note`` after them or, when not even the first section fits, the
    start of that section."""
    full = prefix + markdown
    size = measure(full)
    if size <= limit:
        return full
    tail = "\n" + note(size) + "\n"
    ends = [match.start() for match in _SECTION_START.finditer(markdown)]

    def first_sections(count: int) -> str:
        kept = markdown[: ends[count - 1]].rstrip("\n") + "\n" if count else ""
        return prefix + kept + tail

    kept = most_that_fit(lambda count: measure(first_sections(count)), limit, len(ends))
    if kept:
        return hard_cut(first_sections(kept), limit, measure)
    start = hard_cut(full, limit - measure("\n" + tail), measure)
    return hard_cut(start + "\n" + tail, limit, measure)


def hard_cut(text: str, limit: int, measure: Measure) -> str:
    """The longest start of ``text`` (with an ellipsis) that measures at most ``limit``."""
    if measure(text) <= limit:
        return text
    kept = most_that_fit(lambda count: measure(text[:count] + ELLIPSIS), limit, len(text) - 1)
    return text[:kept] + ELLIPSIS if measure(text[:kept] + ELLIPSIS) <= limit else ""


def most_that_fit(size: Callable[[int], int], limit: int, most: int) -> int:
    """The largest count in ``0..most`` whose ``size`` is at most ``limit``.

    ``size`` must grow with the count. Each try renders up to that many metrics, so
    the tries are few: ``size`` usually grows in proportion (every metric adds a row
    of much the same length), so after two small tries each goes where a straight
    line through the sizes seen so far reaches ``limit``, which for 10,000 metrics
    takes three or four tries where halving takes fourteen. A try that does not
    halve the range is followed by one that does, so an uneven ``size`` costs at
    most about twice the tries of halving.
    """
    low, low_size = 0, size(0)
    if most <= 0 or low_size > limit:
        return 0
    before_low, before_low_size = low, low_size  # the count that fitted before ``low``
    high, high_size = most + 1, 0  # the smallest count known not to fit; none yet
    guess = 1  # then 1 + FIRST_TRY: their difference is the size of FIRST_TRY metrics alone
    while low + 1 < high:
        before = high - low if high <= most else None  # None: no upper bound yet
        try_count = min(max(guess, low + 1), high - 1)
        measured = size(try_count)
        if measured <= limit:
            before_low, before_low_size = low, low_size
            low, low_size = try_count, measured
        else:
            high, high_size = try_count, measured
        if before is not None and high - low > before // 2:
            guess = (low + high) // 2
        elif high <= most:
            guess = low + (limit - low_size) * (high - low) // (high_size - low_size)
        elif low == 1:
            guess = 1 + FIRST_TRY
        else:  # nothing too large yet: go on at the size per metric seen so far
            per_metric = max(low_size - before_low_size, 1) / (low - before_low)
            guess = low + int((limit - low_size) / per_metric)
    return low
