"""The logs the real tools wrote, gated example by example through `rungate check`:
the sides pair by example key, repeats are averaged, and the examples that changed are
the ones the fixtures were written to change (tests/sources/data/evallogs/regenerate.sh:
each candidate gets some questions wrong that its baseline got right, and one right).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gate.cli import main

DATA = Path(__file__).parent.parent / "data" / "evallogs"


def gate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, pr: Path, base: Path, metric: str
) -> dict[str, object]:
    policy = tmp_path / "gate.yml"
    policy.write_text(
        f"candidate: {{{kind}: {json.dumps(str(pr))}}}\n"
        f"baseline: {{{kind}: {json.dumps(str(base))}}}\n"
        f"metrics:\n  {metric}: {{direction: higher, pair_by: example}}\n"
    )
    capsys.readouterr()
    main(["check", "--policy", str(policy), "--json", "-"])
    report = json.loads(capsys.readouterr().out)
    (result,) = report["metrics"]
    assert isinstance(result, dict)
    return result


def changed(result: dict[str, object]) -> dict[str, tuple[float, float]]:
    """The changed examples by the question id in their excerpt: (baseline, candidate)."""
    evidence = result["examples"]
    assert isinstance(evidence, dict)
    found = {}
    for change in evidence["changes"]:
        qid = change["excerpt"].split("qid=")[1][:3] if "qid=" in change["excerpt"] else None
        found[qid or change["key"]] = (change["baseline"], change["candidate"])
    return found


def test_promptfoo_repeats_are_one_example_and_the_changed_tests_are_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = gate(
        tmp_path, capsys, "promptfoo", DATA / "promptfoo/pr.json", DATA / "promptfoo/base.json",
        "plain/pass",
    )  # fmt: skip
    evidence = result["examples"]
    assert isinstance(evidence, dict)
    assert (evidence["examples"], evidence["worse"], evidence["better"]) == (12, 3, 1)
    assert evidence["candidate"] == evidence["baseline"] == {"runs": 1, "repeats": 2}
    assert changed(result) == {
        "q05": (1.0, 0.0),
        "q08": (1.0, 0.0),
        "q12": (1.0, 0.0),
        "q09": (0.0, 1.0),
    }


def test_inspect_epochs_are_averaged_within_each_sample(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = gate(
        tmp_path, capsys, "inspect", DATA / "inspect/pr", DATA / "inspect/base", "arith/match"
    )
    evidence = result["examples"]
    assert isinstance(evidence, dict)
    assert (evidence["examples"], evidence["worse"], evidence["better"]) == (30, 4, 1)
    assert evidence["candidate"] == {"runs": 1, "repeats": 2}
    assert evidence["binary"] is False  # an example's two epochs can disagree: q11
    keys = {change["key"]: change["candidate"] for change in evidence["changes"]}
    assert keys == {"q08": 0.0, "q21": 0.0, "q26": 0.0, "q11": 0.5, "q17": 1.0}


def test_lm_eval_pairs_by_doc_id_and_a_changed_input_is_caught_by_its_hash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, pr = DATA / "lm_eval/base", tmp_path / "pr"
    result = gate(tmp_path, capsys, "lm_eval", DATA / "lm_eval/pr", base, "arith_mc/acc")
    evidence = result["examples"]
    assert isinstance(evidence, dict)
    assert (evidence["examples"], evidence["worse"], evidence["better"]) == (30, 3, 1)
    assert evidence["binary"] is True and evidence["excluded"] == 0
    assert result["test"] == "paired_t"

    # The candidate evaluated another text under doc_id 4: its doc_hash differs.
    shutil.copytree(DATA / "lm_eval/pr", pr)
    (samples,) = pr.glob("samples_arith_mc_*.jsonl")
    lines = samples.read_text().splitlines()
    record = json.loads(lines[4])
    record["doc_hash"] = "0" * 64
    lines[4] = json.dumps(record)
    samples.write_text("\n".join(lines) + "\n")
    (tmp_path / "gate.yml").unlink()
    result = gate(tmp_path, capsys, "lm_eval", pr, base, "arith_mc/acc")
    evidence = result["examples"]
    assert isinstance(evidence, dict)
    assert evidence["unmatched"]["hash_mismatch"] == {"count": 1, "first": [str(record["doc_id"])]}
    assert evidence["examples"] == 29 and evidence["excluded"] == 1
