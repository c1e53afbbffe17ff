from __future__ import annotations

import json
import re
from pathlib import Path

from support.keyed_runs import examples_result
from support.results import INJECTION, every_verdict_result, injection_result

import gate
from gate.report.json_report import SCHEMA_VERSION, render_json, to_json_dict
from gate.result import Verdict

DOCS = Path(__file__).parents[2] / "docs" / "json.md"


def _key_paths(value: object, prefix: str = "") -> set[str]:
    """Dotted paths of every key, with ``[]`` for the elements of an array of objects."""
    paths: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            paths |= {path} | _key_paths(item, path)
    elif isinstance(value, list):
        for item in value:
            paths |= _key_paths(item, prefix + "[]")
    return paths


def _documented_paths() -> set[str]:
    return set(re.findall(r"^\| `([^`]+)` \|", DOCS.read_text(encoding="utf-8"), re.MULTILINE))


def test_round_trips_through_json() -> None:
    text = render_json(every_verdict_result())
    assert text.endswith("}\n")
    assert json.loads(text) == json.loads(json.dumps(to_json_dict(every_verdict_result())))


def _reject_constant(name: str) -> object:
    raise AssertionError(f"{name} is not JSON")


def test_non_finite_numbers_become_null() -> None:
    text = render_json(every_verdict_result())
    metrics = {
        metric["name"]: metric
        for metric in json.loads(text, parse_constant=_reject_constant)["metrics"]
    }
    assert metrics["throughput"]["candidate"] == {
        "n": 4,
        "mean": None,
        "sd": None,
        "non_finite": 4,
    }
    assert metrics["bleu"]["delta_pct"] is None


def test_every_key_is_documented_and_every_documented_key_present() -> None:
    written = _key_paths(to_json_dict(every_verdict_result()))
    written |= _key_paths(to_json_dict(examples_result()))  # a metric paired by example key
    assert written == _documented_paths()


def test_top_level() -> None:
    report = json.loads(render_json(every_verdict_result()))
    assert report["schema_version"] == SCHEMA_VERSION == 1
    assert report["rungate_version"] == gate.__version__
    assert report["verdict"] == "fail"
    assert report["alpha"] == 0.05
    assert report["candidate"] == {"description": "runs/pr-123/*.json", "runs": 5}
    assert report["counts"] == {verdict.value: 1 for verdict in Verdict}
    assert report["param_differences"][1] == {
        "name": "optimizer",
        "baseline": ["adam"],
        "candidate": [],
    }


def test_metrics_are_worst_first_and_complete() -> None:
    result = every_verdict_result()
    metrics = json.loads(render_json(result))["metrics"]
    assert [metric["name"] for metric in metrics] == [m.name for m in result.worst_first()]
    regression = metrics[1]
    assert regression["verdict"] == "regression"
    assert regression["fails_gate"] is True
    assert regression["delta"] == -0.0489
    assert regression["ci_level"] == 0.9
    assert regression["tolerance_spec"] == "0.01"
    assert regression["reasons"] == [result.metrics[1].reasons[0]]
    assert metrics[-1]["fails_gate"] is False


def test_strings_are_kept_verbatim() -> None:
    report = json.loads(render_json(injection_result()))
    assert report["metrics"][0]["name"] == INJECTION
    assert report["param_differences"][0]["baseline"] == [INJECTION, "a|b"]
    assert "\n" not in render_json(injection_result()).split("\n")[0]
