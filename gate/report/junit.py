"""The JUnit XML report, which GitLab, Jenkins, Azure Pipelines and others show natively.

One test case per metric, in the class ``rungate``:

- a metric that fails the gate (``regression``, ``missing``, or anything short of
  proof in non-inferiority mode) is a ``<failure>``, its message holding the
  numbers, its text every reason;
- ``inconclusive`` and ``insufficient`` (warned, not failed) are ``<skipped>``
  with the reason: JUnit has no "warning", and skipped is the one state that is
  neither a pass nor a failure and that every viewer shows;
- ``pass``, ``improvement`` and ``no_baseline`` pass, with the numbers in
  ``<system-out>``.

ElementTree escapes markup; characters XML 1.0 cannot carry at all (most
control characters) are dropped first, so a hostile metric name still gives a
well-formed file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from gate.report.escape import fmt_num, one_line
from gate.report.wording import example_lines, means_and_change, verdict_label
from gate.result import GateResult, MetricResult, Verdict

CLASSNAME = "rungate"
SKIPPED_VERDICTS = (Verdict.INCONCLUSIVE, Verdict.INSUFFICIENT)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def numbers(metric: MetricResult) -> str:
    """``baseline 0.9612 (n=5), candidate 0.9493 (n=5), change -0.01188 (-1.2%), CI [...]``.

    The p-value is left to the reasons, which give the one that decided (adjusted
    for the number of metrics, where the policy asks for that)."""
    parts = means_and_change(metric)
    if metric.ci_low is not None or metric.ci_high is not None:
        parts.append(f"CI [{fmt_num(metric.ci_low)}, {fmt_num(metric.ci_high)}]")
    if metric.tolerance is not None:
        parts.append(f"tolerance {fmt_num(metric.tolerance)}")
    return ", ".join(parts)


def _explanation(metric: MetricResult) -> str:
    lines = [numbers(metric), *metric.reasons, *(f"note: {note}" for note in metric.notes)]
    lines.extend(example_lines(metric))
    return "\n".join(xml_text(line) for line in lines) + "\n"


def _testcase(suite: ET.Element, metric: MetricResult) -> None:
    case = ET.SubElement(
        suite, "testcase", name=xml_text(one_line(metric.name)), classname=CLASSNAME, time="0"
    )
    label = verdict_label(metric.verdict)
    summary = xml_text(f"{label}: {numbers(metric)}")
    if metric.fails_gate:
        failure = ET.SubElement(case, "failure", message=summary, type=metric.verdict.value)
        failure.text = _explanation(metric)
    elif _skipped(metric):
        reason = one_line(metric.reasons[0], 1000) if metric.reasons else label
        ET.SubElement(case, "skipped", message=xml_text(f"{label}: {reason}"))
        ET.SubElement(case, "system-out").text = _explanation(metric)
    else:
        ET.SubElement(case, "system-out").text = f"{label}\n{_explanation(metric)}"


def _skipped(metric: MetricResult) -> bool:
    return not metric.fails_gate and metric.verdict in SKIPPED_VERDICTS


def render_junit(result: GateResult) -> str:
    metrics = result.worst_first()
    counts = {
        "tests": str(len(metrics)),
        "failures": str(sum(1 for metric in metrics if metric.fails_gate)),
        "errors": "0",
        "skipped": str(sum(1 for metric in metrics if _skipped(metric))),
        "time": "0",
    }
    root = ET.Element("testsuites", {"name": CLASSNAME, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": CLASSNAME, **counts})
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("verdict", result.verdict),
        ("alpha", fmt_num(result.alpha)),
        ("candidate", one_line(result.candidate)),
        ("baseline", one_line(result.baseline)),
    ):
        ET.SubElement(properties, "property", name=name, value=xml_text(value))
    for metric in metrics:
        _testcase(suite, metric)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
