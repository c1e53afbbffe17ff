"""The JUnit XML report: valid against the common schema, one test case per metric."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import xmlschema
from support.paths import ROOT
from support.results import every_verdict_result, metric, result

from gate.cli import main
from gate.report.junit import render_junit
from gate.result import Verdict

SCHEMA = xmlschema.XMLSchema(Path(__file__).with_name("junit.xsd"))


def cases(xml: str) -> dict[str, ET.Element]:
    return {case.attrib["name"]: case for case in ET.fromstring(xml).iter("testcase")}


def test_every_verdict_maps_to_one_test_case() -> None:
    xml = render_junit(every_verdict_result())
    SCHEMA.validate(xml)
    suite = ET.fromstring(xml).find("testsuite")
    assert suite is not None
    assert {key: suite.attrib[key] for key in ("tests", "failures", "errors", "skipped")} == {
        "tests": "7",
        "failures": "2",
        "errors": "0",
        "skipped": "2",
    }
    by_name = cases(xml)
    assert all(case.attrib["classname"] == "rungate" for case in by_name.values())
    failure = by_name["f1"].find("failure")
    assert failure is not None and failure.attrib["type"] == "regression"
    assert failure.attrib["message"] == (
        "regression: baseline 0.9012 (n=5), candidate 0.8523 (n=5), change -0.0489 (-5.4%), "
        "CI [-0.0612, -0.0366], tolerance 0.01"
    )
    assert failure.text is not None and "beyond the tolerance 0.01" in failure.text
    assert by_name["bleu"].find("failure") is not None
    skipped = by_name["latency_ms"].find("skipped")
    assert skipped is not None
    assert skipped.attrib["message"] == (
        "inconclusive: looks worse beyond the tolerance, but p=0.071 is not below alpha 0.05"
    )
    assert by_name["recall"].find("skipped") is not None
    for passing in ("accuracy", "throughput", "val_loss"):
        assert [child.tag for child in by_name[passing]] == ["system-out"]


def test_a_metric_that_fails_by_mode_is_a_failure_whatever_its_verdict() -> None:
    gate = result(metric("acc", Verdict.INCONCLUSIVE, fails_gate=True))
    (case,) = cases(render_junit(gate)).values()
    assert case.find("failure") is not None and case.find("skipped") is None


def test_hostile_names_stay_well_formed_and_inert() -> None:
    name = "acc\x00\x1b]]></failure><script>&amp;\ud800\n"
    xml = render_junit(result(metric(name, Verdict.REGRESSION, reasons=(f"{name} is worse",))))
    SCHEMA.validate(xml)
    (case,) = ET.fromstring(xml).iter("testcase")
    assert case.attrib["name"] == "acc  ]]></failure><script>&amp;"
    failure = case.find("failure")
    assert failure is not None and failure.text is not None
    assert "\x00" not in failure.text and "<script>&amp;" in failure.text


def test_junit_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "rungate.xml"
    policy = str(ROOT / "examples" / "policy.yml")
    regressed = str(ROOT / "examples" / "runs" / "regressed")
    assert main(["check", "--policy", policy, "--candidate", regressed, "--junit", str(out)]) == 1
    xml = out.read_text(encoding="utf-8")
    SCHEMA.validate(xml)
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')
    assert sorted(cases(xml)) == ["accuracy", "f1_macro", "latency_ms", "val_loss"]
