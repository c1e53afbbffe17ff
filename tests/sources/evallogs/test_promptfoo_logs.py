"""promptfoo output files read as runs.

``data/evallogs/promptfoo/`` was written by promptfoo 0.120.27 itself (``promptfoo
eval -o FILE --repeat 2`` on Node 20, with a local script provider that answers
from a key; ``data/evallogs/regenerate.sh``): 12 sums, two prompts (``plain`` and
``terse``), an ``equals`` assertion with metric ``exact`` and a graded
``brevity``. The baseline gets q03 and q09 wrong, the candidate q03, q05, q08
and q12.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.paths import SOURCE_DATA

from gate.cli import main
from gate.errors import RunSetError
from gate.model import Run
from gate.sources.evallogs.promptfoo import read_promptfoo
from gate.sources.open import open_paths

DATA = SOURCE_DATA / "evallogs" / "promptfoo"


def read(path: Path, prompts: tuple[str, ...] = ()) -> Run:
    (run,) = read_promptfoo((path,), prompts=prompts).runs
    return run


def failed(run: Run, metric: str) -> set[str]:
    scores = run.examples[metric]
    return {key for key, score in zip(scores.keys, scores.scores, strict=True) if score == 0}


def test_metrics_are_prompt_slash_pass_and_named_scores() -> None:
    run = read(DATA / "pr.json")
    assert set(run.examples) == {
        f"{prompt}/{name}" for prompt in ("plain", "terse") for name in ("pass", "exact", "brevity")
    }
    assert failed(run, "plain/pass") == failed(run, "terse/exact") == {"q03", "q05", "q08", "q12"}
    assert run.metrics["plain/pass"] == pytest.approx(8 / 12)
    assert run.tags["promptfoo"] == "0.120.27"
    assert run.start_time is not None


def test_repeats_of_a_test_case_are_one_example() -> None:
    document = json.loads((DATA / "base.json").read_text())
    indices = {entry["testIdx"] for entry in document["results"]["results"]}
    assert len(indices) == 24  # --repeat 2 gave each of the 12 tests a second index
    scores = read(DATA / "base.json").examples["plain/pass"]
    assert len(scores) == 24
    # Each case has a description of its own: that is its key.
    assert sorted(set(scores.keys)) == [f"q{number:02d}" for number in range(1, 13)]
    assert sorted(scores.repeats or ()) == [0] * 12 + [1] * 12
    assert failed(read(DATA / "base.json"), "plain/pass") == {"q03", "q09"}
    assert scores.excerpts is not None
    assert scores.excerpts[scores.keys.index("q03")] == "qid=q03, a=21, b=15"


def test_a_file_with_several_providers_keys_by_provider(tmp_path: Path) -> None:
    document = json.loads((DATA / "pr.json").read_text())
    for entry in document["results"]["results"]:
        if entry["testIdx"] % 2:
            entry["provider"] = {"id": "echo", "label": "echo"}
    (tmp_path / "two.json").write_text(json.dumps(document))
    keys = set(read(tmp_path / "two.json").examples["plain/pass"].keys)
    assert {key.rpartition("@")[2] for key in keys} == {"key", "echo"}


def test_a_prompt_filter_keeps_those_prompts() -> None:
    assert {name.split("/")[0] for name in read(DATA / "pr.json", ("terse",)).examples} == {"terse"}
    with pytest.raises(RunSetError, match="no results for the prompt 'other'"):
        read(DATA / "pr.json", ("other",))


def test_the_command_line_recognises_a_promptfoo_file() -> None:
    loaded = open_paths((DATA / "pr.json",)).load()
    assert loaded.description == f"promptfoo {DATA / 'pr.json'}"


def test_a_policy_gates_promptfoo_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = tmp_path / "gate.yml"
    policy.write_text(
        f"candidate: {{promptfoo: {DATA / 'pr.json'}}}\n"
        f"baseline: {{promptfoo: {{path: {DATA / 'base.json'}, prompts: [plain]}}}}\n"
        "metrics:\n  plain/exact: {direction: higher, tolerance: 0.5}\n"
    )
    assert main(["check", "--policy", str(policy), "--json", "-"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["metrics"][0]["candidate"]["mean"] == pytest.approx(8 / 12)


def rewritten(source: Path, path: Path, *, described: bool, drop: str = "") -> Path:
    """``source`` with the test case ``drop`` removed and the test indices after it
    renumbered, as promptfoo numbers them; optionally without the cases' descriptions."""
    document = json.loads(source.read_text())
    entries = document["results"]["results"]
    kept = [entry for entry in entries if entry["testCase"]["vars"]["qid"] != drop]
    for entry in kept:
        if drop:
            entry["testIdx"] -= 2 if entry["testIdx"] >= 2 else 0  # q01 had two (--repeat 2)
        if not described:
            entry["testCase"].pop("description", None)
    document["results"]["results"] = kept
    path.write_text(json.dumps(document))
    return path


def keyed_gate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], candidate: Path, baseline: Path
) -> object:
    policy = tmp_path / "gate.yml"
    policy.write_text(
        f"candidate: {{promptfoo: {candidate}}}\nbaseline: {{promptfoo: {baseline}}}\n"
        "metrics: {plain/pass: {direction: higher, pair_by: example, max_unmatched: 100%}}\n"
    )
    capsys.readouterr()
    main(["check", "--policy", str(policy), "--json", "-"])
    return json.loads(capsys.readouterr().out)["metrics"][0]["examples"]


def test_a_case_removed_on_one_side_never_pairs_the_others_wrongly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Described cases keep their keys: the removed one is only in the baseline.
    pr, base = DATA / "pr.json", DATA / "base.json"
    candidate = rewritten(pr, tmp_path / "d.json", described=True, drop="q01")
    described = keyed_gate(tmp_path, capsys, candidate, base)
    assert isinstance(described, dict)
    assert described["unmatched"]["only_baseline"] == {"count": 1, "first": ["q01"]}
    assert (described["worse"], described["better"]) == (3, 1)  # q05, q08, q12; q09
    # Numbered cases shift by one: their inputs' digests differ, so none is paired with
    # another case's result (before, q03 was compared with q02, and so on).
    candidate = rewritten(pr, tmp_path / "n.json", described=False, drop="q01")
    baseline = rewritten(base, tmp_path / "nb.json", described=False)
    numbered = keyed_gate(tmp_path, capsys, candidate, baseline)
    assert isinstance(numbered, dict)
    assert numbered["unmatched"]["hash_mismatch"]["count"] == 11
    assert numbered["examples"] == 0 and numbered["worse"] == numbered["better"] == 0
