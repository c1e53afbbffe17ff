"""What ``rungate check`` adds inside GitHub Actions: job summary, step outputs, annotations.

All three are files or lines the runner reads; nothing here talks to the network.
Strings from run files reach workflow commands only through ``escape_data`` and
``escape_property``, so a metric name can never end a command line early or
start a command of its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from pathlib import Path

from gate.report.escape import one_line
from gate.report.trim import fit_result, utf8_length
from gate.report.wording import means_and_change, verdict_label
from gate.result import GateResult, MetricResult, Verdict

SUMMARY_LIMIT = 1024 * 1024  # bytes per step; GitHub drops a larger summary whole
SUMMARY_MARGIN = 4096
WARNED_VERDICTS = (Verdict.INCONCLUSIVE, Verdict.INSUFFICIENT)


def in_github_actions(environ: Mapping[str, str]) -> bool:
    return environ.get("GITHUB_ACTIONS") == "true"


def escape_data(text: str) -> str:
    """The escaping GitHub documents for a workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (``title=...``) also may not contain ``:`` or ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(kind: str, message: str, *, title: str | None = None) -> str:
    properties = f" title={escape_property(title)}" if title else ""
    return f"::{kind}{properties}::{escape_data(message)}"


def annotation_lines(result: GateResult) -> list[str]:
    """An error for every metric that fails the gate, a warning for one that could not tell."""
    lines = []
    for metric in result.worst_first():
        if metric.fails_gate:
            kind = "error"
        elif metric.verdict in WARNED_VERDICTS:
            kind = "warning"
        else:
            continue
        title = f"rungate: {one_line(metric.name, 100)} {verdict_label(metric.verdict)}"
        lines.append(workflow_command(kind, annotation_message(metric), title=title))
    return lines


def annotation_message(metric: MetricResult) -> str:
    numbers = ", ".join(means_and_change(metric))
    text = f"{one_line(metric.name)}: {verdict_label(metric.verdict)}; {numbers}"
    if metric.reasons:
        text += f". {one_line(metric.reasons[0], 1000)}"
    return text


def step_outputs(result: GateResult, reports: Mapping[str, Path]) -> dict[str, str]:
    """``verdict``, ``regressions``, ``failed`` and the absolute path of each report file."""
    outputs = {
        "verdict": result.verdict,
        "regressions": str(result.count(Verdict.REGRESSION)),
        "failed": str(sum(1 for metric in result.metrics if metric.fails_gate)),
    }
    for kind, path in reports.items():
        if str(path) != "-":
            outputs[kind] = str(path.resolve())
    return outputs


def format_outputs(outputs: Mapping[str, str]) -> str:
    """``name=value`` lines; a value with a line break in the ``name<<DELIMITER`` form."""
    lines = []
    for name, value in outputs.items():
        if "\n" in value or "\r" in value:
            delimiter = f"ghadelimiter_{uuid.uuid4()}"  # random, so no value can contain it
            lines.append(f"{name}<<{delimiter}\n{value}\n{delimiter}")
        else:
            lines.append(f"{name}={value}")
    return "".join(line + "\n" for line in lines)


def job_summary(result: GateResult, *, already_written: int) -> str | None:
    """The Markdown report for the step's job summary, shortened to the room it has
    left after ``already_written`` bytes; None when there is no room worth using."""
    room = SUMMARY_LIMIT - already_written - SUMMARY_MARGIN
    if room < SUMMARY_MARGIN:
        return None

    def note(size: int) -> str:
        return (
            f"> [!NOTE]\n> The full report ({size:,} bytes) is too large for the job summary: "
            "this shows the verdict and the failed metrics. Write it with `--markdown FILE` "
            "and keep it as an artifact to read it whole."
        )

    return fit_result(result, limit=room, measure=utf8_length, note=note)


def append(path: Path, text: str) -> None:
    # A report path that is not UTF-8 is written as its own bytes, not lost to an error.
    with path.open("a", encoding="utf-8", errors="surrogateescape", newline="\n") as file:
        file.write(text)
