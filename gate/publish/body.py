"""The body of a sticky comment: a hidden marker line, then the report, cut to fit.

The marker, ``<!-- rungate:comment-id=ID -->``, is the first line of every body
rungate posts. A later run finds its own comment by that line (and its author:
see ``gate.publish.sticky``). The id names one gate, so several gates can keep a
comment each on the same pull request.
"""

from __future__ import annotations

import re

from gate.errors import UsageError
from gate.report.trim import Measure, Note, fit_markdown, fit_result, github_length
from gate.result import GateResult

DEFAULT_COMMENT_ID = "default"
# Letters, digits, dot, dash and underscore only: an id can then never close the
# HTML comment ("-->") or be mistaken for markup, whatever a workflow passes in.
_COMMENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")

GITHUB_COMMENT_LIMIT = 65_536
GITLAB_NOTE_LIMIT = 1_000_000
SAFETY_MARGIN = 512  # room for any counting of ours that is off by a little
# A link target goes into Markdown as is, so only a plain http(s) URL is linked.
_SAFE_URL = re.compile(r"https?://[^\s()<>\[\]\\\"']+")


def check_comment_id(comment_id: str) -> str:
    if not _COMMENT_ID.fullmatch(comment_id) or "--" in comment_id:
        raise UsageError(
            f"--comment-id {comment_id!r}: use 1 to 64 letters, digits, '.', '_' or '-' "
            "(starting with a letter or digit, no '--')"
        )
    return comment_id


def marker(comment_id: str) -> str:
    return f"<!-- rungate:comment-id={comment_id} -->"


def carries_marker(body: str, comment_id: str) -> bool:
    """True when the body's first line is the marker (an edit on GitHub may add a CR)."""
    first_line = body.split("\n", 1)[0].strip()
    return first_line == marker(comment_id)


def where_the_full_report_is(url: str | None, *, platform: str = "github") -> str:
    """The sentence of the note that says where the full report is."""
    if platform == "gitlab":
        return "Keep it as a job artifact (`--markdown FILE`) to read it whole."
    link = "job summary"
    if url and _SAFE_URL.fullmatch(url):
        link = f"[job summary]({url})"
    return f"The whole report is in the {link} of the workflow run that ran the gate."


def comment_body(
    report: GateResult | str,
    *,
    comment_id: str,
    limit: int = GITHUB_COMMENT_LIMIT,
    measure: Measure = github_length,
    full_report_hint: str = "",
) -> str:
    """The marker and the report: a result, or the text of a Markdown report file.

    A report too long for ``limit`` is shortened, with a note on where the rest is:
    a result to its verdict and failed metrics, a Markdown file to its first sections.
    """
    prefix = marker(comment_id) + "\n"
    room = limit - SAFETY_MARGIN
    if isinstance(report, GateResult):
        note = _note("the verdict and the failed metrics", full_report_hint)
        return fit_result(report, limit=room, measure=measure, prefix=prefix, note=note)
    note = _note("its beginning", full_report_hint)
    return fit_markdown(report, limit=room, measure=measure, prefix=prefix, note=note)


def _note(shows: str, full_report_hint: str) -> Note:
    def note(size: int) -> str:
        return (
            f"> [!NOTE]\n> The full report ({size:,} characters) is too long for a comment: "
            f"this shows {shows}. {full_report_hint}".rstrip()
        )

    return note
